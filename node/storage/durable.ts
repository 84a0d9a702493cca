import type { Certificate } from "../../reference/consensus/certificate.ts";
import type { PersistentConsensusState } from "../../reference/consensus/persist.ts";
import type { CommitVoteRecord, ConsensusMode, Lock } from "../../reference/consensus/state.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * The durable consensus fields (FBFT-PERSIST.3) on disk, but for the ledger, which a node rebuilds from its stored
 * blocks: the view and mode, the lock, the block a new view requires, and every vote it sent at its height. RLP,
 * so that the bytes are canonical; a store that does not decode is refused with the field that is wrong.
 */

/** The durable fields but the ledger and the head certificate, which come with the stored blocks. */
export type VoteRecord = Omit<PersistentConsensusState, "ledger" | "headCert">;

const MODES: readonly ConsensusMode[] = ["normal", "viewChanging"];

const optional = (item: RlpItem | null): RlpItem => (item === null ? [] : [item]);
const certificateItem = (c: Certificate): RlpItem => [c.signature, c.bitmap];

/** The RLP encoding of a node's vote record. */
export function encodeVoteRecord(record: VoteRecord): Uint8Array {
  const lock = record.lock;
  return rlpEncode([
    scalarToBytes(record.view),
    scalarToBytes(BigInt(MODES.indexOf(record.mode))),
    scalarToBytes(record.heightView),
    optional(
      lock === null ? null : [scalarToBytes(lock.view), lock.blockBytes, certificateItem(lock.certificate)],
    ),
    optional(record.required),
    [...record.votedPrepare].map(([view, hash]) => [scalarToBytes(view), hash]),
    record.votedCommit.map((v) => [scalarToBytes(v.blockViewId), v.blockHash]),
    optional(record.lastViewChange === null ? null : scalarToBytes(record.lastViewChange)),
  ]);
}

class StoreCorrupt extends Error {}

function fail(what: string): never {
  throw new StoreCorrupt(`the stored vote record is damaged: ${what}`);
}

function list(item: RlpItem | undefined, what: string, count?: number): readonly RlpItem[] {
  if (item === undefined) fail(`${what} is missing`);
  const l = expectRlpList(item, what);
  if (count !== undefined && l.length !== count) fail(`${what} has ${l.length} items, not ${count}`);
  return l;
}

function maybe<T>(item: RlpItem | undefined, what: string, read: (inner: RlpItem) => T): T | null {
  const l = list(item, what);
  if (l.length > 1) fail(`${what} holds ${l.length} items`);
  return l.length === 0 ? null : read(l[0]!);
}

const scalar = (item: RlpItem) => scalarFromBytes(expectRlpBytes(item, "scalar"));

/** Reads a vote record; throws on damaged bytes, naming the field. */
export function decodeVoteRecord(bytes: Uint8Array, preset: Preset): VoteRecord {
  try {
    const [view, mode, heightView, lock, required, votedPrepare, votedCommit, lastViewChange] = list(
      rlpDecodeOrThrow(bytes),
      "record",
      8,
    );
    const modeIndex = Number(scalar(mode!));
    if (MODES[modeIndex] === undefined) fail(`mode ${modeIndex}`);
    return {
      view: scalar(view!),
      mode: MODES[modeIndex]!,
      heightView: scalar(heightView!),
      lock: maybe(lock, "lock", (item): Lock => {
        const [lockView, blockBytes, certificate] = list(item, "lock", 3);
        const [signature, bitmap] = list(certificate, "lock certificate", 2);
        const raw = expectRlpBytes(blockBytes!, "lock block");
        const block = unwrap(decodeBlock(raw, preset));
        return {
          view: scalar(lockView!),
          hash: headerHash(block.header),
          block,
          blockBytes: raw,
          certificate: {
            signature: expectRlpBytes(signature!, "signature"),
            bitmap: expectRlpBytes(bitmap!, "bitmap"),
          },
        };
      }),
      required: maybe(required, "required", (item) => expectRlpBytes(item, "required")),
      votedPrepare: new Map(
        list(votedPrepare, "votedPrepare").map((pair) => {
          const [v, hash] = list(pair, "prepare vote", 2);
          return [scalar(v!), expectRlpBytes(hash!, "prepare hash")] as const;
        }),
      ),
      votedCommit: list(votedCommit, "votedCommit").map((pair): CommitVoteRecord => {
        const [v, hash] = list(pair, "commit vote", 2);
        return { blockViewId: scalar(v!), blockHash: expectRlpBytes(hash!, "commit hash") };
      }),
      lastViewChange: maybe(lastViewChange, "lastViewChange", scalar),
    };
  } catch (caught) {
    if (caught instanceof StoreCorrupt) throw caught;
    throw new StoreCorrupt(`the stored vote record is damaged: ${(caught as Error).message}`);
  }
}

/** The durable state of a node: its vote record with the ledger and head certificate its stored blocks give. */
export function durableState(
  record: VoteRecord,
  ledger: LedgerState,
  headCert: Certificate | null,
): PersistentConsensusState {
  return { ...record, ledger, headCert };
}
