import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CONFIGURATIONS, type ConfigurationName } from "./configurations.ts";
import {
  describeOutcome,
  type RunSizes,
  runScenario,
  scaledSizes,
  scenarioArbitrary,
  withShrinkBudget,
} from "./harness.ts";
import type { RegressionDraft } from "./regressions.ts";
import type { Scenario } from "./world.ts";

/*
 * Model-based schedules over committees whose Byzantine members hold less than a third of the power. Each run:
 * a Byzantine set with behaviours from sim/fbft's adversary library, and a list of adversary commands (network
 * order, loss, copies, delays, partitions, crashes and restarts, early timeouts, forged messages); agreement,
 * validity, no honest equivocation and prepared-block locking are checked after every command; then the
 * network reaches GST and the committee must decide more blocks within VIEW-LIVENESS.1's bound.
 */

const BASE: RunSizes = { runs: 20, commands: 40, maxAdvanceMs: 3000, gstMs: 20_000, blocksAfterGst: 2 };
const SIZES = scaledSizes(BASE);
/** A deep run's test takes about a second per run; the default vitest timeout is sized for `npm test`. */
const TIMEOUT_MS = 60_000 + 2000 * SIZES.runs;

/** What the runs of one configuration exercised, so that a vacuous suite is noticed. */
interface Exercised {
  runs: number;
  decided: number;
  commandsActing: number;
  viewChanges: number;
}

/** Shrinking stops after this many further runs: each run is a whole simulation. */
const SHRINK_BUDGET = 100;

function safeConfigurationHolds(name: ConfigurationName, seed: number): Exercised {
  const seen: Exercised = { runs: 0, decided: 0, commandsActing: 0, viewChanges: 0 };
  const configuration = CONFIGURATIONS[name];
  expect(configuration.safe).toBe(true);
  const result = fc.check(
    fc.property(
      scenarioArbitrary(configuration, SIZES),
      withShrinkBudget(SHRINK_BUDGET, (scenario: Scenario) => {
        const outcome = runScenario(scenario, SIZES);
        if (outcome.violation !== null) return true;
        seen.runs++;
        seen.decided += outcome.progress?.reached ?? 0;
        seen.commandsActing += outcome.log.filter((line) => !/→ (refused|nothing)/.test(line)).length;
        seen.viewChanges += outcome.world.simulation.metrics().perKind.viewChange?.messages ?? 0;
        return false;
      }),
    ),
    { seed, numRuns: SIZES.runs },
  );
  if (result.failed) throw new Error(counterexampleReport(name, seed, result));
  return seen;
}

/** The shrunk counterexample, replayed and described, with a draft to keep it as a regression (README). */
function counterexampleReport(
  name: ConfigurationName,
  seed: number,
  result: fc.RunDetails<[Scenario]>,
): string {
  if (result.counterexample === null) return `${name}: fast-check stopped without a counterexample`;
  const scenario = result.counterexample[0];
  const path = result.counterexamplePath;
  const lines = [`${name}: counterexample at fast-check seed ${seed}, path "${path}"`];
  try {
    lines.push(describeOutcome(runScenario(scenario, SIZES)));
  } catch (thrown) {
    lines.push(`the run threw: ${thrown instanceof Error ? thrown.stack : String(thrown)}`);
  }
  const draft: RegressionDraft = {
    name: `${name}-seed-${seed}`,
    description: "describe the counterexample",
    covers: ["FBFT-SAFETY.1", "VIEW-LIVENESS.1"],
    origin: { test: "properties/consensus/safety.test.ts", fastCheckSeed: seed, fastCheckPath: path },
    sizes: { gstMs: SIZES.gstMs, blocksAfterGst: SIZES.blocksAfterGst },
    run: {
      safety: ["agreement", "validity", "noHonestEquivocation", "locking"],
      liveness: true,
      honestRule: null,
      budgetMs: null,
    },
    scenario,
  };
  lines.push(
    "to keep it: save this draft and run npx tsx properties/consensus/saveRegression.ts <draft.json>",
  );
  lines.push(JSON.stringify(draft));
  return lines.join("\n");
}

function expectExercised(seen: Exercised): void {
  expect(seen.runs).toBe(SIZES.runs);
  expect(seen.decided).toBeGreaterThanOrEqual(SIZES.runs * SIZES.blocksAfterGst);
  expect(seen.commandsActing).toBeGreaterThan(SIZES.runs);
  expect(seen.viewChanges).toBeGreaterThan(0);
}

describe("consensus properties under Byzantine schedules (Byzantine power below a third)", () => {
  // @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 FBFT-QUORUM.1 FBFT-RECEIVE.3 FBFT-BUFFER.1
  it(
    "n4f1: safety after every command, liveness after GST",
    () => {
      expectExercised(safeConfigurationHolds("n4f1", 6101));
    },
    TIMEOUT_MS,
  );

  // @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 FBFT-QUORUM.1 VIEW-ON-VIEWCHANGE.1 VIEW-CHECK-NEWVIEW.2
  it(
    "n7f2: safety after every command, liveness after GST",
    () => {
      expectExercised(safeConfigurationHolds("n7f2", 6102));
    },
    TIMEOUT_MS,
  );

  // @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 FBFT-QUORUM.1 COMMITTEE-FORMAT.1
  it(
    "weighted [5, 3, 2, 2, 1, 1, 1]: safety after every command, liveness after GST",
    () => {
      expectExercised(safeConfigurationHolds("weighted", 6103));
    },
    TIMEOUT_MS,
  );
});
