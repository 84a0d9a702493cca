import { beaconChainOf } from "../../reference/consensus/index.ts";
import { ATOMIC_ADDRESS, atomicId } from "../../reference/crossshard/atomic.ts";
import { crossLinkOf } from "../../reference/crossshard/crosslink.ts";
import { beaconEntryOf, type IncomingEntry } from "../../reference/crossshard/incoming.ts";
import { type CxReceiptProof, proveCxReceipt } from "../../reference/crossshard/receiptProof.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { type CxReceipt, cxReceiptsTo } from "../../reference/ledger/receipt.ts";
import { transactionHash } from "../../reference/ledger/transactionCodec.ts";
import { bytesEqual } from "../../reference/ledger/validateHeader.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { type Behaviour, type MachineConfig, Random, Simulation } from "../engine/index.ts";
import { type AdversarySpec, adversaryBehaviour, anyBehaviour } from "./adversaries.ts";
import { transferExpiringAt, transferStartedAt } from "./atomicTraffic.ts";
import { memoizedBls } from "./blsCache.ts";
import { type CheckResult, checkAgreement, checkValidity, type FbftRecord } from "./checkers.ts";
import { equalCommittee, type SimCommittee } from "./committees.ts";
import { type CrossShardReport, checkCrossShard, type ShardBlock } from "./crossShardChecks.ts";
import { type FbftAction, honestBehaviour, type NodeState } from "./driver.ts";
import { driverOptionsFor, stretchedPreset } from "./machines.ts";
import type { FbftObservation } from "./observations.ts";
import { allStored } from "./run.ts";
import { type FbftMessage, fbftCodec } from "./wire.ts";
import { transferWorkload } from "./workload.ts";

/*
 * Several shards on one simulator: each shard's committee runs FBFT among its own members, shard 0 is the beacon
 * chain. Every member of another shard relays the crosslink of each block it finalizes (XLINK-OF-BLOCK.1) to the
 * beacon committee, whose leaders include them (XLINK-SELECT.1); every beacon member relays each block it finalizes,
 * with its certificate, to the other shards as a beacon entry; and every member relays each receipt its block sends
 * to the members of the receipt's destination, whose leaders include what they can credit (CX-SELECT.2). Machine
 * `s · n + i` is member i of shard s.
 */

export interface MultiShardOptions {
  readonly shards: number;
  /** Members per shard. */
  readonly validators: number;
  readonly seed: number;
  /** Stop once every machine has finalized this many blocks. */
  readonly blocks: number;
  /** Transfers per proposal on each shard. */
  readonly transfers?: number;
  readonly preset?: Preset;
  /** Cross-shard transfers per proposal on each shard. */
  readonly crossShardTransfers?: number;
  /** Start an atomic transfer, decided by the beacon chain, every this many heights (default 0: none). */
  readonly atomicEvery?: number;
  /** Whether shard members relay their crosslinks (default true; false is a deliberately broken node shell). */
  readonly relayCrossLinks?: boolean;
  /** Whether members relay beacon entries and receipts (default true; false is a deliberately broken node shell). */
  readonly relayIncoming?: boolean;
  /** Byzantine members per shard, the first ones of each committee, so that they lead first (default 0). */
  readonly byzantine?: number;
  /** What Byzantine member i runs (default silent). */
  readonly adversaryOf?: (member: number) => MultiShardAdversary;
}

/** An adversary of the multi-shard runs: a behaviour of its own machine (no crash, no twins). */
export type MultiShardAdversary = Exclude<
  AdversarySpec,
  { readonly kind: "crash" } | { readonly kind: "twins" }
>;

/** One shard at the end of a run, as its most advanced honest member sees it. */
export interface ShardReport {
  readonly shard: number;
  readonly height: bigint;
  /** Sum of the balances and staked amounts of the shard's accounts. */
  readonly supply: bigint;
  /** Receipts its blocks sent, receipts it credited, and receipts bound for it not yet credited. */
  readonly receiptsSent: number;
  readonly receiptsCredited: number;
  readonly receiptsPending: number;
  readonly checkers: { readonly agreement: CheckResult; readonly validity: CheckResult };
}

export interface MultiShardResult {
  readonly shards: readonly ShardReport[];
  /** Value across shards: conservation, exactly-once, and every receipt's fate. */
  readonly crossShard: CrossShardReport;
  /** The beacon chain's last crosslinked height of each other shard. */
  readonly crossLinked: ReadonlyMap<number, bigint>;
  readonly virtualMs: number;
}

