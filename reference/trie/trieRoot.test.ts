import { readFileSync } from "node:fs";
import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { trieEntries } from "../../tools/testing/trieArbitraries.ts";
import { oracleTrie } from "../../tools/testing/trieOracle.ts";
import type { Result } from "../errors.ts";
import { compareBytes, type TrieEntry } from "./trieNode.ts";
import { emptyTrieRoot, orderedListRoot, secureTrieRoot, trieRoot } from "./trieRoot.ts";

const DATA = new URL("../../test-data/trie/", import.meta.url);
const hex = (bytes: Uint8Array): string => `0x${Buffer.from(bytes).toString("hex")}`;
const rootHex = (result: Result<Uint8Array>): string => (result.ok ? hex(result.value) : result.error.code);

/**
 * The root by an independent reading of the Yellow Paper's definition (appendix D: the node composition
 * function c and the node cap function n, over sets), shared with the proof tests (tools/testing/trieOracle.ts).
 */
function ypRoot(entries: readonly TrieEntry[]): string {
  return hex(oracleTrie(entries).root);
}

/** Random maps whose keys share prefixes often (small alphabet) and whose values straddle 32 bytes. */
const map = trieEntries({ maxLength: 24 });

describe("TRIE-ROOT.1 / TRIE-NODE.1 / TRIE-REF.1", () => {
  // @covers TRIE-ROOT.1
  it("the empty trie has root keccak256(0x80) = 0x56e81f…b421", () => {
    const expected = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
    expect(hex(emptyTrieRoot())).toBe(expected);
    expect(hex(keccak_256(Uint8Array.of(0x80)))).toBe(expected);
    expect(rootHex(trieRoot([]))).toBe(expected);
    expect(rootHex(secureTrieRoot([]))).toBe(expected);
    expect(rootHex(orderedListRoot([]))).toBe(expected);
  });

  // @covers TRIE-ROOT.1 TRIE-NODE.1 TRIE-REF.1 TRIE-NIBBLES.1 TRIE-HP.1
  it("equals an independent implementation of the Yellow Paper definition on random maps", () => {
    fc.assert(
      fc.property(map, (entries) => {
        expect(rootHex(trieRoot(entries))).toBe(ypRoot(entries));
      }),
      { numRuns: 300 },
    );
  });

  // @covers TRIE-ENTRIES.1 TRIE-ROOT.1
  it("does not depend on the order of the entries", () => {
    fc.assert(
      fc.property(
        map.chain((entries) =>
          fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length })),
        ),
        ([entries, shuffled]) => {
          expect(rootHex(trieRoot(shuffled))).toBe(rootHex(trieRoot(entries)));
          expect(rootHex(secureTrieRoot(shuffled))).toBe(rootHex(secureTrieRoot(entries)));
        },
      ),
      { numRuns: 100 },
    );
  });

  // @covers TRIE-REF.1
  it("hashes the root even when its encoding is under 32 bytes, and embeds small children", () => {
    // One entry {0x01: 0x02}: path [0, 1] (even) so HP = 0x20 0x01; the leaf [0x2001, 0x02] encodes as
    // c4 ‖ 82 2001 ‖ 02 (5 bytes), and the root is keccak256 of those 5 bytes.
    const leaf = RLP.encode([Uint8Array.of(0x20, 0x01), Uint8Array.of(0x02)]);
    expect(hex(leaf)).toBe("0xc482200102");
    expect(rootHex(trieRoot([{ key: Uint8Array.of(1), value: Uint8Array.of(2) }]))).toBe(
      hex(keccak_256(leaf)),
    );
  });
});

describe("TRIE-ENTRIES.1 rejections", () => {
  const e = (key: number[], value: number[]): TrieEntry => ({
    key: Uint8Array.from(key),
    value: Uint8Array.from(value),
  });

  // @covers TRIE-ENTRIES.1
  it("rejects an empty value and a repeated key", () => {
    expect(resultCode(trieRoot([e([1], [1]), e([2], [])]))).toBe("TRIE_EMPTY_VALUE");
    expect(resultCode(trieRoot([e([1], [1]), e([2], [2]), e([1], [3])]))).toBe("TRIE_DUPLICATE_KEY");
    expect(resultCode(trieRoot([e([], [1]), e([], [1])]))).toBe("TRIE_DUPLICATE_KEY");
    // L1 runs before L3: an empty value is reported even when keys repeat.
    expect(resultCode(trieRoot([e([1], [1]), e([1], [])]))).toBe("TRIE_EMPTY_VALUE");
  });

  // @covers TRIE-SECURE.1 TRIE-ORDERED.1
  it("applies the same checks to secure and ordered-list tries", () => {
    expect(resultCode(secureTrieRoot([e([1], [1]), e([1], [2])]))).toBe("TRIE_DUPLICATE_KEY");
    expect(resultCode(secureTrieRoot([e([1], [])]))).toBe("TRIE_EMPTY_VALUE");
    expect(resultCode(orderedListRoot([Uint8Array.of(1), new Uint8Array(0)]))).toBe("TRIE_EMPTY_VALUE");
  });
});

