import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { FIRST_PRIMES, isWitness } from "../../../tools/testing/oracles.ts";
import { encodeElement } from "./group.ts";
import { nextPrimeLiteral, nextPrimeSieved, primeSearchStart, vdfHashToPrime } from "./hashToPrime.ts";
import { VDF_HALF_MODULUS } from "./params.ts";

// Independent helpers: Node's SHA-256 and Miller–Rabin from tools/testing/oracles.ts.

/** Composite for sure when true; prime with overwhelming probability for these random inputs when false. */
const provablyComposite = (n: bigint): boolean =>
  n % 2n === 0n || FIRST_PRIMES.some((a) => n % a === 0n || isWitness(a, n));

function independentStart(iterations: bigint, x: bigint, y: bigint): bigint {
  const t = Buffer.alloc(8);
  t.writeBigUInt64BE(iterations);
  const h = createHash("sha256")
    .update(Buffer.from("HARMONY-VDF-RSA2048-SHA256-V1-HASH-TO-PRIME", "ascii"))
    .update(t)
    .update(encodeElement(x))
    .update(encodeElement(y))
    .digest("hex");
  return BigInt(`0x${h}`) | (1n << 255n) | 1n;
}

const element = fc.bigInt({ min: 1n, max: VDF_HALF_MODULUS });
const iterationCount = fc.bigInt({ min: 1n, max: (1n << 64n) - 1n });

describe("hash to prime", () => {
  // @covers VDF-HASH-TO-PRIME.1
  it("starts at the hashed odd 256-bit integer of VDF-HASH-TO-PRIME L1–L2", () => {
    fc.assert(
      fc.property(iterationCount, element, element, (t, x, y) => {
        const c = primeSearchStart(t, x, y);
        expect(c).toBe(independentStart(t, x, y));
        expect(c % 2n).toBe(1n);
        expect(c >> 255n).toBe(1n);
      }),
      { numRuns: 50 },
    );
  });

  // @covers VDF-HASH-TO-PRIME.1 VDF-PRIMALITY.1
  it("returns the first prime at or after the start: every odd number before it is provably composite", () => {
    fc.assert(
      fc.property(iterationCount, element, element, (t, x, y) => {
        const l = vdfHashToPrime(t, x, y);
        const c = independentStart(t, x, y);
        expect(l >= c && (l - c) % 2n === 0n).toBe(true);
        expect(l > 1n << 255n && l < 1n << 256n).toBe(true);
        expect(provablyComposite(l)).toBe(false);
        for (let n = c; n < l; n += 2n) expect(provablyComposite(n)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });

  // @covers VDF-HASH-TO-PRIME.1
  it("the sieved search equals the literal loop of VDF-HASH-TO-PRIME L3–L5, whatever the window", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: (1n << 14n) + 1n, max: (1n << 256n) - 1n }),
        fc.constantFrom(1, 2, 7, 64, 2048),
        (raw, window) => {
          const start = raw | 1n;
          expect(nextPrimeSieved(start, window)).toBe(nextPrimeLiteral(start));
        },
      ),
      { numRuns: 25 },
    );
    // small starts, including trial primes themselves and starts just above the trial bound
    for (const start of [3n, 16381n, 16383n, 16385n, 16387n, 1000001n]) {
      expect(nextPrimeSieved(start, 4)).toBe(nextPrimeLiteral(start));
    }
    expect(nextPrimeSieved(16383n)).toBe(16411n);
    expect(nextPrimeSieved(16381n)).toBe(16381n);
  });

  // @covers VDF-HASH-TO-PRIME.1
  it("binds T, x and y: changing any of them changes ℓ", () => {
    const x = 123456789n;
    const y = 987654321n;
    const base = vdfHashToPrime(1024n, x, y);
    expect(vdfHashToPrime(1025n, x, y)).not.toBe(base);
    expect(vdfHashToPrime(1024n, x + 1n, y)).not.toBe(base);
    expect(vdfHashToPrime(1024n, x, y + 1n)).not.toBe(base);
    expect(vdfHashToPrime(1024n, y, x)).not.toBe(base);
  });
});
