import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { type Block, transactionRoot } from "../../reference/ledger/block.ts";
import { type BuiltBlock, buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { genesisAddress, genesisLedger, genesisSecretKey } from "../../reference/ledger/genesis.ts";
import type { BlockHeader } from "../../reference/ledger/header.ts";
import { type Address, signTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * Test support for chapter 5: signing transfers with the labelled genesis keys, building blocks with the
 * reference's builder, and deriving invalid blocks from valid ones. Everything is deterministic.
 */

/** 100 gwei, mainnet's minimum gas price. */
export const GAS_PRICE = 100_000_000_000n;
/** The intrinsic gas of a transfer without data. */
export const TRANSFER_GAS = 21_000n;

/** A preset genesis account: the account `index` of shard `shard`. */
export interface GenesisAccount {
  readonly shard: number;
  readonly index: number;
}

export function addressOf(account: GenesisAccount): Address {
  return genesisAddress(account.shard, account.index);
}

export interface TransferOptions {
  readonly toShard?: number;
  readonly gasPrice?: bigint;
  readonly gasLimit?: bigint;
  readonly data?: Uint8Array;
  /** Ethereum form (same shard only). */
  readonly ethereum?: boolean;
}

/** A transfer signed by a genesis account, from its shard. */
export function transfer(
  preset: Preset,
  from: GenesisAccount,
  nonce: bigint,
  to: Address,
  value: bigint,
  options: TransferOptions = {},
): Transaction {
  const common = {
    nonce,
    gasPrice: options.gasPrice ?? GAS_PRICE,
    gasLimit: options.gasLimit ?? TRANSFER_GAS,
    to,
    value,
    data: options.data ?? new Uint8Array(0),
  };
  const key = genesisSecretKey(from.shard, from.index);
  if (options.ethereum)
    return signTransaction({ kind: "ethereum", shardId: from.shard, ...common }, key, preset);
  return signTransaction(
    { kind: "harmony", shardId: from.shard, toShardId: options.toShard ?? from.shard, ...common },
    key,
    preset,
  );
}

/** The genesis ledger of a shard with the preset's allocation. */
export function genesis(preset: Preset, shard: number): LedgerState {
  return unwrap(genesisLedger(shard, null, preset));
}

/** The block extending `ledger` with `txs`, 2 seconds and one view after the head. */
export function nextBlock(ledger: LedgerState, txs: readonly Transaction[], preset: Preset): BuiltBlock {
  const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
  return unwrap(buildBlock(ledger, txs, fields, preset));
}

/** The block with some header fields replaced (no root is recomputed). */
export function withHeader(block: Block, changes: Partial<BlockHeader>): Block {
  return { ...block, header: { ...block.header, ...changes } };
}

/** The block with other transactions, its txRoot recomputed (so that the body check passes). */
export function withTransactions(block: Block, txs: readonly Transaction[]): Block {
  return { ...block, transactions: txs, header: { ...block.header, txRoot: transactionRoot(txs) } };
}

/** A fixed address no genesis key controls (for recipients that start empty). */
export function freshAddress(n: number): Address {
  const out = new Uint8Array(20);
  out[0] = 0xaa;
  out[18] = (n >>> 8) & 0xff;
  out[19] = n & 0xff;
  return out;
}
