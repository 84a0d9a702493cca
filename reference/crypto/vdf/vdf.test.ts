import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { naivePow } from "../../../tools/testing/oracles.ts";
import { resultCode } from "../../../tools/testing/specErrors.ts";
import { MAINNET, MINIMAL } from "../../params/presets.ts";
import { PROOF_MAX_STORED, proofFromCheckpoints, proofPlan, vdfEvaluate } from "./evaluate.ts";
import { bytesToBigint, encodeElement, mulMod } from "./group.ts";
import { vdfHashToGroup } from "./hashToGroup.ts";
import { vdfHashToPrime } from "./hashToPrime.ts";
import { VDF_HALF_MODULUS, VDF_MODULUS } from "./params.ts";
import { vdfVerify } from "./verify.ts";

const N = VDF_MODULUS;
const T = MINIMAL.vdfIterations; // 1024

const canon = (v: bigint): bigint => (v < N - v ? v : N - v);

function evaluate(seed: Uint8Array, iterations: bigint) {
  const result = vdfEvaluate(seed, iterations);
  if (!result.ok) throw result.error;
  return result.value;
}

const SEED = new Uint8Array(32).map((_, i) => i);
const HONEST = evaluate(SEED, T);
const Y = bytesToBigint(HONEST.y);
const PROOF = bytesToBigint(HONEST.proof);

describe("VDF evaluation", () => {
  // @covers VDF-EVALUATE.1 VDF-GROUP.1
  it("y = canon(x^(2^T) mod N), checked with direct exponentiation x ** 2^T for T ≤ 10", () => {
    const x = vdfHashToGroup(SEED);
    for (let t = 1n; t <= 10n; t++) {
      const direct = x ** (2n ** t) % N;
      expect(bytesToBigint(evaluate(SEED, t).y)).toBe(canon(direct));
    }
  });

  // @covers VDF-EVALUATE.1 VDF-PROVE.1
  it("π = canon(x^⌊2^T / ℓ⌋ mod N), checked with an independent exponentiation", () => {
    const x = vdfHashToGroup(SEED);
    for (const t of [1n, 7n, 254n, 255n, 256n, 257n, 300n, 511n, 1000n, T]) {
      const r = evaluate(SEED, t);
      const y = bytesToBigint(r.y);
      expect(y).toBe(canon(naivePow(x, 2n ** t, N)));
      expect(r.prime).toBe(vdfHashToPrime(t, x, y));
      expect(bytesToBigint(r.proof)).toBe(canon(naivePow(x, 2n ** t / r.prime, N)));
    }
  });

  // @covers VDF-PROVE.1
  it("the checkpoint method gives the same π for every digit width k and checkpoint stride γ", () => {
    const x = vdfHashToGroup(SEED);
    const t = 700n;
    const y = canon(naivePow(x, 2n ** t, N));
    const prime = vdfHashToPrime(t, x, y);
    const expected = canon(naivePow(x, 2n ** t / prime, N));
    for (let k = 1; k <= 12; k++) {
      const digits = Number(t / BigInt(k));
      for (const stride of [1, 2, 3, 7, digits, digits + 5]) {
        const stored: bigint[] = [];
        let v = x;
        for (let i = 0n; i < t; i++) {
          if (i % BigInt(k * stride) === 0n && stored.length * stride < digits) stored.push(v);
          v = mulMod(v, v);
        }
        expect(proofFromCheckpoints(stored, { k, digits, stride }, t, prime)).toBe(expected);
      }
    }
  });

  it("the proof plan bounds the stored checkpoints at every T", () => {
    const plans = [1n, 1024n, 65536n, 1n << 28n, 1n << 40n].map(proofPlan);
    expect(plans.map((p) => p.k)).toEqual([1, 5, 8, 14, 16]);
    expect(plans.map((p) => p.stride)).toEqual([1, 1, 1, 293, 1048576]);
    for (const p of plans) expect(Math.ceil(p.digits / p.stride)).toBeLessThanOrEqual(PROOF_MAX_STORED);
  });

  // @covers VDF-OUTPUT.1
  it("the output is SHA-256(DST_OUT ‖ I2OSP(y, 256))", () => {
    const expected = createHash("sha256")
      .update(Buffer.from("HARMONY-VDF-RSA2048-SHA256-V1-OUTPUT", "ascii"))
      .update(HONEST.y)
      .digest();
    expect(Buffer.from(HONEST.output).equals(expected)).toBe(true);
    expect(HONEST.output.length).toBe(32);
    expect(HONEST.x).toEqual(encodeElement(vdfHashToGroup(SEED)));
  });

  // @covers VDF-ITERATIONS.1 VDF-EVALUATE.1
  it("rejects T outside [1, 2^64 − 1] with VDF_ITERATIONS_INVALID", () => {
    expect(resultCode(vdfEvaluate(SEED, 0n))).toBe("VDF_ITERATIONS_INVALID");
    expect(resultCode(vdfEvaluate(SEED, -1n))).toBe("VDF_ITERATIONS_INVALID");
    expect(resultCode(vdfEvaluate(SEED, 1n << 64n))).toBe("VDF_ITERATIONS_INVALID");
  });
});

