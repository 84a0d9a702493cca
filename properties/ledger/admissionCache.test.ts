import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { ok } from "../../reference/errors.ts";
import {
  type AdmissionCache,
  admitIntoCache,
  cachedStatelessCheck,
  newAdmissionCache,
} from "../../reference/ledger/admissionCache.ts";
import { applyBlock, type StatelessCheck } from "../../reference/ledger/applyBlock.ts";
import { checkTransactionStateless, type Transaction } from "../../reference/ledger/transaction.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { addressOf, transfer, withTransactions } from "../../tools/testing/ledgerChains.ts";
import { historyArbitrary, referenceRule, runHistory } from "./histories.ts";

/*
 * Differential test of the fast path: applying a block through the admission cache gives exactly what the pure
 * stateless check gives (same result or same error code), whatever the cache holds. The pool admits a random
 * subset of the block's transactions and of look-alike transactions (same sender and nonce, another value).
 */

type CheckOf = (cache: AdmissionCache) => StatelessCheck;

function agrees(checkOf: CheckOf) {
  return fc.property(
    historyArbitrary(2, 3),
    fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    fc.bigInt({ min: 1n, max: 1000n }),
    (history, admit, other) => {
      const steps = runHistory(history, MINIMAL, referenceRule);
      const step = steps[steps.length - 1]!;
      const cache = newAdmissionCache({ preset: MINIMAL, shardId: 0, blockGasLimit: MINIMAL.blockGasLimit });
      // Look-alikes: the same sender and nonce as a block transaction, another value.
      const alike: Transaction[] = step.block.transactions.map((tx, i) =>
        transfer(MINIMAL, { shard: 0, index: i % 4 }, tx.nonce, addressOf({ shard: 0, index: 0 }), other),
      );
      const pool = [...step.block.transactions, ...alike];
      for (let i = 0; i < pool.length; i++) if (admit[i % admit.length]) admitIntoCache(cache, pool[i]!);
      // The block as built, and the block with the look-alikes in place of its transactions.
      for (const block of [step.block, withTransactions(step.block, alike)]) {
        const pure = applyBlock(step.before, block, MINIMAL);
        const fast = applyBlock(step.before, block, MINIMAL, checkOf(cache));
        expect(fast.ok ? "(accepted)" : fast.error.code).toBe(pure.ok ? "(accepted)" : pure.error.code);
        if (pure.ok && fast.ok) expect(fast.value).toEqual(pure.value);
      }
    },
  );
}

/** A broken cache that keys entries by sender instead of by transaction hash. */
const bySender: CheckOf = (cache) => {
  const index = new Map<string, ReturnType<typeof checkTransactionStateless>>();
  for (const admitted of cache.admitted.values()) index.set(bytesToHex(admitted.sender), ok(admitted));
  return (tx, preset, shardId, blockGasLimit) => {
    const pure = checkTransactionStateless(tx, preset, shardId, blockGasLimit);
    if (!pure.ok) return pure;
    return index.get(bytesToHex(pure.value.sender)) ?? pure;
  };
};

describe("ledger property: the admission cache is equivalent to the pure check", () => {
  // @covers BLOCK-APPLY.3
  it("gives the same result as the pure check for any cache contents", () => {
    fc.assert(agrees(cachedStatelessCheck), { seed: 5601, numRuns: 15 });
  });

  it("fails for a cache keyed by sender (the check is not vacuous)", () => {
    expect(fc.check(agrees(bySender), { seed: 5602, numRuns: 30 }).failed).toBe(true);
  });
});
