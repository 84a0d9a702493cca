import { describe, expect, it } from "vitest";
import { signedVoteOfCertificate, verifyEvidence } from "../../reference/consensus/index.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import type { CheckResult, FbftRecord } from "./checkers.ts";
import { SKEWED_POWERS } from "./committees.ts";
import { observationsOf } from "./observations.ts";
import { type CheckerName, type FbftRunResult, runFbft } from "./run.ts";

// @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 FBFT-PERSIST.3 FBFT-SYNC.2 EVIDENCE-VERIFY.1 FBFT-QUORUM.1

const SAFETY: readonly CheckerName[] = [
  "agreement",
  "validity",
  "noHonestEquivocation",
  "accountability",
  "locking",
];
const ALL: readonly CheckerName[] = [...SAFETY, "liveness", "progress"];

function failing(result: FbftRunResult, names: readonly CheckerName[]): Record<string, CheckResult> {
  const out: Record<string, CheckResult> = {};
  for (const name of names) if (!result.checkers[name].holds) out[name] = result.checkers[name];
  return out;
}

/** Offenders of every valid evidence item that honest machines observed. */
function convictedByObservedEvidence(record: FbftRecord): number[][] {
  const out: number[][] = [];
  for (const machine of record.machines.filter((m) => m.honest)) {
    for (const { observation } of observationsOf(machine.observations, "evidence")) {
      const offenders = verifyEvidence(observation.evidence, record.committee, record.bls);
      if (offenders.ok) out.push(offenders.value);
    }
  }
  return out;
}

const MESSAGE_KINDS = ["announce", "prepare", "prepared", "commit", "committed"] as const;

describe("runFbft, honest committees", () => {
  it("decides 10 blocks at n = 4, one view per height, with every checker holding", () => {
    const result = runFbft({ validators: 4, seed: 1, blocks: 10 });
    expect(result.decided).toBe(10);
    expect(failing(result, ALL)).toEqual({});
    // The first view is the one after the genesis header's (0), and FINALIZE enters the view after the deciding
    // one, so with nothing failing height h is decided in view h.
    expect(result.perBlock.map((block) => block.view)).toEqual(
      Array.from({ length: 10 }, (_, i) => BigInt(i + 1)),
    );
    expect(result.views.viewChangesSent).toBe(0);
  });

  it.each([4, 16])("sends n − 1 messages of each normal-case kind per block at n = %i", (n) => {
    const blocks = 2;
    const result = runFbft({ validators: n, seed: 3, blocks });
    expect(result.decided).toBe(blocks);
    // announce, prepared, committed: the leader to the n − 1 others; prepare, commit: each of the n − 1 others to
    // the leader. With delays in [10, 20] ms every member has the announce before the prepared (two delays
    // later) and the prepared before the committed, so every member votes both times.
    for (const kind of MESSAGE_KINDS) expect(result.metrics.perKind[kind]?.messages).toBe(blocks * (n - 1));
    expect(result.metrics.messages).toBe(blocks * 5 * (n - 1));
    // Each height's own traffic is exactly its five rounds of n − 1 messages.
    expect(result.perBlock.map((block) => block.messages)).toEqual(Array(blocks).fill(5 * (n - 1)));
    const bytes = result.perBlock.reduce((sum, block) => sum + block.bytes, 0);
    expect(bytes).toBe(result.metrics.bytes);
  });

  it("moves past a silent first leader with one view change (n = 4, f = 1)", () => {
    const result = runFbft({ validators: 4, byzantine: 1, seed: 2, blocks: 3 });
    expect(failing(result, ALL)).toEqual({});
    const first = result.perBlock[0]!;
    // Member 0 leads turn 0 (views 0–1); its view 1 times out and NEXT-VIEW(1) = (0 + 1) · leaderTerm = 2.
    expect(first.view).toBe(BigInt(MINIMAL.leaderTerm));
    expect(first.finalizedAtMs).toBeGreaterThanOrEqual(MINIMAL.viewTimeoutMs);
    expect(result.views.viewChangesSent).toBeGreaterThanOrEqual(3);
  });

  it("decides with a weighted committee when the silent members hold less than a third of the power", () => {
    // SKEWED_POWERS total 15; members 4–6 hold 3, the rest 12 (3 · 12 > 2 · 15).
    const result = runFbft({
      validators: 7,
      weights: SKEWED_POWERS,
      byzantine: [4, 5, 6].map((identity) => ({ identity, adversary: { kind: "silent" } as const })),
      seed: 4,
      blocks: 2,
    });
    expect(failing(result, ALL)).toEqual({});
  });

  it("stalls when the silent members are a count majority holding exactly a third", () => {
    // Members 3–6 hold 5 of 15; the others' 10 is exactly two thirds, which is not a quorum (3 · 10 = 2 · 15).
    const result = runFbft({
      validators: 7,
      weights: SKEWED_POWERS,
      byzantine: [3, 4, 5, 6].map((identity) => ({ identity, adversary: { kind: "silent" } as const })),
      seed: 4,
      blocks: 1,
      maxVirtualMs: 60_000,
    });
    expect(result.decided).toBe(0);
    expect(result.checkers.progress.holds).toBe(false);
    expect(failing(result, SAFETY)).toEqual({});
  });

  it("builds blocks of signed transfers from the genesis accounts that replay from genesis", () => {
    const result = runFbft({ validators: 4, seed: 5, blocks: 3, workload: 2 });
    expect(failing(result, ALL)).toEqual({});
    const leader = result.record.machines[0]!;
    const blocks = observationsOf(leader.observations, "finalized").map(
      ({ observation }) => observation.block,
    );
    expect(blocks.map((block) => block.transactions.length)).toEqual([2, 2, 2]);
  });
});

