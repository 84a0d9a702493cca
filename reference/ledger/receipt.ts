import { keccak256 } from "../encoding/keccak.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { emptyTrieRoot, orderedListRoot } from "../trie/trieRoot.ts";
import { UINT64_LIMIT, UINT256_LIMIT } from "./account.ts";
import type { Address } from "./transaction.ts";
import { UINT32_BOUND } from "./transactionFields.ts";

/*
 * Receipts (§5.3): the receipt of each applied transaction and the receipt root; the outgoing cross-shard
 * receipts and their per-destination root; the incoming receipt root.
 */

/**
 * The receipt of an applied transaction. `status` is 1 for every transaction chapter 5 applies.
 *
 * @spec RECEIPT-FORMAT.1
 */
export interface Receipt {
  /** 1 (success) or 0 (failure). */
  readonly status: number;
  /** uint64: gas used by this transaction and every earlier one in its block. */
  readonly cumulativeGasUsed: bigint;
  /** uint64: gas used by this transaction. */
  readonly gasUsed: bigint;
  /** 32 bytes: the transaction hash. */
  readonly txHash: Uint8Array;
}

/**
 * An outgoing cross-shard receipt: the debit side of a transfer to another shard.
 *
 * @spec RECEIPT-CX-FORMAT.1
 */
export interface CxReceipt {
  readonly txHash: Uint8Array;
  readonly from: Address;
  readonly to: Address;
  /** uint32: the shard that debited the sender. */
  readonly fromShard: number;
  /** uint32: the shard that is to credit `to`. */
  readonly toShard: number;
  /** uint256: the amount to credit. */
  readonly amount: bigint;
}

/** Number of elements of an encoded receipt and of an encoded cross-shard receipt. */
export const RECEIPT_FIELD_COUNT = 4;
export const CX_RECEIPT_FIELD_COUNT = 6;

function invalid(what: string): never {
  throw new SpecError("RECEIPT_FIELD_INVALID", what);
}

/** A shard id (number or bigint) is an integer in [0, 2^32). */
function isUint32(value: number | bigint): boolean {
  if (typeof value === "number" && !Number.isSafeInteger(value)) return false;
  const big = BigInt(value);
  return big >= 0n && big < UINT32_BOUND;
}

/**
 * Checks the domains of RECEIPT-FORMAT.1 in field order: status 0 or 1, both gas fields uint64, a 32-byte
 * hash. Throws RECEIPT_FIELD_INVALID.
 *
 * @spec RECEIPT-FORMAT.1
 */
export function checkReceiptFields(receipt: Receipt): void {
  if (receipt.status !== 0 && receipt.status !== 1) invalid(`status ${receipt.status} is neither 0 nor 1`);
  if (receipt.cumulativeGasUsed < 0n || receipt.cumulativeGasUsed >= UINT64_LIMIT) {
    invalid(`cumulativeGasUsed ${receipt.cumulativeGasUsed} is not a uint64`);
  }
  if (receipt.gasUsed < 0n || receipt.gasUsed >= UINT64_LIMIT)
    invalid(`gasUsed ${receipt.gasUsed} is not a uint64`);
  if (receipt.txHash.length !== 32) invalid(`txHash has ${receipt.txHash.length} bytes, not 32`);
}

/**
 * RLP([status, cumulativeGasUsed, gasUsed, txHash]); no logs and no bloom.
 *
 * @spec RECEIPT-FORMAT.1
 */
export function encodeReceipt(receipt: Receipt): Uint8Array {
  return rlpEncode([
    scalarToBytes(BigInt(receipt.status)),
    scalarToBytes(receipt.cumulativeGasUsed),
    scalarToBytes(receipt.gasUsed),
    receipt.txHash,
  ]);
}

/** Reads a list of `count` byte strings: RLP-DECODE.1, a list, the element count, each element bytes. */
function byteFields(bytes: Uint8Array, count: number, what: string): Uint8Array[] {
  const list = expectRlpList(rlpDecodeOrThrow(bytes), what);
  if (list.length !== count) {
    throw new SpecError("RECEIPT_FIELD_COUNT", `${what} has ${count} fields, got ${list.length}`);
  }
  const out: Uint8Array[] = [];
  for (let i = 0; i < list.length; i++) out.push(expectRlpBytes(list[i]!, `${what} field ${i}`));
  return out;
}

/**
 * Decodes a receipt, rejecting every byte string that is not the encoding of one.
 *
 * @spec RECEIPT-FORMAT.1
 */
export function decodeReceipt(bytes: Uint8Array): Result<Receipt> {
  return attempt(() => {
    const fields = byteFields(bytes, RECEIPT_FIELD_COUNT, "receipt");
    const status = scalarFromBytes(fields[0]!);
    const cumulativeGasUsed = scalarFromBytes(fields[1]!);
    const gasUsed = scalarFromBytes(fields[2]!);
    if (status > 1n) invalid(`status ${status} is neither 0 nor 1`);
    const receipt: Receipt = { status: Number(status), cumulativeGasUsed, gasUsed, txHash: fields[3]! };
    checkReceiptFields(receipt);
    return receipt;
  });
}

/**
 * The receipt root: the ordered-list root of the encoded receipts, in transaction order.
 *
 * @spec RECEIPT-ROOT.1
 */
export function receiptRoot(receipts: readonly Receipt[]): Uint8Array {
  const values: Uint8Array[] = [];
  for (let i = 0; i < receipts.length; i++) values.push(encodeReceipt(receipts[i]!));
  return unwrap(orderedListRoot(values)); // encoded receipts are never empty
}

/**
 * Checks the domains of RECEIPT-CX-FORMAT.1 in field order: a 32-byte hash, 20-byte addresses, uint32 shard
 * ids, a uint256 amount. Throws RECEIPT_FIELD_INVALID.
 *
 * @spec RECEIPT-CX-FORMAT.1
 */
