import type { Certificate } from "../../reference/consensus/certificate.ts";
import { commitPayload } from "../../reference/consensus/payloads.ts";
import { type CrossLink, encodeCrossLinks } from "../../reference/crossshard/crosslink.ts";
import type { BeaconEntry, ReceiptEntry } from "../../reference/crossshard/incoming.ts";
import { proveCxReceipt } from "../../reference/crossshard/receiptProof.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import { executeBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { CxReceipt } from "../../reference/ledger/receipt.ts";
import type { Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { applyBeaconBlock, type BeaconChain, beaconChainAt } from "../../reference/sharding/beacon.ts";
import { nextBeaconBlock } from "./beaconChains.ts";
import { certificateBy } from "./consensusSigners.ts";
import { genesisQuorum } from "./crossLinks.ts";
import { genesis } from "./ledgerChains.ts";

/*
 * Test support for §12.5: final beacon blocks with the certificates that finalized them, as beacon entries, and
 * the receipt entries of a source block's outgoing receipts.
 */

/** A final beacon block: the block, the genesis quorum's commit certificate of it, and the chain after it. */
export interface FinalBeaconBlock {
  readonly block: Block;
  readonly certificate: Certificate;
  readonly chain: BeaconChain;
}

/** The commit certificate of the smallest genesis quorum of shard `shard` for a block (FBFT-PAYLOADS.1). */
export function genesisCommitCertificate(preset: Preset, block: Block): Certificate {
  const { signers, committeeSize } = genesisQuorum(preset, block.header.shardId);
  const header = block.header;
  return certificateBy(
    signers,
    commitPayload(header.number, headerHash(header), header.viewId),
    committeeSize,
  );
}

/**
 * Beacon blocks 1 … `count` from genesis, block n holding `transactionsAt(n)` and `crossLinksAt(n)`, each
 * finalized by the genesis committee's smallest quorum.
 */
export function finalBeaconBlocks(
  preset: Preset,
  count: number,
  transactionsAt: (height: bigint) => readonly Transaction[] = () => [],
  crossLinksAt: (height: bigint) => readonly CrossLink[] = () => [],
): FinalBeaconBlock[] {
  let chain = beaconChainAt(genesis(preset, 0));
  const out: FinalBeaconBlock[] = [];
  for (let n = 1n; n <= BigInt(count); n++) {
    const links = encodeCrossLinks(crossLinksAt(n));
    const block = nextBeaconBlock(chain, transactionsAt(n), preset, new Uint8Array(0), links);
    chain = unwrap(applyBeaconBlock(chain, block, preset, blstBls));
    out.push({ block, certificate: genesisCommitCertificate(preset, block), chain });
  }
  return out;
}

/** The beacon entry of a final beacon block (CX-ENTRY-FORMAT.1). */
export function beaconEntry(final: FinalBeaconBlock): BeaconEntry {
  return { kind: "beacon", header: final.block.header, certificate: final.certificate };
}

/** The outgoing receipts of `block` on `ledger` (BLOCK-APPLY L12), on any shard, the beacon chain's included. */
export function outgoingOf(ledger: LedgerState, block: Block, preset: Preset): readonly CxReceipt[] {
  return executeBlock(ledger, block, preset, undefined, blstBls).outgoingReceipts;
}

/** The receipt entry of the `index`-th receipt of `block` bound for `destination`. */
export function receiptEntry(
  block: Block,
  outgoing: readonly CxReceipt[],
  destination: number,
  index: number,
): ReceiptEntry {
  return { kind: "receipt", header: block.header, proof: proveCxReceipt(outgoing, destination, index) };
}
