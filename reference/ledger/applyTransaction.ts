import { bytesFromHex } from "../encoding/json.ts";
import { SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { applyStakingTransaction, STAKING_ADDRESS } from "../staking/transaction.ts";
import { type Account, MAX_BALANCE, MAX_NONCE } from "./account.ts";
import type { CxReceipt } from "./receipt.ts";
import { getAccount, setAccount } from "./state.ts";
import { type Address, type AdmittedTransaction, intrinsicGas, type Transaction } from "./transaction.ts";
import { bytesEqual } from "./validateHeader.ts";

/*
 * The effect of one admitted transaction on a shard's state (§5.2): nonce, balance, fee, same-shard transfer
 * and cross-shard debit.
 */

/**
 * The fee collector of a preset as bytes, or null when fees are burnt.
 *
 * @spec FEE-DESTINATION.1
 */
export function feeCollectorAddress(preset: Preset): Address | null {
  return preset.feeCollector === null ? null : bytesFromHex(preset.feeCollector);
}

/**
 * The fee of a transaction: its gas used (the intrinsic gas, since no code runs) times its gas price.
 *
 * @spec FEE-GAS.1
 */
export function transactionFee(tx: Transaction): { readonly gasUsed: bigint; readonly fee: bigint } {
  const gasUsed = intrinsicGas(tx);
  return { gasUsed, fee: gasUsed * tx.gasPrice };
}

/**
 * The up-front cost the sender must be able to pay: value + gasLimit · gasPrice.
 *
 * @spec FEE-GAS.1 ACCOUNT-BALANCE.1
 */
export function upfrontCost(tx: Transaction): bigint {
  return tx.value + tx.gasLimit * tx.gasPrice;
}

/**
 * CREDIT (STATE-APPLY-TX L16–L19): adds `amount` to the balance at `address` in the working state; a balance
 * above 2^256 − 1 raises ACCOUNT_BALANCE_OVERFLOW.
 *
 * @spec STATE-APPLY-TX.2 ACCOUNT-BALANCE.1
 */
export function credit(working: Map<string, Account>, address: Address, amount: bigint): void {
  const account = getAccount(working, address); // STATE-APPLY-TX L16
  const balance = account.balance + amount;
  if (balance > MAX_BALANCE) {
    throw new SpecError("ACCOUNT_BALANCE_OVERFLOW", `crediting ${amount} would exceed 2^256 − 1`); // L15
  }
  setAccount(working, address, { ...account, balance }); // STATE-APPLY-TX L18–L19
}

/** What one applied transaction produced. */
export interface AppliedTransaction {
  readonly gasUsed: bigint;
  readonly fee: bigint;
  /** The outgoing cross-shard receipt, for a cross-shard transaction. */
  readonly cxReceipt: CxReceipt | null;
}

/**
 * APPLY-TX (STATE-APPLY-TX L1–L15) on a working state the caller owns and discards if anything raises: checks the nonce
 * and the up-front cost, charges value + fee and bumps the nonce, then applies the staking directive (a
 * transaction to STAKING_ADDRESS), credits the recipient (same shard) or emits the cross-shard receipt, then
 * credits the fee collector (if the preset has one). `admitted` is the result of chapter 4's stateless check
 * of `tx`; `epoch` is the block's.
 *
 * @spec STATE-APPLY-TX.2 FEE-GAS.1 FEE-DESTINATION.1 ACCOUNT-NONCE.1 ACCOUNT-BALANCE.1 STATE-TRANSFER.1
 * @spec STATE-CROSS-SHARD.1
 */
export function applyTransactionTo(
  working: Map<string, Account>,
  tx: Transaction,
  admitted: AdmittedTransaction,
  epoch: bigint,
  preset: Preset,
): AppliedTransaction {
  const sender = admitted.sender;
  const account = getAccount(working, sender); // STATE-APPLY-TX L1
  if (tx.nonce !== account.nonce) {
    throw new SpecError(
      "ACCOUNT_NONCE_MISMATCH",
      `transaction nonce ${tx.nonce}, account nonce ${account.nonce}`,
    ); // STATE-APPLY-TX L2
  }
  if (account.nonce === MAX_NONCE) {
    throw new SpecError("ACCOUNT_NONCE_OVERFLOW", "the sender's nonce is 2^64 − 1"); // STATE-APPLY-TX L3
  }
  const cost = upfrontCost(tx);
  if (account.balance < cost) {
    throw new SpecError(
      "ACCOUNT_INSUFFICIENT_BALANCE",
      `balance ${account.balance} is below value + gasLimit · gasPrice = ${cost}`,
    ); // STATE-APPLY-TX L4
  }
  const { gasUsed, fee } = transactionFee(tx); // STATE-APPLY-TX L5
  const debited: Account = {
    ...account,
    nonce: account.nonce + 1n,
    balance: account.balance - tx.value - fee,
  }; // STATE-APPLY-TX L6
  setAccount(working, sender, debited); // STATE-APPLY-TX L7
  const to = tx.to;
  if (to === null) throw new SpecError("TX_TO_MISSING", "a transaction must name a recipient"); // admitted: unreachable
  let cxReceipt: CxReceipt | null = null;
  if (bytesEqual(to, STAKING_ADDRESS)) {
    applyStakingTransaction(working, tx, sender, admitted.fromShard, admitted.crossShard, epoch, preset); // L8–L9
  } else if (!admitted.crossShard) {
    credit(working, to, tx.value); // STATE-APPLY-TX L10–L11
  } else {
    cxReceipt = {
      txHash: admitted.hash,
      from: sender,
      to,
      fromShard: admitted.fromShard,
      toShard: admitted.toShard,
      amount: tx.value,
    }; // STATE-APPLY-TX L12–L13
  }
  const collector = feeCollectorAddress(preset);
  if (collector !== null) credit(working, collector, fee); // STATE-APPLY-TX L14
  return { gasUsed, fee, cxReceipt }; // STATE-APPLY-TX L15
}
