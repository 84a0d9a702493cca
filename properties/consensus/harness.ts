import fc from "fast-check";
import { viewTimeoutMs } from "../../reference/consensus/index.ts";
import type { AdversarySpec } from "../../sim/fbft/adversaries.ts";
import {
  type CheckResult,
  checkAgreement,
  checkLivenessAfterGst,
  checkLocking,
  checkNoHonestEquivocation,
  checkProgress,
  checkValidity,
  longestFaultyRun,
} from "../../sim/fbft/checkers.ts";
import type { FbftObservation } from "../../sim/fbft/observations.ts";
import type { ByzantineMember } from "../../sim/fbft/run.ts";
import { type Command, commandsArbitrary } from "./commands.ts";
import type { Configuration } from "./configurations.ts";
import { createWorld, type Scenario, type World, type WorldOptions } from "./world.ts";

/*
 * Runs a scenario and checks the properties of FBFT-SAFETY.1 after every command, then brings the network to
 * GST and checks VIEW-LIVENESS.1 while the committee decides a fixed number of further blocks.
 */

/** How long and how hard the adversary plays. `PROPERTY_RUNS_SCALE` multiplies runs and schedule lengths. */
export interface RunSizes {
  /** fast-check runs per property. */
  readonly runs: number;
  /** Most commands in a schedule. */
  readonly commands: number;
  readonly maxAdvanceMs: number;
  /** The network's GST, unless a `gst` command comes first. */
  readonly gstMs: number;
  /** Blocks every correct member must decide after the network stabilised. */
  readonly blocksAfterGst: number;
}

/** The scale factor for deep runs (`PROPERTY_RUNS_SCALE=10 npm run check:deep`); 1 in `npm test`. */
export function runsScale(): number {
  const raw = process.env.PROPERTY_RUNS_SCALE;
  const scale = raw === undefined ? 1 : Number(raw);
  if (!Number.isFinite(scale) || scale <= 0)
    throw new RangeError(`PROPERTY_RUNS_SCALE must be > 0, got ${raw}`);
  return scale;
}

/** Default sizes scaled: runs and schedule length grow with the scale, the GST with the schedule. */
export function scaledSizes(base: RunSizes, scale = runsScale()): RunSizes {
  return {
    ...base,
    runs: Math.max(1, Math.round(base.runs * scale)),
    commands: Math.round(base.commands * Math.max(1, Math.sqrt(scale))),
    gstMs: Math.round(base.gstMs * Math.max(1, Math.sqrt(scale))),
  };
}

export type SafetyProperty = "agreement" | "validity" | "noHonestEquivocation" | "locking";
export type LivenessProperty = "liveness" | "progress";

export interface Violation {
  readonly property: SafetyProperty | LivenessProperty;
  readonly detail: string;
  /** The index of the command after which it was found; null when found after the schedule. */
  readonly afterCommand: number | null;
}

export interface ScenarioOutcome {
  readonly world: World;
  /** The first violation, or null if every property held. */
  readonly violation: Violation | null;
  /** One line per command: what it did. */
  readonly log: readonly string[];
  /** When the network was stable, every machine up and the schedule over; null if a violation came first. */
  readonly stableAtMs: number | null;
  /** The chain length every correct member reached, and the target it had to reach. */
  readonly progress: { readonly reached: number; readonly target: number } | null;
}

const SAFETY_CHECKS: readonly [SafetyProperty, (world: World) => CheckResult][] = [
  ["agreement", (world) => checkAgreement(world.record())],
  ["validity", (world) => checkValidity(world.record())],
  ["noHonestEquivocation", (world) => checkNoHonestEquivocation(world.record())],
  ["locking", (world) => checkLocking(world.record())],
];

/** The kinds of observation a safety verdict depends on (positions and rejections change none). */
const SAFETY_INPUTS: ReadonlySet<string> = new Set(["finalized", "sent", "accepted", "evidence"]);

/** Counts, incrementally, the observations the safety checkers read. */
function safetyInputCounter(world: World): () => number {
  const scanned = world.machines.map(() => 0);
  let count = 0;
  return () => {
    for (const info of world.machines) {
      const observations = world.simulation.observations(info.machine);
      for (let i = scanned[info.machine]!; i < observations.length; i++) {
        if (SAFETY_INPUTS.has((observations[i]!.observation as FbftObservation).kind)) count++;
      }
      scanned[info.machine] = observations.length;
    }
    return count;
  };
}

