import { applyChainBlock } from "../../reference/consensus/index.ts";
import { ATOMIC_ADDRESS, type AtomicTransfer, atomicId } from "../../reference/crossshard/atomic.ts";
import { type AtomicRecord, spentKey } from "../../reference/crossshard/crossShardState.ts";
import { decodeIncomingEntry } from "../../reference/crossshard/incoming.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { crossShardOf, executeBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import {
  type CxReceipt,
  cxReceiptsTo,
  decodeCxReceipt,
  encodeCxReceipt,
} from "../../reference/ledger/receipt.ts";
import { bytesEqual } from "../../reference/ledger/validateHeader.ts";
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
  /** Atomic transfers: each committed one paid every output and refunded nothing, each aborted one the reverse. */
  readonly atomicity: CheckResult;
  /** How many atomic transfers ended committed, aborted, or are still open. */
  readonly atomicOutcomes: { readonly committed: number; readonly aborted: number; readonly open: number };
  readonly receipts: readonly ReceiptTrace[];
  /** Each shard's supply at its last block, and what it holds in escrow for atomic transfers. */
  readonly supplies: ReadonlyMap<number, bigint>;
  readonly escrows: ReadonlyMap<number, bigint>;
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
 * shard's supply and escrow by what its entries credited or took as locks minus what it sent away (the fee stays on
 * the shard with its collector, and blocks signed by genesis committees mint nothing), and the supplies, escrows and
 * what is in flight add up to the geneses' total. Exactly-once: no receipt is credited or taken twice, and each one
 * is a receipt its source sent to that shard. Atomicity: every atomic transfer brought to its decider ended paying
 * all its outputs and refunding none of its parts, or paying none and refunding every part held. `carry` is what a node keeps of its state from one block to the next: all of it,
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
  const escrows = new Map<number, bigint>();
  const transfers = new Map<string, AtomicTransfer>();
  const decisions: CxReceipt[] = [];
  const records = new Map<string, AtomicRecord>();
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
      for (const receipt of outgoing) if (bytesEqual(receipt.from, ATOMIC_ADDRESS)) decisions.push(receipt);
      let k = 0;
      for (const item of block.incomingReceipts) {
        const entry = unwrap(decodeIncomingEntry(item, preset));
        if (entry.kind === "abort") transfers.set(bytesToHex(atomicId(entry.transfer)), entry.transfer);
        if (entry.kind !== "receipt" && entry.kind !== "lock") continue;
        if (entry.kind === "lock") transfers.set(bytesToHex(atomicId(entry.transfer)), entry.transfer);
        const receipt =
          entry.kind === "receipt"
            ? executed.incomingReceipts[k++]!
            : unwrap(decodeCxReceipt(entry.proof.receipt));
        const source = entry.header;
        const name = receiptName(history.shard, source.shardId, source.number, entry.proof.index);
        if (credited.has(name)) exactlyOnce.push(`${name} taken again at height ${header.number}`);
        credited.set(name, { shard: history.shard, height: header.number, receipt });
        moved += receipt.amount;
      }
      const change =
        supplyOf(after.accounts) + escrowOf(after) - supplyOf(ledger.accounts) - escrowOf(ledger);
      if (change !== moved) {
        conservation.push(
          `shard ${history.shard} height ${header.number}: supply and escrow moved by ${change}, receipts by ${moved}`,
        );
      }
      ledger = after;
    }
    supplies.set(history.shard, supplyOf(ledger.accounts));
    escrows.set(history.shard, escrowOf(ledger));
    for (const [id, record] of crossShardOf(ledger).atomic) records.set(id, record);
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
  for (const value of escrows.values()) supply += value;
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
    ...atomicityOf(transfers, records, decisions),
    receipts,
    supplies,
    escrows,
    inFlight,
  };
}

/** What a shard holds in escrow for the atomic transfers it decides. */
function escrowOf(ledger: LedgerState): bigint {
  let held = 0n;
  for (const record of crossShardOf(ledger).atomic.values()) held += record.escrow;
  return held;
}

/**
 * All or nothing, from the decisions' receipts (those sent from ATOMIC_ADDRESS, naming the transfer's id): a
 * committed transfer paid each output on another shard once and refunded no part it held; an aborted one paid no
 * output and refunded each part it held once.
 */
function atomicityOf(
  transfers: ReadonlyMap<string, AtomicTransfer>,
  records: ReadonlyMap<string, AtomicRecord>,
  decisions: readonly CxReceipt[],
): Pick<CrossShardReport, "atomicity" | "atomicOutcomes"> {
  const problems: string[] = [];
  const outcomes = { committed: 0, aborted: 0, open: 0 };
  const count = (list: readonly CxReceipt[], shard: number, address: Uint8Array, amount: bigint) =>
    list.filter((r) => r.toShard === shard && bytesEqual(r.to, address) && r.amount === amount).length;
  for (const [id, transfer] of transfers) {
    const record = records.get(id);
    const status = record?.status ?? "open";
    outcomes[status]++;
    const mine = decisions.filter((r) => bytesToHex(r.txHash) === id);
    const remote = transfer.outputs.filter((o) => o.shard !== transfer.decider);
    const held = (record?.locked ?? []).map((i) => transfer.inputs[i]!);
    const paid = remote.map((o) => count(mine, o.shard, o.address, o.amount));
    const refunded = held.map((p) => count(mine, p.shard, p.address, p.amount));
    if (status === "committed" && (paid.some((n) => n !== 1) || refunded.some((n) => n !== 0))) {
      problems.push(
        `${id} committed: outputs paid ${paid.join(",")} times, parts refunded ${refunded.join(",")}`,
      );
    }
    if (status === "aborted" && (paid.some((n) => n !== 0) || refunded.some((n) => n !== 1))) {
      problems.push(
        `${id} aborted: outputs paid ${paid.join(",")} times, parts refunded ${refunded.join(",")}`,
      );
    }
    if (status === "open" && mine.length > 0) problems.push(`${id} open, with ${mine.length} payment(s)`);
  }
  const detail = `${outcomes.committed} committed, ${outcomes.aborted} aborted, ${outcomes.open} open`;
  return {
    atomicity: problems.length === 0 ? holds(detail) : fails(problems.join("; ")),
    atomicOutcomes: outcomes,
  };
}
