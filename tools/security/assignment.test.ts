import { describe, expect, it } from "vitest";
import { MAINNET } from "../../reference/params/presets.ts";
import {
  fractionToNumber,
  monteCarlo,
  oneShardProbability,
  someShardProbability,
  unionBound,
  wilsonInterval,
} from "./assignment.ts";

/** P(some shard ≥ t) by listing every way to deal B marked seats into k shards of m: a second route. */
function enumerate(shards: number, seatsPerShard: number, byzantine: number): number {
  const threshold = Math.ceil(seatsPerShard / 3);
  const n = shards * seatsPerShard;
  let hit = 0;
  let all = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let count = 0;
    for (let i = 0; i < n; i++) if ((mask >> i) & 1) count++;
    if (count !== byzantine) continue;
    all++;
    const perShard = new Array<number>(shards).fill(0);
    for (let i = 0; i < n; i++) if ((mask >> i) & 1) perShard[Math.floor(i / seatsPerShard)]!++;
    if (perShard.some((c) => c >= threshold)) hit++;
  }
  return hit / all;
}

describe("security of the fresh assignment", () => {
  it("computes P(some shard ≥ ⌈m/3⌉) exactly, as a full enumeration finds it", () => {
    for (const [k, m, b] of [
      [2, 6, 3],
      [3, 5, 4],
      [4, 4, 5],
      [2, 9, 2],
    ] as const) {
      const network = { shards: k, seatsPerShard: m, byzantine: b };
      expect(fractionToNumber(someShardProbability(network))).toBeCloseTo(enumerate(k, m, b), 12);
      const union = fractionToNumber(unionBound(network));
      expect(union).toBeGreaterThanOrEqual(fractionToNumber(someShardProbability(network)) - 1e-15);
      expect(fractionToNumber(someShardProbability(network))).toBeGreaterThanOrEqual(
        fractionToNumber(oneShardProbability(network)) - 1e-15,
      );
    }
  });

  it("is certain with a third of the seats: they cannot all stay below a third in every shard", () => {
    const network = { shards: 4, seatsPerShard: 300, byzantine: 400 };
    const p = someShardProbability(network);
    expect(p.numerator).toBe(p.denominator);
  });

  // @covers SHARD-ASSIGN.1
  it("agrees with Monte Carlo over ASSIGN-FRESH within 99.9% binomial intervals (fixed seed, 400 trials)", () => {
    const seed = new TextEncoder().encode("assignment test");
    for (const seatsPerShard of [50, 100]) {
      const byzantine = [seatsPerShard, Math.floor((4 * seatsPerShard) / 5)]; // a quarter, a fifth
      const { hits, trials } = monteCarlo(4, seatsPerShard, byzantine, 400, seed, MAINNET);
      byzantine.forEach((b, q) => {
        const exact = fractionToNumber(someShardProbability({ shards: 4, seatsPerShard, byzantine: b }));
        const { low, high } = wilsonInterval(hits[q]!, trials, 3.29);
        expect(exact, `m = ${seatsPerShard}, B = ${b}: ${hits[q]} of ${trials}`).toBeGreaterThanOrEqual(low);
        expect(exact).toBeLessThanOrEqual(high);
      });
    }
  });

  it("converts tiny and huge fractions to floats", () => {
    expect(fractionToNumber({ numerator: 1n, denominator: 3n })).toBeCloseTo(1 / 3, 15);
    expect(fractionToNumber({ numerator: 1n, denominator: 10n ** 40n })).toBeCloseTo(1e-40, 50);
    expect(fractionToNumber({ numerator: 10n ** 300n, denominator: 10n ** 299n })).toBeCloseTo(10, 12);
  });
});