function firstSafetyViolation(
  world: World,
  properties: readonly SafetyProperty[],
  afterCommand: number | null,
): Violation | null {
  for (const [property, check] of SAFETY_CHECKS) {
    if (!properties.includes(property)) continue;
    const result = check(world);
    if (!result.holds) return { property, detail: result.detail, afterCommand };
  }
  return null;
}

/** Correct machines: honest ones of identities that are not Byzantine. */
function correctMachines(world: World): number[] {
  return world.machines
    .filter((info) => info.honest && !world.faulty.has(info.identity))
    .map((info) => info.machine);
}

function chainLength(world: World, machine: number): number {
  const state = world.simulation.stateOf(machine) as { chain: readonly unknown[] } | undefined;
  return state === undefined ? -1 : state.chain.length;
}

/**
 * A virtual-time budget for `blocks` heights after GST: VIEW-LIVENESS.1 decides each within K + 2 turns of
 * the correct members' highest view, and no turn lasts longer than the capped timeout; one more turn covers
 * members that enter the height in different turns.
 */
export function livenessBudgetMs(world: World, blocks: number, faulty: ReadonlySet<number>): number {
  const k = longestFaultyRun(world.committee.committee.members.length, faulty);
  // The longest a view can last: the base timeout doubled five times (VIEW-TIMEOUT.1).
  const longestTurn = viewTimeoutMs(1n << 20n, 0n, world.preset);
  return blocks * (k + 4) * longestTurn;
}

export interface RunOptions extends Omit<WorldOptions, "gstMs"> {
  /** The safety properties checked; default all four. */
  readonly safety?: readonly SafetyProperty[];
  /** Whether to bring the network to GST and check liveness; default true. */
  readonly liveness?: boolean;
  /** Virtual time allowed for the blocks after GST; default livenessBudgetMs. */
  readonly budgetMs?: number;
}

const ALL_SAFETY: readonly SafetyProperty[] = ["agreement", "validity", "noHonestEquivocation", "locking"];

/**
 * Runs the scenario's commands, checking the safety properties whenever the machines observed something new
 * that they depend on (a verdict is a function of the observations, so this is every command at which one
 * could change). Then heals the network, restarts crashed machines, waits for GST and lets the committee
 * decide `sizes.blocksAfterGst` more blocks, checking safety as it goes, and VIEW-LIVENESS.1 at the end.
 */
export function runScenario(
  scenario: Scenario,
  sizes: Pick<RunSizes, "gstMs" | "blocksAfterGst">,
  options: RunOptions = {},
): ScenarioOutcome {
  const world = createWorld(scenario, { ...options, gstMs: sizes.gstMs });
  const safety = options.safety ?? ALL_SAFETY;
  const log: string[] = [];
  const safetyInputs = safetyInputCounter(world);
  let checkedAt = -1;
  const checkSafety = (afterCommand: number | null): Violation | null => {
    const observed = safetyInputs();
    if (observed === checkedAt) return null;
    checkedAt = observed;
    return firstSafetyViolation(world, safety, afterCommand);
  };
  const finish = (
    violation: Violation | null,
    rest: Partial<Pick<ScenarioOutcome, "stableAtMs" | "progress">> = {},
  ): ScenarioOutcome => ({
    world,
    violation,
    log,
    stableAtMs: rest.stableAtMs ?? null,
    progress: rest.progress ?? null,
  });
  for (let index = 0; index < scenario.commands.length; index++) {
    log.push(`${world.simulation.now} ms: ${world.apply(scenario.commands[index]!)}`);
    const violation = checkSafety(index);
    if (violation !== null) return finish(violation);
  }
  if (options.liveness === false) return finish(null);

  const simulation = world.simulation;
  simulation.heal();
  for (const info of world.machines) if (!simulation.isAlive(info.machine)) simulation.restart(info.machine);
  if (simulation.now < world.gstMs) simulation.advance(world.gstMs - simulation.now);
  const stableAtMs = simulation.now;
  const head = Math.max(0, ...correctMachines(world).map((machine) => chainLength(world, machine)));
  const correct = correctMachines(world);
  const faulty = world.faulty;
  const lengths = (): number[] => correct.map((machine) => chainLength(world, machine));
  const target = head + sizes.blocksAfterGst;
  const budget = options.budgetMs ?? livenessBudgetMs(world, sizes.blocksAfterGst, faulty);
  const done = (): boolean => lengths().every((length) => length >= target);
  const end = simulation.now + budget;
  // In slices of a few timeouts, checking safety after each as after a command.
  const slice = 4 * world.preset.viewTimeoutMs;
  for (;;) {
    const finished = simulation.runUntil(done, Math.min(slice, end - simulation.now));
    const violation = checkSafety(null);
    if (violation !== null) return finish(violation);
    if (finished || simulation.now >= end || !simulation.step()) break;
  }
  const reached = Math.min(...lengths());
  const record = world.record();
  const liveness = checkLivenessAfterGst(record, { gstMs: stableAtMs, faulty });
  const progress = checkProgress(record, { blocks: target, byMs: stableAtMs + budget, faulty });
  const rest = { stableAtMs, progress: { reached, target } };
  if (!liveness.holds)
    return finish({ property: "liveness", detail: liveness.detail, afterCommand: null }, rest);
  if (!progress.holds)
    return finish({ property: "progress", detail: progress.detail, afterCommand: null }, rest);
  return finish(null, rest);
}

