import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { checkHeaderFields } from "../ledger/header.ts";
import { askForSync, bufferMessage, isLater, takeReplayable } from "./buffer.ts";
import { verifyVoteSignature } from "./certificate.ts";
import { authenticateShare, onDrgTimeout, onShare, onVdfReady } from "./drg.ts";
import { finalize } from "./finalize.ts";
import { leaderOf, turnOf } from "./leader.ts";
import { bitmapsIn, type ConsensusMessage, checkMessageFields, signersIn } from "./messages.ts";
import { checkNamedBlock, decodeNamedBlock } from "./namedBlock.ts";
import { checkNewView, onNewView } from "./newView.ts";
import { onAnnounce, onCommit, onCommitted, onPrepare, onPrepared } from "./normalCase.ts";
import { commitPayload, preparePayload } from "./payloads.ts";
import { onPropose } from "./propose.ts";
import { verifyCertificateOnce } from "./signatures.ts";
import {
  type ConsensusConfig,
  type ConsensusEvent,
  type ConsensusOutput,
  type ConsensusState,
  heightOf,
  type Transition,
} from "./state.ts";
import { validateBlock } from "./validateBlock.ts";
import { checkViewChange, onTimeout, onViewChange } from "./viewChange.ts";

/*
 * STEP (§6.6) and RECEIVE (§6.7): one event in, a new state and the outputs out.
 */

/** How many heights beyond the current one a message may be for (FBFT-RECEIVE L5). */
export const MAX_HEIGHT_AHEAD = 8n;
/** How many turns beyond the current one a message's view may be in (FBFT-RECEIVE L6). */
export const MAX_TURNS_AHEAD = 32n;

/**
 * STALE(m, v, mode) of FBFT-RECEIVE.3 for a message of the current height: a view this node has left, for a
 * view-change or new-view message also the current view once it is formed; never for a committed message.
 *
 * @spec FBFT-RECEIVE.3
 */
export function isStale(state: ConsensusState, m: ConsensusMessage): boolean {
  switch (m.type) {
    case "announce":
    case "prepare":
    case "prepared":
    case "commit":
    case "share":
      return m.viewId < state.view;
    case "committed":
      return false;
    case "viewChange":
    case "newView":
      return m.viewId < state.view || (m.viewId === state.view && state.mode === "normal");
  }
}

/** RECEIVE L1: the message is for this node's shard. @spec FBFT-RECEIVE.3 */
function checkShard(config: ConsensusConfig, m: ConsensusMessage): void {
  if (m.shardId !== config.shardId) {
    throw new SpecError("CONSENSUS_WRONG_SHARD", `message for shard ${m.shardId}, this is ${config.shardId}`); // L1
  }
}

/** RECEIVE L3: every bitmap the message carries has the committee's length. @spec FBFT-RECEIVE.3 */
function checkBitmapLengths(config: ConsensusConfig, m: ConsensusMessage): void {
  const n = config.committee.members.length;
  const bitmapBytes = (n + 7) >> 3;
  const bitmaps = bitmapsIn(m);
  for (let i = 0; i < bitmaps.length; i++) {
    if (bitmaps[i]!.length !== bitmapBytes) {
      throw new SpecError(
        "BITMAP_LENGTH",
        `a bitmap of ${bitmaps[i]!.length} bytes; a committee of ${n} takes ${bitmapBytes}`,
      ); // L3
    }
  }
}

/**
 * RECEIVE L1–L4: the checks that cost no pairing and come before the height window, in the order that names
 * the first failure.
 *
 * @spec FBFT-RECEIVE.3
 */
function checkAddressing(config: ConsensusConfig, state: ConsensusState, m: ConsensusMessage): void {
  checkShard(config, m); // RECEIVE L1
  const n = config.committee.members.length;
  const signers = signersIn(m);
  for (let i = 0; i < signers.length; i++) {
    if (signers[i]! >= n) {
      throw new SpecError("CONSENSUS_UNKNOWN_SIGNER", `signer ${signers[i]} of a committee of ${n}`); // L2
    }
  }
  checkBitmapLengths(config, m); // RECEIVE L3
  const height = heightOf(state);
  if (m.blockNum < height) {
    throw new SpecError(
      "CONSENSUS_STALE_HEIGHT",
      `height ${m.blockNum} is decided; this node is at ${height}`,
    ); // L4
  }
}

