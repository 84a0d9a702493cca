import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { listFiles } from "../trace/scan.ts";
import { sha256Hex } from "../vectors/build.ts";
import type { Json, ScriptOutcome, Target, VectorFile } from "./types.ts";
import { VectorFileSchema } from "./vectorFile.ts";

export interface RunnerReport {
  readonly runner: string;
  pass: number;
  fail: number;
  skipped: number;
  readonly failures: { file: string; reason: string }[];
  readonly skips: { file: string; reason: string }[];
}

export interface RunReport {
  readonly runners: RunnerReport[];
  /** Problems with the vector set itself (manifest, unknown runner, unreadable file): each fails the run. */
  readonly problems: string[];
}

export interface RunOptions {
  readonly knownRunners: readonly string[];
  readonly preset?: string;
  readonly runner?: string;
}

/** JSON with object keys sorted, so that two results compare equal exactly when they mean the same. */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k]!)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

function checkManifest(dir: string, files: readonly string[], problems: string[]): void {
  let manifest: { files?: Record<string, string> };
  try {
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as typeof manifest;
  } catch (caught) {
    problems.push(`manifest.json unreadable: ${(caught as Error).message}`);
    return;
  }
  const listed = manifest.files ?? {};
  for (const path of files) {
    const expected = listed[path];
    if (expected === undefined) problems.push(`${path} is not listed in manifest.json`);
    else if (expected !== sha256Hex(readFileSync(join(dir, path), "utf8"))) {
      problems.push(`${path} does not match its SHA-256 in manifest.json`);
    }
  }
  for (const path of Object.keys(listed))
    if (!files.includes(path)) problems.push(`${path} is in manifest.json but missing`);
}

/** Runs every vector under `dir` against `target`; see conformance-vectors/README.md for the rules. */
export async function runVectors(dir: string, target: Target, options: RunOptions): Promise<RunReport> {
  const problems: string[] = [];
  const files = listFiles(dir, (p) => p.endsWith(".json"))
    .map((p) => relative(dir, p))
    .filter((p) => p !== "manifest.json");
  checkManifest(dir, files, problems);
  const reports = new Map<string, RunnerReport>();
  for (const path of files) {
    if (path.startsWith("schema/")) continue;
    let vector: VectorFile;
    try {
      vector = VectorFileSchema.parse(JSON.parse(readFileSync(join(dir, path), "utf8"))) as VectorFile;
    } catch (caught) {
      problems.push(`${path}: not a valid vector file: ${(caught as Error).message.slice(0, 200)}`);
      continue;
    }
    const { meta } = vector;
    if (options.preset !== undefined && meta.preset !== options.preset) continue;
    if (options.runner !== undefined && meta.runner !== options.runner) continue;
    if (!options.knownRunners.includes(meta.runner)) {
      problems.push(`${path}: unknown runner ${meta.runner}`);
      continue;
    }
    let report = reports.get(meta.runner);
    if (!report) {
      report = { runner: meta.runner, pass: 0, fail: 0, skipped: 0, failures: [], skips: [] };
      reports.set(meta.runner, report);
    }
    // A target that cannot answer (a node down, a transport error) fails the vector; the run goes on.
    const verdict = await runOne(vector, target).catch(
      (caught: unknown): Verdict => ({
        kind: "judged",
        failure: `the target failed: ${(caught as Error).message}`,
      }),
    );
    if (verdict.kind === "skip") {
      report.skipped++;
      report.skips.push({ file: path, reason: verdict.reason });
      continue;
    }
    const failure = verdict.failure;
    if (failure === undefined) report.pass++;
    else {
      report.fail++;
      report.failures.push({ file: path, reason: failure });
    }
  }
  const runners = [...reports.values()].sort((a, b) => a.runner.localeCompare(b.runner));
  return { runners, problems };
}

type Verdict =
  | { readonly kind: "skip"; readonly reason: string }
  | { readonly kind: "judged"; failure?: string };

async function runOne(vector: VectorFile, target: Target): Promise<Verdict> {
  const { meta } = vector;
  if ("steps" in vector) {
    if (target.executeScript === undefined)
      return { kind: "skip", reason: `target ${target.name} does not run event scripts` };
    const events = vector.steps.map((s) => s.event);
    const outcome = await target.executeScript(meta.runner, meta.handler, meta.preset, vector.pre, events);
    if (outcome.kind === "unsupported") return { kind: "skip", reason: outcome.reason };
    return { kind: "judged", failure: judgeScript(vector, outcome) };
  }
  const outcome = await target.execute(meta.runner, meta.handler, vector.input, meta.preset, vector.pre);
  if (outcome.kind === "unsupported") return { kind: "skip", reason: outcome.reason };
  return {
    kind: "judged",
    failure: judge(vector, outcome.kind === "result" ? { post: outcome.post } : { code: outcome.code }),
  };
}

function judge(
  vector: { post?: Json; expectedError?: string },
  got: { post: Json } | { code: string },
): string | undefined {
  if (vector.expectedError !== undefined) {
    if ("code" in got)
      return got.code === vector.expectedError
        ? undefined
        : `expected error ${vector.expectedError}, got ${got.code}`;
    return `expected error ${vector.expectedError}, got a result`;
  }
  if ("code" in got) return `expected a result, got error ${got.code}`;
  const want = canonicalJson(vector.post as Json);
  const have = canonicalJson(got.post);
  return want === have
    ? undefined
    : `result differs: expected ${want.slice(0, 200)}, got ${have.slice(0, 200)}`;
}

/** A script passes when loading `pre` and every step give what the vector expects; reports the first difference. */
function judgeScript(
  vector: Extract<VectorFile, { steps: unknown }>,
  outcome: Exclude<ScriptOutcome, { kind: "unsupported" }>,
): string | undefined {
  if (outcome.kind === "error") return `pre: expected it to load, got error ${outcome.code}`;
  const start = judge({ post: vector.startOutputs }, { post: outcome.startOutputs });
  if (start !== undefined) return `startOutputs: ${start}`;
  if (outcome.steps.length !== vector.steps.length)
    return `expected ${vector.steps.length} step results, got ${outcome.steps.length}`;
  for (let i = 0; i < vector.steps.length; i++) {
    const want = vector.steps[i]!;
    const got = outcome.steps[i]!;
    const failure = judge(
      "outputs" in want ? { post: want.outputs } : want,
      got.kind === "result" ? { post: got.outputs } : { code: got.code },
    );
    if (failure !== undefined) return `step ${i}: ${failure}`;
  }
  return undefined;
}

export function formatRunReport(report: RunReport): string {
  const lines: string[] = [];
  for (const r of report.runners) {
    lines.push(`${r.runner.padEnd(16)} pass ${r.pass}  fail ${r.fail}  skipped ${r.skipped}`);
    for (const f of r.failures) lines.push(`  FAIL ${f.file}: ${f.reason}`);
    for (const s of r.skips) lines.push(`  skip ${s.file}: ${s.reason}`);
  }
  for (const p of report.problems) lines.push(`PROBLEM ${p}`);
  const pass = report.runners.reduce((n, r) => n + r.pass, 0);
  const fail = report.runners.reduce((n, r) => n + r.fail, 0) + report.problems.length;
  const skipped = report.runners.reduce((n, r) => n + r.skipped, 0);
  lines.push(`conformance: ${pass} passed, ${fail} failed, ${skipped} skipped`);
  return lines.join("\n");
}