export function checkCxReceiptFields(receipt: CxReceipt): void {
  if (receipt.txHash.length !== 32) invalid(`txHash has ${receipt.txHash.length} bytes, not 32`);
  if (receipt.from.length !== 20) invalid(`from has ${receipt.from.length} bytes, not 20`);
  if (receipt.to.length !== 20) invalid(`to has ${receipt.to.length} bytes, not 20`);
  if (!isUint32(receipt.fromShard)) invalid(`fromShard ${receipt.fromShard} is not a uint32`);
  if (!isUint32(receipt.toShard)) invalid(`toShard ${receipt.toShard} is not a uint32`);
  if (receipt.amount < 0n || receipt.amount >= UINT256_LIMIT)
    invalid(`amount ${receipt.amount} is not a uint256`);
}

/**
 * The RLP item of a cross-shard receipt: [txHash, from, to, fromShard, toShard, amount] (mainnet's CXReceipt).
 *
 * @spec RECEIPT-CX-FORMAT.1
 */
export function cxReceiptItem(receipt: CxReceipt): RlpItem {
  return [
    receipt.txHash,
    receipt.from,
    receipt.to,
    scalarToBytes(BigInt(receipt.fromShard)),
    scalarToBytes(BigInt(receipt.toShard)),
    scalarToBytes(receipt.amount),
  ];
}

/** @spec RECEIPT-CX-FORMAT.1 */
export function encodeCxReceipt(receipt: CxReceipt): Uint8Array {
  return rlpEncode(cxReceiptItem(receipt));
}

/**
 * Decodes a cross-shard receipt, rejecting every byte string that is not the encoding of one.
 *
 * @spec RECEIPT-CX-FORMAT.1
 */
export function decodeCxReceipt(bytes: Uint8Array): Result<CxReceipt> {
  return attempt(() => {
    const fields = byteFields(bytes, CX_RECEIPT_FIELD_COUNT, "cross-shard receipt");
    const fromShard = scalarFromBytes(fields[3]!);
    const toShard = scalarFromBytes(fields[4]!);
    const amount = scalarFromBytes(fields[5]!);
    const receipt: CxReceipt = {
      txHash: fields[0]!,
      from: fields[1]!,
      to: fields[2]!,
      // Kept exact while out of range: Number() of a value ≥ 2^53 is not a safe integer and fails the check.
      fromShard: Number(fromShard),
      toShard: Number(toShard),
      amount,
    };
    checkCxReceiptFields(receipt);
    return receipt;
  });
}

/** One destination's part of the outgoing receipt root: the shard and the ordered-list root of its receipts. */
export interface CxShardRoot {
  readonly shard: number;
  readonly root: Uint8Array;
}

/** The receipts of `outgoing` bound for `shard`, in block order (RECEIPT-CX-ROOT L3). @spec RECEIPT-CX-ROOT.1 */
export function cxReceiptsTo(outgoing: readonly CxReceipt[], shard: number): CxReceipt[] {
  return outgoing.filter((receipt) => receipt.toShard === shard);
}

/**
 * RECEIPT-CX-ROOT L2–L4: for each destination shard in ascending order that has receipts, the ordered-list root
 * of the encodings of its receipts in block order.
 *
 * @spec RECEIPT-CX-ROOT.1
 */
export function cxShardRoots(outgoing: readonly CxReceipt[]): CxShardRoot[] {
  const shards = [...new Set(outgoing.map((receipt) => receipt.toShard))].sort((a, b) => a - b); // L2
  return shards.map((shard) => ({
    shard,
    root: unwrap(orderedListRoot(cxReceiptsTo(outgoing, shard).map(encodeCxReceipt))), // L3–L4
  }));
}

/**
 * RECEIPT-CX-ROOT L1, L4–L6: keccak256 of uint32_be(shard) ‖ root over the destinations in order; the empty-trie
 * root when there are none.
 *
 * @spec RECEIPT-CX-ROOT.1
 */
export function cxRootOfShardRoots(parts: readonly CxShardRoot[]): Uint8Array {
  if (parts.length === 0) return emptyTrieRoot(); // RECEIPT-CX-ROOT L5
  const buffer = new Uint8Array(parts.length * 36); // RECEIPT-CX-ROOT L1
  parts.forEach((part, i) => {
    new DataView(buffer.buffer).setUint32(36 * i, part.shard); // big-endian
    buffer.set(part.root, 36 * i + 4); // RECEIPT-CX-ROOT L4
  });
  return keccak256(buffer); // RECEIPT-CX-ROOT L6
}

/**
 * The outgoing receipt root (RECEIPT-CX-ROOT L1–L6): for each destination shard in ascending order that has receipts,
 * uint32_be(shard) ‖ the ordered-list root of its receipts (block order), all hashed with keccak256; the
 * empty-trie root when there are none.
 *
 * @spec RECEIPT-CX-ROOT.1
 */
export function cxReceiptRoot(outgoing: readonly CxReceipt[]): Uint8Array {
  return cxRootOfShardRoots(cxShardRoots(outgoing));
}

/**
 * The incoming receipt root: the ordered-list root of the encodings of the block's incoming entries; the
 * empty-trie root when there are none. The format of an entry is the cross-shard chapter's.
 *
 * @spec RECEIPT-INCOMING-ROOT.1
 */
export function incomingReceiptRoot(entries: readonly RlpItem[]): Uint8Array {
  const values: Uint8Array[] = [];
  for (let i = 0; i < entries.length; i++) values.push(rlpEncode(entries[i]!));
  return unwrap(orderedListRoot(values)); // an RLP encoding is never empty
}
