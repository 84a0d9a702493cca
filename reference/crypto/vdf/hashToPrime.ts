import { sha256 } from "@noble/hashes/sha2.js";
import { asciiBytes, concat, uint64BE } from "./bytes.ts";
import { bytesToBigint, encodeElement } from "./group.ts";
import { VDF_DST_HASH_TO_PRIME, VDF_PRIME_BITS } from "./params.ts";
import {
  isProbablePrime,
  isStrongLucasProbablePrime,
  isStrongProbablePrimeBase2,
  TRIAL_DIVISION_BOUND,
  TRIAL_PRIMES,
} from "./primality.ts";

const TOP_BIT: bigint = 1n << BigInt(VDF_PRIME_BITS - 1);

/**
 * The start of the prime search (VDF-HASH-TO-PRIME L1–L2): c = OS2IP(h) OR 2^255 OR 1 with
 * h = SHA-256(DST_H2P ‖ uint64_be(T) ‖ I2OSP(x, 256) ‖ I2OSP(y, 256)).
 *
 * @spec VDF-HASH-TO-PRIME.1
 */
export function primeSearchStart(iterations: bigint, x: bigint, y: bigint): bigint {
  // VDF-HASH-TO-PRIME L1
  const h = sha256(
    concat(asciiBytes(VDF_DST_HASH_TO_PRIME), uint64BE(iterations), encodeElement(x), encodeElement(y)),
  );
  // VDF-HASH-TO-PRIME L2
  return bytesToBigint(h) | TOP_BIT | 1n;
}

/**
 * The least n ≥ c, n ≡ c (mod 2), with IsPrime(n), exactly as VDF-HASH-TO-PRIME L3–L5 read: c, c + 2, c + 4, … each
 * through the full predicate. Used as the literal path that the sieved search is checked against.
 *
 * @spec VDF-HASH-TO-PRIME.1
 */
export function nextPrimeLiteral(start: bigint): bigint {
  // VDF-HASH-TO-PRIME L3
  let n = start;
  // VDF-HASH-TO-PRIME L4
  while (!isProbablePrime(n)) n += 2n;
  // VDF-HASH-TO-PRIME L5
  return n;
}

/** Odd numbers examined per sieve window. */
const SIEVE_WINDOW = 2048;

/**
 * c mod p for a prime p < 2^14 from the 16-bit limbs of c (most significant first). Every intermediate
 * value stays below 2^30, so the arithmetic is exact small-integer arithmetic.
 */
function residue(limbs: readonly number[], p: number): number {
  let r = 0;
  for (let i = 0; i < limbs.length; i++) r = ((r << 16) | limbs[i]!) % p;
  return r;
}

/**
 * The same result as `nextPrimeLiteral`, faster for odd c > 2^14: the window c, c + 2, …, c + 2(W − 1) is
 * sieved with every trial-division prime p < 2^14, and only the survivors go through VDF-PRIMALITY L6–L7, in
 * increasing order. Every number in the window exceeds 2^14, so the sieve strikes out exactly the numbers that
 * VDF-PRIMALITY L4–L5 rejects. W = `window` (2048 by default) only changes how often a new window is sieved.
 *
 * @spec VDF-HASH-TO-PRIME.1
 */
export function nextPrimeSieved(start: bigint, window: number = SIEVE_WINDOW): bigint {
  // the sieve would strike out the trial primes themselves; small starts take the literal path
  if (start <= BigInt(TRIAL_DIVISION_BOUND)) return nextPrimeLiteral(start);
  let base = start;
  for (;;) {
    // limbs of base, 16 bits each, most significant first
    const limbs: number[] = [];
    let rest = base;
    while (rest > 0n) {
      limbs.unshift(Number(rest & 0xffffn));
      rest >>= 16n;
    }
    const marked = new Uint8Array(window);
    for (let i = 0; i < TRIAL_PRIMES.length; i++) {
      const p = TRIAL_PRIMES[i]!;
      // base + 2t ≡ 0 (mod p)  ⇔  t ≡ −base · 2^(−1) ≡ (p − r) · (p + 1) / 2 (mod p)
      const r = residue(limbs, p);
      let t = r === 0 ? 0 : ((p - r) * ((p + 1) / 2)) % p;
      for (; t < window; t += p) marked[t] = 1;
    }
    for (let t = 0; t < window; t++) {
      if (marked[t] === 1) continue;
      const n = base + 2n * BigInt(t);
      if (isStrongProbablePrimeBase2(n) && isStrongLucasProbablePrime(n)) return n;
    }
    base += 2n * BigInt(window);
  }
}

/**
 * The Fiat–Shamir challenge ℓ = HashToPrime(T, x, y) (VDF-HASH-TO-PRIME L1–L5): the least prime, in the sense of
 * IsPrime, among c, c + 2, c + 4, … where c is the hashed 256-bit odd start. 2^255 < ℓ, and ℓ < 2^256 unless
 * c lies within a prime gap of 2^256 (probability below 2^-240).
 *
 * @spec VDF-HASH-TO-PRIME.1
 */
export function vdfHashToPrime(iterations: bigint, x: bigint, y: bigint): bigint {
  return nextPrimeSieved(primeSearchStart(iterations, x, y));
}
