import { decodeBitmap } from "../crypto/bitmap.ts";
import { bytesToHex } from "../encoding/json.ts";
import { attempt, SpecError, unwrap } from "../errors.ts";
import type { LedgerState } from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import { askForSync } from "./buffer.ts";
import { aggregateCertificate, type Certificate } from "./certificate.ts";
import { isQuorum } from "./committee.ts";
import { checkCommitWindow, commitWindowApplies } from "./drg.ts";
import { type DoubleSignEvidence, signedVoteOf, signedVoteOfCertificate } from "./evidence.ts";
import { finalize } from "./finalize.ts";
import { leaderOf } from "./leader.ts";
import type { Announce, Commit, Committed, Prepare, Prepared } from "./messages.ts";
import { decodeNamedBlock } from "./namedBlock.ts";
import { commitPayload, preparePayload } from "./payloads.ts";
import { signPayload } from "./signatures.ts";
import { type ConsensusConfig, type ConsensusState, heightOf, type Transition } from "./state.ts";
import { validateBlock } from "./validateBlock.ts";
import { addVote, emptyVoteKeeper, powerFor, votesFor } from "./voteKeeper.ts";

/*
 * The normal case (§6.8): announce, prepare, prepared, commit, committed.
 */

/**
 * DOUBLE-VOTE of ON-ANNOUNCE L5: the leader's PREPARE for the block this node holds, against the one an
 * announce carries. When the node learned its block from a prepared certificate and never saw the leader's
 * own signature, the certificate stands in for it if the leader signed it; otherwise no evidence can be formed.
 *
 * @spec FBFT-ON-ANNOUNCE.3
 */
function announceEvidence(
  config: ConsensusConfig,
  state: ConsensusState,
  m: Announce,
  leader: number,
): DoubleSignEvidence | null {
  const proposal = state.proposal!;
  const n = config.committee.members.length;
  const height = heightOf(state);
  const second = signedVoteOf(
    {
      kind: "prepare",
      blockNum: height,
      viewId: state.view,
      blockHash: m.blockHash,
      signer: leader,
      signature: m.signature,
    },
    n,
  );
  if (proposal.signature !== null) {
    const first = signedVoteOf(
      {
        kind: "prepare",
        blockNum: height,
        viewId: state.view,
        blockHash: proposal.hash,
        signer: leader,
        signature: proposal.signature,
      },
      n,
    );
    return { first, second };
  }
  // Only LOCK-AND-COMMIT leaves a proposal without the leader's signature, and it locks on that block in this
  // view: the lock's certificate is the prepared certificate of the proposal.
  const lock = state.lock;
  if (lock === null || !unwrap(decodeBitmap(lock.certificate.bitmap, n)).includes(leader)) return null;
  return {
    first: signedVoteOfCertificate("prepare", height, state.view, lock.hash, lock.certificate),
    second,
  };
}

/**
 * ON-ANNOUNCE(S, m) (L1–L11): a member validates the leader's block before it prepares it, and prepares at
 * most one block per view. `named` is the block AUTHENTICATE already decoded and checked (L1–L2), or null for
 * a message replayed from the buffer, whose block is decoded again here.
 *
 * @spec FBFT-ON-ANNOUNCE.3
 */
export function onAnnounce(config: ConsensusConfig, t: Transition, m: Announce, named: Block | null): void {
  const block =
    named ?? decodeNamedBlock(config, m.block, m.blockHash, m.blockNum, "CONSENSUS_BLOCK_MISMATCH"); // L1–L2
  const view = t.state.view;
  const leader = leaderOf(view, config.committee, config.preset);
  if (t.state.proposal !== null) {
    // ON-ANNOUNCE L3
    if (bytesEqual(t.state.proposal.hash, m.blockHash)) {
      throw new SpecError("CONSENSUS_DUPLICATE", "this view's proposal was already received"); // L4
    }
    const evidence = announceEvidence(config, t.state, m, leader);
    if (evidence !== null) t.outputs.push({ kind: "evidence", evidence }); // ON-ANNOUNCE L5
    return;
  }
  const required = t.state.required;
  if (required !== null && !bytesEqual(m.blockHash, required)) {
    throw new SpecError("VIEW_NOT_REPROPOSED", `the new view requires block ${bytesToHex(required)}`); // L6
  }
  if (required === null && block.header.viewId !== view) {
    throw new SpecError(
      "CONSENSUS_HEADER_VIEW_MISMATCH",
      `a fresh proposal of view ${view} names view ${block.header.viewId}`,
    ); // ON-ANNOUNCE L7
  }
  const ledger = validateBlock(config, t, m.blockHash, block); // ON-ANNOUNCE L8
  if (commitWindowApplies(config, t.state)) checkCommitWindow(config, t.state, block); // ON-ANNOUNCE L8
  const proposal = { hash: m.blockHash, block, blockBytes: m.block, ledger, signature: m.signature };
  t.state = { ...t.state, proposal }; // ON-ANNOUNCE L9
  const me = config.me;
  if (me !== null && me !== leader && !t.state.votedPrepare.has(view)) {
    // ON-ANNOUNCE L10
    const votedPrepare = new Map(t.state.votedPrepare);
    votedPrepare.set(view, m.blockHash);
    t.state = { ...t.state, votedPrepare };
    const signature = signPayload(config, preparePayload(heightOf(t.state), m.blockHash, view));
    const prepare: Prepare = {
      type: "prepare",
      shardId: config.shardId,
      blockNum: heightOf(t.state),
      viewId: view,
      blockHash: m.blockHash,
      signer: me,
      signature,
    };
    t.outputs.push({ kind: "send", to: leader, message: prepare }); // ON-ANNOUNCE L11
  }
}

