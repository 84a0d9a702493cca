import { sha256 } from "@noble/hashes/sha2.js";
import { asciiBytes, concat, uint32BE } from "./bytes.ts";
import { bytesToBigint, canonicalize } from "./group.ts";
import { VDF_DST_HASH_TO_GROUP, VDF_HASH_TO_GROUP_BLOCKS, VDF_MODULUS } from "./params.ts";

/**
 * Maps a seed (any byte string) to the canonical representative x of an element of Z_N^* / {±1}
 * (VDF-HASH-TO-GROUP L1–L7):
 *
 *   s = SHA-256(DST_H2G ‖ seed)
 *   for c = 0, 1, …:
 *     B = SHA-256(s ‖ uint32_be(c) ‖ uint32_be(0)) ‖ … ‖ SHA-256(s ‖ uint32_be(c) ‖ uint32_be(8))   (288 bytes)
 *     x = min(u, N − u) where u = OS2IP(B) mod N
 *     if x ≥ 2: return x
 *
 * @spec VDF-HASH-TO-GROUP.1
 */
export function vdfHashToGroup(seed: Uint8Array): bigint {
  // VDF-HASH-TO-GROUP L1
  const s = sha256(concat(asciiBytes(VDF_DST_HASH_TO_GROUP), seed));
  // VDF-HASH-TO-GROUP L2
  for (let c = 0; ; c++) {
    // VDF-HASH-TO-GROUP L3–L4
    const blocks: Uint8Array[] = [];
    for (let i = 0; i < VDF_HASH_TO_GROUP_BLOCKS; i++) {
      blocks.push(sha256(concat(s, uint32BE(c), uint32BE(i))));
    }
    // VDF-HASH-TO-GROUP L5
    const u = bytesToBigint(concat(...blocks)) % VDF_MODULUS;
    // VDF-HASH-TO-GROUP L6
    const x = canonicalize(u);
    // VDF-HASH-TO-GROUP L7
    if (x >= 2n) return x;
  }
}
