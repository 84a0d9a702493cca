import {
  expectRlpBytes,
  expectRlpList,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";

/*
 * Accounts (§5.1): the six fields of ACCOUNT-FIELDS.1, their domains and defaults, and the account encoding
 * of ACCOUNT-RLP.1.
 */

/** 2^64: an account nonce is below it. */
export const UINT64_LIMIT = 1n << 64n;
/** 2^256: every amount is below it. */
export const UINT256_LIMIT = 1n << 256n;
/** The largest nonce; an account that reached it sends nothing more (ACCOUNT-NONCE.1). */
export const MAX_NONCE = UINT64_LIMIT - 1n;
/** The largest balance (ACCOUNT-BALANCE.1). */
export const MAX_BALANCE = UINT256_LIMIT - 1n;

/**
 * An account. `delegated`, `undelegating`, `rewards` and `validator` belong to the staking and rewards
 * chapters; the rules of chapter 5 carry them unchanged.
 *
 * @spec ACCOUNT-FIELDS.1
 */
export interface Account {
  /** uint64: transactions sent from this account on this shard. */
  readonly nonce: bigint;
  /** uint256: spendable amount in atto. */
  readonly balance: bigint;
  /** uint256: amount bonded in delegations (staking chapter). */
  readonly delegated: bigint;
  /** uint256: amount undelegated and still locked (staking chapter). */
  readonly undelegating: bigint;
  /** uint256: rewards earned and not yet collected (rewards chapter). */
  readonly rewards: bigint;
  /** Encoding of the validator record; empty when the account is not a validator (staking chapter). */
  readonly validator: Uint8Array;
}

/**
 * The default account: every field at its default. Reading an address the state does not hold yields it.
 *
 * @spec ACCOUNT-FIELDS.1
 */
export function defaultAccount(): Account {
  return {
    nonce: 0n,
    balance: 0n,
    delegated: 0n,
    undelegating: 0n,
    rewards: 0n,
    validator: new Uint8Array(0),
  };
}

/**
 * Whether every field has its default value; empty accounts are never stored (STATE-MAP.1).
 *
 * @spec ACCOUNT-FIELDS.1
 */
export function isEmptyAccount(account: Account): boolean {
  return (
    account.nonce === 0n &&
    account.balance === 0n &&
    account.delegated === 0n &&
    account.undelegating === 0n &&
    account.rewards === 0n &&
    account.validator.length === 0
  );
}

/**
 * Checks the domains of ACCOUNT-FIELDS.1, in field order: the nonce a uint64, the four amounts uint256.
 * Throws ACCOUNT_FIELD_INVALID naming the first field outside its domain.
 *
 * @spec ACCOUNT-FIELDS.1
 */
export function checkAccountFields(account: Account): void {
  const fields: readonly [string, bigint, bigint][] = [
    ["nonce", account.nonce, UINT64_LIMIT],
    ["balance", account.balance, UINT256_LIMIT],
    ["delegated", account.delegated, UINT256_LIMIT],
    ["undelegating", account.undelegating, UINT256_LIMIT],
    ["rewards", account.rewards, UINT256_LIMIT],
  ];
  for (let i = 0; i < fields.length; i++) {
    const [name, value, limit] = fields[i]!;
    if (value < 0n || value >= limit) {
      throw new SpecError("ACCOUNT_FIELD_INVALID", `${name} = ${value} is outside [0, ${limit})`);
    }
  }
}

/**
 * The account's RLP item: [nonce, balance, delegated, undelegating, rewards] as scalars, then `validator`.
 *
 * @spec ACCOUNT-RLP.1
 */
export function accountItem(account: Account): Uint8Array[] {
  return [
    scalarToBytes(account.nonce),
    scalarToBytes(account.balance),
    scalarToBytes(account.delegated),
    scalarToBytes(account.undelegating),
    scalarToBytes(account.rewards),
    account.validator,
  ];
}

/**
 * The encoding of an account (the value stored under its address in the state trie).
 *
 * @spec ACCOUNT-RLP.1
 */
export function encodeAccount(account: Account): Uint8Array {
  return rlpEncode(accountItem(account));
}

/** Number of elements of an encoded account. */
export const ACCOUNT_FIELD_COUNT = 6;

/**
 * Decodes an account, rejecting every byte string that is not the encoding of one (ACCOUNT-RLP L1–L8).
 *
 * @spec ACCOUNT-RLP.1
 */
export function decodeAccount(bytes: Uint8Array): Result<Account> {
  return attempt(() => {
    const item = rlpDecodeOrThrow(bytes); // ACCOUNT-RLP L1
    const list = expectRlpList(item, "account"); // ACCOUNT-RLP L2
    if (list.length !== ACCOUNT_FIELD_COUNT) {
      throw new SpecError("ACCOUNT_FIELD_COUNT", `an account has 6 fields, got ${list.length}`); // L3
    }
    const fields: Uint8Array[] = [];
    for (let i = 0; i < list.length; i++) fields.push(expectRlpBytes(list[i]!, `account field ${i}`)); // L4
    const scalars: bigint[] = [];
    for (let i = 0; i < 5; i++) scalars.push(scalarFromBytes(fields[i]!)); // ACCOUNT-RLP L5
    const account: Account = {
      nonce: scalars[0]!,
      balance: scalars[1]!,
      delegated: scalars[2]!,
      undelegating: scalars[3]!,
      rewards: scalars[4]!,
      validator: fields[5]!,
    }; // ACCOUNT-RLP L6
    checkAccountFields(account); // ACCOUNT-RLP L7
    return account; // ACCOUNT-RLP L8
  });
}
