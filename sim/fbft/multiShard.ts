import { beaconChainOf } from "../../reference/consensus/index.ts";
import { crossLinkOf } from "../../reference/crossshard/crosslink.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import { type MachineConfig, Random, Simulation } from "../engine/index.ts";
import { anyBehaviour } from "./adversaries.ts";
import { memoizedBls } from "./blsCache.ts";
import { type CheckResult, checkAgreement, checkValidity, type FbftRecord } from "./checkers.ts";
import { equalCommittee, type SimCommittee } from "./committees.ts";
import { type FbftAction, type HonestBehaviour, honestBehaviour, type NodeState } from "./driver.ts";
import { driverOptionsFor, stretchedPreset } from "./machines.ts";
import type { FbftObservation } from "./observations.ts";
import { allStored } from "./run.ts";
import { type FbftMessage, fbftCodec } from "./wire.ts";
import { transferWorkload } from "./workload.ts";

/*
 * Several shards on one simulator: each shard's committee runs FBFT among its own members, shard 0 is the beacon
 * chain, and every member of another shard relays the crosslink of each block it finalizes (XLINK-OF-BLOCK.1) to
 * the beacon committee, whose leaders include them (XLINK-SELECT.1). Machine `s · n + i` is member i of shard s.
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
  /** Whether shard members relay their crosslinks (default true; false is a deliberately broken node shell). */
  readonly relayCrossLinks?: boolean;
}

/** One shard at the end of a run, as its first member sees it. */
export interface ShardReport {
  readonly shard: number;
  readonly height: bigint;
  /** Sum of the balances of the shard's accounts. */
  readonly supply: bigint;
  readonly checkers: { readonly agreement: CheckResult; readonly validity: CheckResult };
}

export interface MultiShardResult {
  readonly shards: readonly ShardReport[];
  /** The beacon chain's last crosslinked height of each other shard. */
  readonly crossLinked: ReadonlyMap<number, bigint>;
  readonly virtualMs: number;
}

/**
 * The honest driver of member `member` of shard `shard`, its identities moved to the global machine numbering:
 * messages reach its own shard's members only, and a finalized block of a shard other than the beacon chain is
 * relayed, as its crosslink, to every member of the beacon committee.
 */
function shardMember(
  inner: HonestBehaviour,
  shard: number,
  member: number,
  n: number,
  relayCrossLinks: boolean,
): HonestBehaviour {
  const base = shard * n;
  const me = base + member;
  const relay = (actions: readonly FbftAction[]): FbftAction[] => {
    const out: FbftAction[] = [];
    for (const action of actions) {
      if (action.kind === "send") out.push({ ...action, to: base + action.to });
      else if (action.kind === "broadcast") {
        for (let j = 0; j < n; j++)
          if (base + j !== me) out.push({ kind: "send", to: base + j, message: action.message });
      } else out.push(action);
      const observation = action.kind === "observe" ? (action.observation as FbftObservation) : null;
      if (relayCrossLinks && shard !== 0 && observation?.kind === "finalized") {
        const link = crossLinkOf(observation.block, observation.committed);
        for (let j = 0; j < n; j++) out.push({ kind: "send", to: j, message: { type: "crossLink", link } });
      }
    }
    return out;
  };
  const local = (from: number) => (from >= base && from < base + n ? from - base : -1);
  return {
    init(_identity, now) {
      const step = inner.init(member, now);
      return { state: step.state, actions: relay(step.actions) };
    },
    onMessage(state, from, message, now) {
      const step = inner.onMessage(state, local(from), message, now);
      return { state: step.state, actions: relay(step.actions) };
    },
    onTimer(state, name, now) {
      const step = inner.onTimer(state, name, now);
      return { state: step.state, actions: relay(step.actions) };
    },
    persist: (state) => inner.persist(state),
    restore(_identity, snapshot, now) {
      const step = inner.restore(member, snapshot, now);
      return { state: step.state, actions: relay(step.actions) };
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
      workload: transferWorkload(shard, preset, options.transfers ?? 1),
      root: root.fork(`shard ${shard}`),
    });
    for (let i = 0; i < n; i++) {
      const member = honestBehaviour(driverFor(i, shard * n + i));
      const behaviour = shardMember(member, shard, i, n, options.relayCrossLinks ?? true);
      machines.push({ identity: shard * n + i, behaviour: anyBehaviour(behaviour), honest: true });
    }
  }
  const simulation = new Simulation<unknown, FbftMessage, unknown>({
    machines,
    codec: fbftCodec,
    seed: options.seed,
    traceCapacity: 0,
  });
  const finished = allStored(
    simulation,
    machines.map((_, m) => m),
    options.blocks,
  );
  simulation.runUntil(finished, options.blocks * 10 * preset.viewTimeoutMs + 60_000);
  const shards = committees.map((committee, shard): ShardReport => {
    const record: FbftRecord = {
      preset,
      committee: committee.committee,
      genesis: geneses[shard]!,
      bls,
      machines: Array.from({ length: n }, (_, i) => ({
        machine: shard * n + i,
        identity: i,
        honest: true,
        observations: simulation.observations(shard * n + i),
      })),
    };
    const state = simulation.stateOf(shard * n) as NodeState;
    return {
      shard,
      height: state.consensus.ledger.head.number,
      supply: supplyOf(state.consensus.ledger.accounts),
      checkers: { agreement: checkAgreement(record), validity: checkValidity(record) },
    };
  });
  const beacon = simulation.stateOf(0) as NodeState;
  return {
    shards,
    crossLinked: beaconChainOf(beacon.consensus.ledger).crossLinked,
    virtualMs: simulation.now,
  };
}
