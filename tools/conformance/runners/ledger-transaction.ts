import { z } from "zod";
import { SECP256K1_N } from "../../../reference/crypto/ecdsa.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  hexTextOfLength,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { keccak256 } from "../../../reference/encoding/keccak.ts";
import { rlpEncode, scalarToBytes } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import {
  ADDRESS_BYTES,
  checkTransactionStateless,
  decodeTransaction,
  encodeTransaction,
  intrinsicGas,
  MAX_TX_BYTES,
  signingHash,
  signTransaction,
  type Transaction,
  TransactionJsonOutput,
  transactionHash,
  transactionToJson,
  type UnsignedEthereumTransaction,
  type UnsignedHarmonyTransaction,
  type UnsignedTransaction,
  UnsignedTransactionJson,
  unsignedTransactionToJson,
} from "../../../reference/ledger/transaction.ts";
import { transactionFieldItems } from "../../../reference/ledger/transactionCodec.ts";
import { PRESETS, type Preset } from "../../../reference/params/presets.ts";
import { listOf } from "../../testing/rlpHeaders.ts";
import type { CaseDef, HandlerDef, Json } from "../types.ts";

/*
 * Conformance handlers for chapter 4 (transactions), merged into the `ledger` runner: `transaction` decodes a raw
 * transaction and runs stateless admission for a shard and block gas limit; `transaction_sign` signs an unsigned
 * transaction. Keys are keccak256 of fixed labels, so every case is deterministic.
 */

const hex = (bytes: Uint8Array): string => bytesToHex(bytes);
const dec = (value: bigint): string => bigintToDecimal(value);
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

const Hash32Text = hexTextOfLength(32);
const AddressText = hexTextOfLength(ADDRESS_BYTES);

/** The handlers of chapter 4, for the `ledger` runner. */
export const transactionHandlers: Record<string, HandlerDef> = {
  transaction: {
    description:
      "TX-DECODE.1 of raw, then TX-ADMIT.1 by shard `shardId` under block gas limit `blockGasLimit` → the decoded " +
      "transaction, sender, hash, signing hash, intrinsic gas and shards",
    input: z.object({ raw: HexBytes, shardId: JsonInt, blockGasLimit: DecimalBigInt }).strict(),
    output: z
      .object({
        kind: z.enum(["harmony", "ethereum"]),
        transaction: TransactionJsonOutput,
        sender: AddressText,
        hash: Hash32Text,
        signingHash: Hash32Text,
        intrinsicGas: DecimalText,
        fromShard: JsonInt,
        toShard: JsonInt,
        crossShard: z.boolean(),
      })
      .strict(),
    run: (input: { raw: Uint8Array; shardId: number; blockGasLimit: bigint }, preset: Preset): Json => {
      const tx = unwrap(decodeTransaction(input.raw));
      const admitted = unwrap(checkTransactionStateless(tx, preset, input.shardId, input.blockGasLimit));
      return {
        kind: tx.kind,
        transaction: transactionToJson(tx),
        sender: hex(admitted.sender),
        hash: hex(admitted.hash),
        signingHash: hex(signingHash(tx, preset)),
        intrinsicGas: dec(admitted.intrinsicGas),
        fromShard: admitted.fromShard,
        toShard: admitted.toShard,
        crossShard: admitted.crossShard,
      };
    },
  },
  transaction_sign: {
    description: "TX-SIGN.1: an unsigned transaction and a secp256k1 secret key → the raw signed transaction",
    input: z.object({ transaction: UnsignedTransactionJson, secretKey: HexBytes }).strict(),
    output: z.object({ raw: HexText, hash: Hash32Text, transaction: TransactionJsonOutput }).strict(),
    run: (input: { transaction: UnsignedTransaction; secretKey: Uint8Array }, preset: Preset): Json => {
      const tx = signTransaction(input.transaction, input.secretKey, preset);
      return {
        raw: hex(encodeTransaction(tx)),
        hash: hex(transactionHash(tx)),
        transaction: transactionToJson(tx),
      };
    },
  },
};

/** The secret key of a labelled test account. */
function keyOf(label: string): Uint8Array {
  return keccak256(utf8(`ledger transaction ${label}`));
}

