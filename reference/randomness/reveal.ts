import { vdfEvaluate } from "../crypto/vdf/evaluate.ts";
import { VDF_ELEMENT_BYTES } from "../crypto/vdf/params.ts";
import { vdfVerify } from "../crypto/vdf/verify.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";

/*
 * The reveal: the VDF result of pRnd in the `vdf` header field, and the epoch randomness Rnd it yields (§9.5).
 */

/** Bytes of a reveal: y ‖ π, two group elements (VDF-ENCODING.1). */
export const DRG_REVEAL_FIELD_BYTES = 2 * VDF_ELEMENT_BYTES;

/**
 * The reveal an evaluator publishes for pRnd: VDF-EVALUATE(pRnd, T) with the preset's T, as y ‖ π.
 *
 * @spec DRG-REVEAL-BUILD.1
 */
export function buildRevealField(pRnd: Uint8Array, preset: Preset): Result<Uint8Array> {
  return attempt(() => {
    const evaluation = unwrap(vdfEvaluate(pRnd, preset.vdfIterations)); // DRG-REVEAL-BUILD L1
    const field = new Uint8Array(DRG_REVEAL_FIELD_BYTES); // DRG-REVEAL-BUILD L2
    field.set(evaluation.y, 0);
    field.set(evaluation.proof, VDF_ELEMENT_BYTES);
    return field;
  });
}

/**
 * A validator's check of a reveal (DRG-REVEAL-CHECK L1–L3); returns Rnd, the VDF-OUTPUT.1 of the result.
 *
 * @spec DRG-REVEAL-CHECK.1
 */
export function checkRevealField(vdf: Uint8Array, pRnd: Uint8Array, preset: Preset): Result<Uint8Array> {
  return attempt(() => {
    if (vdf.length !== DRG_REVEAL_FIELD_BYTES) {
      throw new SpecError(
        "DRG_REVEAL_MALFORMED",
        `vdf is ${vdf.length} bytes, not ${DRG_REVEAL_FIELD_BYTES}`,
      ); // L1
    }
    const y = vdf.subarray(0, VDF_ELEMENT_BYTES);
    const proof = vdf.subarray(VDF_ELEMENT_BYTES);
    return unwrap(vdfVerify(pRnd, preset.vdfIterations, y, proof)); // DRG-REVEAL-CHECK L2–L3
  });
}
