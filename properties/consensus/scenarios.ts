import { BROKEN_RULES } from "./brokenRules.ts";
import type { RunOptions, RunSizes } from "./harness.ts";
import { writeSchedule } from "./script.ts";
import type { Scenario } from "./world.ts";

/*
 * Deterministic schedules written by watching the run (script.ts): each reaches one situation the random
 * suites only stumble on. Each builder returns the plain scenario and how to run it, so a test can replay it
 * and a regression file can store it.
 */

export interface ScriptedScenario {
  readonly scenario: Scenario;
  readonly sizes: Pick<RunSizes, "gstMs" | "blocksAfterGst">;
  readonly options: RunOptions;
}

/** Long enough for any single step a script waits for (a few view timeouts). */
const WAIT_MS = 60_000;

function expectReached(reached: boolean, what: string): void {
  if (!reached) throw new Error(`the scripted schedule did not reach: ${what}`);
}

/**
 * Before anyone voted at height 1 of n4f1, the Byzantine member 3 sends member 1 alone a valid announce of its
 * own turn 3 (view 6). A member that followed it into view 6 would be split from the two others for good: they
 * lack a quorum without it, and its timeouts, restarted at the later view, keep it turns ahead of them.
 */
export function forgedAnnounceToOne(): ScriptedScenario {
  return {
    scenario: {
      configuration: "n4f1",
      seed: 7,
      byzantine: [{ identity: 3, adversary: { kind: "silent" } }],
      commands: [
        { kind: "inject", from: 0, to: 1, forgery: { kind: "announce", at: 1, turnsAhead: 0 } },
        { kind: "gst" },
      ],
    },
    sizes: { gstMs: 1000, blocksAfterGst: 2 },
    options: {},
  };
}

/**
 * The Byzantine member 3 announces a block of its turn 7 (view 14) to every member at height 1. Members that
 * followed it would decide the height 8 turns above VIEW-LIVENESS.1's bound.
 */
export function forgedAnnounceToAll(): ScriptedScenario {
  return {
    scenario: {
      configuration: "n4f1",
      seed: 7,
      byzantine: [{ identity: 3, adversary: { kind: "silent" } }],
      commands: [{ kind: "inject", from: 0, to: null, forgery: { kind: "announce", at: 0, turnsAhead: 1 } }],
    },
    sizes: { gstMs: 0, blocksAfterGst: 2 },
    options: {},
  };
}

/**
 * In the weighted committee the Byzantine member 6 (power 1) sends member 1 an announce of its view 12 at
 * height 1, and again at height 2 once member 1 learned block 1 (members 0, 2–5 hold a quorum without 1). A
 * member that prepared both would have signed two prepares of view 12, which a PREPARE without the height
 * makes double-sign evidence against a member that followed the rules.
 */
export function forgedAnnounceAtTwoHeights(): ScriptedScenario {
  const writer = writeSchedule(
    { configuration: "weighted", seed: 3, byzantine: [{ identity: 6, adversary: { kind: "silent" } }] },
    { gstMs: 0 },
  );
  writer.inject(0, 1, { kind: "announce", at: 1, turnsAhead: 0 });
  expectReached(
    writer.advanceUntil(() => (writer.node(1)?.chain.length ?? 0) >= 1, WAIT_MS, 50),
    "member 1 finalizes block 1",
  );
  writer.inject(0, 1, { kind: "announce", at: 1, turnsAhead: 0 });
  return { scenario: writer.scenario(), sizes: { gstMs: 0, blocksAfterGst: 2 }, options: {} };
}

/**
 * The re-proposal path (VIEW-NEWVIEW-BUILD.2 with an M1 claim): in n4f1 with a double-voting member 3, leader 0
 * of view 1 crashes as soon as its prepared certificate is on the wire, before any commit reaches it. Members
 * 1–3 lock on the block, time out, and claim it; member 1 leads view 2 and must re-propose it, and it is
 * decided there. The leader restarts later from its persisted state.
 */
