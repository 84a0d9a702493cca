import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { oracleTrie } from "../../tools/testing/trieOracle.ts";
import { bytesToHex } from "../encoding/json.ts";
import {
  type CxReceipt,
  cxReceiptRoot,
  decodeCxReceipt,
  decodeReceipt,
  encodeCxReceipt,
  encodeReceipt,
  incomingReceiptRoot,
  type Receipt,
  receiptRoot,
} from "./receipt.ts";

const hex = bytesToHex;
const EMPTY_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
const hash = (n: number) => new Uint8Array(32).fill(n);
const addr = (n: number) => new Uint8Array(20).fill(n);
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "(accepted)" : r.error!.code);

/** The ordered-list root of the trie model: keys RLP(i) by @ethereumjs/rlp. */
function modelOrderedRoot(values: Uint8Array[]): Uint8Array {
  return oracleTrie(values.map((value, i) => ({ key: RLP.encode(i), value }))).root;
}

const receipt = (i: number): Receipt => ({
  status: 1,
  cumulativeGasUsed: 21000n * BigInt(i + 1),
  gasUsed: 21000n,
  txHash: hash(i),
});
const cx = (i: number, toShard: number): CxReceipt => ({
  txHash: hash(i),
  from: addr(1),
  to: addr(2 + i),
  fromShard: 0,
  toShard,
  amount: BigInt(i) * 10n ** 18n,
});

describe("receipts", () => {
  // @covers RECEIPT-FORMAT.1
  it("encodes [status, cumulativeGasUsed, gasUsed, txHash] and decodes it back", () => {
    const r = receipt(2);
    expect(hex(encodeReceipt(r))).toBe(hex(RLP.encode([1, 63000, 21000, hash(2)])));
    const back = decodeReceipt(encodeReceipt(r));
    expect(back.ok && hex(encodeReceipt(back.value))).toBe(hex(encodeReceipt(r)));
  });

  // @covers RECEIPT-FORMAT.1
  it("rejects malformed receipts", () => {
    expect(codeOf(decodeReceipt(Uint8Array.of(0x80)))).toBe("RLP_EXPECTED_LIST");
    expect(codeOf(decodeReceipt(RLP.encode([1, 2, 3])))).toBe("RECEIPT_FIELD_COUNT");
    expect(codeOf(decodeReceipt(RLP.encode([1, 2, [], hash(0)])))).toBe("RLP_EXPECTED_BYTES");
    expect(codeOf(decodeReceipt(RLP.encode([Uint8Array.of(0), 2, 3, hash(0)])))).toBe(
      "RLP_SCALAR_LEADING_ZERO",
    );
    expect(codeOf(decodeReceipt(RLP.encode([2, 2, 3, hash(0)])))).toBe("RECEIPT_FIELD_INVALID");
    expect(codeOf(decodeReceipt(RLP.encode([1, 1n << 64n, 3, hash(0)])))).toBe("RECEIPT_FIELD_INVALID");
    expect(codeOf(decodeReceipt(RLP.encode([1, 2, 3, addr(0)])))).toBe("RECEIPT_FIELD_INVALID");
    expect(codeOf(decodeReceipt(RLP.encode([0, 0, 0, hash(0)])))).toBe("(accepted)");
  });

  // @covers RECEIPT-ROOT.1
  it("the receipt root is the ordered-list root of the encodings", () => {
    expect(hex(receiptRoot([]))).toBe(EMPTY_ROOT);
    const rs = [0, 1, 2, 3, 4].map(receipt);
    const model = modelOrderedRoot(
      rs.map((r) => RLP.encode([r.status, r.cumulativeGasUsed, r.gasUsed, r.txHash])),
    );
    expect(hex(receiptRoot(rs))).toBe(hex(model));
  });

  // @covers RECEIPT-CX-FORMAT.1
  it("cross-shard receipts encode as mainnet's CXReceipt and decode back", () => {
    const c = cx(3, 1);
    expect(hex(encodeCxReceipt(c))).toBe(hex(RLP.encode([hash(3), addr(1), addr(5), 0, 1, 3n * 10n ** 18n])));
    const back = decodeCxReceipt(encodeCxReceipt(c));
    expect(back.ok && hex(encodeCxReceipt(back.value))).toBe(hex(encodeCxReceipt(c)));
    expect(codeOf(decodeCxReceipt(RLP.encode([hash(3), addr(1), addr(5), 0, 1])))).toBe(
      "RECEIPT_FIELD_COUNT",
    );
    expect(codeOf(decodeCxReceipt(RLP.encode([hash(3), addr(1), new Uint8Array(0), 0, 1, 5])))).toBe(
      "RECEIPT_FIELD_INVALID",
    );
    expect(codeOf(decodeCxReceipt(RLP.encode([hash(3), addr(1), addr(5), 0, 1n << 32n, 5])))).toBe(
      "RECEIPT_FIELD_INVALID",
    );
    expect(codeOf(decodeCxReceipt(RLP.encode([hash(3), addr(1), addr(5), 0, 1, 1n << 256n])))).toBe(
      "RECEIPT_FIELD_INVALID",
    );
  });

  // @covers RECEIPT-CX-ROOT.1
  it("the outgoing root hashes uint32_be(shard) ‖ per-destination root, destinations ascending", () => {
    expect(hex(cxReceiptRoot([]))).toBe(EMPTY_ROOT);
    // Receipts to shards 3, 1, 3, 0, in block order.
    const outgoing = [cx(0, 3), cx(1, 1), cx(2, 3), cx(3, 0)];
    const enc = (c: CxReceipt) => RLP.encode([c.txHash, c.from, c.to, c.fromShard, c.toShard, c.amount]);
    const part = (shard: number, list: CxReceipt[]) => [
      ...Uint8Array.of(0, 0, 0, shard),
      ...modelOrderedRoot(list.map(enc)),
    ];
    const expected = keccak_256(
      Uint8Array.from([
        ...part(0, [outgoing[3]!]),
        ...part(1, [outgoing[1]!]),
        ...part(3, [outgoing[0]!, outgoing[2]!]),
      ]),
    );
    expect(hex(cxReceiptRoot(outgoing))).toBe(hex(expected));
    // A single destination still hashes its 36-byte record (not the bare per-shard root).
    expect(hex(cxReceiptRoot([cx(0, 1)]))).toBe(hex(keccak_256(Uint8Array.from(part(1, [cx(0, 1)])))));
  });

  // @covers RECEIPT-INCOMING-ROOT.1
  it("the incoming root of no entries is the empty root; entries commit by their encodings", () => {
    expect(hex(incomingReceiptRoot([]))).toBe(EMPTY_ROOT);
    const entries = [[Uint8Array.of(1)], [Uint8Array.of(2), []]];
    const model = modelOrderedRoot([RLP.encode([Uint8Array.of(1)]), RLP.encode([Uint8Array.of(2), []])]);
    expect(hex(incomingReceiptRoot(entries))).toBe(hex(model));
  });
});
