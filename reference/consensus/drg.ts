import { SpecError, unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import { buildCommitField, readCommitField } from "../randomness/commit.ts";
import { checkRevealField } from "../randomness/reveal.ts";
import { BEACON_SHARD, drgFieldsExpected } from "../randomness/schedule.ts";
import type { DrgRound } from "../randomness/seed.ts";
import { makeShare, verifyShare } from "../randomness/share.ts";
import { beaconChainOf } from "./chain.ts";
import { leaderOf } from "./leader.ts";
import type { Share } from "./messages.ts";
import {
  type ConsensusConfig,
  type ConsensusMode,
  type ConsensusOutput,
  type ConsensusState,
  heightOf,
  type Transition,
} from "./state.ts";

/*
 * The randomness protocol inside FBFT (§9.7): the round of a commit height, the commit window, the fields a
 * leader fills, and the reveal the driver computes. Off shard 0 none of these rules does anything.
 */

/** DRG-FIELDS(shard, N) for the height the node decides. */
function roleAtHeight(config: ConsensusConfig, state: ConsensusState) {
  return drgFieldsExpected(config.shardId, heightOf(state), config.preset);
}

/** The round (N, v) of a view at the node's height, over its head. */
function roundOf(state: ConsensusState, view: bigint): DrgRound {
  return { blockNum: heightOf(state), viewId: view, parentHash: headerHash(state.ledger.head) };
}

/**
 * DRG-COUNT(S, i, π) (DRG-ENTER-VIEW L6–L7): the leader records a share and asks for its proposal at once when
 * it holds every member's share and has no proposal yet. Members have power at least 1, so "all the power" is
 * "every member".
 *
 * @spec DRG-ENTER-VIEW.1
 */
function countShare(config: ConsensusConfig, t: Transition, signer: number, proof: Uint8Array): void {
  const shares = new Map(t.state.shares);
  shares.set(signer, proof);
  t.state = { ...t.state, shares }; // DRG-COUNT L6
  if (shares.size === config.committee.members.length && t.state.proposal === null) {
    t.outputs.push({ kind: "proposalDue", blockNum: heightOf(t.state), viewId: t.state.view, wait: false }); // L7
  }
}

/**
 * DRG-ENTER-VIEW(S, v', mode', r) (L1–L5): entering a view empties its randomness round; a member entering a
 * normal view that requires no block at the beacon chain's commit height sends its share to the leader and
 * opens its commit window, and the leader counts its own share.
 *
 * @spec DRG-ENTER-VIEW.1
 */
export function enterDrgRound(
  config: ConsensusConfig,
  t: Transition,
  view: bigint,
  mode: ConsensusMode,
  required: Uint8Array | null,
): void {
  t.state = { ...t.state, shares: new Map(), shareOpen: null }; // DRG-ENTER-VIEW L1
  const me = config.me;
  if (
    config.shardId !== BEACON_SHARD ||
    roleAtHeight(config, t.state) !== "commit" ||
    mode !== "normal" ||
    required !== null ||
    me === null
  ) {
    return; // DRG-ENTER-VIEW L2
  }
  const share = unwrap(makeShare(config.secretKey!, me, roundOf(t.state, view), config.preset, config.bls)); // L3
  t.state = { ...t.state, shareOpen: view }; // DRG-ENTER-VIEW L3
  const windowMs = config.preset.drgCommitWindowMs;
  const leader = leaderOf(view, config.committee, config.preset);
  if (me === leader) {
    t.outputs.push({ kind: "drgTimer", viewId: view, afterMs: Math.floor(windowMs / 2) }); // DRG-ENTER-VIEW L4
    countShare(config, t, me, share.proof); // DRG-ENTER-VIEW L4
    return;
  }
  t.outputs.push({ kind: "send", to: leader, message: share }); // DRG-ENTER-VIEW L5
  t.outputs.push({ kind: "drgTimer", viewId: view, afterMs: windowMs }); // DRG-ENTER-VIEW L5
}

/**
 * AUTHENTICATE L10 of FBFT-RECEIVE.3: a share is checked only on the beacon chain, only for the commit height
 * the node decides (its seed names the node's head), with DRG-SHARE-VERIFY against the round of its own view.
 *
 * @spec FBFT-RECEIVE.3
 */
export function authenticateShare(config: ConsensusConfig, state: ConsensusState, m: Share): void {
  if (config.shardId !== BEACON_SHARD) {
    throw new SpecError(
      "DRG_SHARE_WRONG_SHARD",
      `shares belong to the beacon chain, not shard ${config.shardId}`,
    );
  }
  const height = heightOf(state);
  const commitHeight = roleAtHeight(config, state) === "commit";
  if (m.blockNum !== height || !commitHeight) {
    throw new SpecError(
      "DRG_SHARE_WRONG_ROUND",
      `a share for height ${m.blockNum}; this node decides ${height}, which is ${commitHeight ? "" : "not "}a commit height`,
    );
  }
  unwrap(verifyShare(m, roundOf(state, m.viewId), config.committee, config.preset, config.bls)); // L10
}

/**
 * DRG-ON-SHARE(S, m) (L1–L3): the leader counts a verified share of the round it opened in its view.
 *
 * @spec DRG-ON-SHARE.1
 */
export function onShare(config: ConsensusConfig, t: Transition, m: Share): void {
  if (t.state.shareOpen !== t.state.view) {
    throw new SpecError("DRG_SHARE_WRONG_ROUND", `view ${t.state.view} has no open randomness round`); // L1
  }
  if (t.state.shares.has(m.signer)) {
    throw new SpecError("CONSENSUS_DUPLICATE", `member ${m.signer}'s share is already counted`); // L2
  }
  countShare(config, t, m.signer, m.proof); // DRG-ON-SHARE L3
}

/**
 * DRG-ON-TIMER(S, viewId) (L1–L3): half the window after its own share the leader proposes with what it holds;
 * a member's window closes.
 *
 * @spec DRG-ON-TIMER.1
 */
export function onDrgTimeout(config: ConsensusConfig, t: Transition, viewId: bigint): void {
  const view = t.state.view;
  if (viewId !== view || t.state.shareOpen !== view) return; // DRG-ON-TIMER L1
  if (config.me !== leaderOf(view, config.committee, config.preset)) {
    t.state = { ...t.state, shareOpen: null }; // DRG-ON-TIMER L2
    return;
  }
  if (t.state.proposal === null) {
    t.outputs.push({ kind: "proposalDue", blockNum: heightOf(t.state), viewId: view, wait: false }); // L3
  }
}

/**
 * Whether ON-ANNOUNCE L8 applies DRG-COMMIT-WINDOW: a fresh proposal of the commit height, at a member other
 * than the leader.
 *
 * @spec FBFT-ON-ANNOUNCE.3
 */
export function commitWindowApplies(config: ConsensusConfig, state: ConsensusState): boolean {
  const me = config.me;
  return (
    state.required === null &&
    me !== null &&
    me !== leaderOf(state.view, config.committee, config.preset) &&
    roleAtHeight(config, state) === "commit"
  );
}

/**
 * DRG-COMMIT-WINDOW(S, B) (L1–L3): a member prepares a fresh commit-height proposal only inside the window its
 * share opened, and only if the commitment counts that share. `block` has passed VALIDATE-BLOCK.
 *
 * @spec DRG-COMMIT-WINDOW.2
 */
export function checkCommitWindow(config: ConsensusConfig, state: ConsensusState, block: Block): void {
  if (state.shareOpen !== state.view) {
    throw new SpecError("DRG_WINDOW_CLOSED", `the commit window of view ${state.view} is not open`); // L1
  }
  const { signers } = unwrap(readCommitField(block.header.vrf, config.committee)); // DRG-COMMIT-WINDOW L2
  if (!signers.includes(config.me!)) {
    throw new SpecError("DRG_SHARE_LEFT_OUT", `the commitment does not count member ${config.me}'s share`); // L3
  }
}

/**
 * DRG-PROPOSER-FIELDS(S) (L1–L6): the commitment of the shares the leader holds at a commit height, its checked
 * reveal at a reveal height, empty fields elsewhere.
 *
 * @spec DRG-PROPOSE.1
 */
export function proposerDrgFields(
  config: ConsensusConfig,
  state: ConsensusState,
): { readonly vrf: Uint8Array; readonly vdf: Uint8Array } {
  const empty = new Uint8Array(0);
  const role = roleAtHeight(config, state); // DRG-PROPOSER-FIELDS L1
  if (role === "commit") {
    const shares = [...state.shares].map(([signer, proof]) => ({ signer, proof }));
    return { vrf: unwrap(buildCommitField(shares, config.committee, config.bls)), vdf: empty }; // L2
  }
  if (role === "reveal") {
    const pRnd = beaconChainOf(state.ledger).drg.pRnd;
    const reveal = state.reveal;
    if (reveal === null || pRnd === null || !bytesEqual(reveal.pRnd, pRnd)) {
      throw new SpecError("DRG_REVEAL_NOT_READY", "no checked reveal for this epoch's pRnd"); // L4
    }
    return { vrf: empty, vdf: reveal.vdf }; // DRG-PROPOSER-FIELDS L5
  }
  return { vrf: empty, vdf: empty }; // DRG-PROPOSER-FIELDS L6
}

/**
 * The `vdfDue` a member of the beacon committee gives while its head's epoch has a commitment and no reveal:
 * after finalizing the commit block (DRG-REVEAL-DUE L1) and after a restart (FBFT-PERSIST.3).
 *
 * @spec DRG-REVEAL-DUE.1 FBFT-PERSIST.3
 */
export function pendingReveal(config: ConsensusConfig, state: ConsensusState): ConsensusOutput[] {
  if (config.shardId !== BEACON_SHARD || config.me === null) return [];
  const drg = beaconChainOf(state.ledger).drg;
  if (drg.pRnd === null || drg.rnd !== null) return [];
  return [{ kind: "vdfDue", epoch: drg.epoch, pRnd: drg.pRnd }];
}

/**
 * DRG-REVEAL-DUE L1: finalizing the commit block asks the driver for the reveal.
 *
 * @spec DRG-REVEAL-DUE.1
 */
export function revealDue(config: ConsensusConfig, t: Transition, block: Block): void {
  if (drgFieldsExpected(config.shardId, block.header.number, config.preset) !== "commit") return;
  for (const output of pendingReveal(config, t.state)) t.outputs.push(output); // DRG-REVEAL-DUE L1
}

/**
 * DRG-ON-VDF(S, e, vdf) (L2–L5): the driver's reveal for the head's epoch is checked and kept for the leader of
 * the reveal height.
 *
 * @spec DRG-REVEAL-DUE.1
 */
export function onVdfReady(config: ConsensusConfig, t: Transition, epoch: bigint, vdf: Uint8Array): void {
  const drg = config.shardId === BEACON_SHARD ? beaconChainOf(t.state.ledger).drg : null; // DRG-ON-VDF L2
  if (drg === null || drg.epoch !== epoch || drg.pRnd === null || drg.rnd !== null) {
    throw new SpecError("DRG_REVEAL_UNEXPECTED", `no commitment of epoch ${epoch} awaits its reveal here`); // L3
  }
  unwrap(checkRevealField(vdf, drg.pRnd, config.preset)); // DRG-ON-VDF L4
  t.state = { ...t.state, reveal: { pRnd: drg.pRnd, vdf } }; // DRG-ON-VDF L5
}
