import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { checkTransactionStateless } from "../../reference/ledger/transaction.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { type ApplyRule, historyArbitrary, patchSenders, referenceRule, runHistory } from "./histories.ts";

/*
 * Nonces are strictly sequential per sender: over a random valid history, the transactions each sender has
 * included carry the nonces 0, 1, 2, … in order; and replaying any included transaction in a later block is
 * rejected with ACCOUNT_NONCE_MISMATCH.
 */

function sequential(rule: ApplyRule) {
  return fc.property(historyArbitrary(4, 4), fc.nat(), (history, pick) => {
    const steps = runHistory(history, MINIMAL, rule);
    const next = new Map<string, bigint>();
    const included = [];
    for (const step of steps) {
      for (const tx of step.block.transactions) {
        const admitted = checkTransactionStateless(tx, MINIMAL, 0, MINIMAL.blockGasLimit);
        if (!admitted.ok) throw admitted.error;
        const sender = bytesToHex(admitted.value.sender);
        expect(tx.nonce).toBe(next.get(sender) ?? 0n);
        next.set(sender, tx.nonce + 1n);
        included.push(tx);
      }
    }
    if (included.length === 0) return;
    // A replay of an included transaction in the next block is refused.
    const ledger = steps[steps.length - 1]!.applied.state;
    const replay = included[pick % included.length]!;
    const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
    const built = buildBlock(ledger, [replay], fields, MINIMAL);
    expect(built.ok ? "(accepted)" : built.error.code).toBe("ACCOUNT_NONCE_MISMATCH");
  });
}

/** A broken rule: the block applies, then every sender's nonce is put back (the nonce is never bumped). */
const nonceNotBumped = patchSenders((current, before) => ({ ...current, nonce: before.nonce }));

describe("ledger property: nonces are sequential", () => {
  // @covers ACCOUNT-NONCE.1 STATE-APPLY-TX.2
  it("each sender's included nonces are 0, 1, 2, … and a replay is rejected", () => {
    fc.assert(sequential(referenceRule), { seed: 5301, numRuns: 20 });
  });

  it("fails for a rule that never bumps the nonce (the check is not vacuous)", () => {
    expect(fc.check(sequential(nonceNotBumped), { seed: 5302, numRuns: 30 }).failed).toBe(true);
  });
});