/** The address of a labelled account: the last 20 bytes of keccak256 of its label (no key needed). */
function addressOf(label: string): Uint8Array {
  return keccak256(utf8(`ledger transaction address ${label}`)).slice(12);
}

/** EIP-155's example, signed for chain id 1, as the EIP publishes it. */
const EIP155_RAW =
  "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";

const ADMIT_TAGS = [
  "TX-DECODE.1",
  "TX-ADMIT.1",
  "TX-SHARDS.1",
  "TX-CHAIN-ID.1",
  "TX-SENDER.1",
  "TX-SIGNING-HASH.1",
  "TX-HASH.1",
  "TX-INTRINSIC-GAS.1",
  "TX-JSON.1",
];

/** The cases of chapter 4's handlers under a preset. */
export function transactionCases(preset: Preset): CaseDef[] {
  const alice = keyOf("alice");
  const bob = addressOf("bob");
  const gas = preset.blockGasLimit;
  const base: UnsignedHarmonyTransaction = {
    kind: "harmony",
    nonce: 0n,
    gasPrice: 100_000_000_000n,
    gasLimit: 21000n,
    shardId: 0,
    toShardId: 0,
    to: bob,
    value: 10n ** 18n,
    data: new Uint8Array(0),
  };
  const eth: UnsignedEthereumTransaction = { ...base, kind: "ethereum" };
  const sign = (u: UnsignedTransaction, p: Preset = preset): Transaction => signTransaction(u, alice, p);
  const raw = (tx: Transaction): string => hex(encodeTransaction(tx));
  const admitCase = (
    name: string,
    description: string,
    rawHex: string,
    options: {
      shardId?: number;
      blockGasLimit?: bigint;
      expectedError?: string;
      tags?: readonly string[];
    } = {},
  ): CaseDef => ({
    handler: "transaction",
    name,
    description,
    tags: options.tags ?? ADMIT_TAGS,
    input: { raw: rawHex, shardId: options.shardId ?? 0, blockGasLimit: dec(options.blockGasLimit ?? gas) },
    ...(options.expectedError === undefined ? {} : { expectedError: options.expectedError }),
  });

  const signed = sign(base);
  const flipped = signed.v % 2n === 1n ? signed.v + 1n : signed.v - 1n;
  const fields = transactionFieldItems(signed).map((item) => rlpEncode(item));
  const replace = (index: number, encoded: Uint8Array): Uint8Array[] => {
    const out = fields.slice();
    out[index] = encoded;
    return out;
  };
  const encodedRaw = encodeTransaction(signed);
  const otherPreset = preset.name === "mainnet" ? PRESETS.minimal : PRESETS.mainnet;
  // A transaction whose encoding is exactly MAX_TX_BYTES long: zero data bytes fill it up (the length prefixes of
  // the list and of data keep their size in this range, so the encoding grows one byte per data byte).
  const bigProbe = encodeTransaction(sign({ ...base, data: new Uint8Array(100_000) })).length;
  const bigData = new Uint8Array(100_000 + MAX_TX_BYTES - bigProbe);
  const big = sign({ ...base, data: bigData, gasLimit: intrinsicGas({ ...base, data: bigData }) });

  const cases: CaseDef[] = [
    // valid: one per kind, and on both shards
    admitCase("harmony_same_shard", "Harmony form, shard 0 → 0, admitted by shard 0", raw(signed)),
    admitCase(
      "harmony_cross_shard",
      "Harmony form, shard 0 → 1: cross-shard, admitted by its source shard",
      raw(sign({ ...base, toShardId: 1 })),
    ),
    admitCase(
      "harmony_shard_1",
      "Harmony form, shard 1 → 0, admitted by shard 1",
      raw(sign({ ...base, shardId: 1, toShardId: 0, nonce: 7n })),
      { shardId: 1 },
    ),
    admitCase("ethereum", "Ethereum form for shard 0's chain id ethChainIdBase", raw(sign(eth))),
    admitCase(
      "ethereum_shard_1",
      "Ethereum form for shard 1's chain id ethChainIdBase + 1, admitted by shard 1",
      raw(sign({ ...eth, shardId: 1, nonce: 3n })),
      { shardId: 1 },
    ),
    admitCase(
      "data_exact_intrinsic_gas",
      "data 0x000102ff00: gas limit equal to its intrinsic gas 21000 + 2·4 + 3·16 = 21056",
      raw(sign({ ...base, data: Uint8Array.from([0, 1, 2, 0xff, 0]), gasLimit: 21056n })),
    ),
    admitCase(
      "gas_limit_equals_block",
      "gas limit equal to the block gas limit",
      raw(sign({ ...base, gasLimit: gas })),
    ),
    admitCase(
      "large_scalars",
      "nonce 2^64 − 1, gas price and value 2^256 − 1",
      raw(sign({ ...base, nonce: (1n << 64n) - 1n, gasPrice: (1n << 256n) - 1n, value: (1n << 256n) - 1n })),
    ),

    // RLP-DECODE.1's codes
    admitCase("rlp_empty", "no bytes", "0x", { expectedError: "RLP_EMPTY_INPUT" }),
    admitCase("rlp_truncated", "a valid transaction without its last byte", hex(encodedRaw.slice(0, -1)), {
      expectedError: "RLP_INPUT_TOO_SHORT",
    }),
    admitCase("rlp_trailing_byte", "a valid transaction followed by 0x00", `${hex(encodedRaw)}00`, {
      expectedError: "RLP_TRAILING_BYTES",
    }),
    admitCase(
      "rlp_single_byte_with_header",
      "nonce 5 written 0x8105 instead of 0x05",
      hex(listOf(replace(0, Uint8Array.from([0x81, 0x05])))),
      { expectedError: "RLP_NON_CANONICAL_SINGLE_BYTE" },
    ),
    admitCase(
      "rlp_long_form_short_string",
      "a 20-byte `to` in the long form 0xb814…",
      hex(listOf(replace(5, Uint8Array.from([0xb8, 20, ...bob])))),
      { expectedError: "RLP_NON_CANONICAL_SHORT_LENGTH" },
    ),
    admitCase(
      "rlp_list_length_leading_zero",
      "the list header's length written with a leading zero byte",
      hex(Uint8Array.from([0xf9, 0, encodedRaw[1]!, ...encodedRaw.slice(2)])),
      { expectedError: "RLP_LEADING_ZERO_LENGTH" },
    ),
    admitCase(
      "rlp_list_payload_short",
      "the list header declares one byte less than its elements take",
      hex(listOf(fields, encodedRaw[1]! - 1)),
      { expectedError: "RLP_LIST_PAYLOAD_MISMATCH" },
    ),

    // TX-DECODE.1
    admitCase("not_a_list", "an RLP byte string", hex(rlpEncode(utf8("transaction"))), {
      expectedError: "RLP_EXPECTED_LIST",
    }),
    admitCase(
      "ten_fields",
      "a list of 10 fields (the Harmony form without s)",
      hex(listOf(fields.slice(0, 10))),
      {
        expectedError: "TX_FIELD_COUNT",
      },
    ),
    admitCase(
      "data_is_a_list",
      "`data` is the empty list",
      hex(listOf(replace(7, Uint8Array.from([0xc0])))),
      {
        expectedError: "RLP_EXPECTED_BYTES",
      },
    ),
    admitCase(
      "scalar_leading_zero",
      "gas price written as the byte 0x00 (zero is the empty string)",
      hex(listOf(replace(1, Uint8Array.from([0x00])))),
      { expectedError: "RLP_SCALAR_LEADING_ZERO" },
    ),
    admitCase("to_19_bytes", "`to` of 19 bytes", hex(listOf(replace(5, rlpEncode(bob.slice(1))))), {
      expectedError: "TX_TO_LENGTH",
    }),
    admitCase("nonce_2_64", "nonce 2^64", hex(listOf(replace(0, rlpEncode(scalarToBytes(1n << 64n))))), {
      expectedError: "TX_SCALAR_RANGE",
    }),
    admitCase(
      "shard_id_2_32",
      "toShardID 2^32",
      hex(listOf(replace(4, rlpEncode(scalarToBytes(1n << 32n))))),
      { expectedError: "TX_SCALAR_RANGE" },
    ),

    // TX-ADMIT.1, in the order of its lines
    admitCase(
      "no_recipient",
      "`to` absent (contract creation), correctly signed",
      raw(sign({ ...base, to: null })),
      {
        expectedError: "TX_TO_MISSING",
      },
    ),
    admitCase(
      "shard_id_out_of_range",
      `toShardID ${preset.numShards}, one past the last shard, correctly signed`,
      raw(sign({ ...base, toShardId: preset.numShards })),
      { expectedError: "TX_SHARD_OUT_OF_RANGE" },
    ),
    admitCase(
      "ethereum_unknown_chain_id",
      "EIP-155's published example: chain id 1 is no shard's",
      EIP155_RAW,
      { expectedError: "TX_CHAIN_ID_UNKNOWN" },
    ),
    admitCase(
      "ethereum_chain_id_past_last_shard",
      `Ethereum form signed for chain id ethChainIdBase + ${preset.numShards}`,
      raw(sign({ ...eth, shardId: preset.numShards })),
      { expectedError: "TX_CHAIN_ID_UNKNOWN" },
    ),
    admitCase("ethereum_v_27", "Ethereum form with the unprotected v = 27", raw({ ...sign(eth), v: 27n }), {
      expectedError: "ECDSA_V_INVALID",
    }),
    admitCase(
      "harmony_other_chain_id",
      `Harmony form signed for the ${otherPreset.name} preset's Harmony chain id ${otherPreset.harmonyChainId}`,
      raw(sign(base, otherPreset)),
      { expectedError: "ECDSA_CHAIN_ID_MISMATCH" },
    ),
    admitCase("r_zero", "r = 0", raw({ ...signed, r: 0n }), {
      expectedError: "ECDSA_R_OUT_OF_RANGE",
    }),
    admitCase("s_equals_n", "s = n", raw({ ...signed, s: SECP256K1_N }), {
      expectedError: "ECDSA_S_OUT_OF_RANGE",
    }),
    // v, r and s are RLP scalars of any width (TX-DECODE.1); their range is chapter 2's check, not a decoding
    // error, so a client that reads them into 256-bit words must not wrap or truncate them.
    admitCase("r_2_256", "Harmony form with r = 2^256", raw({ ...signed, r: 1n << 256n }), {
      expectedError: "ECDSA_R_OUT_OF_RANGE",
    }),
    admitCase("s_2_300", "Harmony form with s = 2^300", raw({ ...signed, s: 1n << 300n }), {
      expectedError: "ECDSA_S_OUT_OF_RANGE",
    }),
    admitCase(
      "harmony_v_2_256_plus_37",
      "Harmony form with v = 2^256 + 37: chain id 2^255 + 1",
      raw({ ...signed, v: (1n << 256n) + 37n }),
      { expectedError: "ECDSA_CHAIN_ID_MISMATCH" },
    ),
    admitCase(
      "harmony_v_2_256_plus_valid",
      "Harmony form with v = 2^256 + the signature's own v (modulo 2^256 the transaction is valid)",
      raw({ ...signed, v: (1n << 256n) + signed.v }),
      { expectedError: "ECDSA_CHAIN_ID_MISMATCH" },
    ),
    admitCase(
      "ethereum_v_2_256_plus_35",
      "Ethereum form with v = 2^256 + 35: its chain id (v − 35) / 2 = 2^255 is no shard's",
      raw({ ...sign(eth), v: (1n << 256n) + 35n }),
      { expectedError: "TX_CHAIN_ID_UNKNOWN" },
    ),
    admitCase(
      "ethereum_v_2_256_plus_valid",
      "Ethereum form with v = 2^256 + the signature's own v (modulo 2^256 the transaction is valid)",
      raw({ ...sign(eth), v: (1n << 256n) + sign(eth).v }),
      { expectedError: "TX_CHAIN_ID_UNKNOWN" },
    ),
    admitCase(
      "high_s",
      "(r, n − s) with the other parity: the same ECDSA signature, rejected by EIP-2",
      raw({ ...signed, v: flipped, s: SECP256K1_N - signed.s }),
      { expectedError: "ECDSA_S_HIGH" },
    ),
    admitCase(
      "r_not_on_curve",
      "r = 5 is no x coordinate (5³ + 7 is not a square mod p)",
      raw({ ...signed, r: 5n }),
      {
        expectedError: "ECDSA_RECOVERY_FAILED",
      },
    ),
    admitCase("wrong_shard", "a transaction from shard 0 offered to shard 1", raw(signed), {
      shardId: 1,
      expectedError: "TX_WRONG_SHARD",
    }),
    admitCase(
      "cross_shard_at_destination",
      "a cross-shard transaction 0 → 1 offered to its destination shard 1",
      raw(sign({ ...base, toShardId: 1 })),
      { shardId: 1, expectedError: "TX_WRONG_SHARD" },
    ),
    admitCase(
      "ethereum_wrong_shard",
      "Ethereum form signed for shard 1's chain id, offered to shard 0",
      raw(sign({ ...eth, shardId: 1 })),
      { expectedError: "TX_WRONG_SHARD" },
    ),
    admitCase("gas_below_intrinsic", "gas limit 20999", raw(sign({ ...base, gasLimit: 20999n })), {
      expectedError: "TX_INTRINSIC_GAS",
    }),
    admitCase(
      "gas_above_block",
      "gas limit one above the block gas limit",
      raw(sign({ ...base, gasLimit: gas + 1n })),
      { expectedError: "TX_GAS_LIMIT_ABOVE_BLOCK" },
    ),
    admitCase(
      "too_large",
      `an encoding of exactly MAX_TX_BYTES = ${MAX_TX_BYTES} bytes (zero data bytes, gas limit = intrinsic gas)`,
      raw(big),
      { expectedError: "TX_TOO_LARGE" },
    ),

    // the first failing check names the error
    admitCase(
      "order_to_missing_before_wrong_shard",
      "no recipient and the wrong shard: TX-ADMIT L2 comes before L5",
      raw(sign({ ...base, to: null })),
      { shardId: 1, expectedError: "TX_TO_MISSING" },
    ),
    admitCase(
      "order_signature_before_gas",
      "s = 0 and a gas limit below the intrinsic gas: L4 comes before L7",
      raw({ ...sign({ ...base, gasLimit: 1n }), s: 0n }),
      { expectedError: "ECDSA_S_OUT_OF_RANGE" },
    ),

    // JSON
    {
      handler: "transaction",
      name: "json_shard_negative",
      description: "shardId −1 is no JSON-INT.1 integer",
      tags: ["TX-ADMIT.1"],
      input: { raw: raw(signed), shardId: -1, blockGasLimit: dec(gas) },
      expectedError: "JSON_SCHEMA",
    },
  ];

  // transaction_sign
  const signTags = [
    "TX-SIGN.1",
    "TX-SIGNING-HASH.1",
    "TX-CHAIN-ID.1",
    "TX-ENCODE.1",
    "TX-HASH.1",
    "TX-JSON.1",
  ];
  const signCase = (
    name: string,
    description: string,
    transaction: Json,
    secretKey: Uint8Array,
    expectedError?: string,
  ): CaseDef => ({
    handler: "transaction_sign",
    name,
    description,
    tags: signTags,
    input: { transaction, secretKey: hex(secretKey) },
    ...(expectedError === undefined ? {} : { expectedError }),
  });
  const json = (u: UnsignedTransaction): Json => unsignedTransactionToJson(u) as Json;
  cases.push(
    signCase("harmony", "Harmony form, shard 0 → 0", json(base), alice),
    signCase(
      "harmony_cross_shard_with_data",
      "Harmony form, shard 1 → 0, with data",
      json({ ...base, shardId: 1, toShardId: 0, data: utf8("memo"), gasLimit: 30000n }),
      alice,
    ),
    signCase("ethereum_shard_1", "Ethereum form for shard 1's chain id", json({ ...eth, shardId: 1 }), alice),
    signCase("secret_key_zero", "secret key 0", json(base), new Uint8Array(32), "ECDSA_SECRET_KEY_INVALID"),
    signCase(
      "nonce_2_64",
      "nonce 2^64",
      { ...(json(base) as Record<string, Json>), nonce: dec(1n << 64n) },
      alice,
      "TX_SCALAR_RANGE",
    ),
    signCase(
      "to_19_bytes",
      "`to` of 19 bytes",
      { ...(json(base) as Record<string, Json>), to: hex(bob.slice(1)) },
      alice,
      "JSON_BYTES_LENGTH",
    ),
    signCase(
      "unknown_kind",
      'kind "legacy"',
      { ...(json(base) as Record<string, Json>), kind: "legacy" },
      alice,
      "JSON_SCHEMA",
    ),
  );
  return cases;
}
