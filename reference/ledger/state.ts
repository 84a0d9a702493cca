import {
  type CrossShardState,
  crossShardTrieEntries,
  EMPTY_CROSS_SHARD_STATE,
} from "../crossshard/crossShardState.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { compareBytes, type TrieEntry } from "../trie/trieNode.ts";
import { secureTrieRoot } from "../trie/trieRoot.ts";
import {
  type Account,
  checkAccountFields,
  defaultAccount,
  encodeAccount,
  isEmptyAccount,
} from "./account.ts";
import type { Address } from "./transaction.ts";

/*
 * The state of a shard (§5.1): a map from addresses to non-empty accounts, read and written with GET and SET
 * of STATE-MAP.1, and its root (STATE-ROOT.2).
 */

/** Bytes of an address. */
export const ADDRESS_LENGTH = 20;

/**
 * A shard's state: address (as its 0x lower-case hex form, the map key) → account. No account in it is empty.
 *
 * @spec STATE-MAP.1
 */
export type AccountState = ReadonlyMap<string, Account>;

/** The map key of an address: its JSON-BYTES.1 form. */
export function addressKey(address: Address): string {
  return bytesToHex(address);
}

/**
 * GET(S, x): the account at `address`, or the default account when the state does not hold it.
 *
 * @spec STATE-MAP.1
 */
export function getAccount(state: AccountState, address: Address): Account {
  return state.get(addressKey(address)) ?? defaultAccount();
}

/**
 * SET(S, x, a) on a working copy that the caller owns: removes the address when the account is empty, stores
 * the account otherwise. Rules build a new state by copying the input once and writing into the copy.
 *
 * @spec STATE-MAP.1
 */
export function setAccount(working: Map<string, Account>, address: Address, account: Account): void {
  const key = addressKey(address);
  if (isEmptyAccount(account)) working.delete(key);
  else working.set(key, account);
}

/** An (address, account) pair of a state's list form. */
export interface StateEntry {
  readonly address: Address;
  readonly account: Account;
}

/**
 * STATE-FROM-LIST: reads a state from (address, account) pairs, in order, rejecting an address that is not
 * 20 bytes, an account outside the domains of ACCOUNT-FIELDS.1, an address listed twice, and an empty account.
 *
 * @spec STATE-MAP.1
 */
export function stateFromList(entries: readonly StateEntry[]): Result<AccountState> {
  return attempt(() => {
    const state = new Map<string, Account>(); // STATE-MAP L1
    for (let i = 0; i < entries.length; i++) {
      const { address, account } = entries[i]!; // STATE-MAP L2
      if (address.length !== ADDRESS_LENGTH) {
        throw new SpecError("STATE_ADDRESS_LENGTH", `address ${i} has ${address.length} bytes, not 20`); // L3
      }
      checkAccountFields(account); // STATE-MAP L4
      const key = addressKey(address);
      if (state.has(key)) throw new SpecError("STATE_DUPLICATE_ADDRESS", `${key} is listed twice`); // L5
      if (isEmptyAccount(account)) {
        throw new SpecError("STATE_EMPTY_ACCOUNT", `${key} is empty; empty accounts are not stored`); // L6
      }
      state.set(key, account); // STATE-MAP L7
    }
    return state; // STATE-MAP L8
  });
}

/**
 * The list form of a state, sorted by address bytes ascending (the order the JSON form is written in).
 *
 * @spec STATE-MAP.1
 */
export function stateToList(state: AccountState): StateEntry[] {
  const out: StateEntry[] = [];
  for (const [key, account] of state) out.push({ address: bytesFromHex(key), account });
  out.sort((a, b) => compareBytes(a.address, b.address));
  return out;
}

/**
 * The state root: the secure-trie root of address ↦ RLP(account) over the accounts the state holds, together with
 * the entries of its cross-shard part (CX-STATE.2), whose keys are never 20 bytes long; the empty state has the
 * empty-trie root.
 *
 * @spec STATE-ROOT.2
 */
export function stateRoot(
  state: AccountState,
  crossShard: CrossShardState = EMPTY_CROSS_SHARD_STATE,
): Uint8Array {
  const entries: TrieEntry[] = crossShardTrieEntries(crossShard);
  for (const [key, account] of state) entries.push({ key: bytesFromHex(key), value: encodeAccount(account) });
  // Keys are distinct (map keys of one length, cross-shard keys of others) and no value is empty, so the trie
  // rejects nothing.
  return unwrap(secureTrieRoot(entries));
}
