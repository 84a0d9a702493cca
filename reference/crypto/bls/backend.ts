import { sha256 } from "@noble/hashes/sha2.js";
import type { Result } from "../../errors.ts";
import { SpecError } from "../../errors.ts";

/** One (public key, message, signature) triple of a batch verification. */
export interface SignatureSet {
  readonly publicKey: Uint8Array;
  readonly message: Uint8Array;
  readonly signature: Uint8Array;
}

/**
 * The BLS operations of chapter 2, on serialized keys and signatures. Every back end (the pure reference on
 * @noble/curves, the native fast path on blst) MUST return identical bytes, identical verdicts and identical
 * SpecError codes for every input; a failed Result carries the code of the first check that failed, in the
 * order of the rule's pseudo-code. A verification returns `ok(false)` when its inputs are well formed but the
 * signature does not verify, and a failed Result when an input is malformed (IETF: both are INVALID).
 *
 * @spec BLS-BACKENDS.1
 */
export interface BlsBackend {
  readonly name: string;
  /** SkToPk. @spec BLS-SK-TO-PK.1 */
  secretToPublic(secretKey: Uint8Array): Result<Uint8Array>;
  /** Sign with the signature DST. @spec BLS-SIGN.1 */
  sign(secretKey: Uint8Array, message: Uint8Array): Result<Uint8Array>;
  /** @spec BLS-VERIFY.1 */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Result<boolean>;
  /** @spec BLS-AGGREGATE.1 */
  aggregateSignatures(signatures: readonly Uint8Array[]): Result<Uint8Array>;
  /** @spec BLS-AGGREGATE-KEYS.1 */
  aggregatePublicKeys(publicKeys: readonly Uint8Array[]): Result<Uint8Array>;
  /** @spec BLS-FAST-AGGREGATE-VERIFY.1 */
  fastAggregateVerify(
    publicKeys: readonly Uint8Array[],
    message: Uint8Array,
    signature: Uint8Array,
  ): Result<boolean>;
  /** @spec BLS-AGGREGATE-VERIFY.1 */
  aggregateVerify(
    publicKeys: readonly Uint8Array[],
    messages: readonly Uint8Array[],
    signature: Uint8Array,
  ): Result<boolean>;
  /** @spec BLS-BATCH-VERIFY.1 */
  verifyBatch(sets: readonly SignatureSet[], randomness: Uint8Array): Result<boolean>;
  /** @spec BLS-POP-PROVE.1 */
  popProve(secretKey: Uint8Array): Result<Uint8Array>;
  /** @spec BLS-POP-VERIFY.1 */
  popVerify(publicKey: Uint8Array, proof: Uint8Array): Result<boolean>;
  /** KeyValidate. @spec BLS-KEY-VALIDATE.1 */
  validatePublicKey(publicKey: Uint8Array): Result<void>;
  /** signature_to_point followed by the subgroup check. @spec BLS-SIGNATURE-VALIDATE.1 */
  validateSignature(signature: Uint8Array): Result<void>;
}

/** Bytes of the batch-verification randomness seed. */
export const BLS_BATCH_RANDOMNESS_LENGTH = 32;

const SCALAR_RANGE = (1n << 64n) - 1n;

/**
 * BLS-BATCH-VERIFY L1: the randomness seed of a batch verification is 32 bytes. Throws the SpecError
 * BLS_BATCH_RANDOMNESS_LENGTH; the back ends call it inside `attempt`, which turns it into a failed Result.
 *
 * @spec BLS-BATCH-VERIFY.1
 */
export function checkBatchRandomness(randomness: Uint8Array): void {
  if (randomness.length !== BLS_BATCH_RANDOMNESS_LENGTH) {
    throw new SpecError(
      "BLS_BATCH_RANDOMNESS_LENGTH",
      `batch randomness must be 32 bytes, got ${randomness.length}`,
    );
  }
}

/**
 * The blinding scalars of a batch verification (BLS-BATCH-VERIFY L6):
 * c_i = 1 + (OS2IP(sha256(seed ‖ uint32_be(i))[0:8]) mod (2^64 − 1)), so every c_i is in [1, 2^64 − 1].
 * Checks the seed's length first (L1).
 *
 * @spec BLS-BATCH-VERIFY.1
 */
export function batchScalars(randomness: Uint8Array, count: number): bigint[] {
  checkBatchRandomness(randomness);
  const out: bigint[] = [];
  const input = new Uint8Array(BLS_BATCH_RANDOMNESS_LENGTH + 4);
  input.set(randomness, 0);
  for (let i = 0; i < count; i++) {
    input[32] = (i >>> 24) & 0xff;
    input[33] = (i >>> 16) & 0xff;
    input[34] = (i >>> 8) & 0xff;
    input[35] = i & 0xff;
    const digest = sha256(input);
    let value = 0n;
    for (let j = 0; j < 8; j++) value = (value << 8n) | BigInt(digest[j]!);
    out.push(1n + (value % SCALAR_RANGE));
  }
  return out;
}
