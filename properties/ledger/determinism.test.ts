import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { applyBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import { encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, type ProposerFields, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { encodeCxReceipt, encodeReceipt } from "../../reference/ledger/receipt.ts";
import { stateRoot } from "../../reference/ledger/state.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { genesis } from "../../tools/testing/ledgerChains.ts";
import { historyArbitrary, type Intent, transactionsFor } from "./histories.ts";

/*
 * Determinism: the same history gives the same bytes, every time. A pipeline builds each block (the proposer's
 * view) and applies it (a validator's view); everything it produces is written as hex, and two runs must agree
 * byte for byte, and applying a block twice to the same ledger must give identical results.
 */

type FieldsOf = (ledger: LedgerState) => ProposerFields;
const plainFields: FieldsOf = (ledger) => plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);

function transcript(history: readonly Intent[][], fieldsOf: FieldsOf): string[] {
  let ledger = genesis(MINIMAL, 0);
  const out: string[] = [];
  for (const intents of history) {
    const built = buildBlock(ledger, transactionsFor(ledger, intents, MINIMAL), fieldsOf(ledger), MINIMAL);
    if (!built.ok) throw built.error;
    const first = applyBlock(ledger, built.value.block, MINIMAL);
    const second = applyBlock(ledger, built.value.block, MINIMAL);
    if (!first.ok || !second.ok) throw new Error("a built block was rejected");
    expect(second.value).toEqual(first.value);
    out.push(bytesToHex(encodeBlock(built.value.block)), bytesToHex(headerHash(built.value.block.header)));
    out.push(bytesToHex(stateRoot(first.value.state.accounts)));
    for (const r of first.value.receipts) out.push(bytesToHex(encodeReceipt(r)));
    for (const r of first.value.outgoingReceipts) out.push(bytesToHex(encodeCxReceipt(r)));
    ledger = first.value.state;
  }
  return out;
}

function deterministic(fieldsOf: () => FieldsOf) {
  return fc.property(historyArbitrary(3, 3), (history) => {
    expect(transcript(history, fieldsOf())).toEqual(transcript(history, fieldsOf()));
  });
}

/** A broken proposer: it stamps blocks with a hidden clock that keeps running between runs. */
function hiddenClock(): () => FieldsOf {
  let tick = 0n;
  return () => (ledger) => {
    tick += 1n;
    return plainProposerFields(ledger.head.time + 1n + tick, ledger.head.viewId + 1n);
  };
}

describe("ledger property: determinism", () => {
  // @covers BLOCK-APPLY.3 HEADER-HASH.1 STATE-ROOT.2 RECEIPT-FORMAT.1 BLOCK-FORMAT.1
  it("the same history gives the same blocks, hashes, roots and receipts", () => {
    fc.assert(
      deterministic(() => plainFields),
      { seed: 5401, numRuns: 10 },
    );
  });

  it("fails for a proposer with a hidden clock (the check is not vacuous)", () => {
    expect(fc.check(deterministic(hiddenClock()), { seed: 5402, numRuns: 10 }).failed).toBe(true);
  });
});
