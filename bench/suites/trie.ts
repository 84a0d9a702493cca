import { bytesToHex as hex } from "../../reference/encoding/json.ts";
import { keccak256 } from "../../reference/encoding/keccak.ts";
import { encodeScalar, rlpEncode } from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import { proveFromTrie, proveInclusion, verifyProof } from "../../reference/trie/proof.ts";
import { buildTrie, type TrieEntry } from "../../reference/trie/trieNode.ts";
import { emptyTrieRoot, secureEntries, secureTrieRoot, trieRoot } from "../../reference/trie/trieRoot.ts";
import { type BenchSuite, measure, ratio, type SuiteResult } from "../harness.ts";

const ACCOUNTS = 10_000;

/**
 * Account i: address = the last 20 bytes of keccak256(uint32_be(i)); value = RLP([nonce, balance,
 * storageRoot, codeHash]) with nonce i mod 7, balance i · 10^18 wei, the empty storage root and the hash
 * of empty code.
 */
function accounts(): TrieEntry[] {
  const storageRoot = emptyTrieRoot();
  const codeHash = keccak256(new Uint8Array(0));
  const out: TrieEntry[] = [];
  for (let i = 0; i < ACCOUNTS; i++) {
    const address = keccak256(Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff)).slice(
      12,
    );
    const value = rlpEncode([
      encodeScalar(BigInt(i % 7)),
      encodeScalar(BigInt(i) * 10n ** 18n),
      storageRoot,
      codeHash,
    ]);
    out.push({ key: address, value });
  }
  return out;
}

/** A deterministic permutation (Fisher–Yates driven by a keccak counter stream). */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const r = keccak256(Uint8Array.of(i >>> 24, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff));
    const j = (((r[0]! << 24) | (r[1]! << 16) | (r[2]! << 8) | r[3]!) >>> 0) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const suite: BenchSuite = {
  name: "trie",
  description: `secure Merkle-Patricia trie root of ${ACCOUNTS} accounts (keys hashed with keccak256), plus proof and verification of one account`,
  async run(): Promise<SuiteResult> {
    const entries = accounts();
    const root = unwrap(secureTrieRoot(entries));
    const hashed = secureEntries(entries);
    const key = hashed[4321]!.key;

    const measurements = [
      await measure(`secureTrieRoot, ${ACCOUNTS} accounts`, () => secureTrieRoot(entries), {
        minIterations: 5,
        minMs: 2000,
      }),
      await measure(`trieRoot, ${ACCOUNTS} pre-hashed keys`, () => trieRoot(hashed), {
        minIterations: 5,
        minMs: 2000,
      }),
      await measure(`proveInclusion, 1 of ${ACCOUNTS}`, () => proveInclusion(hashed, key), {
        minIterations: 5,
      }),
    ];
    const proof = unwrap(proveInclusion(hashed, key));
    const trie = unwrap(buildTrie(hashed));
    measurements.push(
      await measure(`proveFromTrie, 1 of ${ACCOUNTS} (trie built once)`, () => proveFromTrie(trie, key), {
        minIterations: 200,
      }),
    );
    measurements.push(
      await measure("verifyProof, 1 account", () => verifyProof(root, key, proof), { minIterations: 200 }),
    );

    const reordered = unwrap(secureTrieRoot(shuffled(entries)));
    const reversed = unwrap(secureTrieRoot([...entries].reverse()));
    const proven = unwrap(verifyProof(root, key, proof));
    const checks = [
      {
        name: "root independent of insertion order",
        pass: hex(reordered) === hex(root) && hex(reversed) === hex(root),
        detail: `root ${hex(root)}, shuffled ${hex(reordered)}, reversed ${hex(reversed)}`,
      },
      {
        name: "proof of account 4321 verifies to its value",
        pass: proven !== null && hex(proven) === hex(hashed[4321]!.value),
        detail: `${proof.length} proof nodes`,
      },
    ];
    const ratios = [ratio("secure root vs root of pre-hashed keys", measurements[0]!, measurements[1]!)];
    return { measurements, ratios, checks };
  },
};
