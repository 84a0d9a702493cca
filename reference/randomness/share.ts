import type { Committee } from "../consensus/committee.ts";
import type { Share } from "../consensus/messages.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { vrfEvaluate, vrfVerify } from "../crypto/vrf.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { BEACON_SHARD } from "./schedule.ts";
import { type DrgRound, drgSeed } from "./seed.ts";

/*
 * A member's VRF share of the commitment and how the leader checks it (§9.3).
 */

/** Bytes of a VRF proof (a BLS signature). */
export const DRG_PROOF_BYTES = 96;

/**
 * What member `signer` sends the leader of the round: its VRF proof over DRG-SEED(round).
 *
 * @spec DRG-SHARE.2
 */
export function makeShare(
  secretKey: Uint8Array,
  signer: number,
  round: DrgRound,
  preset: Preset,
  bls: BlsBackend = nobleBls,
): Result<Share> {
  return attempt(() => {
    const evaluation = unwrap(vrfEvaluate(secretKey, drgSeed(round, preset), bls)); // DRG-SHARE L1
    return {
      type: "share",
      shardId: BEACON_SHARD,
      blockNum: round.blockNum,
      viewId: round.viewId,
      signer,
      proof: evaluation.proof,
    }; // DRG-SHARE L2
  });
}

/**
 * The leader's check of a received share against the round it is building (DRG-SHARE-VERIFY L1–L5); returns
 * the share's VRF output β.
 *
 * @spec DRG-SHARE-VERIFY.1
 */
export function verifyShare(
  share: Share,
  round: DrgRound,
  committee: Committee,
  preset: Preset,
  bls: BlsBackend = nobleBls,
): Result<Uint8Array> {
  return attempt(() => {
    if (share.shardId !== BEACON_SHARD) {
      throw new SpecError("DRG_SHARE_WRONG_SHARD", `a share is for shard 0, got ${share.shardId}`); // L1
    }
    if (share.blockNum !== round.blockNum || share.viewId !== round.viewId) {
      throw new SpecError(
        "DRG_SHARE_WRONG_ROUND",
        `share for height ${share.blockNum} view ${share.viewId}, round is ${round.blockNum} view ${round.viewId}`,
      ); // DRG-SHARE-VERIFY L2
    }
    if (share.signer >= committee.members.length) {
      throw new SpecError(
        "DRG_SHARE_UNKNOWN_SIGNER",
        `signer ${share.signer} is not below the committee size ${committee.members.length}`,
      ); // DRG-SHARE-VERIFY L3
    }
    const key = committee.members[share.signer]!.publicKey;
    return unwrap(vrfVerify(key, drgSeed(round, preset), share.proof, bls)); // DRG-SHARE-VERIFY L4–L5
  });
}
