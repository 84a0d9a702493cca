import { fileURLToPath } from "node:url";
import { checkTraceability, formatCoverageTable } from "./check.ts";
import { scanRepository } from "./scan.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const report = checkTraceability(scanRepository(root));
console.log(formatCoverageTable(report.chapters));
if (report.problems.length > 0) {
  console.error(`\ntraceability: ${report.problems.length} problem(s)`);
  for (const problem of report.problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log("\ntraceability: every rule is implemented and covered");
