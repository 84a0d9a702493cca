import { SpecError } from "../../errors.ts";
import { VDF_ELEMENT_BYTES, VDF_HALF_MODULUS, VDF_MODULUS } from "./params.ts";

/**
 * The group of the VDF is the quotient Z_N^* / {±1}: v and N − v are one element. The canonical
 * representative of a class is the smaller of the two, min(v, N − v), which lies in [1, (N − 1) / 2] for
 * every v in [1, N − 1].
 *
 * @spec VDF-GROUP.1
 */
export function canonicalize(value: bigint): bigint {
  const reduced = value % VDF_MODULUS;
  const negated = VDF_MODULUS - reduced;
  if (negated < reduced) return negated;
  return reduced;
}

/** True when `a` and `b` (integers in [0, N)) name the same class of Z_N^* / {±1}. @spec VDF-GROUP.1 */
export function sameClass(a: bigint, b: bigint): boolean {
  return a === b || a + b === VDF_MODULUS;
}

/** a · b mod N. */
export function mulMod(a: bigint, b: bigint): bigint {
  return (a * b) % VDF_MODULUS;
}

/** Bits of a non-negative exponent, most significant first ("" for zero). */
function bitsOf(exponent: bigint): string {
  return exponent === 0n ? "" : exponent.toString(2);
}

/**
 * base^exponent mod `modulus` by left-to-right square-and-multiply. `exponent` ≥ 0, `modulus` ≥ 2.
 */
export function powMod(base: bigint, exponent: bigint, modulus: bigint): bigint {
  const b = ((base % modulus) + modulus) % modulus;
  const bits = bitsOf(exponent);
  let acc = 1n % modulus;
  for (let i = 0; i < bits.length; i++) {
    acc = (acc * acc) % modulus;
    if (bits.charCodeAt(i) === 49) acc = (acc * b) % modulus;
  }
  return acc;
}

/**
 * a^e · b^f mod N by a joint left-to-right pass over both exponents in 2-bit windows (Straus–Shamir): one
 * shared chain of squarings, one multiplication per window by the precomputed a^i · b^j (i, j ∈ 0..3). Used by
 * verification, where it costs about max(|e|, |f|) squarings plus half as many multiplications.
 */
export function doublePowMod(a: bigint, e: bigint, b: bigint, f: bigint): bigint {
  // table[4 * i + j] = a^i · b^j mod N
  const table: bigint[] = new Array<bigint>(16).fill(1n);
  const a2 = mulMod(a, a);
  const b2 = mulMod(b, b);
  const aPowers = [1n, a % VDF_MODULUS, a2, mulMod(a2, a)];
  const bPowers = [1n, b % VDF_MODULUS, b2, mulMod(b2, b)];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      if (i === 0) table[4 * i + j] = bPowers[j]!;
      else if (j === 0) table[4 * i + j] = aPowers[i]!;
      else table[4 * i + j] = mulMod(aPowers[i]!, bPowers[j]!);
    }
  }
  let eBits = bitsOf(e);
  let fBits = bitsOf(f);
  let width = Math.max(eBits.length, fBits.length);
  if (width % 2 === 1) width++;
  eBits = eBits.padStart(width, "0");
  fBits = fBits.padStart(width, "0");
  let acc = 1n;
  for (let i = 0; i < width; i += 2) {
    acc = mulMod(acc, acc);
    acc = mulMod(acc, acc);
    const ei = 2 * (eBits.charCodeAt(i) - 48) + (eBits.charCodeAt(i + 1) - 48);
    const fj = 2 * (fBits.charCodeAt(i) - 48) + (fBits.charCodeAt(i + 1) - 48);
    if (ei !== 0 || fj !== 0) acc = mulMod(acc, table[4 * ei + fj]!);
  }
  return acc;
}

/**
 * I2OSP(value, 256): the 256-byte big-endian form of an integer in [0, N).
 *
 * @spec VDF-ENCODING.1
 */
export function encodeElement(value: bigint): Uint8Array {
  const hex = value.toString(16).padStart(2 * VDF_ELEMENT_BYTES, "0");
  const out = new Uint8Array(VDF_ELEMENT_BYTES);
  for (let i = 0; i < VDF_ELEMENT_BYTES; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** OS2IP: the unsigned big-endian integer of a byte string. */
export function bytesToBigint(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n;
  let hex = "";
  for (let i = 0; i < bytes.length; i++) hex += bytes[i]!.toString(16).padStart(2, "0");
  return BigInt(`0x${hex}`);
}

/**
 * Decodes an untrusted group element (VDF-ENCODING L1–L5): exactly 256 bytes, an integer in [1, N),
 * and the canonical representative of its class. `what` names the field in the error detail.
 *
 * @spec VDF-ENCODING.1
 */
export function decodeElement(bytes: Uint8Array, what: string): bigint {
  // VDF-ENCODING L1
  if (bytes.length !== VDF_ELEMENT_BYTES) {
    throw new SpecError(
      "VDF_ENCODING_LENGTH",
      `${what} must be ${VDF_ELEMENT_BYTES} bytes, got ${bytes.length}`,
    );
  }
  // VDF-ENCODING L2
  const value = bytesToBigint(bytes);
  // VDF-ENCODING L3
  if (value === 0n || value >= VDF_MODULUS) {
    throw new SpecError("VDF_ELEMENT_OUT_OF_RANGE", `${what} is not in [1, N)`);
  }
  // VDF-ENCODING L4
  if (value > VDF_HALF_MODULUS) {
    throw new SpecError(
      "VDF_ELEMENT_NOT_CANONICAL",
      `${what} is not the canonical representative min(v, N − v)`,
    );
  }
  // VDF-ENCODING L5
  return value;
}
