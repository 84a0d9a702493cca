/*
 * The transactions of chapter 4 in one import: types, encoding, hashes, signatures, shards, intrinsic gas,
 * stateless admission and the JSON form. Each rule lives in the file named after it; this module only
 * gathers them.
 */

export {
  type AdmittedTransaction,
  checkTransactionStateless,
  MAX_TX_BYTES,
} from "./transactionAdmission.ts";
export {
  decodeTransaction,
  ETHEREUM_FIELD_COUNT,
  encodeTransaction,
  HARMONY_FIELD_COUNT,
  transactionHash,
} from "./transactionCodec.ts";
export {
  ADDRESS_BYTES,
  type Address,
  checkTransactionFields,
  type EthereumTransaction,
  type HarmonyTransaction,
  type Transaction,
  type UnsignedEthereumTransaction,
  type UnsignedHarmonyTransaction,
  type UnsignedTransaction,
} from "./transactionFields.ts";
export {
  intrinsicGas,
  TX_BASE_GAS,
  TX_DATA_NONZERO_GAS,
  TX_DATA_ZERO_GAS,
} from "./transactionIntrinsicGas.ts";
export {
  TransactionJson,
  TransactionJsonOutput,
  type TransactionJsonValue,
  transactionToJson,
  UnsignedTransactionJson,
  type UnsignedTransactionJsonValue,
  unsignedTransactionToJson,
} from "./transactionJson.ts";
export { recoverSender } from "./transactionSender.ts";
export {
  isCrossShard,
  type TransactionShards,
  transactionChainId,
  transactionShards,
} from "./transactionShards.ts";
export { signTransaction } from "./transactionSign.ts";
export { signingHash, signingPreimage } from "./transactionSigningHash.ts";
