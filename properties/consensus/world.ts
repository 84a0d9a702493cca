import type { ConsensusMessage } from "../../reference/consensus/index.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { type InFlightMessage, type NetworkConfig, Random, Simulation } from "../../sim/engine/index.ts";
import type { AdversarySpec } from "../../sim/fbft/adversaries.ts";
import { memoizedBls } from "../../sim/fbft/blsCache.ts";
import type { FbftRecord } from "../../sim/fbft/checkers.ts";
import { type SimCommittee, weightedCommittee } from "../../sim/fbft/committees.ts";
import { type HonestBehaviour, type NodeState, VIEW_TIMER } from "../../sim/fbft/driver.ts";
import { buildMachines, driverOptionsFor, stretchedPreset } from "../../sim/fbft/machines.ts";
import type { FbftObservation } from "../../sim/fbft/observations.ts";
import type { ByzantineMember } from "../../sim/fbft/run.ts";
import { type FbftMessage, fbftCodec } from "../../sim/fbft/wire.ts";
import { emptyWorkload } from "../../sim/fbft/workload.ts";
import { type Command, describeCommand } from "./commands.ts";
import { CONFIGURATIONS, type ConfigurationName } from "./configurations.ts";
import { forge } from "./forgery.ts";

/*
 * A committee running FBFT on the simulator under an adversary's commands. Honest members run the driver of
 * sim/fbft, Byzantine members one behaviour of its adversary library each; the adversary additionally acts
 * on the network and the machines through the engine's commands (commands.ts). Everything derives from the
 * scenario: the same scenario replays the same run.
 */

/** Everything a run depends on: a regression file stores exactly this. */
export interface Scenario {
  readonly configuration: ConfigurationName;
  /** The engine's seed (network jitter, sync peers, adversaries' choices). */
  readonly seed: number;
  readonly byzantine: readonly ByzantineMember[];
  readonly commands: readonly Command[];
}

/** An honest rule replaced for a demonstration that the properties notice it (see brokenRules.ts). */
export type HonestRule = (behaviour: HonestBehaviour) => HonestBehaviour;

/**
 * The network before GST is slow and jittery, so the adversary always finds messages in flight to reorder,
 * drop or duplicate; after GST every message takes at most Δ = 500 ms. VIEW-LIVENESS.1 needs
 * viewTimeoutMs ≥ P + 8Δ: 8000 ≥ 2000 + 4000 in the minimal preset.
 */
export const SCHEDULE_NETWORK: Omit<NetworkConfig, "gstMs"> = {
  baseMs: 50,
  jitterMs: 450,
  dropRate: 0,
  duplicateRate: 0,
  deltaMs: 500,
};

export interface WorldOptions {
  /** When the network stabilises (GST); a `gst` command advances the clock to it. */
  readonly gstMs: number;
  readonly preset?: Preset;
  /** Replaces the honest members' behaviour (a deliberately broken rule); default the driver as it is. */
  readonly honestRule?: HonestRule;
  readonly bls?: BlsBackend;
}

/** One machine's make-up. */
export interface MachineInfo {
  readonly machine: number;
  readonly identity: number;
  readonly honest: boolean;
}

/** The world a scenario runs in, and how its commands act on it. */
export interface World {
  readonly scenario: Scenario;
  readonly simulation: Simulation<unknown, FbftMessage, unknown>;
  readonly committee: SimCommittee;
  readonly preset: Preset;
  readonly genesis: LedgerState;
  readonly bls: BlsBackend;
  readonly machines: readonly MachineInfo[];
  /** Identities not counted as correct for liveness: every Byzantine one. */
  readonly faulty: ReadonlySet<number>;
  /** The GST of the network (the engine's). */
  readonly gstMs: number;
  /**
   * Consensus messages machines sent or accepted so far, each once, in the order first seen: what the
   * adversary, watching the network, can replay or vote for.
   */
  readonly seen: readonly ConsensusMessage[];
  /** Carries out one command; returns what happened, for the log. */
  apply(command: Command): string;
  /** Honest machines that are up, with their driver state. */
  honestStates(): { readonly machine: number; readonly state: NodeState }[];
  record(): FbftRecord;
}

