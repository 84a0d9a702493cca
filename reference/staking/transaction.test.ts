import { describe, expect, it } from "vitest";
import { genesis, nextBlock, transfer } from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { createOf, ONE } from "../../tools/testing/stakingFixtures.ts";
import { unwrap } from "../errors.ts";
import { applyBlock, type LedgerState } from "../ledger/applyBlock.ts";
import { buildBlock, plainProposerFields } from "../ledger/buildBlock.ts";
import { genesisAddress } from "../ledger/genesis.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { encodeDirective } from "./directives.ts";
import { readRecord } from "./record.ts";
import { STAKING_ADDRESS } from "./transaction.ts";

const GAS = 200_000n;
const G0 = { shard: 0, index: 0 };
const create = encodeDirective(createOf(7, 50n * ONE));

/** The code a block of `txs` on `ledger` fails with, from the proposer's and the validator's side alike. */
function refusal(ledger: LedgerState, txs: Parameters<typeof nextBlock>[1]): string {
  const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
  return resultCode(buildBlock(ledger, txs, fields, MINIMAL));
}

describe("STAKE-TRANSACTION", () => {
  // @covers STAKE-TRANSACTION.1 STATE-APPLY-TX.2
  it("applies the directive in a beacon block's transaction after its nonce and fee", () => {
    const ledger = genesis(MINIMAL, 0);
    const sender = genesisAddress(0, 0);
    const before = getAccount(ledger.accounts, sender);
    const tx = transfer(MINIMAL, G0, 0n, STAKING_ADDRESS, 0n, { data: create, gasLimit: GAS });
    const built = nextBlock(ledger, [tx], MINIMAL);
    const applied = unwrap(applyBlock(ledger, built.block, MINIMAL));
    const after = getAccount(applied.state.accounts, sender);
    const fee = built.block.header.gasUsed * tx.gasPrice;
    expect([after.nonce, after.balance, after.delegated]).toEqual([
      1n,
      before.balance - 50n * ONE - fee,
      50n * ONE,
    ]);
    expect(readRecord(applied.state.accounts, sender)?.creationEpoch).toBe(0n);
    // The staking address itself is credited nothing.
    expect(applied.state.accounts.has("0x00000000000000000000000000000000000000fc")).toBe(false);
  });

  // @covers STAKE-TRANSACTION.1
  it("refuses a directive off the beacon chain, across shards, with a value, malformed, or failing", () => {
    const beacon = genesis(MINIMAL, 0);
    const send = (options: Parameters<typeof transfer>[5], from = G0, value = 0n) =>
      transfer(MINIMAL, from, 0n, STAKING_ADDRESS, value, { data: create, gasLimit: GAS, ...options });
    expect(refusal(genesis(MINIMAL, 1), [send({}, { shard: 1, index: 0 })])).toBe("STAKE_NOT_BEACON");
    expect(refusal(beacon, [send({ toShard: 1 })])).toBe("STAKE_NOT_BEACON");
    expect(refusal(beacon, [send({}, G0, 1n)])).toBe("STAKE_VALUE_NOT_ZERO");
    expect(refusal(beacon, [send({ data: Uint8Array.of(0xc0) })])).toBe("STAKE_DIRECTIVE_INVALID");
    const tooLittle = encodeDirective(createOf(7, ONE, 1, { minSelfDelegation: ONE }));
    expect(refusal(beacon, [send({ data: tooLittle })])).toBe("STAKE_MIN_SELF_DELEGATION");
  });
});
