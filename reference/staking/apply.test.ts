import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import {
  addressOf,
  createOf,
  fundedState,
  NO_EDIT,
  ONE,
  PERCENT,
  stakerKey,
  withStatus,
} from "../../tools/testing/stakingFixtures.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { type AccountState, getAccount, stateRoot } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { applyDirective, type StakingContext, unlockUndelegations } from "./apply.ts";
import type { Directive } from "./directives.ts";
import { readRecord, STATUS, writeRecord } from "./record.ts";

const V = 1;
const D = 2;
const at = (epoch: bigint): StakingContext => ({ epoch, preset: MINIMAL, bls: blstBls });

function apply(state: AccountState, sender: number, directive: Directive, epoch = 3n): AccountState {
  return unwrap(applyDirective(state, addressOf(sender), directive, at(epoch)));
}

/** The error a directive raises; the input state must come out untouched. */
function refusal(state: AccountState, sender: number, directive: Directive, epoch = 3n): string {
  const root = bytesToHex(stateRoot(state));
  const code = resultCode(applyDirective(state, addressOf(sender), directive, at(epoch)));
  expect(bytesToHex(stateRoot(state))).toBe(root);
  return code;
}

function account(state: AccountState, byte: number) {
  const { balance, delegated, undelegating, rewards } = getAccount(state, addressOf(byte));
  return { balance, delegated, undelegating, rewards };
}

/** V (1,000 ONE) is a validator with 50 ONE bonded to itself; D holds 500 ONE. */
function withValidator(): AccountState {
  return apply(
    fundedState([
      [V, 1000n * ONE],
      [D, 500n * ONE],
    ]),
    V,
    createOf(V, 50n * ONE, 2),
  );
}

describe("STAKE-CREATE", () => {
  // @covers STAKE-APPLY.1 STAKE-CREATE.1 STAKE-TOTALS.1
  it("registers the validator with its keys and bonds its self-delegation", () => {
    const state = withValidator();
    expect(account(state, V)).toEqual({
      balance: 950n * ONE,
      delegated: 50n * ONE,
      undelegating: 0n,
      rewards: 0n,
    });
    const record = readRecord(state, addressOf(V))!;
    expect(record.keys).toEqual([stakerKey(V, 0).key, stakerKey(V, 1).key]);
    expect([record.rate, record.rateAtEpochStart, record.rateEpoch, record.creationEpoch]).toEqual([
      10n * PERCENT,
      10n * PERCENT,
      3n,
      3n,
    ]);
    expect(record.status).toBe(STATUS.active);
    expect(record.delegations).toEqual([
      { delegator: addressOf(V), amount: 50n * ONE, reward: 0n, undelegations: [] },
    ]);
  });

  // @covers STAKE-CREATE.1 STAKE-APPLY.1
  it("refuses each broken condition by name, in the rule's order, and changes nothing", () => {
    const funded = fundedState([
      [V, 1000n * ONE],
      [D, 500n * ONE],
    ]);
    const state = withValidator();
    const long = "x".repeat(141);
    const cases: [string, AccountState, number, Directive][] = [
      ["STAKE_VALIDATOR_EXISTS", state, V, createOf(V, 50n * ONE)], // L1
      [
        "STAKE_DESCRIPTION_TOO_LONG",
        funded,
        D,
        { ...createOf(D, 50n * ONE), description: { ...createOf(D, 0n).description, name: long } },
      ], // L2
      ["STAKE_RATE_INVALID", funded, D, createOf(D, 50n * ONE, 1, { rate: 21n * PERCENT })], // L3
      ["STAKE_RATE_INVALID", funded, D, createOf(D, 50n * ONE, 1, { maxChangeRate: 21n * PERCENT })], // L3
      [
        "STAKE_RATE_INVALID",
        funded,
        D,
        createOf(D, 50n * ONE, 1, { rate: 0n, maxRate: ONE + 1n, maxChangeRate: 0n }),
      ], // L3
      ["STAKE_KEY_COUNT", funded, D, createOf(D, 50n * ONE, 0)], // L4
      ["STAKE_KEY_COUNT", funded, D, createOf(D, 50n * ONE, 5)], // L4: minimal allows 4
      ["STAKE_KEY_IN_USE", state, D, { ...createOf(D, 50n * ONE), keys: [stakerKey(V, 1)] }], // L5
      [
        "STAKE_KEY_IN_USE",
        funded,
        D,
        { ...createOf(D, 50n * ONE), keys: [stakerKey(D, 0), stakerKey(D, 0)] },
      ], // L5
      [
        "BLS_POINT_NOT_ON_CURVE",
        funded,
        D,
        {
          ...createOf(D, 50n * ONE),
          keys: [
            {
              key: Uint8Array.of(0x80 | 0x20, ...new Uint8Array(47).fill(0xff)),
              proof: stakerKey(D, 0).proof,
            },
          ],
        },
      ], // L5: KeyValidate
      [
        "STAKE_POP_INVALID",
        funded,
        D,
        { ...createOf(D, 50n * ONE), keys: [{ ...stakerKey(D, 0), proof: stakerKey(D, 1).proof }] },
      ], // L6
      [
        "STAKE_MIN_SELF_DELEGATION",
        funded,
        D,
        createOf(D, 50n * ONE, 1, { minSelfDelegation: 10n * ONE - 1n }),
      ], // L7
      ["STAKE_MAX_TOTAL_DELEGATION", funded, D, createOf(D, 50n * ONE, 1, { maxTotalDelegation: 9n * ONE })], // L8
      ["STAKE_SELF_DELEGATION_TOO_LOW", funded, D, createOf(D, 10n * ONE - 1n)], // L9
      ["STAKE_DELEGATION_CAP", funded, D, createOf(D, 1001n * ONE)], // L10
      ["STAKE_INSUFFICIENT_BALANCE", funded, D, createOf(D, 501n * ONE)], // L11
    ];
    for (const [code, before, sender, directive] of cases)
      expect(refusal(before, sender, directive)).toBe(code);
  });
});