/**
 * ON-PREPARE(S, m) (L1–L3): the leader counts a prepare for the current view.
 *
 * @spec FBFT-ON-PREPARE.1
 */
export function onPrepare(config: ConsensusConfig, t: Transition, m: Prepare): void {
  if (addPrepare(config, t, m.blockHash, m.signer, m.signature)) checkPrepared(config, t); // ON-PREPARE L1–L3
}

/**
 * VOTE-ADD of a verified prepare of the current view into the leader's keeper (ON-PREPARE L1–L2; the leader's
 * own vote of ON-PROPOSE L6 and ON-NEWVIEW L6). Returns whether the vote was counted; a conflicting vote is
 * output as evidence instead.
 *
 * @spec FBFT-ON-PREPARE.1
 */
export function addPrepare(
  config: ConsensusConfig,
  t: Transition,
  blockHash: Uint8Array,
  signer: number,
  signature: Uint8Array,
): boolean {
  const vote = {
    kind: "prepare" as const,
    blockNum: heightOf(t.state),
    viewId: t.state.view,
    blockHash,
    signer,
    signature,
  };
  const added = unwrap(addVote(t.state.prepares, vote, config.committee)); // ON-PREPARE L1
  if (added.evidence !== null) {
    t.outputs.push({ kind: "evidence", evidence: added.evidence }); // ON-PREPARE L2
    return false;
  }
  t.state = { ...t.state, prepares: added.keeper };
  return true;
}

/**
 * CHECK-PREPARED (ON-PREPARE L3–L6): once the proposal has a quorum of prepares, the leader broadcasts the
 * prepared certificate and locks and commits on it itself.
 *
 * @spec FBFT-ON-PREPARE.1
 */
export function checkPrepared(config: ConsensusConfig, t: Transition): void {
  const proposal = t.state.proposal;
  if (proposal === null || t.state.preparedSent) return; // ON-PREPARE L3
  if (!isQuorum(powerFor(t.state.prepares, proposal.hash), config.committee.totalPower)) return;
  const votes = votesFor(t.state.prepares, proposal.hash);
  const certificate = unwrap(aggregateCertificate(votes, config.committee.members.length, config.bls)); // L4
  t.state = { ...t.state, preparedSent: true };
  const prepared: Prepared = {
    type: "prepared",
    shardId: config.shardId,
    blockNum: heightOf(t.state),
    viewId: t.state.view,
    blockHash: proposal.hash,
    block: proposal.blockBytes,
    certificate,
  };
  t.outputs.push({ kind: "broadcast", message: prepared }); // ON-PREPARE L5
  lockAndCommit(config, t, proposal.hash, proposal.block, proposal.blockBytes, certificate, proposal.ledger); // L6
}

/**
 * ON-PREPARED(S, m) (L1–L6): a member that sees the view's prepared certificate locks on it and commits; a
 * second certificate of the view for another block is evidence. `named` is as for ON-ANNOUNCE.
 *
 * @spec FBFT-ON-PREPARED.2
 */
