import type { BlsBackend } from "../crypto/bls/backend.ts";
import { bytesToHex } from "../encoding/json.ts";
import { attempt, SpecError, unwrap } from "../errors.ts";
import { type Block, decodeBlock } from "../ledger/block.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import { compareBytes } from "../trie/trieNode.ts";
import {
  aggregateCertificate,
  type Certificate,
  verifyCertificate,
  verifyClaimAggregate,
} from "./certificate.ts";
import { type Committee, isQuorum } from "./committee.ts";
import { enterView } from "./finalize.ts";
import { checkTurnStart, leaderOf } from "./leader.ts";
import {
  type Announce,
  type Claim,
  MAX_PREPARED_GROUPS,
  type NewView,
  type PreparedGroup,
  type ViewChange,
} from "./messages.ts";
import { addPrepare, checkPrepared } from "./normalCase.ts";
import { m1Payload, m2Payload, m3Payload, preparePayload } from "./payloads.ts";
import { signPayload, verifyCertificateOnce } from "./signatures.ts";
import { type ConsensusConfig, type ConsensusState, heightOf, type Transition } from "./state.ts";
import { validateBlock } from "./validateBlock.ts";

/*
 * Forming and entering a new view (§7.3).
 */

/** A prepared claim of a view-change message, with its sender. */
interface PreparedClaimOf {
  readonly signer: number;
  readonly claim: Extract<ViewChange["claim"], { kind: "prepared" }>;
}

/** The view-change messages recorded for `view`, by ascending signer. */
function recordedViewChanges(state: ConsensusState, view: bigint): ViewChange[] {
  const out: ViewChange[] = [];
  let node = state.viewChanges.get(view)?.messages ?? null;
  while (node !== null) {
    out.push(node.message);
    node = node.next;
  }
  out.sort((a, b) => a.signer - b.signer);
  return out;
}

/**
 * VIEW-CHECK-NEWVIEW L14–L17: the block a new view must re-propose, the hash of the group with the highest
 * prepared view; none when no member claimed a prepared certificate. Raises VIEW_CONFLICTING_PREPARED when
 * two groups share the highest view.
 *
 * @spec VIEW-CHECK-NEWVIEW.2
 */
export function requiredBlockOf(groups: readonly PreparedGroup[]): Uint8Array | null {
  if (groups.length === 0) return null; // VIEW-CHECK-NEWVIEW L14
  let highest = groups[0]!;
  let tied = false;
  for (let i = 1; i < groups.length; i++) {
    const group = groups[i]!; // VIEW-CHECK-NEWVIEW L15
    if (group.preparedViewId > highest.preparedViewId) {
      highest = group;
      tied = false;
    } else if (group.preparedViewId === highest.preparedViewId) {
      tied = true;
    }
  }
  if (tied) {
    throw new SpecError(
      "VIEW_CONFLICTING_PREPARED",
      `two prepared certificates of view ${highest.preparedViewId} for different blocks`,
    ); // VIEW-CHECK-NEWVIEW L16
  }
  return highest.preparedHash; // VIEW-CHECK-NEWVIEW L17
}

/** The key of a prepared claim's group: its certificate's view and block. */
function groupKey(claim: Extract<Claim, { kind: "prepared" }>): string {
  return `${claim.preparedViewId}/${bytesToHex(claim.preparedHash)}`;
}

/**
 * SELECT(E) of TRY-NEW-VIEW L1: every request when their prepared claims fall into at most
 * MAX_PREPARED_GROUPS groups (MSG-RLP.2's limit on a new view); otherwise the nil claims and the claims of the
 * MAX_PREPARED_GROUPS groups with the most power behind them (ties: lower view, then lower hash first).
 *
 * @spec VIEW-NEWVIEW-BUILD.2
 */
