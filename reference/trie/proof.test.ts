import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { trieEntries, trieKey } from "../../tools/testing/trieArbitraries.ts";
import { oracleLookup, oracleProof, oracleTrie, oracleVerify } from "../../tools/testing/trieOracle.ts";
import type { Result } from "../errors.ts";
import { proveFromTrie, proveInclusion, verifyProof } from "./proof.ts";
import { buildTrie, type TrieEntry } from "./trieNode.ts";
import { emptyTrieRoot, secureEntries, trieRoot } from "./trieRoot.ts";

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;
const provenValue = (result: Result<Uint8Array | null>): string | null | undefined =>
  result.ok ? (result.value === null ? null : hex(result.value)) : undefined;
const unwrap = <T>(result: Result<T>): T => {
  if (!result.ok) throw result.error;
  return result.value;
};

/** Random maps: keys from a small alphabet (shared prefixes, prefix keys), values around 32 bytes. */
const map = trieEntries({ minLength: 1, maxLength: 30 });
const anyKey = trieKey(6);

function lookup(entries: readonly TrieEntry[], key: Uint8Array): string | null {
  const found = entries.find((e) => hex(e.key) === hex(key));
  return found ? hex(found.value) : null;
}

describe("TRIE-PROOF.1 / TRIE-VERIFY.2 on honest proofs", () => {
  // @covers TRIE-PROOF.1 TRIE-VERIFY.2
  it("every key of a random map proves its value; absent keys prove absent", () => {
    fc.assert(
      fc.property(map, fc.array(anyKey, { maxLength: 5 }), (entries, probes) => {
        const root = unwrap(trieRoot(entries));
        for (const key of [...entries.map((e) => e.key), ...probes]) {
          const proof = unwrap(proveInclusion(entries, key));
          expect(provenValue(verifyProof(root, key, proof))).toBe(lookup(entries, key));
        }
      }),
      { numRuns: 150 },
    );
  });

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2 TRIE-SECURE.1
  it("works for secure tries of many 32-byte hashed keys", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 20, maxLength: 20 }), {
          selector: hex,
          minLength: 1,
          maxLength: 60,
        }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        (addresses, stranger) => {
          const entries = secureEntries(addresses.map((a, i) => ({ key: a, value: RLP.encode([i, a]) })));
          const root = unwrap(trieRoot(entries));
          for (const entry of entries) {
            expect(
              provenValue(verifyProof(root, entry.key, unwrap(proveInclusion(entries, entry.key)))),
            ).toBe(hex(entry.value));
          }
          const key = keccak_256(stranger);
          expect(provenValue(verifyProof(root, key, unwrap(proveInclusion(entries, key))))).toBe(
            lookup(entries, key),
          );
        },
      ),
      { numRuns: 20 },
    );
  });

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2
  it("the empty trie: the proof is [0x80] and every key is absent", () => {
    const proof = unwrap(proveInclusion([], Uint8Array.of(1, 2)));
    expect(proof.map(hex)).toEqual(["0x80"]);
    expect(provenValue(verifyProof(emptyTrieRoot(), Uint8Array.of(1, 2), proof))).toBeNull();
    expect(resultCode(verifyProof(emptyTrieRoot(), Uint8Array.of(1), []))).toBe("TRIE_PROOF_MISSING_NODE");
    expect(
      resultCode(verifyProof(emptyTrieRoot(), Uint8Array.of(1), [Uint8Array.of(0x80), Uint8Array.of(0x80)])),
    ).toBe("TRIE_PROOF_EXTRA_NODE");
  });

  // @covers TRIE-PROOF.1
  it("leaves embedded nodes out of the proof", () => {
    // Two one-byte keys with one-byte values: both leaves are tiny and embedded in the root branch, so
    // the proof is the root alone.
    const entries = [
      { key: Uint8Array.of(0x01), value: Uint8Array.of(0x0a) },
      { key: Uint8Array.of(0x02), value: Uint8Array.of(0x0b) },
    ];
    const proof = unwrap(proveInclusion(entries, Uint8Array.of(0x01)));
    expect(proof).toHaveLength(1);
    expect(provenValue(verifyProof(unwrap(trieRoot(entries)), Uint8Array.of(0x01), proof))).toBe("0x0a");
  });

  // @covers TRIE-PROOF.1
  it("propagates entry errors", () => {
    expect(
      resultCode(proveInclusion([{ key: Uint8Array.of(1), value: new Uint8Array(0) }], Uint8Array.of(1))),
    ).toBe("TRIE_EMPTY_VALUE");
  });
});

