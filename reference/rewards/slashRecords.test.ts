import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { type RlpItem, rlpDecodeOrThrow, rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import type { SlashRecord } from "./slash.ts";
import { decodeSlashRecords, encodeSlashRecords } from "./slashRecords.ts";

const vote = (kind: "prepare" | "commit", hashByte: number) => ({
  kind,
  blockNum: 9n,
  viewId: 5n,
  blockHash: new Uint8Array(32).fill(hashByte),
  bitmap: Uint8Array.of(0b0101),
  signature: new Uint8Array(96).fill(7),
});

const records: SlashRecord[] = [
  {
    epoch: 1n,
    shard: 0,
    offender: new Uint8Array(20).fill(1),
    evidence: { first: vote("prepare", 1), second: vote("prepare", 2) },
  },
  {
    epoch: 2n ** 64n - 1n,
    shard: 1,
    offender: new Uint8Array(20).fill(2),
    evidence: { first: vote("commit", 3), second: vote("commit", 4) },
  },
];

/** The encoding of `records` with the item at `path` replaced. */
function edited(path: readonly number[], value: RlpItem): Uint8Array {
  const root = rlpDecodeOrThrow(encodeSlashRecords(records)) as RlpItem[];
  let list = root;
  for (const index of path.slice(0, -1)) list = list[index] as RlpItem[];
  list[path.at(-1)!] = value;
  return rlpEncode(root);
}

describe("SLASH-RECORD encoding", () => {
  // @covers SLASH-RECORD.1
  it("decodes what it encodes; the empty field holds no record", () => {
    expect(unwrap(decodeSlashRecords(encodeSlashRecords(records)))).toEqual(records);
    expect(unwrap(decodeSlashRecords(new Uint8Array(0)))).toEqual([]);
    // An empty list is the encoding of no records too, but a proposer writes the empty field.
    expect(encodeSlashRecords([])).toEqual(Uint8Array.of(0xc0));
  });

  // @covers SLASH-RECORD.1
  it("refuses records without their fields, sizes or bounds by name", () => {
    const cases: [string, Uint8Array][] = [
      ["a record of three fields", edited([0], [new Uint8Array(0), new Uint8Array(0), new Uint8Array(20)])],
      ["a 19-byte offender", edited([0, 2], new Uint8Array(19))],
      ["an epoch of 2^64", edited([0, 0], Uint8Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0))],
      ["one vote", edited([0, 3], [])],
      ["vote kind 2", edited([0, 3, 0, 0], Uint8Array.of(2))],
      ["a 31-byte block hash", edited([0, 3, 1, 3], new Uint8Array(31))],
      ["a 95-byte signature", edited([1, 3, 0, 5], new Uint8Array(95))],
    ];
    for (const [what, bytes] of cases)
      expect([what, resultCode(decodeSlashRecords(bytes))]).toEqual([what, "SLASH_RECORD_MALFORMED"]);
    expect(resultCode(decodeSlashRecords(Uint8Array.of(0x80)))).toBe("RLP_EXPECTED_LIST");
  });
});
