import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { vdfEvaluate } from "../crypto/vdf/evaluate.ts";
import { VDF_HALF_MODULUS } from "../crypto/vdf/params.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { buildRevealField, checkRevealField } from "./reveal.ts";

// A tiny T keeps the tests fast; the rule reads T from the preset.
const FAST: Preset = { ...MINIMAL, vdfIterations: 16n };
const PRND = new Uint8Array(32).fill(0x42);

function encode256(value: bigint): Uint8Array {
  const out = new Uint8Array(256);
  let rest = value;
  for (let i = 255; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

describe("DRG-REVEAL-BUILD", () => {
  // @covers DRG-REVEAL-BUILD.1
  it("is y ‖ π of VDF-EVALUATE(pRnd, T) with the preset's T", () => {
    const evaluation = unwrap(vdfEvaluate(PRND, 16n));
    expect(unwrap(buildRevealField(PRND, FAST))).toEqual(
      new Uint8Array([...evaluation.y, ...evaluation.proof]),
    );
  });
});

describe("DRG-REVEAL-CHECK", () => {
  const reveal = unwrap(buildRevealField(PRND, FAST));

  // @covers DRG-REVEAL-CHECK.1
  it("returns Rnd, the VDF output of pRnd", () => {
    expect(unwrap(checkRevealField(reveal, PRND, FAST))).toEqual(unwrap(vdfEvaluate(PRND, 16n)).output);
    const minimal = unwrap(buildRevealField(PRND, MINIMAL));
    expect(unwrap(checkRevealField(minimal, PRND, MINIMAL))).toEqual(unwrap(vdfEvaluate(PRND, 1024n)).output);
  });

  // @covers DRG-REVEAL-CHECK.1
  it("rejects a wrong length, a wrong proof, another pRnd, another T and a non-canonical element", () => {
    const code = (vdf: Uint8Array, pRnd = PRND, preset = FAST) =>
      resultCode(checkRevealField(vdf, pRnd, preset));
    expect(code(new Uint8Array(0))).toBe("DRG_REVEAL_MALFORMED");
    expect(code(reveal.subarray(1))).toBe("DRG_REVEAL_MALFORMED");
    expect(code(new Uint8Array([...reveal, 0]))).toBe("DRG_REVEAL_MALFORMED");
    const swapped = new Uint8Array([...reveal.subarray(256), ...reveal.subarray(0, 256)]);
    expect(code(swapped)).toBe("VDF_PROOF_INVALID");
    expect(code(reveal, new Uint8Array(32).fill(0x43))).toBe("VDF_PROOF_INVALID");
    expect(code(reveal, PRND, { ...FAST, vdfIterations: 17n })).toBe("VDF_PROOF_INVALID");
    const notCanonical = new Uint8Array([...encode256(VDF_HALF_MODULUS + 1n), ...reveal.subarray(256)]);
    expect(code(notCanonical)).toBe("VDF_ELEMENT_NOT_CANONICAL");
  });
});
