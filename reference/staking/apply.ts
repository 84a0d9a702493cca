import type { BlsBackend } from "../crypto/bls/backend.ts";
import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Account } from "../ledger/account.ts";
import { type AccountState, getAccount } from "../ledger/state.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import type {
  CreateValidator,
  Delegate,
  Directive,
  EditValidator,
  KeyWithProof,
  Undelegate,
} from "./directives.ts";
import {
  adjustAccount,
  DESCRIPTION_FIELDS,
  DESCRIPTION_LIMITS,
  type Delegation,
  RATE_ONE,
  readRecord,
  STATUS,
  totalDelegation,
  type ValidatorRecord,
  validatorsOf,
  writeRecord,
} from "./record.ts";

/*
 * The staking rules (§8.5–§8.6): what each directive checks and changes, and the release of locked
 * undelegations at the end of an epoch. Every rule checks everything before it writes anything, so a refused
 * directive leaves the state as it was.
 */

/** What a directive is applied with: the beacon chain's epoch, the preset and a BLS implementation. */
export interface StakingContext {
  readonly epoch: bigint;
  readonly preset: Preset;
  readonly bls: BlsBackend;
}

const utf8 = new TextEncoder();

/** DESCRIPTION-CHECK: every text within its byte limit (STAKE-CREATE L2, STAKE-EDIT L3). */
function checkDescription(texts: Readonly<Record<string, string | null>>): void {
  for (const field of DESCRIPTION_FIELDS) {
    const text = texts[field];
    if (text !== null && text !== undefined && utf8.encode(text).length > DESCRIPTION_LIMITS[field]) {
      throw new SpecError(
        "STAKE_DESCRIPTION_TOO_LONG",
        `${field} is longer than ${DESCRIPTION_LIMITS[field]} bytes`,
      );
    }
  }
}

/** KEY-CHECK: a valid key, new to every record, proven (STAKE-CREATE L5–L6, STAKE-EDIT L8). */
function checkNewKey(registered: ReadonlySet<string>, { key, proof }: KeyWithProof, bls: BlsBackend): void {
  unwrap(bls.validatePublicKey(key));
  if (registered.has(bytesToHex(key))) {
    throw new SpecError("STAKE_KEY_IN_USE", `key ${bytesToHex(key)} is already registered`);
  }
  if (!unwrap(bls.popVerify(key, proof))) {
    throw new SpecError("STAKE_POP_INVALID", `the proof of possession of ${bytesToHex(key)} does not verify`);
  }
}

function registeredKeys(state: AccountState): Set<string> {
  return new Set(validatorsOf(state).flatMap(({ record }) => record.keys.map(bytesToHex)));
}

function requireRecord(state: AccountState, address: Uint8Array): ValidatorRecord {
  const record = readRecord(state, address);
  if (record === null) throw new SpecError("STAKE_NO_VALIDATOR", `${bytesToHex(address)} is not a validator`);
  return record;
}

function requireBalance(state: AccountState, address: Uint8Array, amount: bigint): void {
  const balance = getAccount(state, address).balance;
  if (balance < amount) {
    throw new SpecError("STAKE_INSUFFICIENT_BALANCE", `balance ${balance} is below the amount ${amount}`);
  }
}

/** PRUNE: drops the delegations after the validator's own that hold nothing any more. */
function pruned(delegations: readonly Delegation[]): Delegation[] {
  return delegations.filter(
    (d, i) => i === 0 || d.amount > 0n || d.reward > 0n || d.undelegations.length > 0,
  );
}

