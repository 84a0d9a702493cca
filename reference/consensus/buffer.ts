import { SpecError } from "../errors.ts";
import { leaderOf } from "./leader.ts";
import type { ConsensusMessage } from "./messages.ts";
import { type ConsensusConfig, type ConsensusState, heightOf, type Transition } from "./state.ts";

/*
 * Messages for later views and heights (FBFT-BUFFER.1): when they are kept, and when they come back.
 */

/**
 * LATER(m, v, mode) of FBFT-RECEIVE.3 for a message of the current height: the normal-case messages of a
 * later view, or of any view while the node is changing views; never a committed, view-change or new-view
 * message.
 *
 * @spec FBFT-RECEIVE.3
 */
export function isLater(state: ConsensusState, m: ConsensusMessage): boolean {
  switch (m.type) {
    case "announce":
    case "prepare":
    case "prepared":
    case "commit":
    case "share":
      return m.viewId > state.view || state.mode === "viewChanging";
    case "committed":
    case "viewChange":
    case "newView":
      return false;
  }
}

/** The signer a buffer key names: the message's signer, or the leader of its view for a leader's message. */
function keySigner(config: ConsensusConfig, m: ConsensusMessage): number {
  if (m.type === "prepare" || m.type === "commit" || m.type === "viewChange" || m.type === "share") {
    return m.signer;
  }
  return leaderOf(m.viewId, config.committee, config.preset);
}

/**
 * BUFFER(S, m) (L1–L5): keeps a verified message of a later view or height, one per key, and asks the driver
 * for the missing blocks when the message is for a later height.
 *
 * @spec FBFT-BUFFER.1
 */
export function bufferMessage(config: ConsensusConfig, t: Transition, m: ConsensusMessage): void {
  const signer = keySigner(config, m); // BUFFER L1
  const buffer = t.state.buffer;
  for (let i = 0; i < buffer.length; i++) {
    const held = buffer[i]!;
    if (
      held.type === m.type &&
      held.blockNum === m.blockNum &&
      held.viewId === m.viewId &&
      keySigner(config, held) === signer
    ) {
      throw new SpecError("CONSENSUS_DUPLICATE", `a ${m.type} of this sender for this view is buffered`); // L2
    }
  }
  const grown = buffer.slice();
  grown.push(m);
  t.state = { ...t.state, buffer: grown }; // BUFFER L3
  if (m.blockNum > heightOf(t.state)) askForSync(t); // BUFFER L4
}

/**
 * `if syncAsked ≠ N: syncAsked ← N; output syncNeeded(N)`, the request for the blocks from this node's height
 * on, made at most once per height (FBFT-BUFFER L4, FBFT-ON-COMMITTED L2, FBFT-CATCH-UP L3).
 *
 * @spec FBFT-BUFFER.1 FBFT-ON-COMMITTED.2 FBFT-CATCH-UP.2
 */
export function askForSync(t: Transition): void {
  const height = heightOf(t.state);
  if (t.state.syncAsked === height) return;
  t.state = { ...t.state, syncAsked: height };
  t.outputs.push({ kind: "syncNeeded", blockNum: height });
}

/**
 * The replay step of FBFT-BUFFER.1: drops the buffered messages below the node's height and takes out, in
 * arrival order, those of the current height that are no longer LATER. Returns them; the caller runs RECEIVE
 * on each.
 *
 * @spec FBFT-BUFFER.1
 */
export function takeReplayable(t: Transition): ConsensusMessage[] {
  const height = heightOf(t.state);
  const kept: ConsensusMessage[] = [];
  const ready: ConsensusMessage[] = [];
  const buffer = t.state.buffer;
  for (let i = 0; i < buffer.length; i++) {
    const m = buffer[i]!;
    if (m.blockNum < height) continue;
    if (m.blockNum === height && !isLater(t.state, m)) ready.push(m);
    else kept.push(m);
  }
  if (kept.length !== buffer.length) t.state = { ...t.state, buffer: kept };
  return ready;
}
