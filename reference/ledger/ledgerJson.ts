import { z } from "zod";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  hexTextOfLength,
  JsonInt,
} from "../encoding/json.ts";
import type { Account } from "./account.ts";
import type { BlockHeader } from "./header.ts";
import type { CxReceipt, Receipt } from "./receipt.ts";
import { type AccountState, type StateEntry, stateToList } from "./state.ts";
import { ADDRESS_BYTES } from "./transactionFields.ts";

/*
 * The JSON forms of chapter 5 (§5.7) for conformance vectors and the JSON-RPC interface: integers that may
 * exceed 2^53 as decimal strings (JSON-BIGINT.1), shard ids and receipt status as JSON numbers (JSON-INT.1),
 * bytes as 0x hex (JSON-BYTES.1). Byte fields are read at any length so that a wrong length reaches the rule
 * (HEADER_FIELD_INVALID, STATE_ADDRESS_LENGTH) rather than JSON_BYTES_LENGTH. The readers check structure
 * and forms only (JSON-DECODE.1); the rules then check domains.
 */

/**
 * zod schema: one account of a state's JSON form → (address, account).
 *
 * @spec STATE-MAP.1 ACCOUNT-FIELDS.1
 */
export const AccountJson = z
  .object({
    address: HexBytes,
    nonce: DecimalBigInt,
    balance: DecimalBigInt,
    delegated: DecimalBigInt,
    undelegating: DecimalBigInt,
    rewards: DecimalBigInt,
    validator: HexBytes,
  })
  .strict()
  .transform(
    (a): StateEntry => ({
      address: a.address,
      account: {
        nonce: a.nonce,
        balance: a.balance,
        delegated: a.delegated,
        undelegating: a.undelegating,
        rewards: a.rewards,
        validator: a.validator,
      },
    }),
  );

/**
 * zod schema: a state's JSON form (an array of accounts, any order) → its list of entries, for STATE-FROM-LIST.
 *
 * @spec STATE-MAP.1
 */
export const StateJson = z.array(AccountJson);

/**
 * zod schema: a header's JSON form → BlockHeader (domains are checked by HEADER-FIELDS.2, not here).
 *
 * @spec HEADER-FIELDS.2
 */
export const HeaderJson = z
  .object({
    parentHash: HexBytes,
    coinbase: HexBytes,
    stateRoot: HexBytes,
    txRoot: HexBytes,
    receiptRoot: HexBytes,
    outgoingReceiptRoot: HexBytes,
    incomingReceiptRoot: HexBytes,
    number: DecimalBigInt,
    gasLimit: DecimalBigInt,
    gasUsed: DecimalBigInt,
    time: DecimalBigInt,
    extra: HexBytes,
    viewId: DecimalBigInt,
    epoch: DecimalBigInt,
    shardId: JsonInt,
    lastCommitSignature: HexBytes,
    lastCommitBitmap: HexBytes,
    vrf: HexBytes,
    vdf: HexBytes,
    shardState: HexBytes,
    crossLinks: HexBytes,
    slashes: HexBytes,
  })
  .strict()
  .transform((h): BlockHeader => h);

const Hash32Text = hexTextOfLength(32);
const AddressText = hexTextOfLength(ADDRESS_BYTES);

/** zod schema of an account's JSON form as written. @spec STATE-MAP.1 */
export const AccountJsonOutput = z
  .object({
    address: AddressText,
    nonce: DecimalText,
    balance: DecimalText,
    delegated: DecimalText,
    undelegating: DecimalText,
    rewards: DecimalText,
    validator: HexText,
  })
  .strict();

/** zod schema of a header's JSON form as written. @spec HEADER-FIELDS.2 */
export const HeaderJsonOutput = z
  .object({
    parentHash: Hash32Text,
    coinbase: AddressText,
    stateRoot: Hash32Text,
    txRoot: Hash32Text,
    receiptRoot: Hash32Text,
    outgoingReceiptRoot: Hash32Text,
    incomingReceiptRoot: Hash32Text,
    number: DecimalText,
    gasLimit: DecimalText,
    gasUsed: DecimalText,
    time: DecimalText,
    extra: HexText,
    viewId: DecimalText,
    epoch: DecimalText,
    shardId: JsonInt,
    lastCommitSignature: HexText,
    lastCommitBitmap: HexText,
    vrf: HexText,
    vdf: HexText,
    shardState: HexText,
    crossLinks: HexText,
    slashes: HexText,
  })
  .strict();

