import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PRESETS } from "../../../reference/params/presets.ts";
import { resultCode } from "../../testing/specErrors.ts";
import { executeHandler } from "../execute.ts";
import type { RunnerDef } from "../types.ts";
import { vdfCases, vdfHandlers } from "./crypto-vdf.ts";

const runner: RunnerDef = {
  name: "crypto",
  description: "VDF handlers",
  handlers: vdfHandlers,
  cases: vdfCases,
};

const chapter = readFileSync(fileURLToPath(new URL("../../../spec/03-vdf.md", import.meta.url)), "utf8");
const chapterCodes = [
  ...chapter.slice(chapter.indexOf("## Error codes")).matchAll(/^\| `([A-Z0-9_]+)`\s*\|/gm),
].map((m) => m[1]!);

describe("crypto-vdf conformance cases", () => {
  for (const preset of Object.values(PRESETS)) {
    describe(`preset ${preset.name}`, () => {
      const cases = vdfCases(preset);

      // @covers VDF-VERIFY.1 VDF-EVALUATE.1 VDF-HASH-TO-GROUP.1 VDF-HASH-TO-PRIME.1 VDF-PRIMALITY.1
      it("every case behaves as it declares: valid cases pass, invalid cases raise their code", () => {
        for (const def of cases) {
          const outcome = executeHandler(runner, def.handler, def.input, preset);
          if (def.expectedError === undefined) {
            expect(outcome.ok, `${def.handler}/${def.name}`).toBe(true);
          } else {
            expect(resultCode(outcome), `${def.handler}/${def.name}`).toBe(def.expectedError);
          }
        }
      });

      it("has a valid vdf_verify case at the preset's own iteration count", () => {
        const atPreset = cases.filter(
          (c) =>
            c.handler === "vdf_verify" &&
            c.expectedError === undefined &&
            (c.input as { iterations: string }).iterations === preset.vdfIterations.toString(10),
        );
        expect(atPreset.length).toBeGreaterThan(0);
      });

      it("raises every error code of spec/03-vdf.md in some vdf_verify case, and names unique cases", () => {
        const raised = new Set(cases.filter((c) => c.handler === "vdf_verify").map((c) => c.expectedError));
        for (const code of chapterCodes) expect(raised.has(code), code).toBe(true);
        const keys = cases.map((c) => `${c.handler}/${c.name}`);
        expect(new Set(keys).size).toBe(keys.length);
        for (const c of cases) expect(Object.keys(vdfHandlers)).toContain(c.handler);
      });
    });
  }

  it("the chapter lists exactly five VDF error codes", () => {
    expect(chapterCodes.sort()).toEqual([
      "VDF_ELEMENT_NOT_CANONICAL",
      "VDF_ELEMENT_OUT_OF_RANGE",
      "VDF_ENCODING_LENGTH",
      "VDF_ITERATIONS_INVALID",
      "VDF_PROOF_INVALID",
    ]);
  });

  it("vdf_is_prime answers match the independent classification in the primality tests", () => {
    const expected: Record<string, boolean> = {
      zero: false,
      one: false,
      two: true,
      four: false,
      carmichael_561: false,
      spsp2_2047: false,
      slpsp_5459: false,
      slpsp_5777: false,
      largest_trial_prime: true,
      square_of_trial_prime: false,
      first_prime_above_trial_bound: true,
      spsp2_3215031751: false,
      psi9: false,
      psi12: false,
      psi13: false,
      mersenne_127: true,
      mersenne_127_squared: false,
      curve25519_field: true,
      fermat_f7: false,
      two_pow_256_minus_one: false,
      mersenne_521: true,
    };
    const cases = vdfCases(PRESETS.minimal).filter((c) => c.handler === "vdf_is_prime" && !c.expectedError);
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(expected).sort());
    for (const def of cases) {
      const outcome = executeHandler(runner, def.handler, def.input, PRESETS.minimal);
      expect(outcome.ok && (outcome.value as { prime: boolean }).prime, def.name).toBe(expected[def.name]);
    }
  });
});
