import { keccak256 } from "../encoding/keccak.ts";
import { rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import type { Preset } from "../params/presets.ts";
import { unsignedFieldItems } from "./transactionCodec.ts";
import type { Transaction, UnsignedTransaction } from "./transactionFields.ts";
import { transactionChainId } from "./transactionShards.ts";

/*
 * The 32-byte hash a transaction's signature signs (§4.5): EIP-155's construction, the unsigned fields followed
 * by (chainId, 0, 0). The Harmony form includes its two shard ids; the Ethereum form hashes exactly as Ethereum.
 */

/**
 * The RLP list whose keccak256 is the signing hash (TX-SIGNING-HASH L2–L3); exposed for tests and tools.
 *
 * @spec TX-SIGNING-HASH.1
 */
export function signingPreimage(tx: Transaction | UnsignedTransaction, preset: Preset): Uint8Array {
  const chainId = transactionChainId(tx, preset); // TX-SIGNING-HASH L1
  // TX-SIGNING-HASH L2 (Harmony form) and L3 (Ethereum form): the unsigned fields, then chainId, 0, 0
  const items = unsignedFieldItems(tx);
  const zero = scalarToBytes(0n);
  items.push(scalarToBytes(chainId), zero, zero);
  return rlpEncode(items);
}

/**
 * The signing hash of a transaction, signed or unsigned: keccak256 of RLP([nonce, gasPrice, gasLimit, shardID,
 * toShardID, to, value, data, chainId, 0, 0]) for the Harmony form and of RLP([nonce, gasPrice, gasLimit, to,
 * value, data, chainId, 0, 0]) for the Ethereum form, with the chain id of TX-CHAIN-ID.1. Throws
 * ECDSA_V_INVALID for a signed Ethereum-form transaction with v < 35, which names no chain id.
 *
 * @spec TX-SIGNING-HASH.1
 */
export function signingHash(tx: Transaction | UnsignedTransaction, preset: Preset): Uint8Array {
  return keccak256(signingPreimage(tx, preset)); // TX-SIGNING-HASH L2–L3
}
