import { keccak256 } from "../encoding/keccak.ts";
import { type RlpItem, rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import type { Preset } from "../params/presets.ts";
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
  const to = tx.to === null ? new Uint8Array(0) : tx.to;
  const zero = scalarToBytes(0n);
  let items: RlpItem[];
  if (tx.kind === "harmony") {
    // TX-SIGNING-HASH L2
    items = [
      scalarToBytes(tx.nonce),
      scalarToBytes(tx.gasPrice),
      scalarToBytes(tx.gasLimit),
      scalarToBytes(BigInt(tx.shardId)),
      scalarToBytes(BigInt(tx.toShardId)),
      to,
      scalarToBytes(tx.value),
      tx.data,
      scalarToBytes(chainId),
      zero,
      zero,
    ];
  } else {
    // TX-SIGNING-HASH L3
    items = [
      scalarToBytes(tx.nonce),
      scalarToBytes(tx.gasPrice),
      scalarToBytes(tx.gasLimit),
      to,
      scalarToBytes(tx.value),
      tx.data,
      scalarToBytes(chainId),
      zero,
      zero,
    ];
  }
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
