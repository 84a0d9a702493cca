import { sha256 } from "@noble/hashes/sha2.js";
import { unwrap } from "../../reference/errors.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { assignFresh } from "../../reference/sharding/assign.ts";
import type { Seat } from "../../reference/sharding/seat.ts";
import { binomial, type Fraction, oneThirdThreshold, upperTail } from "./hypergeometric.ts";

/*
 * The security of the fresh assignment (spec §10.9): how likely is some shard to receive at least a third of
 * its seats from an adversary holding a fraction of all seats? Analytically, exactly and by the union bound,
 * and by Monte Carlo over the reference's own ASSIGN-FRESH.
 */

/** A network of `shards` shards of `seatsPerShard` equal seats, of which `byzantine` are the adversary's. */
export interface Network {
  readonly shards: number;
  readonly seatsPerShard: number;
  readonly byzantine: number;
}

function checkNetwork({ shards, seatsPerShard, byzantine }: Network): void {
  for (const [name, value] of Object.entries({ shards, seatsPerShard, byzantine })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer ≥ 0`);
  }
  if (shards < 1 || byzantine > shards * seatsPerShard) throw new RangeError("no such network");
}

/** The Byzantine seats in a shard that hold at least a third of its power: ⌈seatsPerShard / 3⌉. */
export function blockingSeats(network: Network): number {
  return oneThirdThreshold(network.seatsPerShard);
}

/**
 * P(one given shard gets ≥ ⌈m/3⌉ Byzantine seats): the hypergeometric tail, exactly.
 */
export function oneShardProbability(network: Network): Fraction {
  checkNetwork(network);
  const { shards, seatsPerShard, byzantine } = network;
  return upperTail(
    { population: shards * seatsPerShard, marked: byzantine, draws: seatsPerShard },
    blockingSeats(network),
  );
}

/** The union bound on P(some shard gets ≥ ⌈m/3⌉): shards × the one-shard tail, capped at 1. */
export function unionBound(network: Network): Fraction {
  const one = oneShardProbability(network);
  const numerator = one.numerator * BigInt(network.shards);
  return numerator > one.denominator ? { numerator: 1n, denominator: 1n } : { ...one, numerator };
}

/**
 * P(some shard gets ≥ ⌈m/3⌉ Byzantine seats), exactly: one minus the share of the C(km, B) equally likely
 * placements of the Byzantine seats in which every shard stays below the threshold, counted shard by shard
 * (the coefficient of x^B in (Σ_{b < t} C(m, b) x^b)^k).
 */
export function someShardProbability(network: Network): Fraction {
  checkNetwork(network);
  const { shards, seatsPerShard, byzantine } = network;
  const threshold = blockingSeats(network);
  const perShard: bigint[] = [];
  for (let b = 0; b < threshold && b <= seatsPerShard; b++) perShard.push(binomial(seatsPerShard, b));
  let ways: bigint[] = [1n];
  for (let s = 0; s < shards; s++) {
    const next = new Array<bigint>(Math.min(ways.length + perShard.length - 1, byzantine + 1)).fill(0n);
    for (let j = 0; j < ways.length; j++) {
      if (ways[j] === 0n) continue;
      for (let b = 0; b < perShard.length && j + b < next.length; b++)
        next[j + b]! += ways[j]! * perShard[b]!;
    }
    ways = next;
  }
  const total = binomial(shards * seatsPerShard, byzantine);
  const safe = ways[byzantine] ?? 0n;
  return { numerator: total - safe, denominator: total };
}

/** The seats of a network for Monte Carlo: validator i holds seat 0 with power 1; the first B are Byzantine. */
export function networkSeats(count: number): Seat[] {
  const seats: Seat[] = [];
  for (let i = 0; i < count; i++) {
    const validator = new Uint8Array(20);
    new DataView(validator.buffer).setUint32(16, i);
    const key = new Uint8Array(48);
    new DataView(key.buffer).setUint32(44, i);
    seats.push({ validator, index: 0, key, power: 1n });
  }
  return seats;
}

/** The outcome of a Monte Carlo run: in how many trials some shard got ≥ ⌈m/3⌉ of each Byzantine count. */
export interface MonteCarlo {
  readonly trials: number;
  /** Per Byzantine count asked for, the trials in which some shard reached the threshold. */
  readonly hits: readonly number[];
}

/**
 * Runs ASSIGN-FRESH `trials` times on `shards · seatsPerShard` seats of power 1, with Rnd of trial i =
 * sha256(seed ‖ uint32_be(i)), and counts the trials in which some shard gets ≥ ⌈m/3⌉ of the first B seats
 * (in canonical order) for each B of `byzantine`. One assignment serves every B, so the counts are
 * correlated across B but each is a binomial count.
 */
export function monteCarlo(
  shards: number,
  seatsPerShard: number,
  byzantine: readonly number[],
  trials: number,
  seed: Uint8Array,
  preset: Preset,
): MonteCarlo {
  const seats = networkSeats(shards * seatsPerShard);
  const threshold = oneThirdThreshold(seatsPerShard);
  const network: Preset = { ...preset, numShards: shards, slotsPerShard: seatsPerShard };
  const hits = byzantine.map(() => 0);
  const rndInput = new Uint8Array(seed.length + 4);
  rndInput.set(seed);
  for (let trial = 0; trial < trials; trial++) {
    new DataView(rndInput.buffer).setUint32(seed.length, trial);
    const state = unwrap(assignFresh(seats, sha256(rndInput), 1n, network));
    // Seats come back in canonical order, which is the order of networkSeats (addresses ascend with i).
    for (let q = 0; q < byzantine.length; q++) {
      const perShard = new Array<number>(shards).fill(0);
      for (let i = 0; i < byzantine[q]!; i++) perShard[state.seats[i]!.shard]!++;
      if (perShard.some((count) => count >= threshold)) hits[q]!++;
    }
  }
  return { trials, hits };
}

/** The one-sided 95% upper bound on a probability after zero hits in `trials` trials: 3 / trials (rule of three). */
export function ruleOfThree(trials: number): number {
  return 3 / trials;
}

/**
 * The Wilson score interval for `hits` successes in `trials` trials at `z` standard deviations: the range of
 * probabilities the count is consistent with.
 */
export function wilsonInterval(hits: number, trials: number, z: number): { low: number; high: number } {
  const p = hits / trials;
  const z2 = z * z;
  const centre = (p + z2 / (2 * trials)) / (1 + z2 / trials);
  const half = (z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials))) / (1 + z2 / trials);
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** A fraction as the nearest-enough float, without overflowing on huge numerators and denominators. */
export function fractionToNumber(f: Fraction): number {
  if (f.numerator === 0n) return 0;
  const shift = 64 - (f.numerator.toString(2).length - f.denominator.toString(2).length);
  const quotient =
    shift >= 0
      ? (f.numerator << BigInt(shift)) / f.denominator
      : f.numerator / (f.denominator << BigInt(-shift));
  return Number(quotient) * 2 ** -shift;
}
