import { type Certificate, verifyCertificate } from "../consensus/certificate.ts";
import { type Committee, genesisCommittee } from "../consensus/committee.ts";
import { type Committed, MAX_BITMAP_BYTES } from "../consensus/messages.ts";
import { commitPayload } from "../consensus/payloads.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpShapeReader,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Account } from "../ledger/account.ts";
import { credit } from "../ledger/applyTransaction.ts";
import type { Block } from "../ledger/block.ts";
import { type BlockHeader, decodeHeaderItem, headerHash, headerItem } from "../ledger/header.ts";
import type { CxReceipt } from "../ledger/receipt.ts";
import type { AccountState } from "../ledger/state.ts";
import type { Transaction } from "../ledger/transaction.ts";
import { decodeTransaction, encodeTransaction } from "../ledger/transactionCodec.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import { shardCommittee } from "../sharding/committees.ts";
import { decodeShardState } from "../sharding/shardState.ts";
import {
  ATOMIC_ADDRESS,
  type AtomicTransfer,
  abortAtomic,
  atomicItem,
  atomicOfItem,
  takeLock,
} from "./atomic.ts";
import { decodeCrossLinks } from "./crosslink.ts";
import { type CrossShardState, finalKey, spentKey } from "./crossShardState.ts";
import {
  type CxReceiptProof,
  cxReceiptProofItem,
  cxReceiptProofOfItem,
  verifyCxInclusion,
} from "./receiptProof.ts";

/*
 * The destination side of a transfer (§12.5): the incoming entries of a block, through which a shard follows the
 * beacon chain's final headers, credits the receipts proven against them, each exactly once, and decides the atomic
 * transfers it is the decider of (§12.6).
 */

/**
 * An incoming entry: a final beacon header with the commit certificate that finalized it, or a source header with
 * the proof of one of its receipts.
 *
 * @spec CX-ENTRY-FORMAT.2
 */
export type IncomingEntry = BeaconEntry | ReceiptEntry | LockEntry | AbortEntry;

/** A final beacon header and the commit certificate that finalized it. @spec CX-ENTRY-FORMAT.2 */
export interface BeaconEntry {
  readonly kind: "beacon";
  readonly header: BlockHeader;
  readonly certificate: Certificate;
}

/** A source header and the proof of one of its receipts. @spec CX-ENTRY-FORMAT.2 */
export interface ReceiptEntry {
  readonly kind: "receipt";
  readonly header: BlockHeader;
  readonly proof: CxReceiptProof;
}

/** A lock receipt with the transaction that sent it and the atomic transfer it locks a part of. @spec CX-ENTRY-FORMAT.2 */
export interface LockEntry {
  readonly kind: "lock";
  readonly header: BlockHeader;
  readonly proof: CxReceiptProof;
  readonly transaction: Transaction;
  readonly transfer: AtomicTransfer;
}

/** An atomic transfer whose deadline has passed, to be aborted at its decider. @spec CX-ENTRY-FORMAT.2 */
export interface AbortEntry {
  readonly kind: "abort";
  readonly transfer: AtomicTransfer;
}

const BEACON_KIND = 0n;
const RECEIPT_KIND = 1n;
const LOCK_KIND = 2n;
const ABORT_KIND = 3n;

/**
 * The RLP item of an entry: [0, header, signature, bitmap], [1, header, proof], [2, header, proof, transaction,
 * transfer] or [3, transfer].
 *
 * @spec CX-ENTRY-FORMAT.2
 */
export function incomingEntryItem(entry: IncomingEntry): RlpItem {
  switch (entry.kind) {
    case "beacon":
      return [
        scalarToBytes(BEACON_KIND),
        headerItem(entry.header),
        entry.certificate.signature,
        entry.certificate.bitmap,
      ];
    case "receipt":
      return [scalarToBytes(RECEIPT_KIND), headerItem(entry.header), cxReceiptProofItem(entry.proof)];
    case "lock":
      return [
        scalarToBytes(LOCK_KIND),
        headerItem(entry.header),
        cxReceiptProofItem(entry.proof),
        encodeTransaction(entry.transaction),
        atomicItem(entry.transfer),
      ];
    case "abort":
      return [scalarToBytes(ABORT_KIND), atomicItem(entry.transfer)];
  }
}

const read = rlpShapeReader((what) => new SpecError("CX_ENTRY_MALFORMED", what));

/**
 * CX-ENTRY-DECODE (L1–L8): reads an incoming entry from its RLP item, raising CX_ENTRY_MALFORMED for an unknown kind
 * or a wrong shape, and the codes of HEADER-RLP.1, CX-PROOF-FORMAT.1, TX-DECODE.1 and ATOMIC-FORMAT.1 for a bad
 * header, proof, transaction or transfer.
 *
 * @spec CX-ENTRY-FORMAT.2
 */
