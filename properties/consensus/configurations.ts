/*
 * The committees the consensus properties run on, named `n<N>f<F>` (N members, F of them Byzantine). Safety
 * (FBFT-SAFETY.1) is promised while the Byzantine members hold less than a third of the power: every
 * configuration marked `safe` must never break it, and `n4f2` (half the power) must.
 */

export type ConfigurationName = "n4f1" | "n7f2" | "weighted" | "n4f2";

export interface Configuration {
  readonly name: ConfigurationName;
  /** Voting power of each member, in committee order. */
  readonly powers: readonly bigint[];
  /** The sets of members that may be Byzantine, each in ascending order. */
  readonly byzantineSets: readonly (readonly number[])[];
  /** Whether every Byzantine set holds less than a third of the power (3·P < W). */
  readonly safe: boolean;
}

/** Every subset of `0 … n−1` with `size` members, ascending, in lexicographic order. */
function subsetsOfSize(n: number, size: number): number[][] {
  if (size === 0) return [[]];
  const out: number[][] = [];
  for (let first = 0; first <= n - size; first++) {
    for (const rest of subsetsOfSize(n - first - 1, size - 1)) {
      out.push([first, ...rest.map((i) => i + first + 1)]);
    }
  }
  return out;
}

function total(powers: readonly bigint[]): bigint {
  return powers.reduce((sum, power) => sum + power, 0n);
}

function powerOfSet(powers: readonly bigint[], set: readonly number[]): bigint {
  return set.reduce((sum, i) => sum + powers[i]!, 0n);
}

/** Whether a set of members holds less than a third of the power, the fault bound of FBFT-SAFETY.1. */
export function belowOneThird(powers: readonly bigint[], set: readonly number[]): boolean {
  return 3n * powerOfSet(powers, set) < total(powers);
}

/** Powers [5, 3, 2, 2, 1, 1, 1] (total 15): any set below a third holds at most 4. */
const WEIGHTED_POWERS: readonly bigint[] = [5n, 3n, 2n, 2n, 1n, 1n, 1n];

function configuration(
  name: ConfigurationName,
  powers: readonly bigint[],
  byzantineSets: readonly (readonly number[])[],
): Configuration {
  return {
    name,
    powers,
    byzantineSets,
    safe: byzantineSets.every((set) => belowOneThird(powers, set)),
  };
}

const EQUAL_4: readonly bigint[] = [1n, 1n, 1n, 1n];
const EQUAL_7: readonly bigint[] = [1n, 1n, 1n, 1n, 1n, 1n, 1n];

export const CONFIGURATIONS: Readonly<Record<ConfigurationName, Configuration>> = {
  n4f1: configuration("n4f1", EQUAL_4, subsetsOfSize(4, 1)),
  n7f2: configuration("n7f2", EQUAL_7, subsetsOfSize(7, 2)),
  weighted: configuration(
    "weighted",
    WEIGHTED_POWERS,
    [1, 2, 3].flatMap((size) =>
      subsetsOfSize(WEIGHTED_POWERS.length, size).filter((set) => belowOneThird(WEIGHTED_POWERS, set)),
    ),
  ),
  n4f2: configuration("n4f2", EQUAL_4, subsetsOfSize(4, 2)),
};
