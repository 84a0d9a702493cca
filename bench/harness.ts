import { performance } from "node:perf_hooks";

/** One timed operation: how long it took on average over enough iterations to be stable. */
export interface Measurement {
  readonly label: string;
  readonly iterations: number;
  readonly totalMs: number;
  readonly meanMs: number;
  readonly opsPerSecond: number;
}

/** A ratio between two measurements of the same run, and the bound it must meet to pass (if any). */
export interface Ratio {
  readonly name: string;
  /** meanMs(slower) / meanMs(faster). */
  readonly value: number;
  readonly slower: string;
  readonly faster: string;
  readonly atLeast?: number;
  readonly pass?: boolean;
}

export interface SuiteResult {
  readonly measurements: readonly Measurement[];
  readonly ratios: readonly Ratio[];
  /** Correctness checks made on the measured data (a benchmark that measures a wrong answer is void). */
  readonly checks: readonly { readonly name: string; readonly pass: boolean; readonly detail: string }[];
  /** Derived figures worth reporting (throughput and the like), computed from the measurements. */
  readonly figures?: Readonly<Record<string, number>>;
}

export interface BenchSuite {
  readonly name: string;
  readonly description: string;
  run(): Promise<SuiteResult>;
}

export interface MeasureOptions {
  /** Run at least this many timed iterations. */
  readonly minIterations?: number;
  /** Keep iterating until this much time has been spent. */
  readonly minMs?: number;
  /** Untimed warm-up iterations. */
  readonly warmup?: number;
  /**
   * What elapses: wall time (default), or the process's CPU time (user + system), which a loaded machine
   * distorts less when the operation is single-threaded computation.
   */
  readonly clock?: "wall" | "cpu";
}

/** A function giving the milliseconds of the chosen clock elapsed since the stopwatch was made. */
function stopwatch(clock: "wall" | "cpu"): () => number {
  if (clock === "cpu") {
    const start = process.cpuUsage();
    return () => {
      const used = process.cpuUsage(start);
      return (used.user + used.system) / 1000;
    };
  }
  const start = performance.now();
  return () => performance.now() - start;
}

export async function measure(
  label: string,
  operation: () => unknown,
  options: MeasureOptions = {},
): Promise<Measurement> {
  const minIterations = options.minIterations ?? 5;
  const minMs = options.minMs ?? 500;
  for (let i = 0; i < (options.warmup ?? 1); i++) await operation();
  let iterations = 0;
  const sinceStart = stopwatch(options.clock ?? "wall");
  let elapsed = 0;
  while (iterations < minIterations || elapsed < minMs) {
    await operation();
    iterations++;
    elapsed = sinceStart();
  }
  const meanMs = elapsed / iterations;
  return { label, iterations, totalMs: elapsed, meanMs, opsPerSecond: 1000 / meanMs };
}

export function ratio(name: string, slower: Measurement, faster: Measurement, atLeast?: number): Ratio {
  const value = slower.meanMs / faster.meanMs;
  if (atLeast === undefined) return { name, value, slower: slower.label, faster: faster.label };
  return { name, value, slower: slower.label, faster: faster.label, atLeast, pass: value >= atLeast };
}