/** Slow enough that a replayer or spammer does not dominate the run's cost. */
const REPLAY_PERIOD_MS = 2000;
const SPAM_PERIOD_MS = 4000;

/** The adversary with this suite's slower replay and spam periods when the spec names none. */
function withSuitePeriods(spec: AdversarySpec): AdversarySpec {
  switch (spec.kind) {
    case "crash":
      throw new RangeError("crashes are commands in these suites (crash, restart), not an adversary");
    case "replayer":
      return { ...spec, periodMs: spec.periodMs ?? REPLAY_PERIOD_MS };
    case "futureSpammer":
      return { ...spec, periodMs: spec.periodMs ?? SPAM_PERIOD_MS };
    default:
      return spec;
  }
}

/** Builds the committee, the machines and the engine of a scenario; no command has run yet. */
export function createWorld(scenario: Scenario, options: WorldOptions): World {
  const configuration = CONFIGURATIONS[scenario.configuration];
  const n = configuration.powers.length;
  const preset = stretchedPreset(options.preset ?? MINIMAL, n);
  const bls = options.bls ?? memoizedBls();
  const shard = 1;
  const committee = weightedCommittee(shard, configuration.powers, bls);
  const genesis = unwrap(genesisLedger(shard, null, preset));
  const root = Random.fromSeed(scenario.seed).fork("consensus properties");
  const specs = new Map<number, AdversarySpec>();
  for (const member of scenario.byzantine) specs.set(member.identity, withSuitePeriods(member.adversary));
  const { machines } = buildMachines({
    n,
    specs,
    root,
    driverFor: driverOptionsFor({
      preset,
      shard,
      committee,
      bls,
      genesis,
      blockPeriodMs: preset.blockPeriodSeconds * 1000,
      workload: emptyWorkload,
      root,
    }),
    ...(options.honestRule === undefined ? {} : { honestRule: options.honestRule }),
  });

  const simulation = new Simulation<unknown, FbftMessage, unknown>({
    machines,
    codec: fbftCodec,
    seed: scenario.seed,
    network: { ...SCHEDULE_NETWORK, gstMs: options.gstMs },
    traceCapacity: 400,
  });
  const infos: MachineInfo[] = machines.map((config, machine) => ({
    machine,
    identity: config.identity,
    honest: config.honest !== false,
  }));
  const seen: ConsensusMessage[] = [];
  const seenSet = new Set<object>();
  const remember = (message: ConsensusMessage): void => {
    if (seenSet.has(message)) return;
    seenSet.add(message);
    seen.push(message);
  };
  // How far each machine's observations have been scanned. New ones are taken in (time, machine) order, so
  // the list does not depend on where the commands cut the run (merged advances replay the same picks).
  const scanned = infos.map(() => 0);
  const collectSeen = (): void => {
    const fresh: { time: number; machine: number; index: number; message: ConsensusMessage }[] = [];
    for (const info of infos) {
      const observations = simulation.observations(info.machine);
      for (let i = scanned[info.machine]!; i < observations.length; i++) {
        const { observation, time } = observations[i]! as { observation: FbftObservation; time: number };
        if (observation.kind === "sent" || observation.kind === "accepted") {
          fresh.push({ time, machine: info.machine, index: i, message: observation.message });
        }
      }
      scanned[info.machine] = observations.length;
    }
    fresh.sort((a, b) => a.time - b.time || a.machine - b.machine || a.index - b.index);
    for (const entry of fresh) remember(entry.message);
  };
  const byzantineIdentities = [...specs.keys()].sort((a, b) => a - b);

  const world: World = {
    scenario,
    simulation,
    committee,
    preset,
    genesis,
    bls,
    machines: infos,
    faulty: new Set(specs.keys()),
    gstMs: options.gstMs,
    seen,
    honestStates() {
      const out: { machine: number; state: NodeState }[] = [];
      for (const info of infos) {
        if (!info.honest) continue;
        const state = simulation.stateOf(info.machine) as NodeState | undefined;
        if (state !== undefined) out.push({ machine: info.machine, state });
      }
      return out;
    },
    apply(command) {
      const outcome = applyCommand(world, command, byzantineIdentities);
      collectSeen();
      return `${describeCommand(command)} → ${outcome}`;
    },
    record() {
      return {
        preset,
        committee: committee.committee,
        genesis,
        bls,
        machines: infos.map((info) => ({ ...info, observations: simulation.observations(info.machine) })),
      };
    },
  };
  return world;
}

