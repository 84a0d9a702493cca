import { mkdirSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { PRESETS, type Preset, type PresetName } from "../reference/params/presets.ts";
import { type Fraction, issuance, stakerReturn } from "../reference/rewards/economics.ts";

/*
 * The economics of a preset's block reward (REWARD-ISSUANCE.1): issuance per year, inflation, and the return to
 * stakers for given staked shares of the supply. Every figure is computed exactly and rounded only when printed.
 */

const USAGE = "usage: npm run economics -- [--staked 0.4 ...] [--preset mainnet|minimal]";
const DEFAULT_SHARES = ["0.2", "0.3", "0.4", "0.5", "0.6", "0.8", "1"];
const ONE = 10n ** 18n;

/** A decimal in (0, 1] written like "0.4" or "1", as an exact fraction; null for anything else. */
export function parseShare(text: string): Fraction | null {
  const match = /^(0|1)(?:\.([0-9]{1,18}))?$/.exec(text);
  if (match === null) return null;
  const digits = match[2] ?? "";
  const denominator = 10n ** BigInt(digits.length);
  const numerator = BigInt(match[1]!) * denominator + (digits === "" ? 0n : BigInt(digits));
  if (numerator === 0n || numerator > denominator) return null;
  return { numerator, denominator };
}

/** A fraction as a percentage with `decimals` decimals, rounded to the nearest (halves up). */
export function percent(f: Fraction, decimals = 3): string {
  const scale = 10n ** BigInt(decimals);
  const scaled = (2n * f.numerator * 100n * scale + f.denominator) / (2n * f.denominator);
  const whole = scaled / scale;
  if (decimals === 0) return whole.toString();
  return `${whole}.${(scaled % scale).toString().padStart(decimals, "0")}`;
}

/** An atto amount in ONE with `decimals` decimals, rounded to the nearest. */
function inOne(atto: bigint, decimals = 6): string {
  return percent({ numerator: atto, denominator: 100n * ONE }, decimals);
}

/** Whether a fraction lies in [low, high] basis points (hundredths of a percent), exactly. */
function within(f: Fraction, low: bigint, high: bigint): boolean {
  return f.numerator * 10000n >= low * f.denominator && f.numerator * 10000n <= high * f.denominator;
}

/** The report of one preset for the given staked shares. */
export function economicsReport(preset: Preset, shares: readonly string[]) {
  const figures = issuance(preset);
  const dilution = figures.inflation;
  const rows = shares.map((text) => {
    const share = parseShare(text);
    if (share === null) throw new RangeError(`--staked ${text}: a decimal in (0, 1] is expected`);
    const gross = stakerReturn(preset, share);
    // (1 + r) / (1 + i) − 1 = (r − i) / (1 + i): the growth of a staker's part of the supply.
    const real: Fraction = {
      numerator: gross.numerator * dilution.denominator - dilution.numerator * gross.denominator,
      denominator: gross.denominator * (dilution.denominator + dilution.numerator),
    };
    return { staked: text, share, gross, real };
  });
  return { figures, rows };
}

function main(): void {
  const { values } = parseArgs({
    options: { staked: { type: "string", multiple: true }, preset: { type: "string" } },
  });
  const name = (values.preset ?? "mainnet") as PresetName;
  const preset = PRESETS[name];
  if (preset === undefined) {
    console.error(`economics: no preset named ${values.preset}\n${USAGE}`);
    process.exit(2);
  }
  const shares = values.staked ?? DEFAULT_SHARES;
  let report: ReturnType<typeof economicsReport>;
  try {
    report = economicsReport(preset, shares);
  } catch (error) {
    console.error(`economics: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const { figures, rows } = report;
  console.log(`# economics of the ${preset.name} preset (REWARD-ISSUANCE.1)`);
  console.log(`  block reward                ${inOne(preset.blockReward)} ONE per block`);
  console.log(
    `  blocks per year             ${figures.blocksPerShardPerYear} per shard × ${preset.numShards} shards`,
  );
  console.log(`  issuance per year           ${inOne(figures.annualIssuance)} ONE`);
  console.log(`  supply basis                ${inOne(preset.referenceSupply, 0)} ONE`);
  console.log(`  inflation                   ${percent(figures.inflation)} %`);
  console.log("  staked   return to stakers   after dilution");
  for (const row of rows) {
    console.log(
      `  ${row.staked.padEnd(8)} ${`${percent(row.gross)} %`.padStart(17)}   ${percent(row.real)} %`,
    );
  }
  const atForty = stakerReturn(preset, { numerator: 2n, denominator: 5n });
  const inflationOk = within(figures.inflation, 590n, 610n);
  const fortyOk = within(atForty, 1475n, 1525n);
  const checks = [
    { name: "inflation about 6 %", pass: inflationOk, detail: `${percent(figures.inflation)} %` },
    { name: "return about 15 % at 40 % staked", pass: fortyOk, detail: `${percent(atForty)} %` },
  ];
  for (const c of checks) console.log(`  check ${c.name}: ${c.pass ? "ok" : "FAIL"} ${c.detail}`);
  const toNumber = (f: Fraction) => Number(percent(f, 6));
  const result = {
    suite: "economics",
    description: `issuance, inflation and return to stakers of the ${preset.name} preset (REWARD-ISSUANCE.1)`,
    at: new Date().toISOString(),
    machine: { node: process.version, cpu: cpus()[0]?.model ?? "unknown", cores: cpus().length },
    preset: preset.name,
    measurements: [],
    ratios: [],
    checks,
    figures: {
      blockRewardOne: Number(inOne(preset.blockReward)),
      blocksPerShardPerYear: Number(figures.blocksPerShardPerYear),
      numShards: preset.numShards,
      annualIssuanceOne: Number(inOne(figures.annualIssuance)),
      referenceSupplyOne: Number(inOne(preset.referenceSupply, 0)),
      inflationPercent: toNumber(figures.inflation),
      ...Object.fromEntries(
        rows.flatMap((row) => [
          [`returnPercentAtStaked${row.staked}`, toNumber(row.gross)],
          [`realReturnPercentAtStaked${row.staked}`, toNumber(row.real)],
        ]),
      ),
    },
    exact: {
      blockRewardAtto: preset.blockReward.toString(),
      annualIssuanceAtto: figures.annualIssuance.toString(),
      referenceSupplyAtto: preset.referenceSupply.toString(),
    },
  };
  const dir = fileURLToPath(new URL("./results", import.meta.url));
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `economics-${preset.name}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`  → ${file}`);
  if (checks.some((c) => !c.pass)) process.exit(1);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
