import { type CrossLink, encodeCrossLinks, selectCrossLinks } from "../crossshard/crosslink.ts";
import { type IncomingEntry, selectIncomingEntries } from "../crossshard/incoming.ts";
import { SpecError } from "../errors.ts";
import { crossShardOf } from "../ledger/applyBlock.ts";
import { encodeBlock } from "../ledger/block.ts";
import { plainProposerFields } from "../ledger/buildBlock.ts";
import { headerHash } from "../ledger/header.ts";
import type { Transaction } from "../ledger/transaction.ts";
import { BEACON_SHARD } from "../randomness/schedule.ts";
import { electedFor } from "../sharding/beacon.ts";
import { beaconChainOf, buildChainBlock } from "./chain.ts";
import { proposerDrgFields } from "./drg.ts";
import { leaderOf } from "./leader.ts";
import type { Announce } from "./messages.ts";
import { addPrepare, checkPrepared } from "./normalCase.ts";
import { preparePayload } from "./payloads.ts";
import { signPayload } from "./signatures.ts";
import { type ConsensusConfig, type ConsensusState, heightOf, type Transition } from "./state.ts";
import { rememberValidated } from "./validateBlock.ts";

/**
 * ON-PROPOSE(S, viewId, txs, links, entries, time) (L1–L8): the leader of the current view, in normal mode, builds a
 * block from the driver's transactions, crosslinks (on shard 0), incoming entries and clock reading, announces it with its own PREPARE signature and counts
 * that vote. A view in which this node already prepared a block (before a restart, FBFT-PERSIST.3) gets no
 * second proposal (L2), so that the leader never signs two PREPAREs in one view.
 *
 * @spec FBFT-PROPOSE.4
 */
export function onPropose(
  config: ConsensusConfig,
  t: Transition,
  viewId: bigint,
  transactions: readonly Transaction[],
  crossLinks: readonly CrossLink[],
  entries: readonly IncomingEntry[],
  time: bigint,
): void {
  const state = t.state;
  const view = state.view;
  const me = config.me;
  if (
    me === null ||
    me !== leaderOf(view, config.committee, config.preset) ||
    state.mode !== "normal" ||
    viewId !== view
  ) {
    throw new SpecError("FBFT_NOT_PROPOSER", `view ${viewId}: this node does not lead it in normal mode`); // L1
  }
  if (state.proposal !== null || state.required !== null || state.votedPrepare.has(view)) {
    throw new SpecError("FBFT_ALREADY_PROPOSED", `view ${view} already has a proposal`); // ON-PROPOSE L2
  }
  const head = state.ledger.head;
  const headCert = state.headCert;
  const fields = {
    ...plainProposerFields(time > head.time ? time : head.time + 1n, view),
    lastCommitSignature: headCert === null ? new Uint8Array(96) : headCert.signature,
    lastCommitBitmap: headCert === null ? new Uint8Array(0) : headCert.bitmap,
    ...proposerDrgFields(config, state),
    crossLinks: proposerCrossLinks(config, state, crossLinks),
  }; // ON-PROPOSE L3
  const ledger = state.ledger;
  const incoming = selectIncomingEntries(
    ledger.accounts,
    crossShardOf(ledger),
    entries,
    config.shardId,
    heightOf(state),
    config.preset,
    config.bls,
  ); // ON-PROPOSE L3
  const built = buildChainBlock(config, ledger, incoming, transactions, fields); // ON-PROPOSE L4
  const hash = headerHash(built.block.header); // ON-PROPOSE L5
  const signature = signPayload(config, preparePayload(heightOf(state), hash, view));
  const blockBytes = encodeBlock(built.block);
  rememberValidated(t, hash, built.block, built.state);
  const votedPrepare = new Map(t.state.votedPrepare);
  votedPrepare.set(view, hash);
  t.state = {
    ...t.state,
    proposal: { hash, block: built.block, blockBytes, ledger: built.state, signature },
    votedPrepare,
  }; // ON-PROPOSE L6
  const counted = addPrepare(config, t, hash, me, signature); // ON-PROPOSE L6: own vote
  const announce: Announce = {
    type: "announce",
    shardId: config.shardId,
    blockNum: heightOf(t.state),
    viewId: view,
    blockHash: hash,
    block: blockBytes,
    signature,
  };
  t.outputs.push({ kind: "broadcast", message: announce }); // ON-PROPOSE L7
  if (counted) checkPrepared(config, t); // ON-PROPOSE L8
}

/**
 * ON-PROPOSE L3's crosslinks: on the beacon chain, XLINK-SELECT of the driver's pool for the block's epoch; none
 * elsewhere.
 *
 * @spec FBFT-PROPOSE.4 XLINK-SELECT.1
 */
function proposerCrossLinks(
  config: ConsensusConfig,
  state: ConsensusState,
  pool: readonly CrossLink[],
): Uint8Array {
  if (config.shardId !== BEACON_SHARD || pool.length === 0) return new Uint8Array(0);
  const chain = beaconChainOf(state.ledger);
  const epoch = heightOf(state) / BigInt(config.preset.blocksPerEpoch);
  const chosen = selectCrossLinks(
    pool,
    chain.crossLinked,
    electedFor(chain, epoch),
    epoch,
    config.preset,
    config.bls,
  );
  return encodeCrossLinks(chosen);
}
