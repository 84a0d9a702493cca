import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { genesisAddress, genesisSecretKey } from "../../reference/ledger/genesis.ts";
import { getAccount } from "../../reference/ledger/state.ts";
import { signTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";

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

/**
 * Signed value transfers between the preset's genesis accounts of `shard` (GENESIS-KEYS.1): `perBlock`
 * transfers of 1 atto, sender `(blockNum + k) mod A` to the next account, with nonces read from the
 * proposer's own ledger (plus the sender's earlier transfers in the same block), so every block applies.
 */
export function transferWorkload(shard: number, preset: Preset, perBlock: number): Workload {
  const accounts = preset.genesisAccountsPerShard;
  if (accounts < 2) throw new RangeError("transfers need at least two genesis accounts");
  const keys: Uint8Array[] = [];
  const addresses: Uint8Array[] = [];
  for (let i = 0; i < accounts; i++) {
    keys.push(genesisSecretKey(shard, i));
    addresses.push(genesisAddress(shard, i));
  }
  return ({ ledger, blockNum }) => {
    const planned = new Map<number, bigint>();
    const transactions: Transaction[] = [];
    for (let k = 0; k < perBlock; k++) {
      const sender = Number((blockNum + BigInt(k)) % BigInt(accounts));
      const nonce = planned.get(sender) ?? getAccount(ledger.accounts, addresses[sender]!).nonce;
      planned.set(sender, nonce + 1n);
      transactions.push(
        signTransaction(
          {
            kind: "harmony",
            nonce,
            gasPrice: 1n,
            gasLimit: TRANSFER_GAS,
            shardId: shard,
            toShardId: shard,
            to: addresses[(sender + 1) % accounts]!,
            value: 1n,
            data: new Uint8Array(0),
          },
          keys[sender]!,
          preset,
        ),
      );
    }
    return transactions;
  };
}