describe("runFbft, Byzantine members", () => {
  it("keeps agreement under an equivocating leader at n4f1 and convicts it", () => {
    const result = runFbft({
      validators: 4,
      byzantine: 1,
      adversary: { kind: "equivocatingLeader" },
      seed: 6,
      blocks: 3,
    });
    expect(result.decided).toBe(3);
    expect(failing(result, SAFETY)).toEqual({});
    const convicted = convictedByObservedEvidence(result.record);
    expect(convicted.length).toBeGreaterThan(0);
    expect(new Set(convicted.flat())).toEqual(new Set([0]));
  });

  it("keeps agreement with twins of one identity at n4f1", () => {
    const result = runFbft({ validators: 4, byzantine: 1, adversary: { kind: "twins" }, seed: 7, blocks: 3 });
    expect(result.decided).toBe(3);
    expect(failing(result, SAFETY)).toEqual({});
    // The twins did equivocate (their clocks differ, so their blocks do), and were caught.
    expect(new Set(convictedByObservedEvidence(result.record).flat())).toEqual(new Set([0]));
  });

  it("finds an agreement violation at n4f2 and convicts at least a third of the power", () => {
    const result = runFbft({
      validators: 4,
      byzantine: [
        { identity: 0, adversary: { kind: "equivocatingLeader", leak: 0 } },
        { identity: 1, adversary: { kind: "doubleVoter" } },
      ],
      seed: 8,
      blocks: 1,
      maxVirtualMs: 30_000,
    });
    expect(result.checkers.agreement.holds).toBe(false);
    expect(result.checkers.accountability.holds).toBe(true);
    expect(result.checkers.noHonestEquivocation.holds).toBe(true);
    // Independently of the checker: the two commit certificates at height 1 are evidence against members 0 and 1.
    const atHeightOne = result.record.machines
      .filter((machine) => machine.honest)
      .map((machine) => observationsOf(machine.observations, "finalized")[0]!.observation);
    const [a, b] = atHeightOne.filter(
      (entry, i) => atHeightOne.findIndex((other) => other.hash === entry.hash) === i,
    );
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    const offenders = verifyEvidence(
      {
        first: signedVoteOfCertificate(
          "commit",
          1n,
          a!.block.header.viewId,
          headerHash(a!.block.header),
          a!.committed.certificate,
        ),
        second: signedVoteOfCertificate(
          "commit",
          1n,
          b!.block.header.viewId,
          headerHash(b!.block.header),
          b!.committed.certificate,
        ),
      },
      result.record.committee,
      result.record.bls,
    );
    expect(offenders).toEqual({ ok: true, value: [0, 1] });
  });

  it.each([
    ["random signatures", { kind: "invalidSignatures", mode: "random" } as const, /^BLS_/],
    [
      "signatures by a key outside the committee",
      { kind: "invalidSignatures", mode: "wrongKey" } as const,
      /^CONSENSUS_BAD_SIGNATURE$/,
    ],
    ["a replayer", { kind: "replayer" } as const, /^CONSENSUS_STALE_HEIGHT$/],
    ["a future-view spammer", { kind: "futureSpammer" } as const, /^CONSENSUS_VIEW_TOO_FAR$/],
  ])("stays safe and decides against %s", (_, adversary, expectedCode) => {
    const result = runFbft({ validators: 4, byzantine: [{ identity: 1, adversary }], seed: 9, blocks: 2 });
    expect(result.decided).toBe(2);
    expect(failing(result, SAFETY)).toEqual({});
    expect(Object.keys(result.errors).some((code) => expectedCode.test(code))).toBe(true);
  });
});

