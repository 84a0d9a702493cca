import { SpecError, unwrap } from "../errors.ts";
import { verifyVoteSignature } from "./certificate.ts";
import { isBlocking, isQuorum } from "./committee.ts";
import { enterView } from "./finalize.ts";
import { checkTurnStart, leaderOf, nextView, viewTimeoutMs } from "./leader.ts";
import type { Claim, ViewChange } from "./messages.ts";
import { decodeNamedBlock } from "./namedBlock.ts";
import { tryNewView } from "./newView.ts";
import { m1Payload, m2Payload, m3Payload, preparePayload } from "./payloads.ts";
import { signPayload, verifyCertificateOnce } from "./signatures.ts";
import {
  type ConsensusConfig,
  type ConsensusState,
  heightOf,
  type Transition,
  type ViewChangeRecord,
} from "./state.ts";

/*
 * Starting and joining a view change (§7.1–§7.2).
 */

/**
 * ASKED(w): the power of the members whose highest recorded request at this height is for view w or later.
 *
 * @spec VIEW-START.2
 */
function askedPower(state: ConsensusState, view: bigint): bigint {
  let power = 0n;
  for (const [asked, p] of state.highestAskedPower) if (asked >= view) power += p;
  return power;
}

/**
 * ON-TIMEOUT(S, viewId) (L1–L3): the timer of the current view moves the node to the first view of the next
 * turn, unless the node is changing views and no quorum has asked for its view yet: then it repeats its own
 * request and waits another timeout, so that a member alone ahead of the others does not run further ahead.
 * A timer of a view already left does nothing.
 *
 * @spec VIEW-START.2
 */
export function onTimeout(config: ConsensusConfig, t: Transition, viewId: bigint): void {
  const state = t.state;
  if (viewId !== state.view) return; // ON-TIMEOUT L1
  if (state.mode === "normal" || isQuorum(askedPower(state, state.view), config.committee.totalPower)) {
    startViewChange(config, t, nextView(state.view, config.preset)); // ON-TIMEOUT L2
    return;
  }
  if (config.me !== null && state.lastViewChange === state.view) {
    const request = ownRequest(config, state, state.view);
    const record = state.viewChanges.get(state.view);
    // A node restarted during the view change has lost its records, its own request among them.
    if (record === undefined || !hasSigner(record.signers, config.me)) recordViewChange(config, t, request); // L3
    t.outputs.push({ kind: "broadcast", message: request }); // ON-TIMEOUT L3
  }
  t.outputs.push({
    kind: "timer",
    viewId: state.view,
    afterMs: viewTimeoutMs(state.view, state.heightView, config.preset),
  }); // ON-TIMEOUT L3
}

/**
 * The view-change request of START-VIEW-CHANGE L6–L8 for view `view`: M3, and the claim about the lock. BLS
 * signatures are deterministic, so building it again gives the same message.
 *
 * @spec VIEW-START.2
 */
function ownRequest(config: ConsensusConfig, state: ConsensusState, view: bigint): ViewChange {
  const height = heightOf(state);
  const lock = state.lock;
  const claim: Claim =
    lock !== null
      ? {
          kind: "prepared",
          preparedViewId: lock.view,
          preparedHash: lock.hash,
          preparedBlock: lock.blockBytes,
          preparedCertificate: lock.certificate,
          signature: signPayload(config, m1Payload(height, view, lock.view, lock.hash)),
        } // START-VIEW-CHANGE L6
      : { kind: "nil", signature: signPayload(config, m2Payload(height, view)) }; // L7
  return {
    type: "viewChange",
    shardId: config.shardId,
    blockNum: height,
    viewId: view,
    signer: config.me!,
    m3Signature: signPayload(config, m3Payload(height, view)),
    claim,
  }; // START-VIEW-CHANGE L8
}

/**
 * START-VIEW-CHANGE(S, w) (L4–L10): enter view w in viewChanging mode, ask for it once with a truthful claim
 * about the lock, and, as its leader, try to form it.
 *
 * @spec VIEW-START.2
 */
export function startViewChange(config: ConsensusConfig, t: Transition, view: bigint): void {
  enterView(config, t, view, "viewChanging", null); // START-VIEW-CHANGE L4
  const me = config.me;
  const last = t.state.lastViewChange;
  if (me !== null && (last === null || last < view)) {
    // START-VIEW-CHANGE L5
    const m = ownRequest(config, t.state, view); // START-VIEW-CHANGE L6–L8
    t.state = { ...t.state, lastViewChange: view }; // START-VIEW-CHANGE L8
    recordViewChange(config, t, m); // START-VIEW-CHANGE L9
    t.outputs.push({ kind: "broadcast", message: m });
  }
  if (me === leaderOf(view, config.committee, config.preset)) tryNewView(config, t); // L10
}

/**
 * VIEW-CHECK-VIEWCHANGE(m) (L1–L9): a view that starts a turn, the M3 signature, then the claim: an M2
 * signature, or a prepared certificate from an earlier view with its block and the M1 signature.
 *
 * @spec VIEW-CHECK-VIEWCHANGE.2
 */
