import { describe, expect, it } from "vitest";
import { addressOf, genesis, nextBlock, transfer } from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { MINIMAL } from "../params/presets.ts";
import { admitIntoCache, cachedStatelessCheck, newAdmissionCache } from "./admissionCache.ts";
import { applyBlock } from "./applyBlock.ts";
import { checkTransactionStateless } from "./transaction.ts";

const A = { shard: 0, index: 0 };
const B = { shard: 0, index: 1 };
const scope = { preset: MINIMAL, shardId: 0, blockGasLimit: MINIMAL.blockGasLimit };

describe("admission cache", () => {
  // @covers BLOCK-APPLY.3
  it("returns the remembered result for admitted transactions and the pure result otherwise", () => {
    const cache = newAdmissionCache(scope);
    const tx = transfer(MINIMAL, A, 0n, addressOf(B), 1n);
    const admitted = admitIntoCache(cache, tx);
    expect(admitted.ok).toBe(true);
    expect(cache.admitted.size).toBe(1);
    const check = cachedStatelessCheck(cache);
    const hit = check(tx, MINIMAL, 0, MINIMAL.blockGasLimit);
    expect(hit).toEqual(admitted);
    // Another shard or gas limit goes to the pure check, which gives that call's verdict.
    expect(resultCode(check(tx, MINIMAL, 1, MINIMAL.blockGasLimit))).toBe("TX_WRONG_SHARD");
    expect(resultCode(check(tx, MINIMAL, 0, 20_000n))).toBe(
      resultCode(checkTransactionStateless(tx, MINIMAL, 0, 20_000n)),
    );
    // A transaction that failed admission is not remembered.
    const foreign = transfer(MINIMAL, { shard: 1, index: 0 }, 0n, addressOf(B), 1n);
    expect(resultCode(admitIntoCache(cache, foreign))).toBe("TX_WRONG_SHARD");
    expect(cache.admitted.size).toBe(1);
    // A transaction whose fields have no encoding falls through to the pure check's code.
    expect(resultCode(check({ ...tx, nonce: 1n << 64n }, MINIMAL, 0, MINIMAL.blockGasLimit))).toBe(
      "TX_SCALAR_RANGE",
    );
  });

  // @covers BLOCK-APPLY.3
  it("applyBlock through the cache gives the same result as through the pure check", () => {
    const g = genesis(MINIMAL, 0);
    const txs = [
      transfer(MINIMAL, A, 0n, addressOf(B), 1n),
      transfer(MINIMAL, B, 0n, addressOf(A), 2n, { toShard: 1 }),
    ];
    const block = nextBlock(g, txs, MINIMAL).block;
    const cache = newAdmissionCache(scope);
    for (const tx of txs) admitIntoCache(cache, tx);
    const pure = applyBlock(g, block, MINIMAL);
    const fast = applyBlock(g, block, MINIMAL, cachedStatelessCheck(cache));
    expect(pure.ok && fast.ok).toBe(true);
    if (pure.ok && fast.ok) {
      expect(bytesToHex(fast.value.state.head.stateRoot)).toBe(bytesToHex(pure.value.state.head.stateRoot));
      expect(fast.value).toEqual(pure.value);
    }
  });
});