describe("STAKE-DELEGATE, STAKE-UNDELEGATE and STAKE-UNLOCK", () => {
  // @covers STAKE-DELEGATE.1 STAKE-UNDELEGATE.1 STAKE-UNLOCK.1 STAKE-TOTALS.1
  it("bonds, locks per epoch and releases after the lock, moving the amounts between account fields", () => {
    let state = apply(
      withValidator(),
      D,
      { kind: "delegate", validator: addressOf(V), amount: 20n * ONE },
      3n,
    );
    expect(account(state, D)).toEqual({
      balance: 480n * ONE,
      delegated: 20n * ONE,
      undelegating: 0n,
      rewards: 0n,
    });
    // 5 then 2 ONE in epoch 3 merge into one entry; 1 ONE in epoch 4 is a second.
    state = apply(state, D, { kind: "undelegate", validator: addressOf(V), amount: 5n * ONE }, 3n);
    state = apply(state, D, { kind: "undelegate", validator: addressOf(V), amount: 2n * ONE }, 3n);
    state = apply(state, D, { kind: "undelegate", validator: addressOf(V), amount: 1n * ONE }, 4n);
    expect(readRecord(state, addressOf(V))!.delegations[1]!.undelegations).toEqual([
      { amount: 7n * ONE, epoch: 3n },
      { amount: 1n * ONE, epoch: 4n },
    ]);
    expect(account(state, D)).toEqual({
      balance: 480n * ONE,
      delegated: 12n * ONE,
      undelegating: 8n * ONE,
      rewards: 0n,
    });
    // The lock is 2 epochs in the minimal preset: the end of epoch 4 releases nothing, of 5 the entry of 3,
    // of 6 the entry of 4.
    expect(unlockUndelegations(state, 4n, MINIMAL)).toEqual(state);
    state = unlockUndelegations(state, 5n, MINIMAL);
    expect(account(state, D)).toEqual({
      balance: 487n * ONE,
      delegated: 12n * ONE,
      undelegating: 1n * ONE,
      rewards: 0n,
    });
    state = unlockUndelegations(state, 6n, MINIMAL);
    expect(account(state, D)).toEqual({
      balance: 488n * ONE,
      delegated: 12n * ONE,
      undelegating: 0n,
      rewards: 0n,
    });
    // Undelegating the rest empties the entry; once released it is pruned.
    state = apply(state, D, { kind: "undelegate", validator: addressOf(V), amount: 12n * ONE }, 6n);
    state = unlockUndelegations(state, 8n, MINIMAL);
    expect(readRecord(state, addressOf(V))!.delegations).toHaveLength(1);
    expect(account(state, D)).toEqual({ balance: 500n * ONE, delegated: 0n, undelegating: 0n, rewards: 0n });
  });

  // @covers STAKE-UNDELEGATE.1
  it("a validator undelegating below its own minimum becomes inactive", () => {
    const state = apply(withValidator(), V, {
      kind: "undelegate",
      validator: addressOf(V),
      amount: 41n * ONE,
    });
    expect(readRecord(state, addressOf(V))!.status).toBe(STATUS.inactive);
    expect(refusal(state, V, { ...NO_EDIT, status: STATUS.active })).toBe("STAKE_SELF_DELEGATION_TOO_LOW");
  });

  // @covers STAKE-DELEGATE.1 STAKE-UNDELEGATE.1
  it("refuses each broken condition by name and changes nothing", () => {
    const state = withValidator();
    const banned = withStatus(state, V, STATUS.banned);
    const delegate = (validator: number, amount: bigint): Directive => ({
      kind: "delegate",
      validator: addressOf(validator),
      amount,
    });
    const undelegate = (validator: number, amount: bigint): Directive => ({
      kind: "undelegate",
      validator: addressOf(validator),
      amount,
    });
    expect(refusal(state, D, delegate(D, 5n * ONE))).toBe("STAKE_NO_VALIDATOR");
    expect(refusal(banned, D, delegate(V, 5n * ONE))).toBe("STAKE_BANNED");
    expect(refusal(state, D, delegate(V, ONE - 1n))).toBe("STAKE_DELEGATION_TOO_SMALL");
    expect(refusal(state, D, delegate(V, 951n * ONE))).toBe("STAKE_DELEGATION_CAP");
    expect(refusal(state, D, delegate(V, 501n * ONE))).toBe("STAKE_INSUFFICIENT_BALANCE");
    expect(refusal(state, D, undelegate(D, ONE))).toBe("STAKE_NO_VALIDATOR");
    expect(refusal(state, D, undelegate(V, 0n))).toBe("STAKE_AMOUNT_ZERO");
    expect(refusal(state, D, undelegate(V, ONE))).toBe("STAKE_UNDELEGATE_TOO_MUCH");
    expect(refusal(state, V, undelegate(V, 51n * ONE))).toBe("STAKE_UNDELEGATE_TOO_MUCH");
    // Leaving a banned validator is allowed.
    const delegated = apply(state, D, delegate(V, 5n * ONE));
    const bannedWithD = withStatus(delegated, V, STATUS.banned);
    expect(account(apply(bannedWithD, D, undelegate(V, 5n * ONE)), D).undelegating).toBe(5n * ONE);
  });
});

