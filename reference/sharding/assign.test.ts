import { describe, expect, it } from "vitest";
import { sampleSeat } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { assignFresh } from "./assign.ts";
import { shuffle, shuffleLabel } from "./shuffle.ts";

const RND = new Uint8Array(32).fill(0x22);

describe("SHARD-ASSIGN", () => {
  // @covers SHARD-ASSIGN.1 SHARD-SEATS.1
  it('sorts the seats, permutes them by SHUFFLE(rnd, "assign") and deals shards 0, 1, 0, 1, …', () => {
    // Given out of order; canonical order is (1,0) (1,1) (2,0) (3,0) (3,1) = positions 0 … 4.
    const seats = [
      sampleSeat(3, 1, 1n),
      sampleSeat(1, 1, 1n),
      sampleSeat(2, 0, 9n),
      sampleSeat(1, 0, 1n),
      sampleSeat(3, 0, 1n),
    ];
    // SHUFFLE(0x22…22, "assign", 5) = [3, 1, 2, 0, 4] (shuffle.test.ts checks SHUFFLE against the rule):
    // j = 0 → position 3 → shard 0; j = 1 → position 1 → shard 1; j = 2 → position 2 → shard 0;
    // j = 3 → position 0 → shard 1; j = 4 → position 4 → shard 0.
    expect(shuffle(RND, shuffleLabel("assign"), 5)).toEqual([3, 1, 2, 0, 4]);
    const state = unwrap(assignFresh(seats, RND, 4n, MINIMAL));
    expect(state.epoch).toBe(4n);
    expect(state.rnd).toEqual(RND);
    expect(state.seats.map((s) => [s.validator[19], s.index, s.shard])).toEqual([
      [1, 0, 1],
      [1, 1, 1],
      [2, 0, 0],
      [3, 0, 0],
      [3, 1, 0],
    ]);
    expect(state.seats[2]!.power).toBe(9n);
  });

  // @covers SHARD-ASSIGN.1
  it("gives shard sizes that differ by at most one, the lower shards the larger", () => {
    const seats = Array.from({ length: 7 }, (_, v) => sampleSeat(v, 0, 1n));
    const network = { ...MAINNET, numShards: 3 };
    const sizes = [0, 0, 0];
    for (const seat of unwrap(assignFresh(seats, RND, 1n, network)).seats) sizes[seat.shard]!++;
    expect(sizes).toEqual([3, 2, 2]); // ⌈(7 − s) / 3⌉
  });

  // @covers SHARD-ASSIGN.1 SHARD-SEATS.1
  it("refuses malformed seats, short randomness and fewer seats than shards", () => {
    const seat = sampleSeat(1, 0, 1n);
    const two = [seat, sampleSeat(2, 0, 1n)];
    const code = (seats = two, rnd = RND, epoch = 1n) => resultCode(assignFresh(seats, rnd, epoch, MINIMAL));
    expect(code()).toBe("(accepted)");
    expect(code([{ ...seat, power: 0n }, two[1]!])).toBe("SHARD_FIELD_INVALID");
    expect(code([{ ...seat, key: new Uint8Array(47) }, two[1]!])).toBe("SHARD_FIELD_INVALID");
    expect(code([{ ...seat, index: -1 }, two[1]!])).toBe("SHARD_FIELD_INVALID");
    expect(code([seat, { ...two[1]!, validator: seat.validator, index: 0 }])).toBe("SHARD_DUPLICATE_SEAT");
    expect(code([seat, { ...two[1]!, key: seat.key }])).toBe("SHARD_KEY_CONFLICT");
    expect(code([seat, { ...seat, index: 1 }])).toBe("(accepted)"); // one validator may reuse its key
    expect(code(two, new Uint8Array(31))).toBe("SHARD_FIELD_INVALID");
    expect(code(two, RND, 2n ** 64n)).toBe("SHARD_FIELD_INVALID");
    expect(code([seat])).toBe("SHARD_TOO_FEW_SEATS");
  });
});
