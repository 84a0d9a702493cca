import fc from "fast-check";
import type { TrieEntry } from "../../reference/trie/trieNode.ts";

/*
 * fast-check generators for trie tests. Keys come from a six-byte alphabet, so random keys often share
 * prefixes or are prefixes of one another; values of 1 to 40 bytes put nodes on both sides of the 32-byte
 * bound between inline and hashed child references.
 */

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;

/** A trie key of at most `maxLength` bytes from the small alphabet. */
export function trieKey(maxLength: number): fc.Arbitrary<Uint8Array> {
  return fc
    .array(fc.constantFrom(0x00, 0x01, 0x10, 0x11, 0xab, 0xff), { maxLength })
    .map((a) => Uint8Array.from(a));
}

/** A map as a list of entries with distinct keys of up to 5 bytes and non-empty values. */
export function trieEntries(size: { minLength?: number; maxLength: number }): fc.Arbitrary<TrieEntry[]> {
  return fc.uniqueArray(
    fc.record({ key: trieKey(5), value: fc.uint8Array({ minLength: 1, maxLength: 40 }) }),
    {
      selector: (e) => hex(e.key),
      ...size,
    },
  );
}
