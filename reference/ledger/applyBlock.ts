import type { RlpItem } from "../encoding/rlp.ts";
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
 * A shard's ledger: its current head header and its state.
 *
 * @spec BLOCK-APPLY.1
 */
export interface LedgerState {
  readonly head: BlockHeader;
  readonly accounts: AccountState;
}

/** What applying a block produced. */
export interface AppliedBlock {
  /** The ledger after the block: the block's header as head, and the new state. */
  readonly state: LedgerState;
  readonly receipts: readonly Receipt[];
  readonly outgoingReceipts: readonly CxReceipt[];
}

/**
 * Chapter 4's stateless check as a function value, so that a faster implementation (a cache filled at pool
 * admission) can stand in for the pure one. Every implementation MUST return what
 * `checkTransactionStateless` returns for the same arguments: the same result or the same error code.
 *
 * @spec BLOCK-APPLY.1
 */
export type StatelessCheck = (
  tx: Transaction,
  preset: Preset,
  shardId: number,
  blockGasLimit: bigint,
) => Result<AdmittedTransaction>;

/** What BLOCK-APPLY L5–L12 compute from the transactions. */
export interface ExecutedTransactions {
  readonly accounts: AccountState;
  readonly gasUsed: bigint;
  readonly receipts: readonly Receipt[];
  readonly outgoingReceipts: readonly CxReceipt[];
}

/**
 * BLOCK-APPLY L5–L12: runs the transactions in order on a copy of `accounts` for a block of shard `shardId`
 * in epoch `epoch` with gas limit `gasLimit`. Throws the SpecError of the first failing transaction; the input is never
 * written. Shared by applyBlock and buildBlock so that proposers and validators run one procedure.
 *
 * @spec BLOCK-APPLY.1 RECEIPT-FORMAT.1
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
  const working = new Map<string, Account>(accounts); // BLOCK-APPLY L5
  let used = 0n;
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
 * BLOCK-APPLY L3–L4: the header's roots are those of the block's body, so that the header, and with it the
 * block's hash, commits to the whole block.
 *
 * @spec BLOCK-APPLY.1
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
 * its transactions leave. The beacon chain's rules run between this and the state root (SHARD-BEACON-BLOCK.2).
 *
 * @spec BLOCK-APPLY.1
 */
export function executeBlock(
  ledger: LedgerState,
  block: Block,
  preset: Preset,
  check: StatelessCheck = checkTransactionStateless,
): ExecutedTransactions {
  const header = block.header;
  validateHeaderOrThrow(header, ledger.head, preset); // BLOCK-APPLY L1
  checkNoIncomingReceipts(block.incomingReceipts); // BLOCK-APPLY L2
  checkBodyRoots(block); // BLOCK-APPLY L3–L4
  const executed = executeTransactions(
    ledger.accounts,
    block.transactions,
    header.shardId,
    header.gasLimit,
    header.epoch,
    preset,
    check,
  ); // BLOCK-APPLY L5–L12
  if (executed.gasUsed !== header.gasUsed) {
    throw new SpecError(
      "BLOCK_GAS_USED_MISMATCH",
      `header claims ${header.gasUsed} gas used, the transactions used ${executed.gasUsed}`,
    ); // BLOCK-APPLY L13
  }
  if (!bytesEqual(header.receiptRoot, receiptRoot(executed.receipts))) {
    throw new SpecError("BLOCK_RECEIPT_ROOT_MISMATCH", "receiptRoot is not the root of the receipts"); // L14
  }
  if (!bytesEqual(header.outgoingReceiptRoot, cxReceiptRoot(executed.outgoingReceipts))) {
    throw new SpecError(
      "BLOCK_OUTGOING_ROOT_MISMATCH",
      "outgoingReceiptRoot is not the root of the outgoing receipts",
    ); // BLOCK-APPLY L15
  }
  return executed;
}

/**
 * BLOCK-APPLY L16: the header's state root is the root of the state after the block.
 *
 * @spec BLOCK-APPLY.1
 */
export function checkStateRoot(header: BlockHeader, accounts: AccountState): void {
  if (!bytesEqual(header.stateRoot, stateRoot(accounts))) {
    throw new SpecError(
      "BLOCK_STATE_ROOT_MISMATCH",
      "stateRoot is not the root of the state after the block",
    ); // L16
  }
}

/**
 * APPLY-BLOCK (BLOCK-APPLY L1–L17): validates the header against the head, checks the body against the header, applies
 * every transaction in order, then checks gas used, receipt root, outgoing receipt root and state root. Pure:
 * on any failure the block is invalid as a whole and `ledger` is untouched. `check` is chapter 4's stateless
 * check unless a faster equivalent is given.
 *
 * @spec BLOCK-APPLY.1
 */
export function applyBlock(
  ledger: LedgerState,
  block: Block,
  preset: Preset,
  check: StatelessCheck = checkTransactionStateless,
): Result<AppliedBlock> {
  return attempt(() => {
    const executed = executeBlock(ledger, block, preset, check); // BLOCK-APPLY L1–L15
    checkStateRoot(block.header, executed.accounts); // BLOCK-APPLY L16
    return {
      state: { head: block.header, accounts: executed.accounts },
      receipts: executed.receipts,
      outgoingReceipts: executed.outgoingReceipts,
    }; // BLOCK-APPLY L17
  });
}

/**
 * BLOCK-APPLY L2: no rule of chapter 5 accepts incoming receipt entries.
 *
 * @spec BLOCK-APPLY.1
 */
export function checkNoIncomingReceipts(entries: readonly RlpItem[]): void {
  if (entries.length > 0) {
    throw new SpecError(
      "BLOCK_INCOMING_NOT_EMPTY",
      `${entries.length} incoming receipt entries; none is accepted before the cross-shard chapter`,
    );
  }
}
