import { describe, expect, it } from "vitest";
import type { NodeState } from "../../sim/fbft/driver.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { runScenario, type ScenarioOutcome } from "./harness.ts";
import { writeSchedule } from "./script.ts";
import type { Scenario, World } from "./world.ts";

/*
 * Regression scenarios from Harmony mainnet's consensus incidents (harmony-mainnet-notes §7): each schedule
 * recreates the situation, and the test asserts the spec's behaviour (the error code it names) and that the
 * committee still decides afterwards with every property intact.
 */

const SIZES = { gstMs: 0, blocksAfterGst: 2 };
const WAIT_MS = 60_000;

/** The codes honest machines rejected deliveries of `type` with. */
function rejections(world: World, type: string): string[] {
  const codes: string[] = [];
  for (const info of world.machines) {
    if (!info.honest) continue;
    for (const { observation } of observationsOf(world.simulation.observations(info.machine), "rejected")) {
      if (observation.event === `deliver ${type}`) codes.push(observation.code);
    }
  }
  return codes;
}

/** Runs the schedule and checks that every property held and the committee decided the further blocks. */
function decidesAfterwards(scenario: Scenario): ScenarioOutcome {
  const outcome = runScenario(scenario, SIZES);
  expect(outcome.violation).toBeNull();
  expect(outcome.progress!.reached).toBeGreaterThanOrEqual(outcome.progress!.target);
  return outcome;
}

const byzantineSilent = (identity: number) => ({
  configuration: "n4f1" as const,
  seed: 21,
  byzantine: [{ identity, adversary: { kind: "silent" as const } }],
});

function reached(done: boolean, what: string): void {
  expect(done, what).toBe(true);
}