describe("VDF verification", () => {
  // @covers VDF-VERIFY.1 VDF-OUTPUT.1
  it("accepts the honest result at the minimal preset's T and returns the output", () => {
    const verified = vdfVerify(SEED, T, HONEST.y, HONEST.proof);
    expect(verified.ok).toBe(true);
    if (verified.ok) expect(verified.value).toEqual(HONEST.output);
  });

  // @covers VDF-VERIFY.1 VDF-EVALUATE.1 VDF-PROVE.1
  it("evaluate → verify round-trips for random seeds and T (property)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 48 }), fc.bigInt({ min: 1n, max: 600n }), (seed, t) => {
        const r = evaluate(seed, t);
        const verified = vdfVerify(seed, t, r.y, r.proof);
        expect(verified.ok).toBe(true);
        if (verified.ok) expect(verified.value).toEqual(r.output);
      }),
      { numRuns: 15 },
    );
  });

  // @covers VDF-VERIFY.1
  it("rejects a tampered y, π, seed or T with VDF_PROOF_INVALID", () => {
    const otherSeed = SEED.slice();
    otherSeed[0] = otherSeed[0]! ^ 1;
    expect(resultCode(vdfVerify(SEED, T, encodeElement(Y + 1n), HONEST.proof))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(SEED, T, HONEST.y, encodeElement(PROOF + 1n)))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(otherSeed, T, HONEST.y, HONEST.proof))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(SEED, T + 1n, HONEST.y, HONEST.proof))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(SEED, T - 1n, HONEST.y, HONEST.proof))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(SEED, T, HONEST.proof, HONEST.y))).toBe("VDF_PROOF_INVALID");
    expect(resultCode(vdfVerify(SEED, T, HONEST.y, encodeElement(1n)))).toBe("VDF_PROOF_INVALID");
  });

  // @covers VDF-VERIFY.1
  it("rejects any single-bit change of y or π (property)", () => {
    fc.assert(
      fc.property(fc.boolean(), fc.integer({ min: 0, max: 2047 }), (inY, bit) => {
        const y = HONEST.y.slice();
        const proof = HONEST.proof.slice();
        const target = inY ? y : proof;
        target[bit >> 3] = target[bit >> 3]! ^ (1 << (bit & 7));
        const code = resultCode(vdfVerify(SEED, T, y, proof));
        expect(["VDF_PROOF_INVALID", "VDF_ELEMENT_OUT_OF_RANGE", "VDF_ELEMENT_NOT_CANONICAL"]).toContain(
          code,
        );
      }),
      { numRuns: 40 },
    );
  });

  // @covers VDF-VERIFY.1 VDF-ENCODING.1 VDF-GROUP.1
  it("rejects the ±1 forgery: for N − y, the pair (N − y, −x^⌊2^T/ℓ'⌋) satisfies the raw equation", () => {
    const x = vdfHashToGroup(SEED);
    const negY = N - Y;
    // anyone who knows y answers for −y in Z_N^*: ℓ' = H2P(T, x, −y) is odd, so (−x^q')^ℓ' · x^r' = −x^(2^T)
    const primeForNegY = vdfHashToPrime(T, x, negY);
    const forgedProof = N - naivePow(x, 2n ** T / primeForNegY, N);
    const r = naivePow(2n, T, primeForNegY);
    expect((naivePow(forgedProof, primeForNegY, N) * naivePow(x, r, N)) % N).toBe(negY);
    // the quotient group makes −y and y one element with one encoding, so the forgery cannot be presented
    const code = resultCode(vdfVerify(SEED, T, encodeElement(negY), encodeElement(forgedProof)));
    expect(code).toBe("VDF_ELEMENT_NOT_CANONICAL");
    expect(resultCode(vdfVerify(SEED, T, encodeElement(negY), HONEST.proof))).toBe(
      "VDF_ELEMENT_NOT_CANONICAL",
    );
    expect(resultCode(vdfVerify(SEED, T, HONEST.y, encodeElement(N - PROOF)))).toBe(
      "VDF_ELEMENT_NOT_CANONICAL",
    );
    expect(resultCode(vdfVerify(SEED, T, HONEST.y, encodeElement(canon(forgedProof))))).toBe(
      "VDF_PROOF_INVALID",
    );
  });

  // @covers VDF-VERIFY.1 VDF-ENCODING.1
  it("rejects out-of-range elements and wrong lengths with the named codes", () => {
    const verify = (y: Uint8Array, proof: Uint8Array) => resultCode(vdfVerify(SEED, T, y, proof));
    expect(verify(encodeElement(0n), HONEST.proof)).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(verify(encodeElement(N), HONEST.proof)).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(verify(HONEST.y, new Uint8Array(256).fill(0xff))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(verify(encodeElement(VDF_HALF_MODULUS + 1n), HONEST.proof)).toBe("VDF_ELEMENT_NOT_CANONICAL");
    expect(verify(HONEST.y.slice(1), HONEST.proof)).toBe("VDF_ENCODING_LENGTH");
    expect(verify(HONEST.y, new Uint8Array([0, ...HONEST.proof]))).toBe("VDF_ENCODING_LENGTH");
    expect(verify(new Uint8Array(0), new Uint8Array(0))).toBe("VDF_ENCODING_LENGTH");
    // y is decoded before π: a bad y is reported even when π is bad too
    expect(verify(encodeElement(0n), new Uint8Array(3))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
  });

  // @covers VDF-ITERATIONS.1 VDF-VERIFY.1
  it("rejects T outside [1, 2^64 − 1] before decoding anything", () => {
    expect(resultCode(vdfVerify(SEED, 0n, HONEST.y, HONEST.proof))).toBe("VDF_ITERATIONS_INVALID");
    expect(resultCode(vdfVerify(SEED, 1n << 64n, HONEST.y, HONEST.proof))).toBe("VDF_ITERATIONS_INVALID");
    expect(resultCode(vdfVerify(SEED, 0n, new Uint8Array(1), new Uint8Array(1)))).toBe(
      "VDF_ITERATIONS_INVALID",
    );
    // the largest admissible T is accepted by the range check and fails only the proof equation
    expect(resultCode(vdfVerify(SEED, (1n << 64n) - 1n, HONEST.y, HONEST.proof))).toBe("VDF_PROOF_INVALID");
  });

  // @covers VDF-ITERATIONS.1
  it("the presets' iteration counts are admissible", () => {
    for (const t of [MINIMAL.vdfIterations, MAINNET.vdfIterations])
      expect(t >= 1n && t < 1n << 64n).toBe(true);
  });
});
