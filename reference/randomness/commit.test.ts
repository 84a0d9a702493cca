import { describe, expect, it } from "vitest";
import { malformedPoint } from "../../tools/testing/blsSamples.ts";
import {
  aggregateProofOf,
  beaconCommittee,
  bitmapOf,
  commitFieldOf,
  pRndFromAggregate,
  vrfProofOf,
} from "../../tools/testing/drgFixtures.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL } from "../params/presets.ts";
import {
  buildCommitField,
  checkCommitField,
  DRG_COMMIT_FIELD_MAX_BYTES,
  type VerifiedShare,
} from "./commit.ts";
import { drgSeed } from "./seed.ts";

// Powers 5, 3, 2, 2, 1, 1, 1: W = 15, so a commitment needs P ≥ 6 (3 · 6 = 18 > 15; 3 · 5 = 15 is not).
const SIM = beaconCommittee([5n, 3n, 2n, 2n, 1n, 1n, 1n]);
const SEED = drgSeed({ blockNum: 9n, viewId: 3n, parentHash: new Uint8Array(32).fill(7) }, MINIMAL);
const OTHER_SEED = drgSeed({ blockNum: 9n, viewId: 4n, parentHash: new Uint8Array(32).fill(7) }, MINIMAL);

function sharesOf(signers: readonly number[], seed: Uint8Array = SEED): VerifiedShare[] {
  return signers.map((signer) => ({ signer, proof: vrfProofOf(SIM.secretKeys[signer]!, seed) }));
}

const check = (vrf: Uint8Array, seed: Uint8Array = SEED) =>
  checkCommitField(vrf, SIM.committee, seed, blstBls);

describe("DRG-COMMIT-BUILD", () => {
  // @covers DRG-COMMIT-BUILD.1
  it("puts the signers' bitmap and the aggregate of their proofs in RLP([bitmap, σ])", () => {
    // Members 0 and 4: bits 0 and 4 of one byte, 0x11; power 6.
    const built = unwrap(buildCommitField(sharesOf([4, 0]), SIM.committee, blstBls));
    expect(Array.from(bitmapOf(7, [0, 4]))).toEqual([0x11]);
    expect(built).toEqual(commitFieldOf(SIM, [0, 4], SEED));
    expect(unwrap(buildCommitField(sharesOf([0, 4]), SIM.committee, nobleBls))).toEqual(built);
  });

  // @covers DRG-COMMIT-BUILD.1
  it("needs more than a third of the power, and one share per known member", () => {
    const build = (shares: VerifiedShare[]) => resultCode(buildCommitField(shares, SIM.committee, blstBls));
    expect(build(sharesOf([0]))).toBe("DRG_INSUFFICIENT_POWER"); // 5 of 15
    expect(build(sharesOf([1, 2]))).toBe("DRG_INSUFFICIENT_POWER"); // 5 of 15
    expect(build([])).toBe("DRG_INSUFFICIENT_POWER");
    expect(build(sharesOf([2, 3, 4, 5, 6]))).toBe("(accepted)"); // 7 of 15
    expect(build([...sharesOf([0, 4]), ...sharesOf([4])])).toBe("DRG_SHARE_DUPLICATE");
    expect(build([...sharesOf([0, 4]), { signer: 7, proof: sharesOf([1])[0]!.proof }])).toBe(
      "DRG_SHARE_UNKNOWN_SIGNER",
    );
    expect(build([...sharesOf([0, 4]), { signer: -1, proof: sharesOf([1])[0]!.proof }])).toBe(
      "DRG_SHARE_UNKNOWN_SIGNER",
    );
  });
});

describe("DRG-COMMIT-CHECK", () => {
  // @covers DRG-COMMIT-CHECK.1
  it("accepts an aggregate over the seed of signers with more than a third of the power; pRnd hashes σ", () => {
    const vrf = commitFieldOf(SIM, [0, 4], SEED);
    const commitment = unwrap(check(vrf));
    expect(commitment.signers).toEqual([0, 4]);
    expect(commitment.power).toBe(6n);
    expect(commitment.pRnd).toEqual(pRndFromAggregate(aggregateProofOf(SIM, [0, 4], SEED)));
    expect(unwrap(checkCommitField(vrf, SIM.committee, SEED, nobleBls))).toEqual(commitment);
  });

  // @covers DRG-COMMIT-CHECK.1
  it("counts power exactly: a third is not enough, a committee of three needs two", () => {
    const three = beaconCommittee([1n, 1n, 1n]);
    const at = (signers: number[]) =>
      resultCode(checkCommitField(commitFieldOf(three, signers, SEED), three.committee, SEED, blstBls));
    expect(at([1])).toBe("DRG_INSUFFICIENT_POWER");
    expect(at([0, 2])).toBe("(accepted)");
  });

  // @covers DRG-COMMIT-CHECK.1
  it("rejects malformed fields, bad bitmaps, too little power and an aggregate that does not verify", () => {
    const sigma = aggregateProofOf(SIM, [0, 4], SEED);
    const bitmap = bitmapOf(7, [0, 4]);
    expect(resultCode(check(new Uint8Array(0)))).toBe("DRG_COMMIT_MALFORMED");
    expect(resultCode(check(Uint8Array.of(0xc1)))).toBe("DRG_COMMIT_MALFORMED"); // truncated RLP
    expect(resultCode(check(rlpEncode(sigma)))).toBe("DRG_COMMIT_MALFORMED");
    expect(resultCode(check(rlpEncode([bitmap, sigma, sigma])))).toBe("DRG_COMMIT_MALFORMED");
    expect(resultCode(check(rlpEncode([[bitmap], sigma])))).toBe("DRG_COMMIT_MALFORMED");
    expect(resultCode(check(rlpEncode([bitmap, sigma.subarray(1)])))).toBe("DRG_COMMIT_MALFORMED");
    expect(resultCode(check(rlpEncode([Uint8Array.of(0x11, 0), sigma])))).toBe("BITMAP_LENGTH");
    expect(resultCode(check(rlpEncode([Uint8Array.of(0x91), sigma])))).toBe("BITMAP_STRAY_BITS");
    expect(resultCode(check(commitFieldOf(SIM, [1, 2], SEED)))).toBe("DRG_INSUFFICIENT_POWER");
    expect(resultCode(check(rlpEncode([Uint8Array.of(0), sigma])))).toBe("DRG_INSUFFICIENT_POWER");
    // σ of members 0 and 5 under the bitmap of 0 and 4; σ of the right members over another view's seed.
    expect(resultCode(check(rlpEncode([bitmap, aggregateProofOf(SIM, [0, 5], SEED)])))).toBe(
      "DRG_BAD_AGGREGATE",
    );
    expect(resultCode(check(commitFieldOf(SIM, [0, 4], OTHER_SEED)))).toBe("DRG_BAD_AGGREGATE");
    expect(resultCode(check(commitFieldOf(SIM, [0, 4], SEED), OTHER_SEED))).toBe("DRG_BAD_AGGREGATE");
    const offCurve = malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", sigma);
    expect(resultCode(check(rlpEncode([bitmap, offCurve])))).toBe("BLS_POINT_NOT_ON_CURVE");
  });

  // @covers DRG-COMMIT-CHECK.1
  it("bounds the field: RLP([bitmap, σ]) of a committee of 65536 is DRG_COMMIT_FIELD_MAX_BYTES", () => {
    expect(rlpEncode([new Uint8Array(8192), new Uint8Array(96)]).length).toBe(DRG_COMMIT_FIELD_MAX_BYTES);
    expect(DRG_COMMIT_FIELD_MAX_BYTES).toBe(8296);
  });
});
