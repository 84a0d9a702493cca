import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { encodeTransaction, transactionHash } from "./transactionCodec.ts";
import { type Address, checkTransactionFields, type Transaction } from "./transactionFields.ts";
import { intrinsicGas } from "./transactionIntrinsicGas.ts";
import { recoverSender } from "./transactionSender.ts";
import { transactionShards } from "./transactionShards.ts";

/**
 * The largest encoding a transaction may have is one byte less than this: 128 KiB, mainnet's
 * `MaxPoolTransactionDataSize`, compared as mainnet does (`size ≥ bound` is rejected).
 */
export const MAX_TX_BYTES = 131072;

/** What admission learns about an accepted transaction. */
export interface AdmittedTransaction {
  readonly sender: Address;
  readonly hash: Uint8Array;
  readonly intrinsicGas: bigint;
  readonly fromShard: number;
  readonly toShard: number;
  readonly crossShard: boolean;
}

/**
 * Stateless admission of a transaction by shard `shardId` under the block gas limit `blockGasLimit`: the
 * checks of TX-ADMIT.1 in the order of its lines, each failure one named code. State-dependent checks (nonce,
 * balance) belong to the ledger chapter and come after.
 *
 * @spec TX-ADMIT.1
 */
export function checkTransactionStateless(
  tx: Transaction,
  preset: Preset,
  shardId: number,
  blockGasLimit: bigint,
): Result<AdmittedTransaction> {
  return attempt(() => {
    checkTransactionFields(tx); // TX-ADMIT L1
    // TX-ADMIT L2
    if (tx.to === null) {
      throw new SpecError(
        "TX_TO_MISSING",
        "a transaction must name a recipient: there is no contract creation",
      );
    }
    const shards = transactionShards(tx, preset); // TX-ADMIT L3
    const sender = unwrap(recoverSender(tx, preset)); // TX-ADMIT L4
    // TX-ADMIT L5
    if (shards.from !== shardId) {
      throw new SpecError(
        "TX_WRONG_SHARD",
        `transaction is from shard ${shards.from}, admitted by ${shardId}`,
      );
    }
    // TX-ADMIT L6–L7
    const gas = intrinsicGas(tx);
    if (tx.gasLimit < gas) {
      throw new SpecError("TX_INTRINSIC_GAS", `gas limit ${tx.gasLimit} is below the intrinsic gas ${gas}`);
    }
    // TX-ADMIT L8
    if (tx.gasLimit > blockGasLimit) {
      throw new SpecError(
        "TX_GAS_LIMIT_ABOVE_BLOCK",
        `gas limit ${tx.gasLimit} exceeds the block gas limit ${blockGasLimit}`,
      );
    }
    // TX-ADMIT L9
    const size = encodeTransaction(tx).length;
    if (size >= MAX_TX_BYTES) {
      throw new SpecError(
        "TX_TOO_LARGE",
        `encoding of ${size} bytes; transactions must be shorter than ${MAX_TX_BYTES}`,
      );
    }
    // TX-ADMIT L10
    return {
      sender,
      hash: transactionHash(tx),
      intrinsicGas: gas,
      fromShard: shards.from,
      toShard: shards.to,
      crossShard: shards.from !== shards.to,
    };
  });
}
