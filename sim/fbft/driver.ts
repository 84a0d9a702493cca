import {
  applyChainBlock,
  beaconChainOf,
  type ConsensusConfig,
  type ConsensusEvent,
  type ConsensusMessage,
  type ConsensusOutput,
  type ConsensusState,
  heightOf,
  initialState,
  type PersistentConsensusState,
  persistentState,
  restoreState,
  step,
} from "../../reference/consensus/index.ts";
import { atomicId } from "../../reference/crossshard/atomic.ts";
import type { CrossLink } from "../../reference/crossshard/crosslink.ts";
import { spentKey } from "../../reference/crossshard/crossShardState.ts";
import type { IncomingEntry } from "../../reference/crossshard/incoming.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { crossShardOf, executeBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { CxReceipt } from "../../reference/ledger/receipt.ts";
import { buildRevealField } from "../../reference/randomness/reveal.ts";
import { BEACON_SHARD } from "../../reference/randomness/schedule.ts";
import type { Action, Behaviour, Random, Step } from "../engine/index.ts";
import type { FbftObservation } from "./observations.ts";
import { type FbftMessage, type FinalizedEntry, isConsensusMessage, type SyncResponse } from "./wire.ts";
import type { Workload } from "./workload.ts";

/*
 * The honest driver: what a node shell does around the reference state machine, with the engine standing in
 * for sockets, clock and disk. It owns no protocol rule. Every decision is the reference's `step`; the driver
 * only turns outputs into sends and timers, answers `proposalDue` with transactions and a clock reading and
 * `vdfDue` with the reference's reveal, stores finalized blocks, and fetches missing ones from peers.
 */

/** Everything one machine's driver is configured with. */
export interface DriverOptions {
  /** The reference configuration of this member (its index, key, committee, preset, BLS back end). */
  readonly config: ConsensusConfig;
  /** The ledger at genesis, where every node starts. */
  readonly genesis: LedgerState;
  /** How long the driver waits before answering `proposalDue` (the block period). */
  readonly blockPeriodMs: number;
  readonly workload: Workload;
  /** This machine's stream, for choosing sync peers. */
  readonly random: Random;
  /** Most blocks one sync response carries. */
  readonly syncBatch: number;
  /** How long to wait for a sync response before asking another peer. */
  readonly syncRetryMs: number;
  /** Added to the engine's clock when the driver reads it (a skewed clock; twins use it to diverge). */
  readonly clockSkewMs: number;
  /** Whether a finalized block's observation carries its outgoing receipts, for a node shell that relays them. */
  readonly observesOutgoing?: boolean;
}

/** A proposal the reference asked for (`proposalDue`), to be answered when the block period has passed. */
export interface DueProposal {
  readonly blockNum: bigint;
  readonly viewId: bigint;
}

/** The driver's state: the reference state, the stored chain, and what its timers are for. */
export interface NodeState {
  readonly consensus: ConsensusState;
  /** Finalized blocks from height 1 on: the node's storage. */
  readonly chain: readonly FinalizedEntry[];
  /** The view whose timer is armed (`timer` output), fed back as `timeout(viewId)` when it fires. */
  readonly viewTimer: bigint | null;
  /** The view whose DRG timer is armed (`drgTimer` output), fed back as `drgTimeout(viewId)`. */
  readonly drgTimer: bigint | null;
  readonly due: DueProposal | null;
  /** The height an outstanding sync request asked from. */
  readonly syncFrom: bigint | null;
  /** STEP errors by code. */
  readonly rejected: ReadonlyMap<string, number>;
  /** Crosslinks relayed to this beacon member, offered to its proposals (XLINK-SELECT.1 chooses). */
  readonly crossLinkPool: readonly CrossLink[];
  /** Beacon entries and receipt entries relayed to this member, offered to its proposals (CX-SELECT.2 chooses). */
  readonly incomingPool: readonly IncomingEntry[];
}

