import type { WeierstrassPoint } from "@noble/curves/abstract/weierstrass.js";
import { bls12_381 } from "@noble/curves/bls12-381.js";
import { attempt, type Result, SpecError } from "../../errors.ts";
import type { BlsBackend, SignatureSet } from "./backend.ts";
import { batchScalars, checkBatchRandomness } from "./backend.ts";
import { BLS_POP_DST, BLS_SIGNATURE_DST } from "./ciphersuite.ts";
import { encodeCompressedPoint, fieldSign, parseCompressedPoint, parseSecretKey } from "./encoding.ts";

/*
 * The reference BLS back end: pure TypeScript on @noble/curves. Every step is written out (decoding, subgroup
 * checks, hashing, the pairing equation) so that it reads against the pseudo-code of chapter 2; noble supplies
 * only field and group arithmetic, RFC 9380 hash_to_curve and the pairing.
 */

type Fp2 = { readonly c0: bigint; readonly c1: bigint };
type G1Point = WeierstrassPoint<bigint>;
type G2Point = WeierstrassPoint<Fp2>;

const { Fp, Fp2: Fp2Field, Fp12 } = bls12_381.fields;
const G1 = bls12_381.G1.Point;
const G2 = bls12_381.G2.Point;
const G1_B = 4n;
const G2_B: Fp2 = { c0: 4n, c1: 4n };

function sqrtFp(value: bigint): bigint | null {
  let root: bigint;
  try {
    root = Fp.sqrt(value);
  } catch {
    return null;
  }
  return Fp.eql(Fp.sqr(root), value) ? root : null;
}

function sqrtFp2(value: Fp2): Fp2 | null {
  let root: Fp2;
  try {
    root = Fp2Field.sqrt(value);
  } catch {
    return null;
  }
  return Fp2Field.eql(Fp2Field.sqr(root), value) ? root : null;
}

/** BLS-POINT-DECODE for G1: L1–L8 in encoding.ts, L9–L12 here. @spec BLS-POINT-DECODE.1 */
function decodeG1(bytes: Uint8Array): G1Point {
  const parsed = parseCompressedPoint(bytes, "G1");
  if (parsed.infinity) return G1.ZERO;
  const x = parsed.x0;
  const rhs = Fp.add(Fp.mul(Fp.sqr(x), x), G1_B); // BLS-POINT-DECODE L9
  let y = sqrtFp(rhs);
  if (y === null) throw new SpecError("BLS_POINT_NOT_ON_CURVE", "G1 x has no point on the curve"); // BLS-POINT-DECODE L10
  if (fieldSign(y, 0n) !== parsed.yFlag) y = Fp.neg(y); // BLS-POINT-DECODE L11
  return G1.fromAffine({ x, y }); // BLS-POINT-DECODE L12
}

/** BLS-POINT-DECODE for G2. @spec BLS-POINT-DECODE.1 */
function decodeG2(bytes: Uint8Array): G2Point {
  const parsed = parseCompressedPoint(bytes, "G2");
  if (parsed.infinity) return G2.ZERO;
  const x: Fp2 = { c0: parsed.x0, c1: parsed.x1 };
  const rhs = Fp2Field.add(Fp2Field.mul(Fp2Field.sqr(x), x), G2_B); // BLS-POINT-DECODE L9
  let y = sqrtFp2(rhs);
  if (y === null) throw new SpecError("BLS_POINT_NOT_ON_CURVE", "G2 x has no point on the curve"); // BLS-POINT-DECODE L10
  if (fieldSign(y.c0, y.c1) !== parsed.yFlag) y = Fp2Field.neg(y); // BLS-POINT-DECODE L11
  return G2.fromAffine({ x, y }); // BLS-POINT-DECODE L12
}

/** @spec BLS-POINT-ENCODING.1 */
function encodeG1(point: G1Point): Uint8Array {
  if (point.is0()) return encodeCompressedPoint("G1", null);
  const affine = point.toAffine();
  return encodeCompressedPoint("G1", { x0: affine.x, x1: 0n, y0: affine.y, y1: 0n });
}