/** @spec STAKE-CREATE.1 */
function createValidator(
  working: Map<string, Account>,
  sender: Uint8Array,
  d: CreateValidator,
  context: StakingContext,
) {
  const { preset } = context;
  if (getAccount(working, sender).validator.length > 0) {
    throw new SpecError("STAKE_VALIDATOR_EXISTS", `${bytesToHex(sender)} is already a validator`); // L1
  }
  checkDescription(d.description); // L2
  if (d.rate > d.maxRate || d.maxRate > RATE_ONE || d.maxChangeRate > d.maxRate) {
    throw new SpecError(
      "STAKE_RATE_INVALID",
      "rates must satisfy rate ≤ maxRate ≤ 100 % and maxChangeRate ≤ maxRate",
    ); // L3
  }
  if (d.keys.length === 0 || d.keys.length > preset.maxKeysPerValidator) {
    throw new SpecError(
      "STAKE_KEY_COUNT",
      `${d.keys.length} keys; 1 to ${preset.maxKeysPerValidator} allowed`,
    ); // L4
  }
  const registered = registeredKeys(working);
  for (const entry of d.keys) {
    checkNewKey(registered, entry, context.bls); // L5–L6
    registered.add(bytesToHex(entry.key));
  }
  if (d.minSelfDelegation < preset.minSelfDelegation) {
    throw new SpecError(
      "STAKE_MIN_SELF_DELEGATION",
      `the minimum self-delegation is ${preset.minSelfDelegation}`,
    ); // L7
  }
  if (d.maxTotalDelegation < d.minSelfDelegation) {
    throw new SpecError("STAKE_MAX_TOTAL_DELEGATION", "maxTotalDelegation is below minSelfDelegation"); // L8
  }
  if (d.amount < d.minSelfDelegation) {
    throw new SpecError("STAKE_SELF_DELEGATION_TOO_LOW", `amount ${d.amount} is below minSelfDelegation`); // L9
  }
  if (d.amount > d.maxTotalDelegation) {
    throw new SpecError("STAKE_DELEGATION_CAP", `amount ${d.amount} exceeds maxTotalDelegation`); // L10
  }
  requireBalance(working, sender, d.amount); // L11
  adjustAccount(working, sender, { balance: -d.amount, delegated: d.amount }); // L12
  writeRecord(working, sender, {
    keys: d.keys.map(({ key }) => key),
    rate: d.rate,
    maxRate: d.maxRate,
    maxChangeRate: d.maxChangeRate,
    rateAtEpochStart: d.rate,
    rateEpoch: context.epoch,
    minSelfDelegation: d.minSelfDelegation,
    maxTotalDelegation: d.maxTotalDelegation,
    description: d.description,
    status: STATUS.active,
    creationEpoch: context.epoch,
    blocksToSign: 0n,
    blocksSigned: 0n,
    delegations: [{ delegator: sender, amount: d.amount, reward: 0n, undelegations: [] }],
  }); // L13
}

/** @spec STAKE-EDIT.1 */
function editValidator(
  working: Map<string, Account>,
  sender: Uint8Array,
  d: EditValidator,
  context: StakingContext,
) {
  const { preset } = context;
  const record = requireRecord(working, sender); // L1
  if (record.status === STATUS.banned) throw new SpecError("STAKE_BANNED", `${bytesToHex(sender)} is banned`); // L2
  checkDescription(d.description); // L3
  const base = record.rateEpoch === context.epoch ? record.rateAtEpochStart : record.rate; // L4
  if (d.rate !== null) {
    if (d.rate > record.maxRate) throw new SpecError("STAKE_RATE_INVALID", `rate ${d.rate} exceeds maxRate`); // L5
    const change = d.rate > base ? d.rate - base : base - d.rate;
    if (change > record.maxChangeRate) {
      throw new SpecError(
        "STAKE_RATE_CHANGE_TOO_FAST",
        `the rate moves ${change} this epoch, more than maxChangeRate`,
      ); // L6
    }
  }
  const minSelf = d.minSelfDelegation ?? record.minSelfDelegation;
  const maxTotal = d.maxTotalDelegation ?? record.maxTotalDelegation;
  const self = record.delegations[0]!.amount;
  if (minSelf < preset.minSelfDelegation) {
    throw new SpecError(
      "STAKE_MIN_SELF_DELEGATION",
      `the minimum self-delegation is ${preset.minSelfDelegation}`,
    ); // L7
  }
  if (d.minSelfDelegation !== null && self < minSelf) {
    throw new SpecError("STAKE_SELF_DELEGATION_TOO_LOW", `self-delegation ${self} is below the new minimum`); // L8
  }
  if (maxTotal < minSelf) {
    throw new SpecError("STAKE_MAX_TOTAL_DELEGATION", "maxTotalDelegation is below minSelfDelegation"); // L9
  }
  if (d.maxTotalDelegation !== null && maxTotal < totalDelegation(record)) {
    throw new SpecError("STAKE_DELEGATION_CAP", "maxTotalDelegation is below what is already delegated"); // L10
  }
  let keys = [...record.keys];
  if (d.keyToRemove !== null) {
    const remove = d.keyToRemove;
    if (!keys.some((key) => bytesEqual(key, remove))) {
      throw new SpecError("STAKE_KEY_NOT_FOUND", `${bytesToHex(remove)} is not a key of this validator`); // L11
    }
    keys = keys.filter((key) => !bytesEqual(key, remove));
  }
  if (d.keyToAdd !== null) {
    checkNewKey(registeredKeys(working), d.keyToAdd, context.bls); // L12
    keys.push(d.keyToAdd.key);
  }
  if (keys.length === 0 || keys.length > preset.maxKeysPerValidator) {
    throw new SpecError("STAKE_KEY_COUNT", `${keys.length} keys; 1 to ${preset.maxKeysPerValidator} allowed`); // L13
  }
  if (d.status === STATUS.active && self < minSelf) {
    throw new SpecError(
      "STAKE_SELF_DELEGATION_TOO_LOW",
      "a validator below its minimum self-delegation stays inactive",
    ); // L14
  }
  writeRecord(working, sender, {
    ...record,
    keys,
    rate: d.rate ?? record.rate,
    rateAtEpochStart: base,
    rateEpoch: context.epoch,
    minSelfDelegation: minSelf,
    maxTotalDelegation: maxTotal,
    description: Object.fromEntries(
      DESCRIPTION_FIELDS.map((field) => [field, d.description[field] ?? record.description[field]]),
    ) as ValidatorRecord["description"],
    status: d.status ?? record.status,
  }); // L15
}