describe("runFbft, the future-view spammer", () => {
  it("is refused by the windows of FBFT-RECEIVE and buffered inside them, never for a view inside a turn", () => {
    const result = runFbft({
      validators: 4,
      byzantine: [{ identity: 1, adversary: { kind: "futureSpammer" } }],
      seed: 9,
      blocks: 2,
    });
    // Beyond the windows: refused before any pairing. Inside them: verified and buffered, so a repeat of the
    // same message in the next burst is a duplicate.
    expect(Object.keys(result.errors).sort()).toEqual(
      expect.arrayContaining(["CONSENSUS_DUPLICATE", "CONSENSUS_HEIGHT_TOO_FAR", "CONSENSUS_VIEW_TOO_FAR"]),
    );
    expect(result.errors.VIEW_NOT_TURN_START).toBeUndefined();
  });
});

describe("runFbft, crashes", () => {
  it("restarts a member that crashed in the middle of a view change without contradicting itself", () => {
    // Member 0 is silent, so every honest member's view-1 timer fires at viewTimeoutMs and each broadcasts a view
    // change for view 2; member 2 crashes 5 ms later and restarts a second later from its durable state.
    const crashAt = MINIMAL.viewTimeoutMs + 5;
    const result = runFbft({
      validators: 4,
      byzantine: [
        { identity: 0, adversary: { kind: "silent" } },
        { identity: 2, adversary: { kind: "crash", atMs: crashAt, restartAtMs: crashAt + 1000 } },
      ],
      seed: 10,
      blocks: 3,
    });
    expect(result.decided).toBe(3);
    expect(failing(result, ALL)).toEqual({});
    const crashed = result.record.machines[2]!;
    const positions = observationsOf(crashed.observations, "position");
    const atCrash = positions.filter(({ time }) => time <= crashAt).at(-1)!.observation;
    expect(atCrash.mode).toBe("viewChanging");
    const restoredAt = positions.find(({ time }) => time > crashAt)!;
    expect(restoredAt.observation.view).toBe(atCrash.view);
    const viewChanges = observationsOf(crashed.observations, "sent").filter(
      ({ observation }) =>
        observation.message.type === "viewChange" && observation.message.viewId === atCrash.view,
    );
    expect(viewChanges).toHaveLength(1);
    // It finalizes again after the restart (the run stops when the correct members have 3 blocks, so its last
    // committed message may still be in flight).
    const finalized = observationsOf(crashed.observations, "finalized");
    expect(finalized.map(({ observation }) => observation.height)).toEqual(
      Array.from({ length: finalized.length }, (_, i) => BigInt(i + 1)),
    );
    expect(finalized.at(-1)!.time).toBeGreaterThan(crashAt + 1000);
    expect(finalized.length).toBeGreaterThanOrEqual(2);
  });

  it("catches up by sync after missing several heights", () => {
    const result = runFbft({
      validators: 4,
      byzantine: [{ identity: 3, adversary: { kind: "crash", atMs: 1000, restartAtMs: 9000 } }],
      seed: 11,
      blocks: 6,
    });
    expect(failing(result, ALL)).toEqual({});
    const finalized = observationsOf(result.record.machines[3]!.observations, "finalized").map(
      ({ observation }) => observation,
    );
    expect(finalized.map((entry) => entry.height)).toEqual([1n, 2n, 3n, 4n, 5n, 6n]);
    expect(finalized.some((entry) => entry.viaSync)).toBe(true);
  });
});

describe("runFbft determinism", () => {
  const options = {
    validators: 4,
    byzantine: [{ identity: 1, adversary: { kind: "equivocatingLeader" } as const }],
    drop: 0.1,
    gstMs: 6000,
    blocks: 3,
  };
  const summary = (result: FbftRunResult): string =>
    JSON.stringify(
      {
        perBlock: result.perBlock,
        metrics: result.metrics,
        errors: result.errors,
        views: result.views,
        trace: result.trace,
        checkers: result.checkers,
      },
      (_, value) => (typeof value === "bigint" ? value.toString() : value),
    );

  it("gives identical results for the same seed and a different trace for another", () => {
    const first = summary(runFbft({ ...options, seed: 12 }));
    expect(summary(runFbft({ ...options, seed: 12 }))).toBe(first);
    expect(summary(runFbft({ ...options, seed: 13 }))).not.toBe(first);
  });
});
