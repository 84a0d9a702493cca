import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIRST_PRIMES, isWitness, naivePow } from "../../../tools/testing/oracles.ts";
import {
  integerSquareRoot,
  isProbablePrime,
  isStrongLucasProbablePrime,
  isStrongProbablePrimeBase2,
  jacobiSymbol,
  oddPrimesBelow,
  selfridgeD,
} from "./primality.ts";

// Independent helpers, written without reference to primality.ts (naivePow, isWitness: tools/testing/oracles.ts).

/** Miller–Rabin with the prime bases 2 … 37: exact below 318665857834031151167461 > 2^64 (Sorenson–Webster). */
function deterministicMillerRabin(n: bigint): boolean {
  if (n < 2n) return false;
  for (const p of FIRST_PRIMES) if (n % p === 0n) return n === p;
  for (const a of FIRST_PRIMES.slice(0, 12)) if (isWitness(a, n)) return false;
  return true;
}

/** Sieve of Eratosthenes up to `limit` (exclusive). */
function sieve(limit: number): Uint8Array {
  const prime = new Uint8Array(limit).fill(1);
  prime[0] = 0;
  prime[1] = 0;
  for (let i = 2; i * i < limit; i++) {
    if (prime[i] === 1) for (let j = i * i; j < limit; j += i) prime[j] = 0;
  }
  return prime;
}

const LIMIT = 100000;
const PRIME = sieve(LIMIT);

describe("the primality predicate IsPrime", () => {
  // @covers VDF-PRIMALITY.1
  it("agrees with the sieve of Eratosthenes for every n < 100000", () => {
    const wrong: number[] = [];
    for (let n = 0; n < LIMIT; n++) if (isProbablePrime(BigInt(n)) !== (PRIME[n] === 1)) wrong.push(n);
    expect(wrong).toEqual([]);
  });

  // @covers VDF-PRIMALITY.1
  it("MR2 accepts every odd prime, and exactly OEIS A001262 among odd composites below 100000", () => {
    const pseudoprimes: number[] = [];
    for (let n = 3; n < LIMIT; n += 2) {
      const passes = isStrongProbablePrimeBase2(BigInt(n));
      if (PRIME[n] === 1) expect(passes).toBe(true);
      else if (passes) pseudoprimes.push(n);
    }
    // OEIS A001262, strong pseudoprimes to base 2, terms below 10^5
    expect(pseudoprimes).toEqual([
      2047, 3277, 4033, 4681, 8321, 15841, 29341, 42799, 49141, 52633, 65281, 74665, 80581, 85489, 88357,
      90751,
    ]);
  });

  // @covers VDF-PRIMALITY.1
  it("SLPRP accepts every odd prime, and exactly OEIS A217255 among odd composites below 100000", () => {
    const pseudoprimes: number[] = [];
    for (let n = 3; n < LIMIT; n += 2) {
      const passes = isStrongLucasProbablePrime(BigInt(n));
      if (PRIME[n] === 1) expect(passes).toBe(true);
      else if (passes) pseudoprimes.push(n);
    }
    // OEIS A217255, strong Lucas pseudoprimes with Selfridge's parameters, terms below 10^5
    expect(pseudoprimes).toEqual([
      5459, 5777, 10877, 16109, 18971, 22499, 24569, 25199, 40309, 58519, 75077, 97439,
    ]);
  });

  // @covers VDF-PRIMALITY.1
  it("rejects strong pseudoprimes to many bases that pass MR2, whose factors are published", () => {
    const cases: [bigint, bigint[]][] = [
      [3215031751n, [151n, 751n, 28351n]], // spsp to 2, 3, 5, 7
      [3825123056546413051n, [149491n, 747451n, 34233211n]], // ψ9: spsp to the primes 2 … 23
      [318665857834031151167461n, [399165290221n, 798330580441n]], // ψ12: spsp to 2 … 37
      [3317044064679887385961981n, [1287836182261n, 2575672364521n]], // ψ13: spsp to 2 … 41
    ];
    for (const [n, factors] of cases) {
      expect(factors.reduce((a, b) => a * b, 1n)).toBe(n);
      expect(isWitness(2n, n)).toBe(false);
      expect(isStrongProbablePrimeBase2(n)).toBe(true);
      expect(isProbablePrime(n)).toBe(false);
    }
  });

  // @covers VDF-PRIMALITY.1
  it("rejects Carmichael numbers, including 170-bit ones that pass the Fermat test to base 2", () => {
    for (const n of [561n, 1105n, 1729n, 2465n, 2821n, 6601n, 8911n, 41041n, 62745n, 63973n, 75361n]) {
      expect(isProbablePrime(n)).toBe(false);
    }
    // Chernick's form (6k + 1)(12k + 1)(18k + 1): a Carmichael number when all three factors are prime, and
    // composite by construction in any case. These k were found by a separate search.
    for (const k of [192153584101142650n, 192153584101155021n]) {
      const n = (6n * k + 1n) * (12n * k + 1n) * (18n * k + 1n);
      expect(naivePow(2n, n - 1n, n)).toBe(1n);
      expect(isProbablePrime(n)).toBe(false);
    }
  });

  // @covers VDF-PRIMALITY.1
  it("accepts well-known large primes and rejects well-known large composites", () => {
    const primes = [
      (1n << 61n) - 1n,
      (1n << 89n) - 1n,
      (1n << 127n) - 1n,
      (1n << 255n) - 19n,
      (1n << 521n) - 1n,
      (1n << 607n) - 1n,
      // secp256k1 field prime and group order
      0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
      0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n,
      // BLS12-381 group order r and field prime p
      0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n,
      0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn,
    ];
    for (const p of primes) expect(isProbablePrime(p)).toBe(true);
    const composites = [
      (1n << 67n) - 1n, // 193707721 · 761838257287
      (1n << 128n) + 1n, // F7
      (1n << 256n) - 1n,
      ((1n << 127n) - 1n) ** 2n, // a perfect square without small factors
      ((1n << 89n) - 1n) * ((1n << 127n) - 1n),
      ((1n << 255n) - 19n) * 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn,
    ];
    for (const n of composites) expect(isProbablePrime(n)).toBe(false);
    expect(193707721n * 761838257287n).toBe((1n << 67n) - 1n);
  });

  // @covers VDF-PRIMALITY.1
  it("agrees with deterministic Miller–Rabin (bases 2 … 37) on random 64-bit integers", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n << 40n, max: (1n << 64n) - 1n }), (n) => {
        expect(isProbablePrime(n)).toBe(deterministicMillerRabin(n));
      }),
      { numRuns: 400 },
    );
  });

  // @covers VDF-PRIMALITY.1
  it("agrees with 20-base Miller–Rabin on random 256-bit odd integers and on primes near them", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n << 255n, max: (1n << 256n) - 1n }), (raw) => {
        let n = raw | 1n;
        expect(isProbablePrime(n)).toBe(!FIRST_PRIMES.some((a) => isWitness(a, n)));
        // the next number that 20 independent bases cannot prove composite must be accepted
        while (FIRST_PRIMES.some((a) => isWitness(a, n))) n += 2n;
        expect(isProbablePrime(n)).toBe(true);
      }),
      { numRuns: 12 },
    );
  });
});

