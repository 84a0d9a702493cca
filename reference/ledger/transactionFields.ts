import { SpecError } from "../errors.ts";

/*
 * The two transaction forms of chapter 4 (§4.2): Harmony's own form with shard ids, and the Ethereum-compatible
 * legacy form (EIP-155), whose shard is carried by its chain id. Field values are plain data; the bounds every
 * field must satisfy are checked by `checkTransactionFields` (TX-FIELDS.1), which decoding, encoding, signing
 * and the JSON readers all apply, so no rule ever sees a value outside them.
 */

/** An account address: 20 bytes (ECDSA-ADDRESS.1). */
export type Address = Uint8Array;

/** Bytes of an account address. */
export const ADDRESS_BYTES = 20;

/** A Harmony-form transaction before signing: its first 8 fields, with the source and destination shard ids. */
export interface UnsignedHarmonyTransaction {
  readonly kind: "harmony";
  readonly nonce: bigint;
  readonly gasPrice: bigint;
  readonly gasLimit: bigint;
  readonly shardId: number;
  readonly toShardId: number;
  /** The recipient; null when absent (which admission rejects: this spec has no contract creation). */
  readonly to: Address | null;
  readonly value: bigint;
  readonly data: Uint8Array;
}

/** The fields of the Ethereum-compatible legacy form (EIP-155) before its signature: its first 6 fields. */
interface EthereumFields {
  readonly kind: "ethereum";
  readonly nonce: bigint;
  readonly gasPrice: bigint;
  readonly gasLimit: bigint;
  /** The recipient; null when absent (which admission rejects: this spec has no contract creation). */
  readonly to: Address | null;
  readonly value: bigint;
  readonly data: Uint8Array;
}

/**
 * An Ethereum-form transaction before signing. `shardId` is not a field of the encoding: it selects the chain id
 * `ethChainIdBase + shardId` that the signature carries in v.
 */
export interface UnsignedEthereumTransaction extends EthereumFields {
  readonly shardId: number;
}

/** A transaction of either form before signing. */
export type UnsignedTransaction = UnsignedHarmonyTransaction | UnsignedEthereumTransaction;

/** The last three fields of both forms: the ECDSA signature, with the chain id in v (EIP-155). */
export interface TransactionSignatureFields {
  readonly v: bigint;
  readonly r: bigint;
  readonly s: bigint;
}

/** Harmony's transaction form: 11 fields, the unsigned ones then v, r, s. */
export interface HarmonyTransaction extends UnsignedHarmonyTransaction, TransactionSignatureFields {}

/** The Ethereum-compatible legacy form (EIP-155): 9 fields; its shard is `chainId − ethChainIdBase`. */
export interface EthereumTransaction extends EthereumFields, TransactionSignatureFields {}

/** A signed transaction of either form. */
export type Transaction = HarmonyTransaction | EthereumTransaction;

/** 2^64: nonces and gas limits are below it (mainnet's uint64). */
export const UINT64_BOUND = 1n << 64n;
/** 2^256: gas prices and values are below it. */
export const UINT256_BOUND = 1n << 256n;
/** 2^32: shard ids are below it (mainnet's uint32). */
export const UINT32_BOUND = 1n << 32n;

/** A scalar field, its value, and its exclusive upper bound (null: unbounded by TX-FIELDS.1). */
export interface ScalarFieldValue {
  readonly name: string;
  readonly value: bigint | number;
  readonly bound: bigint | null;
}

/** The scalar fields of a (signed or unsigned) transaction in field order (TX-FIELDS.1). */
function scalarFields(tx: Transaction | UnsignedTransaction): ScalarFieldValue[] {
  const fields: ScalarFieldValue[] = [
    { name: "nonce", value: tx.nonce, bound: UINT64_BOUND },
    { name: "gasPrice", value: tx.gasPrice, bound: UINT256_BOUND },
    { name: "gasLimit", value: tx.gasLimit, bound: UINT64_BOUND },
  ];
  if (tx.kind === "harmony") {
    fields.push({ name: "shardId", value: tx.shardId, bound: UINT32_BOUND });
    fields.push({ name: "toShardId", value: tx.toShardId, bound: UINT32_BOUND });
  } else if (!("v" in tx)) {
    fields.push({ name: "shardId", value: tx.shardId, bound: UINT32_BOUND });
  }
  fields.push({ name: "value", value: tx.value, bound: UINT256_BOUND });
  if ("v" in tx) {
    fields.push({ name: "v", value: tx.v, bound: null });
    fields.push({ name: "r", value: tx.r, bound: null });
    fields.push({ name: "s", value: tx.s, bound: null });
  }
  return fields;
}

/**
 * TX-FIELDS L1–L2 on field values given one by one: `to` absent or 20 bytes (TX_TO_LENGTH), then each scalar,
 * in the order given, an integer in [0, bound) (TX_SCALAR_RANGE). The decoder uses it before it narrows the
 * shard ids to numbers.
 *
 * @spec TX-FIELDS.1
 */
export function checkFieldValues(to: Address | null, scalars: readonly ScalarFieldValue[]): void {
  // TX-FIELDS L1
  if (to !== null && to.length !== ADDRESS_BYTES) {
    throw new SpecError("TX_TO_LENGTH", `to must be absent or 20 bytes, got ${to.length}`);
  }
  // TX-FIELDS L2
  for (let i = 0; i < scalars.length; i++) {
    const field = scalars[i]!;
    const value = field.value;
    if (typeof value === "number" && !Number.isSafeInteger(value)) {
      throw new SpecError("TX_SCALAR_RANGE", `${field.name} = ${value} is not an integer`);
    }
    const big = BigInt(value);
    if (big < 0n || (field.bound !== null && big >= field.bound)) {
      throw new SpecError("TX_SCALAR_RANGE", `${field.name} = ${big} is outside [0, ${field.bound ?? "∞"})`);
    }
  }
}

/**
 * Checks the field bounds of a transaction of either form, signed or unsigned: `to` absent or 20 bytes
 * (TX_TO_LENGTH), then every scalar field in field order an integer in [0, bound) (TX_SCALAR_RANGE). Throws the
 * SpecError of the first failing check; returns nothing when all hold.
 *
 * @spec TX-FIELDS.1
 */
export function checkTransactionFields(tx: Transaction | UnsignedTransaction): void {
  checkFieldValues(tx.to, scalarFields(tx));
}