/**
 * RECEIVE L6–L8: the checks that cost no pairing for a message inside the height window.
 *
 * @spec FBFT-RECEIVE.3
 */
function checkWindow(config: ConsensusConfig, state: ConsensusState, m: ConsensusMessage): void {
  const height = heightOf(state);
  if (turnOf(m.viewId, config.preset) > turnOf(state.view, config.preset) + MAX_TURNS_AHEAD) {
    throw new SpecError(
      "CONSENSUS_VIEW_TOO_FAR",
      `view ${m.viewId} is more than 32 turns after ${state.view}`,
    ); // L6
  }
  if (m.blockNum === height && isStale(state, m)) {
    throw new SpecError(
      "CONSENSUS_STALE_VIEW",
      `a ${m.type} of view ${m.viewId}; this node is in ${state.view}`,
    ); // L7
  }
  if (
    (m.type === "prepare" || m.type === "commit" || m.type === "share") &&
    config.me !== leaderOf(m.viewId, config.committee, config.preset)
  ) {
    throw new SpecError(
      "CONSENSUS_NOT_LEADER",
      `a ${m.type} of view ${m.viewId} sent to a member that does not lead it`,
    ); // L8
  }
}

/**
 * AUTHENTICATE L4–L5: a block is committed and certified only in its header view or later, so a commit or
 * committed message whose block view is above its own view is malformed.
 *
 * @spec FBFT-RECEIVE.3
 */
function checkBlockView(blockViewId: bigint, viewId: bigint): void {
  if (blockViewId > viewId) {
    throw new SpecError(
      "CONSENSUS_FIELD_INVALID",
      `block view ${blockViewId} is above the message's view ${viewId}`,
    );
  }
}

/**
 * AUTHENTICATE(m) (L1–L9): every signature and certificate the message carries, against the keys of
 * FBFT-LEADER.1 and the payloads of FBFT-PAYLOADS.1, and the block an announce or prepared message carries
 * against the hash they sign, so that a relayed copy with another body is refused before it is buffered.
 * Returns that block, so that the rule of the message does not decode it again; null for other types.
 *
 * @spec FBFT-RECEIVE.3
 */
function authenticate(config: ConsensusConfig, t: Transition, m: ConsensusMessage): Block | null {
  const members = config.committee.members;
  const bls = config.bls;
  switch (m.type) {
    case "announce": {
      const leader = members[leaderOf(m.viewId, config.committee, config.preset)]!;
      const payload = preparePayload(m.blockNum, m.blockHash, m.viewId);
      unwrap(verifyVoteSignature(leader.publicKey, payload, m.signature, bls)); // AUTHENTICATE L1
      return decodeNamedBlock(config, m.block, m.blockHash, m.blockNum, "CONSENSUS_BLOCK_MISMATCH"); // L1
    }
    case "prepare": {
      const payload = preparePayload(m.blockNum, m.blockHash, m.viewId);
      unwrap(verifyVoteSignature(members[m.signer]!.publicKey, payload, m.signature, bls)); // AUTHENTICATE L2
      return null;
    }
    case "prepared": {
      const payload = preparePayload(m.blockNum, m.blockHash, m.viewId);
      verifyCertificateOnce(config, t, m.certificate, payload); // AUTHENTICATE L3
      return decodeNamedBlock(config, m.block, m.blockHash, m.blockNum, "CONSENSUS_BLOCK_MISMATCH"); // L3
    }
    case "commit": {
      checkBlockView(m.blockViewId, m.viewId); // AUTHENTICATE L4
      const payload = commitPayload(m.blockNum, m.blockHash, m.blockViewId);
      unwrap(verifyVoteSignature(members[m.signer]!.publicKey, payload, m.signature, bls)); // AUTHENTICATE L4
      return null;
    }
    case "committed": {
      checkBlockView(m.blockViewId, m.viewId); // AUTHENTICATE L5
      verifyCertificateOnce(config, t, m.certificate, commitPayload(m.blockNum, m.blockHash, m.blockViewId)); // L6
      const prepared = preparePayload(m.blockNum, m.blockHash, m.viewId);
      verifyCertificateOnce(config, t, m.preparedCertificate, prepared); // AUTHENTICATE L7
      return null;
    }
    case "viewChange":
      checkViewChange(config, t, m); // AUTHENTICATE L8
      return null;
    case "newView":
      checkNewView(config, t, m); // AUTHENTICATE L9
      return null;
    case "share":
      authenticateShare(config, t.state, m); // AUTHENTICATE L10
      return null;
  }
}

