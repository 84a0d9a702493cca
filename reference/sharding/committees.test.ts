import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { sampleKey, validatorAddress } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL } from "../params/presets.ts";
import { shardCommittee } from "./committees.ts";
import type { PlacedSeat, ShardState } from "./shardState.ts";

const RND = new Uint8Array(32).fill(0x55);

function placed(validator: number, index: number, key: number, power: bigint, shard: number): PlacedSeat {
  return { validator: validatorAddress(validator), index, key: sampleKey(key), power, shard };
}

/** Keys ordered as L5 says, computed with node's SHA-256. */
function ranked(keys: number[]): number[] {
  const digest = (k: number) => createHash("sha256").update(RND).update(sampleKey(k)).digest("hex");
  return [...keys].sort((a, b) => (digest(a) < digest(b) ? -1 : 1));
}

describe("SHARD-COMMITTEES", () => {
  // @covers SHARD-COMMITTEES.1
  it("merges the seats of one key into one member and orders members by sha256(rnd ‖ key)", () => {
    // Validator 1 has three adaptive shares on keys 10, 11, 10; validator 2 one seat on key 20; validator 3
    // sits in shard 1.
    const state: ShardState = {
      epoch: 3n,
      rnd: RND,
      seats: [
        placed(1, 0, 10, 1n, 0),
        placed(1, 1, 11, 1n, 0),
        placed(1, 2, 10, 1n, 0),
        placed(2, 0, 20, 7n, 0),
        placed(3, 0, 30, 1n, 1),
      ],
    };
    const committee = unwrap(shardCommittee(state, 0, MINIMAL, blstBls));
    const power = new Map([
      [10, 2n],
      [11, 1n],
      [20, 7n],
    ]);
    expect(committee.members).toEqual(
      ranked([10, 11, 20]).map((k) => ({ publicKey: sampleKey(k), power: power.get(k) })),
    );
    expect(committee.totalPower).toBe(10n);
    expect(unwrap(shardCommittee(state, 1, MINIMAL, blstBls)).members).toEqual([
      { publicKey: sampleKey(30), power: 1n },
    ]);
  });

  // @covers SHARD-COMMITTEES.1
  it("refuses an unknown shard, and a key that is not a curve point through COMMITTEE-CHECK", () => {
    const state: ShardState = {
      epoch: 3n,
      rnd: RND,
      seats: [placed(1, 0, 10, 1n, 0), placed(2, 0, 20, 1n, 1)],
    };
    expect(resultCode(shardCommittee(state, 2, MINIMAL, blstBls))).toBe("SHARD_UNKNOWN");
    const bad = { ...state, seats: [{ ...state.seats[0]!, key: new Uint8Array(48) }, state.seats[1]!] };
    expect(resultCode(shardCommittee(bad, 0, MINIMAL, blstBls))).toMatch(/^BLS_/);
  });
});