export function decodeIncomingEntry(item: RlpItem, preset: Preset): Result<IncomingEntry> {
  return attempt((): IncomingEntry => {
    const list = expectRlpList(item, "incoming entry"); // CX-ENTRY-DECODE L1
    if (list.length === 0) throw new SpecError("CX_ENTRY_MALFORMED", "an incoming entry has no kind");
    const kind = scalarFromBytes(expectRlpBytes(list[0]!, "entry kind")); // CX-ENTRY-DECODE L2
    if (kind === BEACON_KIND) {
      const [, header, signature, bitmap] = read.list(item, "beacon entry", 4); // CX-ENTRY-DECODE L3
      const certificate = {
        signature: read.bytes(signature!, "signature", 96),
        bitmap: expectRlpBytes(bitmap!, "bitmap"),
      };
      if (certificate.bitmap.length > MAX_BITMAP_BYTES) {
        throw new SpecError("CX_ENTRY_MALFORMED", `a bitmap of ${certificate.bitmap.length} bytes`); // L3
      }
      return { kind: "beacon", header: decodeHeaderItem(header!, preset), certificate }; // CX-ENTRY-DECODE L4
    }
    if (kind === RECEIPT_KIND) {
      const [, header, proof] = read.list(item, "receipt entry", 3); // CX-ENTRY-DECODE L5
      return {
        kind: "receipt",
        header: decodeHeaderItem(header!, preset),
        proof: cxReceiptProofOfItem(proof!),
      };
    }
    if (kind === LOCK_KIND) {
      const [, header, proof, transaction, transfer] = read.list(item, "lock entry", 5); // CX-ENTRY-DECODE L6
      return {
        kind: "lock",
        header: decodeHeaderItem(header!, preset),
        proof: cxReceiptProofOfItem(proof!),
        transaction: unwrap(decodeTransaction(expectRlpBytes(transaction!, "lock transaction"))),
        transfer: atomicOfItem(transfer!),
      };
    }
    if (kind === ABORT_KIND) {
      const [, transfer] = read.list(item, "abort entry", 2); // CX-ENTRY-DECODE L7
      return { kind: "abort", transfer: atomicOfItem(transfer!) };
    }
    throw new SpecError("CX_ENTRY_MALFORMED", `entry kind ${kind} is none of 0 … 3`); // CX-ENTRY-DECODE L8
  });
}

/**
 * The beacon entry a member of the beacon committee can relay once it finalizes `block` with `committed`
 * (FBFT-FINALIZE.2): the header and the commit certificate.
 *
 * @spec CX-ENTRY-FORMAT.2
 */
export function beaconEntryOf(block: Block, committed: Committed): BeaconEntry {
  return { kind: "beacon", header: block.header, certificate: committed.certificate };
}

/** The committee that signs beacon blocks of a view's epoch: the one in force, or the genesis committee. */
function beaconCommittee(committee: Committee | null, preset: Preset, bls: BlsBackend): Committee {
  return committee ?? genesisCommittee(0, preset, bls);
}

/**
 * CX-BEACON-ENTRY(X, H, Q, d) (L1–L12): shard `shard` accepts the next final beacon header and learns the final
 * headers it names: its crosslinks and itself. Throws; returns the new cross-shard state.
 *
 * @spec CX-BEACON-ENTRY.1
 */
