import { expectRlpList, type RlpItem, rlpDecodeOrThrow, rlpEncode } from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { orderedListRoot } from "../trie/trieRoot.ts";
import { type BlockHeader, decodeHeaderItem, headerItem } from "./header.ts";
import { decodeTransaction, encodeTransaction, type Transaction } from "./transaction.ts";

/*
 * The block (§5.5): header, transactions and incoming receipt entries; its encoding and the transaction root.
 */

/**
 * A block. `incomingReceipts` holds the entries of the cross-shard chapter as RLP items; chapter 5 accepts
 * only blocks without any.
 *
 * @spec BLOCK-FORMAT.1
 */
export interface Block {
  readonly header: BlockHeader;
  readonly transactions: readonly Transaction[];
  readonly incomingReceipts: readonly RlpItem[];
}

/** Number of elements of an encoded block. */
export const BLOCK_FIELD_COUNT = 3;

/**
 * RLP([header list, [transaction items], [incoming entries]]), each transaction item being the RLP item whose
 * encoding is the transaction's canonical encoding.
 *
 * @spec BLOCK-FORMAT.1
 */
export function encodeBlock(block: Block): Uint8Array {
  const transactions: RlpItem[] = [];
  for (let i = 0; i < block.transactions.length; i++) {
    transactions.push(rlpDecodeOrThrow(encodeTransaction(block.transactions[i]!)));
  }
  return rlpEncode([headerItem(block.header), transactions, [...block.incomingReceipts]]);
}

/**
 * BLOCK-FORMAT (L1–L8): the RLP list of three elements, the header (HEADER-RLP.1), every transaction
 * (chapter 4's decoder), the incoming entries as items.
 *
 * @spec BLOCK-FORMAT.1
 */
export function decodeBlock(bytes: Uint8Array, preset: Preset): Result<Block> {
  return attempt(() => {
    const item = rlpDecodeOrThrow(bytes); // BLOCK-FORMAT L1
    const list = expectRlpList(item, "block"); // BLOCK-FORMAT L2
    if (list.length !== BLOCK_FIELD_COUNT) {
      throw new SpecError("BLOCK_FIELD_COUNT", `a block has 3 elements, got ${list.length}`); // BLOCK-FORMAT L3
    }
    const header = decodeHeaderItem(list[0]!, preset); // BLOCK-FORMAT L4
    const items = expectRlpList(list[1]!, "block transactions"); // BLOCK-FORMAT L5
    const transactions: Transaction[] = [];
    for (let i = 0; i < items.length; i++) {
      transactions.push(unwrap(decodeTransaction(rlpEncode(items[i]!)))); // BLOCK-FORMAT L6
    }
    const incomingReceipts = expectRlpList(list[2]!, "block incoming receipts"); // BLOCK-FORMAT L7
    return { header, transactions, incomingReceipts }; // BLOCK-FORMAT L8
  });
}

/**
 * The transaction root: the ordered-list root of the transactions' canonical encodings, in block order.
 *
 * @spec BLOCK-TX-ROOT.1
 */
export function transactionRoot(transactions: readonly Transaction[]): Uint8Array {
  const values: Uint8Array[] = [];
  for (let i = 0; i < transactions.length; i++) values.push(encodeTransaction(transactions[i]!));
  return unwrap(orderedListRoot(values)); // an encoded transaction is never empty
}
