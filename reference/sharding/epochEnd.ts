import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { AccountState } from "../ledger/state.ts";
import type { Preset } from "../params/presets.ts";
import type { DrgState } from "../randomness/advance.ts";
import { closeAvailabilityEpoch } from "../rewards/availability.ts";
import { unlockUndelegations } from "../staking/apply.ts";
import { candidatesOf } from "../staking/candidates.ts";
import { electSeats } from "../staking/seats.ts";
import { nextShardState } from "./epoch.ts";
import type { ShardState } from "./shardState.ts";

/** What the beacon chain's last block of an epoch leaves: its state, who lost availability, the next shard state. */
export interface EpochEnd {
  readonly state: AccountState;
  readonly inactive: readonly Uint8Array[];
  readonly next: ShardState | null;
}

/**
 * SHARD-EPOCH-END(S, C, e, D) (L1–L6): the beacon chain's epoch transition, in its last block of epoch `e`
 * after the block's transactions: availability, unlocking, the election, and the shard state of epoch e + 1
 * from Rnd_e.
 *
 * @spec SHARD-EPOCH-END.1 SHARD-RANDOMNESS.1
 */
export function endEpoch(
  state: AccountState,
  current: ShardState | null,
  epoch: bigint,
  drg: DrgState,
  preset: Preset,
): Result<EpochEnd> {
  return attempt(() => {
    if (drg.epoch !== epoch || drg.rnd === null) {
      throw new SpecError("SHARD_NO_RANDOMNESS", `the randomness of epoch ${epoch} is not revealed`); // L1
    }
    const available = closeAvailabilityEpoch(state); // L2
    const unlocked = unlockUndelegations(available.state, epoch, preset); // L3
    const seats = unwrap(electSeats(candidatesOf(unlocked), preset)); // L4
    const next = unwrap(nextShardState(current, seats, epoch, drg.rnd, preset)); // L5
    return { state: unlocked, inactive: available.inactive, next }; // L6
  });
}
