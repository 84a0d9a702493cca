import { z } from "zod";
import type { Committee } from "../consensus/committee.ts";
import {
  bigintToDecimal,
  bytesFromHex,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  hexBytesOfLength,
  hexTextOfLength,
  JsonInt,
} from "../encoding/json.ts";
import { rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import type { TrieEntry } from "../trie/trieNode.ts";

/*
 * The cross-shard part of a shard's state (§12.5): what the shard has learned of the beacon chain, the source
 * headers it knows to be final, and the receipts it has credited. It lives in the state trie beside the accounts
 * (STATE-ROOT.2), so that exactly-once crediting is part of consensus and provable.
 */

/**
 * What a shard other than the beacon chain holds of the beacon chain: its last accepted header (none while
 * `number` is 0), that header's epoch, the beacon committee in force for that epoch (null while the genesis
 * committee serves) and the one the header wrote for the next epoch (null unless it ended an epoch with a new
 * shard state).
 *
 * @spec CX-STATE.2
 */
export interface BeaconView {
  readonly number: bigint;
  readonly hash: Uint8Array;
  readonly epoch: bigint;
  readonly current: Committee | null;
  readonly pending: Committee | null;
}

/**
 * What a decider holds of an atomic transfer (ATOMIC-LOCK-ENTRY.1): open, committed or aborted, the indices of the
 * inputs it took a lock of, ascending, and the amount it holds for them while open.
 *
 * @spec CX-STATE.2
 */
export interface AtomicRecord {
  readonly status: "open" | "committed" | "aborted";
  readonly locked: readonly number[];
  readonly escrow: bigint;
}

/**
 * X = (beacon, final, spent, atomic): the beacon view, the headers known to be final by (shard, number), the
 * receipts credited or taken by (shard, number, index), and the atomic transfers this shard decides, by id. Map
 * and set keys are `finalKey`, `spentKey` and the id's hex.
 *
 * @spec CX-STATE.2
 */
export interface CrossShardState {
  readonly beacon: BeaconView;
  readonly final: ReadonlyMap<string, Uint8Array>;
  readonly spent: ReadonlySet<string>;
  readonly atomic: ReadonlyMap<string, AtomicRecord>;
}

/** A source header's identity: its shard and height. */
export interface HeaderId {
  readonly shard: number;
  readonly number: bigint;
}

/** A receipt's identity at its destination: the source block and the receipt's position (CX-INCLUSION.1). */
export interface ReceiptId extends HeaderId {
  readonly index: number;
}

/** Nothing learned, nothing credited: the cross-shard state of every genesis. @spec CX-STATE.2 */
export const EMPTY_CROSS_SHARD_STATE: CrossShardState = {
  beacon: { number: 0n, hash: new Uint8Array(32), epoch: 0n, current: null, pending: null },
  final: new Map(),
  spent: new Set(),
  atomic: new Map(),
};

/** The trie key tags of CX-STATE.2. Their keys are 1, 13, 17 and 33 bytes long, never an address's 20. */
const BEACON_TAG = 0x01;
const FINAL_TAG = 0x02;
const SPENT_TAG = 0x03;
const ATOMIC_TAG = 0x04;

/** The status numbers of an atomic record in the trie. */
const STATUS_NUMBER = { open: 1n, committed: 2n, aborted: 3n } as const;

/** 0x02 ‖ uint32_be(shard) ‖ uint64_be(number). @spec CX-STATE.2 */
export function finalTrieKey(id: HeaderId): Uint8Array {
  const key = new Uint8Array(13);
  const view = new DataView(key.buffer);
  key[0] = FINAL_TAG;
  view.setUint32(1, id.shard);
  view.setBigUint64(5, id.number);
  return key;
}

/** 0x03 ‖ uint32_be(shard) ‖ uint64_be(number) ‖ uint32_be(index). @spec CX-STATE.2 */
export function spentTrieKey(id: ReceiptId): Uint8Array {
  const key = new Uint8Array(17);
  const view = new DataView(key.buffer);
  key[0] = SPENT_TAG;
  view.setUint32(1, id.shard);
  view.setBigUint64(5, id.number);
  view.setUint32(13, id.index);
  return key;
}

/** The map key of a known final header: the hex of its trie key. */
export function finalKey(id: HeaderId): string {
  return bytesToHex(finalTrieKey(id));
}

/** The set key of a credited receipt: the hex of its trie key. */
export function spentKey(id: ReceiptId): string {
  return bytesToHex(spentTrieKey(id));
}

function headerIdOf(key: string): HeaderId {
  const view = new DataView(bytesFromHex(key).buffer);
  return { shard: view.getUint32(1), number: view.getBigUint64(5) };
}

function receiptIdOf(key: string): ReceiptId {
  const view = new DataView(bytesFromHex(key).buffer);
  return { shard: view.getUint32(1), number: view.getBigUint64(5), index: view.getUint32(13) };
}

/** A committee as an RLP item: [[key, power], …], or the empty list for the genesis committee. */
function committeeItem(committee: Committee | null) {
  return (committee?.members ?? []).map((m) => [m.publicKey, scalarToBytes(m.power)]);
}

/**
 * The trie entries of X (CX-STATE.2): the beacon record once a beacon header has been accepted, one entry per
 * known final header and one per credited receipt.
 *
 * @spec CX-STATE.2
 */
export function crossShardTrieEntries(state: CrossShardState): TrieEntry[] {
  const entries: TrieEntry[] = [];
  const beacon = state.beacon;
  if (beacon.number > 0n) {
    entries.push({
      key: Uint8Array.of(BEACON_TAG),
      value: rlpEncode([
        scalarToBytes(beacon.number),
        beacon.hash,
        scalarToBytes(beacon.epoch),
        committeeItem(beacon.current),
        committeeItem(beacon.pending),
      ]),
    });
  }
  for (const [key, hash] of state.final) entries.push({ key: bytesFromHex(key), value: hash });
  for (const key of state.spent) entries.push({ key: bytesFromHex(key), value: Uint8Array.of(1) });
  for (const [id, record] of state.atomic) {
    const key = new Uint8Array(33);
    key[0] = ATOMIC_TAG;
    key.set(bytesFromHex(id), 1);
    const value = rlpEncode([
      scalarToBytes(STATUS_NUMBER[record.status]),
      record.locked.map((i) => scalarToBytes(BigInt(i))),
      scalarToBytes(record.escrow),
    ]);
    entries.push({ key, value });
  }
  return entries;
}

const MemberJson = z.strictObject({ publicKey: hexBytesOfLength(48), power: DecimalBigInt });

/** The JSON form of X in vectors: the beacon view, the known final headers and the credited receipts, sorted. */
export const CrossShardJson = z.strictObject({
  beacon: z.strictObject({
    number: DecimalBigInt,
    hash: hexBytesOfLength(32),
    epoch: DecimalBigInt,
    current: z.array(MemberJson).nullable(),
    pending: z.array(MemberJson).nullable(),
  }),
  final: z.array(z.strictObject({ shard: JsonInt, number: DecimalBigInt, hash: hexBytesOfLength(32) })),
  spent: z.array(z.strictObject({ shard: JsonInt, number: DecimalBigInt, index: JsonInt })),
  atomic: z.array(
    z.strictObject({
      id: hexBytesOfLength(32),
      status: z.enum(["open", "committed", "aborted"]),
      locked: z.array(JsonInt),
      escrow: DecimalBigInt,
    }),
  ),
});

const MemberJsonOutput = z.strictObject({ publicKey: hexTextOfLength(48), power: DecimalText });

/** The JSON form of X as written: the text form of CrossShardJson. */
export const CrossShardJsonOutput = z.strictObject({
  beacon: z.strictObject({
    number: DecimalText,
    hash: hexTextOfLength(32),
    epoch: DecimalText,
    current: z.array(MemberJsonOutput).nullable(),
    pending: z.array(MemberJsonOutput).nullable(),
  }),
  final: z.array(z.strictObject({ shard: JsonInt, number: DecimalText, hash: hexTextOfLength(32) })),
  spent: z.array(z.strictObject({ shard: JsonInt, number: DecimalText, index: JsonInt })),
  atomic: z.array(
    z.strictObject({
      id: hexTextOfLength(32),
      status: z.enum(["open", "committed", "aborted"]),
      locked: z.array(JsonInt),
      escrow: DecimalText,
    }),
  ),
});

/** Reads the JSON form of X; duplicates collapse, as they name one entry. */
export function crossShardFromJson(json: z.output<typeof CrossShardJson>): CrossShardState {
  const final = new Map<string, Uint8Array>();
  for (const f of json.final) final.set(finalKey({ shard: f.shard, number: f.number }), f.hash);
  const spent = new Set<string>();
  for (const s of json.spent) spent.add(spentKey({ shard: s.shard, number: s.number, index: s.index }));
  const atomic = new Map<string, AtomicRecord>();
  for (const a of json.atomic)
    atomic.set(bytesToHex(a.id), { status: a.status, locked: a.locked, escrow: a.escrow });
  const beacon = json.beacon;
  return {
    beacon: {
      ...beacon,
      current: committeeFromJson(beacon.current),
      pending: committeeFromJson(beacon.pending),
    },
    final,
    spent,
    atomic,
  };
}

/** A committee of the JSON form, with its total power; its keys are checked when a certificate is verified. */
function committeeFromJson(members: z.output<typeof MemberJson>[] | null): Committee | null {
  if (members === null) return null;
  let totalPower = 0n;
  for (const m of members) totalPower += m.power;
  return { members, totalPower };
}

function membersToJson(committee: Committee | null) {
  return committee === null
    ? null
    : committee.members.map((m) => ({ publicKey: bytesToHex(m.publicKey), power: bigintToDecimal(m.power) }));
}

/** The JSON form of X, entries in ascending key order so that a state has one form. */
export function crossShardToJson(state: CrossShardState): z.output<typeof CrossShardJsonOutput> {
  const beacon = state.beacon;
  return {
    beacon: {
      number: bigintToDecimal(beacon.number),
      hash: bytesToHex(beacon.hash),
      epoch: bigintToDecimal(beacon.epoch),
      current: membersToJson(beacon.current),
      pending: membersToJson(beacon.pending),
    },
    final: [...state.final.keys()].sort().map((key) => {
      const id = headerIdOf(key);
      return { shard: id.shard, number: bigintToDecimal(id.number), hash: bytesToHex(state.final.get(key)!) };
    }),
    spent: [...state.spent].sort().map((key) => {
      const id = receiptIdOf(key);
      return { shard: id.shard, number: bigintToDecimal(id.number), index: id.index };
    }),
    atomic: [...state.atomic.keys()].sort().map((id) => {
      const record = state.atomic.get(id)!;
      return {
        id,
        status: record.status,
        locked: [...record.locked],
        escrow: bigintToDecimal(record.escrow),
      };
    }),
  };
}
