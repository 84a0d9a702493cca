import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { bucketIndex, distance, nodeId } from "./id.ts";
import { hopBound, type Lookup, lookupFailure, lookupResponse, startLookup } from "./lookup.ts";
import { shardKey } from "./shardKey.ts";
import { closest, emptyTable, seen, unresponsive } from "./table.ts";

/** An identifier whose bytes are all `b`, except the first, `first`. */
function id(first: number, b = 0): Uint8Array {
  const out = new Uint8Array(32).fill(b);
  out[0] = first;
  return out;
}

const SELF = id(0);
const hex = (ids: readonly Uint8Array[]) => ids.map((x) => bytesToHex(x).slice(0, 6));

describe("ROUTE-ID", () => {
  // @covers ROUTE-ID.1
  it("is sha256 of the node's key, and the XOR distance counts shared leading bits", () => {
    const key = new TextEncoder().encode("a node key");
    expect(nodeId(key)).toEqual(sha256(key));
    expect(distance(id(0x80), id(0x81))).toEqual(id(0x01));
    expect(bucketIndex(SELF, id(0x80))).toBe(0);
    expect(bucketIndex(SELF, id(0x40))).toBe(1);
    expect(bucketIndex(SELF, id(0x01))).toBe(7);
    expect(bucketIndex(SELF, id(0, 1))).toBe(8 + 7); // 0x00 0x01…: fifteen shared bits
    const last = new Uint8Array(32);
    last[31] = 1;
    expect(bucketIndex(SELF, last)).toBe(255);
  });

  // @covers ROUTE-ID.1
  it("refuses identifiers of the wrong length and the node itself", () => {
    expect(() => bucketIndex(SELF, new Uint8Array(31))).toThrow(/ROUTE_ID_LENGTH/);
    expect(() => bucketIndex(new Uint8Array(33), SELF)).toThrow(/ROUTE_ID_LENGTH/);
    expect(() => bucketIndex(SELF, id(0))).toThrow(/ROUTE_SELF/);
  });
});

describe("ROUTE-TABLE", () => {
  // @covers ROUTE-TABLE.1
  it("keeps least recently seen first, moves a seen contact to the end, and pings the head of a full bucket", () => {
    const k = 2;
    let table = emptyTable(SELF);
    for (const c of [id(0x80), id(0x90), id(0x40)]) table = seen(table, c, k).table;
    expect(hex(table.buckets.get(0)!)).toEqual(hex([id(0x80), id(0x90)]));
    table = seen(table, id(0x80), k).table;
    expect(hex(table.buckets.get(0)!)).toEqual(hex([id(0x90), id(0x80)]));
    const full = seen(table, id(0xa0), k);
    expect(full.table).toBe(table);
    expect(full.ping).toEqual(id(0x90));
    // The head did not answer: the newcomer takes its place. Had it been seen meanwhile, nothing changes.
    expect(hex(unresponsive(table, id(0x90), id(0xa0)).buckets.get(0)!)).toEqual(hex([id(0x80), id(0xa0)]));
    const refreshed = seen(table, id(0x90), k).table;
    expect(unresponsive(refreshed, id(0x90), id(0xa0))).toBe(refreshed);
    expect(() => seen(table, SELF, k)).toThrow(/ROUTE_SELF/);
  });

  // @covers ROUTE-CLOSEST.1
  it("answers FIND-NODE with the closest contacts in ascending distance", () => {
    let table = emptyTable(SELF);
    for (const c of [id(0x80), id(0x90), id(0x40), id(0x41), id(0x01)]) table = seen(table, c, 20).table;
    expect(hex(closest(table, id(0x42), 3))).toEqual(hex([id(0x40), id(0x41), id(0x01)]));
    expect(closest(table, id(0x42), 10)).toHaveLength(5);
    expect(() => closest(table, new Uint8Array(5), 3)).toThrow(/ROUTE_ID_LENGTH/);
  });
});

