import type { ConsensusMessage } from "../../reference/consensus/messages.ts";
import { decodeMessage, encodeMessage } from "../../reference/consensus/messages.ts";
import { type CrossLink, decodeCrossLinks, encodeCrossLinks } from "../../reference/crossshard/crosslink.ts";
import {
  decodeIncomingEntry,
  type IncomingEntry,
  incomingEntryItem,
} from "../../reference/crossshard/incoming.ts";
import {
  expectRlpBytes,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarToBytes,
} from "../../reference/encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../../reference/errors.ts";
import {
  decodeTransaction,
  encodeTransaction,
  type Transaction,
} from "../../reference/ledger/transaction.ts";
import { UINT32_BOUND } from "../../reference/ledger/transactionFields.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * What nodes publish to each other (§14.5): one topic per shard, and on it envelopes of four kinds, each carrying
 * the wire form a chapter of the specification fixes. A node decodes an envelope completely before anything acts
 * on it, so that a malformed one is dropped, and its sender scored, with a named code.
 */

/**
 * The topic of shard `shard` under a preset: every message a member of that shard's committee needs.
 *
 * @spec P2P-TOPICS.1
 */
export function shardTopic(preset: Preset, shard: number): string {
  return `/harmony-spec/${preset.name}/shard/${shard}/1`;
}

/** The most bytes an envelope may have: a consensus message with the largest block, and room for its fields. */
export const MAX_ENVELOPE_BYTES = 2 * 1024 * 1024;

/** What an envelope carries. @spec P2P-ENVELOPE.1 */
export type Envelope =
  | { readonly kind: "consensus"; readonly shard: number; readonly message: ConsensusMessage }
  | { readonly kind: "crossLink"; readonly shard: number; readonly link: CrossLink }
  | { readonly kind: "incoming"; readonly shard: number; readonly entry: IncomingEntry }
  | { readonly kind: "transaction"; readonly shard: number; readonly transaction: Transaction };

const KINDS = ["consensus", "crossLink", "incoming", "transaction"] as const;

/** The payload bytes of an envelope: the wire form of what it carries. */
function payloadOf(envelope: Envelope): Uint8Array {
  switch (envelope.kind) {
    case "consensus":
      return encodeMessage(envelope.message);
    case "crossLink":
      return encodeCrossLinks([envelope.link]);
    case "incoming":
      return rlpEncode(incomingEntryItem(envelope.entry));
    case "transaction":
      return encodeTransaction(envelope.transaction);
  }
}

/** RLP([SCALAR(kind), SCALAR(shard), payload]). @spec P2P-ENVELOPE.1 */
export function encodeEnvelope(envelope: Envelope): Uint8Array {
  return rlpEncode([
    scalarToBytes(BigInt(KINDS.indexOf(envelope.kind))),
    scalarToBytes(BigInt(envelope.shard)),
    payloadOf(envelope),
  ]);
}

const read = rlpShapeReader((what) => new SpecError("P2P_ENVELOPE_MALFORMED", what));

/**
 * P2P-DECODE (L1–L7): the envelope received on shard `topicShard`'s topic, decoded down to what it carries, or the
 * code of the first thing wrong with it.
 *
 * @spec P2P-ENVELOPE.1
 */
export function decodeEnvelope(bytes: Uint8Array, topicShard: number, preset: Preset): Result<Envelope> {
  return attempt((): Envelope => {
    if (bytes.length > MAX_ENVELOPE_BYTES) {
      throw new SpecError("P2P_ENVELOPE_MALFORMED", `${bytes.length} bytes; at most ${MAX_ENVELOPE_BYTES}`); // L1
    }
    const [kindItem, shardItem, payloadItem] = read.list(rlpDecodeOrThrow(bytes), "envelope", 3); // P2P-DECODE L2
    const kind = KINDS[Number(read.scalarBelow(kindItem!, "kind", 256n))];
    if (kind === undefined) throw new SpecError("P2P_KIND_UNKNOWN", "an envelope kind beyond 3"); // L3
    const shard = Number(read.scalarBelow(shardItem!, "shard", UINT32_BOUND));
    if (shard !== topicShard) {
      throw new SpecError("P2P_WRONG_TOPIC", `an envelope for shard ${shard} on shard ${topicShard}'s topic`); // L4
    }
    const payload = expectRlpBytes(payloadItem!, "payload");
    switch (kind) {
      case "consensus":
        return { kind, shard, message: unwrap(decodeMessage(payload)) }; // P2P-DECODE L5
      case "crossLink": {
        const links = unwrap(decodeCrossLinks(payload));
        if (links.length !== 1) throw new SpecError("P2P_ENVELOPE_MALFORMED", `${links.length} crosslinks`); // L6
        return { kind, shard, link: links[0]! };
      }
      case "incoming":
        return { kind, shard, entry: unwrap(decodeIncomingEntry(rlpDecodeOrThrow(payload), preset)) }; // L6
      case "transaction":
        return { kind, shard, transaction: unwrap(decodeTransaction(payload)) }; // P2P-DECODE L7
    }
  });
}