export function selectRequests(config: ConsensusConfig, requests: readonly ViewChange[]): ViewChange[] {
  const groups = new Map<string, { claim: Extract<Claim, { kind: "prepared" }>; power: bigint }>();
  for (const request of requests) {
    if (request.claim.kind === "nil") continue;
    const key = groupKey(request.claim);
    const group = groups.get(key) ?? { claim: request.claim, power: 0n };
    group.power += config.committee.members[request.signer]!.power;
    groups.set(key, group);
  }
  if (groups.size <= MAX_PREPARED_GROUPS) return [...requests];
  const ranked = [...groups.entries()].sort(([, a], [, b]) => {
    if (a.power !== b.power) return a.power > b.power ? -1 : 1;
    if (a.claim.preparedViewId !== b.claim.preparedViewId) {
      return a.claim.preparedViewId < b.claim.preparedViewId ? -1 : 1;
    }
    return compareBytes(a.claim.preparedHash, b.claim.preparedHash);
  });
  const kept = new Set(ranked.slice(0, MAX_PREPARED_GROUPS).map(([key]) => key));
  return requests.filter((r) => r.claim.kind === "nil" || kept.has(groupKey(r.claim)));
}

/**
 * TRY-NEW-VIEW(S) (L1–L8): once the selected requests for the current view hold a quorum, its leader
 * aggregates their M3 signatures, their nil claims and, per distinct prepared certificate (ascending view,
 * then hash), the certificate of its lowest claimant and the aggregate of its claims; it broadcasts the new
 * view and enters it. It accepts its own new view without verifying the aggregates it made from verified
 * signatures. A new view that VIEW-CHECK-NEWVIEW would refuse (two highest claims for different blocks, L16)
 * is not sent (L6): every member would refuse it, and the view times out.
 *
 * @spec VIEW-NEWVIEW-BUILD.2
 */
export function tryNewView(config: ConsensusConfig, t: Transition): void {
  const view = t.state.view;
  const record = t.state.viewChanges.get(view);
  if (record === undefined || !isQuorum(record.power, config.committee.totalPower)) return; // TRY-NEW-VIEW L1
  const requests = selectRequests(config, recordedViewChanges(t.state, view)); // TRY-NEW-VIEW L1
  let power = 0n;
  for (const request of requests) power += config.committee.members[request.signer]!.power;
  if (!isQuorum(power, config.committee.totalPower)) return; // TRY-NEW-VIEW L1
  const n = config.committee.members.length;
  const m3Votes: { signer: number; signature: Uint8Array }[] = [];
  const nilVotes: { signer: number; signature: Uint8Array }[] = [];
  const prepared: PreparedClaimOf[] = [];
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    m3Votes.push({ signer: request.signer, signature: request.m3Signature });
    if (request.claim.kind === "nil")
      nilVotes.push({ signer: request.signer, signature: request.claim.signature });
    else prepared.push({ signer: request.signer, claim: request.claim });
  }
  const m3 = unwrap(aggregateCertificate(m3Votes, n, config.bls)); // TRY-NEW-VIEW L2
  const m2 = nilVotes.length === 0 ? null : unwrap(aggregateCertificate(nilVotes, n, config.bls)); // L3
  // TRY-NEW-VIEW L4: a stable sort keeps ascending signers within a group, so its first claim is its lowest.
  prepared.sort((a, b) => {
    if (a.claim.preparedViewId !== b.claim.preparedViewId) {
      return a.claim.preparedViewId < b.claim.preparedViewId ? -1 : 1;
    }
    return compareBytes(a.claim.preparedHash, b.claim.preparedHash);
  });
  const groups: PreparedGroup[] = [];
  let start = 0;
  while (start < prepared.length) {
    const first = prepared[start]!.claim;
    const claimVotes: { signer: number; signature: Uint8Array }[] = [];
    let end = start;
    while (
      end < prepared.length &&
      prepared[end]!.claim.preparedViewId === first.preparedViewId &&
      bytesEqual(prepared[end]!.claim.preparedHash, first.preparedHash)
    ) {
      claimVotes.push({ signer: prepared[end]!.signer, signature: prepared[end]!.claim.signature });
      end++;
    }
    const claims: Certificate = unwrap(aggregateCertificate(claimVotes, n, config.bls));
    groups.push({
      preparedViewId: first.preparedViewId,
      preparedHash: first.preparedHash,
      preparedCertificate: first.preparedCertificate,
      claims,
    }); // TRY-NEW-VIEW L5
    start = end;
  }
  const required = attempt(() => requiredBlockOf(groups));
  if (!required.ok) return; // TRY-NEW-VIEW L6
  const newView: NewView = {
    type: "newView",
    shardId: config.shardId,
    blockNum: heightOf(t.state),
    viewId: view,
    m3,
    m2,
    m1: groups,
  };
  t.outputs.push({ kind: "broadcast", message: newView }); // TRY-NEW-VIEW L7
  enterNewView(config, t, newView, required.value); // TRY-NEW-VIEW L8
}

