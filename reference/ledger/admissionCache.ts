import { bytesToHex } from "../encoding/json.ts";
import { attempt, ok, type Result } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import type { StatelessCheck } from "./applyBlock.ts";
import {
  type AdmittedTransaction,
  checkTransactionStateless,
  type Transaction,
  transactionHash,
} from "./transaction.ts";

/*
 * A faster path for BLOCK-APPLY L7: the result of chapter 4's stateless check, remembered by transaction hash
 * when a transaction pool admitted the transaction, so that a block of already admitted transactions recovers
 * no signature again. The stateless check is a pure function of (transaction, preset, shard, block gas limit)
 * and the transaction hash identifies the transaction's canonical encoding, so a remembered result is exactly
 * what the check would return; a transaction the cache does not hold, or a call with other arguments, falls
 * back to the pure check. The reference rule stays `checkTransactionStateless`; this is an optimisation that
 * must give identical results (a differential property test checks it).
 */

/** The arguments a cache's entries were computed for, besides the transaction. */
export interface AdmissionScope {
  readonly preset: Preset;
  readonly shardId: number;
  readonly blockGasLimit: bigint;
}

/** Remembered stateless-check results, keyed by the transaction hash (0x hex). The owner (a pool) fills it. */
export interface AdmissionCache {
  readonly scope: AdmissionScope;
  readonly admitted: Map<string, AdmittedTransaction>;
}

/** A new, empty cache for one preset, shard and block gas limit. */
export function newAdmissionCache(scope: AdmissionScope): AdmissionCache {
  return { scope, admitted: new Map() };
}

/**
 * Admits a transaction as a pool would: runs the pure stateless check and, when it passes, remembers the
 * result in the cache. Returns the check's result either way.
 *
 * @spec BLOCK-APPLY.3
 */
export function admitIntoCache(cache: AdmissionCache, tx: Transaction): Result<AdmittedTransaction> {
  const { preset, shardId, blockGasLimit } = cache.scope;
  const result = checkTransactionStateless(tx, preset, shardId, blockGasLimit);
  if (result.ok) cache.admitted.set(bytesToHex(result.value.hash), result.value);
  return result;
}

/**
 * The stateless check through the cache: the remembered result for a transaction admitted under the same
 * preset, shard and block gas limit, else the pure check.
 *
 * @spec BLOCK-APPLY.3
 */
export function cachedStatelessCheck(cache: AdmissionCache): StatelessCheck {
  return (tx, preset, shardId, blockGasLimit) => {
    const scope = cache.scope;
    if (preset === scope.preset && shardId === scope.shardId && blockGasLimit === scope.blockGasLimit) {
      // A transaction without an encoding (fields out of bounds) has no hash and was never admitted.
      const hash = attempt(() => transactionHash(tx));
      const hit = hash.ok ? cache.admitted.get(bytesToHex(hash.value)) : undefined;
      if (hit !== undefined) return ok(hit);
    }
    return checkTransactionStateless(tx, preset, shardId, blockGasLimit);
  };
}
