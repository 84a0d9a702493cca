import { z } from "zod";
import { verifyCertificate } from "../consensus/certificate.ts";
import type { Committee } from "../consensus/committee.ts";
import { type Committed, MAX_BITMAP_BYTES } from "../consensus/messages.ts";
import { commitPayload } from "../consensus/payloads.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  hexBytesOfLength,
  JsonInt,
} from "../encoding/json.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { UINT64_LIMIT } from "../ledger/account.ts";
import type { Block } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import type { AccountState } from "../ledger/state.ts";
import { UINT32_BOUND } from "../ledger/transactionFields.ts";
import type { Preset } from "../params/presets.ts";
import { rewardBlock } from "../rewards/reward.ts";
import { committeeOwners } from "../sharding/committees.ts";
import { epochCommittee, inForce } from "../sharding/epoch.ts";
import type { ShardState } from "../sharding/shardState.ts";
import { type CrossShardState, finalKey } from "./crossShardState.ts";

/*
 * Crosslinks (§12.1–§12.3): how a final block of one shard is recorded on the beacon chain, checked against the
 * committee of its shard and epoch, and rewarded there.
 */

/**
 * A crosslink: a shard block's hash, height and header view, the commit certificate that finalized it, its
 * shard and its epoch.
 *
 * @spec XLINK-FORMAT.1
 */
export interface CrossLink {
  readonly blockHash: Uint8Array;
  readonly blockNum: bigint;
  readonly viewId: bigint;
  readonly signature: Uint8Array;
  readonly bitmap: Uint8Array;
  readonly shardId: number;
  readonly epoch: bigint;
}

const FIELDS = 7;

/**
 * The `crossLinks` field of a header: empty for none, else the RLP list of the crosslinks, each the list of its
 * seven fields in XLINK-FORMAT order.
 *
 * @spec XLINK-FORMAT.1
 */
export function encodeCrossLinks(links: readonly CrossLink[]): Uint8Array {
  if (links.length === 0) return new Uint8Array(0);
  return rlpEncode(
    links.map((x) => [
      x.blockHash,
      scalarToBytes(x.blockNum),
      scalarToBytes(x.viewId),
      x.signature,
      x.bitmap,
      scalarToBytes(BigInt(x.shardId)),
      scalarToBytes(x.epoch),
    ]),
  );
}

const read = rlpShapeReader((what) => new SpecError("XLINK_MALFORMED", what));

function readCrossLink(item: RlpItem, what: string): CrossLink {
  const fields = expectRlpList(item, what);
  if (fields.length !== FIELDS) {
    throw new SpecError("XLINK_MALFORMED", `${what} has ${fields.length} fields, not ${FIELDS}`); // L4
  }
  const [blockHash, blockNum, viewId, signature, bitmap, shardId, epoch] = fields as RlpItem[];
  const bitmapBytes = expectRlpBytes(bitmap!, `${what} bitmap`);
  if (bitmapBytes.length > MAX_BITMAP_BYTES) {
    throw new SpecError("XLINK_MALFORMED", `${what} bitmap is ${bitmapBytes.length} bytes, over 8192`); // L5
  }
  return {
    blockHash: read.bytes(blockHash!, `${what} blockHash`, 32),
    blockNum: read.scalarBelow(blockNum!, `${what} blockNum`, UINT64_LIMIT),
    viewId: read.scalarBelow(viewId!, `${what} viewId`, UINT64_LIMIT),
    signature: read.bytes(signature!, `${what} signature`, 96),
    bitmap: bitmapBytes,
    shardId: Number(read.scalarBelow(shardId!, `${what} shardId`, UINT32_BOUND)),
    epoch: read.scalarBelow(epoch!, `${what} epoch`, UINT64_LIMIT),
  }; // XLINK-LIST-DECODE L5
}

/**
 * XLINK-LIST-DECODE (L1–L6): the crosslinks a `crossLinks` field holds; the empty field holds none, and an
 * encoded empty list is refused so that the field has one encoding.
 *
 * @spec XLINK-FORMAT.1
 */
export function decodeCrossLinks(bytes: Uint8Array): Result<CrossLink[]> {
  return attempt(() => {
    if (bytes.length === 0) return []; // XLINK-LIST-DECODE L1
    const items = expectRlpList(rlpDecodeOrThrow(bytes), "crossLinks"); // L2
    if (items.length === 0) throw new SpecError("XLINK_MALFORMED", "an encoded empty list of crosslinks"); // L2
    return items.map((item, i) => readCrossLink(item, `crosslink ${i}`)); // XLINK-LIST-DECODE L3–L6
  });
}

