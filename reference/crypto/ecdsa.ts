import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak256 } from "../encoding/keccak.ts";
import { attempt, type Result, SpecError } from "../errors.ts";

/*
 * secp256k1 ECDSA as Ethereum and Harmony use it for transactions: signatures (v, r, s) over a 32-byte signing
 * hash, replay-protected by EIP-155 (v carries the chain id), canonical by EIP-2 (low s), and identifying the
 * sender by public-key recovery.
 */

const Point = secp256k1.Point;

/** The order n of the secp256k1 group. */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
/** The field modulus p of secp256k1. */
export const SECP256K1_P = 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2fn;
/** The largest s a signature may carry (EIP-2): ⌊n / 2⌋. */
export const SECP256K1_HALF_N = SECP256K1_N >> 1n;

const HASH_LENGTH = 32;
const SECRET_KEY_LENGTH = 32;

/** An EIP-155 signature. */
export interface EcdsaSignature {
  readonly v: bigint;
  readonly r: bigint;
  readonly s: bigint;
}

function bigintFromBytes(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

function bytes32(value: bigint): Uint8Array {
  const out = new Uint8Array(32);
  let rest = value;
  for (let i = 31; i >= 0; i--) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modPow(base: bigint, exponent: bigint, m: bigint): bigint {
  let result = 1n;
  let b = mod(base, m);
  let e = exponent;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return result;
}

function checkHash(hash: Uint8Array): void {
  if (hash.length !== HASH_LENGTH) {
    throw new SpecError("ECDSA_HASH_LENGTH", `signing hash must be 32 bytes, got ${hash.length}`);
  }
}

function checkChainId(chainId: bigint): void {
  if (chainId < 1n)
    throw new SpecError("ECDSA_CHAIN_ID_INVALID", `chain id must be at least 1, got ${chainId}`);
}

function parseSecretKey(secretKey: Uint8Array): bigint {
  if (secretKey.length !== SECRET_KEY_LENGTH) {
    throw new SpecError("ECDSA_SECRET_KEY_INVALID", `secret key must be 32 bytes, got ${secretKey.length}`);
  }
  const value = bigintFromBytes(secretKey);
  if (value === 0n || value >= SECP256K1_N) {
    throw new SpecError("ECDSA_SECRET_KEY_INVALID", "secret key must be an integer in [1, n − 1]");
  }
  return value;
}

/**
 * The account address of a public key given as its affine coordinates: the last 20 bytes of
 * keccak256(x ‖ y), both 32-byte big-endian (the uncompressed SEC 1 encoding without its 0x04 prefix).
 *
 * @spec ECDSA-ADDRESS.1
 */
export function addressOfPublicKey(x: bigint, y: bigint): Uint8Array {
  const encoded = new Uint8Array(64);
  encoded.set(bytes32(x), 0);
  encoded.set(bytes32(y), 32);
  return keccak256(encoded).slice(12, 32);
}

/**
 * The account address controlled by a secp256k1 secret key.
 *
 * @spec ECDSA-ADDRESS.1
 */
export function addressOfSecretKey(secretKey: Uint8Array): Result<Uint8Array> {
  return attempt(() => {
    const affine = Point.BASE.multiply(parseSecretKey(secretKey)).toAffine();
    return addressOfPublicKey(affine.x, affine.y);
  });
}

/**
 * Signs a 32-byte hash for the chain `chainId`: deterministic nonce (RFC 6979, HMAC-SHA-256), low s, and
 * v = chainId · 2 + 35 + recid.
 *
 * @spec ECDSA-SIGN.1
 */
export function signHash(hash: Uint8Array, secretKey: Uint8Array, chainId: bigint): Result<EcdsaSignature> {
  return attempt(() => {
    checkHash(hash); // ECDSA-SIGN L1
    checkChainId(chainId); // ECDSA-SIGN L2
    parseSecretKey(secretKey); // ECDSA-SIGN L3
    // ECDSA-SIGN L4–L5: RFC 6979 nonce, s normalised to the lower half (recid flips with it)
    const raw = secp256k1.sign(hash, secretKey, { prehash: false, lowS: true, format: "recovered" });
    const signature = secp256k1.Signature.fromBytes(raw, "recovered");
    const recid = signature.recovery;
    // A recid of 2 or 3 needs x(kG) ≥ n, which has probability below 2^-127; such a k is never produced by
    // RFC 6979 for a practical input. Reaching this line would be a defect, not a protocol rejection.
    if (recid !== 0 && recid !== 1) throw new Error(`unrepresentable recovery id ${recid}`);
    return { v: chainId * 2n + 35n + BigInt(recid), r: signature.r, s: signature.s }; // ECDSA-SIGN L6
  });
}

/**
 * Recovers the sender address of an EIP-155 signature over a 32-byte hash on chain `chainId`.
 *
 * @spec ECDSA-RECOVER.1
 */
export function recoverSigner(
  hash: Uint8Array,
  v: bigint,
  r: bigint,
  s: bigint,
  chainId: bigint,
): Result<Uint8Array> {
  return attempt(() => {
    checkHash(hash); // ECDSA-RECOVER L1
    checkChainId(chainId); // ECDSA-RECOVER L2
    // ECDSA-RECOVER L3
    if (v < 35n) throw new SpecError("ECDSA_V_INVALID", `v = ${v} is not an EIP-155 value (35 or more)`);
    // ECDSA-RECOVER L4
    const recid = (v - 35n) % 2n;
    if ((v - 35n) / 2n !== chainId) {
      throw new SpecError(
        "ECDSA_CHAIN_ID_MISMATCH",
        `v = ${v} encodes chain id ${(v - 35n) / 2n}, expected ${chainId}`,
      );
    }
    // ECDSA-RECOVER L5–L7
    if (r < 1n || r >= SECP256K1_N) throw new SpecError("ECDSA_R_OUT_OF_RANGE", "r must be in [1, n − 1]");
    if (s < 1n || s >= SECP256K1_N) throw new SpecError("ECDSA_S_OUT_OF_RANGE", "s must be in [1, n − 1]");
    if (s > SECP256K1_HALF_N) throw new SpecError("ECDSA_S_HIGH", "s must not exceed n / 2 (EIP-2)");
    // ECDSA-RECOVER L8–L10: the point R with x = r and y of parity recid
    const y2 = mod(r * r * r + 7n, SECP256K1_P);
    let y = modPow(y2, (SECP256K1_P + 1n) / 4n, SECP256K1_P);
    if ((y * y) % SECP256K1_P !== y2) {
      throw new SpecError("ECDSA_RECOVERY_FAILED", "r is not the x coordinate of a curve point");
    }
    if (y % 2n !== recid) y = SECP256K1_P - y;
    const bigR = Point.fromAffine({ x: r, y });
    // ECDSA-RECOVER L11–L12: Q = r⁻¹ · (s·R − e·G)
    const e = mod(bigintFromBytes(hash), SECP256K1_N);
    const rInverse = modPow(r, SECP256K1_N - 2n, SECP256K1_N);
    const u1 = mod(-e * rInverse, SECP256K1_N);
    const u2 = mod(s * rInverse, SECP256K1_N);
    const q = Point.BASE.multiplyUnsafe(u1).add(bigR.multiplyUnsafe(u2));
    // ECDSA-RECOVER L13
    if (q.is0())
      throw new SpecError("ECDSA_RECOVERY_FAILED", "the recovered public key is the point at infinity");
    // ECDSA-RECOVER L14
    const affine = q.toAffine();
    return addressOfPublicKey(affine.x, affine.y);
  });
}
