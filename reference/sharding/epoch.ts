import { type Committee, genesisCommittee } from "../consensus/committee.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { BlockHeader } from "../ledger/header.ts";
import type { Preset } from "../params/presets.ts";
import { assignFresh } from "./assign.ts";
import { shardCommittee } from "./committees.ts";
import { reshard } from "./reshard.ts";
import type { Seat } from "./seat.ts";
import { decodeShardState, type ShardState } from "./shardState.ts";

/*
 * Epochs (§10.1): which committee serves a shard in an epoch, what the beacon chain's last block of an epoch
 * carries, and how the next epoch's shard state follows from the election.
 */

/**
 * IN-FORCE(E, d): the shard state in force for epoch `epoch` among the elected states `elected` (in epoch order):
 * the last whose epoch is at most `epoch`, since an epoch whose last beacon block wrote no state keeps the
 * previous one; null while the genesis committees serve.
 *
 * @spec SHARD-BEACON-BLOCK.3 SHARD-EPOCH.1
 */
export function inForce(elected: readonly ShardState[], epoch: bigint): ShardState | null {
  for (let i = elected.length - 1; i >= 0; i--) if (elected[i]!.epoch <= epoch) return elected[i]!;
  return null;
}

/**
 * COMMITTEE-OF-EPOCH(C, s) (L1–L2): the committee of shard `s` under the shard state `current` in force, or
 * the genesis committee while none is.
 *
 * @spec SHARD-EPOCH.1
 */
export function epochCommittee(
  current: ShardState | null,
  shard: number,
  preset: Preset,
  bls: BlsBackend,
): Result<Committee> {
  return attempt(() => {
    if (current === null) {
      if (!Number.isInteger(shard) || shard < 0 || shard >= preset.numShards) {
        throw new SpecError("SHARD_UNKNOWN", `shard ${shard} is not one of the ${preset.numShards} shards`); // L1
      }
      return genesisCommittee(shard, preset, bls); // L1
    }
    return unwrap(shardCommittee(current, shard, preset, bls)); // L2
  });
}

/**
 * SHARD-NEXT(C, X, e, rnd) (L1–L5): the shard state the beacon chain writes in the last block of epoch `e`,
 * from the state `current` in force (null while the genesis committees serve), the elected seats and Rnd_e;
 * null when it writes none.
 *
 * @spec SHARD-NEXT.1
 */
export function nextShardState(
  current: ShardState | null,
  seats: readonly Seat[],
  epoch: bigint,
  rnd: Uint8Array,
  preset: Preset,
): Result<ShardState | null> {
  return attempt(() => {
    if (current !== null && current.epoch !== epoch) {
      throw new SpecError(
        "SHARD_EPOCH_MISMATCH",
        `the state in force is of epoch ${current.epoch}, not ${epoch}`,
      ); // L1
    }
    if (seats.length < preset.numShards) {
      if (current === null) return null; // L2
      return { ...current, epoch: epoch + 1n }; // L3
    }
    if (current === null) return unwrap(assignFresh(seats, rnd, epoch + 1n, preset)); // L4
    return unwrap(reshard(current, seats, rnd, preset)).state; // L5
  });
}

/**
 * CHECK-SHARD-STATE-FIELD(H) (L1–L5): a header carries a shard state only as the beacon chain's last block
 * of an epoch, and that state is of the next epoch; returns it, or null when the field is empty.
 *
 * @spec SHARD-HEADER.1
 */
export function checkHeaderShardState(
  header: Pick<BlockHeader, "number" | "epoch" | "shardId" | "shardState">,
  preset: Preset,
): Result<ShardState | null> {
  return attempt(() => {
    if (header.shardState.length === 0) return null; // L1
    const last = (header.number + 1n) % BigInt(preset.blocksPerEpoch) === 0n;
    if (header.shardId !== 0 || !last) {
      throw new SpecError(
        "SHARD_STATE_UNEXPECTED",
        `block ${header.number} of shard ${header.shardId} carries a shard state`,
      ); // L2
    }
    const state = unwrap(decodeShardState(header.shardState, preset)); // L3
    if (state.epoch !== header.epoch + 1n) {
      throw new SpecError(
        "SHARD_EPOCH_MISMATCH",
        `a block of epoch ${header.epoch} carries the state of epoch ${state.epoch}`,
      ); // L4
    }
    return state; // L5
  });
}
