import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { keyGen } from "../../reference/crypto/bls/keyGen.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Account } from "../../reference/ledger/account.ts";
import { type AccountState, addressKey } from "../../reference/ledger/state.ts";
import type { CreateValidator, EditValidator, KeyWithProof } from "../../reference/staking/directives.ts";
import type { Candidate } from "../../reference/staking/election.ts";
import { readRecord, type Status, writeRecord } from "../../reference/staking/record.ts";

/*
 * Stakers for staking tests and vectors: addresses from one byte, BLS keys from labels, with their proofs of
 * possession.
 */

export const ONE = 10n ** 18n;
export const PERCENT = 10n ** 16n;

export function addressOf(byte: number): Uint8Array {
  return new Uint8Array(20).fill(byte);
}

/** A 48-byte string standing for a BLS key of validator `byte`: an election reads keys as bytes only. */
export function electionKey(byte: number, index: number): Uint8Array {
  const key = new Uint8Array(48);
  key[0] = byte;
  key[1] = index;
  return key;
}

/** An election candidate of address `byte` with `keyCount` election keys. */
export function candidateOf(byte: number, stake: bigint, keyCount: number): Candidate {
  return {
    address: addressOf(byte),
    keys: Array.from({ length: keyCount }, (_, i) => electionKey(byte, i)),
    stake,
  };
}

const keyCache = new Map<string, KeyWithProof>();

/** The secret key of a labelled staker's key `index`. */
export function stakerSecret(owner: number, index: number): Uint8Array {
  return unwrap(keyGen(new TextEncoder().encode(`harmony-spec staking test key ${owner}/${index}`)));
}

/** The key of a labelled staker with its proof of possession. */
export function stakerKey(owner: number, index: number): KeyWithProof {
  const label = `${owner}/${index}`;
  const cached = keyCache.get(label);
  if (cached !== undefined) return cached;
  const secret = stakerSecret(owner, index);
  const entry = { key: unwrap(blstBls.secretToPublic(secret)), proof: unwrap(blstBls.popProve(secret)) };
  keyCache.set(label, entry);
  return entry;
}

/** A state in which each listed address holds `balance` and nothing else. */
export function fundedState(balances: readonly [number, bigint][]): AccountState {
  return new Map<string, Account>(
    balances.map(([byte, balance]) => [
      addressKey(addressOf(byte)),
      { nonce: 0n, balance, delegated: 0n, undelegating: 0n, rewards: 0n, validator: new Uint8Array(0) },
    ]),
  );
}

/** A CreateValidator of `owner` with `keyCount` labelled keys: 10 % commission, at most 20 %, 5 % a epoch. */
export function createOf(
  owner: number,
  amount: bigint,
  keyCount = 1,
  limits?: Partial<CreateValidator>,
): CreateValidator {
  return {
    kind: "createValidator",
    description: { name: `validator ${owner}`, identity: "", website: "", securityContact: "", details: "" },
    rate: 10n * PERCENT,
    maxRate: 20n * PERCENT,
    maxChangeRate: 5n * PERCENT,
    minSelfDelegation: 10n * ONE,
    maxTotalDelegation: 1000n * ONE,
    keys: Array.from({ length: keyCount }, (_, i) => stakerKey(owner, i)),
    amount,
    ...limits,
  };
}

/** An EditValidator that changes nothing, to spread one change over. */
export const NO_EDIT: EditValidator = {
  kind: "editValidator",
  description: { name: null, identity: null, website: null, securityContact: null, details: null },
  rate: null,
  minSelfDelegation: null,
  maxTotalDelegation: null,
  keyToRemove: null,
  keyToAdd: null,
  status: null,
};

/** The state with validator `byte`'s status set, as the rewards chapter's ban would. */
export function withStatus(state: AccountState, byte: number, status: Status): AccountState {
  const working = new Map(state);
  writeRecord(working, addressOf(byte), { ...readRecord(state, addressOf(byte))!, status });
  return working;
}
