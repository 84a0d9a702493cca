import { SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import type { Transaction, UnsignedTransaction } from "./transactionFields.ts";

/*
 * The chain id a transaction is signed for, and the shards it moves value between (§4.4). A Harmony-form
 * transaction names both shards; an Ethereum-form transaction names its shard through its chain id and never
 * leaves it.
 */

/** The smallest EIP-155 v: chainId · 2 + 35 with chainId ≥ 0 and recid 0. */
const EIP155_V_MIN = 35n;

/**
 * The chain id of a transaction: the preset's Harmony chain id for the Harmony form; for the Ethereum form,
 * `ethChainIdBase + shardId` before signing and the chain id that v encodes after. A signed Ethereum-form
 * transaction with v < 35 encodes no chain id and is rejected with ECDSA_V_INVALID.
 *
 * @spec TX-CHAIN-ID.1
 */
export function transactionChainId(tx: Transaction | UnsignedTransaction, preset: Preset): bigint {
  if (tx.kind === "harmony") return preset.harmonyChainId; // TX-CHAIN-ID L1
  if (!("v" in tx)) return preset.ethChainIdBase + BigInt(tx.shardId); // TX-CHAIN-ID L2
  // TX-CHAIN-ID L3
  if (tx.v < EIP155_V_MIN) {
    throw new SpecError("ECDSA_V_INVALID", `v = ${tx.v} is not an EIP-155 value (35 or more)`);
  }
  return (tx.v - EIP155_V_MIN) / 2n; // TX-CHAIN-ID L4
}

/** The source and destination shard of a transaction. */
export interface TransactionShards {
  readonly from: number;
  readonly to: number;
}

/**
 * The shard a transaction is sent from and the shard it pays into. Harmony form: its shardId and toShardId,
 * both below the preset's shard count (TX_SHARD_OUT_OF_RANGE). Ethereum form: the shard `chainId −
 * ethChainIdBase` for both, where the chain id must be one of the preset's Ethereum chain ids
 * (TX_CHAIN_ID_UNKNOWN). Defined on transactions that pass these checks; on others it throws the SpecError
 * of the failing check (admission, TX-ADMIT.1, makes them first).
 *
 * @spec TX-SHARDS.1
 */
export function transactionShards(tx: Transaction, preset: Preset): TransactionShards {
  const shards = BigInt(preset.numShards);
  if (tx.kind === "harmony") {
    // TX-SHARDS L1–L2
    if (BigInt(tx.shardId) >= shards || BigInt(tx.toShardId) >= shards) {
      throw new SpecError(
        "TX_SHARD_OUT_OF_RANGE",
        `shard ids ${tx.shardId} → ${tx.toShardId}: the preset has ${preset.numShards} shards`,
      );
    }
    return { from: tx.shardId, to: tx.toShardId }; // TX-SHARDS L3
  }
  const chainId = transactionChainId(tx, preset); // TX-SHARDS L4
  // TX-SHARDS L5
  if (chainId < preset.ethChainIdBase || chainId >= preset.ethChainIdBase + shards) {
    throw new SpecError(
      "TX_CHAIN_ID_UNKNOWN",
      `chain id ${chainId} is no shard's: Ethereum chain ids are ${preset.ethChainIdBase} … ${preset.ethChainIdBase + shards - 1n}`,
    );
  }
  const shard = Number(chainId - preset.ethChainIdBase);
  return { from: shard, to: shard }; // TX-SHARDS L6
}

/**
 * Whether a transaction is cross-shard: its destination shard differs from its source shard. Always false for
 * the Ethereum form.
 *
 * @spec TX-SHARDS.1
 */
export function isCrossShard(tx: Transaction, preset: Preset): boolean {
  const shards = transactionShards(tx, preset);
  return shards.from !== shards.to; // TX-SHARDS.1: cross-shard iff from ≠ to
}