describe("STAKE-EDIT", () => {
  // @covers STAKE-EDIT.1
  it("limits the rate's movement per epoch, counted from the rate the epoch began with", () => {
    // 10 % at creation in epoch 3; maxChangeRate 5 %.
    let state = apply(withValidator(), V, { ...NO_EDIT, rate: 14n * PERCENT }, 3n);
    expect(refusal(state, V, { ...NO_EDIT, rate: 16n * PERCENT }, 3n)).toBe("STAKE_RATE_CHANGE_TOO_FAST");
    state = apply(state, V, { ...NO_EDIT, rate: 6n * PERCENT }, 3n); // |6 − 10| = 4
    state = apply(state, V, { ...NO_EDIT, rate: 11n * PERCENT }, 4n); // epoch 4 begins at 6 %
    expect(refusal(state, V, { ...NO_EDIT, rate: 12n * PERCENT }, 4n)).toBe("STAKE_RATE_CHANGE_TOO_FAST");
    expect(refusal(state, V, { ...NO_EDIT, rate: 21n * PERCENT }, 5n)).toBe("STAKE_RATE_INVALID");
    expect(readRecord(state, addressOf(V))!.rate).toBe(11n * PERCENT);
  });

  // @covers STAKE-EDIT.1
  it("swaps keys, changes limits and texts, and refuses each broken condition by name", () => {
    const state = withValidator();
    const edited = apply(state, V, {
      ...NO_EDIT,
      description: { ...NO_EDIT.description, website: "https://example.org" },
      keyToRemove: stakerKey(V, 0).key,
      keyToAdd: stakerKey(V, 2),
      minSelfDelegation: 20n * ONE,
      maxTotalDelegation: 60n * ONE,
    });
    const record = readRecord(edited, addressOf(V))!;
    expect(record.keys).toEqual([stakerKey(V, 1).key, stakerKey(V, 2).key]);
    expect([record.description.name, record.description.website]).toEqual([
      "validator 1",
      "https://example.org",
    ]);
    expect([record.minSelfDelegation, record.maxTotalDelegation]).toEqual([20n * ONE, 60n * ONE]);
    const banned = withStatus(state, V, STATUS.banned);
    // Keys 1, 2, 3 and 0 again (released by the first edit).
    const fourKeys = apply(apply(edited, V, { ...NO_EDIT, keyToAdd: stakerKey(V, 3) }), V, {
      ...NO_EDIT,
      keyToAdd: stakerKey(V, 0),
    });
    const cases: [string, AccountState, number, Directive][] = [
      ["STAKE_NO_VALIDATOR", state, D, NO_EDIT], // L1
      ["STAKE_BANNED", banned, V, NO_EDIT], // L2
      [
        "STAKE_DESCRIPTION_TOO_LONG",
        state,
        V,
        { ...NO_EDIT, description: { ...NO_EDIT.description, details: "y".repeat(281) } },
      ], // L3
      ["STAKE_MIN_SELF_DELEGATION", state, V, { ...NO_EDIT, minSelfDelegation: ONE }], // L7
      ["STAKE_SELF_DELEGATION_TOO_LOW", state, V, { ...NO_EDIT, minSelfDelegation: 51n * ONE }], // L8
      ["STAKE_MAX_TOTAL_DELEGATION", state, V, { ...NO_EDIT, maxTotalDelegation: 9n * ONE }], // L9
      ["STAKE_DELEGATION_CAP", state, V, { ...NO_EDIT, maxTotalDelegation: 49n * ONE }], // L10
      ["STAKE_KEY_NOT_FOUND", state, V, { ...NO_EDIT, keyToRemove: stakerKey(D, 0).key }], // L11
      ["STAKE_KEY_IN_USE", state, V, { ...NO_EDIT, keyToAdd: stakerKey(V, 0) }], // L12
      [
        "STAKE_POP_INVALID",
        state,
        V,
        { ...NO_EDIT, keyToAdd: { ...stakerKey(V, 2), proof: stakerKey(V, 3).proof } },
      ], // L12
      ["STAKE_KEY_COUNT", fourKeys, V, { ...NO_EDIT, keyToAdd: stakerKey(V, 4) }], // L13: minimal allows 4 keys
    ];
    for (const [code, before, sender, directive] of cases)
      expect(refusal(before, sender, directive)).toBe(code);
    const single = apply(state, V, { ...NO_EDIT, keyToRemove: stakerKey(V, 0).key });
    expect(refusal(single, V, { ...NO_EDIT, keyToRemove: stakerKey(V, 1).key })).toBe("STAKE_KEY_COUNT"); // L13
  });
});