export function acceptBeaconHeader(
  state: CrossShardState,
  header: BlockHeader,
  certificate: Certificate,
  shard: number,
  preset: Preset,
  bls: BlsBackend,
): CrossShardState {
  const view = state.beacon;
  if (shard === 0) throw new SpecError("CX_BEACON_ON_BEACON", "the beacon chain takes no beacon entries"); // L1
  if (header.shardId !== 0) {
    throw new SpecError("CX_BEACON_NOT_BEACON", `a header of shard ${header.shardId} in a beacon entry`); // L2
  }
  if (header.number !== view.number + 1n) {
    throw new SpecError("CX_BEACON_GAP", `beacon height ${header.number}; the next is ${view.number + 1n}`); // L3
  }
  if (view.number >= 1n && !bytesEqual(header.parentHash, view.hash)) {
    throw new SpecError("CX_BEACON_PARENT_MISMATCH", `beacon header ${header.number} has another parent`); // L4
  }
  const heightEpoch = header.number / BigInt(preset.blocksPerEpoch);
  if (header.epoch !== heightEpoch) {
    throw new SpecError(
      "CX_BEACON_EPOCH_MISMATCH",
      `epoch ${header.epoch}; height ${header.number} is in ${heightEpoch}`,
    ); // CX-BEACON-ENTRY L5
  }
  let current = view.current;
  let pending = view.pending;
  if (header.epoch > view.epoch) {
    if (pending !== null) current = pending; // CX-BEACON-ENTRY L6
    pending = null;
  }
  const committee = beaconCommittee(current, preset, bls); // CX-BEACON-ENTRY L7
  const hash = headerHash(header);
  unwrap(verifyCertificate(certificate, commitPayload(header.number, hash, header.viewId), committee, bls)); // L8
  if (header.shardState.length > 0) {
    const next = unwrap(decodeShardState(header.shardState, preset));
    pending = unwrap(shardCommittee(next, 0, preset, bls)); // CX-BEACON-ENTRY L9
  }
  const final = new Map(state.final);
  for (const x of unwrap(decodeCrossLinks(header.crossLinks))) {
    final.set(finalKey({ shard: x.shardId, number: x.blockNum }), x.blockHash); // CX-BEACON-ENTRY L10
  }
  final.set(finalKey({ shard: 0, number: header.number }), hash); // CX-BEACON-ENTRY L11
  return {
    ...state,
    beacon: { number: header.number, hash, epoch: header.epoch, current, pending },
    final,
  }; // CX-BEACON-ENTRY L12
}

/**
 * CX-RECEIPT-TAKE(X, H, P, d) (L5–L10): the receipt `proof` shows bound for `shard` in the source block `header`,
 * which the shard must know to be final, recorded as spent unless it was before. Throws; returns the new
 * cross-shard state and the receipt.
 *
 * @spec CX-RECEIPT-ENTRY.2
 */
export function takeReceipt(
  state: CrossShardState,
  header: BlockHeader,
  proof: CxReceiptProof,
  shard: number,
): { readonly state: CrossShardState; readonly receipt: CxReceipt } {
  const id = { shard: header.shardId, number: header.number };
  const known = state.final.get(finalKey(id));
  if (known === undefined) {
    throw new SpecError("CX_SOURCE_UNKNOWN", `no final header of shard ${id.shard} at ${id.number} is known`); // L5
  }
  if (!bytesEqual(headerHash(header), known)) {
    throw new SpecError(
      "CX_SOURCE_MISMATCH",
      `the header of shard ${id.shard} at ${id.number} is not the final one`,
    ); // CX-RECEIPT-ENTRY L6
  }
  const receipt = unwrap(verifyCxInclusion(proof, header, shard)); // CX-RECEIPT-ENTRY L7
  const spent = spentKey({ ...id, index: proof.index });
  if (state.spent.has(spent)) {
    throw new SpecError(
      "CX_RECEIPT_SPENT",
      `receipt ${proof.index} of shard ${id.shard} at ${id.number} is taken`,
    ); // CX-RECEIPT-ENTRY L8
  }
  const after = new Set(state.spent);
  after.add(spent); // CX-RECEIPT-ENTRY L9
  return { state: { ...state, spent: after }, receipt }; // CX-RECEIPT-ENTRY L10
}

/**
 * CX-RECEIPT-ENTRY(S, X, H, P, d) (L1–L4): shard `shard` credits the receipt `proof` shows in the known final source
 * block `header`, once; a lock's receipt is taken only by a lock entry. Writes the credit to `working`; throws;
 * returns the new cross-shard state and the receipt.
 *
 * @spec CX-RECEIPT-ENTRY.2
 */
export function creditReceipt(
  working: Map<string, Account>,
  state: CrossShardState,
  header: BlockHeader,
  proof: CxReceiptProof,
  shard: number,
): { readonly state: CrossShardState; readonly receipt: CxReceipt } {
  const taken = takeReceipt(state, header, proof, shard); // CX-RECEIPT-ENTRY L1
  if (bytesEqual(taken.receipt.to, ATOMIC_ADDRESS)) {
    throw new SpecError("CX_RECEIPT_IS_LOCK", "a receipt sent to the atomic address is a lock"); // L2
  }
  credit(working, taken.receipt.to, taken.receipt.amount); // CX-RECEIPT-ENTRY L3
  return taken; // CX-RECEIPT-ENTRY L4
}

/** What one entry did: the cross-shard state after it, the receipt it credited, and the receipts it sends. */
interface EntryEffect {
  readonly state: CrossShardState;
  readonly credited: CxReceipt | null;
  readonly outgoing: readonly CxReceipt[];
}

