import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { rlpEncode } from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import {
  buildCommitField,
  buildRevealField,
  checkCommitField,
  type DrgHeader,
  drgAdvance,
  drgCommitHeight,
  drgEpochStart,
  drgRevealHeight,
  drgSeed,
  type VerifiedShare,
} from "../../reference/randomness/index.ts";
import { beaconCommittee, bitmapOf } from "../../tools/testing/drgFixtures.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { allShares } from "./adversary.ts";

/*
 * Rnd is a function of the committed shares only (§9.4): the signer set fixes the commitment byte for byte,
 * whatever order the shares arrived in and whatever other shares the leader held, and no other aggregate
 * passes for that signer set.
 */

const PRESET: Preset = { ...MINIMAL, vdfIterations: 8n };
const POWERS = [5n, 3n, 2n, 2n, 1n, 1n, 1n];
const TOTAL = 15n;
const SIM = beaconCommittee(POWERS);
const ROUND = {
  blockNum: drgCommitHeight(1n, PRESET),
  viewId: 3n,
  parentHash: new Uint8Array(32).fill(0x3c),
};
const SEED = drgSeed(ROUND, PRESET);
const SHARES = allShares(SIM, ROUND, PRESET);
const OTHER_VIEW = allShares(SIM, { ...ROUND, viewId: 4n }, PRESET);
const MEMBERS = [0, 1, 2, 3, 4, 5, 6];
const RUNS = { numRuns: 30 };

/** Signer sets with more than a third of the power, summed here rather than with the rule's helper. */
const committable = fc
  .subarray(MEMBERS, { minLength: 1 })
  .filter((signers) => 3n * signers.reduce((sum, s) => sum + POWERS[s]!, 0n) > TOTAL);

const build = (shares: readonly VerifiedShare[]) => unwrap(buildCommitField(shares, SIM.committee, blstBls));
const check = (vrf: Uint8Array) => checkCommitField(vrf, SIM.committee, SEED, blstBls);

/** The Rnd of the epoch whose commit block carries `vrf`, by DRG-ADVANCE over the commit and reveal headers. */
function epochRnd(vrf: Uint8Array): string {
  const header = (number: bigint, fields: Partial<DrgHeader>): DrgHeader => ({
    shardId: 0,
    number,
    viewId: ROUND.viewId,
    parentHash: ROUND.parentHash,
    vrf: new Uint8Array(0),
    vdf: new Uint8Array(0),
    ...fields,
  });
  const committed = unwrap(
    drgAdvance(drgEpochStart(1n), header(ROUND.blockNum, { vrf }), SIM.committee, PRESET, blstBls),
  );
  const vdf = unwrap(buildRevealField(committed.pRnd!, PRESET));
  const revealed = unwrap(
    drgAdvance(committed, header(drgRevealHeight(1n, PRESET), { vdf }), SIM.committee, PRESET, blstBls),
  );
  return bytesToHex(revealed.rnd!);
}

describe("randomness property: Rnd is a function of the committed shares only", () => {
  // @covers DRG-COMMIT-BUILD.1 DRG-COMMIT-CHECK.1 DRG-ADVANCE.1
  it("the order in which shares arrive changes neither the commitment nor pRnd nor Rnd", () => {
    fc.assert(
      fc.property(
        committable.chain((signers) =>
          fc.tuple(fc.constant(signers), fc.shuffledSubarray(signers, { minLength: signers.length })),
        ),
        ([signers, arrival]) => {
          const inOrder = build(signers.map((s) => SHARES[s]!));
          const shuffled = build(arrival.map((s) => SHARES[s]!));
          expect(shuffled).toEqual(inOrder);
          expect(unwrap(check(shuffled)).signers).toEqual(signers);
          expect(epochRnd(shuffled)).toBe(epochRnd(inOrder));
        },
      ),
      RUNS,
    );
  });

  // @covers DRG-COMMIT-BUILD.1 DRG-COMMIT-CHECK.1
  it("shares outside the bitmap do not matter: no aggregate but the bitmap's own passes for it", () => {
    fc.assert(
      fc.property(committable, fc.subarray(MEMBERS), (signers, held) => {
        const outside = held.filter((s) => !signers.includes(s));
        // An aggregate that also counts a share outside the bitmap, or a share of another view, is refused.
        const bitmap = bitmapOf(7, signers);
        const proofs = signers.map((s) => SHARES[s]!.proof);
        for (const extra of outside) {
          const sigma = unwrap(blstBls.aggregateSignatures([...proofs, SHARES[extra]!.proof]));
          expect(resultCode(check(rlpEncode([bitmap, sigma])))).toBe("DRG_BAD_AGGREGATE");
        }
        const mixed = unwrap(
          blstBls.aggregateSignatures([OTHER_VIEW[signers[0]!]!.proof, ...proofs.slice(1)]),
        );
        expect(resultCode(check(rlpEncode([bitmap, mixed])))).toBe("DRG_BAD_AGGREGATE");
      }),
      RUNS,
    );
  });

  // @covers DRG-COMMIT-CHECK.1
  it("different signer sets give different pRnd values", () => {
    fc.assert(
      fc.property(committable, committable, (a, b) => {
        fc.pre(a.join() !== b.join());
        const pa = unwrap(check(build(a.map((s) => SHARES[s]!)))).pRnd;
        const pb = unwrap(check(build(b.map((s) => SHARES[s]!)))).pRnd;
        expect(bytesToHex(pa)).not.toBe(bytesToHex(pb));
      }),
      RUNS,
    );
  });
});
