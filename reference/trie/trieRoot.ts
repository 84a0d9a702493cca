import { keccak256 } from "../encoding/keccak.ts";
import { encodeScalar, rlpEncode } from "../encoding/rlp.ts";
import { ok, type Result } from "../errors.ts";
import { buildTrie, type TrieEntry } from "./trieNode.ts";

/**
 * Root of the empty trie: keccak256(RLP(empty byte string)) = keccak256(0x80)
 * = 0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421.
 *
 * @spec TRIE-ROOT.1
 */
export function emptyTrieRoot(): Uint8Array {
  return keccak256(rlpEncode(new Uint8Array(0)));
}

/**
 * The 32-byte root of the trie of a map: keccak256 of the RLP of the root node, hashed even when that
 * encoding is shorter than 32 bytes.
 *
 * @spec TRIE-ROOT.1
 */
export function trieRoot(entries: readonly TrieEntry[]): Result<Uint8Array> {
  const built = buildTrie(entries);
  if (!built.ok) return built;
  if (built.value === null) return ok(emptyTrieRoot());
  return ok(keccak256(built.value.encoded));
}

/**
 * The entries of a secure trie: every key replaced by keccak256(key), values unchanged.
 *
 * @spec TRIE-SECURE.1
 */
export function secureEntries(entries: readonly TrieEntry[]): TrieEntry[] {
  const out: TrieEntry[] = [];
  for (let i = 0; i < entries.length; i++)
    out.push({ key: keccak256(entries[i]!.key), value: entries[i]!.value });
  return out;
}

/**
 * Root of the secure trie of a map (the form of Ethereum's state and storage tries).
 *
 * @spec TRIE-SECURE.1
 */
export function secureTrieRoot(entries: readonly TrieEntry[]): Result<Uint8Array> {
  return trieRoot(secureEntries(entries));
}

/**
 * The entries that commit to an ordered list: item i under the key RLP(i) (i as an RLP scalar).
 *
 * @spec TRIE-ORDERED.1
 */
export function orderedListEntries(values: readonly Uint8Array[]): TrieEntry[] {
  const out: TrieEntry[] = [];
  for (let i = 0; i < values.length; i++) out.push({ key: encodeScalar(BigInt(i)), value: values[i]! });
  return out;
}

/**
 * Root of an ordered list (transactions, receipts): the trie of `orderedListEntries(values)`.
 *
 * @spec TRIE-ORDERED.1
 */
export function orderedListRoot(values: readonly Uint8Array[]): Result<Uint8Array> {
  return trieRoot(orderedListEntries(values));
}
