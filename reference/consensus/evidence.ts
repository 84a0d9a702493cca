import { z } from "zod";
import { decodeBitmap, encodeBitmap } from "../crypto/bitmap.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { BLS_SIGNATURE_LENGTH } from "../crypto/bls/ciphersuite.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  hexBytesOfLength,
  hexTextOfLength,
  parseWith,
} from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { UINT64_LIMIT } from "../ledger/account.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Certificate } from "./certificate.ts";
import { type Committee, publicKeysOf } from "./committee.ts";
import { BLOCK_HASH_BYTES, commitPayload, preparePayload } from "./payloads.ts";
import type { Vote } from "./voteKeeper.ts";

/*
 * Signed votes and double-sign evidence (§6.5).
 */

/**
 * A signed vote: the aggregate of the PREPARE(blockNum, blockHash, viewId) or COMMIT(blockNum, blockHash,
 * viewId) signatures of the members in `bitmap` (`viewId` of a commit is the block's header view). A single vote
 * is the one-member case, a certificate a signed vote of its signers.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export interface SignedVote {
  readonly kind: "prepare" | "commit";
  readonly blockNum: bigint;
  readonly viewId: bigint;
  readonly blockHash: Uint8Array;
  readonly bitmap: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * Two signed votes of one kind and one (blockNum, viewId) that conflict: they are for different blocks.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export interface DoubleSignEvidence {
  readonly first: SignedVote;
  readonly second: SignedVote;
}

/**
 * The signed vote of a single verified vote, for a committee of `committeeSize` members (the vote's signer is
 * one of them).
 *
 * @spec EVIDENCE-FORMAT.1
 */
export function signedVoteOf(vote: Vote, committeeSize: number): SignedVote {
  return {
    kind: vote.kind,
    blockNum: vote.blockNum,
    viewId: vote.viewId,
    blockHash: vote.blockHash,
    bitmap: unwrap(encodeBitmap(committeeSize, [vote.signer])),
    signature: vote.signature,
  };
}

/**
 * The signed vote of a certificate: its signers' votes of `kind` for `hash` under the view key (blockNum,
 * viewId).
 *
 * @spec EVIDENCE-FORMAT.1
 */
export function signedVoteOfCertificate(
  kind: "prepare" | "commit",
  blockNum: bigint,
  viewId: bigint,
  hash: Uint8Array,
  cert: Certificate,
): SignedVote {
  return { kind, blockNum, viewId, blockHash: hash, bitmap: cert.bitmap, signature: cert.signature };
}

/** PAYLOAD(x) of EVIDENCE-VERIFY.1: the bytes a signed vote's members signed. */
function signedPayload(vote: SignedVote): Uint8Array {
  return vote.kind === "prepare"
    ? preparePayload(vote.blockNum, vote.blockHash, vote.viewId)
    : commitPayload(vote.blockNum, vote.blockHash, vote.viewId);
}

/**
 * EVIDENCE-VERIFY(E, C) (L1–L9) against the committee of the votes' height: the members in both bitmaps,
 * ascending, when the two votes conflict and both aggregates verify. A malformed signature raises its BLS code.
 *
 * @spec EVIDENCE-VERIFY.1
 */
