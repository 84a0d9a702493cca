import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { type Result, unwrap } from "../../reference/errors.ts";
import type { Preset } from "../../reference/params/presets.ts";
import {
  assignFresh,
  type Resharding,
  reshard,
  type Seat,
  type ShardState,
  seatId,
} from "../../reference/sharding/index.ts";
import { sampleSeat } from "../../tools/testing/shardSeats.ts";

/*
 * Random histories of elections for the sharding properties: a network of validators whose seats join,
 * leave and change power from epoch to epoch, the resharding rule under test applied to each, and checkers
 * that recompute churn, retention and sizes from the states alone. Everything derives from the fast-check
 * seed.
 */

/** What changes between two elections. */
export type Change =
  | { readonly kind: "join"; readonly seats: number; readonly power: number }
  | { readonly kind: "leave"; readonly pick: number }
  | { readonly kind: "power"; readonly pick: number; readonly factor: number }
  | { readonly kind: "addSeat"; readonly pick: number }
  | { readonly kind: "dropSeat"; readonly pick: number };

export interface History {
  /** Seats per validator and power of each, for the first election. */
  readonly initial: readonly { readonly seats: number; readonly power: number }[];
  /** One list of changes per later election. */
  readonly epochs: readonly (readonly Change[])[];
}

const change: fc.Arbitrary<Change> = fc.oneof(
  fc.record({
    kind: fc.constant("join" as const),
    seats: fc.integer({ min: 1, max: 3 }),
    power: fc.integer({ min: 1, max: 9 }),
  }),
  fc.record({ kind: fc.constant("leave" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("power" as const), pick: fc.nat(), factor: fc.integer({ min: 1, max: 4 }) }),
  fc.record({ kind: fc.constant("addSeat" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("dropSeat" as const), pick: fc.nat() }),
);

/** Histories of up to `maxEpochs` elections after the first, each with up to `maxChanges` changes. */
export function histories(maxEpochs: number, maxChanges: number): fc.Arbitrary<History> {
  return fc.record({
    initial: fc.array(
      fc.record({ seats: fc.integer({ min: 1, max: 3 }), power: fc.integer({ min: 1, max: 9 }) }),
      {
        minLength: 1,
        maxLength: 12,
      },
    ),
    epochs: fc.array(fc.array(change, { maxLength: maxChanges }), { minLength: 1, maxLength: maxEpochs }),
  });
}

/** Histories in which no seat joins or leaves: only powers change. */
export function stableHistories(maxEpochs: number): fc.Arbitrary<History> {
  return fc.record({
    initial: fc.array(
      fc.record({ seats: fc.integer({ min: 1, max: 3 }), power: fc.integer({ min: 1, max: 9 }) }),
      {
        minLength: 2,
        maxLength: 12,
      },
    ),
    epochs: fc.array(
      fc.array(
        fc.record({
          kind: fc.constant("power" as const),
          pick: fc.nat(),
          factor: fc.integer({ min: 1, max: 4 }),
        }),
        {
          maxLength: 3,
        },
      ),
      { minLength: 1, maxLength: maxEpochs },
    ),
  });
}

/** The validators' seats after each election: validator number → powers of its seats 0, 1, … */
export function electionsOf(history: History): Seat[][] {
  const network = new Map<number, bigint[]>();
  let nextValidator = 1;
  for (const v of history.initial)
    network.set(
      nextValidator++,
      Array.from({ length: v.seats }, () => BigInt(v.power)),
    );
  const seatsOf = (): Seat[] =>
    [...network].flatMap(([validator, powers]) =>
      powers.map((power, index) => sampleSeat(validator, index, power)),
    );
  const out = [seatsOf()];
  for (const changes of history.epochs) {
    for (const c of changes) {
      const validators = [...network.keys()];
      const picked =
        validators.length === 0 ? undefined : validators[("pick" in c ? c.pick : 0) % validators.length]!;
      if (c.kind === "join")
        network.set(
          nextValidator++,
          Array.from({ length: c.seats }, () => BigInt(c.power)),
        );
      else if (picked === undefined) continue;
      else if (c.kind === "leave") network.delete(picked);
      else if (c.kind === "power")
        network.set(
          picked,
          network.get(picked)!.map((p) => p * BigInt(c.factor)),
        );
      else if (c.kind === "addSeat" && network.get(picked)!.length < 8) network.get(picked)!.push(1n);
      else if (c.kind === "dropSeat" && network.get(picked)!.length > 1) network.get(picked)!.pop();
    }
    out.push(seatsOf());
  }
  return out;
}

/** The randomness of epoch e of a run: sha256("sharding property" ‖ e). */
export function epochRandomness(epoch: number): Uint8Array {
  return sha256(new TextEncoder().encode(`sharding property ${epoch}`));
}

/** A resharding rule: the reference's, or a deliberately broken one. */
export type ReshardRule = (
  previous: ShardState,
  seats: readonly Seat[],
  rnd: Uint8Array,
  preset: Preset,
) => Result<Resharding>;

/** One transition of a run: the states on either side and the outcome of the rule. */
export interface Transition {
  readonly previous: ShardState;
  readonly seats: readonly Seat[];
  readonly resharding: Resharding;
}

/**
 * Runs a history: a fresh assignment of the first election, then `rule` for each later one (an election with
 * fewer seats than shards is skipped, as SHARD-NEXT keeps the committees in force). Returns every transition.
 */
export function runHistory(
  history: History,
  rule: ReshardRule,
  preset: Preset,
): { first: ShardState | null; transitions: Transition[] } {
  const elections = electionsOf(history);
  let state: ShardState | null = null;
  let first: ShardState | null = null;
  const transitions: Transition[] = [];
  elections.forEach((seats, epoch) => {
    if (seats.length < preset.numShards) return;
    if (state === null) {
      state = unwrap(assignFresh(seats, epochRandomness(epoch), BigInt(epoch + 1), preset));
      first = state;
      return;
    }
    const resharding = unwrap(rule(state, seats, epochRandomness(epoch), preset));
    transitions.push({ previous: state, seats, resharding });
    state = resharding.state;
  });
  return { first, transitions };
}

/** Per shard: the budget ⌊ρ · W_s / 100⌋ and the cost of the persistent seats moved out of and into it. */
export interface ChurnReport {
  readonly budget: readonly bigint[];
  readonly movedOut: readonly bigint[];
  readonly movedIn: readonly bigint[];
  /** Epoch-e power of the persistent seats of each home shard, and of those still there. */
  readonly persistent: readonly bigint[];
  readonly retained: readonly bigint[];
}

/**
 * Churn recomputed from the two states alone (not from the rule's own move list), leaving out the seats the
 * rule reports as exempt moves (which the property bounds separately).
 */
export function churnOf(t: Transition, preset: Preset): ChurnReport {
  const k = preset.numShards;
  const zero = () => new Array<bigint>(k).fill(0n);
  const budget = zero();
  const movedOut = zero();
  const movedIn = zero();
  const persistent = zero();
  const retained = zero();
  for (const seat of t.previous.seats) budget[seat.shard]! += seat.power;
  for (let s = 0; s < k; s++) budget[s] = (budget[s]! * BigInt(preset.reshardChurnPercent)) / 100n;
  const exempt = new Set(t.resharding.moves.filter((m) => m.reason === "exempt").map(seatId));
  const after = new Map(t.resharding.state.seats.map((seat) => [seatId(seat), seat.shard]));
  for (const seat of t.previous.seats) {
    const id = seatId(seat);
    const now = after.get(id);
    if (now === undefined) continue;
    persistent[seat.shard]! += seat.power;
    // A move that keeps a shard from being empty (L13) is outside the budget and the retention bound.
    if (now === seat.shard || exempt.has(id)) retained[seat.shard]! += seat.power;
    else {
      movedOut[seat.shard]! += seat.power;
      movedIn[now]! += seat.power;
    }
  }
  return { budget, movedOut, movedIn, persistent, retained };
}

/** Shard sizes in seats. */
export function sizesOf(state: ShardState, shards: number): number[] {
  const sizes = new Array<number>(shards).fill(0);
  for (const seat of state.seats) sizes[seat.shard]!++;
  return sizes;
}

/** A deliberately broken rule: a fresh assignment every epoch, ignoring where seats were. */
export const freshEveryEpoch: ReshardRule = (previous, seats, rnd, preset) => {
  const result = assignFresh(seats, rnd, previous.epoch + 1n, preset);
  return result.ok ? { ok: true, value: { state: result.value, moves: [] } } : result;
};

/** A deliberately broken rule: the reference's resharding with four times the budget it is allowed. */
export const quadrupleBudget: ReshardRule = (previous, seats, rnd, preset) =>
  reshard(previous, seats, rnd, { ...preset, reshardChurnPercent: preset.reshardChurnPercent * 4 });

/** A deliberately broken fresh assignment: mainnet's placement, big-endian(key) mod numShards. */
export function placeByKey(
  seats: readonly Seat[],
  rnd: Uint8Array,
  epoch: bigint,
  preset: Preset,
): ShardState {
  const ordered = unwrap(assignFresh(seats, rnd, epoch, preset));
  return {
    ...ordered,
    seats: ordered.seats.map((seat) => ({
      ...seat,
      shard: Number(BigInt(bytesToHex(seat.key)) % BigInt(preset.numShards)),
    })),
  };
}
