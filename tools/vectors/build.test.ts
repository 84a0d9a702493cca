import { describe, expect, it } from "vitest";
import type { CaseDef, Json, RunnerDef, ScriptStepDef } from "../conformance/types.ts";
import { demoRunner } from "../testing/demoRunner.ts";
import { buildVectors, sha256Hex } from "./build.ts";

/** The demo runner with its cases replaced by one case of `double_even`. */
function withOneCase(c: Pick<CaseDef, "name" | "input" | "expectedError">): RunnerDef {
  return {
    ...demoRunner,
    cases: () => [{ handler: "double_even", description: "d", tags: ["SPEC-ERRORS.1"], ...c }],
  };
}

describe("vector generator", () => {
  it("is deterministic: two builds are byte-identical", () => {
    const first = buildVectors([demoRunner], "0.0.0");
    const second = buildVectors([demoRunner], "0.0.0");
    expect([...first.entries()]).toEqual([...second.entries()]);
  });

  it("writes one file per case and preset, a manifest of their hashes, and schemas", () => {
    const files = buildVectors([demoRunner], "0.0.0");
    expect(files.get("minimal/demo/double_even/four.json")).toBeDefined();
    expect(JSON.parse(files.get("mainnet/demo/double_even/odd.json")!)).toMatchObject({
      meta: { runner: "demo", handler: "double_even", case: "odd", preset: "mainnet" },
      input: { n: "3" },
      expectedError: "DEMO_ODD",
    });
    expect(JSON.parse(files.get("minimal/demo/double_even/four.json")!).post).toBe("8");
    const manifest = JSON.parse(files.get("manifest.json")!) as { files: Record<string, string> };
    const listed = Object.keys(manifest.files);
    expect(listed).toEqual([...files.keys()].filter((p) => p.endsWith(".json") && p !== "manifest.json"));
    expect(files.get("RUNNERS.md")).toContain(
      "| `demo` | `double_even` | returns 2n for an even n | 2 | 4 |",
    );
    for (const path of listed) expect(manifest.files[path]).toBe(sha256Hex(files.get(path)!));
    const inputSchema = JSON.parse(files.get("schema/demo/double_even.input.schema.json")!);
    expect(inputSchema.properties.n.type).toBe("string");
    expect(JSON.parse(files.get("minimal/demo/add_to_counter/counter_plus_five.json")!)).toMatchObject({
      pre: { counter: "10" },
      input: { n: "5" },
      post: "15",
    });
    const preSchema = JSON.parse(files.get("schema/demo/add_to_counter.pre.schema.json")!);
    expect(preSchema.properties.counter.type).toBe("string");
    expect(files.has("schema/demo/double_even.pre.schema.json")).toBe(false);
  });

  it("refuses a valid case that the reference rejects", () => {
    const broken = withOneCase({ name: "odd", input: { n: "3" } });
    expect(() => buildVectors([broken], "0.0.0")).toThrow(/should pass: DEMO_ODD/);
  });

  it("refuses a case whose state before does not match its handler", () => {
    const missing: RunnerDef = {
      ...demoRunner,
      cases: () => [
        {
          handler: "add_to_counter",
          name: "x",
          description: "d",
          tags: ["SPEC-ERRORS.1"],
          input: { n: "1" },
        },
      ],
    };
    expect(() => buildVectors([missing], "0.0.0")).toThrow(/`pre` must be given exactly when/);
    const extra = withOneCase({ name: "x", input: { n: "2" } });
    const withExtraPre: RunnerDef = {
      ...extra,
      cases: (p) => extra.cases(p).map((c) => ({ ...c, pre: { counter: "1" } })),
    };
    expect(() => buildVectors([withExtraPre], "0.0.0")).toThrow(/`pre` must be given exactly when/);
  });

  it("writes a script vector: pre, the outputs of loading it, and each step's outputs or expected error", () => {
    const files = buildVectors([demoRunner], "0.0.0");
    expect(JSON.parse(files.get("mainnet/demo/counter_script/rejected_step_keeps_the_count.json")!)).toEqual({
      meta: {
        runner: "demo",
        handler: "counter_script",
        case: "rejected_step_keeps_the_count",
        preset: "mainnet",
        description: expect.any(String),
        tags: ["SPEC-ERRORS.1"],
      },
      pre: { counter: "10" },
      startOutputs: ["10"],
      steps: [
        { event: { subtract: "4" }, outputs: ["6"] },
        { event: { subtract: "7" }, expectedError: "DEMO_NEGATIVE" },
        { event: { add: "0" }, outputs: [] },
        { event: { subtract: "6" }, outputs: ["0"] },
      ],
    });
    for (const form of ["pre", "event", "output"])
      expect(files.has(`schema/demo/counter_script.${form}.schema.json`), form).toBe(true);
    const event = JSON.parse(files.get("schema/demo/counter_script.event.schema.json")!);
    expect(event.anyOf.map((o: { required: string[] }) => o.required)).toEqual([["add"], ["subtract"]]);
    expect(files.get("RUNNERS.md")).toContain("| `demo` | `counter_script` |");
  });

  it("refuses a script step that does not behave as declared, a pre that does not load, a name clash", () => {
    const withSteps = (steps: ScriptStepDef[], pre: Json = { counter: "1" }): RunnerDef => ({
      ...demoRunner,
      scriptCases: () => [
        { handler: "counter_script", name: "x", description: "d", tags: ["SPEC-ERRORS.1"], pre, steps },
      ],
    });
    expect(() => buildVectors([withSteps([{ event: { subtract: "2" } }])], "0.0.0")).toThrow(
      /step 0 should pass: DEMO_NEGATIVE/,
    );
    expect(() =>
      buildVectors([withSteps([{ event: { add: "2" }, expectedError: "DEMO_NEGATIVE" }])], "0.0.0"),
    ).toThrow(/step 0 should fail with DEMO_NEGATIVE/);
    expect(() =>
      buildVectors([withSteps([{ event: { subtract: "2" }, expectedError: "DEMO_OTHER" }])], "0.0.0"),
    ).toThrow(/step 0: expected DEMO_OTHER, got DEMO_NEGATIVE/);
    expect(() => buildVectors([withSteps([{ event: { add: "1" } }], { counter: "-1" })], "0.0.0")).toThrow(
      /pre should load: JSON_DECIMAL_MALFORMED/,
    );
    const clash: RunnerDef = {
      ...demoRunner,
      scripts: { double_even: demoRunner.scripts!.counter_script! },
      scriptCases: () => [],
    };
    expect(() => buildVectors([clash], "0.0.0")).toThrow(/double_even is both a handler and a script/);
  });

  it("refuses an invalid case that raises another code, or none", () => {
    const wrongCode = withOneCase({ name: "x", input: { n: "3" }, expectedError: "DEMO_OTHER" });
    expect(() => buildVectors([wrongCode], "0.0.0")).toThrow(/expected DEMO_OTHER, got DEMO_ODD/);
    const noError = withOneCase({ name: "x", input: { n: "2" }, expectedError: "DEMO_ODD" });
    expect(() => buildVectors([noError], "0.0.0")).toThrow(/should fail with DEMO_ODD/);
  });
});