describe("TRIE-PROOF.1 / TRIE-VERIFY.2 against the independent oracle (tools/testing/trieOracle.ts)", () => {
  /*
   * The round trips above would pass if the prover and the verifier shared a mistake. The oracle builds the
   * node set from the Yellow Paper's definitions with other libraries, takes its proofs from a node database,
   * and checks proofs as an unordered set (go-ethereum's way); its own correctness is checked against the
   * published ethereum/tests roots and a hand-derived proof (trieOracle.test.ts).
   */
  const agree = (entries: readonly TrieEntry[], key: Uint8Array): void => {
    const oracle = oracleTrie(entries);
    const root = unwrap(trieRoot(entries));
    expect(hex(root)).toBe(hex(oracle.root));
    const proof = unwrap(proveInclusion(entries, key));
    // The same nodes, in the same order, as the oracle's lookup resolves them.
    expect(proof.map(hex)).toEqual(oracleProof(oracle, key).map(hex));
    const expected = oracleLookup(oracle, key);
    const expectedHex = expected === null ? null : hex(expected);
    // The oracle accepts the reference's proof, and the reference accepts the oracle's.
    const checked = oracleVerify(oracle.root, key, proof);
    expect(checked === null ? null : hex(checked)).toBe(expectedHex);
    expect(provenValue(verifyProof(root, key, oracleProof(oracle, key)))).toBe(expectedHex);
  };

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2
  it("random maps: the reference's proof is the oracle's, and each side accepts the other's", () => {
    fc.assert(
      fc.property(map, fc.array(anyKey, { maxLength: 5 }), (entries, probes) => {
        for (const key of [...entries.map((e) => e.key), ...probes]) agree(entries, key);
      }),
      { numRuns: 100 },
    );
  });

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2 TRIE-SECURE.1
  it("secure tries of 32-byte keys (several hashed levels), present and absent keys", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.uint8Array({ minLength: 20, maxLength: 20 }), {
          selector: hex,
          minLength: 1,
          maxLength: 80,
        }),
        fc.uint8Array({ minLength: 20, maxLength: 20 }),
        (addresses, stranger) => {
          const entries = secureEntries(addresses.map((a, i) => ({ key: a, value: RLP.encode([i, a]) })));
          for (const entry of entries.slice(0, 5)) agree(entries, entry.key);
          agree(entries, keccak_256(stranger));
        },
      ),
      { numRuns: 15 },
    );
  });

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2
  it("the hand-derived map of trieOracle.test.ts: extension → branch → 35-byte leaves", () => {
    const entries = [
      { key: Uint8Array.of(0x01), value: new Uint8Array(32).fill(0xaa) },
      { key: Uint8Array.of(0x02), value: new Uint8Array(32).fill(0xbb) },
    ];
    for (const key of [[0x01], [0x02], [0x03], [0x00], [0x11], [], [0x01, 0x00]]) {
      agree(entries, Uint8Array.from(key));
    }
    expect(unwrap(proveInclusion(entries, Uint8Array.of(0x01))).map((n) => n.length)).toEqual([35, 83, 35]);
  });
});

