import { decodeBitmap, encodeBitmap } from "../crypto/bitmap.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { type BlockHeader, COMMIT_SIGNATURE_BYTES, headerHash } from "../ledger/header.ts";
import { type Committee, isQuorum, powerOf, publicKeysOf } from "./committee.ts";
import { commitPayload } from "./payloads.ts";

/*
 * Quorum certificates (§6.3): aggregation at the leader, verification everywhere, and the certificate a
 * header carries for its parent.
 */

/**
 * A certificate: the aggregate of the signatures of the members a signer bitmap marks, over one payload.
 *
 * @spec QC-FORMAT.1
 */
export interface Certificate {
  readonly signature: Uint8Array;
  readonly bitmap: Uint8Array;
}

/** A verified vote as the leader aggregates it. */
export interface SignerSignature {
  readonly signer: number;
  readonly signature: Uint8Array;
}

/**
 * QC-AGGREGATE(votes, n) (L1–L2): the aggregate of the votes' signatures and the bitmap of their signers.
 * Raises BLS_AGGREGATE_EMPTY for no votes and the BITMAP-ENCODE.2 codes for a repeated or unknown signer.
 *
 * @spec QC-FORMAT.1
 */
export function aggregateCertificate(
  votes: readonly SignerSignature[],
  committeeSize: number,
  bls: BlsBackend,
): Result<Certificate> {
  return attempt(() => {
    const signers: number[] = [];
    const signatures: Uint8Array[] = [];
    for (let i = 0; i < votes.length; i++) {
      signers.push(votes[i]!.signer);
      signatures.push(votes[i]!.signature);
    }
    const signature = unwrap(bls.aggregateSignatures(signatures)); // QC-AGGREGATE L1
    return { signature, bitmap: unwrap(encodeBitmap(committeeSize, signers)) }; // QC-AGGREGATE L2
  });
}

/** FastAggregateVerify of the signers' keys, raising QC_BAD_SIGNATURE when the aggregate does not verify. */
function checkAggregate(
  cert: Certificate,
  payload: Uint8Array,
  committee: Committee,
  signers: readonly number[],
  bls: BlsBackend,
): void {
  const verified = unwrap(bls.fastAggregateVerify(publicKeysOf(committee, signers), payload, cert.signature));
  if (!verified) {
    throw new SpecError("QC_BAD_SIGNATURE", `the aggregate of ${signers.length} signer(s) does not verify`);
  }
}

/**
 * QC-VERIFY(Q, m, C) (L1–L4): the bitmap, then the quorum, then the pairing, so that a short certificate costs
 * no pairing. Returns the signers, ascending.
 *
 * @spec QC-VERIFY.1
 */
export function verifyCertificate(
  cert: Certificate,
  payload: Uint8Array,
  committee: Committee,
  bls: BlsBackend,
): Result<number[]> {
  return attempt(() => {
    const signers = unwrap(decodeBitmap(cert.bitmap, committee.members.length)); // QC-VERIFY L1
    const power = powerOf(committee, signers);
    if (!isQuorum(power, committee.totalPower)) {
      throw new SpecError(
        "QC_INSUFFICIENT_QUORUM",
        `signers hold power ${power} of ${committee.totalPower}; a quorum needs 3·P > 2·W`,
      ); // QC-VERIFY L2
    }
    checkAggregate(cert, payload, committee, signers, bls); // QC-VERIFY L3
    return signers; // QC-VERIFY L4
  });
}

/**
 * A claim aggregate of a new view (VIEW-CHECK-NEWVIEW L5–L6 and L11–L12): a certificate-shaped aggregate that
 * need not be a quorum but must name at least one signer (VIEW_EMPTY_CLAIMS) and verify (QC_BAD_SIGNATURE).
 * Returns the signers, ascending.
 *
 * @spec VIEW-CHECK-NEWVIEW.2
 */
export function verifyClaimAggregate(
  cert: Certificate,
  payload: Uint8Array,
  committee: Committee,
  bls: BlsBackend,
): Result<number[]> {
  return attempt(() => {
    const signers = unwrap(decodeBitmap(cert.bitmap, committee.members.length)); // VIEW-CHECK-NEWVIEW L5, L11
    if (signers.length === 0) throw new SpecError("VIEW_EMPTY_CLAIMS", "a claim aggregate names no signer");
    checkAggregate(cert, payload, committee, signers, bls); // VIEW-CHECK-NEWVIEW L6, L12
    return signers;
  });
}

/**
 * QC-HEADER(H, P, C) (L1–L4): block 1 carries no certificate (a zero signature and an empty bitmap); every
 * later header carries a valid commit certificate of its parent, for the committee that produced the parent.
 *
 * @spec QC-HEADER.1
 */
export function verifyHeaderCertificate(
  header: BlockHeader,
  parent: BlockHeader,
  committee: Committee,
  bls: BlsBackend,
): Result<void> {
  return attempt(() => {
    if (parent.number === 0n) {
      // QC-HEADER L1–L3
      if (!isZeroSignature(header.lastCommitSignature) || header.lastCommitBitmap.length !== 0) {
        throw new SpecError(
          "QC_GENESIS_NOT_EMPTY",
          "block 1 carries a commit certificate for the genesis block",
        );
      }
      return;
    }
    const cert = { signature: header.lastCommitSignature, bitmap: header.lastCommitBitmap };
    unwrap(
      verifyCertificate(
        cert,
        commitPayload(parent.number, headerHash(parent), parent.viewId),
        committee,
        bls,
      ),
    ); // L4
  });
}

function isZeroSignature(signature: Uint8Array): boolean {
  if (signature.length !== COMMIT_SIGNATURE_BYTES) return false;
  for (let i = 0; i < signature.length; i++) if (signature[i] !== 0) return false;
  return true;
}

/**
 * Verify(pk, m, σ) as consensus uses it (FBFT-RECEIVE AUTHENTICATE, VIEW-CHECK-VIEWCHANGE): a signature that
 * does not verify raises CONSENSUS_BAD_SIGNATURE, a malformed key or signature its BLS code.
 *
 * @spec FBFT-RECEIVE.3
 */
export function verifyVoteSignature(
  publicKey: Uint8Array,
  payload: Uint8Array,
  signature: Uint8Array,
  bls: BlsBackend,
): Result<void> {
  return attempt(() => {
    if (!unwrap(bls.verify(publicKey, payload, signature))) {
      throw new SpecError(
        "CONSENSUS_BAD_SIGNATURE",
        "the signature does not verify for its signer and payload",
      );
    }
  });
}
