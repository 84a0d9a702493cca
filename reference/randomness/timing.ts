import type { Preset } from "../params/presets.ts";

/*
 * The timing a preset must satisfy for the delay to mean anything (§9.6).
 */

/** The hardware a timing check assumes, as picoseconds per 2048-bit modular squaring. */
export interface SquaringSpeeds {
  /** The fastest evaluator the adversary may own. */
  readonly adversaryPs: bigint;
  /** The slowest evaluator the protocol relies on to publish the reveal, proof included. */
  readonly honestPs: bigint;
}

/** §9.6's assumptions: a 10 ns squaring circuit (§3.11.4), and this reference's 6 µs plus the proof's 1/6. */
export const DRG_TIMING_ASSUMPTIONS: SquaringSpeeds = { adversaryPs: 10_000n, honestPs: 7_000_000n };

/** The two margins of DRG-TIMING.1, in picoseconds; both must be ≥ 0. */
export interface TimingMargins {
  /** T · t_fast − 2 · drgCommitWindowMs: how much longer the fastest evaluation takes than twice the window. */
  readonly bias: bigint;
  /** k · blockPeriod − T · t_honest: how much earlier than due the slowest honest evaluator finishes. */
  readonly reveal: bigint;
}

const PS_PER_MS = 1_000_000_000n;
const PS_PER_S = 1_000_000_000_000n;

/**
 * The margins of DRG-TIMING.1 for a preset under the given squaring speeds, exactly, in picoseconds.
 *
 * @spec DRG-TIMING.1
 */
export function timingMargins(
  preset: Preset,
  speeds: SquaringSpeeds = DRG_TIMING_ASSUMPTIONS,
): TimingMargins {
  const fastest = preset.vdfIterations * speeds.adversaryPs;
  const window = 2n * BigInt(preset.drgCommitWindowMs) * PS_PER_MS;
  const slowest = preset.vdfIterations * speeds.honestPs;
  const due = BigInt(preset.drgRevealDelay) * BigInt(preset.blockPeriodSeconds) * PS_PER_S;
  return { bias: fastest - window, reveal: due - slowest };
}