/** What survives a crash: the durable consensus state (FBFT-PERSIST.3) and the stored chain. */
export interface NodeSnapshot {
  readonly consensus: PersistentConsensusState;
  readonly chain: readonly FinalizedEntry[];
}

export type FbftAction = Action<FbftMessage>;

/** One engine callback's result: the driver's next state and the engine actions. */
export type NodeStep = Step<NodeState, FbftMessage>;

/** Engine timer names of the driver. */
export const VIEW_TIMER = "view";
export const PROPOSE_TIMER = "propose";
export const SYNC_TIMER = "sync";
export const DRG_TIMER = "drg";

/** How far ahead of the driver's clock a proposed block's time may be (FBFT-PROPOSE.4's driver rule). */
const MAX_FUTURE_BLOCK_SECONDS = 15n;

/** Delivered message types recorded as `accepted` (they carry a proposal or a certificate). */
const RECORDED_TYPES: ReadonlySet<string> = new Set([
  "announce",
  "prepared",
  "committed",
  "viewChange",
  "newView",
]);

/** The driver's clock in header units: whole seconds since the Unix epoch, from the preset's genesis time. */
export function clockSeconds(driver: DriverOptions, now: number): bigint {
  return BigInt(Math.floor((now + driver.clockSkewMs) / 1000)) + driver.config.preset.genesisTime;
}

function samePosition(a: ConsensusState, b: ConsensusState): boolean {
  return a.ledger.head.number === b.ledger.head.number && a.view === b.view && a.mode === b.mode;
}

function observe(actions: FbftAction[], observation: FbftObservation): void {
  actions.push({ kind: "observe", observation });
}

function positionOf(state: ConsensusState): FbftObservation {
  return { kind: "position", height: heightOf(state), view: state.view, mode: state.mode };
}

/** A mutable working copy of the driver state for one engine callback. */
interface Work {
  node: NodeState;
  readonly actions: FbftAction[];
}

/** A random member other than this one, for a sync request. */
function syncPeer(driver: DriverOptions): number | null {
  const n = driver.config.committee.members.length;
  const me = driver.config.me ?? -1;
  const others = me >= 0 && me < n ? n - 1 : n;
  if (others === 0) return null;
  const draw = driver.random.int(0, others - 1);
  return me >= 0 && draw >= me ? draw + 1 : draw;
}

function requestSync(driver: DriverOptions, work: Work, fromHeight: bigint): void {
  const peer = syncPeer(driver);
  work.node = { ...work.node, syncFrom: fromHeight };
  if (peer !== null)
    work.actions.push({ kind: "send", to: peer, message: { type: "syncRequest", fromHeight } });
  work.actions.push({ kind: "timer", name: SYNC_TIMER, afterMs: driver.syncRetryMs });
}

