import { describe, expect, it } from "vitest";
import { checkTraceability } from "./check.ts";
import { type Repository, scanCodeText, scanSpecText, scanTestText } from "./scan.ts";

const SPEC = [
  "# 9. Example",
  "**[EX-FIRST.1]** The first rule.",
  "**[EX-SECOND-RULE.2]** The second rule.",
  "## Error codes",
  "| code | rule | meaning |",
  "| --- | --- | --- |",
  "| `EX_BAD_INPUT` | EX-FIRST.1 | input is bad |",
].join("\n");

function repository(code: string, test: string, spec = SPEC): Repository {
  const scannedCode = scanCodeText("reference/ex.ts", code);
  return {
    spec: scanSpecText("spec/09-example.md", spec),
    implementations: scannedCode.citations,
    raisedCodes: scannedCode.raised,
    tests: scanTestText("reference/ex.test.ts", test),
    vectors: [],
  };
}

const GOOD_CODE = '/** @spec EX-FIRST.1 EX-SECOND-RULE.2 */\nthrow new SpecError("EX_BAD_INPUT", "x");';
const GOOD_TEST = "// @covers EX-FIRST.1, EX-SECOND-RULE.2";

describe("traceability check", () => {
  it("accepts a spec whose rules are all implemented and covered", () => {
    const report = checkTraceability(repository(GOOD_CODE, GOOD_TEST));
    expect(report.problems).toEqual([]);
    expect(report.chapters).toEqual([
      { chapter: "09-example", rules: 2, implemented: 2, tested: 2, inVectors: 0, covered: 2, errorCodes: 1 },
    ]);
  });

  it("finds a rule with no code", () => {
    const report = checkTraceability(repository(GOOD_CODE.replace(" EX-SECOND-RULE.2", ""), GOOD_TEST));
    expect(report.problems).toEqual([expect.stringContaining("rule EX-SECOND-RULE.2")]);
    expect(report.problems[0]).toContain("no code");
  });

  it("finds a rule covered by no test or vector", () => {
    const report = checkTraceability(repository(GOOD_CODE, "// @covers EX-FIRST.1"));
    expect(report.problems).toEqual([
      expect.stringContaining("EX-SECOND-RULE.2 (spec/09-example.md:3) is covered by no"),
    ]);
  });

  it("finds code and tests citing a tag that no chapter defines", () => {
    const report = checkTraceability(
      repository(`${GOOD_CODE}\n/** @spec EX-GHOST.1 */`, `${GOOD_TEST} EX-FIRST.2`),
    );
    expect(report.problems).toEqual([
      "code cites undefined tag EX-GHOST.1 at reference/ex.ts:3",
      "test cites undefined tag EX-FIRST.2 at reference/ex.test.ts:1",
    ]);
  });

  it("finds a duplicate tag", () => {
    const report = checkTraceability(repository(GOOD_CODE, GOOD_TEST, `${SPEC}\n**[EX-FIRST.1]** again`));
    expect(report.problems).toEqual([
      "duplicate tag EX-FIRST.1: spec/09-example.md:2 and spec/09-example.md:8",
    ]);
  });

  it("finds error codes raised but not listed, and listed but never raised", () => {
    const code = GOOD_CODE.replace('"EX_BAD_INPUT"', '"EX_OTHER_CODE"');
    const report = checkTraceability(repository(code, GOOD_TEST));
    expect(report.problems).toEqual([
      "error code EX_OTHER_CODE raised at reference/ex.ts:2 is in no chapter's error table",
      "error code EX_BAD_INPUT listed at spec/09-example.md:7 is raised by no reference code",
    ]);
  });

  it("reads error codes only from the error-code section", () => {
    const spec = `${SPEC}\n## Parameters\n| name | value |\n| \`NOT_AN_ERROR\` | 3 |`;
    expect(scanSpecText("spec/x.md", spec).errorCodes.map((e) => e.code)).toEqual(["EX_BAD_INPUT"]);
  });

  it("reads only bold-bracketed tags as definitions, not mentions in prose", () => {
    const index = scanSpecText("spec/x.md", "See EX-FIRST.1 and [EX-SECOND.1] but **[EX-THIRD.1]** defines.");
    expect(index.rules.map((r) => r.tag)).toEqual(["EX-THIRD.1"]);
  });
});
