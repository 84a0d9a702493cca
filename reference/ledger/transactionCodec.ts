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
import { attempt, type Result, SpecError } from "../errors.ts";
import {
  type Address,
  checkFieldValues,
  checkTransactionFields,
  type ScalarFieldValue,
  type Transaction,
  UINT32_BOUND,
  UINT64_BOUND,
  UINT256_BOUND,
  type UnsignedTransaction,
} from "./transactionFields.ts";

/*
 * The wire form of a transaction (§4.3): an RLP list of 11 fields (Harmony form) or 9 fields (Ethereum legacy
 * form). The list length alone tells the forms apart. Decoding accepts exactly the outputs of encoding.
 */

/** Number of fields of the Harmony form. */
export const HARMONY_FIELD_COUNT = 11;
/** Number of fields of the Ethereum legacy form. */
export const ETHEREUM_FIELD_COUNT = 9;

/** Field names in encoding order (§4.2). */
const HARMONY_FIELD_NAMES = [
  "nonce",
  "gasPrice",
  "gasLimit",
  "shardId",
  "toShardId",
  "to",
  "value",
  "data",
  "v",
  "r",
  "s",
] as const;
const ETHEREUM_FIELD_NAMES = ["nonce", "gasPrice", "gasLimit", "to", "value", "data", "v", "r", "s"] as const;

/** Exclusive upper bounds of the bounded scalar fields (TX-FIELDS.1); v, r and s are unbounded there. */
const FIELD_BOUNDS: Readonly<Record<string, bigint>> = {
  nonce: UINT64_BOUND,
  gasPrice: UINT256_BOUND,
  gasLimit: UINT64_BOUND,
  shardId: UINT32_BOUND,
  toShardId: UINT32_BOUND,
  value: UINT256_BOUND,
};

/** Indices of the byte-string (non-scalar) fields `to` and `data` in each form. */
const HARMONY_TO = 5;
const HARMONY_DATA = 7;
const ETHEREUM_TO = 3;
const ETHEREUM_DATA = 5;

/** The byte string of an optional address: the empty string when absent. */
function addressBytes(to: Address | null): Uint8Array {
  return to === null ? new Uint8Array(0) : to;
}

/**
 * The RLP items of the fields a transaction has before its signature, in encoding order: the first eight fields
 * of the Harmony form (TX-ENCODE L2) or the first six of the Ethereum form (L3). The signing preimage starts with
 * the same items (TX-SIGNING-HASH L2–L3). An unsigned Ethereum-form transaction's `shardId` is no field.
 *
 * @spec TX-ENCODE.1 TX-SIGNING-HASH.1
 */
export function unsignedFieldItems(tx: Transaction | UnsignedTransaction): RlpItem[] {
  if (tx.kind === "harmony") {
    return [
      scalarToBytes(tx.nonce),
      scalarToBytes(tx.gasPrice),
      scalarToBytes(tx.gasLimit),
      scalarToBytes(BigInt(tx.shardId)),
      scalarToBytes(BigInt(tx.toShardId)),
      addressBytes(tx.to),
      scalarToBytes(tx.value),
      tx.data,
    ];
  }
  return [
    scalarToBytes(tx.nonce),
    scalarToBytes(tx.gasPrice),
    scalarToBytes(tx.gasLimit),
    addressBytes(tx.to),
    scalarToBytes(tx.value),
    tx.data,
  ];
}

/**
 * The RLP field list of a transaction, in encoding order (TX-ENCODE L2–L3): its unsigned fields, then v, r, s.
 *
 * @spec TX-ENCODE.1
 */
export function transactionFieldItems(tx: Transaction): RlpItem[] {
  const items = unsignedFieldItems(tx); // TX-ENCODE L2–L3, up to data
  items.push(scalarToBytes(tx.v), scalarToBytes(tx.r), scalarToBytes(tx.s));
  return items;
}

