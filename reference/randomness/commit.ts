import { sha256 } from "@noble/hashes/sha2.js";
import { type Committee, isBlocking, powerOf, publicKeysOf } from "../consensus/committee.ts";
import { decodeBitmap, encodeBitmap } from "../crypto/bitmap.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { isRlpList, rlpDecode, rlpEncode } from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { DRG_PROOF_BYTES } from "./share.ts";

/*
 * The commitment: the leader's aggregate of verified shares in the `vrf` header field, and the pRnd every
 * validator derives from it (§9.4).
 */

/** Domain tag of pRnd (ASCII, 19 bytes). */
export const DRG_PRND_TAG = "HARMONY-DRG-V1-PRND";

/**
 * The longest `vrf` field of a commitment: RLP([bitmap, σ]) for a bitmap of 8192 bytes (a committee of 65536,
 * BITMAP-FORMAT.2) is a 3-byte list header, a 3-byte string header and 8192 bytes, and 2 + 96 bytes for σ.
 *
 * @spec DRG-COMMIT-CHECK.1
 */
export const DRG_COMMIT_FIELD_MAX_BYTES = 3 + 3 + 8192 + 2 + 96;

/** A share the leader has verified (DRG-SHARE-VERIFY.1): the member's index and its VRF proof. */
export interface VerifiedShare {
  readonly signer: number;
  readonly proof: Uint8Array;
}

/** What a valid commitment yields. */
export interface Commitment {
  /** The preliminary randomness, 32 bytes. */
  readonly pRnd: Uint8Array;
  /** The contributing members, ascending. */
  readonly signers: readonly number[];
  /** Their total voting power. */
  readonly power: bigint;
}

/**
 * pRnd = sha256("HARMONY-DRG-V1-PRND" ‖ σ) of the 96-byte aggregate σ.
 *
 * @spec DRG-COMMIT-CHECK.1
 */
export function pRndOf(aggregate: Uint8Array): Uint8Array {
  const tag = new TextEncoder().encode(DRG_PRND_TAG);
  const input = new Uint8Array(tag.length + aggregate.length);
  input.set(tag, 0);
  input.set(aggregate, tag.length);
  return sha256(input);
}

/**
 * The leader's commitment from the shares it verified (DRG-COMMIT-BUILD L1–L6): `vrf = RLP([bitmap, σ])`,
 * σ the aggregate of the shares' proofs, once their signers hold more than a third of the power.
 *
 * @spec DRG-COMMIT-BUILD.1
 */
export function buildCommitField(
  shares: readonly VerifiedShare[],
  committee: Committee,
  bls: BlsBackend = nobleBls,
): Result<Uint8Array> {
  return attempt(() => {
    const n = committee.members.length;
    const seen = new Set<number>();
    for (const share of shares) {
      if (!Number.isInteger(share.signer) || share.signer < 0 || share.signer >= n) {
        throw new SpecError("DRG_SHARE_UNKNOWN_SIGNER", `signer ${share.signer} is not in [0, ${n})`); // L1
      }
      if (seen.has(share.signer)) {
        throw new SpecError("DRG_SHARE_DUPLICATE", `member ${share.signer} has two shares`); // L2
      }
      seen.add(share.signer);
    }
    const signers = [...seen].sort((a, b) => a - b); // DRG-COMMIT-BUILD L3
    const power = powerOf(committee, signers);
    if (!isBlocking(power, committee.totalPower)) {
      throw new SpecError(
        "DRG_INSUFFICIENT_POWER",
        `shares of power ${power} do not exceed a third of ${committee.totalPower}`,
      ); // DRG-COMMIT-BUILD L4
    }
    const proofs: Uint8Array[] = [];
    for (const signer of signers) proofs.push(shares.find((s) => s.signer === signer)!.proof);
    const aggregate = unwrap(bls.aggregateSignatures(proofs)); // DRG-COMMIT-BUILD L5
    return rlpEncode([unwrap(encodeBitmap(n, signers)), aggregate]); // DRG-COMMIT-BUILD L6
  });
}

/**
 * DRG-COMMIT-CHECK L1–L3: the signers and the aggregate σ a `vrf` field names, before any power or pairing
 * check. A member that votes on a commit block reads its own membership from the same bytes
 * (DRG-COMMIT-WINDOW L2–L3).
 *
 * @spec DRG-COMMIT-CHECK.1 DRG-COMMIT-WINDOW.2
 */
export function readCommitField(
  vrf: Uint8Array,
  committee: Committee,
): Result<{ readonly signers: readonly number[]; readonly aggregate: Uint8Array }> {
  return attempt(() => {
    const item = rlpDecode(vrf); // DRG-COMMIT-CHECK L1
    if (!item.ok || !isRlpList(item.value) || item.value.length !== 2) {
      throw new SpecError("DRG_COMMIT_MALFORMED", "vrf is not the RLP of a list of two byte strings"); // L1
    }
    const bitmap = item.value[0]!;
    const aggregate = item.value[1]!;
    if (isRlpList(bitmap) || isRlpList(aggregate)) {
      throw new SpecError("DRG_COMMIT_MALFORMED", "vrf is not the RLP of a list of two byte strings"); // L1
    }
    if (aggregate.length !== DRG_PROOF_BYTES) {
      throw new SpecError("DRG_COMMIT_MALFORMED", `σ is ${aggregate.length} bytes, not 96`); // L2
    }
    const signers = unwrap(decodeBitmap(bitmap, committee.members.length)); // DRG-COMMIT-CHECK L3
    return { signers, aggregate };
  });
}

/**
 * A validator's check of a commitment (DRG-COMMIT-CHECK L1–L7) against the epoch's beacon committee and the
 * seed of the commit block's round (DRG-SEED.1).
 *
 * @spec DRG-COMMIT-CHECK.1
 */
export function checkCommitField(
  vrf: Uint8Array,
  committee: Committee,
  seed: Uint8Array,
  bls: BlsBackend = nobleBls,
): Result<Commitment> {
  return attempt(() => {
    const { signers, aggregate } = unwrap(readCommitField(vrf, committee)); // DRG-COMMIT-CHECK L1–L3
    const power = powerOf(committee, signers);
    if (!isBlocking(power, committee.totalPower)) {
      throw new SpecError(
        "DRG_INSUFFICIENT_POWER",
        `signers of power ${power} do not exceed a third of ${committee.totalPower}`,
      ); // DRG-COMMIT-CHECK L4
    }
    const digest = sha256(seed); // DRG-COMMIT-CHECK L5: the message every VRF proof signs (VRF-EVALUATE L1)
    const verdict = unwrap(bls.fastAggregateVerify(publicKeysOf(committee, signers), digest, aggregate)); // L6
    if (!verdict) {
      throw new SpecError("DRG_BAD_AGGREGATE", "σ is not the aggregate of the signers' proofs over the seed"); // L6
    }
    return { pRnd: pRndOf(aggregate), signers, power }; // DRG-COMMIT-CHECK L7
  });
}
