import { attempt, type Result } from "../../errors.ts";
import { canonicalize, encodeElement, mulMod, powMod } from "./group.ts";
import { vdfHashToGroup } from "./hashToGroup.ts";
import { vdfHashToPrime } from "./hashToPrime.ts";
import { checkIterations } from "./iterations.ts";
import { vdfOutput } from "./output.ts";

/** What an evaluator publishes, plus the intermediate values a client team may want to compare. */
export interface VdfEvaluation {
  /** 32-byte output SHA-256(DST_OUT ‖ I2OSP(y, 256)). */
  readonly output: Uint8Array;
  /** I2OSP(y, 256), y = canonical x^(2^T) mod N. */
  readonly y: Uint8Array;
  /** I2OSP(π, 256), π = canonical x^⌊2^T / ℓ⌋ mod N. */
  readonly proof: Uint8Array;
  /** I2OSP(x, 256), x = HashToGroup(seed). */
  readonly x: Uint8Array;
  /** The challenge prime ℓ = HashToPrime(T, x, y). */
  readonly prime: bigint;
}

/**
 * Most group elements the evaluator keeps for the proof (informative; 2^16 elements of 256 bytes, about 16 MiB;
 * the digits of q are produced on the fly, so memory does not grow with T).
 * Without a bound, T = 2^28 would need ⌊T/k⌋ ≈ 1.9 · 10^7 stored elements, several GiB.
 */
export const PROOF_MAX_STORED = 65536;

/** How the evaluator computes the proof (informative; every plan gives the same π). */
export interface ProofPlan {
  /** Digit width: q is read in base 2^k. */
  readonly k: number;
  /** Number of base-2^k digits, m = ⌊T/k⌋. */
  readonly digits: number;
  /** Stride γ: only every γ-th checkpoint C_(γ·t) = x^(2^(k·γ·t)) is stored. */
  readonly stride: number;
}

/**
 * The digit width k balances the ⌊T/k⌋ bucket multiplications against the 2^(k+1) multiplications that combine
 * the 2^k buckets; the stride γ keeps at most PROOF_MAX_STORED checkpoints, at the cost of γ · (2^(k+1) + k)
 * further multiplications.
 */
export function proofPlan(iterations: bigint): ProofPlan {
  const k = Math.min(16, Math.max(1, iterations.toString(2).length >> 1));
  const digits = Number(iterations / BigInt(k));
  return { k, digits, stride: Math.max(1, Math.ceil(digits / PROOF_MAX_STORED)) };
}

/**
 * π = x^q mod N with q = ⌊2^T / ℓ⌋, from the checkpoints D_t = x^(2^(k·γ·t)) stored during the squaring pass
 * (VDF-PROVE L1–L14; Wesolowski 2020, §4.1). With the base-2^k digits b_i of q and C_i = x^(2^(k·i)),
 * π = Π_i C_i^(b_i); grouping i = γ·t + j gives C_i = D_t^(2^(k·j)), so π = Π_j Y_j^(2^(k·j)) with
 * Y_j = Π_t D_t^(b_(γt+j)) = Π_b (Π_{t : b_(γt+j) = b} D_t)^b, combined by Horner's rule.
 *
 * @spec VDF-PROVE.1
 */
