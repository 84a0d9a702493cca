import { sha256 } from "@noble/hashes/sha2.js";
import { attempt, type Result, SpecError } from "../errors.ts";
import type { BlsBackend } from "./bls/backend.ts";
import { nobleBls } from "./bls/noble.ts";

/** A VRF evaluation: the 32-byte output β and the 96-byte proof π. */
export interface VrfEvaluation {
  readonly output: Uint8Array;
  readonly proof: Uint8Array;
}

/**
 * BLS-based VRF evaluation as on mainnet: π = Sign(SK, sha256(seed)) with the signature ciphersuite of this
 * chapter, β = sha256(π).
 *
 * @spec VRF-EVALUATE.1
 */
export function vrfEvaluate(
  secretKey: Uint8Array,
  seed: Uint8Array,
  bls: BlsBackend = nobleBls,
): Result<VrfEvaluation> {
  return attempt(() => {
    const digest = sha256(seed); // VRF-EVALUATE L1
    const proof = bls.sign(secretKey, digest); // VRF-EVALUATE L2
    if (!proof.ok) throw proof.error;
    return { output: sha256(proof.value), proof: proof.value }; // VRF-EVALUATE L3
  });
}

/**
 * Verifies a VRF proof and returns its output: Verify(PK, sha256(seed), π), then β = sha256(π).
 *
 * @spec VRF-VERIFY.1
 */
export function vrfVerify(
  publicKey: Uint8Array,
  seed: Uint8Array,
  proof: Uint8Array,
  bls: BlsBackend = nobleBls,
): Result<Uint8Array> {
  return attempt(() => {
    const digest = sha256(seed); // VRF-VERIFY L1
    const verdict = bls.verify(publicKey, digest, proof); // VRF-VERIFY L2
    if (!verdict.ok) throw verdict.error;
    if (!verdict.value)
      throw new SpecError("VRF_PROOF_INVALID", "the proof is not a valid signature on sha256(seed)"); // VRF-VERIFY L3
    return sha256(proof); // VRF-VERIFY L4
  });
}
