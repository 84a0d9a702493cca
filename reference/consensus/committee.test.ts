import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { malformedPoint } from "../../tools/testing/blsSamples.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { keyGen } from "../crypto/bls/keyGen.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import {
  type CommitteeMember,
  checkCommittee,
  genesisCommittee,
  genesisValidatorSecretKey,
  isBlocking,
  isQuorum,
  powerOf,
  publicKeysOf,
} from "./committee.ts";

const KEYS = [0, 1, 2].map((i) => unwrap(blstBls.secretToPublic(genesisValidatorSecretKey(0, i))));

function members(powers: readonly bigint[], keys: readonly Uint8Array[] = KEYS): CommitteeMember[] {
  return powers.map((power, i) => ({ publicKey: keys[i]!, power }));
}

describe("committee check", () => {
  // @covers COMMITTEE-FORMAT.1
  it("accepts distinct valid keys with powers ≥ 1 and sums the power", () => {
    const committee = unwrap(checkCommittee(members([3n, 1n, 7n]), blstBls));
    expect(committee.totalPower).toBe(11n);
    expect(committee.members.map((m) => m.power)).toEqual([3n, 1n, 7n]);
  });

  // @covers COMMITTEE-FORMAT.1
  it("rejects each malformed committee with the code of its first failing line", () => {
    const badKey = malformedPoint("G1", "BLS_POINT_NOT_ON_CURVE", KEYS[0]!);
    const cases: readonly [string, readonly CommitteeMember[]][] = [
      ["COMMITTEE_EMPTY", []],
      ["BLS_POINT_NOT_ON_CURVE", members([1n, 1n], [KEYS[0]!, badKey])],
      ["COMMITTEE_POWER_INVALID", members([1n, 0n])],
      ["COMMITTEE_POWER_INVALID", members([-5n])],
      ["COMMITTEE_DUPLICATE_KEY", members([1n, 1n, 1n], [KEYS[0]!, KEYS[1]!, KEYS[0]!])],
      // L4 before L5 for one member; an earlier member's failure before a later one's
      ["BLS_POINT_NOT_ON_CURVE", members([0n], [badKey])],
      ["COMMITTEE_POWER_INVALID", members([0n, 1n], [KEYS[0]!, badKey])],
      ["COMMITTEE_DUPLICATE_KEY", members([1n, 1n, 0n], [KEYS[0]!, KEYS[0]!, KEYS[1]!])],
    ];
    for (const [expected, list] of cases) expect(resultCode(checkCommittee(list, blstBls))).toBe(expected);
  });

  // @covers COMMITTEE-FORMAT.1
  it("rejects more than 65536 members before looking at any key", () => {
    const tooMany = new Array<CommitteeMember>(65537).fill({ publicKey: new Uint8Array(0), power: 1n });
    expect(resultCode(checkCommittee(tooMany, blstBls))).toBe("BITMAP_COMMITTEE_SIZE");
  });

  // @covers COMMITTEE-FORMAT.1
  it("lists the keys of the named members in the order named", () => {
    const committee = unwrap(checkCommittee(members([1n, 1n, 1n]), blstBls));
    expect(publicKeysOf(committee, [2, 0])).toEqual([KEYS[2], KEYS[0]]);
    expect(powerOf(unwrap(checkCommittee(members([4n, 2n, 9n]), blstBls)), [0, 2])).toBe(13n);
  });
});

describe("genesis committee", () => {
  // @covers COMMITTEE-GENESIS.1
  it("derives slot keys from the public label with BLS-KEYGEN and empty key_info", () => {
    const label = new TextEncoder().encode("harmony-spec genesis validator 1 3");
    expect(genesisValidatorSecretKey(1, 3)).toEqual(unwrap(keyGen(sha256(label), new Uint8Array(0))));
    const label10 = new TextEncoder().encode("harmony-spec genesis validator 0 10");
    expect(genesisValidatorSecretKey(0, 10)).toEqual(unwrap(keyGen(sha256(label10))));
  });

  // @covers COMMITTEE-GENESIS.1
  it("has slotsPerShard members of power 1 holding those keys, in slot order", () => {
    const committee = genesisCommittee(1, MINIMAL, nobleBls);
    expect(committee.members.length).toBe(MINIMAL.slotsPerShard);
    expect(committee.totalPower).toBe(BigInt(MINIMAL.slotsPerShard));
    for (let i = 0; i < MINIMAL.slotsPerShard; i++) {
      expect(committee.members[i]!.power).toBe(1n);
      expect(committee.members[i]!.publicKey).toEqual(
        unwrap(nobleBls.secretToPublic(genesisValidatorSecretKey(1, i))),
      );
    }
    const otherShard = genesisCommittee(0, MINIMAL, blstBls);
    expect(otherShard.members[0]!.publicKey).not.toEqual(committee.members[0]!.publicKey);
    expect(genesisCommittee(0, MAINNET, blstBls).members.length).toBe(200);
  });
});

describe("quorum arithmetic", () => {
  // @covers FBFT-QUORUM.1
  it("puts the exact boundaries 3P = 2W and 3P = W outside", () => {
    expect(isQuorum(2n, 3n)).toBe(false);
    expect(isQuorum(3n, 3n)).toBe(true);
    expect(isQuorum(4n, 6n)).toBe(false);
    expect(isQuorum(5n, 7n)).toBe(true); // 15 > 14
    expect(isQuorum(66n, 100n)).toBe(false);
    expect(isQuorum(67n, 100n)).toBe(true);
    expect(isBlocking(1n, 3n)).toBe(false);
    expect(isBlocking(2n, 6n)).toBe(false);
    expect(isBlocking(34n, 100n)).toBe(true);
    expect(isBlocking(33n, 100n)).toBe(false);
  });

  // @covers FBFT-QUORUM.1
  it("agrees with the smallest quorum ⌊2W/3⌋ + 1 and the smallest blocking set ⌊W/3⌋ + 1", () => {
    fc.assert(
      fc.property(
        fc
          .bigInt({ min: 1n, max: 1n << 80n })
          .chain((w) => fc.tuple(fc.constant(w), fc.bigInt({ min: 0n, max: w }))),
        ([w, power]) => {
          expect(isQuorum(power, w)).toBe(power >= (2n * w) / 3n + 1n);
          expect(isBlocking(power, w)).toBe(power >= w / 3n + 1n);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
