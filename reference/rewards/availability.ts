import type { AccountState } from "../ledger/state.ts";
import { STATUS, validatorsOf, writeRecord } from "../staking/record.ts";

/*
 * Availability at the end of an epoch (§11.3): a validator that signed two thirds or less of the blocks it was
 * due to sign stops standing for election, and every counter starts again from zero.
 */

/** The state after the epoch's availability check, and the validators it made inactive, in address order. */
export interface AvailabilityOutcome {
  readonly state: AccountState;
  readonly inactive: readonly Uint8Array[];
}

/**
 * AVAILABILITY-EPOCH-END(S) (L1–L7): an active validator with blocksToSign > 0 and
 * 3 · blocksSigned ≤ 2 · blocksToSign becomes inactive; every validator's counters are reset to 0.
 *
 * @spec REWARD-AVAILABILITY.1
 */
export function closeAvailabilityEpoch(state: AccountState): AvailabilityOutcome {
  const working = new Map(state);
  const inactive: Uint8Array[] = []; // AVAILABILITY-EPOCH-END L1
  for (const { address, record } of validatorsOf(state)) {
    // L2–L3
    const below =
      record.status === STATUS.active &&
      record.blocksToSign > 0n &&
      3n * record.blocksSigned <= 2n * record.blocksToSign; // L4
    if (below) inactive.push(address); // L5
    writeRecord(working, address, {
      ...record,
      status: below ? STATUS.inactive : record.status, // L5
      blocksToSign: 0n, // L6
      blocksSigned: 0n, // L6
    });
  }
  return { state: working, inactive }; // L7
}