/**
 * RECEIVE L11: the rule of the message's type.
 *
 * @spec FBFT-RECEIVE.3
 */
function dispatch(config: ConsensusConfig, t: Transition, m: ConsensusMessage, block: Block | null): void {
  switch (m.type) {
    case "announce":
      onAnnounce(config, t, m, block);
      return;
    case "prepare":
      onPrepare(config, t, m);
      return;
    case "prepared":
      onPrepared(config, t, m, block);
      return;
    case "commit":
      onCommit(config, t, m);
      return;
    case "committed":
      onCommitted(config, t, m);
      return;
    case "viewChange":
      onViewChange(config, t, m);
      return;
    case "newView":
      onNewView(config, t, m);
      return;
    case "share":
      onShare(config, t, m);
      return;
  }
}

/**
 * CATCH-UP(S, m) (L1–L3): a message beyond the height window is refused, unless it is the first authentic one
 * at this node's height, which proves that a member works further on; then the node asks for the blocks it
 * misses.
 *
 * @spec FBFT-CATCH-UP.2
 */
function catchUp(config: ConsensusConfig, t: Transition, m: ConsensusMessage): void {
  const height = heightOf(t.state);
  if (t.state.syncAsked === height) {
    throw new SpecError(
      "CONSENSUS_HEIGHT_TOO_FAR",
      `height ${m.blockNum} is more than ${MAX_HEIGHT_AHEAD} above ${height}`,
    ); // L1
  }
  authenticate(config, t, m); // CATCH-UP L2
  askForSync(t); // CATCH-UP L3
}

/**
 * RECEIVE(S, m) (L1–L11). A buffered message was authenticated when it arrived and authentication depends on
 * the message and the committee only, so its replay (`authenticated`) skips L9.
 *
 * @spec FBFT-RECEIVE.3
 */
function receive(config: ConsensusConfig, t: Transition, m: ConsensusMessage, authenticated: boolean): void {
  checkAddressing(config, t.state, m); // RECEIVE L1–L4
  if (m.blockNum > heightOf(t.state) + MAX_HEIGHT_AHEAD) {
    catchUp(config, t, m); // RECEIVE L5
    return;
  }
  checkWindow(config, t.state, m); // RECEIVE L6–L8
  const block = authenticated ? null : authenticate(config, t, m); // RECEIVE L9
  if (m.blockNum > heightOf(t.state) || isLater(t.state, m)) {
    bufferMessage(config, t, m); // RECEIVE L10
    return;
  }
  dispatch(config, t, m, block); // RECEIVE L11
}

/**
 * ON-SYNC-BLOCK(S, B, c) (L1–L6): a block fetched from a peer is accepted on the committed message that
 * finalized it, checked as a delivered one would be: shard and bitmaps, height, then both certificates.
 *
 * @spec FBFT-SYNC.2
 */
