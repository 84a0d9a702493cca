import { describe, expect, it } from "vitest";
import { MAX_HEIGHT_AHEAD } from "../../reference/consensus/index.ts";
import type { NodeState } from "../../sim/fbft/driver.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { runScenario } from "./harness.ts";
import { saveIfRequested } from "./regressions.ts";
import { restartBehind } from "./scenarios.ts";

/*
 * A member that comes back after missing blocks must catch up once the network is timely. Within the height
 * window a verified message of a later height makes it ask for the blocks it misses (FBFT-BUFFER.1); beyond
 * it, the first authentic message at its height does (FBFT-CATCH-UP.2). Version 1 of FBFT-RECEIVE refused
 * everything beyond the window and such a member never caught up; the regression
 * `restart-beyond-height-window` keeps that schedule.
 */

const RESTARTED = 2;

/** Runs the restart scenario and checks the restarted member decided as far as the others, partly by sync. */
function catchesUp(blocksBehind: number) {
  const { scenario, sizes, options } = restartBehind(blocksBehind);
  const outcome = runScenario(scenario, sizes, options);
  expect(outcome.violation).toBeNull();
  const restarted = outcome.world.simulation.stateOf(RESTARTED) as NodeState;
  expect(restarted.chain.length).toBeGreaterThanOrEqual(outcome.progress!.target);
  const observations = outcome.world.simulation.observations(RESTARTED);
  const synced = observationsOf(observations, "finalized").filter(({ observation }) => observation.viaSync);
  expect(synced.length).toBeGreaterThanOrEqual(blocksBehind);
  const refusedFar = observationsOf(observations, "rejected").filter(
    ({ observation }) => observation.code === "CONSENSUS_HEIGHT_TOO_FAR",
  );
  return { scenario, sizes, options, outcome, refusedFar: refusedFar.length };
}

describe("catching up after a restart", () => {
  // @covers FBFT-BUFFER.1 FBFT-SYNC.2 FBFT-RECEIVE.3 FBFT-PERSIST.3
  it("a member MAX_HEIGHT_AHEAD blocks behind asks on a buffered message and decides with the others", () => {
    const { refusedFar } = catchesUp(Number(MAX_HEIGHT_AHEAD));
    expect(refusedFar).toBe(0);
  });

  // @covers FBFT-CATCH-UP.2 FBFT-RECEIVE.3 FBFT-SYNC.2 VIEW-LIVENESS.1
  it("a member one block beyond the window asks on the first far message and decides with the others", () => {
    const { scenario, sizes, options, refusedFar } = catchesUp(Number(MAX_HEIGHT_AHEAD) + 1);
    // The first authentic message of the others' height made the member ask; the rest of that height were
    // refused before any pairing.
    expect(refusedFar).toBeGreaterThan(0);
    saveIfRequested({
      name: "restart-beyond-height-window",
      description:
        "A member of n4f1 restarts 9 blocks behind the others, one beyond the height window: under FBFT-RECEIVE.1 it refused every message and never asked for the blocks it missed; under FBFT-CATCH-UP the first authentic message of the others makes it sync, and it decides with them.",
      covers: ["FBFT-RECEIVE.3", "FBFT-CATCH-UP.2", "FBFT-SYNC.2", "VIEW-LIVENESS.1"],
      origin: { test: "properties/consensus/catchUp.test.ts", fastCheckSeed: null, fastCheckPath: null },
      sizes,
      run: {
        safety: ["agreement", "validity", "noHonestEquivocation", "locking"],
        liveness: true,
        honestRule: null,
        budgetMs: options.budgetMs ?? null,
      },
      scenario,
    });
  });

  // @covers FBFT-CATCH-UP.2 FBFT-SYNC.2
  it("a member five windows behind syncs over several batches and decides with the others", () => {
    catchesUp(5 * Number(MAX_HEIGHT_AHEAD));
  });
});
