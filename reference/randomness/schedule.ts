import type { Preset } from "../params/presets.ts";

/*
 * Which beacon blocks carry the randomness of an epoch (§9.2).
 */

/** The shard whose chain runs the randomness protocol. */
export const BEACON_SHARD = 0;

/** What a block carries in its `vrf` and `vdf` header fields. */
export type DrgRole = "none" | "commit" | "reveal";

/**
 * DRG-FIELDS(s, N): the commitment is due at epoch offset `drgCommitOffset` of the beacon chain, the reveal
 * `drgRevealDelay` blocks later, and every other block carries neither.
 *
 * @spec DRG-SCHEDULE.1
 */
export function drgFieldsExpected(shardId: number, height: bigint, preset: Preset): DrgRole {
  if (shardId !== BEACON_SHARD) return "none"; // DRG-FIELDS L1
  const offset = height % BigInt(preset.blocksPerEpoch); // DRG-FIELDS L2
  if (offset === BigInt(preset.drgCommitOffset)) return "commit"; // DRG-FIELDS L3
  if (offset === BigInt(preset.drgCommitOffset + preset.drgRevealDelay)) return "reveal"; // DRG-FIELDS L4
  return "none"; // DRG-FIELDS L5
}

/**
 * The height of the beacon block that commits the pRnd of `epoch`.
 *
 * @spec DRG-SCHEDULE.1
 */
export function drgCommitHeight(epoch: bigint, preset: Preset): bigint {
  return epoch * BigInt(preset.blocksPerEpoch) + BigInt(preset.drgCommitOffset);
}

/**
 * The height of the beacon block that reveals the Rnd of `epoch`.
 *
 * @spec DRG-SCHEDULE.1
 */
export function drgRevealHeight(epoch: bigint, preset: Preset): bigint {
  return drgCommitHeight(epoch, preset) + BigInt(preset.drgRevealDelay);
}

/**
 * Whether a preset's offsets fit its epochs: 1 ≤ c, 1 ≤ k and c + k ≤ blocksPerEpoch − 2, so that the commitment
 * and its parent belong to the epoch and the reveal precedes the epoch's last block, which elects the next
 * epoch with Rnd.
 *
 * @spec DRG-SCHEDULE.1
 */
export function drgScheduleFits(preset: Preset): boolean {
  const c = preset.drgCommitOffset;
  const k = preset.drgRevealDelay;
  return (
    Number.isSafeInteger(c) &&
    Number.isSafeInteger(k) &&
    c >= 1 &&
    k >= 1 &&
    c + k <= preset.blocksPerEpoch - 2
  );
}
