import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Preset } from "../../reference/params/presets.ts";
import type { MachineConfig, Random } from "../engine/index.ts";
import { type AdversarySpec, adversaryBehaviour, anyBehaviour, twinBehaviour } from "./adversaries.ts";
import type { SimCommittee } from "./committees.ts";
import { type DriverOptions, type HonestBehaviour, honestBehaviour } from "./driver.ts";
import type { FbftMessage } from "./wire.ts";
import type { Workload } from "./workload.ts";

/*
 * The machines of one committee on the simulator, shared by `runFbft` and the property suites so that both
 * run the same drivers and adversaries from the same seed.
 */

/**
 * The preset stretched to a committee of `members`: the header's lastCommitBitmap is sized by the preset's
 * slot count (HEADER-FIELDS.2), so every member needs a slot.
 */
export function stretchedPreset(preset: Preset, members: number): Preset {
  return { ...preset, slotsPerShard: members };
}

/** What every member's driver shares. */
export interface DriverSetup {
  readonly preset: Preset;
  readonly shard: number;
  readonly committee: SimCommittee;
  readonly bls: BlsBackend;
  readonly genesis: LedgerState;
  readonly blockPeriodMs: number;
  readonly workload: Workload;
  readonly root: Random;
}

/** The driver options of `identity` on machine `machine` (a twin's second machine has its own stream). */
export function driverOptionsFor(setup: DriverSetup): (identity: number, machine: number) => DriverOptions {
  const { preset, shard, committee, bls } = setup;
  return (identity, machine) => ({
    config: {
      preset,
      shardId: shard,
      committee: committee.committee,
      me: identity,
      secretKey: committee.secretKeys[identity]!,
      bls,
    },
    genesis: setup.genesis,
    blockPeriodMs: setup.blockPeriodMs,
    workload: setup.workload,
    random: setup.root.fork(`driver ${machine}`),
    syncBatch: 16,
    syncRetryMs: Math.max(1000, preset.viewTimeoutMs / 4),
    clockSkewMs: 0,
  });
}

/** Where and when the engine crashes and restarts machines. */
export interface ScheduledFault {
  readonly atMs: number;
  readonly machine: number;
  readonly restart: boolean;
}

/** What every machine of a run shares. */
export interface MachinesContext {
  readonly n: number;
  readonly specs: ReadonlyMap<number, AdversarySpec>;
  readonly root: Random;
  readonly driverFor: (identity: number, machine: number) => DriverOptions;
  /** Replaces the honest driver, for a demonstration that a property notices a broken rule. */
  readonly honestRule?: (behaviour: HonestBehaviour) => HonestBehaviour;
}

/**
 * One machine per identity, in identity order, running the honest driver or its adversary; the second
 * machines of twins come after them. Crash-prone machines are honest machines with scheduled faults.
 */
export function buildMachines(context: MachinesContext): {
  readonly machines: MachineConfig<unknown, FbftMessage, unknown>[];
  readonly faults: ScheduledFault[];
} {
  const { n, specs, root, driverFor } = context;
  const colluders = new Set(
    [...specs].filter(([, spec]) => spec.kind !== "crash").map(([identity]) => identity),
  );
  const machines: MachineConfig<unknown, FbftMessage, unknown>[] = [];
  const twins: MachineConfig<unknown, FbftMessage, unknown>[] = [];
  const faults: ScheduledFault[] = [];
  for (let identity = 0; identity < n; identity++) {
    const driver = driverFor(identity, identity);
    const spec = specs.get(identity);
    if (spec === undefined || spec.kind === "crash") {
      const honest = honestBehaviour(driver);
      const behaviour = context.honestRule === undefined ? honest : context.honestRule(honest);
      machines.push({ identity, behaviour: anyBehaviour(behaviour), honest: true });
      if (spec !== undefined) {
        faults.push({ atMs: spec.atMs, machine: identity, restart: false });
        if (spec.restartAtMs !== undefined) {
          faults.push({ atMs: spec.restartAtMs, machine: identity, restart: true });
        }
      }
      continue;
    }
    const random = root.fork(`adversary ${identity}`);
    machines.push({
      identity,
      behaviour: adversaryBehaviour(spec, driver, colluders, random),
      honest: false,
    });
    if (spec.kind === "twins") {
      twins.push({
        identity,
        behaviour: twinBehaviour(driverFor(identity, n + twins.length), spec.clockSkewMs),
        honest: false,
      });
    }
  }
  machines.push(...twins);
  faults.sort((a, b) => a.atMs - b.atMs || a.machine - b.machine);
  return { machines, faults };
}