/** @spec BLS-POINT-ENCODING.1 */
function encodeG2(point: G2Point): Uint8Array {
  if (point.is0()) return encodeCompressedPoint("G2", null);
  const affine = point.toAffine();
  return encodeCompressedPoint("G2", { x0: affine.x.c0, x1: affine.x.c1, y0: affine.y.c0, y1: affine.y.c1 });
}

/** KeyValidate. @spec BLS-KEY-VALIDATE.1 */
function keyValidate(bytes: Uint8Array): G1Point {
  const point = decodeG1(bytes); // BLS-KEY-VALIDATE L1
  if (point.is0()) throw new SpecError("BLS_PUBKEY_IDENTITY", "public key is the identity"); // BLS-KEY-VALIDATE L2
  if (!point.isTorsionFree()) {
    throw new SpecError("BLS_POINT_NOT_IN_SUBGROUP", "public key is not in the prime-order subgroup G1"); // BLS-KEY-VALIDATE L3
  }
  return point;
}

/** signature_to_point followed by signature_subgroup_check. @spec BLS-SIGNATURE-VALIDATE.1 */
function signatureToPoint(bytes: Uint8Array): G2Point {
  const point = decodeG2(bytes); // BLS-SIGNATURE-VALIDATE L1
  if (!point.isTorsionFree()) {
    throw new SpecError("BLS_POINT_NOT_IN_SUBGROUP", "signature is not in the prime-order subgroup G2"); // BLS-SIGNATURE-VALIDATE L2
  }
  return point;
}

/**
 * hash_to_point: RFC 9380 hash_to_curve for G2, suite BLS12381G2_XMD:SHA-256_SSWU_RO_, with the given DST.
 *
 * @spec BLS-HASH-TO-G2.1
 */
export function hashToG2(message: Uint8Array, dst: string): G2Point {
  return bls12_381.G2.hashToCurve(message, { DST: dst }) as G2Point;
}

/** Affine coordinates of hash_to_point(message) with the given DST, as (x0, x1, y0, y1). @spec BLS-HASH-TO-G2.1 */
export function hashToG2Affine(
  message: Uint8Array,
  dst: string,
): { x0: bigint; x1: bigint; y0: bigint; y1: bigint } {
  const affine = hashToG2(message, dst).toAffine();
  return { x0: affine.x.c0, x1: affine.x.c1, y0: affine.y.c0, y1: affine.y.c1 };
}

/**
 * True when ∏ e(P_i, Q_i) is the identity of GT. A pair with an identity member contributes e(·,·) = 1 and is
 * skipped (the pairing of noble rejects the identity as input).
 */
function pairingProductIsOne(pairs: readonly { readonly g1: G1Point; readonly g2: G2Point }[]): boolean {
  const kept: { g1: G1Point; g2: G2Point }[] = [];
  for (const pair of pairs) {
    if (pair.g1.is0() || pair.g2.is0()) continue;
    kept.push({ g1: pair.g1, g2: pair.g2 });
  }
  return Fp12.eql(bls12_381.pairingBatch(kept), Fp12.ONE);
}

/** CoreVerify's pairing check e(P, Q) = e(g1, R), written as e(−P, Q) · e(g1, R) = 1. */
function coreVerifyPoints(publicKey: G1Point, message: G2Point, signature: G2Point): boolean {
  return pairingProductIsOne([
    { g1: publicKey.negate(), g2: message },
    { g1: G1.BASE, g2: signature },
  ]);
}

/** @spec BLS-SK-TO-PK.1 */
function secretToPublic(secretKey: Uint8Array): Result<Uint8Array> {
  return attempt(() => encodeG1(G1.BASE.multiply(parseSecretKey(secretKey))));
}

