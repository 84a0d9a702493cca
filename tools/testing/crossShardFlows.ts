import type { Certificate } from "../../reference/consensus/certificate.ts";
import { commitPayload } from "../../reference/consensus/payloads.ts";
import { ATOMIC_LOCK_GAS, type AtomicTransfer, atomicLock } from "../../reference/crossshard/atomic.ts";
import { type CrossLink, encodeCrossLinks } from "../../reference/crossshard/crosslink.ts";
import type { BeaconEntry, LockEntry, ReceiptEntry } from "../../reference/crossshard/incoming.ts";
import { proveCxReceipt } from "../../reference/crossshard/receiptProof.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import { executeBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { genesisSecretKey } from "../../reference/ledger/genesis.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { CxReceipt } from "../../reference/ledger/receipt.ts";
import { signTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import type { UnsignedHarmonyTransaction } from "../../reference/ledger/transactionFields.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { applyBeaconBlock, type BeaconChain, beaconChainAt } from "../../reference/sharding/beacon.ts";
import { nextBeaconBlock } from "./beaconChains.ts";
import { certificateBy } from "./consensusSigners.ts";
import { genesisQuorum, linkedBlocks } from "./crossLinks.ts";
import { addressOf, freshAddress, GAS_PRICE, genesis, transfer } from "./ledgerChains.ts";

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

/** The beacon entry of a final beacon block (CX-ENTRY-FORMAT.2). */
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

/** An atomic transfer decided by the beacon chain, the lock entries of a shard-1 block, and the beacon chain. */
export interface AtomicStage {
  /** Owners 0 and 1 of shard 1 give 3 and 4 ONE; 5 ONE are paid on the beacon chain and 2 ONE on shard 1. */
  readonly transfer: AtomicTransfer;
  /** The locks of inputs 0 and 1, then a stray lock of owner 3 (an amount the transfer does not take). */
  readonly locks: readonly [LockEntry, LockEntry, LockEntry];
  /** Owner 2's plain transfer of 1 ONE to the beacon chain, in the same block. */
  readonly plain: ReceiptEntry;
  /** The beacon chain after its block 1, which crosslinks shard 1's block 1. */
  readonly decider: BeaconChain;
}

const ONE = 10n ** 18n;
/** The stage of the atomic tests and vectors; the transfer's deadline is beacon height `deadline`. */
export function atomicStage(preset: Preset, deadline: bigint): AtomicStage {
  const owner = (index: number) => addressOf({ shard: 1, index });
  const transfer: AtomicTransfer = {
    decider: 0,
    deadline,
    inputs: [
      { shard: 1, address: owner(0), amount: 3n * ONE },
      { shard: 1, address: owner(1), amount: 4n * ONE },
    ],
    outputs: [
      { shard: 0, address: freshAddress(0x50), amount: 5n * ONE },
      { shard: 1, address: freshAddress(0x51), amount: 2n * ONE },
    ],
    salt: new Uint8Array(32).fill(7),
  };
  const sign = (index: number, unsigned: UnsignedHarmonyTransaction) =>
    signTransaction(unsigned, genesisSecretKey(1, index), preset);
  const lock0 = sign(0, atomicLock(transfer, 0, 0n, GAS_PRICE, ATOMIC_LOCK_GAS));
  const lock1 = sign(1, atomicLock(transfer, 1, 0n, GAS_PRICE, ATOMIC_LOCK_GAS));
  const plain = transfer1(preset, 2, freshAddress(0x52), ONE);
  const stray = sign(3, { ...atomicLock(transfer, 0, 0n, GAS_PRICE, ATOMIC_LOCK_GAS), value: ONE });
  const source = linkedBlocks(preset, 1, 1, undefined, () => [lock0, lock1, plain, stray])[0]!;
  const block = source.block.block;
  const outgoing = outgoingOf(genesis(preset, 1), block, preset);
  const lockOf = (index: number, transaction: Transaction): LockEntry => ({
    kind: "lock",
    header: block.header,
    proof: proveCxReceipt(outgoing, 0, index),
    transaction,
    transfer,
  });
  const decider = finalBeaconBlocks(preset, 1, undefined, () => [source.crossLink])[0]!.chain;
  return {
    transfer,
    locks: [lockOf(0, lock0), lockOf(1, lock1), lockOf(3, stray)],
    plain: receiptEntry(block, outgoing, 0, 2),
    decider,
  };
}

/** A plain transfer of shard-1 genesis account `index` to `to` on the beacon chain. */
function transfer1(preset: Preset, index: number, to: Uint8Array, value: bigint): Transaction {
  return transfer(preset, { shard: 1, index }, 0n, to, value, { toShard: 0 });
}