export function reproposal(): ScriptedScenario {
  const writer = writeSchedule(
    { configuration: "n4f1", seed: 11, byzantine: [{ identity: 3, adversary: { kind: "doubleVoter" } }] },
    { gstMs: 0 },
  );
  const preparedSent = () => writer.world.simulation.inFlight().some((m) => m.message.type === "prepared");
  expectReached(writer.advanceUntil(preparedSent, WAIT_MS, 1), "leader 0 sends its prepared certificate");
  writer.run({ kind: "crash", machine: 0 });
  expectReached(
    writer.advanceUntil(() => (writer.node(1)?.chain.length ?? 0) >= 1, WAIT_MS, 100),
    "member 1 finalizes block 1",
  );
  writer.run({ kind: "restart", machine: 0 });
  return { scenario: writer.scenario(), sizes: { gstMs: 0, blocksAfterGst: 2 }, options: {} };
}

/**
 * The lock-hiding schedule: leader 0 finalizes block A at height 1 and is cut off before its committed
 * message reaches anyone; members 1 and 2 time out, and the Byzantine member 3 adds a nil view change; member
 * 1 leads the new view and, if no claim names A, proposes a fresh block, which 1, 2 and member 3 (by injected
 * votes) prepare and commit. Written against members that hide their lock (brokenRules.ts).
 */
export function lockHiding(): ScriptedScenario {
  const sizes = { gstMs: 60_000, blocksAfterGst: 2 };
  const options: RunOptions = { honestRule: BROKEN_RULES.hidesLockInViewChange };
  const writer = writeSchedule(
    { configuration: "n4f1", seed: 5, byzantine: [{ identity: 3, adversary: { kind: "silent" } }] },
    { gstMs: sizes.gstMs, honestRule: options.honestRule },
  );
  const proposals = () => writer.world.seen.filter((m) => m.type === "announce" || m.type === "prepared");
  expectReached(
    writer.advanceUntil(() => (writer.node(0)?.chain.length ?? 0) >= 1, WAIT_MS),
    "leader 0 finalizes",
  );
  writer.run({ kind: "partition", groupOf: [0, 1, 1, 1] });
  writer.dropWhere((m) => m.fromMachine === 0 || m.toMachine === 0);
  expectReached(
    writer.advanceUntil(() => writer.node(1)?.consensus.mode === "viewChanging", WAIT_MS, 50),
    "member 1 changes views",
  );
  writer.inject(0, null, { kind: "viewChange", at: 1, turnsAhead: 0 });
  const fresh = () => proposals().findIndex((m) => m.type === "announce" && m.viewId > 1n);
  expectReached(
    writer.advanceUntil(() => fresh() >= 0, WAIT_MS, 50),
    "a fresh proposal in the new view",
  );
  writer.inject(0, 1, { kind: "vote", phase: "prepare", pick: fresh() });
  const prepared = () => proposals().findIndex((m) => m.type === "prepared" && m.viewId > 1n);
  expectReached(
    writer.advanceUntil(() => prepared() >= 0, WAIT_MS, 50),
    "the fresh block prepared",
  );
  writer.inject(0, 1, { kind: "vote", phase: "commit", pick: prepared() });
  writer.run({ kind: "advance", ms: 2000 });
  return { scenario: writer.scenario(), sizes, options };
}

/**
 * Member 2 of n4f1 (with a double-voting member 3, so that three members decide without it) is down from the
 * start until the others have finalized `blocksAhead` blocks, then restarts at height 1.
 */
export function restartBehind(blocksAhead: number): ScriptedScenario {
  const writer = writeSchedule(
    { configuration: "n4f1", seed: 13, byzantine: [{ identity: 3, adversary: { kind: "doubleVoter" } }] },
    { gstMs: 0 },
  );
  writer.run({ kind: "crash", machine: 2 });
  expectReached(
    writer.advanceUntil(() => (writer.node(0)?.chain.length ?? 0) >= blocksAhead, 10 * WAIT_MS, 100),
    `the others finalize ${blocksAhead} blocks`,
  );
  writer.run({ kind: "restart", machine: 2 });
  return {
    scenario: writer.scenario(),
    sizes: { gstMs: 0, blocksAfterGst: 2 },
    options: { budgetMs: WAIT_MS },
  };
}
