import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { type Account, UINT64_LIMIT, UINT256_LIMIT } from "../ledger/account.ts";
import { type AccountState, getAccount, setAccount } from "../ledger/state.ts";

/*
 * The validator record (§8.4): what the beacon chain keeps about a validator in the `validator` field of its
 * account, and the delegations it holds.
 */

/** 10^18: commission rates are fixed-point integers in [0, RATE_ONE], RATE_ONE meaning 100 %. */
export const RATE_ONE = 10n ** 18n;

/** The largest byte length of each description field, in field order. */
export const DESCRIPTION_LIMITS = {
  name: 140,
  identity: 140,
  website: 140,
  securityContact: 140,
  details: 280,
} as const;

export type DescriptionField = keyof typeof DESCRIPTION_LIMITS;
export const DESCRIPTION_FIELDS = Object.keys(DESCRIPTION_LIMITS) as readonly DescriptionField[];

/** A validator's public description, UTF-8 text. */
export type Description = Readonly<Record<DescriptionField, string>>;

/** Active validators stand for election; inactive ones do not; banned ones never again (§8.4). */
export const STATUS = { active: 1, inactive: 2, banned: 3 } as const;
export type Status = (typeof STATUS)[keyof typeof STATUS];

export interface Undelegation {
  readonly amount: bigint;
  /** The epoch in which the amount was undelegated. */
  readonly epoch: bigint;
}

export interface Delegation {
  readonly delegator: Uint8Array;
  /** Amount bonded, in atto. */
  readonly amount: bigint;
  /** Rewards earned and not yet collected, in atto. */
  readonly reward: bigint;
  /** Undelegated amounts still locked, at most one per epoch, in ascending epoch order. */
  readonly undelegations: readonly Undelegation[];
}

/**
 * A validator record. `delegations[0]` is the validator's own (its self-delegation) and is never removed.
 *
 * @spec STAKE-RECORD.1
 */
export interface ValidatorRecord {
  readonly keys: readonly Uint8Array[];
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
  /** The rate when epoch `rateEpoch` began: the base that STAKE-EDIT's per-epoch change limit counts from. */
  readonly rateAtEpochStart: bigint;
  readonly rateEpoch: bigint;
  readonly minSelfDelegation: bigint;
  readonly maxTotalDelegation: bigint;
  readonly description: Description;
  readonly status: Status;
  readonly creationEpoch: bigint;
  /** Availability counters of the current epoch (rewards chapter). */
  readonly blocksToSign: bigint;
  readonly blocksSigned: bigint;
  readonly delegations: readonly Delegation[];
}

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

function descriptionItem(description: Description): Uint8Array[] {
  return DESCRIPTION_FIELDS.map((field) => utf8.encode(description[field]));
}

/**
 * The record's RLP item, in the field order of STAKE-RECORD.1.
 *
 * @spec STAKE-RECORD.1
 */
function recordItem(record: ValidatorRecord): RlpItem {
  return [
    [...record.keys],
    scalarToBytes(record.rate),
    scalarToBytes(record.maxRate),
    scalarToBytes(record.maxChangeRate),
    scalarToBytes(record.rateAtEpochStart),
    scalarToBytes(record.rateEpoch),
    scalarToBytes(record.minSelfDelegation),
    scalarToBytes(record.maxTotalDelegation),
    descriptionItem(record.description),
    scalarToBytes(BigInt(record.status)),
    scalarToBytes(record.creationEpoch),
    scalarToBytes(record.blocksToSign),
    scalarToBytes(record.blocksSigned),
    record.delegations.map((d) => [
      d.delegator,
      scalarToBytes(d.amount),
      scalarToBytes(d.reward),
      d.undelegations.map((u) => [scalarToBytes(u.amount), scalarToBytes(u.epoch)]),
    ]),
  ];
}

/**
 * The bytes stored in the validator's `validator` account field.
 *
 * @spec STAKE-RECORD.1
 */
export function encodeRecord(record: ValidatorRecord): Uint8Array {
  return rlpEncode(recordItem(record));
}

function invalid(what: string): SpecError {
  return new SpecError("STAKE_RECORD_INVALID", what);
}

const read = rlpShapeReader(invalid);

const RECORD_FIELDS = 14;

/**
 * Decodes a validator record, refusing any byte string that is not the encoding of one (STAKE-RECORD L1–L6).
 *
 * @spec STAKE-RECORD.1
 */
