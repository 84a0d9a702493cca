import type { LedgerState } from "../ledger/applyBlock.ts";
import type { Certificate } from "./certificate.ts";
import { pendingReveal } from "./drg.ts";
import { viewTimeoutMs } from "./leader.ts";
import {
  type CommitVoteRecord,
  type ConsensusConfig,
  type ConsensusMode,
  type ConsensusOutput,
  type ConsensusState,
  freshHeightState,
  type Lock,
} from "./state.ts";

/**
 * The durable part of a validator's state: what it must not forget across a crash so that it neither repeats
 * nor contradicts a vote it sent.
 *
 * @spec FBFT-PERSIST.3
 */
export interface PersistentConsensusState {
  readonly ledger: LedgerState;
  readonly headCert: Certificate | null;
  readonly view: bigint;
  readonly mode: ConsensusMode;
  readonly heightView: bigint;
  readonly lock: Lock | null;
  readonly required: Uint8Array | null;
  readonly votedPrepare: ReadonlyMap<bigint, Uint8Array>;
  readonly votedCommit: readonly CommitVoteRecord[];
  readonly lastViewChange: bigint | null;
}

/**
 * The durable fields of a state, which the driver stores before it executes the outputs of a step.
 *
 * @spec FBFT-PERSIST.3
 */
export function persistentState(state: ConsensusState): PersistentConsensusState {
  return {
    ledger: state.ledger,
    headCert: state.headCert,
    view: state.view,
    mode: state.mode,
    heightView: state.heightView,
    lock: state.lock,
    required: state.required,
    votedPrepare: state.votedPrepare,
    votedCommit: state.votedCommit,
    lastViewChange: state.lastViewChange,
  };
}

/**
 * The state of a node restarting from its durable fields, every other field empty, and its one output: the
 * timer of its view. A node that crashed during a view change resumes it; one that crashed in a view it had
 * proposed or voted in does not vote again there; one that crashed in a new view that requires a block still
 * accepts no other.
 *
 * @spec FBFT-PERSIST.3
 */
export function restoreState(
  config: ConsensusConfig,
  persisted: PersistentConsensusState,
): { readonly state: ConsensusState; readonly outputs: readonly ConsensusOutput[] } {
  const state: ConsensusState = {
    ...freshHeightState(persisted.ledger, persisted.headCert, persisted.view, [], null),
    mode: persisted.mode,
    heightView: persisted.heightView,
    lock: persisted.lock,
    required: persisted.required,
    votedPrepare: persisted.votedPrepare,
    votedCommit: persisted.votedCommit,
    lastViewChange: persisted.lastViewChange,
  };
  const afterMs = viewTimeoutMs(persisted.view, persisted.heightView, config.preset);
  return {
    state,
    outputs: [{ kind: "timer", viewId: persisted.view, afterMs }, ...pendingReveal(config, state)],
  };
}
