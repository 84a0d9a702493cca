import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityPoint, sampleSecretKey } from "../../tools/testing/blsSamples.ts";
import type { Result } from "../errors.ts";
import { unwrap } from "../errors.ts";
import { blstBls } from "./bls/blst.ts";
import { BLS_SIGNATURE_DST } from "./bls/ciphersuite.ts";
import { nobleBls } from "./bls/noble.ts";
import { vrfEvaluate, vrfVerify } from "./vrf.ts";

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error("expected a rejection");
  return result.error.code;
}

const sk = sampleSecretKey("vrf key");
const pk = unwrap(nobleBls.secretToPublic(sk));
const otherPk = unwrap(nobleBls.secretToPublic(sampleSecretKey("vrf other key")));
const seed = new TextEncoder().encode("previous block hash");

describe("BLS VRF", () => {
  // @covers VRF-EVALUATE.1
  it("π is the BLS signature on sha256(seed) and β = sha256(π) (checked with noble's high-level API)", () => {
    const { output, proof } = unwrap(vrfEvaluate(sk, seed));
    const long = bls12_381.longSignatures;
    const expected = long.Signature.toBytes(long.sign(long.hash(sha256(seed), BLS_SIGNATURE_DST), sk));
    expect(proof).toEqual(expected);
    expect(output).toEqual(sha256(expected));
    expect(unwrap(vrfEvaluate(sk, seed))).toEqual({ output, proof }); // deterministic
    expect(unwrap(vrfEvaluate(sk, seed, blstBls))).toEqual({ output, proof });
    expect(code(vrfEvaluate(new Uint8Array(32), seed))).toBe("BLS_SECRET_KEY_INVALID");
  });

  // @covers VRF-VERIFY.1
  it("verification returns the output, and rejects a tampered proof, another seed or key", () => {
    const { output, proof } = unwrap(vrfEvaluate(sk, seed));
    for (const bls of [nobleBls, blstBls]) {
      expect(unwrap(vrfVerify(pk, seed, proof, bls))).toEqual(output);
      expect(code(vrfVerify(pk, new TextEncoder().encode("another seed"), proof, bls))).toBe(
        "VRF_PROOF_INVALID",
      );
      expect(code(vrfVerify(otherPk, seed, proof, bls))).toBe("VRF_PROOF_INVALID");
      expect(code(vrfVerify(pk, seed, identityPoint("G2"), bls))).toBe("VRF_PROOF_INVALID");
      expect(code(vrfVerify(identityPoint("G1"), seed, proof, bls))).toBe("BLS_PUBKEY_IDENTITY");
      expect(code(vrfVerify(pk, seed, proof.slice(1), bls))).toBe("BLS_POINT_LENGTH");
    }
  });

  // @covers VRF-VERIFY.1
  it("any single flipped bit in the proof is rejected (uniqueness: one valid proof per key and seed)", () => {
    const { proof } = unwrap(vrfEvaluate(sk, seed));
    fc.assert(
      fc.property(fc.nat(96 * 8 - 1), (bit) => {
        const tampered = proof.slice();
        tampered[bit >> 3] = tampered[bit >> 3]! ^ (1 << (bit & 7));
        const result = vrfVerify(pk, seed, tampered);
        expect(result.ok).toBe(false);
      }),
      { numRuns: 15 },
    );
  });
});
