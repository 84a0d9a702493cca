import type { LedgerState } from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import { drgFieldsExpected } from "../randomness/schedule.ts";
import type { Certificate } from "./certificate.ts";
import { chainStart } from "./chain.ts";
import { enterDrgRound, revealDue } from "./drg.ts";
import { leaderOf, viewTimeoutMs } from "./leader.ts";
import type { Committed } from "./messages.ts";
import {
  type ConsensusConfig,
  type ConsensusMode,
  type ConsensusOutput,
  type ConsensusState,
  freshHeightState,
  heightOf,
  type Transition,
} from "./state.ts";
import { validateBlock } from "./validateBlock.ts";
import { emptyVoteKeeper } from "./voteKeeper.ts";

/*
 * Leaving a height (FINALIZE) and entering a view (ENTER-VIEW), §6.8.
 */

/**
 * ENTER-VIEW(S, v', mode', r) (FINALIZE L4–L7) with the block the view must re-propose, `r` (none except for a
 * new view that names one, VIEW-ON-NEWVIEW L2): required is set as the view is entered, so that L6 asks the
 * driver for a fresh proposal only when none is required. L7 only marks the buffer for replay: STEP replays it
 * when the rule that entered the view has finished, so that a replayed message sees the whole new view and its
 * outputs follow the rule's own.
 *
 * @spec FBFT-FINALIZE.2 VIEW-TIMEOUT.1
 */
export function enterView(
  config: ConsensusConfig,
  t: Transition,
  view: bigint,
  mode: ConsensusMode,
  required: Uint8Array | null,
): void {
  const height = heightOf(t.state);
  t.state = {
    ...t.state,
    view,
    mode,
    proposal: null,
    required,
    prepares: emptyVoteKeeper("prepare", height, view),
    commits: new Map(),
    preparedSent: false,
    committedSent: false,
  }; // ENTER-VIEW L4
  const afterMs = viewTimeoutMs(view, t.state.heightView, config.preset);
  t.outputs.push({ kind: "timer", viewId: view, afterMs }); // ENTER-VIEW L5
  if (
    mode === "normal" &&
    config.me === leaderOf(view, config.committee, config.preset) &&
    required === null &&
    drgFieldsExpected(config.shardId, height, config.preset) !== "commit"
  ) {
    t.outputs.push({ kind: "proposalDue", blockNum: height, viewId: view, wait: true }); // ENTER-VIEW L6
  }
  enterDrgRound(config, t, view, mode, required); // ENTER-VIEW L6: DRG-ENTER-VIEW
  t.replayDue = true; // ENTER-VIEW L7
}

/**
 * FINALIZE(S, B, c) (L1–L3): the block becomes the head and the commit certificate of `c` its certificate, and
 * the node moves to the next height in the view after both its own and the one `c` was decided in. `hash` is
 * the block's header hash. The ledger after B comes from VALIDATE-BLOCK, which has validated B at this height
 * on every path but one (a leader restarted with a lock), where it validates it now.
 *
 * @spec FBFT-FINALIZE.2
 */
export function finalize(
  config: ConsensusConfig,
  t: Transition,
  hash: Uint8Array,
  block: Block,
  committed: Committed,
): void {
  const ledger = validateBlock(config, t, hash, block); // FINALIZE L1
  t.outputs.push({ kind: "finalized", block, committed }); // FINALIZE L1
  let nextView = t.state.view + 1n; // FINALIZE L3: max(v, c.viewId) + 1
  if (committed.viewId >= t.state.view) nextView = committed.viewId + 1n;
  t.state = freshHeightState(ledger, committed.certificate, nextView, t.state.buffer, t.state.reveal); // L1–L3
  revealDue(config, t, block); // FINALIZE L1: DRG-REVEAL-DUE
  enterView(config, t, nextView, "normal", null); // FINALIZE L3
}

/**
 * The state of a node starting at `ledger` and the outputs of ENTER-VIEW(view, normal, none), in the view after
 * the head's (FBFT-STATE.2): for the genesis ledger view 1, since block 1 must name a view above the genesis
 * header's (HEADER-VALIDATE L7). `headCertificate` is null for the genesis ledger; a node resuming from a
 * stored chain passes the commit certificate it stored with its head, which it has verified.
 *
 * @spec FBFT-STATE.2 FBFT-FINALIZE.2
 */
export function initialState(
  config: ConsensusConfig,
  ledger: LedgerState,
  headCertificate: Certificate | null,
): { readonly state: ConsensusState; readonly outputs: readonly ConsensusOutput[] } {
  const view = ledger.head.viewId + 1n;
  const t: Transition = {
    state: freshHeightState(chainStart(config, ledger), headCertificate, view, [], null),
    outputs: [],
    replayDue: false,
  };
  enterView(config, t, view, "normal", null);
  return { state: t.state, outputs: t.outputs };
}
