import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runScenario } from "./harness.ts";
import {
  expectationOf,
  loadRegressions,
  type RegressionDraft,
  runOptionsOf,
  saveRegression,
} from "./regressions.ts";

/*
 * Every counterexample the suites found, replayed from regressions/*.json: the same scenario must show the
 * same outcome (the violated property, the forked height and the convicted members).
 */

const regressions = loadRegressions();

describe("consensus regression vectors", () => {
  it("has the vectors the suites produced", () => {
    expect(regressions.map((regression) => regression.name)).toEqual(
      expect.arrayContaining([
        "n4f2-equivocation-fork",
        "forged-announce-one-member",
        "forged-announce-two-heights",
        "restart-beyond-height-window",
      ]),
    );
  });

  for (const regression of regressions) {
    // @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 EVIDENCE-VERIFY.1 FBFT-PAYLOADS.1 FBFT-FINALIZE.2
    it(`${regression.name} replays as recorded`, () => {
      const outcome = runScenario(regression.scenario, regression.sizes, runOptionsOf(regression));
      expect(expectationOf(outcome)).toEqual(regression.expect);
    });
  }

  it("saving replays the draft and writes a file that loads back", () => {
    const dir = mkdtempSync(join(tmpdir(), "consensus-regressions-"));
    try {
      const draft: RegressionDraft = {
        name: "round-trip",
        description: "n4f1 with a silent member and no adversary commands",
        covers: [],
        origin: {
          test: "properties/consensus/regressions.test.ts",
          fastCheckSeed: null,
          fastCheckPath: null,
        },
        sizes: { gstMs: 0, blocksAfterGst: 1 },
        run: { safety: ["agreement"], liveness: true, honestRule: null, budgetMs: null },
        scenario: {
          configuration: "n4f1",
          seed: 1,
          byzantine: [{ identity: 2, adversary: { kind: "silent" } }],
          commands: [],
        },
      };
      const saved = saveRegression(draft, dir);
      expect(saved.expect).toEqual({ violation: null, fork: null });
      expect(loadRegressions(dir)).toEqual([saved]);
      expect(readFileSync(join(dir, "round-trip.json"), "utf8")).toMatch(/^\{\n {2}"name": "round-trip",/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
