import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { genesisAddress, genesisSecretKey } from "../../reference/ledger/genesis.ts";
import { getAccount } from "../../reference/ledger/state.ts";
import { signTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { lockAt } from "./atomicTraffic.ts";

/** What a leader's driver knows when it answers `proposalDue`. */
export interface ProposalContext {
  /** The ledger the block will extend (the node's own). */
  readonly ledger: LedgerState;
  readonly blockNum: bigint;
  readonly viewId: bigint;
}

/** Chooses the transactions of a proposal. Must be deterministic: the simulation replays from its seed. */
export type Workload = (context: ProposalContext) => readonly Transaction[];

/** Proposes empty blocks. */
export const emptyWorkload: Workload = () => [];

/** Gas of a plain value transfer (TX-INTRINSIC-GAS.1 with no data). */
const TRANSFER_GAS = 21000n;

/** What a cross-shard transfer of the workload moves. */
export const CROSS_SHARD_VALUE = 10n ** 15n;

/**
 * Signed value transfers from the preset's genesis accounts of `shard` (GENESIS-KEYS.1): `perBlock` transfers of
 * 1 atto, sender `(blockNum + k) mod A` to the next account of the shard, then `crossShardPerBlock` transfers of
 * CROSS_SHARD_VALUE to the same-numbered genesis account of another shard, the shards taken in turn, and, every
 * `atomicEvery` heights (0: never), this shard's lock of the atomic transfer that starts there. Nonces are
 * read from the proposer's own ledger (plus the sender's earlier transfers in the same block), so every block
 * applies.
 */
export function transferWorkload(
  shard: number,
  preset: Preset,
  perBlock: number,
  crossShardPerBlock = 0,
  atomicEvery = 0,
): Workload {
  const accounts = preset.genesisAccountsPerShard;
  if (accounts < 2) throw new RangeError("transfers need at least two genesis accounts");
  const others: number[] = [];
  for (let s = 0; s < preset.numShards; s++) if (s !== shard) others.push(s);
  if (crossShardPerBlock > 0 && others.length === 0)
    throw new RangeError("cross-shard transfers need two shards");
  const keys: Uint8Array[] = [];
  const addresses: Uint8Array[] = [];
  for (let i = 0; i < accounts; i++) {
    keys.push(genesisSecretKey(shard, i));
    addresses.push(genesisAddress(shard, i));
  }
  return ({ ledger, blockNum }) => {
    const planned = new Map<number, bigint>();
    const transactions: Transaction[] = [];
    const nonceOf = (owner: number) => getAccount(ledger.accounts, addresses[owner]!).nonce;
    const sign = (sender: number, toShardId: number, to: Uint8Array, value: bigint) => {
      const nonce = planned.get(sender) ?? nonceOf(sender);
      planned.set(sender, nonce + 1n);
      const fields = {
        kind: "harmony" as const,
        nonce,
        gasPrice: 1n,
        gasLimit: TRANSFER_GAS,
        shardId: shard,
      };
      const body = { ...fields, toShardId, to, value, data: new Uint8Array(0) };
      transactions.push(signTransaction(body, keys[sender]!, preset));
    };
    for (let k = 0; k < perBlock; k++) {
      const sender = Number((blockNum + BigInt(k)) % BigInt(accounts));
      sign(sender, shard, addresses[(sender + 1) % accounts]!, 1n);
    }
    for (let k = 0; k < crossShardPerBlock; k++) {
      const sender = Number((blockNum + BigInt(k)) % BigInt(accounts));
      const destination = others[Number((blockNum + BigInt(k)) % BigInt(others.length))]!;
      sign(sender, destination, genesisAddress(destination, sender), CROSS_SHARD_VALUE);
    }
    const lock =
      atomicEvery > 0
        ? lockAt(shard, blockNum, atomicEvery, preset, (owner) => planned.get(owner) ?? nonceOf(owner))
        : null;
    if (lock !== null) {
      planned.set(lock.owner, lock.unsigned.nonce + 1n);
      transactions.push(signTransaction(lock.unsigned, keys[lock.owner]!, preset));
    }
    return transactions;
  };
}
