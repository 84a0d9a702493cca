import { applyIncomingEntries, type IncomingEntry, incomingEntryItem } from "../crossshard/incoming.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { attempt, type Result } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import {
  type AppliedBlock,
  checkIncomingCount,
  crossShardOf,
  executeTransactions,
  type LedgerState,
  ledgerAfter,
  type StatelessCheck,
} from "./applyBlock.ts";
import { type Block, transactionRoot } from "./block.ts";
import { type BlockHeader, headerHash } from "./header.ts";
import { cxReceiptRoot, incomingReceiptRoot, receiptRoot } from "./receipt.ts";
import { stateRoot } from "./state.ts";
import { checkTransactionStateless, type Transaction } from "./transaction.ts";
import { validateHeaderOrThrow } from "./validateHeader.ts";

/**
 * The header fields a proposer chooses; every other field is derived from the ledger, the preset and the
 * transactions.
 */
export type ProposerFields = Pick<
  BlockHeader,
  | "coinbase"
  | "time"
  | "viewId"
  | "extra"
  | "lastCommitSignature"
  | "lastCommitBitmap"
  | "vrf"
  | "vdf"
  | "shardState"
  | "crossLinks"
  | "slashes"
>;

/** What a proposer may add to its transactions: the incoming entries it chose, and the backends of the checks. */
export interface BuildOptions {
  readonly incoming?: readonly IncomingEntry[];
  readonly check?: StatelessCheck;
  readonly bls?: BlsBackend;
}

/** A built block and the result of applying it. */
export interface BuiltBlock extends AppliedBlock {
  readonly block: Block;
}

/**
 * Builds the block that extends `ledger` with `options.incoming` (in this order), `transactions` (in this order)
 * and the proposer's fields: runs BLOCK-APPLY L5–L12 and fills parentHash, number, epoch, shardId and gasLimit as HEADER-VALIDATE.1 requires
 * and txRoot, incomingReceiptRoot, gasUsed, receiptRoot, outgoingReceiptRoot and stateRoot with the values
 * BLOCK-APPLY L3, L4 and L13–L16 compare. Fails with the code a validator would raise for the same
 * transactions (and HEADER_FIELD_INVALID or a HEADER-VALIDATE code for bad proposer fields); every block it
 * returns is accepted by applyBlock on the same ledger, with the same result.
 *
 * @spec BLOCK-APPLY.3 BLOCK-TX-ROOT.1 RECEIPT-ROOT.1 RECEIPT-CX-ROOT.1 RECEIPT-INCOMING-ROOT.1 STATE-ROOT.2
 */
export function buildBlock(
  ledger: LedgerState,
  transactions: readonly Transaction[],
  fields: ProposerFields,
  preset: Preset,
  options: BuildOptions = {},
): Result<BuiltBlock> {
  return attempt(() => {
    const check = options.check ?? checkTransactionStateless;
    const entries = (options.incoming ?? []).map(incomingEntryItem);
    const parent = ledger.head;
    const number = parent.number + 1n;
    const base: BlockHeader = {
      parentHash: headerHash(parent),
      coinbase: fields.coinbase,
      stateRoot: new Uint8Array(32),
      txRoot: new Uint8Array(32), // a placeholder of the right length until the proposer's fields pass
      receiptRoot: new Uint8Array(32),
      outgoingReceiptRoot: new Uint8Array(32),
      incomingReceiptRoot: incomingReceiptRoot(entries),
      number,
      gasLimit: preset.blockGasLimit,
      gasUsed: 0n,
      time: fields.time,
      extra: fields.extra,
      viewId: fields.viewId,
      epoch: number / BigInt(preset.blocksPerEpoch),
      shardId: parent.shardId,
      lastCommitSignature: fields.lastCommitSignature,
      lastCommitBitmap: fields.lastCommitBitmap,
      vrf: fields.vrf,
      vdf: fields.vdf,
      shardState: fields.shardState,
      crossLinks: fields.crossLinks,
      slashes: fields.slashes,
    };
    // BLOCK-APPLY L1 before L3: the proposer's fields are checked before the transactions are encoded for the
    // root (which rejects a transaction outside TX-FIELDS.1's bounds) or run, so that a block with bad fields
    // and bad transactions fails with the header's code, as applyBlock reports it.
    validateHeaderOrThrow(base, parent, preset);
    checkIncomingCount(entries.length, preset); // BLOCK-APPLY L2
    const txRoot = transactionRoot(transactions); // BLOCK-APPLY L3
    const applied = applyIncomingEntries(
      ledger.accounts,
      crossShardOf(ledger),
      entries,
      base.shardId,
      base.number,
      preset,
      options.bls ?? nobleBls,
    ); // BLOCK-APPLY L5
    const executed = executeTransactions(
      applied.accounts,
      transactions,
      base.shardId,
      base.gasLimit,
      base.epoch,
      preset,
      check,
    );
    const outgoingReceipts = [...applied.outgoing, ...executed.outgoingReceipts];
    const header: BlockHeader = {
      ...base,
      txRoot,
      gasUsed: executed.gasUsed,
      receiptRoot: receiptRoot(executed.receipts),
      outgoingReceiptRoot: cxReceiptRoot(outgoingReceipts),
      stateRoot: stateRoot(executed.accounts, applied.crossShard),
    };
    return {
      block: { header, transactions: [...transactions], incomingReceipts: entries },
      state: ledgerAfter(header, executed.accounts, applied.crossShard),
      receipts: executed.receipts,
      outgoingReceipts,
      incomingReceipts: applied.incoming,
    };
  });
}

/**
 * Proposer fields for tests and vectors: the given time and view id, zero coinbase and commit signature, and
 * every other field empty.
 */
export function plainProposerFields(time: bigint, viewId: bigint): ProposerFields {
  return {
    coinbase: new Uint8Array(20),
    time,
    viewId,
    extra: new Uint8Array(0),
    lastCommitSignature: new Uint8Array(96),
    lastCommitBitmap: new Uint8Array(0),
    vrf: new Uint8Array(0),
    vdf: new Uint8Array(0),
    shardState: new Uint8Array(0),
    crossLinks: new Uint8Array(0),
    slashes: new Uint8Array(0),
  };
}
