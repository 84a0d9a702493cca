import type { CrossLink } from "../crossshard/crosslink.ts";
import type { IncomingEntry } from "../crossshard/incoming.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import type { LedgerState } from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import type { Transaction } from "../ledger/transaction.ts";
import type { Preset } from "../params/presets.ts";
import type { Certificate } from "./certificate.ts";
import type { Committee } from "./committee.ts";
import type { DoubleSignEvidence } from "./evidence.ts";
import type { Committed, ConsensusMessage, ViewChange } from "./messages.ts";
import { emptyVoteKeeper, type VoteKeeper } from "./voteKeeper.ts";

/*
 * The per-validator state machine of §6.6: its configuration, state, events and outputs. The state is
 * immutable data; a step builds a new state object and copies only the fields it changes.
 */

/**
 * A validator's configuration: its shard, the committee, its member index (null for a node that follows the
 * chain without voting) and BLS secret key (set exactly when `me` is), the preset, and the BLS back end every
 * signature and verification goes through.
 *
 * @spec FBFT-STATE.2
 */
export interface ConsensusConfig {
  readonly preset: Preset;
  readonly shardId: number;
  readonly committee: Committee;
  readonly me: number | null;
  readonly secretKey: Uint8Array | null;
  readonly bls: BlsBackend;
}

/** @spec FBFT-STATE.2 */
export type ConsensusMode = "normal" | "viewChanging";

/**
 * The validated block of the current view: its hash, the block and its wire bytes, the ledger after it, and
 * the leader's PREPARE signature when this node saw the announce (null when it learned the block from a
 * prepared certificate only).
 *
 * @spec FBFT-STATE.2
 */
export interface Proposal {
  readonly hash: Uint8Array;
  readonly block: Block;
  readonly blockBytes: Uint8Array;
  readonly ledger: LedgerState;
  readonly signature: Uint8Array | null;
}

/**
 * The highest prepared certificate held at the current height: the view it formed in, the block (and its wire
 * bytes, which a view-change claim carries) and the certificate.
 *
 * @spec FBFT-STATE.2
 */
export interface Lock {
  readonly view: bigint;
  readonly hash: Uint8Array;
  readonly block: Block;
  readonly blockBytes: Uint8Array;
  readonly certificate: Certificate;
}

/** One `(blockViewId, blockHash)` pair this node committed to. @spec FBFT-STATE.2 */
export interface CommitVoteRecord {
  readonly blockViewId: bigint;
  readonly blockHash: Uint8Array;
}

/** A persistent list of view-change messages, most recent first: recording one shares the rest. */
export interface ViewChangeList {
  readonly message: ViewChange;
  readonly next: ViewChangeList | null;
}

/**
 * The verified view-change messages of one view at the current height: who sent them (a signer bitmap of the
 * committee, copied when a signer is added), their total power, and the messages.
 *
 * @spec VIEW-ON-VIEWCHANGE.1
 */
export interface ViewChangeRecord {
  readonly signers: Uint8Array;
  readonly power: bigint;
  readonly messages: ViewChangeList | null;
}

/** A reveal this node checked (DRG-ON-VDF): the `vdf` field for the epoch's `pRnd`. @spec DRG-FBFT-STATE.1 */
export interface CheckedReveal {
  readonly pRnd: Uint8Array;
  readonly vdf: Uint8Array;
}

/** A block validated at the current height and the ledger after it (FBFT-VALIDATE-BLOCK.2). */
export interface ValidatedBlock {
  readonly block: Block;
  readonly ledger: LedgerState;
}

/**
 * A validator's state (FBFT-STATE.2's table, `validated` included: FBFT-ON-COMMITTED L1 reads it, and the
 * randomness fields of DRG-FBFT-STATE.1, which stay empty off shard 0), plus two
 * caches that change no outcome: the certificates verified at this height (so a certificate repeated in many
 * view-change claims costs one pairing), and, for the join rule, the power of the members whose highest
 * recorded view-change request is each view.
 *
 * `commits` holds one keeper per block view id: a commit's view key is `(N, blockViewId)` (VOTE-KEEPER.1),
 * and only the keeper of the locked block's header view can certify it.
 *
 * @spec FBFT-STATE.2 DRG-FBFT-STATE.1
 */