/** @spec BLS-SIGN.1 */
function sign(secretKey: Uint8Array, message: Uint8Array): Result<Uint8Array> {
  return attempt(() => {
    const sk = parseSecretKey(secretKey); // BLS-SIGN L1
    const q = hashToG2(message, BLS_SIGNATURE_DST); // BLS-SIGN L2
    return encodeG2(q.multiply(sk)); // BLS-SIGN L3–L4
  });
}

/** @spec BLS-VERIFY.1 */
function verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): Result<boolean> {
  return attempt(() => {
    const r = signatureToPoint(signature); // BLS-VERIFY L1
    const p = keyValidate(publicKey); // BLS-VERIFY L2
    const q = hashToG2(message, BLS_SIGNATURE_DST); // BLS-VERIFY L3
    return coreVerifyPoints(p, q, r); // BLS-VERIFY L4
  });
}

/** @spec BLS-AGGREGATE.1 */
function aggregateSignatures(signatures: readonly Uint8Array[]): Result<Uint8Array> {
  return attempt(() => {
    if (signatures.length === 0)
      throw new SpecError("BLS_AGGREGATE_EMPTY", "cannot aggregate zero signatures"); // BLS-AGGREGATE L1
    let sum = G2.ZERO;
    for (const signature of signatures) sum = sum.add(signatureToPoint(signature)); // BLS-AGGREGATE L2–L3
    return encodeG2(sum); // BLS-AGGREGATE L4
  });
}

/** @spec BLS-AGGREGATE-KEYS.1 */
function aggregatePublicKeys(publicKeys: readonly Uint8Array[]): Result<Uint8Array> {
  return attempt(() => {
    if (publicKeys.length === 0)
      throw new SpecError("BLS_AGGREGATE_EMPTY", "cannot aggregate zero public keys"); // BLS-AGGREGATE-KEYS L1
    let sum = G1.ZERO;
    for (const publicKey of publicKeys) sum = sum.add(keyValidate(publicKey)); // BLS-AGGREGATE-KEYS L2–L3
    if (sum.is0()) throw new SpecError("BLS_AGGREGATE_IDENTITY", "the public keys sum to the identity"); // BLS-AGGREGATE-KEYS L4
    return encodeG1(sum); // BLS-AGGREGATE-KEYS L5
  });
}

/** @spec BLS-FAST-AGGREGATE-VERIFY.1 */
function fastAggregateVerify(
  publicKeys: readonly Uint8Array[],
  message: Uint8Array,
  signature: Uint8Array,
): Result<boolean> {
  return attempt(() => {
    if (publicKeys.length === 0) return false; // BLS-FAST-AGGREGATE-VERIFY L1
    const r = signatureToPoint(signature); // BLS-FAST-AGGREGATE-VERIFY L2
    let aggregate = G1.ZERO;
    for (const publicKey of publicKeys) aggregate = aggregate.add(keyValidate(publicKey)); // BLS-FAST-AGGREGATE-VERIFY L3–L4
    if (aggregate.is0()) return false; // BLS-FAST-AGGREGATE-VERIFY L5
    const q = hashToG2(message, BLS_SIGNATURE_DST); // BLS-FAST-AGGREGATE-VERIFY L6
    return coreVerifyPoints(aggregate, q, r); // BLS-FAST-AGGREGATE-VERIFY L7
  });
}

/** @spec BLS-AGGREGATE-VERIFY.1 */
function aggregateVerify(
  publicKeys: readonly Uint8Array[],
  messages: readonly Uint8Array[],
  signature: Uint8Array,
): Result<boolean> {
  return attempt(() => {
    if (publicKeys.length !== messages.length) {
      throw new SpecError(
        "BLS_LENGTH_MISMATCH",
        `${publicKeys.length} public keys but ${messages.length} messages`,
      ); // BLS-AGGREGATE-VERIFY L1
    }
    if (publicKeys.length === 0) return false; // BLS-AGGREGATE-VERIFY L2
    const r = signatureToPoint(signature); // BLS-AGGREGATE-VERIFY L3
    const pairs: { g1: G1Point; g2: G2Point }[] = [{ g1: G1.BASE.negate(), g2: r }];
    for (let i = 0; i < publicKeys.length; i++) {
      const p = keyValidate(publicKeys[i]!); // BLS-AGGREGATE-VERIFY L6
      pairs.push({ g1: p, g2: hashToG2(messages[i]!, BLS_SIGNATURE_DST) }); // BLS-AGGREGATE-VERIFY L7
    }
    return pairingProductIsOne(pairs); // BLS-AGGREGATE-VERIFY L8
  });
}

