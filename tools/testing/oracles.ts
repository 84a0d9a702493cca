/*
 * Test oracles: plain modular arithmetic written directly from the textbook definitions. They deliberately
 * share no code with reference/ (in particular not with reference/crypto/vdf), so that a test comparing the
 * reference against them checks two independent computations.
 */

/** base^exponent mod modulus by right-to-left square-and-multiply (base ≥ 0, exponent ≥ 0, modulus ≥ 1). */
export function naivePow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let b = base % modulus;
  let e = exponent;
  while (e > 0n) {
    if (e % 2n === 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
    e /= 2n;
  }
  return result;
}

/**
 * True when `a` proves the odd n > a composite (a Miller–Rabin witness): with n − 1 = d · 2^s and d odd,
 * a^d ≢ ±1 and a^(d·2^i) ≢ −1 (mod n) for every 0 < i < s.
 */
export function isWitness(a: bigint, n: bigint): boolean {
  let d = n - 1n;
  let s = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    s++;
  }
  let x = naivePow(a, d, n);
  if (x === 1n || x === n - 1n) return false;
  for (let i = 1; i < s; i++) {
    x = (x * x) % n;
    if (x === n - 1n) return false;
  }
  return true;
}

/** The first twenty primes, 2 … 71. */
export const FIRST_PRIMES: readonly bigint[] = [
  2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
].map(BigInt);