function onSyncBlock(config: ConsensusConfig, t: Transition, block: Block, c: ConsensusMessage): void {
  checkShard(config, c); // ON-SYNC-BLOCK L1: RECEIVE L1
  checkBitmapLengths(config, c); // ON-SYNC-BLOCK L1: RECEIVE L3
  if (c.type !== "committed") {
    throw new SpecError("MSG_UNKNOWN_TYPE", `a block is synced with a committed message, not a ${c.type}`); // L1
  }
  const height = heightOf(t.state);
  if (c.blockNum < height) {
    throw new SpecError("CONSENSUS_STALE_HEIGHT", `block ${c.blockNum} is below height ${height}`); // L2
  }
  if (c.blockNum > height) {
    throw new SpecError("CONSENSUS_HEIGHT_TOO_FAR", `block ${c.blockNum} is not the next block ${height}`); // L2
  }
  authenticate(config, t, c); // ON-SYNC-BLOCK L3
  checkNamedBlock(block, c.blockHash, height, "CONSENSUS_BLOCK_MISMATCH"); // ON-SYNC-BLOCK L4
  if (block.header.viewId !== c.blockViewId) {
    throw new SpecError(
      "CONSENSUS_BLOCK_MISMATCH",
      `the synced block was proposed in view ${block.header.viewId}; its certificate names ${c.blockViewId}`,
    ); // ON-SYNC-BLOCK L4
  }
  validateBlock(config, t, c.blockHash, block); // ON-SYNC-BLOCK L5
  finalize(config, t, c.blockHash, block, c); // ON-SYNC-BLOCK L6
}

/**
 * The replay of FBFT-BUFFER.1, run after a rule that entered a view or a height: the messages that are no
 * longer LATER go through RECEIVE again, in arrival order; one that raises is discarded without undoing the
 * others. A replayed message that enters a view starts another round of replay.
 *
 * @spec FBFT-BUFFER.1
 */
function replayBuffer(config: ConsensusConfig, t: Transition): void {
  while (t.replayDue) {
    t.replayDue = false;
    const ready = takeReplayable(t);
    for (let i = 0; i < ready.length; i++) {
      const replay: Transition = { state: t.state, outputs: [], replayDue: false };
      const outcome = attempt(() => receive(config, replay, ready[i]!, true));
      if (!outcome.ok) continue;
      t.state = replay.state;
      for (let j = 0; j < replay.outputs.length; j++) t.outputs.push(replay.outputs[j]!);
      if (replay.replayDue) t.replayDue = true;
    }
  }
}

/**
 * STEP(config, state, event): the new state and the outputs, or the SpecError of the first failing check, in
 * which case the caller keeps `state` (which is never written). A delivered message, and the committed
 * message of a synced block, is first checked against the domains of MSG-RLP.2 (MSG_FIELD_INVALID), which
 * every decoded message meets; a synced block's header against HEADER-FIELDS.2, which every decoded block
 * meets.
 *
 * @spec FBFT-EVENTS.5 FBFT-RECEIVE.3
 */
export function step(
  config: ConsensusConfig,
  state: ConsensusState,
  event: ConsensusEvent,
): Result<{ readonly state: ConsensusState; readonly outputs: readonly ConsensusOutput[] }> {
  return attempt(() => {
    const t: Transition = { state, outputs: [], replayDue: false };
    switch (event.kind) {
      case "deliver":
        unwrap(checkMessageFields(event.message));
        receive(config, t, event.message, false);
        break;
      case "timeout":
        onTimeout(config, t, event.viewId);
        break;
      case "propose":
        onPropose(config, t, event.viewId, event.transactions, event.crossLinks, event.incoming, event.time);
        break;
      case "syncBlock":
        checkHeaderFields(event.block.header, config.preset);
        unwrap(checkMessageFields(event.committed));
        onSyncBlock(config, t, event.block, event.committed);
        break;
      case "drgTimeout":
        onDrgTimeout(config, t, event.viewId);
        break;
      case "vdfReady":
        onVdfReady(config, t, event.epoch, event.vdf);
        break;
    }
    replayBuffer(config, t);
    return { state: t.state, outputs: t.outputs };
  });
}
