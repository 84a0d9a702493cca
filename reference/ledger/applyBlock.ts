import { type CrossShardState, EMPTY_CROSS_SHARD_STATE } from "../crossshard/crossShardState.ts";
import { applyIncomingEntries } from "../crossshard/incoming.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import type { Account } from "./account.ts";
import { applyTransactionTo } from "./applyTransaction.ts";
import { type Block, transactionRoot } from "./block.ts";
import type { BlockHeader } from "./header.ts";
import { type CxReceipt, cxReceiptRoot, incomingReceiptRoot, type Receipt, receiptRoot } from "./receipt.ts";
import { type AccountState, stateRoot } from "./state.ts";
import { type AdmittedTransaction, checkTransactionStateless, type Transaction } from "./transaction.ts";
import { bytesEqual, validateHeaderOrThrow } from "./validateHeader.ts";

/**
 * A shard's ledger: its current head header and its state, the accounts and the cross-shard part (absent when
 * empty, as at every genesis).
 *
 * @spec BLOCK-APPLY.3 CX-STATE.2
 */
export interface LedgerState {
  readonly head: BlockHeader;
  readonly accounts: AccountState;
  readonly crossShard?: CrossShardState;
}

/** The cross-shard part of a ledger's state. @spec CX-STATE.2 */
export function crossShardOf(ledger: LedgerState): CrossShardState {
  return ledger.crossShard ?? EMPTY_CROSS_SHARD_STATE;
}

/** What applying a block produced. */
export interface AppliedBlock {
  /** The ledger after the block: the block's header as head, and the new state. */
  readonly state: LedgerState;
  readonly receipts: readonly Receipt[];
  readonly outgoingReceipts: readonly CxReceipt[];
  /** The receipts its incoming entries credited, in entry order. */
  readonly incomingReceipts: readonly CxReceipt[];
}

/**
 * Chapter 4's stateless check as a function value, so that a faster implementation (a cache filled at pool
 * admission) can stand in for the pure one. Every implementation MUST return what
 * `checkTransactionStateless` returns for the same arguments: the same result or the same error code.
 *
 * @spec BLOCK-APPLY.3
 */
export type StatelessCheck = (
  tx: Transaction,
  preset: Preset,
  shardId: number,
  blockGasLimit: bigint,
) => Result<AdmittedTransaction>;

/** What BLOCK-APPLY L5–L12 compute from the incoming entries and the transactions. */
export interface ExecutedBlock extends ExecutedTransactions {
  readonly crossShard: CrossShardState;
  readonly incomingReceipts: readonly CxReceipt[];
}

/** What BLOCK-APPLY L6–L12 compute from the transactions. */
export interface ExecutedTransactions {
  readonly accounts: AccountState;
  readonly gasUsed: bigint;
  readonly receipts: readonly Receipt[];
  readonly outgoingReceipts: readonly CxReceipt[];
}

/**
 * BLOCK-APPLY L6–L12: runs the transactions in order on a copy of `accounts` for a block of shard `shardId`
 * in epoch `epoch` with gas limit `gasLimit`. Throws the SpecError of the first failing transaction; the input is never
 * written. Shared by applyBlock and buildBlock so that proposers and validators run one procedure.
 *
 * @spec BLOCK-APPLY.3 RECEIPT-FORMAT.1
 */
export function executeTransactions(
  accounts: AccountState,
  transactions: readonly Transaction[],
  shardId: number,
  gasLimit: bigint,
  epoch: bigint,
  preset: Preset,
  check: StatelessCheck,
): ExecutedTransactions {
  const working = new Map<string, Account>(accounts);
  let used = 0n; // BLOCK-APPLY L5
  const receipts: Receipt[] = [];
  const outgoingReceipts: CxReceipt[] = [];
  for (let i = 0; i < transactions.length; i++) {
    const tx = transactions[i]!; // BLOCK-APPLY L6
    const admitted = unwrap(check(tx, preset, shardId, gasLimit)); // BLOCK-APPLY L7
    if (tx.gasLimit > gasLimit - used) {
      throw new SpecError(
        "BLOCK_GAS_EXCEEDED",
        `transaction ${i} asks for ${tx.gasLimit} gas; the block has ${gasLimit - used} left`,
      ); // BLOCK-APPLY L8
    }
    const applied = applyTransactionTo(working, tx, admitted, epoch, preset); // BLOCK-APPLY L9
    used += applied.gasUsed; // BLOCK-APPLY L10
    receipts.push({ status: 1, cumulativeGasUsed: used, gasUsed: applied.gasUsed, txHash: admitted.hash }); // L11
    if (applied.cxReceipt !== null) outgoingReceipts.push(applied.cxReceipt); // BLOCK-APPLY L12
  }
  return { accounts: working, gasUsed: used, receipts, outgoingReceipts };
}

/**
 * BLOCK-APPLY L2: a block carries at most maxIncomingEntriesPerBlock incoming entries, which bounds the pairings
 * and proofs its validation costs.
 *
 * @spec BLOCK-APPLY.3
 */
export function checkIncomingCount(count: number, preset: Preset): void {
  if (count > preset.maxIncomingEntriesPerBlock) {
    throw new SpecError(
      "BLOCK_INCOMING_TOO_MANY",
      `${count} incoming entries; a block carries at most ${preset.maxIncomingEntriesPerBlock}`,
    );
  }
}