/**
 * A fast-check predicate (true: the property holds) from `fails`, that stops shrinking after `budget` more
 * runs once a first counterexample is found, by reporting later candidates as holding: every run is a whole
 * simulation, and fast-check has no shrink limit of its own. The reported counterexample and path stay exact.
 */
export function withShrinkBudget<T>(budget: number, fails: (value: T) => boolean): (value: T) => boolean {
  let left: number | null = null;
  return (value) => {
    if (left !== null) {
      if (left === 0) return true;
      left--;
    }
    let failed = true;
    try {
      failed = fails(value);
    } finally {
      // A run that throws is a counterexample too (fast-check reports the error).
      if (failed && left === null) left = budget;
    }
    return !failed;
  };
}

/** Every behaviour of the adversary library that runs on its own (crashes come from commands instead). */
export const adversaryArbitrary: fc.Arbitrary<AdversarySpec> = fc.oneof(
  fc.constant<AdversarySpec>({ kind: "silent" }),
  fc.record({ kind: fc.constant("equivocatingLeader" as const), leak: fc.nat({ max: 2 }) }),
  fc.constant<AdversarySpec>({ kind: "doubleVoter" }),
  fc.record({ kind: fc.constant("invalidSignatures" as const), mode: fc.constantFrom("random", "wrongKey") }),
  fc.constant<AdversarySpec>({ kind: "replayer" }),
  fc.constant<AdversarySpec>({ kind: "futureSpammer" }),
  fc.constant<AdversarySpec>({ kind: "twins" }),
);

/** A Byzantine set of the configuration, each member with a behaviour. */
export function byzantineArbitrary(
  configuration: Configuration,
  adversary: fc.Arbitrary<AdversarySpec> = adversaryArbitrary,
): fc.Arbitrary<ByzantineMember[]> {
  return fc
    .constantFrom(...configuration.byzantineSets)
    .chain((set) =>
      fc.tuple(...set.map((identity) => adversary.map((spec) => ({ identity, adversary: spec })))),
    );
}

export function scenarioArbitrary(
  configuration: Configuration,
  sizes: Pick<RunSizes, "commands" | "maxAdvanceMs">,
  adversary?: fc.Arbitrary<AdversarySpec>,
): fc.Arbitrary<Scenario> {
  const members = configuration.powers.length;
  const commands: fc.Arbitrary<Command[]> = commandsArbitrary(
    {
      machines: members + 1,
      maxAdvanceMs: sizes.maxAdvanceMs,
      canInject: configuration.byzantineSets.length > 0,
    },
    sizes.commands,
  );
  return fc.record({
    configuration: fc.constant(configuration.name),
    seed: fc.nat(),
    byzantine: byzantineArbitrary(configuration, adversary),
    commands,
  });
}

/** A readable account of a failed scenario: the violation, the commands and the engine's last events. */
export function describeOutcome(outcome: ScenarioOutcome): string {
  const violation = outcome.violation;
  const lines = [
    violation === null
      ? "every property held"
      : `${violation.property} violated${violation.afterCommand === null ? " after the schedule" : ` after command ${violation.afterCommand}`}: ${violation.detail}`,
    `byzantine: ${JSON.stringify(outcome.world.scenario.byzantine)}`,
    "commands:",
    ...outcome.log.map((line, index) => `  ${index}. ${line}`),
    "last events:",
    ...outcome.world.simulation
      .trace()
      .slice(-40)
      .map((entry) => `  ${entry.time} ms m${entry.machine ?? "-"} ${entry.kind} ${entry.summary}`),
  ];
  return lines.join("\n");
}
