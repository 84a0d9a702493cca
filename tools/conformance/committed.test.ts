import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { referenceTarget } from "./referenceTarget.ts";
import { runVectors } from "./run.ts";
import { RUNNERS } from "./runners/index.ts";

const dir = join(fileURLToPath(new URL("../..", import.meta.url)), "conformance-vectors");

describe("committed conformance vectors", () => {
  it("all pass against the in-process reference, and every runner has vectors in both presets", async () => {
    const report = await runVectors(dir, referenceTarget(RUNNERS), {
      knownRunners: RUNNERS.map((r) => r.name),
    });
    expect(report.problems).toEqual([]);
    for (const runner of report.runners) expect(runner.failures).toEqual([]);
    expect(report.runners.map((r) => r.runner)).toEqual(RUNNERS.map((r) => r.name).sort());
    for (const runner of report.runners) expect(runner.skipped).toBe(0);
  });
});
