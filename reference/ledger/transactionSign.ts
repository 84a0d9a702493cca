import { signHash } from "../crypto/ecdsa.ts";
import { unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { checkTransactionFields, type Transaction, type UnsignedTransaction } from "./transactionFields.ts";
import { transactionChainId } from "./transactionShards.ts";
import { signingHash } from "./transactionSigningHash.ts";

/**
 * Signs a transaction with a secp256k1 secret key: ECDSA-SIGN.1 (RFC 6979 nonce, low s, EIP-155 v) over the
 * signing hash, for the chain id of the form (the preset's Harmony chain id, or `ethChainIdBase + shardId`
 * for the Ethereum form, whose shard then lives in v only). Used by tests, vector generation and genesis
 * tools; throws the SpecError of TX-FIELDS.1 or ECDSA_SECRET_KEY_INVALID.
 *
 * @spec TX-SIGN.1
 */
export function signTransaction(
  unsigned: UnsignedTransaction,
  secretKey: Uint8Array,
  preset: Preset,
): Transaction {
  checkTransactionFields(unsigned); // TX-SIGN L1
  const chainId = transactionChainId(unsigned, preset); // TX-SIGN L2
  const hash = signingHash(unsigned, preset);
  const { v, r, s } = unwrap(signHash(hash, secretKey, chainId)); // TX-SIGN L3
  // TX-SIGN L4
  if (unsigned.kind === "harmony") {
    return {
      kind: "harmony",
      nonce: unsigned.nonce,
      gasPrice: unsigned.gasPrice,
      gasLimit: unsigned.gasLimit,
      shardId: unsigned.shardId,
      toShardId: unsigned.toShardId,
      to: unsigned.to,
      value: unsigned.value,
      data: unsigned.data,
      v,
      r,
      s,
    };
  }
  return {
    kind: "ethereum",
    nonce: unsigned.nonce,
    gasPrice: unsigned.gasPrice,
    gasLimit: unsigned.gasLimit,
    to: unsigned.to,
    value: unsigned.value,
    data: unsigned.data,
    v,
    r,
    s,
  };
}