/** Verifies one certificate over a payload and returns its signers (QC-VERIFY.1), or raises. */
type CertificateCheck = (cert: Certificate, payload: Uint8Array) => number[];

/**
 * VIEW-CHECK-NEWVIEW(m) (L1–L17) at a node: as `verifyNewView`, remembering the certificates it verified at this
 * height (a prepared certificate comes back in many claims and in the new view).
 *
 * @spec VIEW-CHECK-NEWVIEW.2
 */
export function checkNewView(config: ConsensusConfig, t: Transition, m: NewView): Uint8Array | null {
  return checkNewViewWith(m, config.committee, config.preset, config.bls, (cert, payload) =>
    verifyCertificateOnce(config, t, cert, payload),
  );
}

/**
 * VIEW-CHECK-NEWVIEW(m) (L1–L17): a view that starts a turn, a quorum of `committee` asked for it, every claim
 * aggregate verifies, every member of the quorum is covered by its own claim, and the highest prepared claim
 * is unique. Returns the block the view must re-propose, or null; raises the rule's codes.
 *
 * @spec VIEW-CHECK-NEWVIEW.2
 */
export function verifyNewView(
  m: NewView,
  committee: Committee,
  preset: Preset,
  bls: BlsBackend,
): Uint8Array | null {
  return checkNewViewWith(m, committee, preset, bls, (cert, payload) =>
    unwrap(verifyCertificate(cert, payload, committee, bls)),
  );
}

/** @spec VIEW-CHECK-NEWVIEW.2 */
function checkNewViewWith(
  m: NewView,
  committee: Committee,
  preset: Preset,
  bls: BlsBackend,
  verifyQc: CertificateCheck,
): Uint8Array | null {
  const height = m.blockNum;
  const view = m.viewId;
  checkTurnStart(view, preset); // VIEW-CHECK-NEWVIEW L1
  const asked = verifyQc(m.m3, m3Payload(height, view)); // VIEW-CHECK-NEWVIEW L2
  const covered: boolean[] = new Array<boolean>(committee.members.length).fill(false); // L3
  if (m.m2 !== null) {
    const nil = unwrap(verifyClaimAggregate(m.m2, m2Payload(height, view), committee, bls)); // L4–L6
    for (let i = 0; i < nil.length; i++) covered[nil[i]!] = true;
  }
  for (let g = 0; g < m.m1.length; g++) {
    const group = m.m1[g]!; // VIEW-CHECK-NEWVIEW L7
    if (group.preparedViewId >= view) {
      throw new SpecError(
        "VIEW_PREPARED_VIEW_INVALID",
        `group ${g} claims a certificate of view ${group.preparedViewId} for view ${view}`,
      ); // VIEW-CHECK-NEWVIEW L8
    }
    for (let e = 0; e < g; e++) {
      const earlier = m.m1[e]!;
      if (
        earlier.preparedViewId === group.preparedViewId &&
        bytesEqual(earlier.preparedHash, group.preparedHash)
      ) {
        throw new SpecError("VIEW_DUPLICATE_GROUP", `groups ${e} and ${g} claim the same certificate`); // L9
      }
    }
    const preparedOfGroup = preparePayload(height, group.preparedHash, group.preparedViewId);
    verifyQc(group.preparedCertificate, preparedOfGroup); // VIEW-CHECK-NEWVIEW L10
    const m1 = m1Payload(height, view, group.preparedViewId, group.preparedHash);
    const claimants = unwrap(verifyClaimAggregate(group.claims, m1, committee, bls)); // L11–L12
    for (let i = 0; i < claimants.length; i++) covered[claimants[i]!] = true;
  }
  for (let i = 0; i < asked.length; i++) {
    if (!covered[asked[i]!]) {
      throw new SpecError("VIEW_CLAIMS_MISSING", `member ${asked[i]} asked for view ${view} without a claim`); // L13
    }
  }
  return requiredBlockOf(m.m1); // VIEW-CHECK-NEWVIEW L14–L17
}

