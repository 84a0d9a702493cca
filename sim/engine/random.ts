/*
 * The simulator's only source of randomness: xoshiro128** (Blackman and Vigna, 2018) with its 128-bit state
 * filled by splitmix64, as its authors recommend. Both are small, well studied and have public-domain C
 * reference code, so a run can be replayed in another language from its seed alone.
 */

const MASK_64 = (1n << 64n) - 1n;
const GOLDEN_GAMMA = 0x9e3779b97f4a7c15n;
const TWO_TO_32 = 4294967296;

/** The splitmix64 output function: a bijection on 64-bit words that spreads every input bit. */
function mix64(value: bigint): bigint {
  let z = value;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK_64;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK_64;
  return z ^ (z >> 31n);
}

/** 64-bit FNV-1a of the label's UTF-8 bytes: turns a fork label into a number to mix into the key. */
function fnv1a64(label: string): bigint {
  let hash = 0xcbf29ce484222325n;
  for (const byte of new TextEncoder().encode(label)) {
    hash = ((hash ^ BigInt(byte)) * 0x100000001b3n) & MASK_64;
  }
  return hash;
}

/**
 * A seeded stream of pseudo-random numbers. Two streams built from the same seed (or forked with the same
 * labels) produce the same numbers, whatever else the program does.
 */
export class Random {
  /** The 64-bit key the stream was seeded from; forks derive their keys from it, never from the state. */
  readonly #key: bigint;
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;

  private constructor(key: bigint) {
    this.#key = key;
    [this.#s0, this.#s1, this.#s2, this.#s3] = Random.#stateFromKey(key);
  }

  /** A stream seeded from any safe integer; negative seeds are taken modulo 2^64. */
  static fromSeed(seed: number): Random {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a safe integer, got ${seed}`);
    return new Random(BigInt.asUintN(64, BigInt(seed)));
  }

  /**
   * Two consecutive splitmix64 outputs from `key`, split into four 32-bit words low half first (what the C
   * reference gets by copying two uint64 into uint32[4] on a little-endian machine). splitmix64 never
   * yields the all-zero state xoshiro must avoid: mix64 is a bijection with mix64(0) = 0, and key + γ and
   * key + 2γ cannot both be 0.
   */
  static #stateFromKey(key: bigint): [number, number, number, number] {
    const first = mix64((key + GOLDEN_GAMMA) & MASK_64);
    const second = mix64((key + 2n * GOLDEN_GAMMA) & MASK_64);
    return [
      Number(first & 0xffffffffn),
      Number(first >> 32n),
      Number(second & 0xffffffffn),
      Number(second >> 32n),
    ];
  }

  /** The next 32-bit output of xoshiro128**, as an unsigned integer. */
  nextUint32(): number {
    const s1 = this.#s1;
    const product = Math.imul(s1, 5);
    const result = Math.imul((product << 7) | (product >>> 25), 9) >>> 0;
    const shifted = s1 << 9;
    this.#s2 ^= this.#s0;
    this.#s3 ^= s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 ^= this.#s3;
    this.#s2 ^= shifted;
    this.#s3 = (this.#s3 << 11) | (this.#s3 >>> 21);
    return result;
  }

  /** A number in [0, 1) with 32 random bits. */
  next(): number {
    return this.nextUint32() / TWO_TO_32;
  }

  /** An integer uniform in [lo, hi], both inclusive; unbiased (rejection sampling on 32-bit draws). */
  int(lo: number, hi: number): number {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi) || hi < lo) {
      throw new RangeError(`int(${lo}, ${hi}): bounds must be safe integers with lo <= hi`);
    }
    const span = hi - lo + 1;
    if (span > TWO_TO_32) throw new RangeError(`int(${lo}, ${hi}): at most 2^32 distinct values`);
    // The largest multiple of span not above 2^32: draws at or above it would favour the low residues.
    const limit = TWO_TO_32 - (TWO_TO_32 % span);
    let draw = this.nextUint32();
    while (draw >= limit) draw = this.nextUint32();
    return lo + (draw % span);
  }

  /** True with probability p (p outside [0, 1] is clamped by the comparison: p ≤ 0 never, p ≥ 1 always). */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element chosen uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("pick from an empty list");
    return items[this.int(0, items.length - 1)]!;
  }

  /** A uniformly random permutation of `items` (Fisher–Yates), as a new array. */
  shuffle<T>(items: readonly T[]): T[] {
    const out = [...items];
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const held = out[i]!;
      out[i] = out[j]!;
      out[j] = held;
    }
    return out;
  }

  /**
   * An independent stream named by `label`, derived from this stream's seed and the label only: how many
   * numbers this stream has already produced does not matter, so adding a consumer elsewhere does not
   * perturb the streams of the others. Forks nest (`fork("a").fork("b")`).
   */
  fork(label: string): Random {
    return new Random(mix64(this.#key ^ fnv1a64(label)));
  }
}