/**
 * Member `member` of shard `shard`, its identities moved to the global machine numbering: consensus messages reach
 * its own shard's members only; what it finalizes is relayed as a crosslink to the beacon committee, as a beacon
 * entry to the other shards (from the beacon chain), and as receipt entries to the receipts' destinations.
 */
function shardMember<S, P>(
  inner: Behaviour<S, FbftMessage, P>,
  shard: number,
  member: number,
  n: number,
  shards: number,
  relay: { readonly crossLinks: boolean; readonly incoming: boolean },
  atomic: { readonly every: number; readonly preset: Preset },
): Behaviour<S, FbftMessage, P> {
  const base = shard * n;
  const toShard = (destination: number, message: FbftMessage, out: FbftAction[]) => {
    for (let j = 0; j < n; j++) out.push({ kind: "send", to: destination * n + j, message });
  };
  const me = base + member;
  const forward = (actions: readonly FbftAction[]): FbftAction[] => {
    const out: FbftAction[] = [];
    for (const action of actions) {
      if (action.kind === "send") out.push({ ...action, to: base + action.to });
      else if (action.kind === "broadcast") {
        for (let j = 0; j < n; j++)
          if (base + j !== me) out.push({ kind: "send", to: base + j, message: action.message });
      } else out.push(action);
      const observation = action.kind === "observe" ? (action.observation as FbftObservation) : null;
      if (observation?.kind !== "finalized") continue;
      if (relay.crossLinks && shard !== 0) {
        toShard(0, { type: "crossLink", link: crossLinkOf(observation.block, observation.committed) }, out);
      }
      if (!relay.incoming) continue;
      if (shard === 0) {
        const entry = beaconEntryOf(observation.block, observation.committed);
        for (let s = 1; s < shards; s++) toShard(s, { type: "incoming", entry }, out);
      }
      const outgoing = observation.outgoing ?? [];
      for (const destination of new Set(outgoing.map((r) => r.toShard))) {
        cxReceiptsTo(outgoing, destination).forEach((receipt, index) => {
          const proof = proveCxReceipt(outgoing, destination, index);
          const entry = incomingEntryFor(observation.block, receipt, proof, atomic);
          if (entry !== null) toShard(destination, { type: "incoming", entry }, out);
        });
      }
      if (shard === 0 && atomic.every > 0) {
        // Any party may abort a transfer whose deadline has passed: beacon members offer it to each other.
        const transfer = transferExpiringAt(observation.block.header.number, atomic.every, atomic.preset);
        if (transfer !== null) {
          const message: FbftMessage = { type: "incoming", entry: { kind: "abort", transfer } };
          for (let j = 0; j < n; j++) if (j !== member) out.push({ kind: "send", to: j, message });
        }
      }
    }
    return out;
  };
  const local = (from: number) => (from >= base && from < base + n ? from - base : -1);
  return {
    init(_identity, now) {
      const step = inner.init(member, now);
      return { state: step.state, actions: forward(step.actions) };
    },
    onMessage(state, from, message, now) {
      const step = inner.onMessage(state, local(from), message, now);
      return { state: step.state, actions: forward(step.actions) };
    },
    onTimer(state, name, now) {
      const step = inner.onTimer(state, name, now);
      return { state: step.state, actions: forward(step.actions) };
    },
    persist: (state) => inner.persist(state),
    restore(_identity, snapshot, now) {
      const step = inner.restore(member, snapshot, now);
      return { state: step.state, actions: forward(step.actions) };
    },
  };
}

