import { addressOfSecretKey, SECP256K1_N } from "../crypto/ecdsa.ts";
import { bigintToDecimal } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { emptyTrieRoot } from "../trie/trieRoot.ts";
import { defaultAccount } from "./account.ts";
import type { LedgerState } from "./applyBlock.ts";
import type { BlockHeader } from "./header.ts";
import { type AccountState, type StateEntry, stateFromList, stateRoot } from "./state.ts";
import type { Address } from "./transaction.ts";

/*
 * Genesis (§5.6): labelled keys, the preset's allocation, the genesis state and the genesis header.
 */

/** The integer of a big-endian byte string. */
function os2ip(bytes: Uint8Array): bigint {
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * GENESIS-KEY(s, i) (GENESIS-KEYS L1–L3): the secp256k1 secret key of the preset's genesis account `index` of
 * shard `shard`, keccak256 of the label "harmony-spec genesis account <shard> <index>", re-hashed until it is in
 * [1, n − 1]. `shard` and `index` are non-negative integers; they are written in decimal by the JSON decimal
 * writer, so that no value is written in exponent form.
 *
 * @spec GENESIS-KEYS.1
 */
export function genesisSecretKey(shard: number, index: number): Uint8Array {
  let key = keccak256(
    new TextEncoder().encode(
      `harmony-spec genesis account ${bigintToDecimal(BigInt(shard))} ${bigintToDecimal(BigInt(index))}`,
    ),
  ); // GENESIS-KEYS L1
  for (;;) {
    const k = os2ip(key);
    if (k !== 0n && k < SECP256K1_N) return key; // GENESIS-KEYS L3
    key = keccak256(key); // GENESIS-KEYS L2
  }
}

/**
 * The address of the preset's genesis account `index` of shard `shard` (ECDSA-ADDRESS.1 of its key).
 *
 * @spec GENESIS-KEYS.1
 */
export function genesisAddress(shard: number, index: number): Address {
  return unwrap(addressOfSecretKey(genesisSecretKey(shard, index)));
}

/** One line of an allocation: an address and its genesis balance. */
export interface Allocation {
  readonly address: Address;
  readonly balance: bigint;
}

/**
 * The preset's allocation for a shard: genesis accounts 0 … genesisAccountsPerShard − 1, each with
 * genesisBalance.
 *
 * @spec GENESIS-ALLOCATION.1
 */
export function presetAllocation(shard: number, preset: Preset): Allocation[] {
  const out: Allocation[] = [];
  for (let i = 0; i < preset.genesisAccountsPerShard; i++) {
    out.push({ address: genesisAddress(shard, i), balance: preset.genesisBalance });
  }
  return out;
}

/**
 * GENESIS-ALLOCATION (L1–L2): the genesis state of `shard` from an allocation, through STATE-FROM-LIST.
 *
 * @spec GENESIS-ALLOCATION.1
 */
export function genesisState(
  shard: number,
  allocation: readonly Allocation[],
  preset: Preset,
): Result<AccountState> {
  return attempt(() => {
    validShard(shard, preset); // GENESIS-ALLOCATION L1
    const entries: StateEntry[] = [];
    for (let i = 0; i < allocation.length; i++) {
      entries.push({
        address: allocation[i]!.address,
        account: { ...defaultAccount(), balance: allocation[i]!.balance },
      });
    }
    return unwrap(stateFromList(entries)); // GENESIS-ALLOCATION L2
  });
}

/**
 * The genesis header of `shard` for the genesis state `accounts`: every field fixed by GENESIS-BLOCK.1.
 *
 * @spec GENESIS-BLOCK.1
 */
export function genesisHeader(shard: number, accounts: AccountState, preset: Preset): BlockHeader {
  const empty = emptyTrieRoot();
  return {
    parentHash: new Uint8Array(32),
    coinbase: new Uint8Array(20),
    stateRoot: stateRoot(accounts),
    txRoot: empty,
    receiptRoot: empty,
    outgoingReceiptRoot: empty,
    incomingReceiptRoot: empty,
    number: 0n,
    gasLimit: preset.blockGasLimit,
    gasUsed: 0n,
    time: preset.genesisTime,
    extra: new Uint8Array(0),
    viewId: 0n,
    epoch: 0n,
    shardId: shard,
    lastCommitSignature: new Uint8Array(96),
    lastCommitBitmap: new Uint8Array(0),
    vrf: new Uint8Array(0),
    vdf: new Uint8Array(0),
    shardState: new Uint8Array(0),
    crossLinks: new Uint8Array(0),
    slashes: new Uint8Array(0),
  };
}

/**
 * The starting ledger of a shard: its genesis header and genesis state, from the given allocation or, when it
 * is null, the preset's.
 *
 * @spec GENESIS-ALLOCATION.1 GENESIS-BLOCK.1
 */
export function genesisLedger(
  shard: number,
  allocation: readonly Allocation[] | null,
  preset: Preset,
): Result<LedgerState> {
  return attempt(() => {
    const lines = allocation ?? presetAllocation(validShard(shard, preset), preset);
    const accounts = unwrap(genesisState(shard, lines, preset));
    return { head: genesisHeader(shard, accounts, preset), accounts };
  });
}

/**
 * GENESIS-ALLOCATION L1: the shard id is below the preset's shard count. Also checked before the preset's
 * allocation is derived, since its labels name the shard.
 *
 * @spec GENESIS-ALLOCATION.1
 */
function validShard(shard: number, preset: Preset): number {
  if (!Number.isSafeInteger(shard) || shard < 0 || shard >= preset.numShards) {
    throw new SpecError("GENESIS_SHARD_INVALID", `shard ${shard}; the preset has ${preset.numShards} shards`);
  }
  return shard;
}
