import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import type { AdversarySpec } from "../../sim/fbft/adversaries.ts";
import { describeFork, firstFork } from "./accountability.ts";
import { BROKEN_RULES, type BrokenRuleName } from "./brokenRules.ts";
import { CommandSchema } from "./commands.ts";
import {
  type LivenessProperty,
  type RunOptions,
  runScenario,
  type SafetyProperty,
  type ScenarioOutcome,
} from "./harness.ts";
import type { Scenario } from "./world.ts";

/*
 * Counterexamples kept as regression vectors: `regressions/<name>.json` holds a scenario (configuration,
 * engine seed, Byzantine behaviours, command list), how it is run, and what the run must show. Every file is
 * replayed by regressions.test.ts; saveRegression.ts (or `saveRegression` from a test) writes new ones.
 */

export const REGRESSIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "regressions");

const count = z.number().int().nonnegative();

/** The adversary library's behaviours, except crashes, which the suites schedule as commands. */
const AdversarySpecSchema: z.ZodType<AdversarySpec> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("silent") }),
  z.strictObject({ kind: z.literal("equivocatingLeader"), leak: count.optional() }),
  z.strictObject({ kind: z.literal("doubleVoter") }),
  z.strictObject({ kind: z.literal("invalidSignatures"), mode: z.enum(["random", "wrongKey"]) }),
  z.strictObject({ kind: z.literal("replayer"), periodMs: count.optional(), burst: count.optional() }),
  z.strictObject({ kind: z.literal("futureSpammer"), periodMs: count.optional() }),
  z.strictObject({ kind: z.literal("twins"), clockSkewMs: count.optional() }),
]);

export const ScenarioSchema: z.ZodType<Scenario> = z.strictObject({
  configuration: z.enum(["n4f1", "n7f2", "weighted", "n4f2"]),
  seed: z.number().int(),
  byzantine: z.array(z.strictObject({ identity: count, adversary: AdversarySpecSchema })),
  commands: z.array(CommandSchema),
});

const SAFETY: readonly SafetyProperty[] = ["agreement", "validity", "noHonestEquivocation", "locking"];
const LIVENESS: readonly LivenessProperty[] = ["liveness", "progress"];
const PropertyName = z.enum([...SAFETY, ...LIVENESS]);

/** What a replay must show. Block hashes are left to `notes`: they change whenever the block format does. */
export const ExpectationSchema = z.strictObject({
  /** The first unexplained violation, or null when every property held. */
  violation: PropertyName.nullable(),
  /** The lowest forked height and whom its two commit certificates convict (EVIDENCE-VERIFY.1). */
  fork: z
    .strictObject({ height: z.string().regex(/^[0-9]+$/), convicted: z.array(count), blocking: z.boolean() })
    .nullable(),
});
export type Expectation = z.infer<typeof ExpectationSchema>;

export const RegressionSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  description: z.string().min(1),
  /** Spec tags the vector bears on. */
  covers: z.array(z.string()),
  /** Where the counterexample came from: a test and, for a fast-check find, its seed and shrunk path. */
  origin: z.strictObject({
    test: z.string(),
    fastCheckSeed: z.number().int().nullable(),
    fastCheckPath: z.string().nullable(),
  }),
  sizes: z.strictObject({ gstMs: count, blocksAfterGst: count }),
  run: z.strictObject({
    safety: z.array(z.enum(SAFETY)),
    liveness: z.boolean(),
    /** A deliberately broken honest rule (brokenRules.ts), or null for the honest driver. */
    honestRule: z.enum(Object.keys(BROKEN_RULES) as [BrokenRuleName, ...BrokenRuleName[]]).nullable(),
    /** Virtual time allowed for the blocks after GST, or null for the default budget. */
    budgetMs: count.nullable(),
  }),
  scenario: ScenarioSchema,
  expect: ExpectationSchema,
  /** For readers only; not compared on replay. */
  notes: z.array(z.string()),
});
export type Regression = z.infer<typeof RegressionSchema>;

export function runOptionsOf(regression: Pick<Regression, "run">): RunOptions {
  const { safety, liveness, honestRule, budgetMs } = regression.run;
  return {
    safety,
    liveness,
    ...(honestRule === null ? {} : { honestRule: BROKEN_RULES[honestRule] }),
    ...(budgetMs === null ? {} : { budgetMs }),
  };
}

/** The expectation a run meets, derived from its outcome. */
export function expectationOf(outcome: ScenarioOutcome): Expectation {
  const fork = firstFork(outcome.world);
  return {
    violation: outcome.violation?.property ?? null,
    fork:
      fork === null
        ? null
        : { height: fork.height.toString(), convicted: [...fork.convicted], blocking: fork.blocking },
  };
}

/** Human-readable lines about an outcome, stored as a regression's notes. */
export function notesOf(outcome: ScenarioOutcome): string[] {
  const notes: string[] = [];
  if (outcome.violation !== null) notes.push(`${outcome.violation.property}: ${outcome.violation.detail}`);
  const fork = firstFork(outcome.world);
  if (fork !== null)
    notes.push(
      ...describeFork(fork)
        .split("\n")
        .map((line) => line.trim()),
    );
  return notes;
}

export function loadRegressions(dir = REGRESSIONS_DIR): Regression[] {
  const names = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort();
  return names.map((name) => {
    const parsed = RegressionSchema.safeParse(JSON.parse(readFileSync(join(dir, name), "utf8")));
    if (!parsed.success) throw new Error(`${name}: ${z.prettifyError(parsed.error)}`);
    if (`${parsed.data.name}.json` !== name)
      throw new Error(`${name}: its name field is ${parsed.data.name}`);
    return parsed.data;
  });
}

/** What a new regression is made of; the expectation and notes come from replaying it. */
export type RegressionDraft = Omit<Regression, "expect" | "notes">;

/**
 * Replays `draft`, records what the run shows as its expectation, and writes `<dir>/<name>.json` formatted as
 * the repository formats JSON. Returns the regression written.
 */
export function saveRegression(draft: RegressionDraft, dir = REGRESSIONS_DIR): Regression {
  const outcome = runScenario(draft.scenario, draft.sizes, runOptionsOf(draft));
  const regression: Regression = RegressionSchema.parse({
    ...draft,
    expect: expectationOf(outcome),
    notes: notesOf(outcome),
  });
  const path = join(dir, `${regression.name}.json`);
  writeFileSync(path, `${JSON.stringify(regression, null, 2)}\n`);
  const biome = spawnSync("npx", ["biome", "format", "--write", path], { encoding: "utf8" });
  if (biome.status !== 0) throw new Error(`biome format ${path} failed:\n${biome.stderr}`);
  return regression;
}

/**
 * Saves `draft` when the environment variable CONSENSUS_SAVE_REGRESSIONS is set (README): how the tests that
 * find or write a counterexample keep it.
 */
export function saveIfRequested(draft: RegressionDraft): void {
  if (process.env.CONSENSUS_SAVE_REGRESSIONS === undefined) return;
  const saved = saveRegression(draft);
  console.log(`saved regressions/${saved.name}.json: ${JSON.stringify(saved.expect)}`);
}
