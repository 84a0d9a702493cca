import { keccak256 } from "../encoding/keccak.ts";
import { isRlpList, type RlpItem, rlpDecode, rlpEncode } from "../encoding/rlp.ts";
import { attempt, ok, type Result, SpecError } from "../errors.ts";
import { hexPrefixDecode, keyToNibbles } from "./hexPrefix.ts";
import { buildTrie, type TrieEntry, type TrieNode } from "./trieNode.ts";

/** True when `path[from:]` starts with `prefix`. */
function startsWith(path: Uint8Array, from: number, prefix: Uint8Array): boolean {
  if (path.length - from < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) {
    if (path[from + i] !== prefix[i]) return false;
  }
  return true;
}

/**
 * The proof for `key` in the trie of `entries`: the RLP encodings of the nodes a lookup of `key` visits,
 * root first, leaving out embedded nodes (they are inside their parent's encoding). For a key the map does
 * not hold, the same walk stops where the key leaves the trie, so the result is an exclusion proof.
 *
 * @spec TRIE-PROOF.1
 */
export function proveInclusion(entries: readonly TrieEntry[], key: Uint8Array): Result<Uint8Array[]> {
  const built = buildTrie(entries); // TRIE-PROOF L1
  if (!built.ok) return built;
  return ok(proveFromTrie(built.value, key));
}

/**
 * TRIE-PROOF L2–L12 on a trie already built with `buildTrie` (null for the empty map), so that many keys
 * can be proved against one build.
 *
 * @spec TRIE-PROOF.1
 */
export function proveFromTrie(trie: TrieNode | null, key: Uint8Array): Uint8Array[] {
  if (trie === null) return [rlpEncode(new Uint8Array(0))]; // TRIE-PROOF L2
  let node: TrieNode = trie;
  const proof: Uint8Array[] = [node.encoded]; // TRIE-PROOF L3
  const path = keyToNibbles(key);
  let i = 0;
  for (;;) {
    // TRIE-PROOF L4
    if (node.kind === "branch") {
      // TRIE-PROOF L5
      if (i === path.length) return proof; // TRIE-PROOF L6: the key ends at this branch
      const child: TrieNode | null = node.children[path[i]!]!;
      if (child === null) return proof; // TRIE-PROOF L6: no child for the next nibble
      node = child; // TRIE-PROOF L7
      i++;
    } else if (node.kind === "extension") {
      // TRIE-PROOF L8
      if (!startsWith(path, i, node.path)) return proof; // TRIE-PROOF L9
      i += node.path.length; // TRIE-PROOF L10
      node = node.child;
    } else {
      return proof; // TRIE-PROOF L11: a leaf ends the lookup
    }
    if (node.encoded.length >= 32) proof.push(node.encoded); // TRIE-PROOF L12
  }
}

function malformed(detail: string): never {
  throw new SpecError("TRIE_PROOF_MALFORMED_NODE", detail);
}

/** TRIE-VERIFY L31: a child reference is a 32-byte hash or an embedded node (a list encoded in under 32 bytes). */
function checkRef(ref: RlpItem, where: string, allowEmpty: boolean): void {
  if (isRlpList(ref)) {
    if (rlpEncode(ref).length >= 32) malformed(`${where}: embedded node of 32 bytes or more`);
    return;
  }
  if (ref.length === 32 || (allowEmpty && ref.length === 0)) return;
  malformed(`${where}: reference of ${ref.length} bytes`);
}

/** TRIE-VERIFY L25–L30 (CHECK-SHAPE): the shape every node the walk reaches must have. */
function checkShape(node: RlpItem, mustBeBranch: boolean, where: string): readonly RlpItem[] {
  if (!isRlpList(node) || (node.length !== 2 && node.length !== 17))
    malformed(`${where}: not a 2- or 17-item list`); // TRIE-VERIFY L25
  if (mustBeBranch && node.length !== 17) malformed(`${where}: an extension must lead to a branch`); // TRIE-VERIFY L26
  if (node.length === 17) {
    for (let n = 0; n < 16; n++) checkRef(node[n]!, `${where} child ${n}`, true); // TRIE-VERIFY L27
    if (isRlpList(node[16]!)) malformed(`${where}: branch value is a list`);
    return node;
  }
  const first = node[0]!;
  const hp = isRlpList(first) ? null : hexPrefixDecode(first); // TRIE-VERIFY L28
  if (hp === null) malformed(`${where}: path is not hex-prefix encoded`);
  const second = node[1]!;
  if (hp.isLeaf) {
    if (isRlpList(second) || second.length === 0)
      malformed(`${where}: leaf value must be a non-empty byte string`); // TRIE-VERIFY L29
  } else {
    if (hp.nibbles.length === 0) malformed(`${where}: extension with an empty path`); // TRIE-VERIFY L30
    checkRef(second, `${where} extension child`, false);
  }
  return node;
}