/**
 * BLOCK-APPLY L3–L4: the header's roots are those of the block's body, so that the header, and with it the
 * block's hash, commits to the whole block.
 *
 * @spec BLOCK-APPLY.3
 */
export function checkBodyRoots(block: Block): void {
  if (!bytesEqual(block.header.txRoot, transactionRoot(block.transactions))) {
    throw new SpecError("BLOCK_TX_ROOT_MISMATCH", "txRoot is not the root of the transactions"); // L3
  }
  if (!bytesEqual(block.header.incomingReceiptRoot, incomingReceiptRoot(block.incomingReceipts))) {
    throw new SpecError("BLOCK_INCOMING_ROOT_MISMATCH", "incomingReceiptRoot is not the root of the entries"); // L4
  }
}

/**
 * BLOCK-APPLY L1–L15: every check of a block but its state root, and the state, receipts and outgoing receipts
 * its incoming entries and transactions leave. The beacon chain's rules run between this and the state root
 * (SHARD-BEACON-BLOCK.3).
 *
 * @spec BLOCK-APPLY.3
 */
export function executeBlock(
  ledger: LedgerState,
  block: Block,
  preset: Preset,
  check: StatelessCheck = checkTransactionStateless,
  bls: BlsBackend = nobleBls,
): ExecutedBlock {
  const header = block.header;
  validateHeaderOrThrow(header, ledger.head, preset); // BLOCK-APPLY L1
  checkIncomingCount(block.incomingReceipts.length, preset); // BLOCK-APPLY L2
  checkBodyRoots(block); // BLOCK-APPLY L3–L4
  const entries = applyIncomingEntries(
    ledger.accounts,
    crossShardOf(ledger),
    block.incomingReceipts,
    header.shardId,
    header.number,
    preset,
    bls,
  ); // BLOCK-APPLY L5
  const executed = executeTransactions(
    entries.accounts,
    block.transactions,
    header.shardId,
    header.gasLimit,
    header.epoch,
    preset,
    check,
  ); // BLOCK-APPLY L6–L12
  if (executed.gasUsed !== header.gasUsed) {
    throw new SpecError(
      "BLOCK_GAS_USED_MISMATCH",
      `header claims ${header.gasUsed} gas used, the transactions used ${executed.gasUsed}`,
    ); // BLOCK-APPLY L13
  }
  if (!bytesEqual(header.receiptRoot, receiptRoot(executed.receipts))) {
    throw new SpecError("BLOCK_RECEIPT_ROOT_MISMATCH", "receiptRoot is not the root of the receipts"); // L14
  }
  const outgoingReceipts = [...entries.outgoing, ...executed.outgoingReceipts]; // BLOCK-APPLY L5, L12
  if (!bytesEqual(header.outgoingReceiptRoot, cxReceiptRoot(outgoingReceipts))) {
    throw new SpecError(
      "BLOCK_OUTGOING_ROOT_MISMATCH",
      "outgoingReceiptRoot is not the root of the outgoing receipts",
    ); // BLOCK-APPLY L15
  }
  return {
    ...executed,
    outgoingReceipts,
    crossShard: entries.crossShard,
    incomingReceipts: entries.incoming,
  };
}

/**
 * BLOCK-APPLY L16: the header's state root is the root of the state after the block.
 *
 * @spec BLOCK-APPLY.3
 */
export function checkStateRoot(
  header: BlockHeader,
  accounts: AccountState,
  crossShard: CrossShardState,
): void {
  if (!bytesEqual(header.stateRoot, stateRoot(accounts, crossShard))) {
    throw new SpecError(
      "BLOCK_STATE_ROOT_MISMATCH",
      "stateRoot is not the root of the state after the block",
    ); // L16
  }
}

/**
 * The ledger a block leaves: its header as head, the accounts and the cross-shard state (left out when empty, so
 * that a ledger that never took an entry keeps the form it had).
 */
export function ledgerAfter(
  header: BlockHeader,
  accounts: AccountState,
  crossShard: CrossShardState,
): LedgerState {
  return crossShard === EMPTY_CROSS_SHARD_STATE
    ? { head: header, accounts }
    : { head: header, accounts, crossShard };
}

/**
 * APPLY-BLOCK (BLOCK-APPLY L1–L17): validates the header against the head, checks the body against the header,
 * applies the incoming entries and then every transaction in order, then checks gas used, receipt root, outgoing
 * receipt root and state root. Pure: on any failure the block is invalid as a whole and `ledger` is untouched.
 * `check` is chapter 4's stateless check unless a faster equivalent is given.
 *
 * @spec BLOCK-APPLY.3
 */
export function applyBlock(
  ledger: LedgerState,
  block: Block,
  preset: Preset,
  check: StatelessCheck = checkTransactionStateless,
  bls: BlsBackend = nobleBls,
): Result<AppliedBlock> {
  return attempt(() => {
    const executed = executeBlock(ledger, block, preset, check, bls); // BLOCK-APPLY L1–L15
    checkStateRoot(block.header, executed.accounts, executed.crossShard); // BLOCK-APPLY L16
    return {
      state: ledgerAfter(block.header, executed.accounts, executed.crossShard),
      receipts: executed.receipts,
      outgoingReceipts: executed.outgoingReceipts,
      incomingReceipts: executed.incomingReceipts,
    }; // BLOCK-APPLY L17
  });
}
