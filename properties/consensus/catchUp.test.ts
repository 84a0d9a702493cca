import { describe, expect, it } from "vitest";
import { MAX_HEIGHT_AHEAD } from "../../reference/consensus/index.ts";
import type { NodeState } from "../../sim/fbft/driver.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { runScenario } from "./harness.ts";
import { saveIfRequested } from "./regressions.ts";
import { restartBehind } from "./scenarios.ts";

/*
 * A member that comes back after missing blocks must catch up once the network is timely. FBFT-BUFFER.1 asks
 * for the missing blocks when a verified message of a later height arrives, but FBFT-RECEIVE L5 refuses
 * every message more than MAX_HEIGHT_AHEAD heights ahead before that, so a member further behind never asks
 * (README, "Findings"); the random suites leave such members out of the liveness check and count them.
 */

const RESTARTED = 2;

describe("catching up after a restart", () => {
  // @covers FBFT-BUFFER.1 FBFT-SYNC.1 FBFT-RECEIVE.1 FBFT-PERSIST.1
  it("a member MAX_HEIGHT_AHEAD blocks behind syncs and decides with the others", () => {
    const { scenario, sizes, options } = restartBehind(Number(MAX_HEIGHT_AHEAD));
    const outcome = runScenario(scenario, sizes, options);
    expect(outcome.violation).toBeNull();
    expect(outcome.lagging).toEqual([]);
    const restarted = outcome.world.simulation.stateOf(RESTARTED) as NodeState;
    expect(restarted.chain.length).toBeGreaterThanOrEqual(outcome.progress!.target);
  });

  // A finding: this test describes the defect and fails once a member that far behind catches up, when the
  // `lagging` classification of harness.ts is to go with it.
  // @covers FBFT-RECEIVE.1 FBFT-SYNC.1 VIEW-LIVENESS.1
  it("finding: a member more than MAX_HEIGHT_AHEAD blocks behind is refused every message and never syncs", () => {
    const { scenario, sizes, options } = restartBehind(Number(MAX_HEIGHT_AHEAD) + 1);
    const outcome = runScenario(scenario, sizes, options);
    expect(outcome.violation).toBeNull();
    expect(outcome.lagging).toEqual([RESTARTED]);
    const restarted = outcome.world.simulation.stateOf(RESTARTED) as NodeState;
    expect(restarted.chain.length).toBe(0);
    const codes = new Set(
      observationsOf(outcome.world.simulation.observations(RESTARTED), "rejected").map(
        ({ observation }) => observation.code,
      ),
    );
    expect(codes).toEqual(new Set(["CONSENSUS_HEIGHT_TOO_FAR"]));
    // All it sends are its view-change requests for height 1 (broadcasts to the 3 others): no sync request.
    const sent = observationsOf(outcome.world.simulation.observations(RESTARTED), "sent");
    expect(new Set(sent.map(({ observation }) => observation.message.type))).toEqual(new Set(["viewChange"]));
    expect(outcome.world.simulation.metrics().perMachine[RESTARTED]!.messages).toBe(3 * sent.length);
    saveIfRequested({
      name: "restart-beyond-height-window",
      description:
        "A member of n4f1 restarts 9 blocks behind the others: every message is more than MAX_HEIGHT_AHEAD heights ahead of it, is refused, and it never asks for the blocks it misses (finding).",
      covers: ["FBFT-RECEIVE.1", "FBFT-SYNC.1", "VIEW-LIVENESS.1"],
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
});