/**
 * CX-ENTRIES L3–L6 for one decoded entry of a block of shard `shard` at height `height`: writes its credits to
 * `working` and throws its code.
 */
function applyEntry(
  working: Map<string, Account>,
  state: CrossShardState,
  entry: IncomingEntry,
  shard: number,
  height: bigint,
  preset: Preset,
  bls: BlsBackend,
): EntryEffect {
  switch (entry.kind) {
    case "beacon": {
      const next = acceptBeaconHeader(state, entry.header, entry.certificate, shard, preset, bls); // L3
      return { state: next, credited: null, outgoing: [] };
    }
    case "receipt": {
      const credited = creditReceipt(working, state, entry.header, entry.proof, shard); // CX-ENTRIES L4
      return { state: credited.state, credited: credited.receipt, outgoing: [] };
    }
    case "lock": {
      const taken = takeReceipt(state, entry.header, entry.proof, shard); // CX-ENTRIES L5
      const effect = takeLock(
        working,
        taken.state,
        taken.receipt,
        entry.transaction,
        entry.transfer,
        shard,
        height,
        preset,
      ); // CX-ENTRIES L5
      return { state: effect.state, credited: null, outgoing: effect.outgoing };
    }
    case "abort": {
      const effect = abortAtomic(state, entry.transfer, shard, height, preset); // CX-ENTRIES L6
      return { state: effect.state, credited: null, outgoing: effect.outgoing };
    }
  }
}

/**
 * What a block's incoming entries leave: the accounts, the cross-shard state, the receipts credited and the
 * receipts sent (by atomic decisions), in order.
 */
export interface AppliedEntries {
  readonly accounts: Map<string, Account>;
  readonly crossShard: CrossShardState;
  readonly incoming: readonly CxReceipt[];
  readonly outgoing: readonly CxReceipt[];
}

/**
 * CX-ENTRIES(S, X, entries, d, N) (L1–L8): a block's incoming entries, in order, on the state before its
 * transactions, in the block of shard `shard` at height `height`. Throws the first failing entry's code: the block
 * is invalid as a whole.
 *
 * @spec CX-ENTRIES.2
 */
export function applyIncomingEntries(
  accounts: AccountState,
  crossShard: CrossShardState,
  entries: readonly RlpItem[],
  shard: number,
  height: bigint,
  preset: Preset,
  bls: BlsBackend,
): AppliedEntries {
  const working = new Map(accounts); // CX-ENTRIES L1
  let state = crossShard;
  const incoming: CxReceipt[] = [];
  const outgoing: CxReceipt[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = unwrap(decodeIncomingEntry(entries[i]!, preset)); // CX-ENTRIES L2
    const effect = applyEntry(working, state, entry, shard, height, preset, bls); // CX-ENTRIES L3–L6
    state = effect.state;
    if (effect.credited !== null) incoming.push(effect.credited); // CX-ENTRIES L7
    outgoing.push(...effect.outgoing); // CX-ENTRIES L7
  }
  return { accounts: working, crossShard: state, incoming, outgoing }; // CX-ENTRIES L8
}

/**
 * CX-SELECT(S, X, P, d, N) (L1–L6): the entries a proposer of shard `shard` includes in its block of height
 * `height` from its driver's pool: first the beacon chain's next final headers in order, then the other entries
 * that apply, in pool order, up to maxIncomingEntriesPerBlock. An entry that would fail is skipped.
 *
 * @spec CX-SELECT.2
 */
export function selectIncomingEntries(
  accounts: AccountState,
  crossShard: CrossShardState,
  pool: readonly IncomingEntry[],
  shard: number,
  height: bigint,
  preset: Preset,
  bls: BlsBackend,
): IncomingEntry[] {
  const chosen: IncomingEntry[] = []; // CX-SELECT L1
  let state = crossShard;
  let working = new Map(accounts);
  const room = () => chosen.length < preset.maxIncomingEntriesPerBlock;
  const attemptEntry = (entry: IncomingEntry): boolean => {
    const trial = new Map(working);
    const tried = attempt(() => applyEntry(trial, state, entry, shard, height, preset, bls));
    if (!tried.ok) return false;
    working = trial;
    state = tried.value.state;
    chosen.push(entry);
    return true;
  };
  while (shard !== 0 && room()) {
    const wanted = state.beacon.number + 1n;
    const next = pool.find((e) => e.kind === "beacon" && e.header.number === wanted && attemptEntry(e)); // L2–L3
    if (next === undefined) break;
  }
  for (const entry of pool) {
    if (!room()) break;
    if (entry.kind !== "beacon") attemptEntry(entry); // CX-SELECT L4–L5
  }
  return chosen; // CX-SELECT L6
}
