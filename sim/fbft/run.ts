import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { BEACON_SHARD } from "../../reference/randomness/schedule.ts";
import {
  DEFAULT_NETWORK,
  type Metrics,
  type NetworkConfig,
  Random,
  Simulation,
  type TraceEntry,
} from "../engine/index.ts";
import type { AdversarySpec } from "./adversaries.ts";
import { memoizedBls } from "./blsCache.ts";
import {
  type CheckResult,
  checkAccountability,
  checkAgreement,
  checkLivenessAfterGst,
  checkLocking,
  checkNoHonestEquivocation,
  checkProgress,
  checkValidity,
  type FbftRecord,
} from "./checkers.ts";
import { equalCommittee, type SimCommittee, weightedCommittee } from "./committees.ts";
import type { NodeState } from "./driver.ts";
import {
  buildMachines,
  driverOptionsFor,
  type MachinesContext,
  type ScheduledFault,
  stretchedPreset,
} from "./machines.ts";
import { observationsOf } from "./observations.ts";
import { checkCommitWindow } from "./randomness.ts";
import { type FbftMessage, fbftCodec } from "./wire.ts";
import { emptyWorkload, transferWorkload, type Workload } from "./workload.ts";

/** A Byzantine (or crash-prone) committee member and what it does. */
export interface ByzantineMember {
  readonly identity: number;
  readonly adversary: AdversarySpec;
}

export interface FbftRunOptions {
  /** Committee size n. */
  readonly validators: number;
  /**
   * Faulty members: a count (identities 0 … count − 1, so the first leaders are the faulty ones, each running
   * `adversary`), or explicit identities with their behaviours. Default none.
   */
  readonly byzantine?: number | readonly ByzantineMember[];
  /** The behaviour of the members of a `byzantine` count; default silent. */
  readonly adversary?: AdversarySpec;
  /** Voting power per member (length n); default 1 each. */
  readonly weights?: readonly (bigint | number)[];
  readonly seed: number;
  /** Stop once every correct machine has finalized this many blocks. */
  readonly blocks: number;
  /** Loss probability before GST (sets `network.dropRate`); with no `gstMs` the network then never stabilises. */
  readonly drop?: number;
  readonly network?: Partial<NetworkConfig>;
  /** Global stabilisation time (sets `network.gstMs`). */
  readonly gstMs?: number;
  /** Stop at this virtual time even if the blocks are not decided. */
  readonly maxVirtualMs?: number;
  /** Protocol parameters, default the minimal preset; `slotsPerShard` is replaced by `validators`. */
  readonly preset?: Preset;
  /**
   * Default 1, a shard whose blocks are plain ledger blocks; shard 0 is the beacon chain, whose committee runs
   * the randomness protocol (§9.7) and must be the genesis committee (no weights).
   */
  readonly shard?: number;
  /** Delay before a leader answers `proposalDue`; default the preset's block period. */
  readonly blockPeriodMs?: number;
  /** Transactions per proposal: a workload, or a number of transfers between genesis accounts. */
  readonly workload?: Workload | number;
  /** How many trace events to keep; default 1000. */
  readonly traceCapacity?: number;
  /** Default a memoizing cache over blst, fresh for the run. */
  readonly bls?: BlsBackend;
  /** Replaces the honest members' behaviour, for a demonstration that a property notices a broken rule. */
  readonly honestRule?: MachinesContext["honestRule"];
}

/** One decided height. */
export interface BlockRecord {
  readonly height: number;
  /** The view that decided it (the lowest view of the committed messages it was finalized with). */
  readonly view: bigint;
  readonly hash: string;
  /** When the first honest machine finalized it. */
  readonly finalizedAtMs: number;
  /** When an honest machine first sent or accepted an announce of it; null if none did. */
  readonly proposedAtMs: number | null;
  /**
   * The consensus messages honest machines sent for this height (by the message's block number), one per
   * receiving machine, and their bytes as on the wire: what the engine meters for them. Byzantine machines'
   * messages and block sync are not attributed to a height.
   */
  readonly messages: number;
  readonly bytes: number;
}

