import { z } from "zod";
import { vdfEvaluate } from "../../../reference/crypto/vdf/evaluate.ts";
import { bytesToBigint, decodeElement, encodeElement } from "../../../reference/crypto/vdf/group.ts";
import { vdfHashToGroup } from "../../../reference/crypto/vdf/hashToGroup.ts";
import { vdfHashToPrime } from "../../../reference/crypto/vdf/hashToPrime.ts";
import { checkIterations } from "../../../reference/crypto/vdf/iterations.ts";
import { VDF_HALF_MODULUS, VDF_MODULUS } from "../../../reference/crypto/vdf/params.ts";
import { isProbablePrime } from "../../../reference/crypto/vdf/primality.ts";
import { vdfVerify } from "../../../reference/crypto/vdf/verify.ts";
import { bytesFromHex, bytesToHex, DecimalBigInt, HexBytes } from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import type { CaseDef, HandlerDef, Json } from "../types.ts";

/** Largest T that `vdf_evaluate` accepts, so that evaluation vectors stay cheap (spec/03-vdf.md §3.12). */
export const VDF_EVALUATE_VECTOR_MAX_ITERATIONS = 65536n;
/** Largest T at which `vdfCases` evaluates a preset's valid cases itself; above it, results are precomputed. */
const LIVE_EVALUATION_MAX_ITERATIONS = 4096n;
/** Largest number, in bits, that `vdf_is_prime` accepts. */
const IS_PRIME_MAX_BITS = 1024;

const TAGS_VERIFY = ["VDF-VERIFY.1", "VDF-HASH-TO-GROUP.1", "VDF-HASH-TO-PRIME.1", "VDF-PRIMALITY.1"];
const TAGS_VERIFY_VALID = [...TAGS_VERIFY, "VDF-EVALUATE.1", "VDF-PROVE.1", "VDF-OUTPUT.1", "VDF-GROUP.1"];
const TAGS_ENCODING = ["VDF-VERIFY.1", "VDF-ENCODING.1"];

const Hex = z.string();

/**
 * VDF results evaluated once by `vdfEvaluate` and embedded here, for presets whose T is too large to evaluate
 * at every vector generation (T = 2^28 took about 27 minutes). Each is re-verified by `vdf_verify` whenever the vectors
 * are generated, so a stale entry fails generation instead of producing a wrong vector. To add one, run
 * `vdfEvaluate(bytesFromHex(seed), T)` and paste `y` and `proof` as hex.
 */
export const PRECOMPUTED: readonly { seed: string; iterations: bigint; y: string; proof: string }[] = [
  {
    seed: "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
    iterations: 268435456n,
    y:
      "0x60906428c8a25aedec6c541ff07ad65dbb54fc33bbc59839cfc3ba02c23d456615e1b0d2b117c8cfbbb54c7e7215f803" +
      "b501d1bc3bfdc8ab5acbb98a45f365b559069d33a812c039bcf50d415d3f7c1519c179593d027a1cfdbede0b61bd4866" +
      "c67ca358aa4fc50ed9eac1720a144e5d2a21362b3c3c5f72a743ef77471120eaf7ce075d7c5c791f2c0a7d912335ab16" +
      "7450c9f1576e5cf27d4ca0ac0255cbdd4961db0ef1ad56d48284aaefad3bc36c7cb37e71beeb4625d5f70865e3e35b01" +
      "a9b46ae559256f41fda2ad16714695c932f9f26a8bb70eeb87aeffd0e48de61cfe5c11b6307c5dd45f552db603d0d2b5" +
      "a2f2aaf52d7f21f4fc400a24b5876cd5",
    proof:
      "0x0c91109d2d966976f4c8858d452184fddb2ab00cce7b96776413e91500b25b9ca51c2a7862bb4e50af34427be00ae494" +
      "dbb14f360b899af34fc95167ec19ac3fa8eb137a6d74d7aecdccd42fe7c0d1f3d12a5e1f7e56392fb31393fc2bae8cd3" +
      "b6fb3b7d7b0f619b3e9d34dac40952e45f94194a5799b8184d14903e8a4dd43592549e4d8afa47ecd36e79f8a7fa028b" +
      "e03215485e6dc437f71bb8dc4d57e445e40b6c44466dd400ccf5b16143c19a4d3f3aff1f9c504069c15667f274bcf090" +
      "f82194dfd68a826b5d893277ccfe03a3f95c1c13b23d58f9f7555a2c94be724873890e48a60fb601848835d58e9aac66" +
      "4f5fcb5993b5d4060c70f30f606af421",
  },
];

