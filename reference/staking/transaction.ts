import { nobleBls } from "../crypto/bls/noble.ts";
import { bytesFromHex } from "../encoding/json.ts";
import { SpecError, unwrap } from "../errors.ts";
import type { Account } from "../ledger/account.ts";
import type { Transaction } from "../ledger/transaction.ts";
import type { Preset } from "../params/presets.ts";
import { applyDirectiveTo } from "./apply.ts";
import { decodeDirective } from "./directives.ts";

/** The address directive transactions are sent to: mainnet's staking precompile, 0x…fc. */
export const STAKING_ADDRESS: Uint8Array = bytesFromHex("0x00000000000000000000000000000000000000fc");

/**
 * STAKE-TX(S, tx, s, src, cross, e) (L1–L4), on a working state the caller owns and discards if anything raises:
 * the directive in `tx.data`, sent by `sender` from shard `fromShard`, applied in `epoch`.
 *
 * @spec STAKE-TRANSACTION.1
 */
export function applyStakingTransaction(
  working: Map<string, Account>,
  tx: Transaction,
  sender: Uint8Array,
  fromShard: number,
  crossShard: boolean,
  epoch: bigint,
  preset: Preset,
): void {
  if (fromShard !== 0 || crossShard) {
    throw new SpecError("STAKE_NOT_BEACON", "directives are applied on the beacon chain, shard 0, only"); // L1
  }
  if (tx.value !== 0n) throw new SpecError("STAKE_VALUE_NOT_ZERO", `a directive carries value ${tx.value}`); // L2
  const directive = unwrap(decodeDirective(tx.data)); // L3
  applyDirectiveTo(working, sender, directive, { epoch, preset, bls: nobleBls }); // L4
}
