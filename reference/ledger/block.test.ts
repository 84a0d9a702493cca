import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { addressOf, genesis, nextBlock, transfer } from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { oracleTrie } from "../../tools/testing/trieOracle.ts";
import { bytesToHex } from "../encoding/json.ts";
import { MINIMAL } from "../params/presets.ts";
import { decodeBlock, encodeBlock, transactionRoot } from "./block.ts";
import { encodeHeader, HEADER_FIELD_NAMES } from "./header.ts";
import { encodeTransaction } from "./transaction.ts";

const hex = bytesToHex;
const g = genesis(MINIMAL, 0);
const txs = [
  transfer(MINIMAL, { shard: 0, index: 0 }, 0n, addressOf({ shard: 0, index: 1 }), 5n),
  transfer(MINIMAL, { shard: 0, index: 1 }, 0n, addressOf({ shard: 0, index: 0 }), 6n, { ethereum: true }),
];
const block = nextBlock(g, txs, MINIMAL).block;
const headerFields = HEADER_FIELD_NAMES.map((n) => block.header[n]);

describe("block encoding", () => {
  // @covers BLOCK-FORMAT.1
  it("encodes [header, transactions, incoming] with each transaction as its own RLP item", () => {
    const model = RLP.encode([headerFields, txs.map((tx) => RLP.decode(encodeTransaction(tx))), []] as never);
    expect(hex(encodeBlock(block))).toBe(hex(model));
    const back = decodeBlock(encodeBlock(block), MINIMAL);
    expect(back.ok).toBe(true);
    if (!back.ok) return;
    expect(hex(encodeHeader(back.value.header))).toBe(hex(encodeHeader(block.header)));
    expect(back.value.transactions).toEqual(block.transactions);
    expect(back.value.incomingReceipts).toEqual([]);
    // Incoming entries are carried as items.
    const withIncoming = { ...block, incomingReceipts: [[Uint8Array.of(1)], Uint8Array.of(2)] };
    const again = decodeBlock(encodeBlock(withIncoming), MINIMAL);
    expect(again.ok && again.value.incomingReceipts).toEqual(withIncoming.incomingReceipts);
  });

  // @covers BLOCK-FORMAT.1
  it("rejects malformed blocks with the code of the first failing line", () => {
    const code = (bytes: Uint8Array) => resultCode(decodeBlock(bytes, MINIMAL));
    const txItems = txs.map((tx) => RLP.decode(encodeTransaction(tx)));
    expect(code(Uint8Array.of(0xc1))).toBe("RLP_INPUT_TOO_SHORT"); // L1
    expect(code(Uint8Array.of(0x80))).toBe("RLP_EXPECTED_LIST"); // L2
    expect(code(RLP.encode([headerFields, txItems] as never))).toBe("BLOCK_FIELD_COUNT"); // L3
    expect(code(RLP.encode([headerFields.slice(1), txItems, []] as never))).toBe("HEADER_FIELD_COUNT"); // L4
    expect(code(RLP.encode([headerFields, Uint8Array.of(1), []] as never))).toBe("RLP_EXPECTED_LIST"); // L5
    expect(code(RLP.encode([headerFields, [[Uint8Array.of(1)]], []] as never))).toBe("TX_FIELD_COUNT"); // L6
    expect(code(RLP.encode([headerFields, txItems, Uint8Array.of(1)] as never))).toBe("RLP_EXPECTED_LIST"); // L7
  });

  // @covers BLOCK-TX-ROOT.1
  it("the transaction root is the ordered-list root of the transaction encodings", () => {
    expect(hex(transactionRoot([]))).toBe(
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    );
    const model = oracleTrie(txs.map((tx, i) => ({ key: RLP.encode(i), value: encodeTransaction(tx) }))).root;
    expect(hex(transactionRoot(txs))).toBe(hex(model));
    expect(hex(block.header.txRoot)).toBe(hex(model));
  });
});
