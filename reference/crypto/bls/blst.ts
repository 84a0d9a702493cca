import * as blst from "@chainsafe/blst";
import { attempt, type Result, SpecError } from "../../errors.ts";
import type { BlsBackend, SignatureSet } from "./backend.ts";
import { checkBatchRandomness } from "./backend.ts";
import { isIdentityEncoding, parseCompressedPoint, parseSecretKey } from "./encoding.ts";
import { nobleBls } from "./noble.ts";

/*
 * The fast BLS back end: the native blst library through @chainsafe/blst. It is an optimisation only and must
 * agree with the reference back end (noble.ts) on every output, verdict and error code; the vector and
 * differential tests check this.
 *
 * Byte-level checks (length, flags, x < p) run first in shared code (encoding.ts), so blst is only asked about
 * on-curve and subgroup membership, whose failures are mapped to the spec's codes one by one.
 *
 * Two operations are not native here: @chainsafe/blst hashes with the fixed DST of the signature ciphersuite
 * and exposes no hash_to_curve with another DST, so PopProve / PopVerify (which use the POP DST) delegate to
 * the reference back end; and blst draws the blinding scalars of a batch verification itself, so the
 * `randomness` argument is validated but not used (the verdict is the same except with probability ≤ 2^-64).
 */

function blstCode(caught: unknown): string | undefined {
  if (typeof caught === "object" && caught !== null && "code" in caught) {
    const code = (caught as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Maps a blst curve/subgroup failure to the spec's code; anything else is a defect and is re-thrown. */
function rethrowAsSpecError(caught: unknown, what: string): never {
  switch (blstCode(caught)) {
    case "BLST_POINT_NOT_ON_CURVE":
      throw new SpecError("BLS_POINT_NOT_ON_CURVE", `${what} is not on the curve`);
    case "BLST_POINT_NOT_IN_GROUP":
      throw new SpecError("BLS_POINT_NOT_IN_SUBGROUP", `${what} is not in the prime-order subgroup`);
    case "BLST_PK_IS_INFINITY":
      throw new SpecError("BLS_PUBKEY_IDENTITY", `${what} is the identity`);
    default:
      throw caught;
  }
}

/** KeyValidate. @spec BLS-KEY-VALIDATE.1 */
function keyValidate(bytes: Uint8Array): blst.PublicKey {
  parseCompressedPoint(bytes, "G1");
  let key: blst.PublicKey;
  try {
    key = blst.PublicKey.fromBytes(bytes, false);
  } catch (caught) {
    rethrowAsSpecError(caught, "public key");
  }
  try {
    key.keyValidate();
  } catch (caught) {
    rethrowAsSpecError(caught, "public key");
  }
  return key;
}

/** @spec BLS-SIGNATURE-VALIDATE.1 */
function signatureToPoint(bytes: Uint8Array): blst.Signature {
  parseCompressedPoint(bytes, "G2");
  let signature: blst.Signature;
  try {
    signature = blst.Signature.fromBytes(bytes, false, false);
  } catch (caught) {
    rethrowAsSpecError(caught, "signature");
  }
  try {
    signature.sigValidate(false);
  } catch (caught) {
    rethrowAsSpecError(caught, "signature");
  }
  return signature;
}

function secretKey(bytes: Uint8Array): blst.SecretKey {
  parseSecretKey(bytes);
  return blst.SecretKey.fromBytes(bytes);
}

function aggregateKeys(keys: readonly blst.PublicKey[]): blst.PublicKey {
  return blst.aggregatePublicKeys(keys.slice(), false);
}

/**
 * The native BLS back end (blst). Same contract as the reference back end.
 *
 * @spec BLS-BACKENDS.1
 */
export const blstBls: BlsBackend = {
  name: "blst",

  /** @spec BLS-SK-TO-PK.1 */
  secretToPublic: (sk) => attempt(() => secretKey(sk).toPublicKey().toBytes(true)),

  /** @spec BLS-SIGN.1 */
  sign: (sk, message) => attempt(() => secretKey(sk).sign(message).toBytes(true)),

  /** @spec BLS-VERIFY.1 */
  verify: (publicKey, message, signature) =>
    attempt(() => {
      const r = signatureToPoint(signature);
      const p = keyValidate(publicKey);
      return blst.verify(message, p, r, false, false);
    }),

  /** @spec BLS-AGGREGATE.1 */
  aggregateSignatures: (signatures) =>
    attempt(() => {
      if (signatures.length === 0)
        throw new SpecError("BLS_AGGREGATE_EMPTY", "cannot aggregate zero signatures");
      const points: blst.Signature[] = [];
      for (const signature of signatures) points.push(signatureToPoint(signature));
      return blst.aggregateSignatures(points, false).toBytes(true);
    }),

  /** @spec BLS-AGGREGATE-KEYS.1 */
  aggregatePublicKeys: (publicKeys) =>
    attempt(() => {
      if (publicKeys.length === 0)
        throw new SpecError("BLS_AGGREGATE_EMPTY", "cannot aggregate zero public keys");
      const keys: blst.PublicKey[] = [];
      for (const publicKey of publicKeys) keys.push(keyValidate(publicKey));
      const sum = aggregateKeys(keys).toBytes(true);
      if (isIdentityEncoding(sum))
        throw new SpecError("BLS_AGGREGATE_IDENTITY", "the public keys sum to the identity");
      return sum;
    }),

  /** @spec BLS-FAST-AGGREGATE-VERIFY.1 */
  fastAggregateVerify: (publicKeys, message, signature) =>
    attempt(() => {
      if (publicKeys.length === 0) return false;
      const r = signatureToPoint(signature);
      const keys: blst.PublicKey[] = [];
      for (const publicKey of publicKeys) keys.push(keyValidate(publicKey));
      const aggregate = aggregateKeys(keys);
      if (isIdentityEncoding(aggregate.toBytes(true))) return false;
      return blst.verify(message, aggregate, r, false, false);
    }),

  /** @spec BLS-AGGREGATE-VERIFY.1 */
  aggregateVerify: (publicKeys, messages, signature) =>
    attempt(() => {
      if (publicKeys.length !== messages.length) {
        throw new SpecError(
          "BLS_LENGTH_MISMATCH",
          `${publicKeys.length} public keys but ${messages.length} messages`,
        );
      }
      if (publicKeys.length === 0) return false;
      const r = signatureToPoint(signature);
      const keys: blst.PublicKey[] = [];
      for (const publicKey of publicKeys) keys.push(keyValidate(publicKey));
      return blst.aggregateVerify(messages.slice(), keys, r, false, false);
    }),

  /** @spec BLS-BATCH-VERIFY.1 */
  verifyBatch: (sets: readonly SignatureSet[], randomness: Uint8Array): Result<boolean> =>
    attempt(() => {
      checkBatchRandomness(randomness); // BLS-BATCH-VERIFY L1
      // BLS-BATCH-VERIFY L2–L4: every input, in order, before blst computes any pairing
      const native: blst.SignatureSet[] = [];
      for (const set of sets) {
        const sig = signatureToPoint(set.signature); // BLS-BATCH-VERIFY L3
        const pk = keyValidate(set.publicKey); // BLS-BATCH-VERIFY L4
        native.push({ msg: set.message, pk, sig });
      }
      if (sets.length === 0) return true; // BLS-BATCH-VERIFY L5
      // BLS-BATCH-VERIFY L6–L8, with blst drawing its own 64-bit scalars: one verdict for the batch
      return blst.verifyMultipleAggregateSignatures(native, false, false);
    }),

  /** Delegated to the reference back end (see the note at the top of this file). @spec BLS-POP-PROVE.1 */
  popProve: (sk) => nobleBls.popProve(sk),

  /** Delegated to the reference back end (see the note at the top of this file). @spec BLS-POP-VERIFY.1 */
  popVerify: (publicKey, proof) => nobleBls.popVerify(publicKey, proof),

  /** @spec BLS-KEY-VALIDATE.1 */
  validatePublicKey: (publicKey) =>
    attempt(() => {
      keyValidate(publicKey);
    }),

  /** @spec BLS-SIGNATURE-VALIDATE.1 */
  validateSignature: (signature) =>
    attempt(() => {
      signatureToPoint(signature);
    }),
};