/** Fixed seeds of the vectors. */
const SEED_COUNTING = "0x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
const SEED_EMPTY = "0x";
const SEED_ASCII = bytesToHex(new TextEncoder().encode("harmony randomness"));

export const vdfHandlers: Record<string, HandlerDef> = {
  vdf_verify: {
    description: "verifies a Wesolowski VDF result (y, proof) for (seed, T); returns the 32-byte output",
    input: z.object({ seed: HexBytes, iterations: DecimalBigInt, y: HexBytes, proof: HexBytes }).strict(),
    output: z.object({ output: Hex }).strict(),
    run(input: { seed: Uint8Array; iterations: bigint; y: Uint8Array; proof: Uint8Array }): Json {
      const output = unwrap(vdfVerify(input.seed, input.iterations, input.y, input.proof));
      return { output: bytesToHex(output) };
    },
  },
  vdf_evaluate: {
    description: "evaluates the VDF on (seed, T) with T ≤ 65536; returns x, y, proof, output and the prime ℓ",
    input: z
      .object({
        seed: HexBytes,
        iterations: DecimalBigInt.refine((t) => t <= VDF_EVALUATE_VECTOR_MAX_ITERATIONS, {
          message: "vdf_evaluate vectors use iterations ≤ 65536",
        }),
      })
      .strict(),
    output: z.object({ x: Hex, y: Hex, proof: Hex, output: Hex, prime: z.string() }).strict(),
    run(input: { seed: Uint8Array; iterations: bigint }): Json {
      const result = unwrap(vdfEvaluate(input.seed, input.iterations));
      return {
        x: bytesToHex(result.x),
        y: bytesToHex(result.y),
        proof: bytesToHex(result.proof),
        output: bytesToHex(result.output),
        prime: result.prime.toString(10),
      };
    },
  },
  vdf_hash_to_group: {
    description: "maps a seed to the canonical group element x = HashToGroup(seed)",
    input: z.object({ seed: HexBytes }).strict(),
    output: z.object({ x: Hex }).strict(),
    run(input: { seed: Uint8Array }): Json {
      return { x: bytesToHex(encodeElement(vdfHashToGroup(input.seed))) };
    },
  },
  vdf_hash_to_prime: {
    description: "computes the challenge prime ℓ = HashToPrime(T, x, y) for canonical 256-byte x and y",
    input: z.object({ iterations: DecimalBigInt, x: HexBytes, y: HexBytes }).strict(),
    output: z.object({ prime: z.string() }).strict(),
    run(input: { iterations: bigint; x: Uint8Array; y: Uint8Array }): Json {
      checkIterations(input.iterations);
      const x = decodeElement(input.x, "x");
      const y = decodeElement(input.y, "y");
      return { prime: vdfHashToPrime(input.iterations, x, y).toString(10) };
    },
  },
  vdf_is_prime: {
    description:
      "the primality predicate of hash-to-prime (trial division, Miller–Rabin base 2, strong Lucas)",
    input: z
      .object({
        n: DecimalBigInt.refine((n) => n.toString(2).length <= IS_PRIME_MAX_BITS, {
          message: "vdf_is_prime vectors use n of at most 1024 bits",
        }),
      })
      .strict(),
    output: z.object({ prime: z.boolean() }).strict(),
    run(input: { n: bigint }): Json {
      return { prime: isProbablePrime(input.n) };
    },
  },
};

function hexElement(value: bigint): string {
  return bytesToHex(encodeElement(value));
}

/** A canonical element different from `value` (value + 1, or value − 1 at the top of the range). */
function nudged(value: bigint): bigint {
  return value < VDF_HALF_MODULUS ? value + 1n : value - 1n;
}

interface VerifiedResult {
  readonly seed: string;
  readonly iterations: bigint;
  readonly y: bigint;
  readonly proof: bigint;
}

