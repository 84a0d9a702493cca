import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { sampleReceipt } from "../../tools/testing/crossLinks.ts";
import { genesis } from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import type { BlockHeader } from "../ledger/header.ts";
import { type CxReceipt, cxReceiptRoot, encodeCxReceipt } from "../ledger/receipt.ts";
import { MINIMAL } from "../params/presets.ts";
import { proveInclusion } from "../trie/proof.ts";
import { orderedListEntries } from "../trie/trieRoot.ts";
import {
  type CxReceiptProof,
  decodeCxReceiptProof,
  encodeCxReceiptProof,
  proveCxReceipt,
  verifyCxInclusion,
} from "./receiptProof.ts";

/** Shard 1's block with receipts bound for shards 0, 2, 0, 3 and 0, in that order. */
const OUTGOING = [
  sampleReceipt(1, 1, 0),
  sampleReceipt(2, 1, 2),
  sampleReceipt(3, 1, 0),
  sampleReceipt(4, 1, 3),
  sampleReceipt(5, 1, 0),
];

function headerFor(outgoing: readonly CxReceipt[], shardId = 1): BlockHeader {
  return { ...genesis(MINIMAL, 1).head, shardId, outgoingReceiptRoot: cxReceiptRoot(outgoing) };
}

const HEADER = headerFor(OUTGOING);

describe("CX-PROOF-FORMAT", () => {
  // @covers CX-PROOF-FORMAT.1
  it("is RLP([[[shard, root], …], index, receipt, [node, …]]) and decodes back", () => {
    const proof = proveCxReceipt(OUTGOING, 0, 2);
    const wire = encodeCxReceiptProof(proof);
    const [roots, index, bytes, nodes] = RLP.decode(wire) as unknown as [
      Uint8Array[][],
      Uint8Array,
      Uint8Array,
      Uint8Array[],
    ];
    expect(roots.map((pair) => pair[0])).toEqual([new Uint8Array(0), Uint8Array.of(2), Uint8Array.of(3)]);
    expect(index).toEqual(Uint8Array.of(2));
    expect(bytes).toEqual(encodeCxReceipt(OUTGOING[4]!));
    expect(nodes).toEqual(proof.nodes);
    expect(unwrap(decodeCxReceiptProof(wire))).toEqual(proof);
  });

  // @covers CX-PROOF-FORMAT.1
  it("refuses a proof of the wrong shape or with a field outside its domain", () => {
    const good = RLP.decode(encodeCxReceiptProof(proveCxReceipt(OUTGOING, 0, 0))) as unknown as unknown[];
    const code = (items: unknown) => resultCode(decodeCxReceiptProof(RLP.encode(items as Uint8Array[])));
    const replaced = (at: number, value: unknown) => code(good.map((x, i) => (i === at ? value : x)));
    expect(code(good)).toBe(ACCEPTED);
    expect(code(good.slice(0, 3))).toBe("CX_PROOF_MALFORMED");
    expect(replaced(0, [[new Uint8Array(0)]])).toBe("CX_PROOF_MALFORMED");
    expect(replaced(0, [[new Uint8Array(0), new Uint8Array(31)]])).toBe("CX_PROOF_MALFORMED");
    expect(replaced(0, [[Uint8Array.of(1, 0, 0, 0, 0), new Uint8Array(32)]])).toBe("CX_PROOF_MALFORMED");
    expect(replaced(1, Uint8Array.of(1, 0, 0, 0, 0))).toBe("CX_PROOF_MALFORMED");
    expect(replaced(1, Uint8Array.of(0, 1))).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(replaced(3, new Uint8Array(3))).toBe("RLP_EXPECTED_LIST");
    expect(replaced(2, [new Uint8Array(3)])).toBe("RLP_EXPECTED_BYTES");
  });
});

describe("CX-INCLUSION", () => {
  const verify = (proof: CxReceiptProof, header = HEADER, destination = 0) =>
    resultCode(verifyCxInclusion(proof, header, destination));

  // @covers CX-INCLUSION.1
  it("proves every receipt at its position among those bound for its destination", () => {
    const byDestination = new Map<number, CxReceipt[]>();
    for (const r of OUTGOING) byDestination.set(r.toShard, [...(byDestination.get(r.toShard) ?? []), r]);
    for (const [destination, bound] of byDestination) {
      bound.forEach((expected, index) => {
        const proof = proveCxReceipt(OUTGOING, destination, index);
        expect(unwrap(verifyCxInclusion(proof, HEADER, destination))).toEqual(expected);
      });
    }
  });

  // @covers CX-INCLUSION.1 RECEIPT-CX-ROOT.1
  it("rebuilds the header's root from the destinations' roots as RECEIPT-CX-ROOT writes it", () => {
    const { roots } = proveCxReceipt(OUTGOING, 2, 0);
    const buffer = Buffer.concat(
      roots.flatMap((p) => [Buffer.from([0, 0, 0, p.shard]), Buffer.from(p.root)]),
    );
    expect(Buffer.from(keccak_256(buffer)).equals(Buffer.from(HEADER.outgoingReceiptRoot))).toBe(true);
  });

  // @covers CX-INCLUSION.1
  it("refuses unsorted or altered roots, another destination, another receipt and receipts of the wrong shards", () => {
    const proof = proveCxReceipt(OUTGOING, 0, 1);
    const [r0, r2, r3] = proof.roots as [
      CxReceiptProof["roots"][0],
      CxReceiptProof["roots"][0],
      CxReceiptProof["roots"][0],
    ];
    expect(verify({ ...proof, roots: [r2, r0, r3] })).toBe("CX_ROOTS_UNSORTED");
    expect(verify({ ...proof, roots: [r0, r0, r2, r3] })).toBe("CX_ROOTS_UNSORTED");
    expect(verify({ ...proof, roots: [r0, r2] })).toBe("CX_ROOT_MISMATCH");
    expect(verify(proof, headerFor(OUTGOING.slice(1)))).toBe("CX_ROOT_MISMATCH");
    expect(verify(proof, HEADER, 5)).toBe("CX_NOT_FOR_SHARD");
    expect(verify({ ...proof, receipt: encodeCxReceipt(OUTGOING[0]!) })).toBe("CX_RECEIPT_NOT_PROVEN");
    expect(verify({ ...proof, index: 0 })).toBe("TRIE_PROOF_HASH_MISMATCH");
    // A valid proof that position 7 is empty: there are three receipts for shard 0.
    const bound = OUTGOING.filter((r) => r.toShard === 0).map(encodeCxReceipt);
    const absent = unwrap(proveInclusion(orderedListEntries(bound), rlpEncode(scalarToBytes(7n))));
    expect(verify({ ...proof, index: 7, nodes: absent })).toBe("CX_RECEIPT_NOT_PROVEN");
    expect(verify({ ...proof, nodes: [] })).toBe("TRIE_PROOF_MISSING_NODE");
    // The trie proof of a destination-2 receipt does not lead from shard 0's root.
    expect(verify(proveCxReceipt(OUTGOING, 2, 0), HEADER, 0)).toBe("TRIE_PROOF_HASH_MISMATCH");
    // A block of shard 1 whose receipt names shard 2 as its source.
    const stray = [sampleReceipt(6, 2, 0)];
    expect(verify(proveCxReceipt(stray, 0, 0), headerFor(stray))).toBe("CX_RECEIPT_WRONG_SHARDS");
    expect(verify(proveCxReceipt(stray, 0, 0), headerFor(stray, 2))).toBe(ACCEPTED);
  });
});
