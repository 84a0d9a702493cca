import type { Committed, ConsensusMessage } from "../../reference/consensus/index.ts";
import { encodeMessage } from "../../reference/consensus/index.ts";
import { type CrossLink, encodeCrossLinks } from "../../reference/crossshard/crosslink.ts";
import { type IncomingEntry, incomingEntryItem } from "../../reference/crossshard/incoming.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { rlpEncode } from "../../reference/encoding/rlp.ts";
import { type Block, encodeBlock } from "../../reference/ledger/block.ts";
import type { MessageCodec } from "../engine/index.ts";

/*
 * What FBFT machines put on the simulated wire: the consensus messages of MSG-FORMAT.2, plus the block sync
 * exchange of the driver (FBFT-EVENTS.5 says the driver of a node "fetches finalized blocks from peers"; how is the driver's
 * business, so these two messages are not consensus messages and have no spec encoding).
 */

/**
 * A finalized block as a node stores it: the block and the committed message that finalized it (the
 * `finalized` output), which is what a peer needs to accept the block by sync (FBFT-SYNC.2).
 */
export interface FinalizedEntry {
  readonly block: Block;
  readonly committed: Committed;
}

/** "Send me your finalized blocks from height `fromHeight` on." */
export interface SyncRequest {
  readonly type: "syncRequest";
  readonly fromHeight: bigint;
}

/** Consecutive finalized blocks, lowest first, answering a SyncRequest. */
export interface SyncResponse {
  readonly type: "syncResponse";
  readonly entries: readonly FinalizedEntry[];
}

/**
 * A crosslink relayed from a shard's member to the beacon committee (XLINK-OF-BLOCK.1 says anyone may relay
 * one; how is the node shell's business).
 */
export interface CrossLinkRelay {
  readonly type: "crossLink";
  readonly link: CrossLink;
}

/**
 * An incoming entry relayed to a shard's members: a final beacon header from a beacon member, or a receipt proof
 * from a member of the source shard (CX-ENTRY-FORMAT.2; anyone may relay one, its proof is its authentication).
 */
export interface IncomingRelay {
  readonly type: "incoming";
  readonly entry: IncomingEntry;
}

export type FbftMessage = ConsensusMessage | SyncRequest | SyncResponse | CrossLinkRelay | IncomingRelay;

const DRIVER_TYPES: ReadonlySet<string> = new Set(["syncRequest", "syncResponse", "crossLink", "incoming"]);

export function isConsensusMessage(message: FbftMessage): message is ConsensusMessage {
  return !DRIVER_TYPES.has(message.type);
}

/** Bytes of a sync request: a type byte and a uint64 height, as a wire format would carry them. */
const SYNC_REQUEST_BYTES = 9;

const sizes = new WeakMap<object, number>();

function measure(message: FbftMessage): number {
  switch (message.type) {
    case "syncRequest":
      return SYNC_REQUEST_BYTES;
    case "syncResponse": {
      let bytes = 1;
      for (const entry of message.entries) {
        bytes += encodeBlock(entry.block).length + encodeMessage(entry.committed).length;
      }
      return bytes;
    }
    case "crossLink":
      return encodeCrossLinks([message.link]).length;
    case "incoming":
      return rlpEncode(incomingEntryItem(message.entry)).length;
    default:
      return encodeMessage(message).length;
  }
}

function shortHash(hash: Uint8Array): string {
  return bytesToHex(hash).slice(0, 10);
}

function describe(message: FbftMessage): string {
  switch (message.type) {
    case "syncRequest":
      return `from height ${message.fromHeight}`;
    case "syncResponse":
      return `${message.entries.length} block(s)`;
    case "crossLink":
      return `shard ${message.link.shardId} height ${message.link.blockNum}`;
    case "incoming":
      return message.entry.kind === "abort"
        ? "abort"
        : `${message.entry.kind} of shard ${message.entry.header.shardId} height ${message.entry.header.number}`;
    case "announce":
    case "prepared":
      return `N=${message.blockNum} v=${message.viewId} ${shortHash(message.blockHash)}`;
    case "prepare":
    case "commit":
      return `N=${message.blockNum} v=${message.viewId} ${shortHash(message.blockHash)} by ${message.signer}`;
    case "committed":
      return `N=${message.blockNum} v=${message.viewId} ${shortHash(message.blockHash)}`;
    case "viewChange":
      return `N=${message.blockNum} v=${message.viewId} by ${message.signer} claim=${message.claim.kind}`;
    case "share":
      return `N=${message.blockNum} v=${message.viewId} by ${message.signer}`;
    case "newView":
      return `N=${message.blockNum} v=${message.viewId} groups=${message.m1.length}`;
  }
}

/**
 * The codec the engine meters FBFT traffic with: a consensus message weighs its RLP encoding (MSG-RLP.2), a
 * sync response its encoded blocks and committed messages; the kind is the message type. Sizes are remembered per
 * message object, since a replayed or re-sent message is the same object.
 */
export const fbftCodec: MessageCodec<FbftMessage> = {
  size(message) {
    let size = sizes.get(message);
    if (size === undefined) {
      size = measure(message);
      sizes.set(message, size);
    }
    return size;
  },
  kind: (message) => message.type,
  describe,
};
