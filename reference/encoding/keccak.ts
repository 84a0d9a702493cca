import { keccak_256 } from "@noble/hashes/sha3.js";

/**
 * Keccak-256 as used by Ethereum and Harmony: Keccak[r = 1088, c = 512] with the original Keccak padding
 * (domain byte 0x01), not FIPS 202 SHA3-256 (domain byte 0x06). Returns 32 bytes.
 *
 * @spec KECCAK-256.1
 */
export function keccak256(data: Uint8Array): Uint8Array {
  return keccak_256(data);
}
