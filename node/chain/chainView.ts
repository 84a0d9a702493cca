import type { AppliedBlock, LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import type { Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * What the JSON-RPC reads of a node's chain: the finalized blocks of its shard with what applying them produced,
 * and the pool that takes new transactions. A node backs it with its storage; tests with memory.
 */

/** A finalized block, its hash, and the ledger, receipts and cross-shard receipts its application left. */
export interface StoredBlock {
  readonly block: Block;
  readonly hash: Uint8Array;
  readonly applied: AppliedBlock;
}

export interface ChainView {
  readonly preset: Preset;
  readonly shard: number;
  /** The genesis ledger of the shard. */
  genesis(): LedgerState;
  /** The ledger at the head: genesis until a block is final. */
  head(): LedgerState;
  /** The block at a height; genesis (0) has no stored block. */
  blockAt(number: bigint): StoredBlock | null;
  /** The block with this header hash (0x hex). */
  blockByHash(hash: string): StoredBlock | null;
  /** Where the transaction with this hash (0x hex) was included. */
  transaction(hash: string): { readonly stored: StoredBlock; readonly index: number } | null;
  /** Admits a transaction to the pool (TX-ADMIT.1) and returns its hash; throws the SpecError of a refusal. */
  submit(tx: Transaction): Uint8Array;
}
