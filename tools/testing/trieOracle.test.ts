import { readFileSync } from "node:fs";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { oracleLookup, oracleProof, oracleTrie, oracleVerify } from "./trieOracle.ts";

/*
 * Checks of the trie oracle itself, against data that owes nothing to the reference: the published roots of
 * ethereum/tests (test-data/trie) and a proof derived by hand below.
 */

const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;
const concat = (...parts: Uint8Array[]): Uint8Array => Uint8Array.from(parts.flatMap((p) => [...p]));
const b = (...bytes: number[]): Uint8Array => Uint8Array.from(bytes);

/** Upstream convention: "0x…" is hex, any other string its own ASCII bytes. */
function bytesOf(text: string): Uint8Array {
  if (text.startsWith("0x")) return Uint8Array.from(Buffer.from(text.slice(2), "hex"));
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

const load = (name: string): Record<string, { in: Record<string, string>; root: string }> =>
  JSON.parse(readFileSync(new URL(`../../test-data/trie/${name}`, import.meta.url), "utf8"));

describe("the trie oracle reproduces the published roots", () => {
  for (const [file, secure] of [
    ["trieanyorder.json", false],
    ["trieanyorder_secureTrie.json", true],
    ["hex_encoded_securetrie_test.json", true],
  ] as const) {
    it(file, () => {
      const cases = Object.entries(load(file));
      expect(cases.length).toBeGreaterThanOrEqual(3);
      for (const [name, testCase] of cases) {
        const entries = Object.entries(testCase.in).map(([k, v]) => ({
          key: secure ? keccak_256(bytesOf(k)) : bytesOf(k),
          value: bytesOf(v),
        }));
        const trie = oracleTrie(entries);
        expect(hex(trie.root), name).toBe(testCase.root);
        for (const entry of entries) {
          expect(hex(oracleLookup(trie, entry.key)!), name).toBe(hex(entry.value));
          expect(hex(oracleVerify(trie.root, entry.key, oracleProof(trie, entry.key))!), name).toBe(
            hex(entry.value),
          );
        }
      }
    });
  }

  it("the empty map: root keccak256(0x80), the proof [0x80], every key absent", () => {
    const trie = oracleTrie([]);
    expect(hex(trie.root)).toBe("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    expect(oracleProof(trie, b(1)).map(hex)).toEqual(["0x80"]);
    expect(oracleVerify(trie.root, b(1), [b(0x80)])).toBeNull();
  });
});

describe("the trie oracle on a proof derived by hand", () => {
  /*
   * The map {0x01: A, 0x02: B} with A = 32 bytes 0xaa and B = 32 bytes 0xbb. The paths are [0, 1] and
   * [0, 2]; they share the nibble 0, so the root is an extension over a branch at depth 1 (YP appendix D).
   *
   * - Leaf for 0x01: [HP([], true), A]. HP of the empty path with the leaf flag is the byte 0x20; RLP writes
   *   it as itself, A as 0xa0 ‖ A (33 bytes); payload 34 bytes, list header 0xc0 + 34 = 0xe2: 35 bytes in all,
   *   at least 32, so the branch holds it by its hash h1. The leaf for 0x02 likewise, hash h2.
   * - Branch: 17 items, 0x80 (empty) at nibble 0, 0xa0 ‖ h1 at nibble 1, 0xa0 ‖ h2 at nibble 2, 0x80 at
   *   nibbles 3 … 15 and for the value: payload 1 + 33 + 33 + 13 + 1 = 81 bytes, more than 55, so the header
   *   is 0xf8 0x51 (long list, one length byte): 83 bytes, held by its hash hb.
   * - Extension: [HP([0], false), hb]. HP of the odd path [0] without the leaf flag is 16·(0 + 1) + 0 = 0x10;
   *   payload 1 + 33 = 34 bytes, header 0xe2: 35 bytes. It is the root node; the root is its hash.
   *
   * A lookup visits extension → branch → leaf, and each of them is referenced by hash, so the proof of 0x01
   * is [extension, branch, leaf 0x01]. For 0x03 the branch has no child at nibble 3: [extension, branch].
   * For 0x11 the key leaves at the extension (nibble 1 ≠ 0): [extension]. The empty key ends before the
   * extension's nibble: [extension]. For 0x0100 the leaf's path (empty) is not the rest [0, 0] of the key:
   * absent, with the proof [extension, branch, leaf 0x01].
   */
  const A = new Uint8Array(32).fill(0xaa);
  const B = new Uint8Array(32).fill(0xbb);
  const leafA = concat(b(0xe2, 0x20, 0xa0), A);
  const leafB = concat(b(0xe2, 0x20, 0xa0), B);
  const branch = concat(
    b(0xf8, 0x51, 0x80, 0xa0),
    keccak_256(leafA),
    b(0xa0),
    keccak_256(leafB),
    new Uint8Array(14).fill(0x80),
  );
  const extension = concat(b(0xe2, 0x10, 0xa0), keccak_256(branch));
  const trie = oracleTrie([
    { key: b(0x02), value: B },
    { key: b(0x01), value: A },
  ]);

  it("has the hand-derived sizes and root", () => {
    expect([leafA.length, branch.length, extension.length]).toEqual([35, 83, 35]);
    expect(hex(trie.root)).toBe(hex(keccak_256(extension)));
  });

  it("gives the hand-derived proofs", () => {
    const proofs: [Uint8Array, Uint8Array[], Uint8Array | null][] = [
      [b(0x01), [extension, branch, leafA], A],
      [b(0x02), [extension, branch, leafB], B],
      [b(0x03), [extension, branch], null],
      [b(0x00), [extension, branch], null],
      [b(0x11), [extension], null],
      [new Uint8Array(0), [extension], null],
      [b(0x01, 0x00), [extension, branch, leafA], null],
    ];
    for (const [key, nodes, value] of proofs) {
      expect(oracleProof(trie, key).map(hex), hex(key)).toEqual(nodes.map(hex));
      const verified = oracleVerify(trie.root, key, nodes);
      expect(verified === null ? null : hex(verified), hex(key)).toBe(value === null ? null : hex(value));
      // The check treats the proof as a set: the order of its nodes does not matter to it.
      expect(oracleVerify(trie.root, key, [...nodes].reverse())).toEqual(verified);
    }
    expect(() => oracleVerify(trie.root, b(0x01), [extension, leafA])).toThrow(/lacks the node/);
  });

  it("leaves embedded nodes out: one-byte values make the whole trie fit in the root node", () => {
    // Leaves [0x20, 0x0a] encode as 0xc2 20 0a (3 bytes), the branch as 0xd5 … (22 bytes), both below 32, so
    // each is embedded in its parent and the proof is the root node alone (24 bytes: 0xd7 10 d5 …).
    const small = oracleTrie([
      { key: b(0x01), value: b(0x0a) },
      { key: b(0x02), value: b(0x0b) },
    ]);
    const root = concat(
      b(0xd7, 0x10, 0xd5, 0x80, 0xc2, 0x20, 0x0a, 0xc2, 0x20, 0x0b),
      new Uint8Array(14).fill(0x80),
    );
    expect(root.length).toBe(24);
    expect(hex(small.root)).toBe(hex(keccak_256(root)));
    expect(oracleProof(small, b(0x01)).map(hex)).toEqual([hex(root)]);
    expect(oracleVerify(small.root, b(0x02), [root])).toEqual(b(0x0b));
  });
});
