import { recoverSigner } from "../crypto/ecdsa.ts";
import { attempt, type Result, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import type { Address, Transaction } from "./transactionFields.ts";
import { transactionChainId } from "./transactionShards.ts";
import { signingHash } from "./transactionSigningHash.ts";

/**
 * The sender of a signed transaction: ECDSA-RECOVER.1 over its signing hash with the chain id of its form.
 * Raises ECDSA_V_INVALID for an Ethereum-form v below 35 and otherwise the codes of ECDSA-RECOVER.1 (a
 * Harmony-form v for another chain id is ECDSA_CHAIN_ID_MISMATCH). It does not check that the chain id is one
 * of the preset's shards; admission (TX-ADMIT.1) does.
 *
 * @spec TX-SENDER.1
 */
export function recoverSender(tx: Transaction, preset: Preset): Result<Address> {
  return attempt(() => {
    const chainId = transactionChainId(tx, preset); // TX-SENDER L1
    return unwrap(recoverSigner(signingHash(tx, preset), tx.v, tx.r, tx.s, chainId)); // TX-SENDER L2
  });
}
