import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { expectRlpList, type RlpItem, rlpEncode, rlpShapeReader, scalarToBytes } from "../encoding/rlp.ts";
import { SpecError } from "../errors.ts";
import { type Account, UINT64_LIMIT, UINT256_LIMIT } from "../ledger/account.ts";
import { credit } from "../ledger/applyTransaction.ts";
import type { CxReceipt } from "../ledger/receipt.ts";
import type { Address, Transaction } from "../ledger/transaction.ts";
import { transactionHash } from "../ledger/transactionCodec.ts";
import type { UnsignedHarmonyTransaction } from "../ledger/transactionFields.ts";
import { UINT32_BOUND } from "../ledger/transactionFields.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import type { AtomicRecord, CrossShardState } from "./crossShardState.ts";

/*
 * Atomic transfers (§12.6): value taken from several owners on several shards and paid to several recipients, all
 * or nothing. Each owner locks its part with an ordinary cross-shard transaction to the decider shard; the decider
 * commits when every part is locked before the deadline and pays the outputs, or aborts and refunds every part it
 * holds. Any party may bring a lock or, after the deadline, an abort.
 */

/**
 * The address a lock is sent to: its receipt can only be taken as a lock.
 *
 * @spec ATOMIC-LOCK.1
 */
export const ATOMIC_ADDRESS: Address = bytesFromHex("0x00000000000000000000000000000000000000fd");

/**
 * A gas limit that covers any lock: the intrinsic gas of a transfer whose 32 bytes of data are all non-zero
 * (TX-INTRINSIC-GAS.1). A lock uses its intrinsic gas only (FEE-GAS.1).
 *
 * @spec ATOMIC-LOCK.1
 */
export const ATOMIC_LOCK_GAS = 21000n + 16n * 32n;

/** The most inputs, and the most outputs, of one atomic transfer. */
export const MAX_ATOMIC_PARTS = 16;

/** One input or output of an atomic transfer: a shard, an address on it, and an amount. */
export interface AtomicPart {
  readonly shard: number;
  readonly address: Address;
  readonly amount: bigint;
}

/**
 * An atomic transfer: its decider shard and deadline (a height of the decider's chain), the inputs (owners and
 * their parts) and the outputs (recipients and what they are paid), and a salt.
 *
 * @spec ATOMIC-FORMAT.1
 */
export interface AtomicTransfer {
  readonly decider: number;
  readonly deadline: bigint;
  readonly inputs: readonly AtomicPart[];
  readonly outputs: readonly AtomicPart[];
  readonly salt: Uint8Array;
}

/** The RLP item of an atomic transfer. @spec ATOMIC-FORMAT.1 */
export function atomicItem(a: AtomicTransfer): RlpItem {
  const parts = (list: readonly AtomicPart[]) =>
    list.map((p) => [scalarToBytes(BigInt(p.shard)), p.address, scalarToBytes(p.amount)]);
  return [
    scalarToBytes(BigInt(a.decider)),
    scalarToBytes(a.deadline),
    parts(a.inputs),
    parts(a.outputs),
    a.salt,
  ];
}

/** ATOMIC-ID(A): keccak256 of the transfer's encoding, the 32 bytes a lock's data names. @spec ATOMIC-FORMAT.1 */
export function atomicId(a: AtomicTransfer): Uint8Array {
  return keccak256(rlpEncode(atomicItem(a)));
}

const read = rlpShapeReader((what) => new SpecError("CX_ATOMIC_MALFORMED", what));

function partsOf(item: RlpItem, what: string): AtomicPart[] {
  return expectRlpList(item, what).map((part, i) => {
    const [shard, address, amount] = read.list(part, `${what}[${i}]`, 3);
    return {
      shard: Number(read.scalarBelow(shard!, `${what}[${i}] shard`, UINT32_BOUND)),
      address: read.bytes(address!, `${what}[${i}] address`, 20),
      amount: read.scalarBelow(amount!, `${what}[${i}] amount`, UINT256_LIMIT),
    };
  });
}

/**
 * ATOMIC-DECODE: reads an atomic transfer from its RLP item, raising CX_ATOMIC_MALFORMED for a wrong shape or a
 * field outside its domain (and the RLP codes of a scalar).
 *
 * @spec ATOMIC-FORMAT.1
 */