/** @spec STAKE-DELEGATE.1 */
function delegate(working: Map<string, Account>, sender: Uint8Array, d: Delegate, context: StakingContext) {
  const record = requireRecord(working, d.validator); // L1
  if (record.status === STATUS.banned)
    throw new SpecError("STAKE_BANNED", `${bytesToHex(d.validator)} is banned`); // L2
  if (d.amount < context.preset.minDelegation) {
    throw new SpecError(
      "STAKE_DELEGATION_TOO_SMALL",
      `the least delegation is ${context.preset.minDelegation}`,
    ); // L3
  }
  if (totalDelegation(record) + d.amount > record.maxTotalDelegation) {
    throw new SpecError(
      "STAKE_DELEGATION_CAP",
      "the delegation would exceed the validator's maxTotalDelegation",
    ); // L4
  }
  requireBalance(working, sender, d.amount); // L5
  const index = record.delegations.findIndex((entry) => bytesEqual(entry.delegator, sender));
  const delegations =
    index < 0
      ? [...record.delegations, { delegator: sender, amount: d.amount, reward: 0n, undelegations: [] }]
      : record.delegations.map((entry, i) =>
          i === index ? { ...entry, amount: entry.amount + d.amount } : entry,
        );
  adjustAccount(working, sender, { balance: -d.amount, delegated: d.amount }); // L6
  writeRecord(working, d.validator, { ...record, delegations }); // L7
}

/** @spec STAKE-UNDELEGATE.1 */
function undelegate(
  working: Map<string, Account>,
  sender: Uint8Array,
  d: Undelegate,
  context: StakingContext,
) {
  const record = requireRecord(working, d.validator); // L1
  if (d.amount === 0n) throw new SpecError("STAKE_AMOUNT_ZERO", "nothing to undelegate"); // L2
  const index = record.delegations.findIndex((entry) => bytesEqual(entry.delegator, sender));
  const entry = index < 0 ? null : record.delegations[index]!;
  if (entry === null || entry.amount < d.amount) {
    throw new SpecError(
      "STAKE_UNDELEGATE_TOO_MUCH",
      `${bytesToHex(sender)} has less than ${d.amount} delegated here`,
    ); // L3
  }
  const last = entry.undelegations.at(-1);
  const undelegations =
    last !== undefined && last.epoch === context.epoch
      ? [...entry.undelegations.slice(0, -1), { amount: last.amount + d.amount, epoch: context.epoch }]
      : [...entry.undelegations, { amount: d.amount, epoch: context.epoch }]; // L4
  const delegations = record.delegations.map((e, i) =>
    i === index ? { ...e, amount: e.amount - d.amount, undelegations } : e,
  );
  const selfAfter = delegations[0]!.amount;
  const status =
    record.status === STATUS.active && selfAfter < record.minSelfDelegation ? STATUS.inactive : record.status; // L5
  adjustAccount(working, sender, { delegated: -d.amount, undelegating: d.amount }); // L6
  writeRecord(working, d.validator, { ...record, delegations, status }); // L7
}

