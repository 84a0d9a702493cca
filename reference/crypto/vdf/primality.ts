/**
 * The primality predicate IsPrime of hash-to-prime (spec/03-vdf.md §3.7): trial division by the odd primes
 * below 2^14, a strong probable-prime test to base 2 (Miller–Rabin) and a strong Lucas probable-prime test
 * with Selfridge's parameters (method A). The last two together are the Baillie–PSW test (Baillie & Wagstaff
 * 1980; Pomerance, Selfridge & Wagstaff 1980). The predicate is deterministic and every client must compute
 * exactly this function, since the challenge prime ℓ is the first number of a search that it accepts.
 */

/** Bound of the trial-division step: every odd prime p < 2^14 is tried. @spec VDF-PRIMALITY.1 */
export const TRIAL_DIVISION_BOUND = 16384;

/** The odd primes below `bound`, ascending (sieve of Eratosthenes). */
export function oddPrimesBelow(bound: number): number[] {
  const composite = new Uint8Array(bound);
  const out: number[] = [];
  for (let i = 3; i < bound; i += 2) {
    if (composite[i] === 1) continue;
    out.push(i);
    for (let j = i * i; j < bound; j += 2 * i) composite[j] = 1;
  }
  return out;
}

/** The 1899 odd primes below 2^14. */
export const TRIAL_PRIMES: readonly number[] = Object.freeze(oddPrimesBelow(TRIAL_DIVISION_BOUND));

function mod(a: bigint, n: bigint): bigint {
  const r = a % n;
  return r < 0n ? r + n : r;
}

/** ⌊√n⌋ for n ≥ 0, by Newton's iteration on integers. */
export function integerSquareRoot(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(n.toString(2).length / 2));
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/**
 * The Jacobi symbol (a / n) for odd n ≥ 1 and any integer a; −1, 0 or 1 (Cohen, "A Course in Computational
 * Algebraic Number Theory", Algorithm 1.4.10).
 *
 * @spec VDF-PRIMALITY.1
 */
export function jacobiSymbol(a: bigint, n: bigint): number {
  let x = mod(a, n);
  let m = n;
  let result = 1;
  while (x !== 0n) {
    while ((x & 1n) === 0n) {
      x >>= 1n;
      const r = m & 7n;
      if (r === 3n || r === 5n) result = -result;
    }
    const t = x;
    x = m;
    m = t;
    if ((x & 3n) === 3n && (m & 3n) === 3n) result = -result;
    x %= m;
  }
  return m === 1n ? result : 0;
}

/**
 * 2^e mod n for odd n ≥ 3: left to right over the bits of e in 6-bit windows; a window's multiplication by
 * 2^w is a shift followed by one reduction.
 */
function powerOfTwoMod(e: bigint, n: bigint): bigint {
  const bits = e.toString(2);
  let acc = 1n;
  let i = 0;
  while (i < bits.length) {
    const width = Math.min(6, bits.length - i);
    let digit = 0;
    for (let j = 0; j < width; j++) {
      acc = (acc * acc) % n;
      digit = 2 * digit + (bits.charCodeAt(i + j) - 48);
    }
    if (digit !== 0) acc = (acc << BigInt(digit)) % n;
    i += width;
  }
  return acc;
}

/**
 * Strong probable-prime test to base 2 (VDF-PRIMALITY L8–L14) for odd n ≥ 3.
 *
 * @spec VDF-PRIMALITY.1
 */
export function isStrongProbablePrimeBase2(n: bigint): boolean {
  // VDF-PRIMALITY L8: n − 1 = d · 2^s with d odd
  let d = n - 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  // VDF-PRIMALITY L9–L10
  let x = powerOfTwoMod(d, n);
  if (x === 1n || x === n - 1n) return true;
  // VDF-PRIMALITY L11–L13
  for (let r = 1; r < s; r++) {
    x = (x * x) % n;
    if (x === n - 1n) return true;
  }
  // VDF-PRIMALITY L14
  return false;
}

/**
 * Selfridge's method A (VDF-PRIMALITY L15–L20): the first D of 5, −7, 9, −11, 13, … with Jacobi (D / n) = −1, or
 * null when n is proven composite on the way (a perfect square, or 1 < gcd(|D|, n) < n).
 *
 * @spec VDF-PRIMALITY.1
 */