/**
 * Checks a proof against a trie root and returns the value it proves for `key`: the value when the key is
 * present, null when the proof shows the key absent. Rejects a proof that lacks a node, holds a node whose
 * hash does not match its reference, holds a malformed node, or holds nodes beyond the path. `root` must
 * be 32 bytes; a root of another length is rejected with TRIE_ROOT_LENGTH before the proof is read.
 *
 * @spec TRIE-VERIFY.2
 */
export function verifyProof(
  root: Uint8Array,
  key: Uint8Array,
  proof: readonly Uint8Array[],
): Result<Uint8Array | null> {
  return attempt(() => verify(root, key, proof));
}

/** Bytes of a trie root (a keccak256 digest). */
const ROOT_LENGTH = 32;

function verify(root: Uint8Array, key: Uint8Array, proof: readonly Uint8Array[]): Uint8Array | null {
  if (root.length !== ROOT_LENGTH) {
    throw new SpecError("TRIE_ROOT_LENGTH", `a trie root is 32 bytes, got ${root.length}`); // TRIE-VERIFY L1
  }
  const path = keyToNibbles(key); // TRIE-VERIFY L2
  let i = 0;
  let p = 0;
  let ref: RlpItem = root; // TRIE-VERIFY L3
  let mustBeBranch = false;
  let atRoot = true;
  let result: Uint8Array | null;
  for (;;) {
    // TRIE-VERIFY L4
    let node: RlpItem;
    let where: string;
    if (!isRlpList(ref)) {
      // TRIE-VERIFY L5: a reference by hash
      if (p === proof.length) {
        throw new SpecError("TRIE_PROOF_MISSING_NODE", `proof ends after ${p} node(s); node ${p} is needed`); // TRIE-VERIFY L6
      }
      const hash = keccak256(proof[p]!);
      if (!equalBytes(hash, ref)) {
        throw new SpecError("TRIE_PROOF_HASH_MISMATCH", `proof node ${p} does not hash to its reference`); // TRIE-VERIFY L7
      }
      const decoded = rlpDecode(proof[p]!); // TRIE-VERIFY L8
      if (!decoded.ok) malformed(`proof node ${p}: ${decoded.error.message}`);
      node = decoded.value;
      where = `proof node ${p}`;
      p++; // TRIE-VERIFY L9
    } else {
      node = ref; // TRIE-VERIFY L10: an embedded node
      where = `node embedded after proof node ${p - 1}`;
    }
    if (atRoot && !isRlpList(node) && node.length === 0) {
      result = null; // TRIE-VERIFY L11: the empty trie
      break;
    }
    atRoot = false; // TRIE-VERIFY L12
    const list = checkShape(node, mustBeBranch, where); // TRIE-VERIFY L13
    if (list.length === 17) {
      // TRIE-VERIFY L14: branch
      if (i === path.length) {
        const value = list[16] as Uint8Array; // TRIE-VERIFY L15
        result = value.length > 0 ? value : null;
        break;
      }
      ref = list[path[i]!]!; // TRIE-VERIFY L16
      i++;
      mustBeBranch = false;
      if (!isRlpList(ref) && ref.length === 0) {
        result = null; // TRIE-VERIFY L17
        break;
      }
      continue; // TRIE-VERIFY L18
    }
    const hp = hexPrefixDecode(list[0] as Uint8Array)!; // TRIE-VERIFY L19
    if (hp.isLeaf) {
      // TRIE-VERIFY L20
      result =
        path.length - i === hp.nibbles.length && startsWith(path, i, hp.nibbles)
          ? (list[1] as Uint8Array)
          : null;
      break;
    }
    if (!startsWith(path, i, hp.nibbles)) {
      result = null; // TRIE-VERIFY L21
      break;
    }
    i += hp.nibbles.length; // TRIE-VERIFY L22
    ref = list[1]!;
    mustBeBranch = true;
  }
  if (p !== proof.length) {
    throw new SpecError("TRIE_PROOF_EXTRA_NODE", `${proof.length - p} proof node(s) after the path ends`); // TRIE-VERIFY L23
  }
  return result; // TRIE-VERIFY L24
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return false;
  }
  return true;
}