export function proofFromCheckpoints(
  stored: readonly bigint[],
  plan: ProofPlan,
  iterations: bigint,
  prime: bigint,
): bigint {
  const { k, digits: m, stride } = plan;
  const radix = 1n << BigInt(k);
  // VDF-PROVE L1: moving from digit i to digit i − γ multiplies the remainder by 2^(k·γ)
  const step = powMod(2n, BigInt(k) * BigInt(stride), prime);
  let proof = 1n;
  const buckets: (bigint | null)[] = new Array<bigint | null>(1 << k);
  for (let j = stride - 1; j >= 0; j--) {
    // VDF-PROVE L2–L3: w ← w^(2^k)
    for (let r = 0; r < k && proof !== 1n; r++) proof = mulMod(proof, proof);
    // VDF-PROVE L4: bucket[b] = Π_{t : b_(γt+j) = b} D_t (null while empty, i.e. 1)
    buckets.fill(null);
    // VDF-PROVE L5–L6: the highest t with γ·t + j < m, and s = 2^(T − k·(γ·t + j + 1)) mod ℓ
    let t = Math.ceil((m - j) / stride) - 1;
    let s = t >= 0 ? powMod(2n, iterations - BigInt(k) * BigInt(stride * t + j + 1), prime) : 0n;
    for (; t >= 0; t--) {
      // VDF-PROVE L7–L9: digit b_(γt+j) = ⌊2^k · s / ℓ⌋
      const b = Number((s * radix) / prime);
      if (b !== 0) {
        const current = buckets[b];
        buckets[b] = current === null || current === undefined ? stored[t]! : mulMod(current, stored[t]!);
      }
      s = (s * step) % prime;
    }
    // VDF-PROVE L10–L12: Y = Π_b bucket[b]^b via running products, b from 2^k − 1 down to 1
    let running = 1n;
    let combined = 1n;
    for (let b = (1 << k) - 1; b >= 1; b--) {
      const bucket = buckets[b];
      if (bucket !== null && bucket !== undefined) running = mulMod(running, bucket);
      if (running !== 1n) combined = mulMod(combined, running);
    }
    // VDF-PROVE L13
    proof = mulMod(proof, combined);
  }
  // VDF-PROVE L14
  return canonicalize(proof);
}

/**
 * The checkpoints D_t = x^(2^(k·γ·t)), t = 0 … ⌈m/γ⌉ − 1, that `proofFromCheckpoints` expects, and y, from one
 * pass of T squarings.
 */
function squareAndKeep(x: bigint, iterations: bigint, plan: ProofPlan): { v: bigint; stored: bigint[] } {
  const every = plan.k * plan.stride;
  const keep = Math.ceil(plan.digits / plan.stride);
  const stored: bigint[] = [];
  let v = x;
  let sinceCheckpoint = 0;
  for (let done = 0n; done < iterations; done++) {
    if (sinceCheckpoint === 0 && stored.length < keep) stored.push(v);
    v = mulMod(v, v);
    sinceCheckpoint++;
    if (sinceCheckpoint === every) sinceCheckpoint = 0;
  }
  return { v, stored };
}

/**
 * Evaluates the VDF on `seed` with T = `iterations` sequential squarings and produces the Wesolowski proof
 * (VDF-EVALUATE L1–L8). The proof uses the checkpoints of the single squaring pass, so its extra cost is about
 * T/k + γ · (2^(k+1) + k) multiplications (≈ 13 % of the squarings at T = 2^16, ≈ 11 % at T = 2^28), not a
 * second pass of T squarings, in at most PROOF_MAX_STORED stored elements.
 *
 * @spec VDF-EVALUATE.1
 */
export function vdfEvaluate(seed: Uint8Array, iterations: bigint): Result<VdfEvaluation> {
  return attempt(() => {
    // VDF-EVALUATE L1
    checkIterations(iterations);
    // VDF-EVALUATE L2
    const x = vdfHashToGroup(seed);
    // VDF-EVALUATE L3–L4: v = x^(2^T) mod N, keeping the checkpoints of the proof plan
    const plan = proofPlan(iterations);
    const { v, stored } = squareAndKeep(x, iterations, plan);
    // VDF-EVALUATE L5
    const y = canonicalize(v);
    // VDF-EVALUATE L6–L7
    const prime = vdfHashToPrime(iterations, x, y);
    const proof = proofFromCheckpoints(stored, plan, iterations, prime);
    // VDF-EVALUATE L8
    return {
      output: vdfOutput(y),
      y: encodeElement(y),
      proof: encodeElement(proof),
      x: encodeElement(x),
      prime,
    };
  });
}