export type CheckerName =
  | "agreement"
  | "validity"
  | "noHonestEquivocation"
  | "accountability"
  | "locking"
  | "liveness"
  | "progress"
  | "commitWindow";

export interface FbftRunResult {
  /** Heights every correct machine finalized. */
  readonly decided: number;
  readonly perBlock: readonly BlockRecord[];
  readonly metrics: Metrics & { readonly messagesPerBlock: number; readonly bytesPerBlock: number };
  readonly views: {
    /** The highest view an honest machine reached. */
    readonly highest: bigint;
    /** View-change messages honest machines sent. */
    readonly viewChangesSent: number;
  };
  /** STEP errors at honest machines, by code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly checkers: Readonly<Record<CheckerName, CheckResult>>;
  readonly trace: readonly TraceEntry[];
  /** Virtual time at the end of the run. */
  readonly virtualMs: number;
  readonly record: FbftRecord;
}

function byzantineMembers(options: FbftRunOptions): ByzantineMember[] {
  const byzantine = options.byzantine ?? 0;
  if (typeof byzantine !== "number") return [...byzantine];
  const adversary = options.adversary ?? { kind: "silent" };
  return Array.from({ length: byzantine }, (_, identity) => ({ identity, adversary }));
}

function buildCommittee(options: FbftRunOptions, shard: number, bls: BlsBackend): SimCommittee {
  if (options.weights === undefined) return equalCommittee(shard, options.validators, bls);
  if (shard === BEACON_SHARD) {
    // The beacon rule checks each commitment against the genesis committee, whose members have power 1.
    throw new RangeError("the beacon chain's committee is its genesis committee: weights need another shard");
  }
  if (options.weights.length !== options.validators) {
    throw new RangeError(`${options.weights.length} weights for ${options.validators} validators`);
  }
  return weightedCommittee(shard, options.weights.map(BigInt), bls);
}

function resolveWorkload(options: FbftRunOptions, shard: number, preset: Preset): Workload {
  const workload = options.workload ?? emptyWorkload;
  return typeof workload === "number" ? transferWorkload(shard, preset, workload) : workload;
}

/** Indexes the faulty members by identity, refusing unknown or repeated identities. */
function adversarySpecs(options: FbftRunOptions): Map<number, AdversarySpec> {
  const specs = new Map<number, AdversarySpec>();
  for (const member of byzantineMembers(options)) {
    if (!Number.isInteger(member.identity) || member.identity < 0 || member.identity >= options.validators) {
      throw new RangeError(`no member ${member.identity} in a committee of ${options.validators}`);
    }
    if (specs.has(member.identity)) throw new RangeError(`member ${member.identity} is listed twice`);
    specs.set(member.identity, member.adversary);
  }
  return specs;
}

/**
 * A stop condition that holds once each of `machines` has stored `blocks` finalized blocks. A machine that got
 * there is not looked at again, since a stored chain only grows.
 */
export function allStored(
  simulation: Simulation<unknown, FbftMessage, unknown>,
  machines: readonly number[],
  blocks: number,
): () => boolean {
  let done = 0;
  return () => {
    while (done < machines.length) {
      const state = simulation.stateOf(machines[done]!) as NodeState | undefined;
      if (state === undefined || state.chain.length < blocks) return false;
      done++;
    }
    return true;
  };
}

/** Runs until `finished` holds or `maxVirtualMs`, crashing and restarting machines on schedule on the way. */
function drive(
  simulation: Simulation<unknown, FbftMessage, unknown>,
  faults: readonly ScheduledFault[],
  finished: () => boolean,
  maxVirtualMs: number,
): void {
  for (const fault of faults) {
    if (fault.atMs > maxVirtualMs) break;
    if (simulation.runUntil(finished, Math.max(0, fault.atMs - simulation.now))) return;
    simulation.advance(Math.max(0, fault.atMs - simulation.now));
    if (fault.restart) simulation.restart(fault.machine);
    else simulation.crash(fault.machine);
  }
  simulation.runUntil(finished, Math.max(0, maxVirtualMs - simulation.now));
}

