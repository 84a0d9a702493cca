import { attempt, type Result, SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { type BlockHeader, checkHeaderFields, headerHash } from "./header.ts";

/** Whether two byte strings are equal. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * HEADER-VALIDATE L1–L9, throwing the SpecError of the first failing check.
 *
 * @spec HEADER-VALIDATE.1
 */
export function validateHeaderOrThrow(header: BlockHeader, parent: BlockHeader, preset: Preset): void {
  checkHeaderFields(header, preset); // HEADER-VALIDATE L1
  if (!bytesEqual(header.parentHash, headerHash(parent))) {
    throw new SpecError("HEADER_PARENT_HASH_MISMATCH", "parentHash is not the hash of the current head"); // L2
  }
  if (header.number !== parent.number + 1n) {
    throw new SpecError(
      "HEADER_NUMBER_MISMATCH",
      `number ${header.number} does not follow the head's ${parent.number}`,
    ); // HEADER-VALIDATE L3
  }
  if (header.shardId !== parent.shardId) {
    throw new SpecError(
      "HEADER_SHARD_MISMATCH",
      `shard ${header.shardId}, head is on shard ${parent.shardId}`,
    ); // L4
  }
  const epoch = header.number / BigInt(preset.blocksPerEpoch);
  if (header.epoch !== epoch) {
    throw new SpecError(
      "HEADER_EPOCH_MISMATCH",
      `epoch ${header.epoch} at height ${header.number}, expected ${epoch}`,
    ); // L5
  }
  if (header.time <= parent.time) {
    throw new SpecError(
      "HEADER_TIME_NOT_INCREASING",
      `time ${header.time} is not after the head's ${parent.time}`,
    ); // L6
  }
  if (header.viewId <= parent.viewId) {
    throw new SpecError(
      "HEADER_VIEW_ID_NOT_INCREASING",
      `view id ${header.viewId} is not after the head's ${parent.viewId}`,
    ); // HEADER-VALIDATE L7
  }
  if (header.gasLimit !== preset.blockGasLimit) {
    throw new SpecError(
      "HEADER_GAS_LIMIT_MISMATCH",
      `gas limit ${header.gasLimit}, the preset's is ${preset.blockGasLimit}`,
    ); // HEADER-VALIDATE L8
  }
  if (header.gasUsed > header.gasLimit) {
    throw new SpecError(
      "HEADER_GAS_USED_EXCEEDS_LIMIT",
      `gas used ${header.gasUsed} exceeds the gas limit ${header.gasLimit}`,
    ); // HEADER-VALIDATE L9
  }
}

/**
 * Whether `header` extends `parent`, the current head: its fields in their domains, then parent hash, number,
 * shard, epoch, time, view id, gas limit and gas used, in that order.
 *
 * @spec HEADER-VALIDATE.1
 */
export function validateHeader(header: BlockHeader, parent: BlockHeader, preset: Preset): Result<void> {
  return attempt(() => validateHeaderOrThrow(header, parent, preset));
}