export function atomicOfItem(item: RlpItem): AtomicTransfer {
  const [decider, deadline, inputs, outputs, salt] = read.list(item, "atomic transfer", 5);
  return {
    decider: Number(read.scalarBelow(decider!, "decider", UINT32_BOUND)),
    deadline: read.scalarBelow(deadline!, "deadline", UINT64_LIMIT),
    inputs: partsOf(inputs!, "inputs"),
    outputs: partsOf(outputs!, "outputs"),
    salt: read.bytes(salt!, "salt", 32),
  };
}

/**
 * ATOMIC-CHECK(A) (L1–L5): the shards exist, inputs come from shards other than the decider, each owner gives one
 * part, every amount is positive, and the outputs pay out exactly what the inputs bring.
 *
 * @spec ATOMIC-FORMAT.1
 */
export function checkAtomic(a: AtomicTransfer, preset: Preset): void {
  const bad = (what: string): never => {
    throw new SpecError("CX_ATOMIC_MALFORMED", what);
  };
  if (a.decider >= preset.numShards) bad(`decider ${a.decider} is not a shard`); // L1
  const counts = [a.inputs.length, a.outputs.length];
  if (counts.some((c) => c < 1 || c > MAX_ATOMIC_PARTS)) bad(`${counts.join(" inputs, ")} outputs`); // L2
  const owners = new Set<string>();
  let total = 0n;
  for (const input of a.inputs) {
    if (input.shard >= preset.numShards || input.shard === a.decider) bad(`an input of shard ${input.shard}`); // L3
    const owner = `${input.shard} ${bytesToHex(input.address)}`;
    if (owners.has(owner)) bad(`owner ${owner} gives two parts`); // ATOMIC-CHECK L3
    owners.add(owner);
    if (input.amount === 0n) bad("an input of 0"); // ATOMIC-CHECK L4
    total += input.amount;
  }
  for (const output of a.outputs) {
    if (output.shard >= preset.numShards) bad(`an output of shard ${output.shard}`); // ATOMIC-CHECK L1
    if (output.amount === 0n) bad("an output of 0"); // ATOMIC-CHECK L4
    total -= output.amount;
  }
  if (total !== 0n) bad("the outputs do not pay out what the inputs bring"); // ATOMIC-CHECK L5
}

/**
 * The lock of input `index` of `a` (ATOMIC-LOCK.1), for its owner to sign: a cross-shard transaction from the
 * input's shard to ATOMIC_ADDRESS on the decider, of the input's amount, with the transfer's id as data.
 *
 * @spec ATOMIC-LOCK.1
 */
export function atomicLock(
  a: AtomicTransfer,
  index: number,
  nonce: bigint,
  gasPrice: bigint,
  gasLimit: bigint,
): UnsignedHarmonyTransaction {
  const input = a.inputs[index];
  if (input === undefined) throw new RangeError(`the transfer has no input ${index}`);
  return {
    kind: "harmony",
    nonce,
    gasPrice,
    gasLimit,
    shardId: input.shard,
    toShardId: a.decider,
    to: ATOMIC_ADDRESS,
    value: input.amount,
    data: atomicId(a),
  };
}

/** What an atomic entry did: the cross-shard state after it, and the receipts it sends. */
export interface AtomicEffect {
  readonly state: CrossShardState;
  readonly outgoing: readonly CxReceipt[];
}

/** A receipt the decider sends: from ATOMIC_ADDRESS on shard `decider`, naming the transfer's id. */
function payment(id: Uint8Array, decider: number, part: AtomicPart): CxReceipt {
  return {
    txHash: id,
    from: ATOMIC_ADDRESS,
    to: part.address,
    fromShard: decider,
    toShard: part.shard,
    amount: part.amount,
  };
}

function withRecord(state: CrossShardState, id: Uint8Array, record: AtomicRecord): CrossShardState {
  const atomic = new Map(state.atomic);
  atomic.set(bytesToHex(id), record);
  return { ...state, atomic };
}

/**
 * ABORT(X, A, locked) (ATOMIC-ABORT L5–L6): the transfer is aborted, and every part the decider holds goes back to
 * its owner.
 *
 * @spec ATOMIC-ABORT-ENTRY.1
 */
function abort(
  state: CrossShardState,
  a: AtomicTransfer,
  id: Uint8Array,
  locked: readonly number[],
): AtomicEffect {
  const outgoing = locked.map((i) => payment(id, a.decider, a.inputs[i]!));
  return { state: withRecord(state, id, { status: "aborted", locked, escrow: 0n }), outgoing };
}

/** X.atomic[id], or an open record holding nothing. */
function recordOf(state: CrossShardState, id: Uint8Array): AtomicRecord {
  return state.atomic.get(bytesToHex(id)) ?? { status: "open", locked: [], escrow: 0n };
}

