import type { Preset } from "../params/presets.ts";

/*
 * The byte string every member's share signs (§9.3).
 */

/** Domain tag of the share seed (ASCII, 20 bytes). */
export const DRG_SEED_TAG = "HARMONY-DRG-V1-SHARE";
/** Bytes of a block hash. */
export const DRG_PARENT_HASH_BYTES = 32;

/** The commitment round a share belongs to: the commit height, the view the leader proposes in, and the parent. */
export interface DrgRound {
  /** The height of the commit block (DRG-SCHEDULE.1). */
  readonly blockNum: bigint;
  /** The view of the commit block: its header's `viewId`. */
  readonly viewId: bigint;
  /** HEADER-HASH of the commit block's parent: its header's `parentHash`. */
  readonly parentHash: Uint8Array;
}

function uint64be(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  let rest = value;
  for (let i = 7; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/**
 * DRG-SEED(R) = "HARMONY-DRG-V1-SHARE" ‖ uint64_be(epoch) ‖ uint64_be(viewId) ‖ parentHash, 68 bytes, with
 * epoch = blockNum div blocksPerEpoch. The caller holds a round from a header or message whose fields are in
 * their domains (uint64, 32-byte hash).
 *
 * @spec DRG-SEED.1
 */
export function drgSeed(round: DrgRound, preset: Preset): Uint8Array {
  const tag = new TextEncoder().encode(DRG_SEED_TAG);
  const epoch = round.blockNum / BigInt(preset.blocksPerEpoch); // DRG-SEED L1
  const out = new Uint8Array(tag.length + 16 + round.parentHash.length);
  out.set(tag, 0); // DRG-SEED L2
  out.set(uint64be(epoch), tag.length);
  out.set(uint64be(round.viewId), tag.length + 8);
  out.set(round.parentHash, tag.length + 16);
  return out;
}
