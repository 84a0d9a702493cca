import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import { MAINNET, MINIMAL, type Preset } from "../../reference/params/presets.ts";
import {
  assignFresh,
  epochCommittee,
  reshard,
  type ShardState,
  shardCommittee,
} from "../../reference/sharding/index.ts";
import {
  churnOf,
  electionsOf,
  epochRandomness,
  freshEveryEpoch,
  histories,
  quadrupleBudget,
  type ReshardRule,
  runHistory,
  sizesOf,
  stableHistories,
} from "./epochs.ts";

/*
 * Resharding over random histories of elections (§10.6): every shard's churn within its budget, retention,
 * non-empty valid committees, and sizes that never spread without joins and departures. Broken rules show
 * that the checks bite.
 */

const THREE_SHARDS: Preset = { ...MINIMAL, numShards: 3, reshardChurnPercent: 40 };
const PRESETS = [MINIMAL, THREE_SHARDS, { ...MAINNET, numShards: 3 }];

/** The churn property of one run of `rule`: moved out plus moved in stays within each shard's budget. */
function churnWithinBudget(rule: ReshardRule, preset: Preset) {
  return fc.property(histories(6, 4), (history) => {
    for (const t of runHistory(history, rule, preset).transitions) {
      const report = churnOf(t, preset);
      for (let s = 0; s < preset.numShards; s++) {
        if (report.movedOut[s]! + report.movedIn[s]! > report.budget[s]!) return false;
        if (report.retained[s]! < report.persistent[s]! - report.budget[s]!) return false;
      }
    }
    return true;
  });
}

describe("resharding over random histories", () => {
  // @covers SHARD-RESHARD.1
  it.each(PRESETS.map((p) => [`${p.name}, ${p.numShards} shards, ${p.reshardChurnPercent}%`, p] as const))(
    "keeps every shard's moves within its budget and its persistent power (%s)",
    (_name, preset) => {
      fc.assert(churnWithinBudget(reshard, preset), { seed: 10601, numRuns: 60 });
    },
  );

  it("exercises every kind of move on these histories, so that the budget checks are not vacuous", () => {
    const reasons = new Map<string, number>();
    for (const history of fc.sample(histories(6, 4), { seed: 10601, numRuns: 60 })) {
      for (const t of runHistory(history, reshard, THREE_SHARDS).transitions) {
        for (const m of t.resharding.moves) reasons.set(m.reason, (reasons.get(m.reason) ?? 0) + 1);
      }
    }
    expect(reasons.get("mix")).toBeGreaterThan(0);
    expect(reasons.get("rebalance")).toBeGreaterThan(0);
    expect(reasons.get("exempt")).toBeGreaterThan(0);
  });

  // @covers SHARD-RESHARD.1 SHARD-COMMITTEES.1 SHARD-EPOCH.1
  it("gives every shard a valid, non-empty committee in every epoch, and is deterministic", () => {
    fc.assert(
      fc.property(histories(4, 4), (history) => {
        const { first, transitions } = runHistory(history, reshard, THREE_SHARDS);
        const states: ShardState[] =
          first === null ? [] : [first, ...transitions.map((t) => t.resharding.state)];
        for (const state of states) {
          for (let s = 0; s < THREE_SHARDS.numShards; s++) {
            const committee = unwrap(epochCommittee(state, s, THREE_SHARDS, blstBls));
            expect(committee.members.length).toBeGreaterThan(0);
            expect(committee.totalPower).toBe(
              state.seats.filter((seat) => seat.shard === s).reduce((sum, seat) => sum + seat.power, 0n),
            );
          }
        }
        for (const t of transitions) {
          expect(
            unwrap(reshard(t.previous, [...t.seats].reverse(), epochRandomness(0), THREE_SHARDS)),
          ).toEqual(unwrap(reshard(t.previous, t.seats, epochRandomness(0), THREE_SHARDS)));
        }
      }),
      { seed: 10602, numRuns: 30 },
    );
  });

  // @covers SHARD-RESHARD.1
  it("never widens the spread of shard sizes when no seat joins or leaves, and never leaves a shard empty", () => {
    fc.assert(
      fc.property(stableHistories(5), (history) => {
        const { transitions } = runHistory(history, reshard, THREE_SHARDS);
        for (const t of transitions) {
          const before = sizesOf(t.previous, 3);
          const after = sizesOf(t.resharding.state, 3);
          expect(Math.max(...after) - Math.min(...after)).toBeLessThanOrEqual(
            Math.max(...before) - Math.min(...before),
          );
          expect(t.resharding.moves.some((m) => m.reason === "exempt")).toBe(false);
        }
      }),
      { seed: 10603, numRuns: 40 },
    );
    fc.assert(
      fc.property(histories(5, 5), (history) => {
        for (const t of runHistory(history, reshard, THREE_SHARDS).transitions) {
          const exempt = t.resharding.moves.filter((m) => m.reason === "exempt");
          expect(exempt.length).toBeLessThan(3);
          expect(Math.min(...sizesOf(t.resharding.state, 3))).toBeGreaterThan(0);
        }
      }),
      { seed: 10604, numRuns: 40 },
    );
  });

  // @covers SHARD-RESHARD.1
  it("finds the violation when the rule ignores its budget or reassigns everything each epoch", () => {
    expect(
      fc.check(churnWithinBudget(quadrupleBudget, THREE_SHARDS), { seed: 10605, numRuns: 60 }).failed,
    ).toBe(true);
    expect(
      fc.check(churnWithinBudget(freshEveryEpoch, THREE_SHARDS), { seed: 10606, numRuns: 60 }).failed,
    ).toBe(true);
  });

  // @covers SHARD-ASSIGN.1 SHARD-COMMITTEES.1
  it("makes fresh shards of sizes differing by at most one, each a valid committee", () => {
    fc.assert(
      fc.property(histories(1, 0), fc.integer({ min: 1, max: 4 }), (history, shards) => {
        const preset = { ...MINIMAL, numShards: shards };
        const seats = electionsOf(history)[0]!;
        fc.pre(seats.length >= shards);
        const state = unwrap(assignFresh(seats, epochRandomness(1), 1n, preset));
        const sizes = sizesOf(state, shards);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        for (let s = 0; s < shards; s++)
          expect(unwrap(shardCommittee(state, s, preset, blstBls)).members.length).toBeGreaterThan(0);
      }),
      { seed: 10607, numRuns: 40 },
    );
  });
});