export function selfridgeD(n: bigint): bigint | null {
  // VDF-PRIMALITY L15
  const root = integerSquareRoot(n);
  if (root * root === n) return null;
  // VDF-PRIMALITY L16–L20
  let D = 5n;
  for (;;) {
    const j = jacobiSymbol(D, n);
    if (j === -1) return D;
    const absD = D < 0n ? -D : D;
    if (j === 0 && absD !== n) return null;
    D = D > 0n ? -(D + 2n) : -D + 2n;
  }
}

/**
 * Strong Lucas probable-prime test with Selfridge's parameters (VDF-PRIMALITY L15–L28) for odd n ≥ 3. With
 * P = 1 and Q = (1 − D) / 4, n + 1 = d · 2^s (d odd), n passes when U_d ≡ 0 or V_(d·2^r) ≡ 0 (mod n) for
 * some 0 ≤ r < s. The ladder carries (V_k, V_(k+1), Q^k); U_d ≡ 0 is tested through the identity
 * D · U_d = 2 · V_(d+1) − P · V_d, valid because gcd(D, n) = 1 once (D / n) = −1.
 *
 * @spec VDF-PRIMALITY.1
 */
export function isStrongLucasProbablePrime(n: bigint): boolean {
  // VDF-PRIMALITY L15–L20
  const D = selfridgeD(n);
  if (D === null) return false;
  // VDF-PRIMALITY L21
  const q = mod((1n - D) / 4n, n);
  // VDF-PRIMALITY L22: n + 1 = d · 2^s with d odd
  let d = n + 1n;
  let s = 0;
  while ((d & 1n) === 0n) {
    d >>= 1n;
    s++;
  }
  // VDF-PRIMALITY L23: (V_d, V_(d+1), Q^d) by a ladder over the bits of d, from k = 1: V_1 = P = 1, V_2 = P^2 − 2Q
  const bits = d.toString(2);
  let vk = 1n;
  let vk1 = mod(1n - 2n * q, n);
  let qk = q;
  // for each following bit of d, k → 2k (bit 0) or 2k + 1 (bit 1)
  for (let i = 1; i < bits.length; i++) {
    if (bits.charCodeAt(i) === 49) {
      // V_(2k+1) = V_k V_(k+1) − P Q^k;  V_(2k+2) = V_(k+1)^2 − 2 Q^(k+1)
      const qk1 = (qk * q) % n;
      vk = mod(vk * vk1 - qk, n);
      vk1 = mod(vk1 * vk1 - 2n * qk1, n);
      qk = (qk * qk1) % n;
    } else {
      // V_(2k) = V_k^2 − 2 Q^k;  V_(2k+1) = V_k V_(k+1) − P Q^k
      const next = mod(vk * vk1 - qk, n);
      vk = mod(vk * vk - 2n * qk, n);
      vk1 = next;
      qk = (qk * qk) % n;
    }
  }
  // VDF-PRIMALITY L24: U_d ≡ 0 ⇔ 2 V_(d+1) − P V_d ≡ 0;  or V_d ≡ 0
  if (mod(2n * vk1 - vk, n) === 0n || vk === 0n) return true;
  // VDF-PRIMALITY L25–L27: V_(d·2^r) for r = 1 .. s − 1
  for (let r = 1; r < s; r++) {
    vk = mod(vk * vk - 2n * qk, n);
    qk = (qk * qk) % n;
    if (vk === 0n) return true;
  }
  // VDF-PRIMALITY L28
  return false;
}

/**
 * The primality predicate IsPrime(n) (VDF-PRIMALITY L1–L7). It agrees with primality for every n < 2^64 (no
 * Baillie–PSW pseudoprime exists there) and no composite is known that it accepts.
 *
 * @spec VDF-PRIMALITY.1
 */
export function isProbablePrime(n: bigint): boolean {
  // VDF-PRIMALITY L1–L2
  if (n < 2n) return false;
  if (n === 2n) return true;
  // VDF-PRIMALITY L3
  if ((n & 1n) === 0n) return false;
  // VDF-PRIMALITY L4–L5
  for (let i = 0; i < TRIAL_PRIMES.length; i++) {
    const p = BigInt(TRIAL_PRIMES[i]!);
    if (n === p) return true;
    if (n % p === 0n) return false;
  }
  // VDF-PRIMALITY L6
  if (!isStrongProbablePrimeBase2(n)) return false;
  // VDF-PRIMALITY L7
  return isStrongLucasProbablePrime(n);
}
