import type { Committee } from "../consensus/committee.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { vrfEvaluate, vrfVerify } from "../crypto/vrf.ts";
import { isRlpList, type RlpItem, rlpDecodeOrThrow, rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { BEACON_SHARD } from "./schedule.ts";
import { type DrgRound, drgSeed } from "./seed.ts";

/*
 * A member's VRF share of the commitment and how the leader checks it (§9.3).
 */

/** Type code of a share message, after the seven consensus message types (MSG-FORMAT.1). */
export const DRG_SHARE_TYPE = 8;
/** Fields of a share message on the wire, the type included. */
export const DRG_SHARE_FIELD_COUNT = 6;
/** Bytes of a VRF proof (a BLS signature). */
export const DRG_PROOF_BYTES = 96;
/** Committee indices are below 2^16 (BITMAP-FORMAT.2). */
const SIGNER_LIMIT = 65536;
const UINT32_LIMIT = 1n << 32n;
const UINT64_LIMIT = 1n << 64n;

/**
 * A share: member `signer` of the beacon committee sends the leader of view `viewId` at height `blockNum`
 * its VRF proof over DRG-SEED of that round.
 *
 * @spec DRG-SHARE-FORMAT.1
 */
export interface DrgShare {
  readonly shardId: number;
  readonly blockNum: bigint;
  readonly viewId: bigint;
  readonly signer: number;
  readonly proof: Uint8Array;
}

function malformed(why: string): never {
  throw new SpecError("DRG_SHARE_MALFORMED", why);
}

/** A scalar field: a byte string without a leading zero byte (RLP-SCALAR.1). */
function scalarField(item: RlpItem, what: string): bigint {
  if (isRlpList(item)) malformed(`${what}: a list where a scalar belongs`);
  if (item.length > 0 && item[0] === 0) malformed(`${what}: a scalar with a leading zero byte`);
  let value = 0n;
  for (let i = 0; i < item.length; i++) value = (value << 8n) | BigInt(item[i]!);
  return value;
}

/**
 * The wire form of a share: RLP([8, shardId, blockNum, viewId, signer, proof]), integers as scalars.
 *
 * @spec DRG-SHARE-FORMAT.1
 */
export function encodeShare(share: DrgShare): Uint8Array {
  return rlpEncode([
    scalarToBytes(BigInt(DRG_SHARE_TYPE)),
    scalarToBytes(BigInt(share.shardId)),
    scalarToBytes(share.blockNum),
    scalarToBytes(share.viewId),
    scalarToBytes(BigInt(share.signer)),
    share.proof,
  ]);
}

/**
 * DRG-SHARE-DECODE (L1–L5): RLP-DECODE.1's codes for bytes that are no RLP item; DRG_SHARE_MALFORMED for any
 * other departure from the format.
 *
 * @spec DRG-SHARE-FORMAT.1
 */
export function decodeShare(bytes: Uint8Array): Result<DrgShare> {
  return attempt(() => {
    const item = rlpDecodeOrThrow(bytes); // DRG-SHARE-DECODE L1
    if (!isRlpList(item) || item.length !== DRG_SHARE_FIELD_COUNT) {
      malformed(`a share is a list of ${DRG_SHARE_FIELD_COUNT} items`); // DRG-SHARE-DECODE L2
    }
    if (scalarField(item[0]!, "type") !== BigInt(DRG_SHARE_TYPE)) malformed("the type is not 8"); // L3
    const shardId = scalarField(item[1]!, "shardId"); // DRG-SHARE-DECODE L4
    const blockNum = scalarField(item[2]!, "blockNum");
    const viewId = scalarField(item[3]!, "viewId");
    const signer = scalarField(item[4]!, "signer");
    const proof = item[5]!;
    if (shardId >= UINT32_LIMIT) malformed("shardId is not below 2^32");
    if (blockNum >= UINT64_LIMIT || viewId >= UINT64_LIMIT) malformed("a height or view is not below 2^64");
    if (signer >= BigInt(SIGNER_LIMIT)) malformed("signer is not below 65536");
    if (isRlpList(proof) || proof.length !== DRG_PROOF_BYTES) malformed("the proof is not 96 bytes");
    return { shardId: Number(shardId), blockNum, viewId, signer: Number(signer), proof }; // L5
  });
}

/**
 * What member `signer` sends the leader of the round: its VRF proof over DRG-SEED(round).
 *
 * @spec DRG-SHARE.1
 */
export function makeShare(
  secretKey: Uint8Array,
  signer: number,
  round: DrgRound,
  preset: Preset,
  bls: BlsBackend = nobleBls,
): Result<DrgShare> {
  return attempt(() => {
    const evaluation = unwrap(vrfEvaluate(secretKey, drgSeed(round, preset), bls)); // DRG-SHARE L1
    return {
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
  share: DrgShare,
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
