import type { Transaction, UnsignedTransaction } from "./transactionFields.ts";

/** Gas every transaction pays before its data (Ethereum's G_transaction). */
export const TX_BASE_GAS = 21000n;
/** Gas per zero byte of data (Ethereum's G_txdatazero). */
export const TX_DATA_ZERO_GAS = 4n;
/** Gas per non-zero byte of data (Ethereum's G_txdatanonzero since Istanbul, EIP-2028). */
export const TX_DATA_NONZERO_GAS = 16n;

/**
 * The intrinsic gas of a transaction, Ethereum's Istanbul schedule for a message call: 21000, plus 4 per zero
 * and 16 per non-zero byte of data. There is no contract-creation surcharge: this spec has no contract creation.
 *
 * @spec TX-INTRINSIC-GAS.1
 */
export function intrinsicGas(tx: Transaction | UnsignedTransaction): bigint {
  let zero = 0n;
  let nonZero = 0n;
  for (let i = 0; i < tx.data.length; i++) {
    if (tx.data[i] === 0) zero++;
    else nonZero++;
  }
  return TX_BASE_GAS + zero * TX_DATA_ZERO_GAS + nonZero * TX_DATA_NONZERO_GAS; // TX-INTRINSIC-GAS L1
}