/**
 * ATOMIC-LOCK-ENTRY(S, X, r, tx, A, d, N) (L2–L13), after CX-RECEIPT-ENTRY L1–L5 proved the lock receipt `r` and
 * recorded it as spent: the decider `shard`, at height `height`, takes the part `r` locks, commits and pays the
 * outputs when it holds every part before the deadline, and otherwise refunds what cannot serve (a late, stray or
 * second lock, or every part once the deadline has passed). Writes the payments to its own shard into `working`.
 *
 * @spec ATOMIC-LOCK-ENTRY.1
 */
export function takeLock(
  working: Map<string, Account>,
  state: CrossShardState,
  r: CxReceipt,
  tx: Transaction,
  a: AtomicTransfer,
  shard: number,
  height: bigint,
  preset: Preset,
): AtomicEffect {
  if (!bytesEqual(r.to, ATOMIC_ADDRESS)) {
    throw new SpecError("CX_ATOMIC_NOT_LOCK", "the receipt is not sent to the atomic address"); // L2
  }
  const id = atomicId(a);
  if (!bytesEqual(transactionHash(tx), r.txHash) || !bytesEqual(tx.data, id)) {
    throw new SpecError(
      "CX_ATOMIC_LOCK_MISMATCH",
      "the lock's transaction is not the receipt's, or names another transfer",
    ); // L3
  }
  checkAtomic(a, preset); // ATOMIC-LOCK-ENTRY L4
  if (a.decider !== shard) {
    throw new SpecError("CX_ATOMIC_WRONG_DECIDER", `transfer decided by shard ${a.decider}, not ${shard}`); // L4
  }
  const record = recordOf(state, id); // ATOMIC-LOCK-ENTRY L5
  const index = a.inputs.findIndex(
    (p) => p.shard === r.fromShard && bytesEqual(p.address, r.from) && p.amount === r.amount,
  ); // ATOMIC-LOCK-ENTRY L6
  const refund = payment(id, shard, { shard: r.fromShard, address: r.from, amount: r.amount });
  if (record.status === "open" && height > a.deadline) {
    const aborted = abort(state, a, id, record.locked); // ATOMIC-LOCK-ENTRY L7
    return { state: aborted.state, outgoing: [...aborted.outgoing, refund] };
  }
  if (record.status !== "open" || index < 0 || record.locked.includes(index)) {
    return { state, outgoing: [refund] }; // ATOMIC-LOCK-ENTRY L8
  }
  const locked = [...record.locked, index].sort((x, y) => x - y); // ATOMIC-LOCK-ENTRY L9
  if (locked.length < a.inputs.length) {
    return {
      state: withRecord(state, id, { status: "open", locked, escrow: record.escrow + r.amount }),
      outgoing: [],
    }; // L10
  }
  const outgoing: CxReceipt[] = [];
  for (const output of a.outputs) {
    if (output.shard === shard)
      credit(working, output.address, output.amount); // ATOMIC-LOCK-ENTRY L12
    else outgoing.push(payment(id, shard, output)); // ATOMIC-LOCK-ENTRY L12
  }
  return { state: withRecord(state, id, { status: "committed", locked, escrow: 0n }), outgoing }; // L11–L13
}

/**
 * ATOMIC-ABORT-ENTRY(X, A, d, N) (L1–L6): after the deadline, any party aborts an undecided transfer at its decider;
 * the parts it holds are refunded, and a lock that arrives later is refunded on arrival.
 *
 * @spec ATOMIC-ABORT-ENTRY.1
 */
export function abortAtomic(
  state: CrossShardState,
  a: AtomicTransfer,
  shard: number,
  height: bigint,
  preset: Preset,
): AtomicEffect {
  checkAtomic(a, preset); // ATOMIC-ABORT-ENTRY L1
  if (a.decider !== shard) {
    throw new SpecError("CX_ATOMIC_WRONG_DECIDER", `transfer decided by shard ${a.decider}, not ${shard}`); // L1
  }
  if (height <= a.deadline) {
    throw new SpecError("CX_ATOMIC_NOT_EXPIRED", `height ${height} is not after the deadline ${a.deadline}`); // L2
  }
  const id = atomicId(a);
  const record = recordOf(state, id); // ATOMIC-ABORT-ENTRY L3
  if (record.status !== "open") {
    throw new SpecError("CX_ATOMIC_DECIDED", `the transfer is already ${record.status}`); // L4
  }
  return abort(state, a, id, record.locked); // ATOMIC-ABORT-ENTRY L5–L6
}