export function onPrepared(config: ConsensusConfig, t: Transition, m: Prepared, named: Block | null): void {
  const block =
    named ?? decodeNamedBlock(config, m.block, m.blockHash, m.blockNum, "CONSENSUS_BLOCK_MISMATCH"); // L1
  const view = t.state.view;
  const lock = t.state.lock;
  if (lock !== null && lock.view === view) {
    // ON-PREPARED L2
    if (bytesEqual(lock.hash, m.blockHash)) {
      throw new SpecError("CONSENSUS_DUPLICATE", "this view's prepared certificate was already received"); // L3
    }
    const height = heightOf(t.state);
    const first = signedVoteOfCertificate("prepare", height, view, lock.hash, lock.certificate);
    const second = signedVoteOfCertificate("prepare", height, view, m.blockHash, m.certificate);
    t.outputs.push({ kind: "evidence", evidence: { first, second } }); // ON-PREPARED L4
    return;
  }
  const proposal = t.state.proposal;
  const ledger =
    proposal !== null && bytesEqual(proposal.hash, m.blockHash)
      ? proposal.ledger
      : validateBlock(config, t, m.blockHash, block); // ON-PREPARED L5
  lockAndCommit(config, t, m.blockHash, block, m.block, m.certificate, ledger); // ON-PREPARED L6
}

/**
 * LOCK-AND-COMMIT(S, v, h, B, Q) (ON-PREPARED L6–L12): lock on the certificate of the current view and send
 * (or, as leader, count) a commit, never for two blocks under one commit view key. `ledger` is the ledger
 * after B. The proposal keeps the leader's signature only when it is the proposal of this block. A block
 * re-proposed in a later view is committed again, to that view's leader: the COMMIT bytes name the block's
 * header view, not the current view, so the vote is the one already signed, and without it the new leader may
 * lack the quorum (a member that committed to a crashed leader would otherwise never commit again at this
 * height).
 *
 * @spec FBFT-ON-PREPARED.2
 */
export function lockAndCommit(
  config: ConsensusConfig,
  t: Transition,
  hash: Uint8Array,
  block: Block,
  blockBytes: Uint8Array,
  certificate: Certificate,
  ledger: LedgerState,
): void {
  const blockViewId = block.header.viewId;
  const voted = t.state.votedCommit;
  let alreadyCommitted = false;
  for (let i = 0; i < voted.length; i++) {
    if (voted[i]!.blockViewId !== blockViewId) continue;
    if (!bytesEqual(voted[i]!.blockHash, hash)) {
      throw new SpecError(
        "FBFT_COMMIT_CONFLICT",
        `this node committed another block under commit view key (${heightOf(t.state)}, ${blockViewId})`,
      ); // ON-PREPARED L7
    }
    alreadyCommitted = true;
  }
  const view = t.state.view;
  const previous = t.state.proposal;
  const signature = previous !== null && bytesEqual(previous.hash, hash) ? previous.signature : null;
  t.state = {
    ...t.state,
    lock: { view, hash, block, blockBytes, certificate },
    proposal: { hash, block, blockBytes, ledger, signature },
  }; // ON-PREPARED L8
  const me = config.me;
  if (me === null) return; // ON-PREPARED L9
  if (!alreadyCommitted) {
    const grown = voted.slice();
    grown.push({ blockViewId, blockHash: hash });
    t.state = { ...t.state, votedCommit: grown }; // ON-PREPARED L10: a set, so a re-sent vote adds nothing
  }
  const height = heightOf(t.state);
  const vote = signPayload(config, commitPayload(height, hash, blockViewId)); // ON-PREPARED L11
  const leader = leaderOf(view, config.committee, config.preset);
  if (me === leader) {
    addCommit(config, t, hash, blockViewId, me, vote); // ON-PREPARED L12
    return;
  }
  t.outputs.push({
    kind: "send",
    to: leader,
    message: {
      type: "commit",
      shardId: config.shardId,
      blockNum: height,
      viewId: view,
      blockHash: hash,
      blockViewId,
      signer: me,
      signature: vote,
    },
  }); // ON-PREPARED L12
}

/**
 * ON-COMMIT(S, m): the leader counts a commit of the current view.
 *
 * @spec FBFT-ON-COMMIT.1
 */
export function onCommit(config: ConsensusConfig, t: Transition, m: Commit): void {
  addCommit(config, t, m.blockHash, m.blockViewId, m.signer, m.signature);
}

/**
 * ON-COMMIT(S, m) (L1–L6) for a verified commit of the current view: the leader counts it in the keeper of its
 * commit view key (N, blockViewId) and, once the block it locked on in this view has a quorum of commits
 * in the keeper of that block's header view, broadcasts the commit certificate with the prepared certificate
 * of its lock, which is of this view, and finalizes. Only commits signed over the locked block's own COMMIT
 * payload are aggregated, so the certificate verifies.
 *
 * @spec FBFT-ON-COMMIT.1
 */
