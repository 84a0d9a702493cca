import { sha256 } from "@noble/hashes/sha2.js";

/*
 * The rendezvous key of a shard (§13.4).
 */

export const SHARD_KEY_TAG = "HARMONY-SHARD-V1";

/** SHARD-KEY(s) = sha256("HARMONY-SHARD-V1" ‖ uint32_be(s)). @spec ROUTE-SHARD.1 */
export function shardKey(shard: number): Uint8Array {
  const tag = new TextEncoder().encode(SHARD_KEY_TAG);
  const input = new Uint8Array(tag.length + 4);
  input.set(tag, 0);
  new DataView(input.buffer).setUint32(tag.length, shard);
  return sha256(input);
}