/** Carries out the outputs of one successful step (FBFT-EVENTS.5's driver column). */
function execute(
  driver: DriverOptions,
  work: Work,
  outputs: readonly ConsensusOutput[],
  viaSync: boolean,
  ledgerBefore: LedgerState,
): void {
  let ledger = ledgerBefore;
  for (const output of outputs) {
    switch (output.kind) {
      case "send":
        work.actions.push({ kind: "send", to: output.to, message: output.message });
        observe(work.actions, { kind: "sent", to: output.to, message: output.message });
        break;
      case "broadcast":
        work.actions.push({ kind: "broadcast", message: output.message });
        observe(work.actions, { kind: "sent", to: "all", message: output.message });
        break;
      case "timer":
        work.node = { ...work.node, viewTimer: output.viewId };
        work.actions.push({ kind: "timer", name: VIEW_TIMER, afterMs: output.afterMs });
        break;
      case "proposalDue":
        work.node = { ...work.node, due: { blockNum: output.blockNum, viewId: output.viewId } };
        work.actions.push({
          kind: "timer",
          name: PROPOSE_TIMER,
          afterMs: output.wait ? driver.blockPeriodMs : 0,
        });
        break;
      case "drgTimer":
        work.node = { ...work.node, drgTimer: output.viewId };
        work.actions.push({ kind: "timer", name: DRG_TIMER, afterMs: output.afterMs });
        break;
      case "vdfDue":
        // The reference's DRG-REVEAL-BUILD, answered at once: the minimal preset's T takes milliseconds.
        feed(driver, work, {
          kind: "vdfReady",
          epoch: output.epoch,
          vdf: unwrap(buildRevealField(output.pRnd, driver.config.preset)),
        });
        break;
      case "finalized": {
        const entry: FinalizedEntry = { block: output.block, committed: output.committed };
        work.node = { ...work.node, chain: [...work.node.chain, entry] };
        let outgoing: readonly CxReceipt[] | undefined;
        if (driver.observesOutgoing) {
          // The ledger each finalized block extends: the step's, then each block's in turn.
          outgoing = executeBlock(
            ledger,
            output.block,
            driver.config.preset,
            undefined,
            driver.config.bls,
          ).outgoingReceipts;
          ledger = applyChainBlock(driver.config, ledger, output.block);
        }
        observe(work.actions, {
          kind: "finalized",
          height: output.block.header.number,
          hash: bytesToHex(headerHash(output.block.header)),
          viewId: output.committed.viewId,
          viaSync,
          block: output.block,
          committed: output.committed,
          ...(outgoing === undefined ? {} : { outgoing }),
        });
        break;
      }
      case "evidence":
        observe(work.actions, { kind: "evidence", evidence: output.evidence });
        break;
      case "syncNeeded":
        requestSync(driver, work, output.blockNum);
        break;
    }
  }
}

/**
 * Runs one event through STEP. A step that raises leaves the state as it was; its code is counted and
 * observed. The position (height, view, mode) is observed whenever it changes.
 */
function feed(driver: DriverOptions, work: Work, event: ConsensusEvent): void {
  const before = work.node.consensus;
  const result = step(driver.config, before, event);
  if (!result.ok) {
    const code = result.error.code;
    const rejected = new Map(work.node.rejected);
    rejected.set(code, (rejected.get(code) ?? 0) + 1);
    work.node = { ...work.node, rejected };
    const what = event.kind === "deliver" ? `deliver ${event.message.type}` : event.kind;
    observe(work.actions, { kind: "rejected", code, detail: result.error.detail, event: what });
    return;
  }
  work.node = { ...work.node, consensus: result.value.state };
  if (event.kind === "deliver" && RECORDED_TYPES.has(event.message.type)) {
    observe(work.actions, { kind: "accepted", message: event.message });
  }
  execute(driver, work, result.value.outputs, event.kind === "syncBlock", before.ledger);
  if (!samePosition(before, result.value.state)) observe(work.actions, positionOf(result.value.state));
}

/**
 * The driver's own acceptance rule for proposals (FBFT-PROPOSE.4): an announce whose block time is more than
 * 15 seconds ahead of this node's clock is not delivered. Bytes that do not decode are left to STEP, which
 * reports their code.
 */
function fromTheFuture(driver: DriverOptions, message: ConsensusMessage, now: number): boolean {
  if (message.type !== "announce") return false;
  const decoded = decodeBlock(message.block, driver.config.preset);
  return decoded.ok && decoded.value.header.time > clockSeconds(driver, now) + MAX_FUTURE_BLOCK_SECONDS;
}

function answerSync(driver: DriverOptions, work: Work, from: number, fromHeight: bigint): void {
  const chain = work.node.chain;
  const first = Number(fromHeight) - 1;
  if (first < 0 || first >= chain.length) return;
  const entries = chain.slice(first, first + driver.syncBatch);
  work.actions.push({ kind: "send", to: from, message: { type: "syncResponse", entries } });
}