/** zod schema of a receipt's JSON form as written. @spec RECEIPT-FORMAT.1 */
export const ReceiptJsonOutput = z
  .object({ status: JsonInt, cumulativeGasUsed: DecimalText, gasUsed: DecimalText, txHash: Hash32Text })
  .strict();

/** zod schema of a cross-shard receipt's JSON form as written. @spec RECEIPT-CX-FORMAT.1 */
export const CxReceiptJsonOutput = z
  .object({
    txHash: Hash32Text,
    from: AddressText,
    to: AddressText,
    fromShard: JsonInt,
    toShard: JsonInt,
    amount: DecimalText,
  })
  .strict();

export type AccountJsonValue = z.output<typeof AccountJsonOutput>;
export type HeaderJsonValue = z.output<typeof HeaderJsonOutput>;
export type ReceiptJsonValue = z.output<typeof ReceiptJsonOutput>;
export type CxReceiptJsonValue = z.output<typeof CxReceiptJsonOutput>;

/** Writes one account. @spec STATE-MAP.1 */
export function accountToJson(address: Uint8Array, account: Account): AccountJsonValue {
  return {
    address: bytesToHex(address),
    nonce: bigintToDecimal(account.nonce),
    balance: bigintToDecimal(account.balance),
    delegated: bigintToDecimal(account.delegated),
    undelegating: bigintToDecimal(account.undelegating),
    rewards: bigintToDecimal(account.rewards),
    validator: bytesToHex(account.validator),
  };
}

/**
 * Writes a state: its accounts sorted by address (ascending bytes).
 *
 * @spec STATE-MAP.1
 */
export function stateToJson(state: AccountState): AccountJsonValue[] {
  const entries = stateToList(state);
  const out: AccountJsonValue[] = [];
  for (let i = 0; i < entries.length; i++) out.push(accountToJson(entries[i]!.address, entries[i]!.account));
  return out;
}

/** Writes a header. @spec HEADER-FIELDS.2 */
export function headerToJson(h: BlockHeader): HeaderJsonValue {
  return {
    parentHash: bytesToHex(h.parentHash),
    coinbase: bytesToHex(h.coinbase),
    stateRoot: bytesToHex(h.stateRoot),
    txRoot: bytesToHex(h.txRoot),
    receiptRoot: bytesToHex(h.receiptRoot),
    outgoingReceiptRoot: bytesToHex(h.outgoingReceiptRoot),
    incomingReceiptRoot: bytesToHex(h.incomingReceiptRoot),
    number: bigintToDecimal(h.number),
    gasLimit: bigintToDecimal(h.gasLimit),
    gasUsed: bigintToDecimal(h.gasUsed),
    time: bigintToDecimal(h.time),
    extra: bytesToHex(h.extra),
    viewId: bigintToDecimal(h.viewId),
    epoch: bigintToDecimal(h.epoch),
    shardId: h.shardId,
    lastCommitSignature: bytesToHex(h.lastCommitSignature),
    lastCommitBitmap: bytesToHex(h.lastCommitBitmap),
    vrf: bytesToHex(h.vrf),
    vdf: bytesToHex(h.vdf),
    shardState: bytesToHex(h.shardState),
    crossLinks: bytesToHex(h.crossLinks),
    slashes: bytesToHex(h.slashes),
  };
}

/** Writes a receipt. @spec RECEIPT-FORMAT.1 */
export function receiptToJson(r: Receipt): ReceiptJsonValue {
  return {
    status: r.status,
    cumulativeGasUsed: bigintToDecimal(r.cumulativeGasUsed),
    gasUsed: bigintToDecimal(r.gasUsed),
    txHash: bytesToHex(r.txHash),
  };
}

/** Writes a cross-shard receipt. @spec RECEIPT-CX-FORMAT.1 */
export function cxReceiptToJson(r: CxReceipt): CxReceiptJsonValue {
  return {
    txHash: bytesToHex(r.txHash),
    from: bytesToHex(r.from),
    to: bytesToHex(r.to),
    fromShard: r.fromShard,
    toShard: r.toShard,
    amount: bigintToDecimal(r.amount),
  };
}
