import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { type AccountState, getAccount } from "../../reference/ledger/state.ts";
import { MAINNET, MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { applySlash, type SlashOutcome, type SlashRecord } from "../../reference/rewards/slash.ts";
import { readRecord, STATUS } from "../../reference/staking/record.ts";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import { supplyOf, totalsMismatches } from "../../tools/testing/stakingStates.ts";
import { stateOfSpecs, validatorsArbitrary } from "./arbitraries.ts";

/*
 * SLASH-APPLY over random beacon states: the supply falls by exactly what is burnt, the beneficiary receives its
 * stated part, STAKE-TOTALS.1 holds after, nothing goes below zero, the validator's loss is its stated share of
 * its slashable stake and its delegators lose at most their stated share of that; a broken rule is caught.
 * Verification (SLASH-VERIFY.1) needs signatures and is tested on fixed evidence in reference/rewards.
 */

type SlashRule = (
  state: AccountState,
  record: SlashRecord,
  beneficiary: Uint8Array,
  preset: Preset,
) => SlashOutcome;

const referenceRule: SlashRule = applySlash;

/** A broken rule: the record entries are slashed, the delegators' account totals are not. */
const totalsNotReduced: SlashRule = (state, record, beneficiary, preset) => {
  const out = applySlash(state, record, beneficiary, preset);
  const working = new Map(out.state);
  for (const [key, account] of working) {
    const before = state.get(key);
    if (before !== undefined) {
      working.set(key, { ...account, delegated: before.delegated, undelegating: before.undelegating });
    }
  }
  return { ...out, state: working };
};

/** Evidence is not read by SLASH-APPLY; any well-formed pair stands in for it. */
const NO_EVIDENCE = (() => {
  const vote = {
    kind: "commit" as const,
    blockNum: 1n,
    viewId: 1n,
    blockHash: new Uint8Array(32),
    bitmap: Uint8Array.of(1),
    signature: new Uint8Array(96),
  };
  return { first: vote, second: { ...vote, blockHash: new Uint8Array(32).fill(1) } };
})();

const cases = validatorsArbitrary.chain((specs) =>
  fc.record({
    specs: fc.constant(specs.map((s) => ({ ...s, record: { ...s.record, status: STATUS.active } }))),
    offender: fc.integer({ min: 0, max: specs.length - 1 }).map((i) => specs[i]!.byte),
    epoch: fc.bigInt({ min: 0n, max: 13n }),
    beneficiary: fc.constantFrom(0x01, 0x02, 0xd1, 0xee),
    preset: fc.constantFrom(MINIMAL, MAINNET, {
      ...MINIMAL,
      slashSelfPercent: 100,
      slashDelegatorPercent: 300,
    }),
  }),
);

function holds(rule: SlashRule) {
  return fc.property(cases, ({ specs, offender, epoch, beneficiary, preset }) => {
    const state = stateOfSpecs(specs);
    const record: SlashRecord = { epoch, shard: 0, offender: addressOf(offender), evidence: NO_EVIDENCE };
    const out = rule(state, record, addressOf(beneficiary), preset);
    expect(supplyOf(state) - supplyOf(out.state)).toBe(out.burnt);
    expect(out.burnt).toBe(out.slashed - out.paid);
    const expectedPaid =
      beneficiary === offender ? 0n : (out.slashed * BigInt(preset.slashBeneficiaryPercent)) / 100n;
    expect(out.paid).toBe(expectedPaid);
    expect(getAccount(out.state, addressOf(beneficiary)).balance).toBe(
      getAccount(state, addressOf(beneficiary)).balance + out.paid,
    );
    expect(totalsMismatches(out.state)).toEqual([]);
    const before = readRecord(state, addressOf(offender))!;
    const after = readRecord(out.state, addressOf(offender))!;
    expect(after.status).toBe(STATUS.banned);
    // Reachable stake: bonded plus undelegations of the evidence epoch or later.
    const reachable = (d: (typeof before.delegations)[number]) =>
      d.amount + d.undelegations.filter((u) => u.epoch >= epoch).reduce((sum, u) => sum + u.amount, 0n);
    const lost = before.delegations.map((d, j) => {
      const a = after.delegations[j]!;
      expect(a.amount >= 0n && a.reward >= 0n && a.undelegations.every((u) => u.amount > 0n)).toBe(true);
      // Undelegations before the evidence epoch are never touched.
      expect(a.undelegations.filter((u) => u.epoch < epoch)).toEqual(
        d.undelegations.filter((u) => u.epoch < epoch),
      );
      return reachable(d) + d.reward - reachable(a) - a.reward;
    });
    // The validator loses exactly its share of its reachable stake, never from its reward.
    expect(lost[0]).toBe((reachable(before.delegations[0]!) * BigInt(preset.slashSelfPercent)) / 100n);
    expect(after.delegations[0]!.reward).toBe(before.delegations[0]!.reward);
    const delegatorsLost = lost.slice(1).reduce((sum, x) => sum + x, 0n);
    expect(delegatorsLost <= (lost[0]! * BigInt(preset.slashDelegatorPercent)) / 100n).toBe(true);
    expect(out.slashed).toBe(lost[0]! + delegatorsLost);
    // No balance but the beneficiary's changes.
    for (const [key, account] of out.state) {
      if (key !== bytesToHex(addressOf(beneficiary))) expect(account.balance).toBe(state.get(key)!.balance);
    }
  });
}

describe("rewards property: slashing", () => {
  // @covers SLASH-APPLY.1 STAKE-TOTALS.1
  it("burns exactly the slashed amount less the beneficiary's part, keeps the totals and goes below zero nowhere", () => {
    fc.assert(holds(referenceRule), { seed: 1201, numRuns: 200 });
  });

  it("catches a rule that slashes the entries but not the accounts' totals (the check is not vacuous)", () => {
    const result = fc.check(holds(totalsNotReduced), { seed: 1202, numRuns: 100 });
    expect(result.failed).toBe(true);
  });
});
