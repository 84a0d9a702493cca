import { sha256 } from "@noble/hashes/sha2.js";
import { SpecError } from "../errors.ts";

/*
 * SHARD-SHUFFLE (§10.3): a uniform permutation drawn from an epoch's randomness, reproducible byte for byte.
 */

/** Bytes of the randomness Rnd that drives an assignment. */
export const RANDOMNESS_BYTES = 32;

const UINT32_LIMIT = 2 ** 32;
const DOMAIN = new TextEncoder().encode("harmony-spec shard shuffle");

/**
 * A stream label: ASCII text, optionally followed by `uint32_be(shard)`.
 *
 * @spec SHARD-SHUFFLE.1
 */
export function shuffleLabel(text: string, shard?: number): Uint8Array {
  const ascii = new TextEncoder().encode(text);
  if (shard === undefined) return ascii;
  const out = new Uint8Array(ascii.length + 4);
  out.set(ascii);
  new DataView(out.buffer).setUint32(ascii.length, shard);
  return out;
}

/**
 * The block `c` of the hash stream: sha256("harmony-spec shard shuffle" ‖ rnd ‖ uint32_be(|label|) ‖ label ‖
 * uint64_be(c)) (SHUFFLE L5).
 */
function streamBlock(rnd: Uint8Array, label: Uint8Array, counter: number): Uint8Array {
  const input = new Uint8Array(DOMAIN.length + rnd.length + 4 + label.length + 8);
  const view = new DataView(input.buffer);
  input.set(DOMAIN, 0);
  input.set(rnd, DOMAIN.length);
  view.setUint32(DOMAIN.length + rnd.length, label.length);
  input.set(label, DOMAIN.length + rnd.length + 4);
  view.setBigUint64(DOMAIN.length + rnd.length + 4 + label.length, BigInt(counter));
  return sha256(input);
}

/**
 * The 32-bit words of the hash stream of (rnd, label), in order: words 0–7 of block 0, then of block 1, …
 * (SHUFFLE L5–L6).
 *
 * @spec SHARD-SHUFFLE.1
 */
export function hashStream(rnd: Uint8Array, label: Uint8Array): () => number {
  let counter = 0;
  let block: Uint8Array = new Uint8Array(0);
  let offset = 0;
  return () => {
    if (offset === block.length) {
      block = streamBlock(rnd, label, counter); // SHUFFLE L5
      counter++;
      offset = 0;
    }
    const word =
      ((block[offset]! << 24) |
        (block[offset + 1]! << 16) |
        (block[offset + 2]! << 8) |
        block[offset + 3]!) >>>
      0; // L6
    offset += 4;
    return word;
  };
}

/**
 * A number uniform in 0 … m − 1 from the stream: words at or above the largest multiple of m below 2^32 are
 * skipped, so no residue is more likely than another (SHUFFLE L3–L8).
 *
 * @spec SHARD-SHUFFLE.1
 */
export function drawBelow(next: () => number, m: number): number {
  const limit = UINT32_LIMIT - (UINT32_LIMIT % m); // SHUFFLE L3
  let x: number;
  do
    x = next(); // L4–L6
  while (x >= limit); // L7
  return x % m; // L8
}

/**
 * SHUFFLE(rnd, label, n) (L1–L9): a permutation of 0 … n − 1 by Fisher–Yates, each index drawn from 32-bit
 * words of a SHA-256 stream with rejection sampling, so that every permutation is equally likely.
 *
 * @spec SHARD-SHUFFLE.1
 */
export function shuffle(rnd: Uint8Array, label: Uint8Array, n: number): number[] {
  if (
    rnd.length !== RANDOMNESS_BYTES ||
    label.length >= UINT32_LIMIT ||
    !Number.isInteger(n) ||
    n < 0 ||
    n >= UINT32_LIMIT
  ) {
    throw new SpecError("SHARD_FIELD_INVALID", `shuffle of ${n} with ${rnd.length}-byte randomness`); // SHUFFLE L1
  }
  const a: number[] = [];
  for (let i = 0; i < n; i++) a.push(i); // L1
  const next = hashStream(rnd, label); // L1
  for (let i = n - 1; i >= 1; i--) {
    const j = drawBelow(next, i + 1); // L2–L8
    const swap = a[i]!;
    a[i] = a[j]!;
    a[j] = swap; // L8
  }
  return a; // L9
}

/**
 * PERMUTE(list, π): the list whose j-th element is list[π[j]].
 *
 * @spec SHARD-SHUFFLE.1
 */
export function permute<T>(list: readonly T[], permutation: readonly number[]): T[] {
  return permutation.map((i) => list[i]!);
}
