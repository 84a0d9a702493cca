import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";

/*
 * An independent model of the Merkle-Patricia trie and its proofs, for tests. It shares no code with
 * reference/trie or reference/encoding: it follows the Yellow Paper's appendix D definitions literally (the
 * node composition function c(J, i) and the node cap function n(J, i), over the whole set J at each step),
 * encodes with @ethereumjs/rlp and hashes with @noble/hashes, and keeps every hashed node in a database keyed
 * by its hash, as an Ethereum client does.
 *
 * Proofs are produced by walking the database from the root, resolving each hash reference through it, and
 * checked in the go-ethereum manner: the proof is treated as an unordered set of nodes keyed by their hashes,
 * so the check depends neither on the order of the list nor on the reference's verifier. A mistake shared by
 * the reference's prover and verifier (a node left out of both, a wrong node order accepted by both, a
 * wrong inlining bound) therefore shows up as a disagreement with this model.
 */

/** An RLP structure as @ethereumjs/rlp reads and writes it. */
type Structure = Uint8Array | Structure[];

interface Pair {
  readonly path: readonly number[];
  readonly value: Uint8Array;
}

export interface OracleTrie {
  /** keccak256 of the root node's encoding (the empty trie: keccak256(0x80)). */
  readonly root: Uint8Array;
  /** Every node referenced by hash, and the root node, keyed by the hex of its hash. */
  readonly db: ReadonlyMap<string, Uint8Array>;
}

const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const EMPTY = new Uint8Array(0);

function nibbles(key: Uint8Array): number[] {
  const out: number[] = [];
  for (const byte of key) out.push(Math.floor(byte / 16), byte % 16);
  return out;
}

/** Hex-prefix encoding HP(x, t) of YP appendix C. */
function hexPrefix(path: readonly number[], leaf: boolean): Uint8Array {
  const flag = leaf ? 2 : 0;
  const odd = path.length % 2 === 1;
  const bytes = [odd ? 16 * (flag + 1) + path[0]! : 16 * flag];
  for (let i = odd ? 1 : 0; i < path.length; i += 2) bytes.push(16 * path[i]! + path[i + 1]!);
  return Uint8Array.from(bytes);
}

/** Length of the longest prefix that every path in J shares from position i on. */
function sharedLength(J: readonly Pair[], i: number): number {
  let length = 0;
  for (;;) {
    const at = i + length;
    if (J.some((pair) => pair.path.length <= at)) return length;
    const nibble = J[0]!.path[at];
    if (J.some((pair) => pair.path[at] !== nibble)) return length;
    length++;
  }
}

/** The node composition function c(J, i) (YP appendix D); J is non-empty. */
function compose(J: readonly Pair[], i: number, db: Map<string, Uint8Array>): Structure {
  if (J.length === 1) return [hexPrefix(J[0]!.path.slice(i), true), J[0]!.value];
  const shared = sharedLength(J, i);
  if (shared > 0) return [hexPrefix(J[0]!.path.slice(i, i + shared), false), cap(J, i + shared, db)];
  const node: Structure[] = [];
  for (let nibble = 0; nibble < 16; nibble++) {
    node.push(
      cap(
        J.filter((pair) => pair.path.length > i && pair.path[i] === nibble),
        i + 1,
        db,
      ),
    );
  }
  const ending = J.find((pair) => pair.path.length === i);
  node.push(ending === undefined ? EMPTY : ending.value);
  return node;
}

/** The node cap function n(J, i): () for no entry, the node itself below 32 bytes, else its hash. */
function cap(J: readonly Pair[], i: number, db: Map<string, Uint8Array>): Structure {
  if (J.length === 0) return EMPTY;
  const node = compose(J, i, db);
  const encoded = RLP.encode(node);
  if (encoded.length < 32) return node;
  const hash = keccak_256(encoded);
  db.set(toHex(hash), encoded);
  return hash;
}

/** Builds the trie of a map (distinct keys, non-empty values; the caller guarantees both). */
export function oracleTrie(entries: readonly { key: Uint8Array; value: Uint8Array }[]): OracleTrie {
  const db = new Map<string, Uint8Array>();
  const J: Pair[] = entries.map((e) => ({ path: nibbles(e.key), value: e.value }));
  const encoded = J.length === 0 ? RLP.encode(EMPTY) : RLP.encode(compose(J, 0, db));
  const root = keccak_256(encoded);
  db.set(toHex(root), encoded);
  return { root, db };
}

/**
 * Walks the key's path from the root through a node database, resolving hash references with `resolve`.
 * Returns the value (null when the key is absent) and the hashes resolved, in order.
 */
function walk(
  root: Uint8Array,
  key: Uint8Array,
  resolve: (hash: Uint8Array) => Uint8Array,
): { value: Uint8Array | null; used: Uint8Array[] } {
  const path = nibbles(key);
  const used: Uint8Array[] = [];
  let ref: Structure = root;
  let depth = 0;
  for (;;) {
    let node: Structure;
    if (ref instanceof Uint8Array) {
      if (ref.length === 0) return { value: null, used }; // an empty child slot
      used.push(ref);
      node = RLP.decode(resolve(ref)) as Structure;
    } else {
      node = ref;
    }
    if (node instanceof Uint8Array) return { value: null, used }; // the empty root node 0x80
    if (node.length === 17) {
      if (depth === path.length) {
        const value = node[16] as Uint8Array;
        return { value: value.length === 0 ? null : value, used };
      }
      ref = node[path[depth]!]!;
      depth++;
      continue;
    }
    const encodedPath = node[0] as Uint8Array;
    const flag = Math.floor(encodedPath[0]! / 16);
    const nodePath = nibbles(encodedPath).slice(flag % 2 === 1 ? 1 : 2);
    const rest = path.slice(depth);
    const matches = nodePath.every((nibble, j) => rest[j] === nibble);
    if (flag >= 2) {
      // a leaf: the rest of the key must be exactly its path
      return { value: matches && rest.length === nodePath.length ? (node[1] as Uint8Array) : null, used };
    }
    if (!matches || rest.length < nodePath.length) return { value: null, used };
    depth += nodePath.length;
    ref = node[1]!;
  }
}

/** The proof for `key`: the encodings of the hashed nodes the lookup resolves, root first. */
export function oracleProof(trie: OracleTrie, key: Uint8Array): Uint8Array[] {
  const { used } = walk(trie.root, key, (hash) => trie.db.get(toHex(hash))!);
  return used.map((hash) => trie.db.get(toHex(hash))!);
}

/** The value the trie holds for `key`, found by walking the node database (null when absent). */
export function oracleLookup(trie: OracleTrie, key: Uint8Array): Uint8Array | null {
  return walk(trie.root, key, (hash) => trie.db.get(toHex(hash))!).value;
}

/**
 * Checks a proof as go-ethereum's VerifyProof does: the nodes form an unordered set keyed by their hashes,
 * and the walk from `root` looks each hash up in it. Returns the value (null for absent), or throws an Error
 * when the walk needs a node the proof lacks. Nodes the walk does not use are ignored.
 */
export function oracleVerify(
  root: Uint8Array,
  key: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array | null {
  const set = new Map<string, Uint8Array>();
  for (const node of proof) set.set(toHex(keccak_256(node)), node);
  return walk(root, key, (hash) => {
    const node = set.get(toHex(hash));
    if (node === undefined) throw new Error(`proof lacks the node 0x${toHex(hash)}`);
    return node;
  }).value;
}