describe("the Jacobi symbol, Selfridge's D and integer square roots", () => {
  // @covers VDF-PRIMALITY.1
  it("Jacobi(a, p) equals Euler's criterion a^((p − 1)/2) mod p for odd primes p", () => {
    const primes = oddPrimesBelow(400).map(BigInt);
    for (const p of primes) {
      for (let a = -30n; a <= 60n; a++) {
        const euler = naivePow(((a % p) + p) % p, (p - 1n) / 2n, p);
        const expected = euler === 0n ? 0 : euler === 1n ? 1 : -1;
        expect(jacobiSymbol(a, p)).toBe(expected);
      }
    }
  });

  // @covers VDF-PRIMALITY.1
  it("Jacobi is multiplicative in the modulus", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(1n << 80n), max: 1n << 80n }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        (a, m, n) => {
          const mm = 2n * m + 1n;
          const nn = 2n * n + 1n;
          const product = jacobiSymbol(a, mm) * jacobiSymbol(a, nn);
          expect(jacobiSymbol(a, mm * nn)).toBe(product === 0 ? 0 : product);
        },
      ),
      { numRuns: 200 },
    );
  });

  // @covers VDF-PRIMALITY.1
  it("Selfridge's method A picks the first D of 5, −7, 9, −11, … with (D / n) = −1", () => {
    // hand-derived: (5/7) = (7/5) = (2/5) = −1, so D = 5 for n = 7
    expect(selfridgeD(7n)).toBe(5n);
    // n = 11: (5/11) = 1, (−7/11) = 1, (9/11) = 1, D = −11 divides 11 itself and is skipped, (13/11) = (2/11) = −1
    expect(selfridgeD(11n)).toBe(13n);
    expect(selfridgeD(49n)).toBe(null); // perfect square
    expect(selfridgeD(35n)).toBe(null); // (5 / 35) = 0 with 5 ≠ 35
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 100n }), (m) => {
        const n = 2n * m + 1n;
        const D = selfridgeD(n);
        if (D === null) return;
        expect(jacobiSymbol(D, n)).toBe(-1);
        for (let e = 5n; e < (D < 0n ? -D : D); e += 2n) {
          const earlier = (e / 2n) % 2n === 0n ? e : -e;
          const j = jacobiSymbol(earlier, n);
          expect(j === 1 || (j === 0 && e === n)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("integerSquareRoot(n) = ⌊√n⌋", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 600n }), (n) => {
        const r = integerSquareRoot(n);
        expect(r * r <= n && (r + 1n) * (r + 1n) > n).toBe(true);
      }),
      { numRuns: 300 },
    );
    for (let n = 0n; n < 200n; n++) expect(integerSquareRoot(n * n)).toBe(n);
  });
});
