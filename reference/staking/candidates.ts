import type { AccountState } from "../ledger/state.ts";
import type { Candidate } from "./election.ts";
import { STATUS, totalDelegation, validatorsOf } from "./record.ts";

/**
 * STAKE-CANDIDATES(S) (L1–L2): the candidates of an election are the active validators, in address order, each
 * standing with its keys and its whole bonded stake.
 *
 * @spec STAKE-CANDIDATES.1
 */
export function candidatesOf(state: AccountState): Candidate[] {
  return validatorsOf(state)
    .filter(({ record }) => record.status === STATUS.active) // STAKE-CANDIDATES L1
    .map(({ address, record }) => ({ address, keys: record.keys, stake: totalDelegation(record) })); // L2
}
