import type { Committee } from "../../reference/consensus/committee.ts";
import { type Account, defaultAccount } from "../../reference/ledger/account.ts";
import { type AccountState, getAccount, setAccount } from "../../reference/ledger/state.ts";
import {
  type Delegation,
  encodeRecord,
  STATUS,
  type Status,
  stakeTotalsOf,
  type ValidatorRecord,
} from "../../reference/staking/record.ts";

/*
 * Test support for chapter 11: validator records with plain defaults, and beacon states whose account totals are
 * those STAKE-TOTALS.1 requires of the records (computed by the staking chapter's stakeTotalsOf).
 */

/** A delegation of `delegator` with the given amounts; undelegations as [amount, epoch] pairs. */
export function delegation(
  delegator: Uint8Array,
  amount: bigint,
  reward = 0n,
  undelegations: readonly (readonly [bigint, bigint])[] = [],
): Delegation {
  return {
    delegator,
    amount,
    reward,
    undelegations: undelegations.map(([a, epoch]) => ({ amount: a, epoch })),
  };
}

/** A validator record holding `keys` and `delegations` (entry 0 the validator's own), with plain defaults. */
export function validatorRecord(
  keys: readonly Uint8Array[],
  delegations: readonly Delegation[],
  fields: { rate?: bigint; status?: Status; blocksToSign?: bigint; blocksSigned?: bigint } = {},
): ValidatorRecord {
  return {
    keys,
    rate: fields.rate ?? 0n,
    maxRate: 10n ** 18n,
    maxChangeRate: 10n ** 18n,
    rateAtEpochStart: fields.rate ?? 0n,
    rateEpoch: 0n,
    minSelfDelegation: 0n,
    maxTotalDelegation: 10n ** 30n,
    description: { name: "", identity: "", website: "", securityContact: "", details: "" },
    status: fields.status ?? STATUS.active,
    creationEpoch: 0n,
    blocksToSign: fields.blocksToSign ?? 0n,
    blocksSigned: fields.blocksSigned ?? 0n,
    delegations,
  };
}

/**
 * A beacon state holding the records at their addresses, every delegator's staking totals as the records imply,
 * and the given spendable balances.
 */
export function stakingState(
  validators: readonly { readonly address: Uint8Array; readonly record: ValidatorRecord }[],
  balances: readonly { readonly address: Uint8Array; readonly balance: bigint }[] = [],
): AccountState {
  const working = new Map<string, Account>();
  for (const { address, record } of validators) {
    setAccount(working, address, { ...getAccount(working, address), validator: encodeRecord(record) });
  }
  for (const { address, balance } of balances) {
    setAccount(working, address, { ...getAccount(working, address), balance });
  }
  for (const [key, totals] of stakeTotalsOf(working)) {
    const account = working.get(key) ?? defaultAccount();
    working.set(key, { ...account, ...totals });
  }
  return working;
}

/** The sum over all accounts of balance + delegated + undelegating + rewards: the supply the state holds. */
export function supplyOf(state: AccountState): bigint {
  let sum = 0n;
  for (const a of state.values()) sum += a.balance + a.delegated + a.undelegating + a.rewards;
  return sum;
}

/**
 * The accounts whose staking totals differ from those STAKE-TOTALS.1 derives from the records, as
 * "address field: account value ≠ record sum" lines; empty when the state is consistent.
 */
export function totalsMismatches(state: AccountState): string[] {
  const expected = stakeTotalsOf(state);
  const out: string[] = [];
  for (const [key, account] of state) {
    const want = expected.get(key) ?? { delegated: 0n, undelegating: 0n, rewards: 0n };
    for (const field of ["delegated", "undelegating", "rewards"] as const) {
      if (account[field] !== want[field]) out.push(`${key} ${field}: ${account[field]} ≠ ${want[field]}`);
    }
  }
  for (const [key, want] of expected) {
    if (!state.has(key) && (want.delegated !== 0n || want.undelegating !== 0n || want.rewards !== 0n)) {
      out.push(`${key}: missing account`);
    }
  }
  return out;
}

/** A committee of the given keys and powers, built directly (the reward rules do not validate keys). */
export function plainCommittee(members: readonly (readonly [Uint8Array, bigint])[]): Committee {
  let totalPower = 0n;
  for (const [, power] of members) totalPower += power;
  return { members: members.map(([publicKey, power]) => ({ publicKey, power })), totalPower };
}

/** A 48-byte string standing for a BLS key: the reward rules read keys as bytes. */
export function keyOfBytes(validator: number, index: number): Uint8Array {
  const key = new Uint8Array(48);
  key[0] = validator;
  key[1] = index;
  return key;
}
