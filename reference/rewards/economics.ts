import type { Preset } from "../params/presets.ts";

/*
 * Issuance (§11.6): how much the block reward mints in a year, and what that means for inflation and for the
 * return to stakers, as exact fractions.
 */

/** Seconds in a year of 365.25 days. */
export const SECONDS_PER_YEAR = 31557600n;

/** An exact non-negative fraction. */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** The figures of ISSUANCE for one preset. */
export interface Issuance {
  /** Blocks each shard finalizes in a year at one block per block period. */
  readonly blocksPerShardPerYear: bigint;
  /** Atto minted in a year when every block of every shard is final and no signer is banned. */
  readonly annualIssuance: bigint;
  /** annualIssuance / referenceSupply. */
  readonly inflation: Fraction;
}

/**
 * ISSUANCE(preset) (L1–L3): blocks per shard per year, the atto they mint in all shards, and that amount as a
 * fraction of the preset's reference supply.
 *
 * @spec REWARD-ISSUANCE.1
 */
export function issuance(preset: Preset): Issuance {
  const blocksPerShardPerYear = SECONDS_PER_YEAR / BigInt(preset.blockPeriodSeconds); // ISSUANCE L1
  const annualIssuance = preset.blockReward * BigInt(preset.numShards) * blocksPerShardPerYear; // L2
  return {
    blocksPerShardPerYear,
    annualIssuance,
    inflation: { numerator: annualIssuance, denominator: preset.referenceSupply }, // L3
  };
}

/**
 * The yearly return to stakers (L4) when the fraction `staked` of the reference supply is staked: the year's
 * issuance over the stake, before commission (which moves reward between stakers, not away from them).
 *
 * @spec REWARD-ISSUANCE.1
 */
export function stakerReturn(preset: Preset, staked: Fraction): Fraction {
  if (staked.numerator <= 0n || staked.denominator <= 0n)
    throw new RangeError("the staked share must be > 0");
  const { annualIssuance } = issuance(preset);
  return {
    numerator: annualIssuance * staked.denominator,
    denominator: preset.referenceSupply * staked.numerator,
  }; // ISSUANCE L4
}
