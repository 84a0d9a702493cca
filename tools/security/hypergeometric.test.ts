import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { binomial, type Fraction, oneThirdThreshold, scientific, upperTail } from "./hypergeometric.ts";

/** Pascal's triangle by additions only: an independent route to C(n, k). */
function pascalRow(n: number): bigint[] {
  let row = [1n];
  for (let i = 0; i < n; i++) row = [1n, ...row.slice(1).map((x, j) => x + row[j]!), 1n];
  return row;
}

/** ln C(n, k) through the log-gamma of Lanczos' approximation: a floating-point cross-check. */
function logBinomial(n: number, k: number): number {
  const lnGamma = (z: number): number => {
    const g = 7;
    const c = [
      0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
      12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
    ];
    const x = z - 1;
    let a = c[0]!;
    const t = x + g + 0.5;
    for (let i = 1; i < g + 2; i++) a += c[i]! / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
  };
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}

/** A fraction of two huge integers as a float, scaled so that neither side overflows. */
function toNumber(f: Fraction): number {
  return Number((f.numerator * 10n ** 60n) / f.denominator) / 1e60;
}

describe("binomial", () => {
  it("agrees with Pascal's triangle and is symmetric", () => {
    for (const n of [0, 1, 2, 7, 30, 64]) {
      const row = pascalRow(n);
      for (let k = 0; k <= n; k++) {
        expect(binomial(n, k)).toBe(row[k]);
        expect(binomial(n, n - k)).toBe(row[k]);
      }
      expect(binomial(n, -1)).toBe(0n);
      expect(binomial(n, n + 1)).toBe(0n);
    }
  });
});

describe("upperTail", () => {
  it("gives the lottery's published odds: 1 in 13,983,816 for six of six, 246,820 ways to match three", () => {
    const lotto = { population: 49, marked: 6, draws: 6 };
    expect(upperTail(lotto, 6)).toEqual({ numerator: 1n, denominator: 13983816n });
    const three = upperTail(lotto, 3).numerator - upperTail(lotto, 4).numerator;
    expect(three).toBe(246820n);
    expect(scientific(upperTail(lotto, 6))).toBe("7.15e-8");
  });

  it("matches a count over every possible shard of a small population", () => {
    const population = 12;
    const marked = 5;
    const draws = 6;
    const counts = new Map<number, bigint>();
    for (let mask = 0; mask < 1 << population; mask++) {
      let size = 0;
      let bad = 0;
      for (let i = 0; i < population; i++) {
        if ((mask >> i) & 1) {
          size++;
          if (i < marked) bad++;
        }
      }
      if (size === draws) counts.set(bad, (counts.get(bad) ?? 0n) + 1n);
    }
    for (let threshold = 0; threshold <= draws + 1; threshold++) {
      let favourable = 0n;
      for (const [bad, count] of counts) if (bad >= threshold) favourable += count;
      const tail = upperTail({ population, marked, draws }, threshold);
      expect(tail.numerator * 924n).toBe(favourable * tail.denominator); // C(12, 6) = 924 shards
    }
  });

  it("sums to one from threshold zero, for any draw (Vandermonde's identity)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 120 }), fc.nat(), fc.nat(), (population, a, b) => {
        const draw = { population, marked: a % (population + 1), draws: b % (population + 1) };
        const all = upperTail(draw, 0);
        expect(all.numerator).toBe(all.denominator);
      }),
    );
  });

  it("agrees with a floating-point log-gamma evaluation on a shard of 600 of 2,400 shares", () => {
    const draw = { population: 2400, marked: 600, draws: 600 };
    const threshold = oneThirdThreshold(600);
    let approximate = 0;
    for (let x = threshold; x <= 600; x++) {
      approximate += Math.exp(logBinomial(600, x) + logBinomial(1800, 600 - x) - logBinomial(2400, 600));
    }
    const exact = toNumber(upperTail(draw, threshold));
    expect(exact).toBeGreaterThan(0);
    expect(Math.abs(exact - approximate) / exact).toBeLessThan(1e-6);
  });

  it("refuses counts that do not describe a draw", () => {
    expect(() => upperTail({ population: 10, marked: 11, draws: 3 }, 1)).toThrow(RangeError);
    expect(() => upperTail({ population: 10, marked: 3, draws: 2.5 }, 1)).toThrow(RangeError);
  });
});

describe("oneThirdThreshold and scientific", () => {
  it("takes the smallest count holding a third, and prints exact fractions", () => {
    expect([3, 50, 600, 601].map(oneThirdThreshold)).toEqual([1, 17, 200, 201]);
    expect(scientific({ numerator: 1n, denominator: 3n })).toBe("3.33e-1");
    expect(scientific({ numerator: 1n, denominator: 1n })).toBe("1e0");
    expect(scientific({ numerator: 123456n, denominator: 1n }, 2)).toBe("1.2e5");
    expect(scientific({ numerator: 0n, denominator: 7n })).toBe("0");
    expect(scientific({ numerator: 1n, denominator: 10n ** 40n })).toBe("1e-40");
  });
});
