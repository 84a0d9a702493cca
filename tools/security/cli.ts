import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { MAINNET } from "../../reference/params/presets.ts";
import {
  blockingSeats,
  fractionToNumber,
  monteCarlo,
  oneShardProbability,
  ruleOfThree,
  someShardProbability,
  unionBound,
  wilsonInterval,
} from "./assignment.ts";
import { scientific } from "./hypergeometric.ts";

/*
 * `npm run security`: the table of spec §10.9. For each shard size and adversary fraction, the probability
 * that some shard gets at least a third of its seats from the adversary in one epoch's fresh assignment:
 * exact, union bound, and Monte Carlo over the reference's ASSIGN-FRESH. Writes bench/results/security.json.
 */

const USAGE = "usage: npm run security [-- --shards K] [--trials N] [--seed TEXT]";
const SIZES = [50, 100, 200, 300, 400, 500, 600];
const FRACTIONS = [
  { name: "1/4", numerator: 1, denominator: 4 },
  { name: "1/3", numerator: 1, denominator: 3 },
];

const { values } = parseArgs({
  options: {
    shards: { type: "string", default: "4" },
    trials: { type: "string", default: "2000" },
    seed: { type: "string", default: "harmony-spec security table" },
  },
});
const shards = Number(values.shards);
const trials = Number(values.trials);
if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(trials) || trials < 1) {
  console.error(USAGE);
  process.exit(2);
}
const seed = new TextEncoder().encode(values.seed);

const rows: Record<string, unknown>[] = [];
console.log(
  `# some shard gets ≥ 1/3 Byzantine seats: ${shards} shards, Monte Carlo ${trials} trials of ASSIGN-FRESH per size`,
);
console.log("seats/shard  adversary  ≥ seats    exact     union bound  Monte Carlo (95% interval)");
const started = Date.now();
for (const seatsPerShard of SIZES) {
  const byzantineCounts = FRACTIONS.map((f) =>
    Math.floor((shards * seatsPerShard * f.numerator) / f.denominator),
  );
  const simulated = monteCarlo(shards, seatsPerShard, byzantineCounts, trials, seed, MAINNET);
  FRACTIONS.forEach((fraction, q) => {
    const network = { shards, seatsPerShard, byzantine: byzantineCounts[q]! };
    const exact = someShardProbability(network);
    const union = unionBound(network);
    const hits = simulated.hits[q]!;
    const interval = wilsonInterval(hits, trials, 1.96);
    const upper = hits === 0 ? ruleOfThree(trials) : interval.high;
    const observed =
      hits === 0
        ? `0/${trials} (< ${upper.toExponential(1)}, rule of three)`
        : `${(hits / trials).toExponential(2)} (${interval.low.toExponential(1)}–${interval.high.toExponential(1)})`;
    console.log(
      `${String(seatsPerShard).padStart(11)}  ${fraction.name.padStart(9)}  ${String(blockingSeats(network)).padStart(7)}  ${scientific(exact).padStart(9)}  ${scientific(union).padStart(11)}  ${observed}`,
    );
    rows.push({
      seatsPerShard,
      adversary: fraction.name,
      byzantineSeats: network.byzantine,
      totalSeats: shards * seatsPerShard,
      blockingSeats: blockingSeats(network),
      oneShard: fractionToNumber(oneShardProbability(network)),
      exact: fractionToNumber(exact),
      exactScientific: scientific(exact),
      unionBound: fractionToNumber(union),
      monteCarlo: { trials, hits, estimate: hits / trials, low: interval.low, high: upper },
    });
  });
}
const seconds = (Date.now() - started) / 1000;
console.log(`(${seconds.toFixed(1)} s)`);

const resultsDir = fileURLToPath(new URL("../../bench/results", import.meta.url));
mkdirSync(resultsDir, { recursive: true });
const file = join(resultsDir, "security.json");
const machine = { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length };
writeFileSync(
  file,
  `${JSON.stringify(
    {
      suite: "security",
      description:
        "probability that some shard gets ≥ 1/3 Byzantine seats in a fresh assignment (spec §10.9): exact, union bound, Monte Carlo",
      at: new Date().toISOString(),
      machine,
      shards,
      trials,
      seed: values.seed,
      seconds,
      rows,
    },
    null,
    2,
  )}\n`,
);
console.log(`→ ${file}`);
