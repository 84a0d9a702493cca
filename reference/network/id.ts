import { sha256 } from "@noble/hashes/sha2.js";
import { SpecError } from "../errors.ts";

/*
 * Identifiers and the XOR distance (§13.1).
 */

/** Bytes of a node identifier. */
export const ID_BYTES = 32;

/** ID(key) = sha256(key). @spec ROUTE-ID.1 */
export function nodeId(key: Uint8Array): Uint8Array {
  return sha256(key);
}

/** Raises ROUTE_ID_LENGTH unless `id` is 32 bytes. @spec ROUTE-ID.1 */
export function checkId(id: Uint8Array, what: string): void {
  if (id.length !== ID_BYTES) throw new SpecError("ROUTE_ID_LENGTH", `${what} is ${id.length} bytes, not 32`);
}

/** DIST(a, b) = a ⊕ b, as 32 big-endian bytes. @spec ROUTE-ID.1 */
export function distance(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(ID_BYTES);
  for (let i = 0; i < ID_BYTES; i++) out[i] = a[i]! ^ b[i]!;
  return out;
}

/** −1, 0 or 1 as DIST(a, t) is below, equal to or above DIST(b, t): big-endian comparison of the XORs. */
export function compareDistance(a: Uint8Array, b: Uint8Array, target: Uint8Array): number {
  for (let i = 0; i < ID_BYTES; i++) {
    const x = a[i]! ^ target[i]!;
    const y = b[i]! ^ target[i]!;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * BUCKET(s, c) (L1–L3): the number of leading zero bits of DIST(s, c), the number of leading bits `c` shares
 * with `s`.
 *
 * @spec ROUTE-ID.1
 */
export function bucketIndex(self: Uint8Array, contact: Uint8Array): number {
  checkId(self, "the own identifier"); // BUCKET L1
  checkId(contact, "the contact"); // BUCKET L1
  for (let i = 0; i < ID_BYTES; i++) {
    const x = self[i]! ^ contact[i]!;
    if (x !== 0) return 8 * i + Math.clz32(x) - 24; // BUCKET L3
  }
  throw new SpecError("ROUTE_SELF", "a node is not its own contact"); // BUCKET L2
}