/**
 * Runs FBFT on the simulator: n members (one machine each, two for twins) on the genesis ledger of the
 * preset, honest ones running the driver, faulty ones their adversary, until every correct machine has
 * finalized `blocks` blocks or `maxVirtualMs` passes. Returns what was decided, the traffic, STEP errors,
 * every checker's verdict and the engine's trace. Same options and seed, same result.
 */
export function runFbft(options: FbftRunOptions): FbftRunResult {
  const preset = stretchedPreset(options.preset ?? MINIMAL, options.validators);
  const shard = options.shard ?? 1;
  const bls = options.bls ?? memoizedBls();
  const committee = buildCommittee(options, shard, bls);
  const genesis = unwrap(genesisLedger(shard, null, preset));
  const drop = options.drop ?? 0;
  const network: Partial<NetworkConfig> = {
    ...options.network,
    ...(drop > 0 ? { dropRate: drop, gstMs: Number.POSITIVE_INFINITY } : {}),
    ...(options.gstMs === undefined ? {} : { gstMs: options.gstMs }),
  };
  const gstMs = network.gstMs ?? DEFAULT_NETWORK.gstMs;
  const root = Random.fromSeed(options.seed).fork("fbft");
  const specs = adversarySpecs(options);
  const faulty = new Set(specs.keys());
  const { machines, faults } = buildMachines({
    n: options.validators,
    specs,
    root,
    ...(options.honestRule === undefined ? {} : { honestRule: options.honestRule }),
    driverFor: driverOptionsFor({
      preset,
      shard,
      committee,
      bls,
      genesis,
      blockPeriodMs: options.blockPeriodMs ?? preset.blockPeriodSeconds * 1000,
      workload: resolveWorkload(options, shard, preset),
      root,
    }),
  });
  const simulation = new Simulation<unknown, FbftMessage, unknown>({
    machines,
    codec: fbftCodec,
    seed: options.seed,
    network,
    traceCapacity: options.traceCapacity ?? 1000,
  });

  // Correct machines: honest and not crash-prone. The run ends when each has stored `blocks` blocks.
  const correct: number[] = [];
  machines.forEach((machine, index) => {
    if (machine.honest !== false && !faulty.has(machine.identity)) correct.push(index);
  });
  const finished = allStored(simulation, correct, options.blocks);
  const maxVirtualMs =
    options.maxVirtualMs ??
    (Number.isFinite(gstMs) ? gstMs : 0) + options.blocks * 10 * preset.viewTimeoutMs + 60_000;
  drive(simulation, faults, finished, maxVirtualMs);

  const record: FbftRecord = {
    preset,
    committee: committee.committee,
    genesis,
    bls,
    machines: machines.map((config, machine) => ({
      machine,
      identity: config.identity,
      honest: config.honest !== false,
      observations: simulation.observations(machine),
    })),
  };
  return summarise(simulation, record, { blocks: options.blocks, gstMs, faulty, correct, maxVirtualMs });
}

interface Traffic {
  messages: number;
  bytes: number;
}

/**
 * The consensus messages honest machines sent, by height: each send counted once per machine of its
 * recipient identity, a broadcast once per machine of every other identity, as the engine delivers and meters
 * them (crashed recipients included).
 */
function honestTrafficByHeight(record: FbftRecord): Map<bigint, Traffic> {
  const machinesOf = new Map<number, number>();
  for (const machine of record.machines) {
    machinesOf.set(machine.identity, (machinesOf.get(machine.identity) ?? 0) + 1);
  }
  const traffic = new Map<bigint, Traffic>();
  for (const machine of record.machines) {
    if (!machine.honest) continue;
    for (const { observation } of observationsOf(machine.observations, "sent")) {
      const recipients =
        observation.to === "all"
          ? record.machines.length - (machinesOf.get(machine.identity) ?? 0)
          : (machinesOf.get(observation.to) ?? 0);
      const height = observation.message.blockNum;
      const entry = traffic.get(height) ?? { messages: 0, bytes: 0 };
      entry.messages += recipients;
      entry.bytes += recipients * fbftCodec.size(observation.message);
      traffic.set(height, entry);
    }
  }
  return traffic;
}

