import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isBlocking, powerOf } from "../../reference/consensus/index.ts";
import type { AdversarySpec } from "../../sim/fbft/adversaries.ts";
import { checkAccountability } from "../../sim/fbft/checkers.ts";
import { describeFork, type Fork, firstFork } from "./accountability.ts";
import { BROKEN_RULES } from "./brokenRules.ts";
import { CONFIGURATIONS } from "./configurations.ts";
import {
  describeOutcome,
  type RunOptions,
  type RunSizes,
  runScenario,
  type ScenarioOutcome,
  scaledSizes,
  scenarioArbitrary,
  withShrinkBudget,
} from "./harness.ts";
import { type RegressionDraft, saveIfRequested } from "./regressions.ts";
import { lockHiding } from "./scenarios.ts";
import type { Scenario } from "./world.ts";

/*
 * The checks are not vacuous: with Byzantine power of a third or more (n4f2), or with an honest rule broken on
 * purpose, the same suites must find violations, and accountability must still name the culprits when the
 * Byzantine members caused the fork.
 */

const SIZES: RunSizes = scaledSizes({
  runs: 40,
  commands: 20,
  maxAdvanceMs: 3000,
  gstMs: 20_000,
  blocksAfterGst: 2,
});

/** The behaviours that collude to fork: a leader that proposes two blocks, and a member that votes for both. */
const COLLUDING: fc.Arbitrary<AdversarySpec> = fc.oneof(
  fc.record({ kind: fc.constant("equivocatingLeader" as const), leak: fc.nat({ max: 2 }) }),
  fc.constant<AdversarySpec>({ kind: "doubleVoter" }),
);

const AGREEMENT_ONLY: RunOptions = { safety: ["agreement"] };

/** Shrinking stops after this many further runs: each run is a whole simulation. */
const SHRINK_BUDGET = 30;

/** The first counterexample of a search, with what the search cost. */
interface Found {
  readonly scenario: Scenario;
  readonly seed: number;
  readonly path: string;
  readonly runs: number;
  readonly shrinks: number;
}

/** Searches n4f2 schedules for one where `fails` holds; the test fails if none is found. */
function searchN4f2(seed: number, fails: (outcome: ScenarioOutcome) => boolean): Found {
  const result = fc.check(
    fc.property(
      scenarioArbitrary(CONFIGURATIONS.n4f2, SIZES, COLLUDING),
      withShrinkBudget(SHRINK_BUDGET, (scenario: Scenario) =>
        fails(runScenario(scenario, SIZES, AGREEMENT_ONLY)),
      ),
    ),
    { seed, numRuns: SIZES.runs },
  );
  expect(result.failed).toBe(true);
  return {
    scenario: result.counterexample![0],
    seed,
    path: result.counterexamplePath!,
    runs: result.numRuns,
    shrinks: result.numShrinks,
  };
}

function report(what: string, found: Found, outcome: ScenarioOutcome, fork: Fork): void {
  console.log(
    [
      `${what}: fast-check seed ${found.seed}, path "${found.path}", after ${found.runs} run(s) and ${found.shrinks} shrink(s)`,
      `scenario: ${JSON.stringify(found.scenario)}`,
      describeOutcome(outcome).split("\n").slice(0, 1).join("\n"),
      describeFork(fork),
    ].join("\n"),
  );
}

function draft(name: string, description: string, found: Found): RegressionDraft {
  return {
    name,
    description,
    covers: ["FBFT-SAFETY.1", "EVIDENCE-VERIFY.1", "FBFT-QUORUM.1"],
    origin: {
      test: "properties/consensus/violation.test.ts",
      fastCheckSeed: found.seed,
      fastCheckPath: found.path,
    },
    sizes: { gstMs: SIZES.gstMs, blocksAfterGst: SIZES.blocksAfterGst },
    run: { safety: ["agreement"], liveness: true, honestRule: null, budgetMs: null },
    scenario: found.scenario,
  };
}

describe("n4f2: Byzantine members holding half the power", () => {
  const configuration = CONFIGURATIONS.n4f2;

  // @covers FBFT-SAFETY.1 FBFT-QUORUM.1 EVIDENCE-VERIFY.1
  it("fast-check finds an agreement violation", () => {
    expect(configuration.safe).toBe(false);
    const found = searchN4f2(6201, (outcome) => outcome.violation?.property === "agreement");
    const outcome = runScenario(found.scenario, SIZES, AGREEMENT_ONLY);
    expect(outcome.violation?.property).toBe("agreement");
    const fork = firstFork(outcome.world)!;
    report("n4f2 agreement counterexample", found, outcome, fork);
    // Inside one view the two commit certificates are evidence (FBFT-SAFETY.1); across views they are not
    // (§6.5, "amnesia"), since they sign different COMMIT view keys.
    if (fork.sameView) expect(fork.blocking).toBe(true);
    else expect(fork.convicted).toEqual([]);
    saveIfRequested(
      draft(
        "n4f2-fork",
        "The first agreement violation fast-check finds with two colluding Byzantine members of four (half the power).",
        found,
      ),
    );
  });

  // @covers FBFT-SAFETY.1 EVIDENCE-VERIFY.1 EVIDENCE-FORMAT.1 FBFT-QUORUM.1
  it("a fork inside one view: its two commit certificates convict Byzantine members holding more than a third", () => {
    const found = searchN4f2(6203, (outcome) => firstFork(outcome.world)?.sameView === true);
    const outcome = runScenario(found.scenario, SIZES, AGREEMENT_ONLY);
    const fork = firstFork(outcome.world)!;
    expect(fork.sameView).toBe(true);
    report("n4f2 one-view fork", found, outcome, fork);
    const byzantine = new Set(found.scenario.byzantine.map((member) => member.identity));
    expect(fork.convicted.length).toBeGreaterThan(0);
    for (const member of fork.convicted) expect(byzantine.has(member)).toBe(true);
    const committee = outcome.world.committee.committee;
    expect(isBlocking(powerOf(committee, fork.convicted), committee.totalPower)).toBe(true);
    expect(checkAccountability(outcome.world.record()).holds).toBe(true);
    saveIfRequested(
      draft(
        "n4f2-equivocation-fork",
        "Two colluding Byzantine members of four (half the power) finalize two blocks at one height in one view; the two commit certificates convict them.",
        found,
      ),
    );
  });
});