/**
 * XLINK-OF-BLOCK(B, c): the crosslink of a block a shard member finalized with the committed message `c`.
 *
 * @spec XLINK-OF-BLOCK.1
 */
export function crossLinkOf(block: Block, committed: Committed): CrossLink {
  const header = block.header;
  return {
    blockHash: headerHash(header),
    blockNum: header.number,
    viewId: committed.blockViewId,
    signature: committed.certificate.signature,
    bitmap: committed.certificate.bitmap,
    shardId: header.shardId,
    epoch: header.epoch,
  }; // XLINK-OF-BLOCK L1
}

/** What a verified crosslink was checked against: the shard state in force for its epoch, and the committee. */
export interface VerifiedCrossLink {
  readonly state: ShardState | null;
  readonly committee: Committee;
}

/**
 * XLINK-VERIFY(x, E, e) (L1–L8): a crosslink for a beacon block of epoch `epoch`, against the committee of its
 * shard in its epoch under the elected states `elected` (every state in force so far, up to the block's own).
 *
 * @spec XLINK-VERIFY.1
 */
export function verifyCrossLink(
  x: CrossLink,
  elected: readonly ShardState[],
  epoch: bigint,
  preset: Preset,
  bls: BlsBackend,
): Result<VerifiedCrossLink> {
  return attempt(() => {
    if (x.shardId === 0 || x.shardId >= preset.numShards) {
      throw new SpecError(
        "XLINK_SHARD_INVALID",
        `shard ${x.shardId} is not one of shards 1 … ${preset.numShards - 1}`,
      ); // L1
    }
    if (x.blockNum === 0n) throw new SpecError("XLINK_GENESIS", "a genesis block needs no crosslink"); // L2
    const heightEpoch = x.blockNum / BigInt(preset.blocksPerEpoch);
    if (x.epoch !== heightEpoch) {
      throw new SpecError(
        "XLINK_EPOCH_MISMATCH",
        `epoch ${x.epoch}; height ${x.blockNum} is in ${heightEpoch}`,
      ); // L3
    }
    if (x.epoch > epoch) {
      throw new SpecError(
        "XLINK_EPOCH_FUTURE",
        `a block of epoch ${x.epoch} in a beacon block of epoch ${epoch}`,
      ); // L4
    }
    const state = inForce(elected, x.epoch); // XLINK-VERIFY L5
    const committee = unwrap(epochCommittee(state, x.shardId, preset, bls)); // L6
    const payload = commitPayload(x.blockNum, x.blockHash, x.viewId);
    unwrap(verifyCertificate({ signature: x.signature, bitmap: x.bitmap }, payload, committee, bls)); // L7
    return { state, committee }; // XLINK-VERIFY L8
  });
}

/**
 * The beacon state after a block's crosslinks: the accounts with their rewards, the cross-shard state that knows
 * the crosslinked blocks as final, and the last crosslinked heights.
 */
export interface IncludedCrossLinks {
  readonly accounts: AccountState;
  readonly crossShard: CrossShardState;
  readonly crossLinked: ReadonlyMap<number, bigint>;
}

/** x comes after y in (shardId, blockNum) order. */
function isAfter(x: CrossLink, y: CrossLink): boolean {
  return x.shardId > y.shardId || (x.shardId === y.shardId && x.blockNum > y.blockNum);
}

/**
 * XLINK-INCLUDE(T, B, S, X, E) (L1–L11): the crosslinks of a beacon block of epoch `epoch`, each the next height of
 * its shard, in (shard, height) order, verified, recorded as final and rewarded.
 *
 * @spec XLINK-INCLUDE.2
 */