/**
 * ON-NEWVIEW(S, m) (L1–L7) for an authenticated new view.
 *
 * @spec VIEW-ON-NEWVIEW.1
 */
export function onNewView(config: ConsensusConfig, t: Transition, m: NewView): void {
  enterNewView(config, t, m, requiredBlockOf(m.m1)); // ON-NEWVIEW L1: the checks passed in AUTHENTICATE
}

/**
 * The block with hash `hash` among the node's lock and the prepared claims recorded for `view`.
 *
 * @spec VIEW-ON-NEWVIEW.1
 */
function claimedBlock(
  config: ConsensusConfig,
  state: ConsensusState,
  view: bigint,
  hash: Uint8Array,
): { readonly block: Block; readonly blockBytes: Uint8Array } | null {
  const lock = state.lock;
  if (lock !== null && bytesEqual(lock.hash, hash)) return { block: lock.block, blockBytes: lock.blockBytes };
  let node = state.viewChanges.get(view)?.messages ?? null;
  while (node !== null) {
    const claim = node.message.claim;
    if (claim.kind === "prepared" && bytesEqual(claim.preparedHash, hash)) {
      // VIEW-CHECK-VIEWCHANGE L6–L7 decoded this block and matched it to the hash when the claim arrived.
      return {
        block: unwrap(decodeBlock(claim.preparedBlock, config.preset)),
        blockBytes: claim.preparedBlock,
      };
    }
    node = node.next;
  }
  return null;
}

/**
 * ON-NEWVIEW L2–L7 with the block `required` that the new view names: enter the view in normal mode keeping
 * lock and votes; its leader re-proposes the required block at once. A required block that the leader does
 * not hold, or that fails VALIDATE-BLOCK, is not proposed and the view times out.
 *
 * @spec VIEW-ON-NEWVIEW.1
 */
function enterNewView(config: ConsensusConfig, t: Transition, m: NewView, required: Uint8Array | null): void {
  const view = m.viewId;
  enterView(config, t, view, "normal", required); // ON-NEWVIEW L2
  const me = config.me;
  if (me === null || me !== leaderOf(view, config.committee, config.preset) || required === null) return; // L3
  const found = claimedBlock(config, t.state, view, required); // ON-NEWVIEW L4
  if (found === null) return;
  const validated = attempt(() => validateBlock(config, t, required, found.block)); // ON-NEWVIEW L5
  if (!validated.ok) return; // ON-NEWVIEW L5: the view times out
  const signature = signPayload(config, preparePayload(heightOf(t.state), required, view));
  const votedPrepare = new Map(t.state.votedPrepare);
  votedPrepare.set(view, required);
  t.state = {
    ...t.state,
    proposal: {
      hash: required,
      block: found.block,
      blockBytes: found.blockBytes,
      ledger: validated.value,
      signature,
    },
    votedPrepare,
  }; // ON-NEWVIEW L6
  const counted = addPrepare(config, t, required, me, signature);
  const announce: Announce = {
    type: "announce",
    shardId: config.shardId,
    blockNum: heightOf(t.state),
    viewId: view,
    blockHash: required,
    block: found.blockBytes,
    signature,
  };
  t.outputs.push({ kind: "broadcast", message: announce }); // ON-NEWVIEW L7
  if (counted) checkPrepared(config, t);
}
