import type { IncomingEntry } from "../crossshard/incoming.ts";
import { unwrap } from "../errors.ts";
import { applyBlock, type LedgerState } from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import { type BuiltBlock, buildBlock, type ProposerFields } from "../ledger/buildBlock.ts";
import type { Transaction } from "../ledger/transaction.ts";
import { BEACON_SHARD } from "../randomness/schedule.ts";
import { applyBeaconBlock, type BeaconChain, beaconChainAt, buildBeaconBlock } from "../sharding/beacon.ts";
import type { ConsensusConfig } from "./state.ts";

/*
 * The chain a committee decides (FBFT-VALIDATE-BLOCK.2, FBFT-PROPOSE.4): a shard's ledger, or on shard 0 the
 * beacon chain state, whose blocks also carry the randomness, rewards and epoch transitions of chapters 9–11.
 */

/** What the chain rules read of a validator's configuration. */
export type ChainConfig = Pick<ConsensusConfig, "shardId" | "preset" | "bls">;

function isBeaconChain(ledger: LedgerState): ledger is BeaconChain {
  return "drg" in ledger && "elected" in ledger && "pending" in ledger;
}

/**
 * The beacon chain state a shard-0 node holds as its ledger (DRG-FBFT-STATE.1). A node starts from a beacon
 * chain state, or from the genesis ledger, where the beacon state holds nothing yet; any other plain ledger
 * lacks the elections and randomness its next block is checked against.
 *
 * @spec DRG-FBFT-STATE.1
 */
export function beaconChainOf(ledger: LedgerState): BeaconChain {
  if (isBeaconChain(ledger)) return ledger;
  if (ledger.head.number === 0n) return beaconChainAt(ledger);
  throw new TypeError(
    `a beacon node at height ${ledger.head.number} needs the beacon chain state, not only the ledger`,
  );
}

/**
 * The ledger a node of `config` starts from: on shard 0 the beacon chain state (beaconChainOf), elsewhere the
 * ledger itself.
 *
 * @spec FBFT-STATE.2 DRG-FBFT-STATE.1
 */
export function chainStart(config: ChainConfig, ledger: LedgerState): LedgerState {
  return config.shardId === BEACON_SHARD ? beaconChainOf(ledger) : ledger;
}

/**
 * CHAIN-APPLY(L, B) (FBFT-VALIDATE-BLOCK L4–L5): SHARD-BEACON-BLOCK on shard 0, APPLY-BLOCK elsewhere; the
 * ledger after B, or their codes.
 *
 * @spec FBFT-VALIDATE-BLOCK.2
 */
export function applyChainBlock(config: ChainConfig, ledger: LedgerState, block: Block): LedgerState {
  if (config.shardId === BEACON_SHARD) {
    return unwrap(applyBeaconBlock(beaconChainOf(ledger), block, config.preset, config.bls)); // L4
  }
  return unwrap(applyBlock(ledger, block, config.preset, undefined, config.bls)).state; // VALIDATE-BLOCK L5
}

/**
 * CHAIN-BUILD (FBFT-PROPOSE L4): BUILD-BLOCK of the chosen incoming entries and transactions, on shard 0 completed
 * with the shard-state field and the state root of the beacon rules, so that the block passes CHAIN-APPLY.
 *
 * @spec FBFT-PROPOSE.4
 */
export function buildChainBlock(
  config: ChainConfig,
  ledger: LedgerState,
  incoming: readonly IncomingEntry[],
  transactions: readonly Transaction[],
  fields: ProposerFields,
): BuiltBlock {
  if (config.shardId === BEACON_SHARD) {
    const chain = beaconChainOf(ledger);
    return unwrap(buildBeaconBlock(chain, transactions, fields, config.preset, config.bls, incoming));
  }
  return unwrap(buildBlock(ledger, transactions, fields, config.preset, { incoming, bls: config.bls }));
}
