import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { listFiles } from "../trace/scan.ts";
import { findPurityViolations } from "./scan.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));

describe("reference purity", () => {
  it("no file under reference/ imports node: modules, reads the clock, uses timers or Math.random", () => {
    const files = listFiles(join(root, "reference"), (p) => p.endsWith(".ts") && !p.endsWith(".test.ts"));
    expect(files.length).toBeGreaterThan(0);
    const violations = files.flatMap((path) =>
      findPurityViolations(relative(root, path), readFileSync(path, "utf8")),
    );
    expect(violations).toEqual([]);
  });

  it("the scanner finds each kind of violation and ignores comments", () => {
    const source = [
      'import { readFileSync } from "node:fs";',
      'import { randomBytes } from "crypto";',
      "const now = Date.now();",
      "setTimeout(() => {}, 1);",
      "const r = Math.random();",
      "let counter = 0;",
      "const t = performance.now();",
      "// Math.random in a comment is fine",
      "/* Date in a block",
      "   comment is fine */",
      "const x = process.env.HOME;",
    ].join("\n");
    expect(findPurityViolations("x.ts", source).map((v) => [v.line, v.why])).toEqual([
      [1, "imports a node: module"],
      [2, "imports a Node built-in"],
      [2, "draws ambient randomness"],
      [3, "reads the clock (Date)"],
      [4, "uses a timer"],
      [5, "uses Math.random"],
      [6, "declares module-level mutable state"],
      [7, "reads the clock (performance)"],
      [11, "reads the process environment"],
    ]);
  });
});