/** The message in flight a pick names (picks wrap around), or undefined when nothing is in flight. */
function pickInFlight(world: World, pick: number): InFlightMessage<FbftMessage> | undefined {
  const inFlight = world.simulation.inFlight();
  return inFlight.length === 0 ? undefined : inFlight[pick % inFlight.length];
}

/** The groups of a `partition` command: machine m joins group groupOf[m] (machines past the list: the last). */
function groupsOf(groupOf: readonly number[], machines: number): number[][] {
  const groups: number[][] = [];
  for (let machine = 0; machine < machines; machine++) {
    const group = groupOf[Math.min(machine, groupOf.length - 1)] ?? 0;
    while (groups.length <= group) groups.push([]);
    groups[group]!.push(machine);
  }
  return groups.filter((group) => group.length > 0);
}

function applyCommand(world: World, command: Command, byzantine: readonly number[]): string {
  const simulation = world.simulation;
  const machines = simulation.machineCount;
  const verdict = (done: boolean, what: string): string => (done ? what : "refused");
  switch (command.kind) {
    case "deliver":
    case "drop":
    case "duplicate":
    case "delay": {
      const target = pickInFlight(world, command.pick);
      if (target === undefined) return "nothing in flight";
      const what = `#${target.id} ${target.message.type} to machine ${target.toMachine}`;
      if (command.kind === "deliver") return verdict(simulation.deliverNow(target.id), `delivered ${what}`);
      if (command.kind === "drop") return verdict(simulation.drop(target.id), `dropped ${what}`);
      if (command.kind === "delay")
        return verdict(simulation.delay(target.id, command.ms), `delayed ${what}`);
      const copy = simulation.duplicate(target.id);
      return verdict(copy !== undefined, `copied ${what} as #${copy}`);
    }
    case "partition": {
      const groups = groupsOf(command.groupOf, machines);
      return verdict(simulation.partition(groups), `groups ${JSON.stringify(groups)}`);
    }
    case "heal":
      simulation.heal();
      return "healed";
    case "crash":
      return verdict(
        simulation.crash(command.machine % machines),
        `machine ${command.machine % machines} down`,
      );
    case "restart":
      return verdict(
        simulation.restart(command.machine % machines),
        `machine ${command.machine % machines} up`,
      );
    case "advance":
      simulation.advance(command.ms);
      return `now ${simulation.now} ms`;
    case "fireTimeout":
      return verdict(simulation.fireTimerNow(command.machine % machines, VIEW_TIMER), "view timer fired");
    case "inject": {
      if (byzantine.length === 0) return "no Byzantine key";
      const from = byzantine[command.from % byzantine.length]!;
      const message = forge(world, from, command.forgery);
      if (message === undefined) return "nothing to forge from";
      const to = command.to === null ? "all" : simulation.identityOf(command.to % machines);
      return verdict(simulation.inject(from, to, message), `${message.type} from identity ${from} to ${to}`);
    }
    case "gst":
      if (simulation.now < world.gstMs) simulation.advance(world.gstMs - simulation.now);
      return `now ${simulation.now} ms`;
  }
}
