import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { intrinsicGas } from "../../reference/ledger/transaction.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { addressOf } from "../../tools/testing/ledgerChains.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import { type ApplyRule, historyArbitrary, patchSenders, referenceRule, runHistory } from "./histories.ts";

/*
 * Supply conservation over random valid histories of shard 0: at every step
 *   Σ over accounts (balance + delegated + undelegating + rewards) + fees burnt + amounts sent to other shards
 *   = the genesis supply.
 * The fees burnt and the amounts sent are read from the transactions and receipts, not from the state.
 */

const BURN: Preset = { ...MINIMAL, feeCollector: null };
/** The collector is genesis account 0 of shard 0, so it is also a sender and a recipient in the histories. */
const COLLECTOR_IS_SENDER: Preset = {
  ...MINIMAL,
  feeCollector: bytesToHex(addressOf({ shard: 0, index: 0 })),
};

/** How much the generated histories exercised, so that a vacuous run is noticed. */
interface Exercised {
  transactions: number;
  crossShard: number;
}

function supplyHolds(preset: Preset, rule: ApplyRule, seen: Exercised = { transactions: 0, crossShard: 0 }) {
  return fc.property(historyArbitrary(3, 4), (history) => {
    const steps = runHistory(history, preset, rule);
    for (const step of steps) {
      seen.transactions += step.transactions.length;
      seen.crossShard += step.applied.outgoingReceipts.length;
    }
    const supply = supplyOf(steps[0]!.before.accounts);
    let burnt = 0n;
    let sent = 0n;
    for (const step of steps) {
      for (let i = 0; i < step.transactions.length; i++) {
        const tx = step.transactions[i]!;
        const fee = intrinsicGas(tx) * tx.gasPrice;
        if (preset.feeCollector === null) burnt += fee;
      }
      for (const cx of step.applied.outgoingReceipts) sent += cx.amount;
      expect(supplyOf(step.applied.state.accounts) + burnt + sent).toBe(supply);
    }
  });
}

/** A broken rule: the block applies, then every sender gets its fee back (a fee that is not charged). */
const feeNotCharged = patchSenders((current, _before, tx) => ({
  ...current,
  balance: current.balance + intrinsicGas(tx) * tx.gasPrice,
}));

describe("ledger property: supply conservation", () => {
  // @covers FEE-GAS.1 FEE-DESTINATION.1 STATE-TRANSFER.1 STATE-CROSS-SHARD.1 STATE-APPLY-TX.2
  it("holds with a fee collector (minimal preset)", () => {
    const seen = { transactions: 0, crossShard: 0 };
    fc.assert(supplyHolds(MINIMAL, referenceRule, seen), { seed: 5101, numRuns: 20 });
    expect(seen.transactions).toBeGreaterThan(40);
    expect(seen.crossShard).toBeGreaterThan(5);
  });

  // @covers FEE-DESTINATION.1
  it("holds when fees are burnt", () => {
    fc.assert(supplyHolds(BURN, referenceRule), { seed: 5102, numRuns: 20 });
  });

  // @covers FEE-DESTINATION.1 STATE-APPLY-TX.2
  it("holds when the collector is a genesis account that sends and receives", () => {
    const seen = { transactions: 0, crossShard: 0 };
    fc.assert(supplyHolds(COLLECTOR_IS_SENDER, referenceRule, seen), { seed: 5104, numRuns: 20 });
    expect(seen.transactions).toBeGreaterThan(40);
  });

  it("fails for a rule that does not charge the fee (the check is not vacuous)", () => {
    const result = fc.check(supplyHolds(BURN, feeNotCharged), { seed: 5103, numRuns: 30 });
    expect(result.failed).toBe(true);
  });
});