export function addCommit(
  config: ConsensusConfig,
  t: Transition,
  blockHash: Uint8Array,
  blockViewId: bigint,
  signer: number,
  signature: Uint8Array,
): void {
  const height = heightOf(t.state);
  const before = t.state.commits.get(blockViewId) ?? emptyVoteKeeper("commit", height, blockViewId);
  const vote = {
    kind: "commit" as const,
    blockNum: height,
    viewId: blockViewId,
    blockHash,
    signer,
    signature,
  };
  const added = unwrap(addVote(before, vote, config.committee)); // ON-COMMIT L1
  if (added.evidence !== null) {
    t.outputs.push({ kind: "evidence", evidence: added.evidence }); // ON-COMMIT L2
    return;
  }
  const commits = new Map(t.state.commits);
  commits.set(blockViewId, added.keeper);
  t.state = { ...t.state, commits };
  const lock = t.state.lock;
  const view = t.state.view;
  if (lock === null || lock.view !== view || !bytesEqual(blockHash, lock.hash) || t.state.committedSent) {
    return; // ON-COMMIT L3
  }
  const keeper = commits.get(lock.block.header.viewId);
  if (keeper === undefined || !isQuorum(powerFor(keeper, lock.hash), config.committee.totalPower)) return; // L3
  const votes = votesFor(keeper, lock.hash);
  const certificate = unwrap(aggregateCertificate(votes, config.committee.members.length, config.bls)); // L4
  const committed: Committed = {
    type: "committed",
    shardId: config.shardId,
    blockNum: height,
    viewId: view,
    blockHash: lock.hash,
    blockViewId: lock.block.header.viewId,
    certificate,
    preparedCertificate: lock.certificate,
  }; // ON-COMMIT L5
  t.state = { ...t.state, committedSent: true };
  t.outputs.push({ kind: "broadcast", message: committed }); // ON-COMMIT L6
  finalize(config, t, lock.hash, lock.block, committed); // ON-COMMIT L6
}

/**
 * The block with hash `hash` that this node holds at its height: its proposal, its lock, a block it validated
 * at this height, or the block of a buffered announce or prepared message of this height (decoded and checked
 * against the hash by BLOCK-NAMED here; one that does not match is passed over).
 *
 * @spec FBFT-ON-COMMITTED.2
 */
function heldBlock(config: ConsensusConfig, state: ConsensusState, hash: Uint8Array): Block | null {
  if (state.proposal !== null && bytesEqual(state.proposal.hash, hash)) return state.proposal.block;
  if (state.lock !== null && bytesEqual(state.lock.hash, hash)) return state.lock.block;
  const validated = state.validated.get(bytesToHex(hash));
  if (validated !== undefined) return validated.block;
  const height = heightOf(state);
  for (let i = 0; i < state.buffer.length; i++) {
    const m = state.buffer[i]!;
    if ((m.type !== "announce" && m.type !== "prepared") || m.blockNum !== height) continue;
    if (!bytesEqual(m.blockHash, hash)) continue;
    const named = attempt(() => decodeNamedBlock(config, m.block, hash, height, "CONSENSUS_BLOCK_MISMATCH"));
    if (named.ok) return named.value;
  }
  return null;
}

/**
 * ON-COMMITTED(S, m) (L1–L5): a commit certificate finalizes its block in any view; a node that does not hold
 * the block asks the driver to sync it. The block's header view must be the one the certificate's COMMIT
 * payload names, since that certificate goes into the next header (QC-HEADER.1).
 *
 * @spec FBFT-ON-COMMITTED.2
 */
export function onCommitted(config: ConsensusConfig, t: Transition, m: Committed): void {
  const block = heldBlock(config, t.state, m.blockHash); // ON-COMMITTED L1
  if (block === null) {
    askForSync(t); // ON-COMMITTED L2
    return;
  }
  if (block.header.viewId !== m.blockViewId) {
    throw new SpecError(
      "CONSENSUS_BLOCK_MISMATCH",
      `the certificate commits view ${m.blockViewId}; the block's header names view ${block.header.viewId}`,
    ); // ON-COMMITTED L3
  }
  finalize(config, t, m.blockHash, block, m); // ON-COMMITTED L4–L5 (FINALIZE validates)
}
