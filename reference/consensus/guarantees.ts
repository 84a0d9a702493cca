import type { BlsBackend } from "../crypto/bls/backend.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Committee } from "./committee.ts";
import { type DoubleSignEvidence, signedVoteOfCertificate, verifyEvidence } from "./evidence.ts";
import type { Committed } from "./messages.ts";

/*
 * The quantities the statements of FBFT-SAFETY.1 and VIEW-LIVENESS.1 are about, as functions, so that
 * every checker of those properties computes them the same way.
 */

/**
 * ACCOUNTABLE(c, c') (L1–L6) of FBFT-SAFETY.1: the members convicted by two committed messages of one height
 * for different blocks. Commit certificates of one block view conflict under the commit view key, prepared
 * certificates of one view under the prepare view key; each pair that shares its key is evidence, and the
 * offenders of all of them, ascending, are returned. Two blocks decided in different views with different
 * block views are not reduced to evidence (§6.5), and raise EVIDENCE_NOT_CONFLICTING, as do two messages of
 * different heights or for one block. Raises EVIDENCE-VERIFY.1's codes for a pair that does not verify.
 *
 * @spec FBFT-SAFETY.1
 */
export function accountableOffenders(
  first: Committed,
  second: Committed,
  committee: Committee,
  bls: BlsBackend,
): Result<number[]> {
  return attempt(() => {
    if (first.blockNum !== second.blockNum || bytesEqual(first.blockHash, second.blockHash)) {
      throw new SpecError("EVIDENCE_NOT_CONFLICTING", "the messages are for different heights or one block"); // L1
    }
    const evidence: DoubleSignEvidence[] = []; // ACCOUNTABLE L2
    if (first.blockViewId === second.blockViewId) {
      evidence.push({
        first: signedVoteOfCertificate(
          "commit",
          first.blockNum,
          first.blockViewId,
          first.blockHash,
          first.certificate,
        ),
        second: signedVoteOfCertificate(
          "commit",
          second.blockNum,
          second.blockViewId,
          second.blockHash,
          second.certificate,
        ),
      }); // ACCOUNTABLE L3
    }
    if (first.viewId === second.viewId) {
      evidence.push({
        first: signedVoteOfCertificate(
          "prepare",
          first.blockNum,
          first.viewId,
          first.blockHash,
          first.preparedCertificate,
        ),
        second: signedVoteOfCertificate(
          "prepare",
          second.blockNum,
          second.viewId,
          second.blockHash,
          second.preparedCertificate,
        ),
      }); // ACCOUNTABLE L4
    }
    if (evidence.length === 0) {
      throw new SpecError(
        "EVIDENCE_NOT_CONFLICTING",
        `decided in views ${first.viewId} and ${second.viewId} from block views ${first.blockViewId} and ${second.blockViewId}`,
      ); // ACCOUNTABLE L5
    }
    const offenders = new Set<number>();
    for (let i = 0; i < evidence.length; i++) {
      const convicted = unwrap(verifyEvidence(evidence[i]!, committee, bls));
      for (let j = 0; j < convicted.length; j++) offenders.add(convicted[j]!);
    }
    const ascending: number[] = [];
    for (const offender of offenders) ascending.push(offender);
    ascending.sort((a, b) => a - b);
    return ascending; // ACCOUNTABLE L6
  });
}

/**
 * TURN-BOUND(TURN(y), K) of VIEW-LIVENESS.1: the last turn in which a height is decided after GST, given the
 * turn of the highest view a correct member held when every correct member had reached the height and the
 * longest run K of consecutive turns with faulty leaders: TURN(y) + K + 2 (the turn after y, K faulty turns,
 * and the correct leader's turn).
 *
 * @spec VIEW-LIVENESS.1
 */
export function livenessTurnBound(highestCorrectTurn: bigint, longestFaultyRun: bigint): bigint {
  return highestCorrectTurn + longestFaultyRun + 2n;
}