describe("TRIE-SECURE.1 / TRIE-ORDERED.1", () => {
  // @covers TRIE-SECURE.1
  it("the secure root is the root over keccak256-hashed keys (independent implementation)", () => {
    fc.assert(
      fc.property(map, (entries) => {
        const hashed = entries.map((x) => ({ key: keccak_256(x.key), value: x.value }));
        expect(rootHex(secureTrieRoot(entries))).toBe(ypRoot(hashed));
      }),
      { numRuns: 100 },
    );
  });

  // @covers TRIE-ORDERED.1
  it("keys element i by RLP(i) (keys from @ethereumjs/rlp, root from the independent implementation)", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 1, maxLength: 40 }), { maxLength: 140 }), (values) => {
        const entries = values.map((value, i) => ({ key: RLP.encode(i), value }));
        expect(rootHex(orderedListRoot(values))).toBe(ypRoot(entries));
      }),
      { numRuns: 20 },
    );
  });

  // @covers TRIE-ORDERED.1
  it("one element: the root is keccak256 of the leaf [HP([8,0], true), v] (key RLP(0) = 0x80)", () => {
    // Derivation: key 0x80 → path [8, 0] (even) → HP = 0x20 0x80; the single leaf is [0x2080, v].
    const v = new TextEncoder().encode("a transaction");
    const leaf = RLP.encode([Uint8Array.of(0x20, 0x80), v]);
    expect(rootHex(orderedListRoot([v]))).toBe(hex(keccak_256(leaf)));
  });
});

// ---------------------------------------------------------------------------------------------------
// ethereum/tests TrieTests (test-data/trie, see SOURCE.md). Loaded at import time: a missing folder
// fails the whole file.

type Upstream = string | null;
const load = <T>(name: string): Record<string, T> =>
  JSON.parse(readFileSync(new URL(name, DATA), "utf8")) as Record<string, T>;

/** Upstream convention: "0x…" is hex, any other string its own ASCII bytes. */
function bytesOf(text: string): Uint8Array {
  if (text.startsWith("0x")) return Uint8Array.from(Buffer.from(text.slice(2), "hex"));
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}

/** Applies ordered updates (a null value deletes) and returns the resulting map as entries. */
function applyUpdates(updates: readonly [string, Upstream][]): TrieEntry[] {
  const state = new Map<string, Uint8Array>();
  for (const [key, value] of updates) {
    const k = hex(bytesOf(key));
    if (value === null || value === "") state.delete(k);
    else state.set(k, bytesOf(value));
  }
  return [...state].map(([k, value]) => ({ key: bytesOf(k), value }));
}

function mapOf(object: Record<string, string>): TrieEntry[] {
  return Object.entries(object).map(([k, v]) => ({ key: bytesOf(k), value: bytesOf(v) }));
}

type OrderedCase = { in: [string, Upstream][]; root: string };
type MapCase = { in: Record<string, string>; root: string };

const suites: { file: string; count: number; secure: boolean; entries: (c: never) => TrieEntry[] }[] = [
  { file: "trietest.json", count: 5, secure: false, entries: (c: OrderedCase) => applyUpdates(c.in) },
  {
    file: "trietest_secureTrie.json",
    count: 3,
    secure: true,
    entries: (c: OrderedCase) => applyUpdates(c.in),
  },
  { file: "trieanyorder.json", count: 7, secure: false, entries: (c: MapCase) => mapOf(c.in) },
  { file: "trieanyorder_secureTrie.json", count: 7, secure: true, entries: (c: MapCase) => mapOf(c.in) },
  { file: "hex_encoded_securetrie_test.json", count: 3, secure: true, entries: (c: MapCase) => mapOf(c.in) },
];

describe("ethereum/tests TrieTests", () => {
  for (const suite of suites) {
    const cases = load<{ root: string }>(suite.file);

    // @covers TRIE-ROOT.1 TRIE-NODE.1 TRIE-REF.1 TRIE-HP.1 TRIE-SECURE.1
    it(`${suite.file} has ${suite.count} cases (SOURCE.md)`, () => {
      expect(Object.keys(cases)).toHaveLength(suite.count);
    });

    // @covers TRIE-ROOT.1 TRIE-NODE.1 TRIE-REF.1 TRIE-HP.1 TRIE-SECURE.1
    it.each(Object.entries(cases))(`${suite.file} %s`, (_name, testCase) => {
      const entries = suite.entries(testCase as never);
      const root = suite.secure ? secureTrieRoot(entries) : trieRoot(entries);
      expect(rootHex(root)).toBe(testCase.root);
      // Insertion order never matters: the reversed entries give the same root.
      const reversed = [...entries].reverse();
      expect(rootHex(suite.secure ? secureTrieRoot(reversed) : trieRoot(reversed))).toBe(testCase.root);
    });
  }

  // The trie orders keys by compareBytes (TRIE-ENTRIES.1 L2); trietestnextprev.json checks that order:
  // for each probe, prev is the greatest key below it and next the least key above it ("" = none).
  // @covers TRIE-ENTRIES.1
  it("trietestnextprev.json: 1 case, 12 queries against the key order of TRIE-ENTRIES.1", () => {
    const cases = load<{ in: string[]; tests: [string, string, string][] }>("trietestnextprev.json");
    expect(Object.keys(cases)).toHaveLength(1);
    let queries = 0;
    for (const testCase of Object.values(cases)) {
      const keys = testCase.in.map(bytesOf).sort(compareBytes);
      for (const [probe, prev, next] of testCase.tests) {
        const p = bytesOf(probe);
        const below = keys.filter((k) => compareBytes(k, p) < 0);
        const above = keys.filter((k) => compareBytes(k, p) > 0);
        expect(below.length ? hex(below[below.length - 1]!) : "0x").toBe(hex(bytesOf(prev)));
        expect(above.length ? hex(above[0]!) : "0x").toBe(hex(bytesOf(next)));
        queries++;
      }
    }
    expect(queries).toBe(12);
  });
});