export function decodeRecord(bytes: Uint8Array): Result<ValidatorRecord> {
  return attempt(() => {
    const item = read.list(rlpDecodeOrThrow(bytes), "validator record", RECORD_FIELDS); // STAKE-RECORD L1
    const keys = expectRlpList(item[0]!, "keys").map((key, i) => read.bytes(key, `key ${i}`, 48)); // L2
    const [rate, maxRate, maxChangeRate, rateAtEpochStart] = [1, 2, 3, 4].map((i) =>
      read.scalarBelow(item[i]!, `rate field ${i}`, RATE_ONE + 1n),
    ) as [bigint, bigint, bigint, bigint]; // L3
    const texts = read.list(item[8]!, "description", DESCRIPTION_FIELDS.length);
    const description = Object.fromEntries(
      DESCRIPTION_FIELDS.map((field, i) => {
        const raw = expectRlpBytes(texts[i]!, field);
        if (raw.length > DESCRIPTION_LIMITS[field]) throw invalid(`${field} is longer than its limit`);
        try {
          return [field, strictUtf8.decode(raw)];
        } catch {
          throw invalid(`${field} is not UTF-8`);
        }
      }),
    ) as Description; // L4
    const status = read.scalarBelow(item[9]!, "status", 4n);
    if (status === 0n) throw invalid("status 0"); // L4
    const delegations = expectRlpList(item[13]!, "delegations").map((entry, i) => {
      const fields = read.list(entry, `delegation ${i}`, 4);
      return {
        delegator: read.bytes(fields[0]!, `delegator ${i}`, 20),
        amount: read.scalarBelow(fields[1]!, `amount ${i}`, UINT256_LIMIT),
        reward: read.scalarBelow(fields[2]!, `reward ${i}`, UINT256_LIMIT),
        undelegations: expectRlpList(fields[3]!, `undelegations ${i}`).map((u, j) => {
          const pair = read.list(u, `undelegation ${i}.${j}`, 2);
          return {
            amount: read.scalarBelow(pair[0]!, `undelegation amount ${i}.${j}`, UINT256_LIMIT),
            epoch: read.scalarBelow(pair[1]!, `undelegation epoch ${i}.${j}`, UINT64_LIMIT),
          };
        }),
      };
    }); // L5
    if (delegations.length === 0) throw invalid("no self-delegation"); // L6
    return {
      keys,
      rate,
      maxRate,
      maxChangeRate,
      rateAtEpochStart,
      rateEpoch: read.scalarBelow(item[5]!, "rateEpoch", UINT64_LIMIT),
      minSelfDelegation: read.scalarBelow(item[6]!, "minSelfDelegation", UINT256_LIMIT),
      maxTotalDelegation: read.scalarBelow(item[7]!, "maxTotalDelegation", UINT256_LIMIT),
      description,
      status: Number(status) as Status,
      creationEpoch: read.scalarBelow(item[10]!, "creationEpoch", UINT64_LIMIT),
      blocksToSign: read.scalarBelow(item[11]!, "blocksToSign", UINT64_LIMIT),
      blocksSigned: read.scalarBelow(item[12]!, "blocksSigned", UINT64_LIMIT),
      delegations,
    };
  });
}

/**
 * The record of `address`, or null when the account is not a validator. Records in a state were written by
 * the staking rules, so a record that does not decode is a corrupt state, not a user's error.
 *
 * @spec STAKE-RECORD.1
 */
export function readRecord(state: AccountState, address: Uint8Array): ValidatorRecord | null {
  const bytes = getAccount(state, address).validator;
  if (bytes.length === 0) return null;
  const decoded = decodeRecord(bytes);
  if (!decoded.ok)
    throw new Error(`corrupt validator record at ${bytesToHex(address)}: ${decoded.error.message}`);
  return decoded.value;
}

/**
 * Every validator of the state with its record, in ascending address order.
 *
 * @spec STAKE-RECORD.1
 */
export function validatorsOf(state: AccountState): { address: Uint8Array; record: ValidatorRecord }[] {
  return [...state.entries()]
    .filter(([, account]) => account.validator.length > 0)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key]) => {
      const address = bytesFromHex(key);
      return { address, record: readRecord(state, address)! };
    });
}

/** A validator's total delegation: the sum of every delegation's bonded amount, its own included. */
export function totalDelegation(record: ValidatorRecord): bigint {
  return record.delegations.reduce((sum, d) => sum + d.amount, 0n);
}

/** The staking totals of one account (STAKE-TOTALS.1). */
export interface StakeTotals {
  readonly delegated: bigint;
  readonly undelegating: bigint;
  readonly rewards: bigint;
}

/**
 * The totals STAKE-TOTALS.1 requires of every delegator's account, computed from the records alone, keyed by
 * the delegator's address in hex.
 *
 * @spec STAKE-TOTALS.1
 */
export function stakeTotalsOf(state: AccountState): Map<string, StakeTotals> {
  const totals = new Map<string, StakeTotals>();
  for (const { record } of validatorsOf(state)) {
    for (const d of record.delegations) {
      const key = bytesToHex(d.delegator);
      const before = totals.get(key) ?? { delegated: 0n, undelegating: 0n, rewards: 0n };
      totals.set(key, {
        delegated: before.delegated + d.amount,
        undelegating: before.undelegating + d.undelegations.reduce((sum, u) => sum + u.amount, 0n),
        rewards: before.rewards + d.reward,
      });
    }
  }
  return totals;
}

/**
 * Stores `record` as the validator record of `address` in a working copy of the state.
 *
 * @spec STAKE-RECORD.1
 */
export function writeRecord(
  working: Map<string, Account>,
  address: Uint8Array,
  record: ValidatorRecord,
): void {
  setAccount(working, address, { ...getAccount(working, address), validator: encodeRecord(record) });
}

/** Signed changes to an account's balance and staking totals. */
export interface AccountDelta {
  readonly balance?: bigint;
  readonly delegated?: bigint;
  readonly undelegating?: bigint;
  readonly rewards?: bigint;
}

/**
 * Adds `delta` to the account of `address` in a working copy of the state: the account side of every change a
 * staking, reward or slashing rule makes to an entry of a record (STAKE-TOTALS.1).
 *
 * @spec STAKE-TOTALS.1
 */
export function adjustAccount(working: Map<string, Account>, address: Uint8Array, delta: AccountDelta): void {
  const account = getAccount(working, address);
  const next = {
    ...account,
    balance: account.balance + (delta.balance ?? 0n),
    delegated: account.delegated + (delta.delegated ?? 0n),
    undelegating: account.undelegating + (delta.undelegating ?? 0n),
    rewards: account.rewards + (delta.rewards ?? 0n),
  };
  if (next.balance < 0n || next.delegated < 0n || next.undelegating < 0n || next.rewards < 0n) {
    throw new RangeError(`a staking rule drove an amount of ${bytesToHex(address)} below zero`);
  }
  setAccount(working, address, next);
}
