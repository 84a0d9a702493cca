import { describe, expect, it } from "vitest";
import { signedBytes } from "../../tools/testing/consensusNet.ts";
import { certificateBy, genesisSigners } from "../../tools/testing/consensusSigners.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { type Committee, checkCommittee } from "./committee.ts";
import { accountableOffenders, livenessTurnBound } from "./guarantees.ts";
import type { Committed } from "./messages.ts";

const SIGNERS = genesisSigners(0, 4);
const COMMITTEE: Committee = unwrap(
  checkCommittee(
    SIGNERS.map((s) => ({ publicKey: s.publicKey, power: 1n })),
    blstBls,
  ),
);
const H1 = new Uint8Array(32).fill(0x01);
const H2 = new Uint8Array(32).fill(0x02);

/**
 * A committed message of height `blockNum` decided in view `viewId` for a block of header view `blockViewId`:
 * its commit certificate signed by `committers`, its prepared certificate by `preparers`.
 */
function committedBy(
  blockNum: bigint,
  viewId: bigint,
  blockViewId: bigint,
  hash: Uint8Array,
  committers: readonly number[],
  preparers: readonly number[],
): Committed {
  const pick = (members: readonly number[]) => members.map((m) => SIGNERS[m]!);
  return {
    type: "committed",
    shardId: 0,
    blockNum,
    viewId,
    blockHash: hash,
    blockViewId,
    certificate: certificateBy(pick(committers), signedBytes.commit(blockNum, hash, blockViewId), 4),
    preparedCertificate: certificateBy(pick(preparers), signedBytes.prepare(blockNum, hash, viewId), 4),
  };
}

describe("accountability of two finalized blocks at one height", () => {
  const decided = committedBy(5n, 8n, 8n, H1, [0, 1, 2], [0, 1, 2]);

  // @covers FBFT-SAFETY.1 EVIDENCE-VERIFY.1
  it("convicts the members in both certificates of each kind that shares its view key", () => {
    const offenders = (other: Committed) => unwrap(accountableOffenders(decided, other, COMMITTEE, blstBls));
    // One view and one block view: both pairs conflict; here they convict the same members.
    expect(offenders(committedBy(5n, 8n, 8n, H2, [1, 2, 3], [1, 2, 3]))).toEqual([1, 2]);
    // A re-proposal of a block of view 8 decided in view 9: only the commit certificates conflict.
    expect(offenders(committedBy(5n, 9n, 8n, H2, [1, 2, 3], [0, 1, 3]))).toEqual([1, 2]);
    // A block of view 7 re-proposed and decided in view 8: only the prepared certificates conflict.
    expect(offenders(committedBy(5n, 8n, 7n, H2, [0, 1, 3], [0, 2, 3]))).toEqual([0, 2]);
    // Both pairs conflict with different common signers: the union, ascending.
    expect(offenders(committedBy(5n, 8n, 8n, H2, [1, 2, 3], [0, 2, 3]))).toEqual([0, 1, 2]);
  });

  // @covers FBFT-SAFETY.1
  it("refuses messages that are not two blocks of one height sharing a view key", () => {
    const code = (other: Committed) => resultCode(accountableOffenders(decided, other, COMMITTEE, blstBls));
    expect(code(committedBy(6n, 8n, 8n, H2, [1, 2, 3], [1, 2, 3]))).toBe("EVIDENCE_NOT_CONFLICTING");
    expect(code(committedBy(5n, 9n, 8n, H1, [1, 2, 3], [1, 2, 3]))).toBe("EVIDENCE_NOT_CONFLICTING");
    // Decided in different views from blocks of different views: not reduced to evidence.
    expect(code(committedBy(5n, 9n, 9n, H2, [1, 2, 3], [1, 2, 3]))).toBe("EVIDENCE_NOT_CONFLICTING");
    // A certificate that does not verify convicts no one.
    const forged = { ...committedBy(5n, 9n, 8n, H2, [1, 2, 3], [1, 2, 3]), certificate: decided.certificate };
    expect(code(forged)).toBe("EVIDENCE_BAD_SIGNATURE");
  });
});

describe("the liveness bound", () => {
  // @covers VIEW-LIVENESS.1
  it("allows the turn after the highest correct view, K faulty turns, and one correct leader's turn", () => {
    expect(livenessTurnBound(0n, 0n)).toBe(2n);
    expect(livenessTurnBound(7n, 0n)).toBe(9n);
    expect(livenessTurnBound(7n, 3n)).toBe(12n);
  });
});