/** Feeds the blocks of a sync response that extend the chain, in order, then asks for more if it was full. */
function takeSync(driver: DriverOptions, work: Work, from: number, response: SyncResponse): void {
  for (const entry of response.entries) {
    if (entry.block.header.number !== BigInt(work.node.chain.length + 1)) continue;
    feed(driver, work, { kind: "syncBlock", block: entry.block, committed: entry.committed });
  }
  const height = BigInt(work.node.chain.length + 1);
  if (work.node.syncFrom !== null && height > work.node.syncFrom) {
    work.node = { ...work.node, syncFrom: null };
  }
  if (response.entries.length >= driver.syncBatch && work.node.syncFrom === null) {
    work.node = { ...work.node, syncFrom: height };
    work.actions.push({ kind: "send", to: from, message: { type: "syncRequest", fromHeight: height } });
    work.actions.push({ kind: "timer", name: SYNC_TIMER, afterMs: driver.syncRetryMs });
  }
}

/** A node booting with a reference state and its outputs, and the chain it has stored. */
function boot(
  driver: DriverOptions,
  booted: { readonly state: ConsensusState; readonly outputs: readonly ConsensusOutput[] },
  chain: readonly FinalizedEntry[],
): NodeStep {
  const work: Work = {
    node: {
      consensus: booted.state,
      chain,
      viewTimer: null,
      drgTimer: null,
      due: null,
      syncFrom: null,
      rejected: new Map(),
      crossLinkPool: [],
      incomingPool: [],
    },
    actions: [],
  };
  observe(work.actions, positionOf(booted.state));
  execute(driver, work, booted.outputs, false, booted.state.ledger);
  return { state: work.node, actions: work.actions };
}

/** The first state of a node: the reference's initial state on the genesis ledger and its outputs. */
export function startNode(driver: DriverOptions): NodeStep {
  return boot(driver, initialState(driver.config, driver.genesis, null), []);
}

export function nodeOnMessage(
  driver: DriverOptions,
  node: NodeState,
  from: number,
  message: FbftMessage,
  now: number,
): NodeStep {
  const work: Work = { node, actions: [] };
  if (!isConsensusMessage(message)) {
    if (message.type === "syncRequest") answerSync(driver, work, from, message.fromHeight);
    else if (message.type === "crossLink") gatherCrossLink(driver, work, message.link);
    else if (message.type === "incoming") gatherIncoming(work, message.entry);
    else takeSync(driver, work, from, message);
  } else if (fromTheFuture(driver, message, now)) {
    observe(work.actions, {
      kind: "rejected",
      code: "DRIVER_FUTURE_BLOCK",
      detail: "block time ahead of the clock",
      event: "deliver announce",
    });
  } else {
    feed(driver, work, { kind: "deliver", message });
  }
  return { state: work.node, actions: work.actions };
}

/**
 * Keeps a relayed crosslink for the proposals of a beacon member, dropping those of heights its chain has already
 * crosslinked; other shards have no use for it. Which crosslinks are valid is the reference's choice.
 */
function gatherCrossLink(driver: DriverOptions, work: Work, link: CrossLink): void {
  if (driver.config.shardId !== BEACON_SHARD) return;
  const crossLinked = beaconChainOf(work.node.consensus.ledger).crossLinked;
  const pool = [...work.node.crossLinkPool, link].filter(
    (x) => x.blockNum > (crossLinked.get(x.shardId) ?? 0n),
  );
  work.node = { ...work.node, crossLinkPool: pool };
}

/**
 * The name of an entry in a pool: the beacon height and hash, the kind and the identity of the receipt it takes
 * (CX-INCLUSION.1), or the transfer it aborts. The kind is part of it, so that a lock relayed first as a plain
 * receipt entry (which can never apply) does not keep the lock entry out.
 */
function entryName(entry: IncomingEntry): string {
  if (entry.kind === "abort") return `abort ${bytesToHex(atomicId(entry.transfer))}`;
  const header = entry.header;
  if (entry.kind === "beacon") return `beacon ${header.number} ${bytesToHex(headerHash(header))}`;
  return `${entry.kind} ${spentKey({ shard: header.shardId, number: header.number, index: entry.proof.index })}`;
}

/**
 * Whether an entry can still serve a proposal on this ledger: a beacon header not yet accepted, a receipt not yet
 * taken, a transfer not yet decided.
 */
