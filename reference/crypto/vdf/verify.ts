import { attempt, type Result, SpecError } from "../../errors.ts";
import { decodeElement, doublePowMod, powMod, sameClass } from "./group.ts";
import { vdfHashToGroup } from "./hashToGroup.ts";
import { vdfHashToPrime } from "./hashToPrime.ts";
import { checkIterations } from "./iterations.ts";
import { vdfOutput } from "./output.ts";

/**
 * Verifies a claimed VDF result (VDF-VERIFY L1–L9): `y` and `proof` are 256-byte canonical encodings.
 * Returns the 32-byte output on success, or exactly one SpecError.
 *
 * @spec VDF-VERIFY.1
 */
export function vdfVerify(
  seed: Uint8Array,
  iterations: bigint,
  y: Uint8Array,
  proof: Uint8Array,
): Result<Uint8Array> {
  return attempt(() => {
    // VDF-VERIFY L1
    checkIterations(iterations);
    // VDF-VERIFY L2–L3
    const yValue = decodeElement(y, "y");
    const proofValue = decodeElement(proof, "proof");
    // VDF-VERIFY L4
    const x = vdfHashToGroup(seed);
    // VDF-VERIFY L5
    const prime = vdfHashToPrime(iterations, x, yValue);
    // VDF-VERIFY L6
    const r = powMod(2n, iterations, prime);
    // VDF-VERIFY L7
    const w = doublePowMod(proofValue, prime, x, r);
    // VDF-VERIFY L8
    if (!sameClass(w, yValue)) {
      throw new SpecError("VDF_PROOF_INVALID", "π^ℓ · x^r ≠ ±y (mod N)");
    }
    // VDF-VERIFY L9
    return vdfOutput(yValue);
  });
}
