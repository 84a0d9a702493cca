import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoRunner } from "../testing/demoRunner.ts";
import { buildVectors, stableJson } from "../vectors/build.ts";
import { referenceTarget } from "./referenceTarget.ts";
import { canonicalJson, runVectors } from "./run.ts";
import type { Json, ScriptOutcome, Target } from "./types.ts";

function writeVectorSet(mutate?: (files: Map<string, string>) => void): string {
  const files = buildVectors([demoRunner], "0.0.0");
  mutate?.(files);
  const dir = mkdtempSync(join(tmpdir(), "vectors-"));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

const options = { knownRunners: ["demo"] };

describe("conformance runner", () => {
  it("passes every vector against the reference that generated them", async () => {
    const report = await runVectors(writeVectorSet(), referenceTarget([demoRunner]), options);
    expect(report.problems).toEqual([]);
    expect(report.runners).toMatchObject([{ runner: "demo", pass: 10, fail: 0, skipped: 0 }]);
  });

  it("fails a target whose result differs or whose error code differs", async () => {
    const lying: Target = {
      name: "lying",
      async execute(_runner, _handler, input: Json) {
        const n = (input as { n: string }).n;
        return n === "4" ? { kind: "result", post: "9" } : { kind: "error", code: "SOMETHING_ELSE" };
      },
    };
    const report = await runVectors(writeVectorSet(), lying, options);
    expect(report.runners[0]).toMatchObject({ pass: 0, fail: 8, skipped: 2 });
    expect(report.runners[0]!.failures.map((f) => f.reason)).toContain(
      'result differs: expected "8", got "9"',
    );
  });

  it("reports a handler the target lacks as skipped, with its reason", async () => {
    const partial: Target = {
      name: "partial",
      execute: async () => ({ kind: "unsupported", reason: "not built" }),
    };
    const report = await runVectors(writeVectorSet(), partial, options);
    expect(report.runners[0]).toMatchObject({ pass: 0, fail: 0, skipped: 10 });
    expect(report.runners[0]!.skips.map((s) => s.reason)).toContain("not built");
    expect(report.runners[0]!.skips.map((s) => s.reason)).toContain(
      "target partial does not run event scripts",
    );
  });

  it("fails on a file that does not match the manifest", async () => {
    const dir = writeVectorSet((files) => {
      const path = "minimal/demo/double_even/four.json";
      files.set(path, files.get(path)!.replace('"8"', '"10"'));
    });
    const report = await runVectors(dir, referenceTarget([demoRunner]), options);
    expect(report.problems).toEqual([
      "minimal/demo/double_even/four.json does not match its SHA-256 in manifest.json",
    ]);
  });

  it("fails on a vector naming an unknown runner", async () => {
    const report = await runVectors(writeVectorSet(), referenceTarget([demoRunner]), { knownRunners: [] });
    expect(report.problems).toHaveLength(10);
    expect(report.problems[0]).toMatch(/unknown runner demo/);
  });

  it("hands a stateful handler its state before, and skips a vector that lost it", async () => {
    const path = "minimal/demo/add_to_counter/counter_plus_five.json";
    const seen: (Json | undefined)[] = [];
    const recording: Target = {
      name: "recording",
      async execute(runner, handler, input, preset, pre) {
        if (handler === "add_to_counter") seen.push(pre);
        return referenceTarget([demoRunner]).execute(runner, handler, input, preset, pre);
      },
    };
    expect((await runVectors(writeVectorSet(), recording, options)).runners[0]).toMatchObject({ pass: 8 });
    expect(seen).toEqual([{ counter: "10" }, { counter: "10" }]);
    const dir = writeVectorSet((files) => {
      const vector = JSON.parse(files.get(path)!) as { pre?: Json };
      delete vector.pre;
      files.set(path, stableJson(vector));
    });
    const report = await runVectors(dir, referenceTarget([demoRunner]), options);
    expect(report.runners[0]).toMatchObject({ pass: 9, skipped: 1 });
    expect(report.problems).toEqual([`${path} does not match its SHA-256 in manifest.json`]);
  });

  describe("event scripts", () => {
    const script = "minimal/demo/counter_script/rejected_step_keeps_the_count.json";
    const reference = referenceTarget([demoRunner]);
    /** The reference target with its script results passed through `alter`. */
    const altered = (alter: (outcome: ScriptOutcome) => ScriptOutcome): Target => ({
      ...reference,
      async executeScript(runner, handler, preset, pre, events) {
        return alter(await reference.executeScript!(runner, handler, preset, pre, events));
      },
    });
    const failuresOf = async (target: Target) =>
      (await runVectors(writeVectorSet(), target, options)).runners[0]!.failures.filter(
        (f) => f.file === script,
      ).map((f) => f.reason);

    it("hands the target the whole script and passes it when every step matches", async () => {
      const calls: { pre: Json; events: readonly Json[] }[] = [];
      const recording: Target = {
        ...reference,
        async executeScript(runner, handler, preset, pre, events) {
          calls.push({ pre, events });
          return reference.executeScript!(runner, handler, preset, pre, events);
        },
      };
      expect(await failuresOf(recording)).toEqual([]);
      expect(calls[0]).toEqual({
        pre: { counter: "10" },
        events: [{ subtract: "4" }, { subtract: "7" }, { add: "0" }, { subtract: "6" }],
      });
    });

    it("fails a step whose outputs differ, in value or in order", async () => {
      const swapped = altered((o) =>
        o.kind === "script"
          ? { ...o, steps: o.steps.map((s, i) => (i === 3 ? { kind: "result", outputs: ["1", "0"] } : s)) }
          : o,
      );
      expect(await failuresOf(swapped)).toEqual(['step 3: result differs: expected ["0"], got ["1","0"]']);
    });

    it("fails a target that does not keep the state of a rejected step", async () => {
      // A target that applies the rejected subtraction anyway reaches −1 and rejects the last step.
      const leaky = altered((o) =>
        o.kind === "script"
          ? {
              ...o,
              steps: o.steps.map((s, i) => (i === 3 ? { kind: "error", code: "DEMO_NEGATIVE" } : s)),
            }
          : o,
      );
      expect(await failuresOf(leaky)).toEqual(["step 3: expected a result, got error DEMO_NEGATIVE"]);
    });

    it("fails a rejected step with another code, missing steps, other start outputs, or a refused pre", async () => {
      const cases: [(o: ScriptOutcome) => ScriptOutcome, string][] = [
        [
          (o) =>
            o.kind === "script"
              ? { ...o, steps: o.steps.map((s, i) => (i === 1 ? { kind: "error", code: "DEMO_OTHER" } : s)) }
              : o,
          "step 1: expected error DEMO_NEGATIVE, got DEMO_OTHER",
        ],
        [
          (o) => (o.kind === "script" ? { ...o, steps: o.steps.slice(0, 3) } : o),
          "expected 4 step results, got 3",
        ],
        [
          (o) => (o.kind === "script" ? { ...o, startOutputs: [] } : o),
          'startOutputs: result differs: expected ["10"], got []',
        ],
        [() => ({ kind: "error", code: "JSON_SCHEMA" }), "pre: expected it to load, got error JSON_SCHEMA"],
      ];
      for (const [alter, reason] of cases) expect(await failuresOf(altered(alter))).toEqual([reason]);
    });
  });

  it("compares results by meaning, not key order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe(
      canonicalJson({ a: [2, { c: 4, d: 3 }], b: 1 }),
    );
    expect(stableJson({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});