describe("STAKE-COLLECT", () => {
  // @covers STAKE-COLLECT.1 STAKE-TOTALS.1
  it("pays every reward of the sender's delegations at once and prunes emptied entries", () => {
    // D delegates to V and to W, then leaves W; rewards are credited to both entries as the rewards chapter
    // would: entry and account total together.
    let state = apply(
      apply(
        fundedState([
          [V, 1000n * ONE],
          [D, 500n * ONE],
          [3, 100n * ONE],
        ]),
        V,
        createOf(V, 50n * ONE),
      ),
      3,
      createOf(3, 10n * ONE),
    );
    state = apply(state, D, { kind: "delegate", validator: addressOf(V), amount: 5n * ONE });
    state = apply(state, D, { kind: "delegate", validator: addressOf(3), amount: 5n * ONE });
    state = apply(state, D, { kind: "undelegate", validator: addressOf(3), amount: 5n * ONE });
    const credited = new Map(state);
    for (const [validator, reward] of [
      [V, 3n],
      [3, 4n],
    ] as const) {
      const record = readRecord(state, addressOf(validator))!;
      writeRecord(credited, addressOf(validator), {
        ...record,
        delegations: record.delegations.map((d) =>
          bytesToHex(d.delegator) === bytesToHex(addressOf(D)) ? { ...d, reward } : d,
        ),
      });
    }
    credited.set(bytesToHex(addressOf(D)), { ...getAccount(state, addressOf(D)), rewards: 7n });
    const collected = apply(credited, D, { kind: "collectRewards" });
    expect(account(collected, D)).toEqual({
      balance: 490n * ONE + 7n,
      delegated: 5n * ONE,
      undelegating: 5n * ONE,
      rewards: 0n,
    });
    expect(readRecord(collected, addressOf(V))!.delegations[1]!.reward).toBe(0n);
    expect(refusal(collected, D, { kind: "collectRewards" })).toBe("STAKE_NO_REWARDS");
    // D's entry with validator 3 still holds its undelegation; released, it holds nothing and goes.
    expect(readRecord(collected, addressOf(3))!.delegations).toHaveLength(2);
    const released = unlockUndelegations(collected, 5n, MINIMAL);
    expect(readRecord(released, addressOf(3))!.delegations).toHaveLength(1);
    expect(account(released, D).balance).toBe(495n * ONE + 7n);
  });
});