export function includeCrossLinks(
  field: Uint8Array,
  epoch: bigint,
  accounts: AccountState,
  crossShard: CrossShardState,
  crossLinked: ReadonlyMap<number, bigint>,
  elected: readonly ShardState[],
  preset: Preset,
  bls: BlsBackend,
): Result<IncludedCrossLinks> {
  return attempt(() => {
    const links = unwrap(decodeCrossLinks(field)); // XLINK-INCLUDE L1
    if (links.length > preset.maxCrossLinksPerBlock) {
      throw new SpecError(
        "XLINK_TOO_MANY",
        `${links.length} crosslinks; a beacon block takes at most ${preset.maxCrossLinksPerBlock}`,
      ); // L2
    }
    const last = new Map(crossLinked); // XLINK-INCLUDE L3
    let state = accounts;
    const final = new Map(crossShard.final);
    for (let i = 0; i < links.length; i++) {
      const x = links[i]!;
      if (i > 0 && !isAfter(x, links[i - 1]!)) {
        throw new SpecError("XLINK_UNSORTED", `crosslink ${i} is not after crosslink ${i - 1}`); // L5
      }
      const held = last.get(x.shardId) ?? 0n;
      if (x.blockNum <= held) {
        throw new SpecError("XLINK_DUPLICATE", `shard ${x.shardId} is crosslinked up to height ${held}`); // L6
      }
      if (x.blockNum > held + 1n) {
        throw new SpecError("XLINK_GAP", `shard ${x.shardId}: height ${x.blockNum} after ${held}`); // L7
      }
      const verified = unwrap(verifyCrossLink(x, elected, epoch, preset, bls)); // XLINK-INCLUDE L8
      last.set(x.shardId, x.blockNum); // XLINK-INCLUDE L9
      final.set(finalKey({ shard: x.shardId, number: x.blockNum }), x.blockHash); // XLINK-INCLUDE L9
      if (verified.state !== null) {
        const owners = committeeOwners(verified.state, verified.committee);
        state = unwrap(rewardBlock(state, verified.committee, owners, x.bitmap, preset)).state; // L10
      }
    }
    const after = links.length === 0 ? crossShard : { ...crossShard, final };
    return { accounts: state, crossShard: after, crossLinked: last }; // XLINK-INCLUDE L11
  });
}

/**
 * XLINK-SELECT(T, P, e) (L1–L5): the crosslinks a beacon leader includes from its driver's pool: for each shard
 * in ascending order, its next heights in order while the pool holds a verified crosslink for them, up to
 * maxCrossLinksPerBlock. Crosslinks that fail verification are skipped.
 *
 * @spec XLINK-SELECT.1
 */
export function selectCrossLinks(
  pool: readonly CrossLink[],
  crossLinked: ReadonlyMap<number, bigint>,
  elected: readonly ShardState[],
  epoch: bigint,
  preset: Preset,
  bls: BlsBackend,
): CrossLink[] {
  const chosen: CrossLink[] = []; // XLINK-SELECT L1
  const shards = [...new Set(pool.map((x) => x.shardId))].filter((s) => s >= 1).sort((a, b) => a - b);
  for (const shard of shards) {
    let height = crossLinked.get(shard) ?? 0n; // XLINK-SELECT L2
    for (;;) {
      if (chosen.length >= preset.maxCrossLinksPerBlock) return chosen;
      const next = pool.find(
        (x) =>
          x.shardId === shard &&
          x.blockNum === height + 1n &&
          verifyCrossLink(x, elected, epoch, preset, bls).ok,
      ); // XLINK-SELECT L3
      if (next === undefined) break;
      chosen.push(next); // XLINK-SELECT L4
      height++;
    }
  }
  return chosen; // XLINK-SELECT L5
}

const Uint64Decimal = DecimalBigInt.refine((v) => v < UINT64_LIMIT, "below 2^64");

/** zod schema: the JSON form of a crosslink (§12.1) → CrossLink. @spec XLINK-FORMAT.1 */
export const CrossLinkJson = z.strictObject({
  blockHash: hexBytesOfLength(32),
  blockNum: Uint64Decimal,
  viewId: Uint64Decimal,
  signature: hexBytesOfLength(96),
  bitmap: HexBytes.refine((b) => b.length <= MAX_BITMAP_BYTES, "at most 8192 bytes"),
  shardId: JsonInt.refine((s) => BigInt(s) < UINT32_BOUND, "below 2^32"),
  epoch: Uint64Decimal,
});
/** zod schema of the JSON form of a crosslink as written. @spec XLINK-FORMAT.1 */
export const CrossLinkJsonOutput = z.strictObject({
  blockHash: HexText,
  blockNum: DecimalText,
  viewId: DecimalText,
  signature: HexText,
  bitmap: HexText,
  shardId: JsonInt,
  epoch: DecimalText,
});

/** The JSON form of a crosslink. @spec XLINK-FORMAT.1 */
export function crossLinkToJson(x: CrossLink): z.output<typeof CrossLinkJsonOutput> {
  return {
    blockHash: bytesToHex(x.blockHash),
    blockNum: bigintToDecimal(x.blockNum),
    viewId: bigintToDecimal(x.viewId),
    signature: bytesToHex(x.signature),
    bitmap: bytesToHex(x.bitmap),
    shardId: x.shardId,
    epoch: bigintToDecimal(x.epoch),
  };
}
