import { describe, expect, it } from "vitest";
import { sampleSeat } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { reshard } from "./reshard.ts";
import type { Seat } from "./seat.ts";
import { placeSeat, type ShardState } from "./shardState.ts";
import { shuffle, shuffleLabel } from "./shuffle.ts";

const RND = new Uint8Array(32).fill(0x33);
const OLD_RND = new Uint8Array(32).fill(0x44);

function withChurn(percent: number): Preset {
  return { ...MINIMAL, reshardChurnPercent: percent };
}

/** Validator v holds seat 0 of power `power`; the state places validator v in shards[v − 1]. */
function stateOf(shards: readonly number[], power = 1n): ShardState {
  return {
    epoch: 5n,
    rnd: OLD_RND,
    seats: shards.map((shard, i) => placeSeat(sampleSeat(i + 1, 0, power), shard)),
  };
}

function seatsOf(validators: readonly number[], power = 1n): Seat[] {
  return validators.map((v) => sampleSeat(v, 0, power));
}

/** Validator byte → shard, for readable expectations. */
function shardsOf(state: ShardState): Record<number, number> {
  return Object.fromEntries(state.seats.map((s) => [s.validator[19]!, s.shard]));
}

/** The first seat of Q_s: validator numbers of home s in canonical order, permuted by SHUFFLE(rnd, "order" ‖ s). */
function firstOfQueue(homeValidators: readonly number[], shard: number): number {
  return homeValidators[shuffle(RND, shuffleLabel("order", shard), homeValidators.length)[0]!]!;
}

describe("SHARD-RESHARD", () => {
  // @covers SHARD-RESHARD.1
  it("with a zero budget and the same seats, changes nothing but the epoch", () => {
    const previous = stateOf([0, 1, 1, 0]);
    const { state, moves } = unwrap(reshard(previous, seatsOf([4, 3, 2, 1]), RND, withChurn(0)));
    expect(state.epoch).toBe(6n);
    expect(state.rnd).toEqual(RND);
    expect(shardsOf(state)).toEqual({ 1: 0, 2: 1, 3: 1, 4: 0 });
    expect(moves).toEqual([]);
  });

  // @covers SHARD-RESHARD.1
  it("counts new seats into the smallest shards, refilling the places departures freed", () => {
    // Shard 0 holds 1, 2, 3 and shard 1 holds 4 and 5; 5 leaves, 6 and 7 join. Sizes 3 and 1: both growth
    // places go to shard 1 (1 < 3, then 2 < 3), so 6 and 7 land there whatever the shuffle.
    const previous = stateOf([0, 0, 0, 1, 1]);
    const { state, moves } = unwrap(reshard(previous, seatsOf([1, 2, 3, 4, 6, 7]), RND, withChurn(0)));
    expect(shardsOf(state)).toEqual({ 1: 0, 2: 0, 3: 0, 4: 1, 6: 1, 7: 1 });
    expect(moves).toEqual([]);
  });

  // @covers SHARD-RESHARD.1
  it("rebalances from the largest to the smallest shard until a budget runs out, then mixes within budgets", () => {
    // Shard 0: validators 1–5, shard 1: validator 6, power 10 each; 100%: budgets 50 and 10. One rebalancing
    // move (cost 10) empties shard 1's budget; sizes 4 and 2 stay 2 apart. Mixing: shard 0 may evict
    // ⌊40 / 2⌋ = 20, two seats, but both come from shard 0, so their pair exchanges nothing.
    const previous = stateOf([0, 0, 0, 0, 0, 1], 10n);
    const { state, moves } = unwrap(reshard(previous, seatsOf([1, 2, 3, 4, 5, 6], 10n), RND, withChurn(100)));
    const moved = firstOfQueue([1, 2, 3, 4, 5], 0);
    expect(moves.map((m) => [m.validator[19], m.from, m.to, m.reason])).toEqual([[moved, 0, 1, "rebalance"]]);
    const sizes = [0, 0];
    for (const seat of state.seats) sizes[seat.shard]!++;
    expect(sizes).toEqual([4, 2]);
    expect(shardsOf(state)[moved]).toBe(1);
  });

  // @covers SHARD-RESHARD.1
  it("keeps a shard from being empty even when the budgets forbid every move", () => {
    // Shard 1's only seat (validator 4) leaves, nobody joins, the budget is zero: L13 moves the first seat of
    // shard 0's queue, exempt from the budget.
    const previous = stateOf([0, 0, 0, 1]);
    const { state, moves } = unwrap(reshard(previous, seatsOf([1, 2, 3]), RND, withChurn(0)));
    const moved = firstOfQueue([1, 2, 3], 0);
    expect(moves.map((m) => [m.validator[19], m.from, m.to, m.reason])).toEqual([[moved, 0, 1, "exempt"]]);
    expect(shardsOf(state)[moved]).toBe(1);
  });

  // @covers SHARD-RESHARD.1
  it("exchanges evicted seats of two shards when both budgets pay", () => {
    // Two seats of power 1 per shard, 100%: budgets 2, allowances 1: each shard evicts the first seat of its
    // queue (budgets left 1 and 1); the pair comes from two shards and each budget pays 1 for the seat it
    // receives, so they exchange.
    const previous = stateOf([0, 0, 1, 1]);
    const { state, moves } = unwrap(reshard(previous, seatsOf([1, 2, 3, 4]), RND, withChurn(100)));
    const fromZero = firstOfQueue([1, 2], 0);
    const fromOne = firstOfQueue([3, 4], 1);
    expect(moves.map((m) => m.reason)).toEqual(["mix", "mix"]);
    expect(new Set(moves.map((m) => m.validator[19]))).toEqual(new Set([fromZero, fromOne]));
    expect(shardsOf(state)[fromZero]).toBe(1);
    expect(shardsOf(state)[fromOne]).toBe(0);
    // At 50% the budgets are 1, the allowances 0: nothing is evicted.
    expect(unwrap(reshard(previous, seatsOf([1, 2, 3, 4]), RND, withChurn(50))).moves).toEqual([]);
  });

  // @covers SHARD-RESHARD.1 SHARD-SEATS.1 SHARD-STATE.1
  it("refuses a malformed previous state, malformed seats, short randomness and too few seats", () => {
    const previous = stateOf([0, 1]);
    const code = (state: ShardState, seats: Seat[], rnd = RND) =>
      resultCode(reshard(state, seats, rnd, MINIMAL));
    expect(code(previous, seatsOf([1, 2]))).toBe("(accepted)");
    expect(code(stateOf([0, 0]), seatsOf([1, 2]))).toBe("SHARD_EMPTY");
    expect(code({ ...previous, seats: [...previous.seats].reverse() }, seatsOf([1, 2]))).toBe(
      "SHARD_STATE_ORDER",
    );
    expect(code({ ...previous, epoch: 2n ** 64n - 1n }, seatsOf([1, 2]))).toBe("SHARD_FIELD_INVALID");
    expect(code(previous, seatsOf([1, 1]))).toBe("SHARD_DUPLICATE_SEAT");
    expect(code(previous, seatsOf([1, 2]), new Uint8Array(0))).toBe("SHARD_FIELD_INVALID");
    expect(code(previous, seatsOf([1]))).toBe("SHARD_TOO_FEW_SEATS");
  });
});