describe("TRIE-VERIFY.2 rejections", () => {
  // A fixed map large enough that every proof has several hashed nodes.
  const entries: TrieEntry[] = [];
  for (let i = 0; i < 64; i++) {
    entries.push({ key: keccak_256(Uint8Array.of(i)), value: keccak_256(Uint8Array.of(i, i)) });
  }
  const root = unwrap(trieRoot(entries));
  const key = entries[7]!.key;
  const proof = unwrap(proveInclusion(entries, key));

  // @covers TRIE-VERIFY.2
  it("accepts the untouched proof", () => {
    expect(proof.length).toBeGreaterThanOrEqual(2);
    expect(provenValue(verifyProof(root, key, proof))).toBe(hex(entries[7]!.value));
  });

  // @covers TRIE-VERIFY.2
  it("a proof missing a node → TRIE_PROOF_MISSING_NODE", () => {
    for (let keep = 0; keep < proof.length; keep++) {
      expect(resultCode(verifyProof(root, key, proof.slice(0, keep)))).toBe("TRIE_PROOF_MISSING_NODE");
    }
  });

  // @covers TRIE-VERIFY.2
  it("any changed byte in any node → TRIE_PROOF_HASH_MISMATCH", () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (nodeSeed, byteSeed, delta) => {
        const j = nodeSeed % proof.length;
        const tampered = proof.map((n) => n.slice());
        const at = byteSeed % tampered[j]!.length;
        tampered[j]![at] = (tampered[j]![at]! + delta) % 256;
        expect(resultCode(verifyProof(root, key, tampered))).toBe("TRIE_PROOF_HASH_MISMATCH");
      }),
      { numRuns: 100 },
    );
    expect(resultCode(verifyProof(keccak_256(Uint8Array.of(1)), key, proof))).toBe(
      "TRIE_PROOF_HASH_MISMATCH",
    );
    expect(resultCode(verifyProof(root, key, [proof[1]!, proof[0]!, ...proof.slice(2)]))).toBe(
      "TRIE_PROOF_HASH_MISMATCH",
    );
  });

  // @covers TRIE-VERIFY.2
  it("a root that is not 32 bytes → TRIE_ROOT_LENGTH, before the proof is read (L1)", () => {
    for (const length of [0, 1, 20, 31, 33, 64]) {
      expect(resultCode(verifyProof(new Uint8Array(length), key, proof)), String(length)).toBe(
        "TRIE_ROOT_LENGTH",
      );
      expect(resultCode(verifyProof(new Uint8Array(length), key, [])), String(length)).toBe(
        "TRIE_ROOT_LENGTH",
      );
    }
    // The real root with one byte added or removed, and a valid proof: still the root's length decides.
    expect(resultCode(verifyProof(Uint8Array.from([...root, 0]), key, proof))).toBe("TRIE_ROOT_LENGTH");
    expect(resultCode(verifyProof(root.subarray(1), key, proof))).toBe("TRIE_ROOT_LENGTH");
    // The encoding 0x80 of the empty root node is not a root either; its hash is.
    expect(resultCode(verifyProof(Uint8Array.of(0x80), key, [Uint8Array.of(0x80)]))).toBe("TRIE_ROOT_LENGTH");
    expect(provenValue(verifyProof(emptyTrieRoot(), key, [Uint8Array.of(0x80)]))).toBeNull();
  });

  // @covers TRIE-VERIFY.2
  it("nodes after the end of the walk → TRIE_PROOF_EXTRA_NODE", () => {
    expect(resultCode(verifyProof(root, key, [...proof, proof[0]!]))).toBe("TRIE_PROOF_EXTRA_NODE");
    expect(resultCode(verifyProof(root, key, [...proof, Uint8Array.of(0x80)]))).toBe("TRIE_PROOF_EXTRA_NODE");
  });

  /** Verifies a one-node (or few-node) proof whose first node is `nodes[0]`, against its own hash. */
  function verifyCrafted(nodes: readonly unknown[], path: Uint8Array = Uint8Array.of(0x12)): string {
    const encoded = nodes.map((n) =>
      n instanceof Uint8Array && !Array.isArray(n) ? n : RLP.encode(n as never),
    );
    return resultCode(verifyProof(keccak_256(encoded[0]!), path, encoded));
  }
  const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);
  const branch = (overrides: Record<number, unknown>): unknown[] =>
    Array.from({ length: 17 }, (_, i) => overrides[i] ?? new Uint8Array(0));

  // @covers TRIE-VERIFY.2
  it("malformed nodes → TRIE_PROOF_MALFORMED_NODE", () => {
    const bad = "TRIE_PROOF_MALFORMED_NODE";
    expect(verifyCrafted([b(0x81, 0x00)])).toBe(bad); // not canonical RLP (L8)
    expect(verifyCrafted([b(0xc1)])).toBe(bad); // truncated RLP (L8)
    expect(verifyCrafted([b(0x01, 0x02, 0x03)])).toBe(bad); // a byte string, not a node (L25)
    expect(verifyCrafted([[b(0x20), b(1), b(2)]])).toBe(bad); // three items (L25)
    expect(verifyCrafted([branch({ 1: b(1, 2, 3, 4, 5) })])).toBe(bad); // 5-byte child reference (L27)
    expect(verifyCrafted([branch({ 16: [b(1)] })])).toBe(bad); // branch value is a list (L27)
    expect(verifyCrafted([branch({ 1: [b(0x20), new Uint8Array(40).fill(7)] })])).toBe(bad); // embedded ≥ 32 (L31)
    expect(verifyCrafted([[b(0x40), b(1)]])).toBe(bad); // hex-prefix flag 4 (L28)
    expect(verifyCrafted([[b(0x21), b(1)]])).toBe(bad); // even form with padding nibble 1 (L28)
    expect(verifyCrafted([[[b(0x20)], b(1)]])).toBe(bad); // path is a list (L28)
    expect(verifyCrafted([[b(0x20), new Uint8Array(0)]])).toBe(bad); // leaf with empty value (L29)
    expect(verifyCrafted([[b(0x20), [b(1)]]])).toBe(bad); // leaf value is a list (L29)
    expect(verifyCrafted([[b(0x00), new Uint8Array(32)]])).toBe(bad); // extension with empty path (L30)
    expect(verifyCrafted([[b(0x11), b(1, 2, 3)]])).toBe(bad); // extension child of 3 bytes (L30)
    // An extension whose child is a leaf (L26): embedded, and by hash.
    expect(verifyCrafted([[b(0x11), [b(0x32), b(9)]]])).toBe(bad);
    const leaf = RLP.encode([b(0x32), new Uint8Array(40).fill(9)]);
    expect(verifyCrafted([[b(0x11), keccak_256(leaf)], leaf])).toBe(bad);
    // The empty byte string is a node only at the root: as an extension child it is a bad reference.
    expect(verifyCrafted([[b(0x11), new Uint8Array(0)]])).toBe(bad);
  });

  // @covers TRIE-VERIFY.2
  it("a key that leaves the trie proves absence", () => {
    // Leaf for the path [1, 2] (even, so HP = 0x20 0x12); the key 0x13 diverges at the last nibble.
    const leaf = RLP.encode([b(0x20, 0x12), b(5)]);
    expect(provenValue(verifyProof(keccak_256(leaf), b(0x12), [leaf]))).toBe("0x05");
    expect(provenValue(verifyProof(keccak_256(leaf), b(0x13), [leaf]))).toBeNull();
    expect(provenValue(verifyProof(keccak_256(leaf), b(0x12, 0x00), [leaf]))).toBeNull();
    // Extension over path [1]; the key 0x21 starts with nibble 2 and diverges at once.
    const ext = RLP.encode([b(0x11), keccak_256(b(0x01))]);
    expect(provenValue(verifyProof(keccak_256(ext), b(0x21), [ext]))).toBeNull();
  });
});

describe("TRIE-PROOF.1 on a trie built once", () => {
  // @covers TRIE-PROOF.1
  it("proveFromTrie gives the same proofs as proveInclusion", () => {
    fc.assert(
      fc.property(map, anyKey, (entries, probe) => {
        const trie = unwrap(buildTrie(entries));
        for (const key of [...entries.map((e) => e.key), probe]) {
          expect(proveFromTrie(trie, key).map(hex)).toEqual(unwrap(proveInclusion(entries, key)).map(hex));
        }
      }),
      { numRuns: 50 },
    );
    expect(proveFromTrie(null, Uint8Array.of(1)).map(hex)).toEqual(["0x80"]);
  });
});
