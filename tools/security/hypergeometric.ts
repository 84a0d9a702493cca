/*
 * Exact tail probabilities of the hypergeometric distribution, for the security analysis of committee
 * assignment: when `draws` voting shares are dealt to a shard from `population` shares of which `marked`
 * are Byzantine, how likely is the shard to get at least `threshold` of them? Computed with integers only,
 * so the answer is an exact fraction however small it is.
 */

/** A non-negative fraction `numerator / denominator`, kept exact. */
export interface Fraction {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

/** C(n, k), exactly; zero when k is outside 0 … n. */
export function binomial(n: number, k: number): bigint {
  if (!Number.isInteger(n) || !Number.isInteger(k) || n < 0) {
    throw new RangeError(`binomial(${n}, ${k}) needs integers with n ≥ 0`);
  }
  if (k < 0 || k > n) return 0n;
  const j = Math.min(k, n - k);
  let result = 1n;
  // After step i the product is C(n − j + i, i), an integer, so each division is exact.
  for (let i = 1; i <= j; i++) result = (result * BigInt(n - j + i)) / BigInt(i);
  return result;
}

/** The parameters of one hypergeometric draw. */
export interface Draw {
  /** Voting shares in the whole population. */
  readonly population: number;
  /** Byzantine shares among them. */
  readonly marked: number;
  /** Shares dealt to the shard. */
  readonly draws: number;
}

function checkDraw({ population, marked, draws }: Draw): void {
  for (const [name, value] of Object.entries({ population, marked, draws })) {
    if (!Number.isInteger(value) || value < 0) throw new RangeError(`${name} must be an integer ≥ 0`);
  }
  if (marked > population || draws > population) {
    throw new RangeError(
      `marked (${marked}) and draws (${draws}) cannot exceed the population (${population})`,
    );
  }
}

/** P(X ≥ threshold) for X ~ Hypergeometric(population, marked, draws), as an exact fraction. */
export function upperTail(draw: Draw, threshold: number): Fraction {
  checkDraw(draw);
  const { population, marked, draws } = draw;
  let favourable = 0n;
  for (let x = Math.max(threshold, 0); x <= Math.min(marked, draws); x++) {
    favourable += binomial(marked, x) * binomial(population - marked, draws - x);
  }
  return { numerator: favourable, denominator: binomial(population, draws) };
}

/**
 * The smallest count of Byzantine shares that holds at least a third of a shard of `draws` equal shares:
 * `3x ≥ draws`. A shard with that many faulty shares can block its quorum (FBFT-QUORUM.1).
 */
export function oneThirdThreshold(draws: number): number {
  return Math.ceil(draws / 3);
}

/** Base-10 scientific notation of a fraction with `digits` significant digits, without going through floats. */
export function scientific(value: Fraction, digits = 3): string {
  if (value.numerator === 0n) return "0";
  let exponent = value.numerator.toString().length - value.denominator.toString().length;
  const scaled = (e: number): bigint =>
    e >= 0
      ? (value.numerator * 10n ** BigInt(digits - 1)) / (value.denominator * 10n ** BigInt(e))
      : (value.numerator * 10n ** BigInt(digits - 1 - e)) / value.denominator;
  let mantissa = scaled(exponent);
  // The digit-count estimate is off by at most one in either direction.
  if (mantissa >= 10n ** BigInt(digits)) mantissa = scaled(++exponent);
  if (mantissa < 10n ** BigInt(digits - 1)) mantissa = scaled(--exponent);
  const text = mantissa.toString();
  const fraction = text.slice(1).replace(/0+$/, "");
  return `${text[0]}${fraction === "" ? "" : `.${fraction}`}e${exponent}`;
}
