import { describe, expect, it } from "vitest";
import { Random } from "./random.ts";

/*
 * The first six outputs for a few seeds, printed by the authors' public-domain C code (splitmix64.c fills the
 * state with two outputs copied into uint32_t s[4] on a little-endian machine, then xoshiro128starstar.c's
 * next()), compiled with gcc.
 */
const C_REFERENCE: readonly { seed: number; outputs: readonly number[] }[] = [
  { seed: 0, outputs: [0xdec9045d, 0x9a089d75, 0xab77d362, 0xc3e16405, 0x5c95a8da, 0x60dea056] },
  { seed: 1, outputs: [0x650941ba, 0x54d30301, 0x25d2f321, 0x3fabdca9, 0x2ab8e0a6, 0xf9890067] },
  { seed: 42, outputs: [0x69e85a2a, 0xf843fad0, 0x0105185f, 0x8a1f1ea6, 0xa66be2a9, 0x9844904e] },
  {
    seed: Number.MAX_SAFE_INTEGER,
    outputs: [0x4980a133, 0x4cb68966, 0x277278c2, 0xb0783cff, 0x9b095106, 0x3dc1dbe9],
  },
];

const draws = (random: Random, count: number): number[] =>
  Array.from({ length: count }, () => random.nextUint32());

/** Pearson's statistic of observed counts against equal expected counts. */
function chiSquare(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  const expected = total / counts.length;
  return counts.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe("Random", () => {
  it("reproduces the C reference of splitmix64 + xoshiro128**", () => {
    for (const { seed, outputs } of C_REFERENCE) {
      expect(draws(Random.fromSeed(seed), outputs.length)).toEqual(outputs);
    }
  });

  it("maps the raw stream to next(), int() and chance() as documented", () => {
    const raw = C_REFERENCE[2]!.outputs;
    const a = Random.fromSeed(42);
    expect([a.next(), a.next()]).toEqual([raw[0]! / 2 ** 32, raw[1]! / 2 ** 32]);
    // The full 32-bit range accepts every draw, so int returns the raw value.
    expect(a.int(0, 2 ** 32 - 1)).toBe(raw[2]);
    // 2^32 mod 6 = 4: only the four largest draws are rejected, and none of these is one of them.
    expect(a.int(10, 15)).toBe(10 + (raw[3]! % 6));
    expect(a.chance(raw[4]! / 2 ** 32)).toBe(false);
    expect(a.chance(raw[5]! / 2 ** 32 + 2 ** -33)).toBe(true);
  });

  it("takes negative seeds modulo 2^64 and refuses seeds that are not safe integers", () => {
    expect(draws(Random.fromSeed(-1), 4)).not.toEqual(draws(Random.fromSeed(1), 4));
    expect(() => Random.fromSeed(1.5)).toThrow(RangeError);
    expect(() => Random.fromSeed(2 ** 53)).toThrow(RangeError);
  });

  it("forks streams that depend on the seed and label only, not on what the parent has drawn", () => {
    const fresh = Random.fromSeed(7);
    const used = Random.fromSeed(7);
    draws(used, 1000);
    expect(draws(used.fork("network"), 8)).toEqual(draws(fresh.fork("network"), 8));
    expect(draws(fresh.fork("network").fork("jitter"), 8)).toEqual(
      draws(used.fork("network").fork("jitter"), 8),
    );
    const labels = ["network", "networl", "adversary", "", "jitter"];
    const streams = labels.map((label) => draws(fresh.fork(label), 4).join());
    expect(new Set(streams).size).toBe(labels.length);
    expect(draws(Random.fromSeed(8).fork("network"), 4)).not.toEqual(draws(fresh.fork("network"), 4));
    expect(draws(fresh.fork("network"), 4)).not.toEqual(draws(Random.fromSeed(7), 4));
  });

  it("draws int() within bounds and uniformly", () => {
    const random = Random.fromSeed(3);
    const counts = new Array<number>(10).fill(0);
    const strays: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const value = random.int(-3, 6);
      if (value >= -3 && value <= 6 && Number.isInteger(value)) counts[value + 3]!++;
      else strays.push(value);
    }
    expect(strays).toEqual([]);
    // The 1 − 10⁻⁶ quantile of χ² with 9 degrees of freedom is 44.8.
    expect(chiSquare(counts)).toBeLessThan(44.8);
    expect(random.int(5, 5)).toBe(5);
    expect(() => random.int(2, 1)).toThrow(RangeError);
    expect(() => random.int(0, 2 ** 32)).toThrow(RangeError);
  });

  it("makes chance(p) true with frequency p", () => {
    const random = Random.fromSeed(11);
    const trials = 50_000;
    for (const p of [0, 0.05, 0.5, 1]) {
      let hits = 0;
      for (let i = 0; i < trials; i++) if (random.chance(p)) hits++;
      // Six binomial standard deviations: a false failure has probability below 10⁻⁸.
      expect(Math.abs(hits - trials * p)).toBeLessThanOrEqual(6 * Math.sqrt(trials * p * (1 - p)));
    }
  });

  it("shuffles into every permutation of three items about equally often, without touching the input", () => {
    const random = Random.fromSeed(5);
    const items = Object.freeze(["a", "b", "c"]);
    const counts = new Map<string, number>();
    for (let i = 0; i < 60_000; i++) {
      const key = random.shuffle(items).join("");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual(["abc", "acb", "bac", "bca", "cab", "cba"]);
    // The 1 − 10⁻⁶ quantile of χ² with 5 degrees of freedom is 35.9.
    expect(chiSquare([...counts.values()])).toBeLessThan(35.9);
    expect(items).toEqual(["a", "b", "c"]);
  });

  it("picks members only, and refuses an empty list", () => {
    const random = Random.fromSeed(9);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(random.pick([4, 8, 15]));
    expect([...seen].sort((a, b) => a - b)).toEqual([4, 8, 15]);
    expect(() => random.pick([])).toThrow(RangeError);
  });
});
