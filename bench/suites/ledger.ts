import { bytesToHex as hex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import {
  admitIntoCache,
  cachedStatelessCheck,
  newAdmissionCache,
} from "../../reference/ledger/admissionCache.ts";
import { applyBlock } from "../../reference/ledger/applyBlock.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import {
  type Allocation,
  genesisAddress,
  genesisLedger,
  genesisSecretKey,
} from "../../reference/ledger/genesis.ts";
import { encodeReceipt } from "../../reference/ledger/receipt.ts";
import { stateRoot } from "../../reference/ledger/state.ts";
import { signTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import { MAINNET } from "../../reference/params/presets.ts";
import { type BenchSuite, measure, ratio, type SuiteResult } from "../harness.ts";

const TRANSFERS = 1000;

/**
 * A block of 1000 same-shard transfers on shard 0 of the mainnet preset (21 000 gas each, 21 M of the 30 M
 * limit): sender i is genesis account (0, i), funded by a given allocation, and pays 1 atto to account i + 1.
 */
function setup() {
  const allocation: Allocation[] = [];
  for (let i = 0; i < TRANSFERS + 1; i++)
    allocation.push({ address: genesisAddress(0, i), balance: 10n ** 24n });
  const ledger = unwrap(genesisLedger(0, allocation, MAINNET));
  const txs: Transaction[] = [];
  for (let i = 0; i < TRANSFERS; i++) {
    txs.push(
      signTransaction(
        {
          kind: "harmony",
          nonce: 0n,
          gasPrice: 100_000_000_000n,
          gasLimit: 21_000n,
          shardId: 0,
          toShardId: 0,
          to: allocation[i + 1]!.address,
          value: 1n,
          data: new Uint8Array(0),
        },
        genesisSecretKey(0, i),
        MAINNET,
      ),
    );
  }
  const fields = plainProposerFields(ledger.head.time + 2n, 1n);
  const block = unwrap(buildBlock(ledger, txs, fields, MAINNET)).block;
  return { ledger, txs, block };
}

export const suite: BenchSuite = {
  name: "ledger",
  description: `applyBlock of a ${TRANSFERS}-transfer block (mainnet preset, ${TRANSFERS + 1} accounts): pure secp256k1 sender recovery vs the admission cache filled at pool admission`,
  async run(): Promise<SuiteResult> {
    const { ledger, txs, block } = setup();
    const cache = newAdmissionCache({ preset: MAINNET, shardId: 0, blockGasLimit: MAINNET.blockGasLimit });
    const admission = await measure(
      `pool admission of ${TRANSFERS} transactions (fills the cache)`,
      () => {
        cache.admitted.clear();
        for (const tx of txs) unwrap(admitIntoCache(cache, tx));
      },
      { minIterations: 3, minMs: 1000 },
    );
    const cached = cachedStatelessCheck(cache);
    const pure = await measure(
      `applyBlock, ${TRANSFERS} transfers, pure recovery`,
      () => applyBlock(ledger, block, MAINNET),
      {
        minIterations: 3,
        minMs: 3000,
      },
    );
    const fast = await measure(
      `applyBlock, ${TRANSFERS} transfers, admission cache`,
      () => applyBlock(ledger, block, MAINNET, cached),
      { minIterations: 5, minMs: 3000 },
    );

    const a = unwrap(applyBlock(ledger, block, MAINNET));
    const b = unwrap(applyBlock(ledger, block, MAINNET, cached));
    const rootA = hex(stateRoot(a.state.accounts));
    const rootB = hex(stateRoot(b.state.accounts));
    const txPerSecond = (ms: number) => Math.round((TRANSFERS * 1000) / ms);
    const checks = [
      {
        name: "both paths give the header's post-state root",
        pass: rootA === rootB && rootA === hex(block.header.stateRoot),
        detail: `pure ${rootA}, cached ${rootB}`,
      },
      {
        name: "both paths give the same receipts",
        pass:
          a.receipts.map((r) => hex(encodeReceipt(r))).join() ===
          b.receipts.map((r) => hex(encodeReceipt(r))).join(),
        detail: `${a.receipts.length} receipts, cumulative gas ${a.receipts[a.receipts.length - 1]?.cumulativeGasUsed}`,
      },
    ];
    return {
      figures: {
        "applyBlock tx/s, pure recovery": txPerSecond(pure.meanMs),
        "applyBlock tx/s, admission cache": txPerSecond(fast.meanMs),
        "pool admission tx/s": txPerSecond(admission.meanMs),
      },
      measurements: [admission, pure, fast],
      ratios: [ratio("pure recovery vs admission cache", pure, fast)],
      checks,
    };
  },
};
