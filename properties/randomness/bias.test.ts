import { describe, expect, it } from "vitest";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { beaconCommittee } from "../../tools/testing/drgFixtures.ts";
import { countHits, HEURISTICS, NO_DELAY, specifiedRule, trialCandidates } from "./adversary.ts";

/*
 * Bias resistance (§9.7), as a statistical test. In each of ROUNDS independent rounds a Byzantine leader holds
 * every share of a seven-member committee, enumerates CANDIDATES signer sets with more than a third of the
 * power, and wants Rnd to satisfy a predicate a uniform Rnd meets with probability 1/2.
 *
 * Tolerance: with no bias the number of hits is Binomial(ROUNDS, 1/2), mean ROUNDS/2 and standard deviation
 * √ROUNDS / 2 ≈ 6.3 for 160 rounds; the test accepts |hits − 80| ≤ 4σ = 25, which an unbiased rule fails with
 * probability below 10^-4. A leader that can evaluate every candidate misses only when all CANDIDATES miss,
 * probability 2^-6, so it expects about 157 hits: the two outcomes are some 12σ apart. The rounds are fixed, so
 * each run gives the same counts.
 */

const ROUNDS = 160;
const CANDIDATES = 6;
const TOLERANCE = 25;
/** T is tiny so that the suite stays fast; only its relation to the leader's budget matters here. */
const PRESET: Preset = { ...MINIMAL, vdfIterations: 16n };
const SIM = beaconCommittee(new Array<bigint>(7).fill(1n));
const rounds = trialCandidates(SIM, PRESET, ROUNDS, CANDIDATES);
const rule = specifiedRule(PRESET);

describe("randomness property: a withholding leader cannot bias Rnd", () => {
  it("every round offers the leader the full set of candidates", () => {
    for (const candidates of rounds) expect(candidates.length).toBe(CANDIDATES);
  });

  // @covers DRG-COMMIT-CHECK.1 DRG-REVEAL-CHECK.1 DRG-TIMING.1
  it.each(Object.keys(HEURISTICS))(
    "with a budget of T − 1 squarings, choosing by %s hits the predicate at the rate of chance",
    (name) => {
      const hits = countHits(rounds, rule, PRESET.vdfIterations - 1n, HEURISTICS[name]!);
      expect(Math.abs(hits - ROUNDS / 2), `${hits} hits of ${ROUNDS}`).toBeLessThanOrEqual(TOLERANCE);
    },
  );

  // @covers DRG-TIMING.1
  it("finds the bias when T is within the leader's budget", () => {
    const hits = countHits(rounds, rule, PRESET.vdfIterations, HEURISTICS["even pRnd"]!);
    expect(hits - ROUNDS / 2, `${hits} hits of ${ROUNDS}`).toBeGreaterThan(TOLERANCE);
  });

  // @covers DRG-REVEAL-CHECK.1
  it("finds the bias of a rule without delay, Rnd = sha256(pRnd), at any budget", () => {
    const hits = countHits(rounds, NO_DELAY, 0n, HEURISTICS["even pRnd"]!);
    expect(hits - ROUNDS / 2, `${hits} hits of ${ROUNDS}`).toBeGreaterThan(TOLERANCE);
  });
});