function stillUseful(ledger: LedgerState, entry: IncomingEntry): boolean {
  const state = crossShardOf(ledger);
  if (entry.kind === "abort") {
    const status = state.atomic.get(bytesToHex(atomicId(entry.transfer)))?.status;
    return status === undefined || status === "open";
  }
  if (entry.kind === "beacon") return entry.header.number > state.beacon.number;
  const header = entry.header;
  return !state.spent.has(
    spentKey({ shard: header.shardId, number: header.number, index: entry.proof.index }),
  );
}

/**
 * Keeps a relayed incoming entry for this member's proposals, once per name, dropping those its ledger has already
 * taken. Which entries are valid is the reference's choice (CX-SELECT.2).
 */
function gatherIncoming(work: Work, entry: IncomingEntry): void {
  const ledger = work.node.consensus.ledger;
  const name = entryName(entry);
  const pool = work.node.incomingPool.filter((e) => stillUseful(ledger, e));
  if (stillUseful(ledger, entry) && !pool.some((e) => entryName(e) === name)) pool.push(entry);
  work.node = { ...work.node, incomingPool: pool };
}

/**
 * Feeds a `propose` event with the workload's transactions, the crosslinks and incoming entries gathered and the
 * driver's clock.
 */
export function proposeNow(driver: DriverOptions, node: NodeState, now: number, due: DueProposal): NodeStep {
  const work: Work = { node: { ...node, due: null }, actions: [] };
  const transactions = driver.workload({
    ledger: node.consensus.ledger,
    blockNum: due.blockNum,
    viewId: due.viewId,
  });
  feed(driver, work, {
    kind: "propose",
    viewId: due.viewId,
    transactions,
    crossLinks: node.crossLinkPool,
    incoming: node.incomingPool.filter((e) => stillUseful(node.consensus.ledger, e)),
    time: clockSeconds(driver, now),
  });
  return { state: work.node, actions: work.actions };
}

export function nodeOnTimer(driver: DriverOptions, node: NodeState, name: string, now: number): NodeStep {
  const work: Work = { node, actions: [] };
  switch (name) {
    case VIEW_TIMER:
      if (node.viewTimer !== null) {
        work.node = { ...node, viewTimer: null };
        feed(driver, work, { kind: "timeout", viewId: node.viewTimer });
      }
      break;
    case PROPOSE_TIMER:
      if (node.due !== null) return proposeNow(driver, node, now, node.due);
      break;
    case DRG_TIMER:
      if (node.drgTimer !== null) {
        work.node = { ...node, drgTimer: null };
        feed(driver, work, { kind: "drgTimeout", viewId: node.drgTimer });
      }
      break;
    case SYNC_TIMER:
      if (node.syncFrom !== null && BigInt(node.chain.length + 1) <= node.syncFrom) {
        requestSync(driver, work, node.syncFrom);
      } else {
        work.node = { ...node, syncFrom: null };
      }
      break;
  }
  return { state: work.node, actions: work.actions };
}

export function persistNode(node: NodeState): NodeSnapshot {
  return { consensus: persistentState(node.consensus), chain: node.chain };
}

/** A node restarted from its snapshot (FBFT-PERSIST.3): the reference's restored state and its outputs. */
export function restoreNode(driver: DriverOptions, snapshot: NodeSnapshot): NodeStep {
  return boot(driver, restoreState(driver.config, snapshot.consensus), snapshot.chain);
}

/** A machine running the driver's state types: the honest validator, or a rule of it replaced. */
export type HonestBehaviour = Behaviour<NodeState, FbftMessage, NodeSnapshot>;

/** The honest validator: the driver and nothing else. */
export function honestBehaviour(driver: DriverOptions): HonestBehaviour {
  return {
    init: () => startNode(driver),
    onMessage: (state, from, message, now) => nodeOnMessage(driver, state, from, message, now),
    onTimer: (state, name, now) => nodeOnTimer(driver, state, name, now),
    persist: persistNode,
    restore: (_identity, snapshot) => restoreNode(driver, snapshot),
  };
}
