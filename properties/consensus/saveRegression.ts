import { readFileSync } from "node:fs";
import { z } from "zod";
import { RegressionSchema, saveRegression } from "./regressions.ts";

/*
 * Saves a counterexample as a regression vector:
 *
 *   npx tsx properties/consensus/saveRegression.ts draft.json      (or - to read standard input)
 *
 * The draft is a regression file without `expect` and `notes` (the suites print one for every counterexample
 * they find); the script replays it, records what the run shows, and writes regressions/<name>.json.
 */

const DraftSchema = RegressionSchema.omit({ expect: true, notes: true });

const source = process.argv[2];
if (source === undefined) {
  console.error("usage: npx tsx properties/consensus/saveRegression.ts <draft.json | ->");
  process.exit(2);
}
const parsed = DraftSchema.safeParse(JSON.parse(readFileSync(source === "-" ? 0 : source, "utf8")));
if (!parsed.success) {
  console.error(z.prettifyError(parsed.error));
  process.exit(2);
}
const regression = saveRegression(parsed.data);
console.log(`saved regressions/${regression.name}.json: ${JSON.stringify(regression.expect)}`);
