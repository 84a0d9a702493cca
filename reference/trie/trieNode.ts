import { keccak256 } from "../encoding/keccak.ts";
import { type RlpItem, rlpEncode } from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { hexPrefixEncode, keyToNibbles } from "./hexPrefix.ts";

/** One key/value pair of the map a trie commits to. */
export interface TrieEntry {
  readonly key: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * A node of a built trie. `item` is the node's RLP structure (children already replaced by their
 * references), `encoded` is `rlpEncode(item)`, and `ref` is the reference a parent holds (TRIE-REF.1).
 */
export type TrieNode =
  | {
      readonly kind: "leaf";
      readonly path: Uint8Array;
      readonly value: Uint8Array;
      readonly item: RlpItem;
      readonly encoded: Uint8Array;
      readonly ref: RlpItem;
    }
  | {
      readonly kind: "extension";
      readonly path: Uint8Array;
      readonly child: TrieNode;
      readonly item: RlpItem;
      readonly encoded: Uint8Array;
      readonly ref: RlpItem;
    }
  | {
      readonly kind: "branch";
      readonly children: readonly (TrieNode | null)[];
      readonly value: Uint8Array | null;
      readonly item: RlpItem;
      readonly encoded: Uint8Array;
      readonly ref: RlpItem;
    };

/** An entry with its key as a nibble path. */
interface PathEntry {
  readonly key: Uint8Array;
  readonly path: Uint8Array;
  readonly value: Uint8Array;
}

/**
 * Lexicographic order of byte strings; a proper prefix sorts first.
 *
 * @spec TRIE-ENTRIES.1
 */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

function hexOf(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, "0");
  return out;
}

/**
 * Checks that the entries form a map the trie can hold (no empty value, no key twice) and returns them
 * sorted by key with their nibble paths. Sorting by key bytes equals sorting by nibble path.
 *
 * @spec TRIE-ENTRIES.1
 */
function prepareEntries(entries: readonly TrieEntry[]): PathEntry[] {
  const out: PathEntry[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    if (entry.value.length === 0) {
      throw new SpecError("TRIE_EMPTY_VALUE", `entry ${i} (key ${hexOf(entry.key)}) has an empty value`); // TRIE-ENTRIES L1
    }
    out.push({ key: entry.key, path: keyToNibbles(entry.key), value: entry.value });
  }
  out.sort((a, b) => compareBytes(a.key, b.key)); // TRIE-ENTRIES L2
  for (let i = 1; i < out.length; i++) {
    if (compareBytes(out[i - 1]!.key, out[i]!.key) === 0) {
      throw new SpecError("TRIE_DUPLICATE_KEY", `key ${hexOf(out[i]!.key)} appears more than once`); // TRIE-ENTRIES L3
    }
  }
  return out;
}

/**
 * The reference a parent holds to a node: the node's RLP structure itself when its encoding is shorter
 * than 32 bytes (embedded), otherwise the 32-byte keccak256 of the encoding.
 *
 * @spec TRIE-REF.1
 */
export function nodeRef(item: RlpItem, encoded: Uint8Array): RlpItem {
  return encoded.length < 32 ? item : keccak256(encoded);
}

/** The encoding of a node's RLP structure and the reference to it. */
function encodeNode(item: RlpItem): { encoded: Uint8Array; ref: RlpItem } {
  const encoded = rlpEncode(item);
  return { encoded, ref: nodeRef(item, encoded) };
}

/** TRIE-NODE L1–L11 over the sorted range entries[lo, hi), all of whose paths share their first `depth` nibbles. */
function build(entries: readonly PathEntry[], lo: number, hi: number, depth: number): TrieNode {
  const first = entries[lo]!;
  if (hi - lo === 1) {
    // TRIE-NODE L1: one entry left: a leaf holding the rest of its path
    const path = first.path.subarray(depth);
    const item: RlpItem = [hexPrefixEncode(path, true), first.value];
    return { kind: "leaf", path, value: first.value, item, ...encodeNode(item) };
  }
  const last = entries[hi - 1]!;
  let common = 0; // TRIE-NODE L2
  while (
    depth + common < first.path.length &&
    depth + common < last.path.length &&
    first.path[depth + common] === last.path[depth + common]
  ) {
    common++;
  }
  if (common > 0) {
    // TRIE-NODE L3: every path continues with the same `common` nibbles: an extension over a branch
    const path = first.path.subarray(depth, depth + common);
    const child = build(entries, lo, hi, depth + common);
    const item: RlpItem = [hexPrefixEncode(path, false), child.ref];
    return { kind: "extension", path, child, item, ...encodeNode(item) };
  }
  const children: (TrieNode | null)[] = []; // TRIE-NODE L4
  const item: RlpItem[] = [];
  for (let n = 0; n < 16; n++) {
    children.push(null);
    item.push(new Uint8Array(0));
  }
  let value: Uint8Array | null = null;
  let j = lo; // TRIE-NODE L5
  if (first.path.length === depth) {
    value = first.value; // TRIE-NODE L6: a key that ends here (it sorts first)
    j = lo + 1;
  }
  for (let n = 0; n < 16; n++) {
    // TRIE-NODE L7
    let k = j;
    while (k < hi && entries[k]!.path[depth] === n) k++; // TRIE-NODE L8
    if (k > j) {
      const child = build(entries, j, k, depth + 1); // TRIE-NODE L9
      children[n] = child;
      item[n] = child.ref;
      j = k;
    }
  }
  item.push(value ?? new Uint8Array(0)); // TRIE-NODE L10
  return { kind: "branch", children, value, item, ...encodeNode(item) }; // TRIE-NODE L11
}

/**
 * Builds the trie of a map: null for the empty map, else its root node with every node below it. The
 * shape depends on the set of entries only, never on their order.
 *
 * @spec TRIE-ENTRIES.1 TRIE-NODE.1
 */
export function buildTrie(entries: readonly TrieEntry[]): Result<TrieNode | null> {
  return attempt(() => {
    const sorted = prepareEntries(entries);
    if (sorted.length === 0) return null;
    return build(sorted, 0, sorted.length, 0);
  });
}