/** @spec BLS-BATCH-VERIFY.1 */
function verifyBatch(sets: readonly SignatureSet[], randomness: Uint8Array): Result<boolean> {
  return attempt(() => {
    checkBatchRandomness(randomness); // BLS-BATCH-VERIFY L1
    // BLS-BATCH-VERIFY L2–L4: every input, in order, before any pairing
    const signatures: G2Point[] = [];
    const keys: G1Point[] = [];
    for (let i = 0; i < sets.length; i++) {
      signatures.push(signatureToPoint(sets[i]!.signature)); // BLS-BATCH-VERIFY L3
      keys.push(keyValidate(sets[i]!.publicKey)); // BLS-BATCH-VERIFY L4
    }
    if (sets.length === 0) return true; // BLS-BATCH-VERIFY L5
    const scalars = batchScalars(randomness, sets.length); // BLS-BATCH-VERIFY L6
    let combined = G2.ZERO;
    const pairs: { g1: G1Point; g2: G2Point }[] = [];
    for (let i = 0; i < sets.length; i++) {
      const c = scalars[i]!;
      combined = combined.add(signatures[i]!.multiply(c)); // BLS-BATCH-VERIFY L7
      pairs.push({ g1: keys[i]!.multiply(c), g2: hashToG2(sets[i]!.message, BLS_SIGNATURE_DST) });
    }
    // BLS-BATCH-VERIFY L8: ∏ e(c_i·P_i, H_i) · e(−g1, Σ) = 1, one verdict for the whole batch
    pairs.push({ g1: G1.BASE.negate(), g2: combined });
    return pairingProductIsOne(pairs);
  });
}

/** @spec BLS-POP-PROVE.1 */
function popProve(secretKey: Uint8Array): Result<Uint8Array> {
  return attempt(() => {
    const sk = parseSecretKey(secretKey); // BLS-POP-PROVE L1
    const publicKey = encodeG1(G1.BASE.multiply(sk)); // BLS-POP-PROVE L2
    const q = hashToG2(publicKey, BLS_POP_DST); // BLS-POP-PROVE L3
    return encodeG2(q.multiply(sk)); // BLS-POP-PROVE L4
  });
}

/** @spec BLS-POP-VERIFY.1 */
function popVerify(publicKey: Uint8Array, proof: Uint8Array): Result<boolean> {
  return attempt(() => {
    const r = signatureToPoint(proof); // BLS-POP-VERIFY L1
    const p = keyValidate(publicKey); // BLS-POP-VERIFY L2
    const q = hashToG2(publicKey, BLS_POP_DST); // BLS-POP-VERIFY L3
    return coreVerifyPoints(p, q, r); // BLS-POP-VERIFY L4
  });
}

/**
 * The reference BLS back end (pure TypeScript).
 *
 * @spec BLS-BACKENDS.1
 */
export const nobleBls: BlsBackend = {
  name: "noble",
  secretToPublic,
  sign,
  verify,
  aggregateSignatures,
  aggregatePublicKeys,
  fastAggregateVerify,
  aggregateVerify,
  verifyBatch,
  popProve,
  popVerify,
  validatePublicKey: (publicKey) =>
    attempt(() => {
      keyValidate(publicKey);
    }),
  validateSignature: (signature) =>
    attempt(() => {
      signatureToPoint(signature);
    }),
};
