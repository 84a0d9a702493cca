import { describe, expect, it } from "vitest";
import { checkLivenessAfterGst } from "../../sim/fbft/checkers.ts";
import type { NodeState } from "../../sim/fbft/driver.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { runScenario, type ScenarioOutcome } from "./harness.ts";
import { type RegressionDraft, saveIfRequested } from "./regressions.ts";
import {
  forgedAnnounceAtTwoHeights,
  forgedAnnounceToAll,
  forgedAnnounceToOne,
  type ScriptedScenario,
} from "./scenarios.ts";
import type { World } from "./world.ts";

/*
 * A valid announce that a Byzantine key signs for one of its own later views must not move a correct member
 * there. These schedules are the counterexamples the suites found while a rule let a member that had not voted
 * yet follow such an announce (README, "Findings"): it halted n4f1 for good, broke VIEW-LIVENESS.1's turn
 * bound, and let an honest member prepare two blocks in one view at two heights.
 */

function draftOf(
  scripted: ScriptedScenario,
  name: string,
  description: string,
  covers: string[],
): RegressionDraft {
  return {
    name,
    description,
    covers,
    origin: {
      test: "properties/consensus/forgedAnnounces.test.ts",
      fastCheckSeed: null,
      fastCheckPath: null,
    },
    sizes: scripted.sizes,
    run: {
      safety: ["agreement", "validity", "noHonestEquivocation", "locking"],
      liveness: true,
      honestRule: null,
      budgetMs: null,
    },
    scenario: scripted.scenario,
  };
}

function holdsAndDecides(scripted: ScriptedScenario): ScenarioOutcome {
  const outcome = runScenario(scripted.scenario, scripted.sizes, scripted.options);
  expect(outcome.violation).toBeNull();
  expect(outcome.progress!.reached).toBeGreaterThanOrEqual(outcome.progress!.target);
  return outcome;
}

/** The views a machine held at `height`, in order. */
function viewsAt(world: World, machine: number, height: bigint): bigint[] {
  return observationsOf(world.simulation.observations(machine), "position")
    .filter(({ observation }) => observation.height === height)
    .map(({ observation }) => observation.view);
}

/** The views in which a machine sent a prepare at `height`. */
function preparedViews(world: World, machine: number, height: bigint): bigint[] {
  return observationsOf(world.simulation.observations(machine), "sent")
    .map(({ observation }) => observation.message)
    .filter((message) => message.type === "prepare" && message.blockNum === height)
    .map((message) => message.viewId);
}

describe("forged announces of later views", () => {
  // @covers FBFT-RECEIVE.3 FBFT-BUFFER.1 VIEW-LIVENESS.1 VIEW-TIMEOUT.1
  it("sent to one member of n4f1 before it voted: it stays with the others, and the committee decides", () => {
    const scripted = forgedAnnounceToOne();
    const outcome = holdsAndDecides(scripted);
    expect(viewsAt(outcome.world, 1, 1n).some((view) => view >= 6n)).toBe(false);
    expect(preparedViews(outcome.world, 1, 1n)).not.toContain(6n);
    const views = [0, 1, 2].map(
      (machine) => (outcome.world.simulation.stateOf(machine) as NodeState).consensus.view,
    );
    expect(new Set(views).size).toBe(1);
    saveIfRequested(
      draftOf(
        scripted,
        "forged-announce-one-member",
        "A forged announce of a later Byzantine turn, sent to one member of n4f1 before it voted, once split the correct members for good; it must leave the member where it is.",
        ["FBFT-RECEIVE.3", "FBFT-BUFFER.1", "VIEW-LIVENESS.1"],
      ),
    );
  });

  // @covers VIEW-LIVENESS.1 FBFT-BUFFER.1
  it("sent to every member: height 1 is decided within VIEW-LIVENESS.1's turn bound", () => {
    const scripted = forgedAnnounceToAll();
    const outcome = holdsAndDecides(scripted);
    const liveness = checkLivenessAfterGst(outcome.world.record(), {
      gstMs: 0,
      faulty: outcome.world.faulty,
    });
    expect(liveness.holds).toBe(true);
    for (const machine of [0, 1, 2])
      expect(viewsAt(outcome.world, machine, 1n).some((view) => view >= 14n)).toBe(false);
    saveIfRequested(
      draftOf(
        scripted,
        "forged-announce-all-members",
        "A forged announce of a later Byzantine turn sent to every member once moved them all there, 8 turns above VIEW-LIVENESS.1's bound; the height must be decided within the bound.",
        ["VIEW-LIVENESS.1", "FBFT-BUFFER.1"],
      ),
    );
  });

  // @covers FBFT-PAYLOADS.1 EVIDENCE-VERIFY.1 FBFT-FINALIZE.2
  it("sent to one member at two heights: it prepares neither, and no honest key signs conflicting votes", () => {
    const scripted = forgedAnnounceAtTwoHeights();
    const outcome = holdsAndDecides(scripted);
    for (const height of [1n, 2n]) expect(preparedViews(outcome.world, 1, height)).not.toContain(12n);
    saveIfRequested(
      draftOf(
        scripted,
        "forged-announce-two-heights",
        "A forged announce of view 12 sent to one member at heights 1 and 2 once made it prepare a block at each, two PREPAREs of one view that verified as double-sign evidence against it.",
        ["FBFT-PAYLOADS.1", "EVIDENCE-VERIFY.1", "FBFT-FINALIZE.2"],
      ),
    );
  });
});
