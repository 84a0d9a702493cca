import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import type { Account } from "../../reference/ledger/account.ts";
import { applyBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import { applyTransactionTo } from "../../reference/ledger/applyTransaction.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { stateToJson } from "../../reference/ledger/ledgerJson.ts";
import { getAccount, stateRoot } from "../../reference/ledger/state.ts";
import { checkTransactionStateless } from "../../reference/ledger/transaction.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { addressOf, transfer, withHeader, withTransactions } from "../../tools/testing/ledgerChains.ts";
import {
  type ApplyRule,
  historyArbitrary,
  intentArbitrary,
  referenceRule,
  runHistory,
  transactionsFor,
} from "./histories.ts";

/*
 * An invalid block changes nothing: after a random valid history, a block made invalid in one of several ways
 * is rejected, and the ledger it was applied to is unchanged (same head hash, same state root, same accounts).
 */

const CORRUPTIONS = [
  "nonce_ahead",
  "overspend",
  "foreign_shard",
  "state_root",
  "receipt_root",
  "gas_used",
  "time",
  "parent_hash",
  "incoming",
] as const;
type Corruption = (typeof CORRUPTIONS)[number];

function snapshot(ledger: LedgerState): string {
  return JSON.stringify({
    head: bytesToHex(headerHash(ledger.head)),
    root: bytesToHex(stateRoot(ledger.accounts)),
    accounts: stateToJson(ledger.accounts),
  });
}

/** A valid block on `ledger` from `intents`, then corrupted as `how` says (txRoot kept consistent). */
function corruptBlock(
  ledger: LedgerState,
  intents: Parameters<typeof transactionsFor>[1],
  how: Corruption,
): Block {
  const txs = transactionsFor(ledger, intents, MINIMAL);
  const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
  const built = buildBlock(ledger, txs, fields, MINIMAL);
  if (!built.ok) throw built.error;
  const block = built.value.block;
  const sender = { shard: 0, index: 0 };
  const nonce = getAccount(ledger.accounts, addressOf(sender)).nonce;
  const zero = new Uint8Array(32);
  switch (how) {
    case "nonce_ahead":
      return withTransactions(block, [...txs, transfer(MINIMAL, sender, nonce + 5n, addressOf(sender), 1n)]);
    case "overspend": {
      const balance = getAccount(ledger.accounts, addressOf({ shard: 0, index: 3 })).balance;
      const tx = transfer(
        MINIMAL,
        { shard: 0, index: 3 },
        getAccount(ledger.accounts, addressOf({ shard: 0, index: 3 })).nonce,
        addressOf(sender),
        balance,
      );
      return withTransactions(block, [tx, ...txs]);
    }
    case "foreign_shard":
      return withTransactions(block, [
        ...txs,
        transfer(MINIMAL, { shard: 1, index: 0 }, 0n, addressOf(sender), 1n),
      ]);
    case "state_root":
      return withHeader(block, { stateRoot: zero });
    case "receipt_root":
      return withHeader(block, { receiptRoot: zero });
    case "gas_used":
      return withHeader(block, { gasUsed: block.header.gasUsed + 1n });
    case "time":
      return withHeader(block, { time: ledger.head.time });
    case "parent_hash":
      return withHeader(block, { parentHash: zero });
    case "incoming":
      return { ...block, incomingReceipts: [[Uint8Array.of(1)]] };
  }
}

function unchangedOnFailure(rule: ApplyRule) {
  return fc.property(
    historyArbitrary(2, 3),
    fc.array(intentArbitrary, { maxLength: 3 }),
    fc.constantFrom(...CORRUPTIONS),
    (history, intents, how) => {
      const steps = runHistory(history, MINIMAL, referenceRule);
      const ledger = steps[steps.length - 1]!.applied.state;
      const block = corruptBlock(ledger, intents, how);
      const before = snapshot(ledger);
      const result = rule(ledger, block, MINIMAL);
      expect(result.ok).toBe(false);
      expect(snapshot(ledger)).toBe(before);
    },
  );
}

/**
 * A broken rule: the transactions are applied to the live state as the block is read, before the verdict is
 * known (no copy), so a block rejected late leaves its transactions behind.
 */
const inPlace: ApplyRule = (ledger, block, preset) => {
  const verdict = applyBlock(ledger, block, preset);
  const live = ledger.accounts as Map<string, Account>;
  for (const tx of block.transactions) {
    const admitted = checkTransactionStateless(tx, preset, block.header.shardId, block.header.gasLimit);
    if (!admitted.ok) break;
    try {
      applyTransactionTo(live, tx, admitted.value, block.header.epoch, preset);
    } catch {
      break;
    }
  }
  return verdict;
};

describe("ledger property: an invalid block changes nothing", () => {
  // @covers BLOCK-APPLY.3 STATE-APPLY-TX.2 HEADER-VALIDATE.1
  it("every corrupted block is rejected and the ledger is untouched", () => {
    fc.assert(unchangedOnFailure(referenceRule), { seed: 5201, numRuns: 25 });
  });

  it("fails for a rule that writes into the live state (the check is not vacuous)", () => {
    expect(fc.check(unchangedOnFailure(inPlace), { seed: 5202, numRuns: 40 }).failed).toBe(true);
  });
});