export function checkViewChange(config: ConsensusConfig, t: Transition, m: ViewChange): void {
  const height = m.blockNum;
  const view = m.viewId;
  const publicKey = config.committee.members[m.signer]!.publicKey;
  const bls = config.bls;
  checkTurnStart(view, config.preset); // VIEW-CHECK-VIEWCHANGE L1
  unwrap(verifyVoteSignature(publicKey, m3Payload(height, view), m.m3Signature, bls)); // L2
  const claim = m.claim;
  if (claim.kind === "nil") {
    unwrap(verifyVoteSignature(publicKey, m2Payload(height, view), claim.signature, bls)); // L3
    return;
  }
  if (claim.preparedViewId >= view) {
    throw new SpecError(
      "VIEW_PREPARED_VIEW_INVALID",
      `a certificate of view ${claim.preparedViewId} claimed for view ${view}`,
    ); // L5
  }
  decodeNamedBlock(config, claim.preparedBlock, claim.preparedHash, height, "VIEW_BLOCK_MISMATCH"); // L6–L7
  const preparePayloadOfClaim = preparePayload(height, claim.preparedHash, claim.preparedViewId);
  verifyCertificateOnce(config, t, claim.preparedCertificate, preparePayloadOfClaim); // L8
  const m1 = m1Payload(height, view, claim.preparedViewId, claim.preparedHash);
  unwrap(verifyVoteSignature(publicKey, m1, claim.signature, bls)); // VIEW-CHECK-VIEWCHANGE L9
}

/** Whether bit `index` of a signer bitmap is set (BITMAP-FORMAT.2's bit order: LSB first). */
function hasSigner(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[index >> 3]! >> (index & 7)) & 1) === 1;
}

/**
 * ON-VIEWCHANGE(S, m) (L1–L5): record a verified request, join a later view that a blocking set asks for, and,
 * as the leader of the view being formed, try to form it.
 *
 * @spec VIEW-ON-VIEWCHANGE.1
 */
export function onViewChange(config: ConsensusConfig, t: Transition, m: ViewChange): void {
  const record = t.state.viewChanges.get(m.viewId);
  if (record !== undefined && hasSigner(record.signers, m.signer)) {
    throw new SpecError("CONSENSUS_DUPLICATE", `member ${m.signer} already asked for view ${m.viewId}`); // L1
  }
  recordViewChange(config, t, m); // ON-VIEWCHANGE L2
  const joined = joinedView(config, t.state); // ON-VIEWCHANGE L3
  if (joined !== null && joined > t.state.view) {
    startViewChange(config, t, joined); // ON-VIEWCHANGE L4
  } else if (
    config.me === leaderOf(t.state.view, config.committee, config.preset) &&
    t.state.mode === "viewChanging"
  ) {
    tryNewView(config, t); // ON-VIEWCHANGE L5
  }
}

/**
 * Records a view-change message in viewChanges[w] (ON-VIEWCHANGE L2, START-VIEW-CHANGE L9), and moves its
 * sender's power to w in the join rule's table when w is the highest view the sender asked for.
 *
 * @spec VIEW-ON-VIEWCHANGE.1
 */
export function recordViewChange(config: ConsensusConfig, t: Transition, m: ViewChange): void {
  const view = m.viewId;
  const signer = m.signer;
  const power = config.committee.members[signer]!.power;
  const before: ViewChangeRecord = t.state.viewChanges.get(view) ?? {
    signers: new Uint8Array((config.committee.members.length + 7) >> 3),
    power: 0n,
    messages: null,
  };
  const signers = before.signers.slice();
  signers[signer >> 3] = signers[signer >> 3]! | (1 << (signer & 7));
  const record: ViewChangeRecord = {
    signers,
    power: before.power + power,
    messages: { message: m, next: before.messages },
  };
  let previousHighest: bigint | null = null;
  for (const [asked, other] of t.state.viewChanges) {
    if (hasSigner(other.signers, signer) && (previousHighest === null || asked > previousHighest)) {
      previousHighest = asked;
    }
  }
  const highestAskedPower = new Map(t.state.highestAskedPower);
  if (previousHighest === null || previousHighest < view) {
    if (previousHighest !== null) {
      const left = highestAskedPower.get(previousHighest)! - power;
      if (left === 0n) highestAskedPower.delete(previousHighest);
      else highestAskedPower.set(previousHighest, left);
    }
    highestAskedPower.set(view, (highestAskedPower.get(view) ?? 0n) + power);
  }
  const viewChanges = new Map(t.state.viewChanges);
  viewChanges.set(view, record);
  t.state = { ...t.state, viewChanges, highestAskedPower };
}

/**
 * ON-VIEWCHANGE L3: the largest view x such that the members whose highest recorded request is for x or a
 * later view form a blocking set; null when there is none.
 *
 * @spec VIEW-ON-VIEWCHANGE.1
 */
export function joinedView(config: ConsensusConfig, state: ConsensusState): bigint | null {
  const views: bigint[] = [];
  for (const view of state.highestAskedPower.keys()) views.push(view);
  views.sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
  let power = 0n;
  for (let i = 0; i < views.length; i++) {
    power += state.highestAskedPower.get(views[i]!)!;
    if (isBlocking(power, config.committee.totalPower)) return views[i]!;
  }
  return null;
}