/** @spec STAKE-COLLECT.1 */
function collectRewards(working: Map<string, Account>, sender: Uint8Array) {
  const owed = validatorsOf(working).flatMap(({ address, record }) =>
    record.delegations.some((entry) => bytesEqual(entry.delegator, sender) && entry.reward > 0n)
      ? [{ address, record }]
      : [],
  ); // L1
  const total = owed.reduce(
    (sum, { record }) =>
      sum +
      record.delegations.reduce(
        (s, entry) => s + (bytesEqual(entry.delegator, sender) ? entry.reward : 0n),
        0n,
      ),
    0n,
  );
  if (total === 0n)
    throw new SpecError("STAKE_NO_REWARDS", `${bytesToHex(sender)} has no rewards to collect`); // L2
  for (const { address, record } of owed) {
    const delegations = record.delegations.map((entry) =>
      bytesEqual(entry.delegator, sender) ? { ...entry, reward: 0n } : entry,
    );
    writeRecord(working, address, { ...record, delegations: pruned(delegations) }); // L3
  }
  adjustAccount(working, sender, { rewards: -total, balance: total }); // L4
}

/**
 * STAKE-APPLY(S, sender, d) on a working state the caller owns and discards if anything raises: every rule makes
 * all its checks before it writes, so a refused directive raises with the state as it was.
 *
 * @spec STAKE-APPLY.1
 */
export function applyDirectiveTo(
  working: Map<string, Account>,
  sender: Uint8Array,
  directive: Directive,
  context: StakingContext,
): void {
  switch (directive.kind) {
    case "createValidator":
      createValidator(working, sender, directive, context);
      return;
    case "editValidator":
      editValidator(working, sender, directive, context);
      return;
    case "delegate":
      delegate(working, sender, directive, context);
      return;
    case "undelegate":
      undelegate(working, sender, directive, context);
      return;
    case "collectRewards":
      collectRewards(working, sender);
      return;
  }
}

/**
 * STAKE-APPLY(S, sender, d): the state after directive `d` sent by `sender` on the beacon chain, or the
 * SpecError of the first check it fails, with the state untouched.
 *
 * @spec STAKE-APPLY.1
 */
export function applyDirective(
  state: AccountState,
  sender: Uint8Array,
  directive: Directive,
  context: StakingContext,
): Result<AccountState> {
  return attempt(() => {
    const working = new Map(state);
    applyDirectiveTo(working, sender, directive, context);
    return working;
  });
}

/**
 * STAKE-UNLOCK(S, e) (L1–L4), at the last beacon block of epoch `e`: every undelegation at least
 * `undelegationLockEpochs` old returns to its delegator's balance.
 *
 * @spec STAKE-UNLOCK.1
 */
export function unlockUndelegations(state: AccountState, epoch: bigint, preset: Preset): AccountState {
  const lock = BigInt(preset.undelegationLockEpochs);
  const working = new Map<string, Account>(state);
  for (const { address, record } of validatorsOf(state)) {
    // L1
    let released = false;
    const delegations = record.delegations.map((entry) => {
      const due = entry.undelegations.filter((u) => epoch - u.epoch >= lock); // L2
      if (due.length === 0) return entry;
      released = true;
      const amount = due.reduce((sum, u) => sum + u.amount, 0n);
      adjustAccount(working, entry.delegator, { undelegating: -amount, balance: amount }); // L3
      return { ...entry, undelegations: entry.undelegations.filter((u) => epoch - u.epoch < lock) };
    });
    if (released) writeRecord(working, address, { ...record, delegations: pruned(delegations) }); // L4
  }
  return working;
}
