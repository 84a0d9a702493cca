import { z } from "zod";
import {
  bytesFromHex,
  bytesToHex,
  HexBytes,
  hexBytesOfLength,
  JsonFlag,
} from "../../../reference/encoding/json.ts";
import { keccak256 } from "../../../reference/encoding/keccak.ts";
import { encodeScalar, rlpEncode } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { proveInclusion, verifyProof } from "../../../reference/trie/proof.ts";
import type { TrieEntry } from "../../../reference/trie/trieNode.ts";
import { orderedListRoot, secureEntries, trieRoot } from "../../../reference/trie/trieRoot.ts";
import type { CaseDef, Json, RunnerDef } from "../types.ts";

const ascii = (text: string): string => bytesToHex(new TextEncoder().encode(text));

/** JSON entries [[keyHex, valueHex], …] from ASCII pairs. */
const asciiEntries = (pairs: readonly [string, string][]): Json =>
  pairs.map(([k, v]) => [ascii(k), ascii(v)]);

/** ethereum/tests TrieTests/trieanyorder.json "puppy" (root 0x5991bb8c…ac84). */
const PUPPY: [string, string][] = [
  ["do", "verb"],
  ["horse", "stallion"],
  ["doge", "coin"],
  ["dog", "puppy"],
];
/** ethereum/tests TrieTests/trieanyorder.json "dogs" (root 0x8aad789d…68d3). */
const DOGS: [string, string][] = [
  ["doe", "reindeer"],
  ["dog", "puppy"],
  ["dogglesworth", "cat"],
];
/** ethereum/tests TrieTests/hex_encoded_securetrie_test.json "test1": five accounts (root 0x730a444e…d797). */
const ACCOUNTS: Json = [
  [
    "0xa94f5374fce5edbc8e2a8697c15331677e6ebf0b",
    "0xf848018405f446a7a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x095e7baea6a6c7c4c2dfeb977efac326af552d87",
    "0xf8440101a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a004bccc5d94f4d1f99aab44369a910179931772f2a5c001c3229f57831c102769",
  ],
  [
    "0xd2571607e241ecf590ed94b12d87c94babe36db6",
    "0xf8440180a0ba4b47865c55a341a4a78759bb913cd15c3ee8eaf30a62fa8d1c8863113d84e8a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x62c01474f089b07dae603491675dc5b5748f7049",
    "0xf8448080a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
  [
    "0x2adc25665018aa1fe0e6bc666dac8fc2697ff9ba",
    "0xf8478083019a59a056e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421a0c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
  ],
];

/** A deterministic map of 64 entries with 32-byte keys: proofs through it have several hashed nodes. */
function wideMap(): TrieEntry[] {
  const out: TrieEntry[] = [];
  for (let i = 0; i < 64; i++) {
    out.push({
      key: keccak256(encodeScalar(BigInt(i))),
      value: rlpEncode([encodeScalar(BigInt(i)), keccak256(Uint8Array.of(i))]),
    });
  }
  return out;
}

const toJsonEntries = (entries: readonly TrieEntry[]): Json =>
  entries.map((e) => [bytesToHex(e.key), bytesToHex(e.value)]);

const EntriesJson = z.array(z.tuple([HexBytes, HexBytes]));
type Pairs = [Uint8Array, Uint8Array][];

function entriesOf(pairs: Pairs, secure: boolean): TrieEntry[] {
  const entries: TrieEntry[] = [];
  for (const [key, value] of pairs) entries.push({ key, value });
  return secure ? secureEntries(entries) : entries;
}

const ROOT_TAGS = [
  "TRIE-ENTRIES.1",
  "TRIE-NIBBLES.1",
  "TRIE-HP.1",
  "TRIE-NODE.1",
  "TRIE-REF.1",
  "TRIE-ROOT.1",
];
const JSON_TAGS = ["JSON-DECODE.1", "JSON-BYTES.1"];

function rootCases(): CaseDef[] {
  const valid: [string, string, Json, boolean][] = [
    ["empty", "the empty map: keccak256(0x80) = 0x56e81f…b421", [], false],
    [
      "puppy",
      "trieanyorder.json puppy: four keys with shared prefixes, root 0x5991bb8c…ac84",
      asciiEntries(PUPPY),
      false,
    ],
    [
      "dogs",
      "trieanyorder.json dogs: a key that is a prefix of another, root 0x8aad789d…68d3",
      asciiEntries(DOGS),
      false,
    ],
    [
      "hex_keys",
      "trieanyorder.json hex: two binary keys, root 0x285505fc…3503",
      [
        ["0x0045", "0x0123456789"],
        ["0x4500", "0x9876543210"],
      ],
      false,
    ],
    [
      "single_item",
      "trieanyorder.json singleItem: a lone leaf, root 0xd23786fb…28ab",
      asciiEntries([["A", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]]),
      false,
    ],
    [
      "secure_accounts",
      "hex_encoded_securetrie_test.json test1: five accounts, root 0x730a444e…d797",
      ACCOUNTS,
      true,
    ],
    ["secure_puppy", "trieanyorder_secureTrie.json puppy, root 0x29b235a5…ca9d", asciiEntries(PUPPY), true],
  ];
  const cases: CaseDef[] = valid.map(([name, description, entries, secure]) => ({
    handler: "root",
    name,
    description,
    tags: secure ? [...ROOT_TAGS, "TRIE-SECURE.1"] : ROOT_TAGS,
    input: { entries, secure },
  }));
  cases.push(
    {
      handler: "root",
      name: "duplicate_key",
      description: "the key 'dog' appears twice",
      tags: ["TRIE-ENTRIES.1"],
      input: { entries: asciiEntries([...PUPPY, ["dog", "hound"]]), secure: false },
      expectedError: "TRIE_DUPLICATE_KEY",
    },
    {
      handler: "root",
      name: "secure_duplicate_key",
      description: "the same address twice in a secure trie (equal after hashing)",
      tags: ["TRIE-ENTRIES.1", "TRIE-SECURE.1"],
      input: { entries: [...(ACCOUNTS as Json[]), (ACCOUNTS as Json[])[2]!], secure: true },
      expectedError: "TRIE_DUPLICATE_KEY",
    },
    {
      handler: "root",
      name: "empty_value",
      description: "an entry with an empty value (a key is removed by leaving it out)",
      tags: ["TRIE-ENTRIES.1"],
      input: { entries: [[ascii("do"), "0x"]], secure: false },
      expectedError: "TRIE_EMPTY_VALUE",
    },
    {
      handler: "root",
      name: "hex_malformed",
      description: "a key with an odd number of hex digits",
      tags: JSON_TAGS,
      input: { entries: [["0x123", "0x01"]], secure: false },
      expectedError: "JSON_HEX_MALFORMED",
    },
    {
      handler: "root",
      name: "hex_without_prefix",
      description: "a value without the 0x prefix",
      tags: JSON_TAGS,
      input: { entries: [["0x12", "01"]], secure: false },
      expectedError: "JSON_HEX_PREFIX",
    },
    {
      handler: "root",
      name: "entry_of_three",
      description: "an entry must be a [key, value] pair",
      tags: JSON_TAGS,
      input: { entries: [["0x12", "0x01", "0x02"]], secure: false },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "root",
      name: "missing_secure",
      description: "the secure flag is required",
      tags: JSON_TAGS,
      input: { entries: [] },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "root",
      name: "secure_as_number",
      description: "the secure flag is the JSON literal true or false, not the number 1",
      tags: [...JSON_TAGS, "JSON-INT.1"],
      input: { entries: [], secure: 1 },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "root",
      name: "secure_as_string",
      description: 'the secure flag is the JSON literal true or false, not the string "true"',
      tags: [...JSON_TAGS, "JSON-INT.1"],
      input: { entries: [], secure: "true" },
      expectedError: "JSON_SCHEMA",
    },
  );
  return cases;
}

function orderedCases(): CaseDef[] {
  const tags = ["TRIE-ORDERED.1", "RLP-SCALAR.1", "TRIE-ROOT.1", "TRIE-NODE.1", "TRIE-REF.1"];
  const many: string[] = [];
  for (let i = 0; i < 130; i++) many.push(bytesToHex(keccak256(encodeScalar(BigInt(i)))));
  return [
    {
      handler: "ordered_list_root",
      name: "empty",
      description: "the empty list has the empty-trie root",
      tags,
      input: { values: [] },
    },
    {
      handler: "ordered_list_root",
      name: "one",
      description: "one element under the key RLP(0) = 0x80",
      tags,
      input: { values: [ascii("a transaction")] },
    },
    {
      handler: "ordered_list_root",
      name: "one_hundred_thirty",
      description: "130 elements: keys change form at index 128 (0x7f, then 0x8180)",
      tags,
      input: { values: many },
    },
    {
      handler: "ordered_list_root",
      name: "empty_element",
      description: "an empty element cannot be stored",
      tags: ["TRIE-ORDERED.1", "TRIE-ENTRIES.1"],
      input: { values: ["0x01", "0x"] },
      expectedError: "TRIE_EMPTY_VALUE",
    },
    {
      handler: "ordered_list_root",
      name: "hex_malformed",
      description: "upper-case hex",
      tags: JSON_TAGS,
      input: { values: ["0xAA"] },
      expectedError: "JSON_HEX_MALFORMED",
    },
    {
      handler: "ordered_list_root",
      name: "not_a_list",
      description: "values must be an array",
      tags: JSON_TAGS,
      input: { values: "0x01" },
      expectedError: "JSON_SCHEMA",
    },
  ];
}

function proveCases(): CaseDef[] {
  const tags = ["TRIE-PROOF.1", ...ROOT_TAGS];
  const puppy = asciiEntries(PUPPY);
  const wide = toJsonEntries(wideMap());
  const valid: [string, string, Json, boolean, string][] = [
    [
      "puppy_dog",
      "inclusion of 'dog' in trieanyorder.json puppy (a branch value)",
      puppy,
      false,
      ascii("dog"),
    ],
    ["puppy_doge", "inclusion of 'doge' in trieanyorder.json puppy", puppy, false, ascii("doge")],
    [
      "puppy_absent_cat",
      "exclusion of 'cat': the key leaves the trie at the root",
      puppy,
      false,
      ascii("cat"),
    ],
    [
      "puppy_absent_dogs",
      "exclusion of 'dogs': diverges below the 'dog' branch",
      puppy,
      false,
      ascii("dogs"),
    ],
    ["empty_map", "any key in the empty trie: the proof is [0x80]", [], false, ascii("dog")],
    [
      "wide_inclusion",
      "a key of a 64-entry map with 32-byte keys",
      wide,
      false,
      bytesToHex(wideMap()[5]!.key),
    ],
    [
      "wide_absent",
      "an absent 32-byte key in the same map",
      wide,
      false,
      bytesToHex(keccak256(Uint8Array.of(0xff))),
    ],
    [
      "secure_account",
      "an account of hex_encoded_securetrie_test.json test1 (secure)",
      ACCOUNTS,
      true,
      "0x095e7baea6a6c7c4c2dfeb977efac326af552d87",
    ],
  ];
  const cases: CaseDef[] = valid.map(([name, description, entries, secure, key]) => ({
    handler: "prove",
    name,
    description,
    tags: secure ? [...tags, "TRIE-SECURE.1"] : tags,
    input: { entries, secure, key },
  }));
  cases.push(
    {
      handler: "prove",
      name: "duplicate_key",
      description: "the key 'do' appears twice",
      tags: ["TRIE-ENTRIES.1", "TRIE-PROOF.1"],
      input: { entries: asciiEntries([...PUPPY, ["do", "again"]]), secure: false, key: ascii("do") },
      expectedError: "TRIE_DUPLICATE_KEY",
    },
    {
      handler: "prove",
      name: "empty_value",
      description: "an entry with an empty value",
      tags: ["TRIE-ENTRIES.1", "TRIE-PROOF.1"],
      input: { entries: [[ascii("do"), "0x"]], secure: false, key: ascii("do") },
      expectedError: "TRIE_EMPTY_VALUE",
    },
    {
      handler: "prove",
      name: "hex_without_prefix",
      description: "the key lacks the 0x prefix",
      tags: JSON_TAGS,
      input: { entries: puppy, secure: false, key: "646f67" },
      expectedError: "JSON_HEX_PREFIX",
    },
    {
      handler: "prove",
      name: "hex_malformed",
      description: "the key has an odd number of hex digits",
      tags: JSON_TAGS,
      input: { entries: puppy, secure: false, key: "0x646f6" },
      expectedError: "JSON_HEX_MALFORMED",
    },
    {
      handler: "prove",
      name: "missing_key",
      description: "the key field is required",
      tags: JSON_TAGS,
      input: { entries: puppy, secure: false },
      expectedError: "JSON_SCHEMA",
    },
  );
  return cases;
}

function verifyCases(): CaseDef[] {
  const tags = ["TRIE-VERIFY.2", "TRIE-PROOF.1"];
  const wide = wideMap();
  const wideRoot = unwrap(trieRoot(wide));
  const key = wide[9]!.key;
  const proof = unwrap(proveInclusion(wide, key));
  const absentKey = keccak256(Uint8Array.of(0xfe));
  const absentProof = unwrap(proveInclusion(wide, absentKey));
  const hexes = (nodes: readonly Uint8Array[]): Json => nodes.map(bytesToHex);
  const tampered = proof.map((n) => n.slice());
  tampered[1]![tampered[1]!.length - 1]! ^= 0x01;

  const puppy: TrieEntry[] = PUPPY.map(([k, v]) => ({
    key: new TextEncoder().encode(k),
    value: new TextEncoder().encode(v),
  }));
  const puppyRoot = unwrap(trieRoot(puppy));
  const dog = new TextEncoder().encode("dog");

  const accounts = secureEntries(
    (ACCOUNTS as string[][]).map(([k, v]) => ({ key: bytesFromHex(k!), value: bytesFromHex(v!) })),
  );
  const accountKey = bytesFromHex("0xd2571607e241ecf590ed94b12d87c94babe36db6");
  const accountProof = unwrap(proveInclusion(accounts, keccak256(accountKey)));

  // A node whose hash is the root but which is not canonical RLP (0x00 written as 0x8100).
  const badNode = Uint8Array.of(0x81, 0x00);
  // A leaf whose value is empty: well-formed RLP, not a well-formed trie node.
  const emptyLeaf = rlpEncode([Uint8Array.of(0x20, 0x12), new Uint8Array(0)]);

  const c = (
    name: string,
    description: string,
    root: Uint8Array | string,
    k: Uint8Array,
    nodes: Json,
    secure: boolean,
    expectedError?: string,
  ): CaseDef => ({
    handler: "verify_proof",
    name,
    description,
    tags: secure ? [...tags, "TRIE-SECURE.1"] : tags,
    input: {
      root: typeof root === "string" ? root : bytesToHex(root),
      key: bytesToHex(k),
      proof: nodes,
      secure,
    },
    ...(expectedError === undefined ? {} : { expectedError }),
  });

  return [
    c("inclusion", "a key of a 64-entry map and its proof", wideRoot, key, hexes(proof), false),
    c("exclusion", "an absent key and its exclusion proof", wideRoot, absentKey, hexes(absentProof), false),
    c(
      "puppy_dog",
      "'dog' in trieanyorder.json puppy: its value sits in a branch",
      puppyRoot,
      dog,
      hexes(unwrap(proveInclusion(puppy, dog))),
      false,
    ),
    c(
      "secure_account",
      "an account of hex_encoded_securetrie_test.json test1; the handler hashes the key",
      unwrap(trieRoot(accounts)),
      accountKey,
      hexes(accountProof),
      true,
    ),
    c(
      "empty_trie",
      "any key against the empty root with the proof [0x80]",
      keccak256(Uint8Array.of(0x80)),
      dog,
      ["0x80"],
      false,
    ),
    c(
      "missing_node",
      "the last node of the proof is dropped",
      wideRoot,
      key,
      hexes(proof.slice(0, -1)),
      false,
      "TRIE_PROOF_MISSING_NODE",
    ),
    c(
      "empty_proof",
      "an empty proof against a non-empty root",
      wideRoot,
      key,
      [],
      false,
      "TRIE_PROOF_MISSING_NODE",
    ),
    c(
      "hash_mismatch",
      "one bit of the second proof node is flipped",
      wideRoot,
      key,
      hexes(tampered),
      false,
      "TRIE_PROOF_HASH_MISMATCH",
    ),
    c(
      "wrong_root",
      "a valid proof against another root",
      puppyRoot,
      key,
      hexes(proof),
      false,
      "TRIE_PROOF_HASH_MISMATCH",
    ),
    c(
      "extra_node",
      "a node appended after the walk ends",
      wideRoot,
      key,
      hexes([...proof, proof[0]!]),
      false,
      "TRIE_PROOF_EXTRA_NODE",
    ),
    c(
      "non_canonical_node",
      "the root node is 0x8100, not canonical RLP",
      keccak256(badNode),
      dog,
      hexes([badNode]),
      false,
      "TRIE_PROOF_MALFORMED_NODE",
    ),
    c(
      "leaf_empty_value",
      "the root node is a leaf with an empty value",
      keccak256(emptyLeaf),
      Uint8Array.of(0x12),
      hexes([emptyLeaf]),
      false,
      "TRIE_PROOF_MALFORMED_NODE",
    ),
    c(
      "root_too_short",
      "the root has 31 bytes",
      bytesToHex(wideRoot.subarray(1)),
      key,
      hexes(proof),
      false,
      "JSON_BYTES_LENGTH",
    ),
    c(
      "node_hex_malformed",
      "a proof node with an odd number of hex digits",
      wideRoot,
      key,
      ["0xc"],
      false,
      "JSON_HEX_MALFORMED",
    ),
    c(
      "proof_not_a_list",
      "the proof must be an array",
      wideRoot,
      key,
      bytesToHex(proof[0]!),
      false,
      "JSON_SCHEMA",
    ),
  ]
    .concat([
      {
        handler: "verify_proof",
        name: "key_without_prefix",
        description: "the key lacks the 0x prefix",
        tags: JSON_TAGS,
        input: {
          root: bytesToHex(wideRoot),
          key: bytesToHex(key).slice(2),
          proof: hexes(proof),
          secure: false,
        },
        expectedError: "JSON_HEX_PREFIX",
      },
    ])
    .map((x) => (x.expectedError?.startsWith("JSON_") ? { ...x, tags: JSON_TAGS } : x));
}

const ProofOutput = z.object({ proof: z.array(z.string()) }).strict();
const ValueOutput = z.object({ value: z.string().nullable() }).strict();

export const runner: RunnerDef = {
  name: "trie",
  description:
    "Merkle-Patricia trie roots, ordered-list roots, proofs and their verification (spec chapter 1, §1.4)",
  handlers: {
    root: {
      description:
        "TRIE-ROOT.1: the root of a map given as [key, value] pairs; secure hashes the keys (TRIE-SECURE.1)",
      input: z.object({ entries: EntriesJson, secure: JsonFlag }).strict(),
      output: z.string(),
      run(input: { entries: Pairs; secure: boolean }): Json {
        return bytesToHex(unwrap(trieRoot(entriesOf(input.entries, input.secure))));
      },
    },
    ordered_list_root: {
      description: "TRIE-ORDERED.1: the root of an ordered list, element i under the key RLP(i)",
      input: z.object({ values: z.array(HexBytes) }).strict(),
      output: z.string(),
      run(input: { values: Uint8Array[] }): Json {
        return bytesToHex(unwrap(orderedListRoot(input.values)));
      },
    },
    prove: {
      description:
        "TRIE-PROOF.1: the proof for a key (present or absent); secure hashes the entry keys and the key",
      input: z.object({ entries: EntriesJson, secure: JsonFlag, key: HexBytes }).strict(),
      output: ProofOutput,
      run(input: { entries: Pairs; secure: boolean; key: Uint8Array }): Json {
        const key = input.secure ? keccak256(input.key) : input.key;
        const proof = unwrap(proveInclusion(entriesOf(input.entries, input.secure), key));
        return { proof: proof.map(bytesToHex) };
      },
    },
    verify_proof: {
      description:
        "TRIE-VERIFY.2: checks a proof against a root; returns the value, or null when the key is absent",
      input: z
        .object({ root: hexBytesOfLength(32), key: HexBytes, proof: z.array(HexBytes), secure: JsonFlag })
        .strict(),
      output: ValueOutput,
      run(input: { root: Uint8Array; key: Uint8Array; proof: Uint8Array[]; secure: boolean }): Json {
        const key = input.secure ? keccak256(input.key) : input.key;
        const value = unwrap(verifyProof(input.root, key, input.proof));
        return { value: value === null ? null : bytesToHex(value) };
      },
    },
  },
  cases: () => [...rootCases(), ...orderedCases(), ...proveCases(), ...verifyCases()],
};
