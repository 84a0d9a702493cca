import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { SUITES } from "./suites/index.ts";

const USAGE = "usage: npm run bench [-- --suite NAME]";
const resultsDir = fileURLToPath(new URL("./results", import.meta.url));

const { values } = parseArgs({ options: { suite: { type: "string" } } });
const selected = values.suite === undefined ? SUITES : SUITES.filter((s) => s.name === values.suite);
if (selected.length === 0) {
  console.error(
    `bench: no suite named ${values.suite} (known: ${SUITES.map((s) => s.name).join(", ")})\n${USAGE}`,
  );
  process.exit(2);
}

const machine = { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length };
let failed = 0;
mkdirSync(resultsDir, { recursive: true });
for (const suite of selected) {
  console.log(`\n# ${suite.name}: ${suite.description}`);
  const result = await suite.run();
  for (const m of result.measurements) {
    console.log(`  ${m.label.padEnd(48)} ${formatDuration(m.meanMs).padStart(12)}  (${m.iterations} runs)`);
  }
  for (const r of result.ratios) {
    const verdict = r.pass === undefined ? "" : r.pass ? `  ok (≥ ${r.atLeast})` : `  FAIL (< ${r.atLeast})`;
    if (r.pass === false) failed++;
    console.log(`  ratio ${r.name}: ${r.value.toFixed(1)}×${verdict}`);
  }
  for (const [name, value] of Object.entries(result.figures ?? {})) {
    console.log(`  ${name}: ${Number.isInteger(value) ? value : value.toFixed(1)}`);
  }
  for (const c of result.checks) {
    if (!c.pass) failed++;
    console.log(`  check ${c.name}: ${c.pass ? "ok" : "FAIL"} ${c.detail}`);
  }
  const file = join(resultsDir, `${suite.name}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ suite: suite.name, description: suite.description, at: new Date().toISOString(), machine, ...result }, null, 2)}\n`,
  );
  console.log(`  → ${file}`);
}
if (failed > 0) {
  console.error(`\nbench: ${failed} ratio(s) or check(s) failed`);
  process.exit(1);
}

function formatDuration(ms: number): string {
  if (ms >= 1) return `${ms.toFixed(3)} ms`;
  if (ms >= 0.001) return `${(ms * 1000).toFixed(3)} µs`;
  return `${(ms * 1e6).toFixed(1)} ns`;
}