/** Runs `shards` committees of `validators` members each until every member has finalized `blocks` blocks. */
export function runMultiShard(options: MultiShardOptions): MultiShardResult {
  const n = options.validators;
  const preset = stretchedPreset({ ...(options.preset ?? MINIMAL), numShards: options.shards }, n);
  const bls = memoizedBls();
  const root = Random.fromSeed(options.seed).fork("multi-shard");
  const machines: MachineConfig<unknown, FbftMessage, unknown>[] = [];
  const committees: SimCommittee[] = [];
  const geneses: LedgerState[] = [];
  for (let shard = 0; shard < options.shards; shard++) {
    const committee = equalCommittee(shard, n, bls);
    committees.push(committee);
    const genesis = unwrap(genesisLedger(shard, null, preset));
    geneses.push(genesis);
    const driverFor = driverOptionsFor({
      preset,
      shard,
      committee,
      bls,
      genesis,
      blockPeriodMs: preset.blockPeriodSeconds * 1000,
      workload: transferWorkload(
        shard,
        preset,
        options.transfers ?? 1,
        options.crossShardTransfers ?? 0,
        options.atomicEvery ?? 0,
      ),
      root: root.fork(`shard ${shard}`),
    });
    const relay = { crossLinks: options.relayCrossLinks ?? true, incoming: options.relayIncoming ?? true };
    const atomic = { every: options.atomicEvery ?? 0, preset };
    const colluders = new Set(Array.from({ length: options.byzantine ?? 0 }, (_, k) => k));
    for (let i = 0; i < n; i++) {
      const driver = { ...driverFor(i, shard * n + i), observesOutgoing: true };
      const honest = !colluders.has(i);
      const member = honest
        ? anyBehaviour(honestBehaviour(driver))
        : adversaryBehaviour(
            options.adversaryOf?.(i) ?? { kind: "silent" },
            driver,
            colluders,
            root.fork(`adversary ${shard} ${i}`),
          );
      const behaviour = shardMember(member, shard, i, n, options.shards, relay, atomic);
      machines.push({ identity: shard * n + i, behaviour: anyBehaviour(behaviour), honest });
    }
  }
  const simulation = new Simulation<unknown, FbftMessage, unknown>({
    machines,
    codec: fbftCodec,
    seed: options.seed,
    traceCapacity: 0,
  });
  const correct = machines.filter((m) => m.honest !== false).map((m) => m.identity);
  const finished = allStored(simulation, correct, options.blocks);
  simulation.runUntil(finished, options.blocks * 10 * preset.viewTimeoutMs + 60_000);
  // Each shard's longest honest history: by agreement the others are its prefixes, and a receipt credited elsewhere
  // may come from a block only the most advanced member has finalized.
  const furthest: number[] = [];
  const histories = committees.map((_, shard) => {
    let blocks: ShardBlock[] = [];
    for (let i = 0; i < n; i++) {
      if (machines[shard * n + i]!.honest === false) continue;
      const mine = finalizedBlocks(simulation.observations(shard * n + i));
      if (furthest[shard] === undefined || mine.length > blocks.length) {
        blocks = mine;
        furthest[shard] = shard * n + i;
      }
    }
    return { shard, genesis: geneses[shard]!, blocks };
  });
  const crossShard = checkCrossShard(histories, preset, bls);
  const shards = committees.map((committee, shard): ShardReport => {
    const record: FbftRecord = {
      preset,
      committee: committee.committee,
      genesis: geneses[shard]!,
      bls,
      machines: Array.from({ length: n }, (_, i) => ({
        machine: shard * n + i,
        identity: i,
        honest: machines[shard * n + i]!.honest !== false,
        observations: simulation.observations(shard * n + i),
      })),
    };
    const receipts = crossShard.receipts;
    return {
      shard,
      height: histories[shard]!.blocks.at(-1)?.block.header.number ?? 0n,
      supply: crossShard.supplies.get(shard)!,
      receiptsSent: receipts.filter((r) => r.receipt.fromShard === shard).length,
      receiptsCredited: receipts.filter((r) => r.receipt.toShard === shard && r.credited).length,
      receiptsPending: receipts.filter((r) => r.receipt.toShard === shard && !r.credited).length,
      checkers: { agreement: checkAgreement(record), validity: checkValidity(record) },
    };
  });
  const beacon = simulation.stateOf(furthest[0]!) as NodeState;
  return {
    shards,
    crossShard,
    crossLinked: beaconChainOf(beacon.consensus.ledger).crossLinked,
    virtualMs: simulation.now,
  };
}

/** The blocks a machine finalized, in order, with the time it finalized each. */
function finalizedBlocks(observations: readonly { time: number; observation: unknown }[]): ShardBlock[] {
  const out: ShardBlock[] = [];
  for (const { time, observation } of observations) {
    const o = observation as FbftObservation;
    if (o.kind === "finalized") out.push({ block: o.block, time });
  }
  return out;
}

/**
 * The entry that brings a receipt of `block` to its destination: a receipt entry, or for a lock the lock entry
 * with its transaction and the transfer that starts at the block's height; null for a lock of no transfer of the run.
 */
function incomingEntryFor(
  block: Block,
  receipt: CxReceipt,
  proof: CxReceiptProof,
  atomic: { readonly every: number; readonly preset: Preset },
): IncomingEntry | null {
  const header = block.header;
  if (!bytesEqual(receipt.to, ATOMIC_ADDRESS)) return { kind: "receipt", header, proof };
  const transaction = block.transactions.find((tx) => bytesEqual(transactionHash(tx), receipt.txHash));
  if (transaction === undefined || atomic.every === 0) return null;
  const transfer = transferStartedAt(header.number, atomic.every, atomic.preset);
  if (transfer === null || !bytesEqual(atomicId(transfer), transaction.data)) return null;
  return { kind: "lock", header, proof, transaction, transfer };
}
