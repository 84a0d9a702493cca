import { attempt, type Result, SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { canonicalOrder, checkSeats, type Seat, seatId } from "./seat.ts";
import { checkShardState, type PlacedSeat, placeSeat, type ShardState } from "./shardState.ts";
import { permute, RANDOMNESS_BYTES, shuffle, shuffleLabel } from "./shuffle.ts";

/*
 * Non-interruptive resharding (§10.6): seats that stay keep their shard unless a budgeted move takes them
 * elsewhere; evicted seats exchange shards in random pairs and new seats are dealt at random into the free
 * places.
 */

const UINT64_LIMIT = 1n << 64n;

/** Why RESHARD moved a persistent seat to another shard. */
export type MoveReason = "rebalance" | "exempt" | "mix";

/**
 * A persistent seat that RESHARD placed in another shard than its home, in the order the moves happen.
 *
 * @spec SHARD-RESHARD.1
 */
export interface SeatMove {
  readonly validator: Uint8Array;
  readonly index: number;
  readonly from: number;
  readonly to: number;
  readonly reason: MoveReason;
}

/**
 * The shard state of the next epoch, and the moves of persistent seats that produced it.
 *
 * @spec SHARD-RESHARD.1
 */
export interface Resharding {
  readonly state: ShardState;
  readonly moves: readonly SeatMove[];
}

/** The shard with the fewest seats (or the most), the lowest-numbered among equals (SMALLEST, LARGEST). */
function extreme(size: readonly number[], largest: boolean): number {
  let best = 0;
  for (let s = 1; s < size.length; s++) {
    if (largest ? size[s]! > size[best]! : size[s]! < size[best]!) best = s;
  }
  return best;
}

/**
 * RESHARD(S, X, rnd) (L1–L25): the assignment of the next epoch from the shard state `previous` of this epoch,
 * the seats `seats` the election gave for the next one and this epoch's randomness. Each shard's moves of
 * persistent seats, out and in, cost at most ⌊reshardChurnPercent · W_s / 100⌋ of its power W_s in `previous`,
 * except a move that keeps a shard from being empty.
 *
 * @spec SHARD-RESHARD.1
 */
export function reshard(
  previous: ShardState,
  seats: readonly Seat[],
  rnd: Uint8Array,
  preset: Preset,
): Result<Resharding> {
  return attempt(() => {
    checkShardState(previous, preset); // RESHARD L1
    checkSeats(seats); // L1
    if (rnd.length !== RANDOMNESS_BYTES || previous.epoch + 1n >= UINT64_LIMIT) {
      throw new SpecError("SHARD_FIELD_INVALID", "randomness or next epoch out of domain"); // L1
    }
    const k = preset.numShards; // L2
    if (seats.length < k) {
      throw new SpecError("SHARD_TOO_FEW_SEATS", `${seats.length} seats cannot staff ${k} shards`); // L2
    }
    const ordered = canonicalOrder(seats); // L3
    const before = new Map(previous.seats.map((seat) => [seatId(seat), seat]));
    const home: number[] = [];
    const cost: bigint[] = [];
    const shardOf: number[] = [];
    const newSeats: number[] = [];
    for (let i = 0; i < ordered.length; i++) {
      const old = before.get(seatId(ordered[i]!));
      home.push(old === undefined ? -1 : old.shard); // L3
      cost.push(old === undefined ? 0n : old.power);
      shardOf.push(old === undefined ? -1 : old.shard);
      if (old === undefined) newSeats.push(i);
    }
    const budget: bigint[] = [];
    const queue: number[][] = [];
    const size: number[] = [];
    const growth: number[] = [];
    const churn = BigInt(preset.reshardChurnPercent);
    for (let s = 0; s < k; s++) {
      let power = 0n;
      for (const seat of previous.seats) if (seat.shard === s) power += seat.power;
      budget.push((churn * power) / 100n); // L4
      const persistent: number[] = [];
      for (let i = 0; i < ordered.length; i++) if (home[i] === s) persistent.push(i);
      queue.push(permute(persistent, shuffle(rnd, shuffleLabel("order", s), persistent.length))); // L5
      size.push(persistent.length);
      growth.push(0);
    }
    for (let n = 0; n < newSeats.length; n++) {
      const t = extreme(size, false); // L6
      growth[t]!++;
      size[t]!++;
    }
    const moves: SeatMove[] = [];
    const move = (i: number, from: number, to: number, reason: MoveReason): void => {
      shardOf[i] = to;
      moves.push({ validator: ordered[i]!.validator, index: ordered[i]!.index, from, to, reason });
    };
    for (;;) {
      // L7
      const a = extreme(size, true); // L8
      const b = extreme(size, false);
      if (size[a]! - size[b]! <= 1) break; // L8
      const x = queue[a]!.find((i) => shardOf[i] === a && cost[i]! <= budget[a]! && cost[i]! <= budget[b]!); // L9
      if (x === undefined) break; // L9
      move(x, a, b, "rebalance"); // L10
      budget[a] = budget[a]! - cost[x]!;
      budget[b] = budget[b]! - cost[x]!;
      size[a]!--;
      size[b]!++;
    }
    for (let t = 0; t < k; t++) {
      if (size[t] !== 0) continue; // L11
      const a = extreme(size, true); // L12
      if (growth[a]! > 0) {
        growth[a]!--; // L12
        growth[t]!++;
      } else {
        const x = queue[a]!.find((i) => shardOf[i] === a); // L13
        // A largest shard of ≥ 2 seats with no growth place holds a seat of its own (§10.6).
        if (x === undefined) throw new Error("RESHARD L13: the largest shard has no seat of its own");
        move(x, a, t, "exempt"); // L13
      }
      size[a]!--; // L14
      size[t]!++;
    }
    const evicted: number[] = []; // L15
    for (let s = 0; s < k; s++) {
      let allowance = budget[s]! / 2n; // L16
      for (const x of queue[s]!) {
        if (shardOf[x] !== s || cost[x]! > allowance) continue; // L16, L17
        allowance -= cost[x]!; // L17
        budget[s] = budget[s]! - cost[x]!;
        evicted.push(x);
      }
    }
    const pairs = permute(evicted, shuffle(rnd, shuffleLabel("pool"), evicted.length)); // L18
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      const x = pairs[i]!; // L19
      const y = pairs[i + 1]!;
      const g = home[x]!;
      const h = home[y]!;
      if (g === h || cost[x]! > budget[h]! || cost[y]! > budget[g]!) continue; // L20
      move(x, g, h, "mix"); // L21
      move(y, h, g, "mix");
      budget[h] = budget[h]! - cost[x]!;
      budget[g] = budget[g]! - cost[y]!;
    }
    const places: number[] = []; // L22
    for (let s = 0; s < k; s++) for (let g = 0; g < growth[s]!; g++) places.push(s);
    const dealt = permute(newSeats, shuffle(rnd, shuffleLabel("new"), newSeats.length)); // L23
    for (let j = 0; j < dealt.length; j++) shardOf[dealt[j]!] = places[j]!; // L24
    const placed: PlacedSeat[] = ordered.map((seat, i) => placeSeat(seat, shardOf[i]!));
    return { state: { epoch: previous.epoch + 1n, rnd, seats: placed }, moves }; // L25
  });
}