/**
 * The canonical encoding of a transaction: the RLP list of its 11 (Harmony) or 9 (Ethereum) fields. Throws the
 * SpecError of TX-FIELDS.1 for a transaction whose fields are out of bounds (no such transaction has an
 * encoding).
 *
 * @spec TX-ENCODE.1
 */
export function encodeTransaction(tx: Transaction): Uint8Array {
  checkTransactionFields(tx); // TX-ENCODE L1
  return rlpEncode(transactionFieldItems(tx)); // TX-ENCODE L2–L4
}

/**
 * The transaction hash: keccak256 of the canonical encoding. For the Ethereum form this is Ethereum's
 * transaction hash.
 *
 * @spec TX-HASH.1
 */
export function transactionHash(tx: Transaction): Uint8Array {
  return keccak256(encodeTransaction(tx));
}

/**
 * Decodes a transaction from its wire form, rejecting every byte string that is not the encoding of a
 * transaction: RLP-DECODE.1's codes, then the checks of TX-DECODE.1 in the order of its lines.
 *
 * @spec TX-DECODE.1
 */
export function decodeTransaction(bytes: Uint8Array): Result<Transaction> {
  return attempt(() => decodeTransactionOrThrow(bytes));
}

function decodeTransactionOrThrow(bytes: Uint8Array): Transaction {
  const item = rlpDecodeOrThrow(bytes); // TX-DECODE L1
  const list = expectRlpList(item, "transaction"); // TX-DECODE L2
  // TX-DECODE L3–L5
  let harmony: boolean;
  if (list.length === HARMONY_FIELD_COUNT) harmony = true;
  else if (list.length === ETHEREUM_FIELD_COUNT) harmony = false;
  else {
    throw new SpecError(
      "TX_FIELD_COUNT",
      `a transaction is a list of 11 (Harmony) or 9 (Ethereum) fields, got ${list.length}`,
    );
  }
  // TX-DECODE L6
  const fields: Uint8Array[] = [];
  for (let i = 0; i < list.length; i++) fields.push(expectRlpBytes(list[i]!, `transaction field ${i}`));
  // TX-DECODE L7: every field but `to` and `data` is a scalar without a leading zero byte
  const toIndex = harmony ? HARMONY_TO : ETHEREUM_TO;
  const dataIndex = harmony ? HARMONY_DATA : ETHEREUM_DATA;
  const scalars: bigint[] = [];
  for (let i = 0; i < fields.length; i++) {
    scalars.push(i === toIndex || i === dataIndex ? 0n : scalarFromBytes(fields[i]!));
  }
  const toBytes = fields[toIndex]!;
  const to = toBytes.length === 0 ? null : toBytes;
  const data = fields[dataIndex]!;
  // TX-DECODE L8: the bounds of TX-FIELDS.1, checked on the integers before the shard ids become numbers
  const bounds: ScalarFieldValue[] = [];
  for (let i = 0; i < fields.length; i++) {
    if (i === toIndex || i === dataIndex) continue;
    const name = (harmony ? HARMONY_FIELD_NAMES : ETHEREUM_FIELD_NAMES)[i]!;
    bounds.push({ name, value: scalars[i]!, bound: FIELD_BOUNDS[name] ?? null });
  }
  checkFieldValues(to, bounds);
  const tx: Transaction = harmony
    ? {
        kind: "harmony",
        nonce: scalars[0]!,
        gasPrice: scalars[1]!,
        gasLimit: scalars[2]!,
        shardId: Number(scalars[3]!),
        toShardId: Number(scalars[4]!),
        to,
        value: scalars[6]!,
        data,
        v: scalars[8]!,
        r: scalars[9]!,
        s: scalars[10]!,
      }
    : {
        kind: "ethereum",
        nonce: scalars[0]!,
        gasPrice: scalars[1]!,
        gasLimit: scalars[2]!,
        to,
        value: scalars[4]!,
        data,
        v: scalars[6]!,
        r: scalars[7]!,
        s: scalars[8]!,
      };
  return tx; // TX-DECODE L9
}
