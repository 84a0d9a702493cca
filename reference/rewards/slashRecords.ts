import type { SignedVote } from "../consensus/evidence.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { UINT64_LIMIT } from "../ledger/account.ts";
import { UINT32_BOUND } from "../ledger/transactionFields.ts";
import type { SlashRecord } from "./slash.ts";

/*
 * The encoding of slash records in a beacon header's `slashes` field (§11.4).
 */

const VOTE_KINDS = ["prepare", "commit"] as const;

function voteItem(vote: SignedVote): RlpItem {
  return [
    scalarToBytes(BigInt(VOTE_KINDS.indexOf(vote.kind))),
    scalarToBytes(vote.blockNum),
    scalarToBytes(vote.viewId),
    vote.blockHash,
    vote.bitmap,
    vote.signature,
  ];
}

/**
 * SLASH-RECORDS-ENCODE: RLP([[epoch, shard, offender, [first, second]], …]), each vote
 * [kind (0 prepare, 1 commit), blockNum, viewId, blockHash, bitmap, signature].
 *
 * @spec SLASH-RECORD.1
 */
export function encodeSlashRecords(records: readonly SlashRecord[]): Uint8Array {
  return rlpEncode(
    records.map((r) => [
      scalarToBytes(r.epoch),
      scalarToBytes(BigInt(r.shard)),
      r.offender,
      [voteItem(r.evidence.first), voteItem(r.evidence.second)],
    ]),
  );
}

const read = rlpShapeReader((what) => new SpecError("SLASH_RECORD_MALFORMED", what));

function readVote(item: RlpItem, what: string): SignedVote {
  const [kind, blockNum, viewId, blockHash, bitmap, signature] = read.list(item, what, 6) as RlpItem[];
  return {
    kind: VOTE_KINDS[Number(read.scalarBelow(kind!, `${what} kind`, 2n))]!,
    blockNum: read.scalarBelow(blockNum!, `${what} blockNum`, UINT64_LIMIT),
    viewId: read.scalarBelow(viewId!, `${what} viewId`, UINT64_LIMIT),
    blockHash: read.bytes(blockHash!, `${what} blockHash`, 32),
    bitmap: expectRlpBytes(bitmap!, `${what} bitmap`),
    signature: read.bytes(signature!, `${what} signature`, 96),
  };
}

/**
 * SLASH-RECORDS-DECODE (L1–L4): the records a `slashes` field holds; the empty field holds none.
 *
 * @spec SLASH-RECORD.1
 */
export function decodeSlashRecords(bytes: Uint8Array): Result<SlashRecord[]> {
  return attempt(() => {
    if (bytes.length === 0) return []; // L1
    return expectRlpList(rlpDecodeOrThrow(bytes), "slashes").map((item, i) => {
      const [epoch, shard, offender, evidence] = read.list(item, `record ${i}`, 4) as RlpItem[]; // L2
      const [first, second] = read.list(evidence!, `record ${i} evidence`, 2) as RlpItem[]; // L3
      return {
        epoch: read.scalarBelow(epoch!, `record ${i} epoch`, UINT64_LIMIT),
        shard: Number(read.scalarBelow(shard!, `record ${i} shard`, UINT32_BOUND)),
        offender: read.bytes(offender!, `record ${i} offender`, 20),
        evidence: {
          first: readVote(first!, `record ${i} first vote`),
          second: readVote(second!, `record ${i} second vote`),
        },
      }; // L4
    });
  });
}