describe("ROUTE-LOOKUP", () => {
  /** A table of SELF holding the given contacts. */
  function tableOf(contacts: readonly Uint8Array[]) {
    let table = emptyTable(SELF);
    for (const c of contacts) table = seen(table, c, 20).table;
    return table;
  }

  // @covers ROUTE-LOOKUP.1
  it("queries α closest at a time, follows closer answers, and ends when the k closest have answered", () => {
    const target = id(0x7f, 0xff);
    const start = unwrap(startLookup(tableOf([id(0x80), id(0x10), id(0x20)]), target, 2, 1));
    expect(start.outputs).toEqual([{ kind: "query", to: id(0x20) }]);
    const a = unwrap(lookupResponse(start.lookup, id(0x20), [id(0x70), SELF]));
    expect(a.outputs).toEqual([{ kind: "query", to: id(0x70) }]);
    const b = unwrap(lookupResponse(a.lookup, id(0x70), [id(0x7f)]));
    expect(b.outputs).toEqual([{ kind: "query", to: id(0x7f) }]);
    const c = unwrap(lookupResponse(b.lookup, id(0x7f), []));
    // The two closest, 0x7f… and 0x70…, have answered.
    expect(c.outputs).toEqual([{ kind: "done", closest: [id(0x7f), id(0x70)] }]);
    expect(c.lookup.ended).toBe(true);
  });

  // @covers ROUTE-LOOKUP.1
  it("sets failed nodes aside, ends with what it has when nothing is left, and ends at once with no contacts", () => {
    const target = id(0x7f);
    const start = unwrap(startLookup(tableOf([id(0x10), id(0x20)]), target, 3, 2));
    expect(start.outputs).toHaveLength(2);
    const a = unwrap(lookupFailure(start.lookup, id(0x20)));
    expect(a.outputs).toEqual([]);
    const b = unwrap(lookupResponse(a.lookup, id(0x10), []));
    expect(b.outputs).toEqual([{ kind: "done", closest: [id(0x10)] }]);
    expect(unwrap(startLookup(emptyTable(SELF), target, 3, 2)).outputs).toEqual([
      { kind: "done", closest: [] },
    ]);
  });

  // @covers ROUTE-LOOKUP.1
  it("refuses answers it did not ask for or already has, and malformed answers, changing nothing", () => {
    const start = unwrap(startLookup(tableOf([id(0x10), id(0x20)]), id(0x7f), 2, 1));
    const lookup: Lookup = start.lookup;
    expect(resultCode(lookupResponse(lookup, id(0x10), []))).toBe("ROUTE_UNEXPECTED_RESPONSE");
    expect(resultCode(lookupResponse(lookup, id(0x55), []))).toBe("ROUTE_UNEXPECTED_RESPONSE");
    expect(resultCode(lookupFailure(lookup, id(0x10)))).toBe("ROUTE_UNEXPECTED_RESPONSE");
    expect(resultCode(lookupResponse(lookup, id(0x20), [new Uint8Array(31)]))).toBe("ROUTE_RESPONSE_INVALID");
    expect(resultCode(lookupResponse(lookup, id(0x20), [id(1), id(2), id(3)]))).toBe(
      "ROUTE_RESPONSE_INVALID",
    );
    const answered = unwrap(lookupResponse(lookup, id(0x20), [])).lookup;
    expect(resultCode(lookupResponse(answered, id(0x20), []))).toBe("ROUTE_UNEXPECTED_RESPONSE");
    expect(lookup).toEqual(start.lookup);
    expect(resultCode(startLookup(tableOf([id(0x10)]), new Uint8Array(4), 2, 1))).toBe("ROUTE_ID_LENGTH");
  });
});

describe("ROUTE-HOPS", () => {
  // @covers ROUTE-HOPS.1
  it("bounds the hops by ⌈log2 N⌉", () => {
    expect([2, 3, 4, 5, 100, 1000, 1024, 1025, 10000].map(hopBound)).toEqual([1, 2, 2, 3, 7, 10, 10, 11, 14]);
    expect(() => hopBound(1)).toThrow(RangeError);
  });
});

describe("ROUTE-SHARD", () => {
  // @covers ROUTE-SHARD.1
  it("is sha256 of the tag and the shard as four big-endian bytes", () => {
    const tag = new TextEncoder().encode("HARMONY-SHARD-V1");
    expect(shardKey(258)).toEqual(sha256(Uint8Array.from([...tag, 0, 0, 1, 2])));
    expect(bytesToHex(shardKey(0))).not.toBe(bytesToHex(shardKey(1)));
  });
});
