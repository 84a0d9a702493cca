import { describe, expect, it } from "vitest";
import { unwrap } from "../../reference/errors.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import {
  assignFresh,
  type Seat,
  type ShardState,
  shuffle,
  shuffleLabel,
} from "../../reference/sharding/index.ts";
import { sampleSeat } from "../../tools/testing/shardSeats.ts";
import { epochRandomness, placeByKey } from "./epochs.ts";

/*
 * Statistical tests of the fresh assignment (§10.5) over many values of Rnd, all fixed so that a run is
 * reproducible and cannot flake: every permutation of the shuffle equally likely, every seat's shard uniform,
 * every pair of seats together as often as a uniform deal makes them. Each test is at a family-wise
 * significance of 0.001 (Bonferroni over the seats or pairs); mainnet's placement by key must fail it.
 */

const SHARDS = 3;
const SEATS = 12; // four per shard
const TRIALS = 3000;
const PRESET: Preset = { ...MINIMAL, numShards: SHARDS };
const FAMILY_ALPHA = 0.001;

/** Seats with keys spread over the residues mod 3, so that placement by key looks balanced at first sight. */
const seats: Seat[] = Array.from({ length: SEATS }, (_, v) => sampleSeat(v + 1, 0, 1n));

type Assign = (seats: readonly Seat[], rnd: Uint8Array, epoch: bigint, preset: Preset) => ShardState;
const reference: Assign = (s, rnd, epoch, preset) => unwrap(assignFresh(s, rnd, epoch, preset));

/** For each trial, the shard of each seat in canonical order (seat v is validator v + 1). */
function placements(assign: Assign): number[][] {
  const out: number[][] = [];
  for (let t = 0; t < TRIALS; t++)
    out.push(assign(seats, epochRandomness(t), 1n, PRESET).seats.map((s) => s.shard));
  return out;
}

/** Survival function of the chi-square distribution with 2 degrees of freedom: exp(−x/2). */
function chiSquare2Tail(x: number): number {
  return Math.exp(-x / 2);
}

/** Seats whose shard is not uniform on 0 … 2 at the family-wise level (χ² with 2 degrees of freedom). */
function nonUniformSeats(runs: readonly number[][]): number[] {
  const bad: number[] = [];
  const expected = TRIALS / SHARDS;
  for (let seat = 0; seat < SEATS; seat++) {
    const counts = new Array<number>(SHARDS).fill(0);
    for (const run of runs) counts[run[seat]!]!++;
    const chi2 = counts.reduce((sum, c) => sum + (c - expected) ** 2 / expected, 0);
    if (chiSquare2Tail(chi2) < FAMILY_ALPHA / SEATS) bad.push(seat);
  }
  return bad;
}

/**
 * Pairs of seats found together more or less often than a uniform deal into shards of four of twelve
 * makes them, P = 3/11, by a normal approximation of the binomial count (|z| beyond the Bonferroni bound).
 */
function biasedPairs(runs: readonly number[][]): [number, number][] {
  const p = 3 / 11;
  const pairs = (SEATS * (SEATS - 1)) / 2;
  const zBound = 4.5; // two-sided tail 6.8e-6 per pair; × 66 pairs = 4.5e-4 < 0.001
  expect(2 * normalTail(zBound) * pairs).toBeLessThan(FAMILY_ALPHA);
  const bad: [number, number][] = [];
  for (let i = 0; i < SEATS; i++) {
    for (let j = i + 1; j < SEATS; j++) {
      const together = runs.filter((run) => run[i] === run[j]).length;
      const z = (together - TRIALS * p) / Math.sqrt(TRIALS * p * (1 - p));
      if (Math.abs(z) > zBound) bad.push([i, j]);
    }
  }
  return bad;
}

/** P(Z > z) for a standard normal, by the complementary error function's continued fraction (z ≥ 0). */
function normalTail(z: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse this far out; integrate the density instead.
  let sum = 0;
  const step = 1e-3;
  for (let x = z; x < z + 12; x += step) sum += Math.exp((-x * x) / 2) * step;
  return sum / Math.sqrt(2 * Math.PI);
}

describe("uniformity of the fresh assignment", () => {
  const referenceRuns = placements(reference);

  // @covers SHARD-SHUFFLE.1
  it("draws every permutation of four with equal frequency (χ² with 23 degrees of freedom)", () => {
    const counts = new Map<string, number>();
    const trials = 24000;
    for (let t = 0; t < trials; t++) {
      const key = shuffle(epochRandomness(t), shuffleLabel("assign"), 4).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(24);
    const chi2 = [...counts.values()].reduce((sum, c) => sum + (c - 1000) ** 2 / 1000, 0);
    expect(chi2).toBeLessThan(49.73); // the 0.999 quantile of χ² with 23 degrees of freedom
  });

  // @covers SHARD-ASSIGN.1
  it("puts every seat in every shard equally often, over 3000 values of Rnd", () => {
    expect(nonUniformSeats(referenceRuns)).toEqual([]);
  });

  // @covers SHARD-ASSIGN.1
  it("puts every pair of seats together as often as a uniform deal does (3/11)", () => {
    expect(biasedPairs(referenceRuns)).toEqual([]);
  });

  // @covers SHARD-ASSIGN.1
  it("finds the bias of mainnet's placement by key mod shards", () => {
    const byKey = placements(placeByKey);
    expect(nonUniformSeats(byKey)).toHaveLength(SEATS);
    expect(biasedPairs(byKey).length).toBeGreaterThan(0);
  });
});