function summarise(
  simulation: Simulation<unknown, FbftMessage, unknown>,
  record: FbftRecord,
  run: {
    readonly blocks: number;
    readonly gstMs: number;
    readonly faulty: ReadonlySet<number>;
    readonly correct: readonly number[];
    readonly maxVirtualMs: number;
  },
): FbftRunResult {
  const honest = record.machines.filter((machine) => machine.honest);
  const counts = run.correct.map(
    (machine) => observationsOf(simulation.observations(machine), "finalized").length,
  );
  const decided = counts.length === 0 ? 0 : Math.min(...counts);

  const firstFinalized = new Map<bigint, { time: number; hash: string }>();
  const decisionView = new Map<string, bigint>();
  const proposedAt = new Map<string, number>();
  const errors: Record<string, number> = {};
  let highest = 0n;
  let viewChangesSent = 0;
  for (const machine of honest) {
    for (const { time, observation } of observationsOf(machine.observations, "finalized")) {
      const known = firstFinalized.get(observation.height);
      if (known === undefined || time < known.time) {
        firstFinalized.set(observation.height, { time, hash: observation.hash });
      }
      const view = decisionView.get(observation.hash);
      if (view === undefined || observation.viewId < view)
        decisionView.set(observation.hash, observation.viewId);
    }
    for (const kind of ["sent", "accepted"] as const) {
      for (const { time, observation } of observationsOf(machine.observations, kind)) {
        const message = observation.message;
        if (kind === "sent" && message.type === "viewChange") viewChangesSent++;
        if (message.type !== "announce") continue;
        const hash = bytesToHex(message.blockHash);
        const known = proposedAt.get(hash);
        if (known === undefined || time < known) proposedAt.set(hash, time);
      }
    }
    for (const { observation } of observationsOf(machine.observations, "rejected")) {
      errors[observation.code] = (errors[observation.code] ?? 0) + 1;
    }
    for (const { observation } of observationsOf(machine.observations, "position")) {
      if (observation.view > highest) highest = observation.view;
    }
  }
  const traffic = honestTrafficByHeight(record);
  const perBlock: BlockRecord[] = [];
  for (let height = 1; height <= decided; height++) {
    const first = firstFinalized.get(BigInt(height));
    if (first === undefined) break;
    const spent = traffic.get(BigInt(height)) ?? { messages: 0, bytes: 0 };
    perBlock.push({
      height,
      view: decisionView.get(first.hash)!,
      hash: first.hash,
      finalizedAtMs: first.time,
      proposedAtMs: proposedAt.get(first.hash) ?? null,
      messages: spent.messages,
      bytes: spent.bytes,
    });
  }

  const metrics = simulation.metrics();
  const perBlockDivisor = Math.max(decided, 1);
  return {
    decided,
    perBlock,
    metrics: {
      ...metrics,
      messagesPerBlock: metrics.messages / perBlockDivisor,
      bytesPerBlock: metrics.bytes / perBlockDivisor,
    },
    views: { highest, viewChangesSent },
    errors,
    checkers: {
      agreement: checkAgreement(record),
      validity: checkValidity(record),
      noHonestEquivocation: checkNoHonestEquivocation(record),
      accountability: checkAccountability(record),
      locking: checkLocking(record),
      liveness: checkLivenessAfterGst(record, { gstMs: run.gstMs, faulty: run.faulty }),
      progress: checkProgress(record, { blocks: run.blocks, byMs: run.maxVirtualMs, faulty: run.faulty }),
      commitWindow: checkCommitWindow(record),
    },
    trace: simulation.trace(),
    virtualMs: simulation.now,
    record,
  };
}