export interface ConsensusState {
  readonly ledger: LedgerState;
  readonly headCert: Certificate | null;
  readonly view: bigint;
  readonly mode: ConsensusMode;
  readonly heightView: bigint;
  readonly proposal: Proposal | null;
  readonly required: Uint8Array | null;
  readonly lock: Lock | null;
  /** View → the block hash this node prepared in it, at the current height. */
  readonly votedPrepare: ReadonlyMap<bigint, Uint8Array>;
  readonly votedCommit: readonly CommitVoteRecord[];
  readonly lastViewChange: bigint | null;
  readonly prepares: VoteKeeper;
  /** Block view id → the commits keeper of view key (N, blockViewId), for the current view. */
  readonly commits: ReadonlyMap<bigint, VoteKeeper>;
  readonly preparedSent: boolean;
  readonly committedSent: boolean;
  readonly viewChanges: ReadonlyMap<bigint, ViewChangeRecord>;
  /** View → the power of the members whose highest recorded view-change request is that view. */
  readonly highestAskedPower: ReadonlyMap<bigint, bigint>;
  /** Verified messages for later views or heights, in arrival order (FBFT-BUFFER.1). */
  readonly buffer: readonly ConsensusMessage[];
  readonly syncAsked: bigint | null;
  /** Block hash (0x hex) → the block and the ledger after it. */
  readonly validated: ReadonlyMap<string, ValidatedBlock>;
  /** Keys (payload, signature, bitmap) of the certificates that passed QC-VERIFY at this height. */
  readonly verifiedCertificates: ReadonlySet<string>;
  /** The leader's verified shares of the randomness round (N, v): signer → proof (DRG-FBFT-STATE.1). */
  readonly shares: ReadonlyMap<number, Uint8Array>;
  /** v while this member's share of the round (N, v) is sent and its commit window is open. */
  readonly shareOpen: bigint | null;
  /** The checked reveal for the pRnd of the head's epoch; it outlives the height. */
  readonly reveal: CheckedReveal | null;
}

/**
 * The inputs of STEP. A synced block comes with the message that finalized it, as a peer stored it; its type
 * is checked by ON-SYNC-BLOCK L1, so it is any consensus message here.
 *
 * @spec FBFT-EVENTS.5
 */
export type ConsensusEvent =
  | { readonly kind: "deliver"; readonly message: ConsensusMessage }
  | { readonly kind: "timeout"; readonly viewId: bigint }
  | {
      readonly kind: "propose";
      readonly viewId: bigint;
      readonly transactions: readonly Transaction[];
      /** The crosslinks the driver gathered, for a beacon leader to choose from (XLINK-SELECT.1). */
      readonly crossLinks: readonly CrossLink[];
      /** The incoming entries the driver gathered, for the leader to choose from (CX-SELECT.2). */
      readonly incoming: readonly IncomingEntry[];
      readonly time: bigint;
    }
  | { readonly kind: "syncBlock"; readonly block: Block; readonly committed: ConsensusMessage }
  | { readonly kind: "drgTimeout"; readonly viewId: bigint }
  | { readonly kind: "vdfReady"; readonly epoch: bigint; readonly vdf: Uint8Array };

/**
 * What STEP asks the driver to do. A `finalized` block is stored with the committed message that finalized it:
 * its commit certificate goes into the next header, and the message is what a peer syncing the block needs.
 *
 * @spec FBFT-EVENTS.5
 */
export type ConsensusOutput =
  | { readonly kind: "send"; readonly to: number; readonly message: ConsensusMessage }
  | { readonly kind: "broadcast"; readonly message: ConsensusMessage }
  | { readonly kind: "timer"; readonly viewId: bigint; readonly afterMs: number }
  | {
      readonly kind: "proposalDue";
      readonly blockNum: bigint;
      readonly viewId: bigint;
      readonly wait: boolean;
    }
  | { readonly kind: "finalized"; readonly block: Block; readonly committed: Committed }
  | { readonly kind: "evidence"; readonly evidence: DoubleSignEvidence }
  | { readonly kind: "syncNeeded"; readonly blockNum: bigint }
  | { readonly kind: "drgTimer"; readonly viewId: bigint; readonly afterMs: number }
  | { readonly kind: "vdfDue"; readonly epoch: bigint; readonly pRnd: Uint8Array };

/**
 * The working record of one step: the state so far, the outputs so far, and whether a view was entered, in
 * which case the buffer is replayed once the rule that entered it has finished (FBFT-BUFFER.1). The rules
 * replace `state` with new objects and never write into one.
 */
export interface Transition {
  state: ConsensusState;
  readonly outputs: ConsensusOutput[];
  replayDue: boolean;
}

/** N = head.number + 1: the height being decided. @spec FBFT-STATE.2 */
export function heightOf(state: ConsensusState): bigint {
  return state.ledger.head.number + 1n;
}

/**
 * A state at the start of height `head.number + 1` in view `view`, with nothing proposed or voted; `buffer`
 * is kept, for the replay of FBFT-BUFFER.1, and so is `reveal`, which belongs to the epoch. ENTER-VIEW (FBFT-FINALIZE.2) then sets the view's own fields and
 * outputs.
 *
 * @spec FBFT-STATE.2
 */
export function freshHeightState(
  ledger: LedgerState,
  headCert: Certificate | null,
  view: bigint,
  buffer: readonly ConsensusMessage[],
  reveal: CheckedReveal | null,
): ConsensusState {
  const height = ledger.head.number + 1n;
  return {
    ledger,
    headCert,
    view,
    mode: "normal",
    heightView: view,
    proposal: null,
    required: null,
    lock: null,
    votedPrepare: new Map(),
    votedCommit: [],
    lastViewChange: null,
    prepares: emptyVoteKeeper("prepare", height, view),
    commits: new Map(),
    preparedSent: false,
    committedSent: false,
    viewChanges: new Map(),
    highestAskedPower: new Map(),
    buffer,
    syncAsked: null,
    validated: new Map(),
    verifiedCertificates: new Set(),
    shares: new Map(),
    shareOpen: null,
    reveal,
  };
}