export function verifyEvidence(
  evidence: DoubleSignEvidence,
  committee: Committee,
  bls: BlsBackend,
): Result<number[]> {
  return attempt(() => {
    const a = evidence.first; // EVIDENCE-VERIFY L1
    const b = evidence.second;
    if (a.kind !== b.kind) {
      throw new SpecError("EVIDENCE_KIND_MISMATCH", `a ${a.kind} vote against a ${b.kind} vote`); // L2
    }
    if (a.blockNum !== b.blockNum || a.viewId !== b.viewId) {
      throw new SpecError("EVIDENCE_NOT_CONFLICTING", "the votes are for different views or heights"); // L3
    }
    if (bytesEqual(a.blockHash, b.blockHash)) {
      throw new SpecError("EVIDENCE_NOT_CONFLICTING", "the votes are for the same block"); // L4
    }
    const n = committee.members.length;
    const signersA = unwrap(decodeBitmap(a.bitmap, n)); // EVIDENCE-VERIFY L5
    const signersB = unwrap(decodeBitmap(b.bitmap, n));
    const inB = new Set(signersB);
    const offenders: number[] = [];
    for (const signer of signersA) if (inB.has(signer)) offenders.push(signer); // EVIDENCE-VERIFY L6
    if (offenders.length === 0)
      throw new SpecError("EVIDENCE_NO_COMMON_SIGNER", "no member signed both votes");
    const sides: readonly [SignedVote, readonly number[]][] = [
      [a, signersA],
      [b, signersB],
    ];
    for (const [vote, signers] of sides) {
      // EVIDENCE-VERIFY L7–L8
      const keys = publicKeysOf(committee, signers);
      if (!unwrap(bls.fastAggregateVerify(keys, signedPayload(vote), vote.signature))) {
        throw new SpecError(
          "EVIDENCE_BAD_SIGNATURE",
          `the ${vote === a ? "first" : "second"} vote does not verify`,
        );
      }
    }
    return offenders; // EVIDENCE-VERIFY L9: ascending, as decodeBitmap lists signers
  });
}

const Uint64Json = DecimalBigInt.refine((value) => value < UINT64_LIMIT, "must be below 2^64");

const SignedVoteJson = z.strictObject({
  kind: z.enum(["prepare", "commit"]),
  blockNum: Uint64Json,
  viewId: Uint64Json,
  blockHash: hexBytesOfLength(BLOCK_HASH_BYTES),
  bitmap: HexBytes,
  signature: hexBytesOfLength(BLS_SIGNATURE_LENGTH),
});

/**
 * zod schema: the JSON form of double-sign evidence (integers as decimal strings, bytes as 0x hex) →
 * DoubleSignEvidence.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export const DoubleSignEvidenceJson = z.strictObject({ first: SignedVoteJson, second: SignedVoteJson });

const SignedVoteJsonOutput = z.strictObject({
  kind: z.enum(["prepare", "commit"]),
  blockNum: DecimalText,
  viewId: DecimalText,
  blockHash: hexTextOfLength(BLOCK_HASH_BYTES),
  bitmap: HexText,
  signature: hexTextOfLength(BLS_SIGNATURE_LENGTH),
});

/**
 * zod schema of the JSON form of double-sign evidence as written: the output schema of handlers that return
 * evidence.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export const DoubleSignEvidenceJsonOutput = z.strictObject({
  first: SignedVoteJsonOutput,
  second: SignedVoteJsonOutput,
});

/** The JSON form of double-sign evidence. */
export type DoubleSignEvidenceJsonValue = z.output<typeof DoubleSignEvidenceJsonOutput>;

function signedVoteToJson(vote: SignedVote): z.output<typeof SignedVoteJsonOutput> {
  return {
    kind: vote.kind,
    blockNum: bigintToDecimal(vote.blockNum),
    viewId: bigintToDecimal(vote.viewId),
    blockHash: bytesToHex(vote.blockHash),
    bitmap: bytesToHex(vote.bitmap),
    signature: bytesToHex(vote.signature),
  };
}

/**
 * Writes the JSON form of double-sign evidence.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export function evidenceToJson(evidence: DoubleSignEvidence): DoubleSignEvidenceJsonValue {
  return { first: signedVoteToJson(evidence.first), second: signedVoteToJson(evidence.second) };
}

/**
 * Reads the JSON form of double-sign evidence; a malformed form raises the JSON-DECODE.1 codes.
 *
 * @spec EVIDENCE-FORMAT.1
 */
export function evidenceFromJson(json: unknown): Result<DoubleSignEvidence> {
  return attempt(() => parseWith(DoubleSignEvidenceJson, json));
}