describe("deliberately broken honest rules are caught", () => {
  // @covers FBFT-ON-ANNOUNCE.3 FBFT-SAFETY.1 EVIDENCE-FORMAT.1
  it("members that prepare two blocks in one view: fast-check finds a violation", () => {
    const seed = 6202;
    const rule: RunOptions = { honestRule: BROKEN_RULES.votesTwicePerView };
    const equivocator = fc.record({
      kind: fc.constant("equivocatingLeader" as const),
      leak: fc.integer({ min: 1, max: 2 }),
    });
    const result = fc.check(
      fc.property(
        scenarioArbitrary(CONFIGURATIONS.n4f1, SIZES, equivocator),
        withShrinkBudget(
          SHRINK_BUDGET,
          (scenario: Scenario) => runScenario(scenario, SIZES, rule).violation !== null,
        ),
      ),
      { seed, numRuns: SIZES.runs },
    );
    expect(result.failed).toBe(true);
    const scenario = result.counterexample![0];
    const broken = runScenario(scenario, SIZES, rule);
    expect(["noHonestEquivocation", "agreement"]).toContain(broken.violation?.property);
    console.log(
      `votesTwicePerView, fast-check seed ${seed}, path "${result.counterexamplePath}":\n${describeOutcome(broken).split("\n").slice(0, 2).join("\n")}`,
    );
    // The same schedule with the rule in place keeps every property.
    expect(runScenario(scenario, SIZES).violation).toBeNull();
    saveIfRequested({
      name: "broken-rule-double-prepare",
      description:
        "With members that prepare every block their leader announces in a view, an equivocating leader gets two prepares from an honest member; the honest driver prepares once per view.",
      covers: ["FBFT-ON-ANNOUNCE.3", "FBFT-SAFETY.1"],
      origin: {
        test: "properties/consensus/violation.test.ts",
        fastCheckSeed: seed,
        fastCheckPath: result.counterexamplePath,
      },
      sizes: { gstMs: SIZES.gstMs, blocksAfterGst: SIZES.blocksAfterGst },
      run: {
        safety: ["agreement", "validity", "noHonestEquivocation", "locking"],
        liveness: true,
        honestRule: "votesTwicePerView",
        budgetMs: null,
      },
      scenario,
    });
  });

  // @covers VIEW-START.2 VIEW-CHECK-NEWVIEW.2 FBFT-SAFETY.1
  it("members that hide their lock in view-change claims: a new view forgets a final block", () => {
    const { scenario, sizes, options } = lockHiding();
    const broken = runScenario(scenario, sizes, options);
    expect(broken.violation?.property).toBe("locking");
    const fork = runScenario(scenario, sizes, { ...options, safety: ["agreement"] });
    expect(fork.violation?.property).toBe("agreement");
    const found = firstFork(fork.world)!;
    console.log(`hidesLockInViewChange:\n${describeFork(found)}`);
    // Decided in two views: the commits differ in their COMMIT view key, so they are no evidence (§6.5).
    expect(found.sides[0].finalized.block.header.viewId).not.toBe(
      found.sides[1].finalized.block.header.viewId,
    );
    expect(found.convicted).toEqual([]);
    const honest = runScenario(scenario, sizes);
    expect(honest.violation).toBeNull();
    expect(honest.progress!.reached).toBeGreaterThanOrEqual(honest.progress!.target);
    saveIfRequested({
      name: "broken-rule-hidden-lock",
      description:
        "With members that claim nil in view changes while locked, a new view re-proposes nothing and a second block is finalized at a decided height; the honest driver keeps the prepared block.",
      covers: ["VIEW-START.2", "VIEW-CHECK-NEWVIEW.2", "FBFT-SAFETY.1"],
      origin: { test: "properties/consensus/violation.test.ts", fastCheckSeed: null, fastCheckPath: null },
      sizes,
      run: {
        safety: ["agreement", "validity", "noHonestEquivocation", "locking"],
        liveness: true,
        honestRule: "hidesLockInViewChange",
        budgetMs: null,
      },
      scenario,
    });
  });
});
