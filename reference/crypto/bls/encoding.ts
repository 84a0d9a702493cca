import { SpecError } from "../../errors.ts";
import {
  BLS_FIELD_MODULUS,
  BLS_GROUP_ORDER,
  BLS_PUBLIC_KEY_LENGTH,
  BLS_SECRET_KEY_LENGTH,
  BLS_SIGNATURE_LENGTH,
} from "./ciphersuite.ts";

/**
 * The byte-level part of decoding a compressed point (BLS-POINT-DECODE L1–L8), shared by every back end so
 * that malformed encodings are rejected with the same code before any curve arithmetic runs.
 * `x` is one field element for G1 and the pair (x0, x1) = real and imaginary parts for G2.
 */
export type CompressedPoint =
  | { readonly infinity: true }
  | { readonly infinity: false; readonly x0: bigint; readonly x1: bigint; readonly yFlag: boolean };

const FLAG_COMPRESSED = 0x80;
const FLAG_INFINITY = 0x40;
const FLAG_SIGN = 0x20;
const FLAG_MASK = 0xe0;
const FIELD_BYTES = 48;

function bigintFromBytes(bytes: Uint8Array, start: number, end: number): bigint {
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function bigintToBytes(value: bigint, out: Uint8Array, start: number, length: number): void {
  let rest = value;
  for (let i = start + length - 1; i >= start; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
}

/**
 * Runs BLS-POINT-DECODE L1–L8 on a 48-byte (G1) or 96-byte (G2) compressed encoding.
 *
 * @spec BLS-POINT-DECODE.1
 */
export function parseCompressedPoint(bytes: Uint8Array, group: "G1" | "G2"): CompressedPoint {
  const length = group === "G1" ? BLS_PUBLIC_KEY_LENGTH : BLS_SIGNATURE_LENGTH;
  // BLS-POINT-DECODE L1
  if (bytes.length !== length) {
    throw new SpecError("BLS_POINT_LENGTH", `${group} point must be ${length} bytes, got ${bytes.length}`);
  }
  // BLS-POINT-DECODE L2
  const head = bytes[0]!;
  const compressed = (head & FLAG_COMPRESSED) !== 0;
  const infinity = (head & FLAG_INFINITY) !== 0;
  const sign = (head & FLAG_SIGN) !== 0;
  // BLS-POINT-DECODE L3
  if (!compressed)
    throw new SpecError("BLS_POINT_NOT_COMPRESSED", `${group} point lacks the compression flag`);
  // BLS-POINT-DECODE L4
  const body = bytes.slice();
  body[0] = head & ~FLAG_MASK;
  // BLS-POINT-DECODE L5–L7
  if (infinity) {
    let nonzero = sign;
    for (let i = 0; i < body.length; i++) if (body[i] !== 0) nonzero = true;
    if (nonzero) {
      throw new SpecError(
        "BLS_POINT_INFINITY_MALFORMED",
        `${group} infinity encoding has a nonzero bit or the sign flag`,
      );
    }
    return { infinity: true };
  }
  // BLS-POINT-DECODE L8
  if (group === "G1") {
    const x = bigintFromBytes(body, 0, FIELD_BYTES);
    if (x >= BLS_FIELD_MODULUS)
      throw new SpecError("BLS_POINT_X_NOT_CANONICAL", "G1 x coordinate is not below p");
    return { infinity: false, x0: x, x1: 0n, yFlag: sign };
  }
  const x1 = bigintFromBytes(body, 0, FIELD_BYTES);
  const x0 = bigintFromBytes(body, FIELD_BYTES, 2 * FIELD_BYTES);
  if (x1 >= BLS_FIELD_MODULUS || x0 >= BLS_FIELD_MODULUS) {
    throw new SpecError("BLS_POINT_X_NOT_CANONICAL", "G2 x coordinate has a part not below p");
  }
  return { infinity: false, x0, x1, yFlag: sign };
}

/**
 * The sign of a field element used by the compressed encoding: for Fp, y > (p − 1)/2; for Fp2 (y = y0 + y1·u),
 * the sign of y1 when y1 ≠ 0, else the sign of y0.
 *
 * @spec BLS-POINT-ENCODING.1
 */
export function fieldSign(y0: bigint, y1: bigint): boolean {
  const half = (BLS_FIELD_MODULUS - 1n) / 2n;
  if (y1 !== 0n) return y1 > half;
  return y0 > half;
}

/**
 * Serializes an affine point (or the identity) in the compressed form. For G1 pass x1 = y1 = 0.
 *
 * @spec BLS-POINT-ENCODING.1
 */
export function encodeCompressedPoint(
  group: "G1" | "G2",
  point: { readonly x0: bigint; readonly x1: bigint; readonly y0: bigint; readonly y1: bigint } | null,
): Uint8Array {
  const length = group === "G1" ? BLS_PUBLIC_KEY_LENGTH : BLS_SIGNATURE_LENGTH;
  const out = new Uint8Array(length);
  if (point === null) {
    out[0] = FLAG_COMPRESSED | FLAG_INFINITY;
    return out;
  }
  if (group === "G1") {
    bigintToBytes(point.x0, out, 0, FIELD_BYTES);
  } else {
    bigintToBytes(point.x1, out, 0, FIELD_BYTES);
    bigintToBytes(point.x0, out, FIELD_BYTES, FIELD_BYTES);
  }
  out[0] = out[0]! | FLAG_COMPRESSED;
  if (fieldSign(point.y0, point.y1)) out[0] = out[0]! | FLAG_SIGN;
  return out;
}

/** True when the encoding is the canonical identity (0xc0 followed by zero bytes). */
export function isIdentityEncoding(bytes: Uint8Array): boolean {
  if (bytes[0] !== (FLAG_COMPRESSED | FLAG_INFINITY)) return false;
  for (let i = 1; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * A secret key is 32 bytes holding a big-endian integer SK with 1 ≤ SK < r.
 *
 * @spec BLS-SECRET-KEY.1
 */
export function parseSecretKey(bytes: Uint8Array): bigint {
  if (bytes.length !== BLS_SECRET_KEY_LENGTH) {
    throw new SpecError("BLS_SECRET_KEY_INVALID", `secret key must be 32 bytes, got ${bytes.length}`);
  }
  const value = bigintFromBytes(bytes, 0, BLS_SECRET_KEY_LENGTH);
  if (value === 0n || value >= BLS_GROUP_ORDER) {
    throw new SpecError("BLS_SECRET_KEY_INVALID", "secret key must be an integer in [1, r − 1]");
  }
  return value;
}

/** @spec BLS-SECRET-KEY.1 */
export function secretKeyToBytes(value: bigint): Uint8Array {
  const out = new Uint8Array(BLS_SECRET_KEY_LENGTH);
  bigintToBytes(value, out, 0, BLS_SECRET_KEY_LENGTH);
  return out;
}
