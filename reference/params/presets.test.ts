import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PRESETS, type Preset } from "./presets.ts";

const overview = readFileSync(fileURLToPath(new URL("../../spec/00-overview.md", import.meta.url)), "utf8");

function specTable(): Map<string, { minimal: string; mainnet: string }> {
  const rows = new Map<string, { minimal: string; mainnet: string }>();
  const section = overview.slice(overview.indexOf("## 0.7 Presets"), overview.indexOf("## 0.8"));
  for (const line of section.split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const field = /^`(\w+)`$/.exec(cells[2] ?? "");
    if (field) rows.set(field[1]!, { minimal: cells[3]!, mainnet: cells[4]! });
  }
  return rows;
}

describe("presets", () => {
  // @covers PARAM-PRESETS.1
  it("the spec's parameter table lists every preset field with the same values", () => {
    const table = specTable();
    const fields = Object.keys(PRESETS.minimal).filter((f) => f !== "name");
    expect([...table.keys()].sort()).toEqual(fields.sort());
    for (const field of fields) {
      for (const name of ["minimal", "mainnet"] as const) {
        expect(`${name}.${field}=${table.get(field)![name]}`).toBe(
          `${name}.${field}=${String(PRESETS[name][field as keyof Preset])}`,
        );
      }
    }
  });

  it("presets carry their own name and have the same fields", () => {
    for (const [name, preset] of Object.entries(PRESETS)) expect(preset.name).toBe(name);
    expect(Object.keys(PRESETS.mainnet).sort()).toEqual(Object.keys(PRESETS.minimal).sort());
  });
});
