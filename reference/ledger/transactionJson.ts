import { z } from "zod";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  hexBytesOfLength,
  hexTextOfLength,
  JsonInt,
  transformWith,
} from "../encoding/json.ts";
import {
  ADDRESS_BYTES,
  checkTransactionFields,
  type Transaction,
  type UnsignedHarmonyTransaction,
  type UnsignedTransaction,
} from "./transactionFields.ts";

/*
 * The JSON form of transactions (§4.8, TX-JSON.1) used by conformance vectors and the JSON-RPC interface:
 * big integers as decimal strings (JSON-BIGINT.1), shard ids as JSON numbers (JSON-INT.1), bytes as 0x hex
 * (JSON-BYTES.1), an absent recipient as null. Readers check the JSON forms first (JSON-DECODE.1) and then the
 * field bounds of TX-FIELDS.1.
 */

const AddressOrNull = hexBytesOfLength(ADDRESS_BYTES).nullable();

const HarmonyUnsignedShape = {
  kind: z.literal("harmony"),
  nonce: DecimalBigInt,
  gasPrice: DecimalBigInt,
  gasLimit: DecimalBigInt,
  shardId: JsonInt,
  toShardId: JsonInt,
  to: AddressOrNull,
  value: DecimalBigInt,
  data: HexBytes,
};

const EthereumUnsignedShape = {
  kind: z.literal("ethereum"),
  nonce: DecimalBigInt,
  gasPrice: DecimalBigInt,
  gasLimit: DecimalBigInt,
  to: AddressOrNull,
  value: DecimalBigInt,
  data: HexBytes,
};

const SignatureShape = { v: DecimalBigInt, r: DecimalBigInt, s: DecimalBigInt };

/** Applies TX-FIELDS.1 to a transaction read from JSON, raising its codes through the zod issue. */
function withFieldChecks<T extends Transaction | UnsignedTransaction>(tx: T): T {
  checkTransactionFields(tx);
  return tx;
}

/**
 * zod schema: the JSON form of a signed transaction of either form → Transaction.
 *
 * @spec TX-JSON.1
 */
export const TransactionJson = z
  .discriminatedUnion("kind", [
    z.object({ ...HarmonyUnsignedShape, ...SignatureShape }).strict(),
    z.object({ ...EthereumUnsignedShape, ...SignatureShape }).strict(),
  ])
  .transform(transformWith((tx): Transaction => withFieldChecks(tx)));

/**
 * zod schema: the JSON form of an unsigned transaction → UnsignedTransaction. The Ethereum form carries the
 * `shardId` it is signed for (its chain id is `ethChainIdBase + shardId`).
 *
 * @spec TX-JSON.1
 */
export const UnsignedTransactionJson = z
  .discriminatedUnion("kind", [
    z.object(HarmonyUnsignedShape).strict(),
    z.object({ ...EthereumUnsignedShape, shardId: JsonInt }).strict(),
  ])
  .transform(transformWith((tx): UnsignedTransaction => withFieldChecks(tx)));

const AddressText = hexTextOfLength(ADDRESS_BYTES);

const HarmonyOutputShape = {
  kind: z.literal("harmony"),
  nonce: DecimalText,
  gasPrice: DecimalText,
  gasLimit: DecimalText,
  shardId: JsonInt,
  toShardId: JsonInt,
  to: AddressText.nullable(),
  value: DecimalText,
  data: HexText,
};

const EthereumOutputShape = {
  kind: z.literal("ethereum"),
  nonce: DecimalText,
  gasPrice: DecimalText,
  gasLimit: DecimalText,
  to: AddressText.nullable(),
  value: DecimalText,
  data: HexText,
};

const SignatureOutputShape = { v: DecimalText, r: DecimalText, s: DecimalText };

/**
 * zod schema of the JSON form as written (strings and numbers, no conversion): the output schema of handlers
 * that return a transaction.
 *
 * @spec TX-JSON.1
 */
export const TransactionJsonOutput = z.discriminatedUnion("kind", [
  z.object({ ...HarmonyOutputShape, ...SignatureOutputShape }).strict(),
  z.object({ ...EthereumOutputShape, ...SignatureOutputShape }).strict(),
]);

/** The JSON form of a signed transaction. */
export type TransactionJsonValue = z.output<typeof TransactionJsonOutput>;

/** The JSON form of an unsigned transaction. */
export type UnsignedTransactionJsonValue = z.input<typeof UnsignedTransactionJson>;

/** The JSON of nonce, gasPrice and gasLimit: the fields both forms start with. */
function leadingFieldsToJson(tx: Transaction | UnsignedTransaction) {
  return {
    nonce: bigintToDecimal(tx.nonce),
    gasPrice: bigintToDecimal(tx.gasPrice),
    gasLimit: bigintToDecimal(tx.gasLimit),
  };
}

/** The JSON of to, value and data: the fields both forms carry after the shard ids. */
function trailingFieldsToJson(tx: Transaction | UnsignedTransaction) {
  return {
    to: tx.to === null ? null : bytesToHex(tx.to),
    value: bigintToDecimal(tx.value),
    data: bytesToHex(tx.data),
  };
}

/** The JSON of a Harmony-form transaction's unsigned fields, in field order. */
function harmonyFieldsToJson(tx: UnsignedHarmonyTransaction) {
  return {
    kind: "harmony" as const,
    ...leadingFieldsToJson(tx),
    shardId: tx.shardId,
    toShardId: tx.toShardId,
    ...trailingFieldsToJson(tx),
  };
}

/**
 * Writes the JSON form of a signed transaction.
 *
 * @spec TX-JSON.1
 */
export function transactionToJson(tx: Transaction): TransactionJsonValue {
  const signature = { v: bigintToDecimal(tx.v), r: bigintToDecimal(tx.r), s: bigintToDecimal(tx.s) };
  if (tx.kind === "harmony") return { ...harmonyFieldsToJson(tx), ...signature };
  return { kind: "ethereum", ...leadingFieldsToJson(tx), ...trailingFieldsToJson(tx), ...signature };
}

/**
 * Writes the JSON form of an unsigned transaction.
 *
 * @spec TX-JSON.1
 */
export function unsignedTransactionToJson(tx: UnsignedTransaction): UnsignedTransactionJsonValue {
  if (tx.kind === "harmony") return harmonyFieldsToJson(tx);
  return { kind: "ethereum", ...leadingFieldsToJson(tx), shardId: tx.shardId, ...trailingFieldsToJson(tx) };
}
