import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { demoRunner } from "../testing/demoRunner.ts";
import { buildVectors, stableJson } from "../vectors/build.ts";
import { referenceTarget } from "./referenceTarget.ts";
import { canonicalJson, runVectors } from "./run.ts";
import type { Json, Target } from "./types.ts";

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
    expect(report.runners).toMatchObject([{ runner: "demo", pass: 8, fail: 0, skipped: 0 }]);
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
    expect(report.runners[0]).toMatchObject({ pass: 0, fail: 8 });
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
    expect(report.runners[0]).toMatchObject({ pass: 0, fail: 0, skipped: 8 });
    expect(report.runners[0]!.skips[0]!.reason).toBe("not built");
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
    expect(report.problems).toHaveLength(8);
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
    expect(report.runners[0]).toMatchObject({ pass: 7, skipped: 1 });
    expect(report.problems).toEqual([`${path} does not match its SHA-256 in manifest.json`]);
  });

  it("compares results by meaning, not key order", () => {
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: 4 }] })).toBe(
      canonicalJson({ a: [2, { c: 4, d: 3 }], b: 1 }),
    );
    expect(stableJson({ a: 1 })).toBe('{\n  "a": 1\n}\n');
  });
});