describe("mainnet incidents as scenarios", () => {
  // @covers FBFT-ON-COMMITTED.2 FBFT-RECEIVE.3 FBFT-FINALIZE.2
  it("#2801: several committed messages for one height finalize it once; the rest are stale", () => {
    const writer = writeSchedule(byzantineSilent(3), { gstMs: 0 });
    const committedInFlight = () =>
      writer.world.simulation.inFlight().some((m) => m.message.type === "committed");
    reached(writer.advanceUntil(committedInFlight, WAIT_MS, 1), "a committed message on the wire");
    for (const message of writer.world.simulation.inFlight()) {
      if (message.message.type !== "committed") continue;
      const pick = writer.world.simulation.inFlight().findIndex((m) => m.id === message.id);
      writer.run({ kind: "duplicate", pick });
      writer.run({ kind: "duplicate", pick });
    }
    reached(
      writer.advanceUntil(() => (writer.node(2)?.chain.length ?? 0) >= 1, WAIT_MS),
      "height 1 decided",
    );
    const replay = writer.world.seen.findIndex((m) => m.type === "committed" && m.blockNum === 1n);
    writer.inject(0, null, { kind: "replay", pick: replay });
    writer.inject(0, null, { kind: "replay", pick: replay });
    const outcome = decidesAfterwards(writer.scenario());
    const codes = rejections(outcome.world, "committed");
    expect(codes.length).toBeGreaterThanOrEqual(6);
    expect(new Set(codes)).toEqual(new Set(["CONSENSUS_STALE_HEIGHT"]));
    for (const machine of [0, 1, 2]) {
      const heights = observationsOf(outcome.world.simulation.observations(machine), "finalized").map(
        ({ observation }) => observation.height,
      );
      expect(new Set(heights).size).toBe(heights.length);
    }
  });

  // @covers FBFT-RECEIVE.3 BITMAP-FORMAT.2 QC-VERIFY.1
  it("#4330 #4317 #1353: a certificate whose bitmap length does not fit the committee is refused first", () => {
    const writer = writeSchedule(byzantineSilent(3), { gstMs: 0 });
    reached(
      writer.advanceUntil(() => (writer.node(1)?.chain.length ?? 0) >= 1, WAIT_MS),
      "height 1 decided",
    );
    const carriers = writer.world.seen.filter((m) => m.type === "prepared" || m.type === "committed");
    expect(carriers.length).toBeGreaterThan(1);
    for (let pick = 0; pick < 2; pick++) {
      for (const longer of [true, false]) writer.inject(0, null, { kind: "badBitmap", pick, longer });
    }
    const outcome = decidesAfterwards(writer.scenario());
    const codes = [...rejections(outcome.world, "prepared"), ...rejections(outcome.world, "committed")];
    // Stale or not, the length is checked before the height (FBFT-RECEIVE L3 before L4).
    expect(codes.length).toBe(4 * 3);
    expect(new Set(codes)).toEqual(new Set(["BITMAP_LENGTH"]));
  });

  // @covers FBFT-ON-ANNOUNCE.3 FBFT-VALIDATE-BLOCK.2 VIEW-START.2 FBFT-BUFFER.1
  it("#4307: a proposal whose block fails validation gets no vote; the next view decides", () => {
    // The Byzantine member 0 leads view 1 and proposes a block with a wrong state root.
    const writer = writeSchedule(byzantineSilent(0), { gstMs: 0 });
    writer.inject(0, null, { kind: "invalidBlock", at: 1, turnsAhead: 0 });
    const outcome = decidesAfterwards(writer.scenario());
    expect(rejections(outcome.world, "announce")).toEqual([
      "BLOCK_STATE_ROOT_MISMATCH",
      "BLOCK_STATE_ROOT_MISMATCH",
      "BLOCK_STATE_ROOT_MISMATCH",
    ]);
    for (const machine of [1, 2, 3]) {
      for (const { observation } of observationsOf(outcome.world.simulation.observations(machine), "sent")) {
        expect(observation.message.type === "prepare" && observation.message.viewId === 1n).toBe(false);
      }
    }
  });

  // @covers VIEW-CHECK-VIEWCHANGE.2 QC-VERIFY.1 VIEW-ON-VIEWCHANGE.1
  it("#1924: an M1 claim without a quorum of signatures is refused; the view change completes without it", () => {
    const writer = writeSchedule(byzantineSilent(0), { gstMs: 0 });
    const announced = () => writer.world.seen.some((m) => m.type === "announce");
    // Leader 0 is silent, so the forger announces a block of its own first, then claims it prepared.
    writer.inject(0, null, { kind: "announce", at: 1, turnsAhead: 0 });
    reached(writer.advanceUntil(announced, WAIT_MS), "a proposal seen");
    writer.inject(0, null, { kind: "weakClaim", at: 1, pick: 0 });
    const outcome = decidesAfterwards(writer.scenario());
    const codes = rejections(outcome.world, "viewChange");
    expect(codes).toEqual(["QC_INSUFFICIENT_QUORUM", "QC_INSUFFICIENT_QUORUM", "QC_INSUFFICIENT_QUORUM"]);
  });

  // @covers FBFT-PERSIST.3 VIEW-START.2 VIEW-TIMEOUT.1 VIEW-LIVENESS.1
  it("#2120 #3484: a member restarting in the middle of a view change resumes it with its timer armed", () => {
    const writer = writeSchedule(byzantineSilent(0), { gstMs: 0 });
    reached(
      writer.advanceUntil(() => writer.node(2)?.consensus.mode === "viewChanging", WAIT_MS, 1),
      "member 2 starts a view change",
    );
    const before = writer.node(2)!.consensus;
    writer.run({ kind: "crash", machine: 2 });
    writer.run({ kind: "advance", ms: 300 });
    writer.run({ kind: "restart", machine: 2 });
    const after = writer.node(2)!.consensus;
    expect([after.view, after.mode, after.lastViewChange]).toEqual([
      before.view,
      "viewChanging",
      before.view,
    ]);
    expect(writer.world.simulation.timers(2).map((timer) => timer.name)).toContain("view");
    const scenario = writer.scenario();
    const outcome = decidesAfterwards(scenario);
    // Every request it sent for the view it had asked for before the crash is that same request: it repeats
    // it while waiting (VIEW-START L3) and never asks differently.
    const asked = observationsOf(outcome.world.simulation.observations(2), "sent")
      .map(({ observation }) => observation.message)
      .filter((message) => message.type === "viewChange" && message.viewId === before.view);
    expect(asked.length).toBeGreaterThanOrEqual(1);
    for (const request of asked) expect(request).toEqual(asked[0]);
    const restarted = outcome.world.simulation.stateOf(2) as NodeState;
    expect(restarted.chain.length).toBeGreaterThanOrEqual(outcome.progress!.target);
  });
});
