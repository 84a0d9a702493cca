import { applyChainBlock } from "../../reference/consensus/index.ts";
import { spentKey } from "../../reference/crossshard/crossShardState.ts";
import { decodeIncomingEntry } from "../../reference/crossshard/incoming.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { executeBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { type CxReceipt, cxReceiptsTo, encodeCxReceipt } from "../../reference/ledger/receipt.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import type { CheckResult } from "./checkers.ts";

/*
 * Checks of a multi-shard run (§12.5): every shard's history is replayed with the reference, and value is followed
 * across shards: conserved block by block and in all, each receipt credited at most once and only as sent, and
 * credited within a bounded number of destination blocks.
 */

/** One finalized block of a shard, as a member observed it, and when. */
export interface ShardBlock {
  readonly block: Block;
  readonly time: number;
}

/** A shard's history: its genesis ledger and its finalized blocks in height order. */
export interface ShardHistory {
  readonly shard: number;
  readonly genesis: LedgerState;
  readonly blocks: readonly ShardBlock[];
}

/** A receipt sent in a run, when its source block was final, and whether and how soon it was credited. */
export interface ReceiptTrace {
  readonly id: string;
  readonly receipt: CxReceipt;
  readonly sentAt: number;
  readonly credited: boolean;
  /** Destination blocks finalized after the source block: up to the crediting one, or all of them while pending. */
  readonly destinationBlocks: number;
}

/** What a run did with value across shards. */
export interface CrossShardReport {
  readonly conservation: CheckResult;
  readonly exactlyOnce: CheckResult;
  readonly receipts: readonly ReceiptTrace[];
  /** Each shard's supply at its last block. */
  readonly supplies: ReadonlyMap<number, bigint>;
  /** The amount of the receipts sent and not yet credited. */
  readonly inFlight: bigint;
}

function holds(detail: string): CheckResult {
  return { holds: true, detail };
}

function fails(detail: string): CheckResult {
  return { holds: false, detail };
}

/** The name of a receipt: its destination and its identity there (CX-INCLUSION.1). */
function receiptName(destination: number, shard: number, number: bigint, index: number): string {
  return `to ${destination} ${spentKey({ shard, number, index })}`;
}

/**
 * Replays every shard's history with the reference and follows every receipt. Conservation: each block changes its
 * shard's supply by what its entries credited minus what its transactions sent away (the fee stays on the shard with
 * its collector, and blocks signed by genesis committees mint nothing), and the supplies plus what is in flight add
 * up to the geneses' total. Exactly-once: no receipt is credited twice, and each credited one is a receipt its source
 * sent to the crediting shard. `carry` is what a node keeps of its state from one block to the next: all of it,
 * unless a test models a node that loses a part.
 */
export function checkCrossShard(
  histories: readonly ShardHistory[],
  preset: Preset,
  bls: BlsBackend,
  carry: (ledger: LedgerState) => LedgerState = (ledger) => ledger,
): CrossShardReport {
  const sent = new Map<string, { receipt: CxReceipt; sentAt: number }>();
  const credited = new Map<string, { shard: number; height: bigint; receipt: CxReceipt }>();
  const blockTimes = new Map<number, readonly ShardBlock[]>();
  const conservation: string[] = [];
  const exactlyOnce: string[] = [];
  const supplies = new Map<number, bigint>();
  let total = 0n;
  for (const history of histories) {
    blockTimes.set(history.shard, history.blocks);
    let ledger = history.genesis;
    total += supplyOf(ledger.accounts);
    const config = { shardId: history.shard, preset, bls };
    for (const { block, time } of history.blocks) {
      ledger = carry(ledger);
      const header = block.header;
      const executed = executeBlock(ledger, block, preset, undefined, bls);
      const after = applyChainBlock(config, ledger, block);
      let moved = 0n;
      const outgoing = executed.outgoingReceipts;
      for (const destination of new Set(outgoing.map((r) => r.toShard))) {
        cxReceiptsTo(outgoing, destination).forEach((receipt, index) => {
          sent.set(receiptName(destination, history.shard, header.number, index), { receipt, sentAt: time });
          moved -= receipt.amount;
        });
      }
      let k = 0;
      for (const item of block.incomingReceipts) {
        const entry = unwrap(decodeIncomingEntry(item, preset));
        if (entry.kind !== "receipt") continue;
        const receipt = executed.incomingReceipts[k++]!;
        const source = entry.header;
        const name = receiptName(history.shard, source.shardId, source.number, entry.proof.index);
        if (credited.has(name)) exactlyOnce.push(`${name} credited again at height ${header.number}`);
        credited.set(name, { shard: history.shard, height: header.number, receipt });
        moved += receipt.amount;
      }
      const change = supplyOf(after.accounts) - supplyOf(ledger.accounts);
      if (change !== moved) {
        conservation.push(
          `shard ${history.shard} height ${header.number}: supply moved by ${change}, receipts by ${moved}`,
        );
      }
      ledger = after;
    }
    supplies.set(history.shard, supplyOf(ledger.accounts));
  }
  for (const [name, { receipt }] of credited) {
    const source = sent.get(name);
    if (source === undefined) exactlyOnce.push(`${name} credited but never sent`);
    else if (bytesToHex(encodeCxReceipt(source.receipt)) !== bytesToHex(encodeCxReceipt(receipt))) {
      exactlyOnce.push(`${name} credited as another receipt than the one sent`);
    }
  }
  const receipts: ReceiptTrace[] = [];
  let inFlight = 0n;
  for (const [name, { receipt, sentAt }] of sent) {
    const credit = credited.get(name);
    if (credit === undefined) inFlight += receipt.amount;
    const after = (blockTimes.get(receipt.toShard) ?? []).filter(
      (b) => b.time > sentAt && (credit === undefined || b.block.header.number <= credit.height),
    );
    receipts.push({
      id: name,
      receipt,
      sentAt,
      credited: credit !== undefined,
      destinationBlocks: after.length,
    });
  }
  let supply = inFlight;
  for (const value of supplies.values()) supply += value;
  if (supply !== total)
    conservation.push(`the shards hold ${supply} with what is in flight, the geneses ${total}`);
  return {
    conservation:
      conservation.length === 0
        ? holds(`${histories.length} shards hold their geneses' ${total} with ${inFlight} in flight`)
        : fails(conservation.join("; ")),
    exactlyOnce:
      exactlyOnce.length === 0
        ? holds(`${credited.size} of ${sent.size} receipt(s) credited, each once and as sent`)
        : fails(exactlyOnce.join("; ")),
    receipts,
    supplies,
    inFlight,
  };
}