/** The valid result for (seed, T): evaluated now when T is small, else taken from PRECOMPUTED (or absent). */
function resultFor(seed: string, iterations: bigint): VerifiedResult | undefined {
  if (iterations <= LIVE_EVALUATION_MAX_ITERATIONS) {
    const evaluation = unwrap(vdfEvaluate(bytesFromHex(seed), iterations));
    return { seed, iterations, y: bytesToBigint(evaluation.y), proof: bytesToBigint(evaluation.proof) };
  }
  for (const entry of PRECOMPUTED) {
    if (entry.seed === seed && entry.iterations === iterations) {
      return { seed, iterations, y: BigInt(entry.y), proof: BigInt(entry.proof) };
    }
  }
  return undefined;
}

function verifyInput(
  r: VerifiedResult,
  changes: Partial<Record<"seed" | "iterations" | "y" | "proof", string>>,
): Json {
  return {
    seed: changes.seed ?? r.seed,
    iterations: changes.iterations ?? r.iterations.toString(10),
    y: changes.y ?? hexElement(r.y),
    proof: changes.proof ?? hexElement(r.proof),
  };
}

function verifyCases(preset: Preset): CaseDef[] {
  const T = preset.vdfIterations;
  const cases: CaseDef[] = [];
  const seeds =
    T <= LIVE_EVALUATION_MAX_ITERATIONS ? [SEED_COUNTING, SEED_EMPTY, SEED_ASCII] : [SEED_COUNTING];
  const names = ["counting_seed", "empty_seed", "ascii_seed"];
  let base: VerifiedResult | undefined;
  for (let i = 0; i < seeds.length; i++) {
    const r = resultFor(seeds[i]!, T);
    if (r === undefined) continue;
    base ??= r;
    cases.push({
      handler: "vdf_verify",
      name: `valid_${names[i]}_preset_iterations`,
      description: `an honest result at the preset's T = ${T} verifies and yields the output`,
      tags: TAGS_VERIFY_VALID,
      input: verifyInput(r, {}),
    });
  }
  // Invalid variants need one valid result; below the live bound one is always available.
  const r = base ?? resultFor(SEED_COUNTING, 1024n)!;
  const at = `(T = ${r.iterations})`;
  const flippedSeed = bytesFromHex(r.seed);
  const last = flippedSeed.length - 1;
  flippedSeed[last] = flippedSeed[last]! ^ 0x01;
  const invalid: [
    string,
    string,
    Partial<Record<"seed" | "iterations" | "y" | "proof", string>>,
    string,
    string[],
  ][] = [
    [
      "tampered_y",
      `y replaced by a neighbouring canonical element ${at}`,
      { y: hexElement(nudged(r.y)) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    [
      "tampered_proof",
      `π replaced by a neighbouring canonical element ${at}`,
      { proof: hexElement(nudged(r.proof)) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    [
      "tampered_seed",
      `the last seed byte flipped ${at}`,
      { seed: bytesToHex(flippedSeed) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    [
      "iterations_plus_one",
      `a result for T checked against T + 1 ${at}`,
      { iterations: (r.iterations + 1n).toString(10) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    [
      "iterations_minus_one",
      `a result for T checked against T − 1 ${at}`,
      { iterations: (r.iterations - 1n).toString(10) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    [
      "swapped_y_and_proof",
      `y and π exchanged ${at}`,
      { y: hexElement(r.proof), proof: hexElement(r.y) },
      "VDF_PROOF_INVALID",
      TAGS_VERIFY,
    ],
    ["identity_proof", `π = 1 ${at}`, { proof: hexElement(1n) }, "VDF_PROOF_INVALID", TAGS_VERIFY],
    [
      "iterations_zero",
      "T = 0 is not an admissible iteration count",
      { iterations: "0" },
      "VDF_ITERATIONS_INVALID",
      ["VDF-ITERATIONS.1", "VDF-VERIFY.1"],
    ],
    [
      "iterations_two_pow_64",
      "T = 2^64 does not fit uint64",
      { iterations: (1n << 64n).toString(10) },
      "VDF_ITERATIONS_INVALID",
      ["VDF-ITERATIONS.1", "VDF-VERIFY.1"],
    ],
    [
      "iterations_checked_first",
      "T = 0 and a malformed y: the iteration check comes first",
      { iterations: "0", y: "0x00" },
      "VDF_ITERATIONS_INVALID",
      ["VDF-ITERATIONS.1", "VDF-VERIFY.1", "SPEC-ERRORS.1"],
    ],
    [
      "y_255_bytes",
      "y one byte short",
      { y: bytesToHex(encodeElement(r.y).slice(1)) },
      "VDF_ENCODING_LENGTH",
      TAGS_ENCODING,
    ],
    [
      "proof_257_bytes",
      "π with an extra leading zero byte",
      { proof: `0x00${hexElement(r.proof).slice(2)}` },
      "VDF_ENCODING_LENGTH",
      TAGS_ENCODING,
    ],
    ["proof_empty", "π empty", { proof: "0x" }, "VDF_ENCODING_LENGTH", TAGS_ENCODING],
    ["y_zero", "y = 0 is not in the group", { y: hexElement(0n) }, "VDF_ELEMENT_OUT_OF_RANGE", TAGS_ENCODING],
    ["y_equals_modulus", "y = N", { y: hexElement(VDF_MODULUS) }, "VDF_ELEMENT_OUT_OF_RANGE", TAGS_ENCODING],
    [
      "proof_all_ones",
      "π = 2^2048 − 1 > N",
      { proof: hexElement((1n << 2048n) - 1n) },
      "VDF_ELEMENT_OUT_OF_RANGE",
      TAGS_ENCODING,
    ],
    [
      "y_negated",
      "y replaced by N − y, the other representative of its class",
      { y: hexElement(VDF_MODULUS - r.y) },
      "VDF_ELEMENT_NOT_CANONICAL",
      [...TAGS_ENCODING, "VDF-GROUP.1"],
    ],
    [
      "proof_negated",
      "π replaced by N − π",
      { proof: hexElement(VDF_MODULUS - r.proof) },
      "VDF_ELEMENT_NOT_CANONICAL",
      [...TAGS_ENCODING, "VDF-GROUP.1"],
    ],
    [
      "both_negated",
      "y and π both replaced by their negatives N − y and N − π, which are not canonical",
      { y: hexElement(VDF_MODULUS - r.y), proof: hexElement(VDF_MODULUS - r.proof) },
      "VDF_ELEMENT_NOT_CANONICAL",
      [...TAGS_ENCODING, "VDF-GROUP.1"],
    ],
    [
      "y_just_above_half",
      "y = (N + 1) / 2, the smallest non-canonical value",
      { y: hexElement(VDF_HALF_MODULUS + 1n) },
      "VDF_ELEMENT_NOT_CANONICAL",
      TAGS_ENCODING,
    ],
  ];
  for (const [name, description, changes, code, tags] of invalid) {
    cases.push({
      handler: "vdf_verify",
      name,
      description,
      tags,
      input: verifyInput(r, changes),
      expectedError: code,
    });
  }
  return cases;
}

function evaluateCases(preset: Preset): CaseDef[] {
  const tags = [
    "VDF-EVALUATE.1",
    "VDF-PROVE.1",
    "VDF-OUTPUT.1",
    "VDF-HASH-TO-GROUP.1",
    "VDF-HASH-TO-PRIME.1",
  ];
  const cases: CaseDef[] = [];
  const iterationCounts = [1n, 2n, 3n, 255n, 256n, 257n, 1000n];
  if (preset.vdfIterations <= LIVE_EVALUATION_MAX_ITERATIONS) iterationCounts.push(preset.vdfIterations);
  for (const t of iterationCounts) {
    cases.push({
      handler: "vdf_evaluate",
      name: `t_${t}`,
      description: `evaluation with T = ${t} on the counting seed${t < 255n ? " (⌊2^T / ℓ⌋ = 0, so π = 1)" : ""}`,
      tags,
      input: { seed: SEED_COUNTING, iterations: t.toString(10) },
    });
  }
  cases.push({
    handler: "vdf_evaluate",
    name: "empty_seed",
    description: "evaluation of the empty seed with T = 300",
    tags,
    input: { seed: SEED_EMPTY, iterations: "300" },
  });
  cases.push({
    handler: "vdf_evaluate",
    name: "iterations_zero",
    description: "T = 0 is rejected",
    tags: ["VDF-ITERATIONS.1", "VDF-EVALUATE.1"],
    input: { seed: SEED_COUNTING, iterations: "0" },
    expectedError: "VDF_ITERATIONS_INVALID",
  });
  cases.push({
    handler: "vdf_evaluate",
    name: "iterations_above_vector_limit",
    description: "vdf_evaluate accepts T ≤ 65536 only (a limit of the handler, not of the VDF)",
    tags: ["VDF-EVALUATE.1"],
    input: { seed: SEED_COUNTING, iterations: "65537" },
    expectedError: "JSON_SCHEMA",
  });
  return cases;
}

function hashToGroupCases(): CaseDef[] {
  const seeds: [string, string][] = [
    ["empty_seed", SEED_EMPTY],
    ["one_zero_byte", "0x00"],
    ["counting_seed", SEED_COUNTING],
    ["ascii_seed", SEED_ASCII],
    ["long_seed", bytesToHex(new Uint8Array(200).fill(0xa5))],
  ];
  return seeds.map(([name, seed]) => ({
    handler: "vdf_hash_to_group",
    name,
    description: `HashToGroup of a ${(seed.length - 2) / 2}-byte seed`,
    tags: ["VDF-HASH-TO-GROUP.1", "VDF-GROUP.1", "VDF-ENCODING.1"],
    input: { seed },
  }));
}

function hashToPrimeCases(): CaseDef[] {
  const tags = ["VDF-HASH-TO-PRIME.1", "VDF-PRIMALITY.1"];
  const x = vdfHashToGroup(bytesFromHex(SEED_COUNTING));
  const two = hexElement(2n);
  const three = hexElement(3n);
  const cases: CaseDef[] = [
    {
      handler: "vdf_hash_to_prime",
      name: "small_elements",
      description: "x = 2, y = 3, T = 1",
      tags,
      input: { iterations: "1", x: two, y: three },
    },
    {
      handler: "vdf_hash_to_prime",
      name: "max_iterations",
      description: "T = 2^64 − 1",
      tags,
      input: { iterations: ((1n << 64n) - 1n).toString(10), x: two, y: three },
    },
    {
      handler: "vdf_hash_to_prime",
      name: "largest_canonical",
      description: "x = y = (N − 1) / 2",
      tags,
      input: { iterations: "1024", x: hexElement(VDF_HALF_MODULUS), y: hexElement(VDF_HALF_MODULUS) },
    },
    {
      handler: "vdf_hash_to_prime",
      name: "hashed_x",
      description: "x = HashToGroup(counting seed), y = x",
      tags,
      input: { iterations: "1024", x: hexElement(x), y: hexElement(x) },
    },
    {
      handler: "vdf_hash_to_prime",
      name: "iterations_zero",
      description: "T = 0",
      tags: ["VDF-ITERATIONS.1"],
      input: { iterations: "0", x: two, y: three },
      expectedError: "VDF_ITERATIONS_INVALID",
    },
    {
      handler: "vdf_hash_to_prime",
      name: "x_short",
      description: "x of 32 bytes",
      tags: ["VDF-ENCODING.1"],
      input: { iterations: "1", x: `0x${"00".repeat(31)}02`, y: three },
      expectedError: "VDF_ENCODING_LENGTH",
    },
    {
      handler: "vdf_hash_to_prime",
      name: "y_zero",
      description: "y = 0",
      tags: ["VDF-ENCODING.1"],
      input: { iterations: "1", x: two, y: hexElement(0n) },
      expectedError: "VDF_ELEMENT_OUT_OF_RANGE",
    },
    {
      handler: "vdf_hash_to_prime",
      name: "x_non_canonical",
      description: "x = N − 2",
      tags: ["VDF-ENCODING.1", "VDF-GROUP.1"],
      input: { iterations: "1", x: hexElement(VDF_MODULUS - 2n), y: three },
      expectedError: "VDF_ELEMENT_NOT_CANONICAL",
    },
    {
      handler: "vdf_hash_to_prime",
      name: "order_iterations_first",
      description: "T = 0 and x = 0: iterations are checked before x (spec §3.12)",
      tags: ["VDF-ITERATIONS.1", "VDF-ENCODING.1"],
      input: { iterations: "0", x: hexElement(0n), y: three },
      expectedError: "VDF_ITERATIONS_INVALID",
    },
    {
      handler: "vdf_hash_to_prime",
      name: "order_x_before_y",
      description: "x = N − 2 (not canonical) and y of 32 bytes: x is decoded before y (spec §3.12)",
      tags: ["VDF-ENCODING.1"],
      input: { iterations: "1", x: hexElement(VDF_MODULUS - 2n), y: `0x${"00".repeat(31)}03` },
      expectedError: "VDF_ELEMENT_NOT_CANONICAL",
    },
  ];
  return cases;
}

/**
 * Numbers for the primality predicate. Their classification is known independently of the predicate
 * (see primality.test.ts); the vectors let a client test its predicate alone.
 */
const PRIMALITY_NUMBERS: readonly [string, bigint, string][] = [
  ["zero", 0n, "0 is not prime"],
  ["one", 1n, "1 is not prime"],
  ["two", 2n, "the even prime"],
  ["four", 4n, "even composite"],
  ["carmichael_561", 561n, "Carmichael number 3 · 11 · 17"],
  ["spsp2_2047", 2047n, "strong pseudoprime to base 2: 23 · 89"],
  ["slpsp_5459", 5459n, "strong Lucas pseudoprime (Selfridge): 53 · 103"],
  ["slpsp_5777", 5777n, "strong Lucas pseudoprime (Selfridge): 53 · 109"],
  ["largest_trial_prime", 16381n, "the largest odd prime below 2^14, found by trial division"],
  ["square_of_trial_prime", 16381n * 16381n, "16381^2: passes trial division, fails Miller–Rabin"],
  ["first_prime_above_trial_bound", 16411n, "the least prime above 2^14, decided by Miller–Rabin and Lucas"],
  ["spsp2_3215031751", 3215031751n, "strong pseudoprime to bases 2, 3, 5 and 7"],
  ["psi9", 3825123056546413051n, "strong pseudoprime to the nine prime bases 2 … 23"],
  ["psi12", 318665857834031151167461n, "strong pseudoprime to the twelve prime bases 2 … 37"],
  ["psi13", 3317044064679887385961981n, "strong pseudoprime to the thirteen prime bases 2 … 41"],
  ["mersenne_127", (1n << 127n) - 1n, "the Mersenne prime 2^127 − 1"],
  ["mersenne_127_squared", ((1n << 127n) - 1n) ** 2n, "(2^127 − 1)^2, a perfect square"],
  ["curve25519_field", (1n << 255n) - 19n, "the prime 2^255 − 19"],
  ["fermat_f7", (1n << 128n) + 1n, "F7 = 2^128 + 1, composite"],
  ["two_pow_256_minus_one", (1n << 256n) - 1n, "2^256 − 1, composite"],
  ["mersenne_521", (1n << 521n) - 1n, "the Mersenne prime 2^521 − 1"],
];

function isPrimeCases(): CaseDef[] {
  const cases: CaseDef[] = PRIMALITY_NUMBERS.map(([name, n, description]) => ({
    handler: "vdf_is_prime",
    name,
    description,
    tags: ["VDF-PRIMALITY.1"],
    input: { n: n.toString(10) },
  }));
  cases.push({
    handler: "vdf_is_prime",
    name: "above_vector_limit",
    description: "vdf_is_prime accepts numbers of at most 1024 bits (a limit of the handler)",
    tags: ["VDF-PRIMALITY.1"],
    input: { n: (1n << 1024n).toString(10) },
    expectedError: "JSON_SCHEMA",
  });
  return cases;
}

/**
 * The VDF cases for a preset. `vdf_verify` cases run at the preset's T: evaluated here when T ≤ 4096, taken
 * from PRECOMPUTED otherwise (the mainnet T = 2^28); the invalid variants are derived from the first valid
 * result. The other handlers' cases do not depend on the preset.
 */
export function vdfCases(preset: Preset): CaseDef[] {
  return [
    ...verifyCases(preset),
    ...evaluateCases(preset),
    ...hashToGroupCases(),
    ...hashToPrimeCases(),
    ...isPrimeCases(),
  ];
}
