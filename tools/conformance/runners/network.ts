import { z } from "zod";
import { bytesToHex, HexBytes, HexText, JsonInt } from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import {
  bucketIndex,
  closest,
  distance,
  emptyTable,
  type LookupOutput,
  type LookupStep,
  lookupFailure,
  lookupResponse,
  nodeId,
  type RoutingTable,
  seen,
  shardKey,
  startLookup,
} from "../../../reference/network/index.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";

/*
 * The network runner (chapter 13): identifiers and buckets, the routing table, FIND-NODE answers, lookups driven by
 * a list of responses and failures, and shard rendezvous keys. A table is given as the contacts the node heard
 * from, in order, entered with ROUTE-SEEN.
 */

const Ids = z.array(HexBytes);

/** The table of `self` after hearing from `contacts` in order, with buckets of `bucketSize`. */
function tableFrom(self: Uint8Array, contacts: readonly Uint8Array[], bucketSize: number): RoutingTable {
  let table = emptyTable(self);
  for (const contact of contacts) table = seen(table, contact, bucketSize).table;
  return table;
}

function bucketsToJson(table: RoutingTable): Json {
  return [...table.buckets]
    .sort(([a], [b]) => a - b)
    .map(([index, contacts]) => ({ index, contacts: contacts.map(bytesToHex) }));
}

const BucketsJsonOutput = z.array(z.strictObject({ index: JsonInt, contacts: z.array(HexText) }));

function outputToJson(output: LookupOutput): Json {
  return output.kind === "query"
    ? { kind: "query", to: bytesToHex(output.to) }
    : { kind: "done", closest: output.closest.map(bytesToHex) };
}

const LookupOutputJson = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("query"), to: HexText }),
  z.strictObject({ kind: z.literal("done"), closest: z.array(HexText) }),
]);

const EventJson = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("response"), from: HexBytes, contacts: Ids }),
  z.strictObject({ kind: z.literal("failure"), from: HexBytes }),
]);
type Event = z.output<typeof EventJson>;

const handlers: Record<string, HandlerDef> = {
  node_id: {
    description: "ROUTE-ID of a node key → its 32-byte identifier",
    input: z.strictObject({ key: HexBytes }),
    output: z.strictObject({ id: HexText }),
    run: (input: { key: Uint8Array }) => ({ id: bytesToHex(nodeId(input.key)) }),
  },
  bucket: {
    description: "BUCKET(self, contact) → the XOR distance and the bucket index",
    input: z.strictObject({ self: HexBytes, contact: HexBytes }),
    output: z.strictObject({ distance: HexText, bucket: JsonInt }),
    run(input: { self: Uint8Array; contact: Uint8Array }): Json {
      const bucket = bucketIndex(input.self, input.contact);
      return { distance: bytesToHex(distance(input.self, input.contact)), bucket };
    },
  },
  table_seen: {
    description:
      "ROUTE-SEEN of `contact` on the table of `self` that heard from `heard` in order (buckets of `bucketSize`) " +
      "→ the buckets, and the contact to ping when the bucket is full",
    input: z.strictObject({ self: HexBytes, heard: Ids, bucketSize: JsonInt, contact: HexBytes }),
    output: z.strictObject({ buckets: BucketsJsonOutput, ping: HexText.nullable() }),
    run(input: { self: Uint8Array; heard: Uint8Array[]; bucketSize: number; contact: Uint8Array }): Json {
      const after = seen(
        tableFrom(input.self, input.heard, input.bucketSize),
        input.contact,
        input.bucketSize,
      );
      return {
        buckets: bucketsToJson(after.table),
        ping: after.ping === null ? null : bytesToHex(after.ping),
      };
    },
  },
  closest: {
    description:
      "ROUTE-CLOSEST(table, target, count) on the table of `self` that heard from `heard` → contacts",
    input: z.strictObject({ self: HexBytes, heard: Ids, target: HexBytes, count: JsonInt }),
    output: z.strictObject({ closest: z.array(HexText) }),
    run(input: { self: Uint8Array; heard: Uint8Array[]; target: Uint8Array; count: number }): Json {
      const table = tableFrom(input.self, input.heard, 20);
      return { closest: closest(table, input.target, input.count).map(bytesToHex) };
    },
  },
  lookup: {
    description:
      "ROUTE-LOOKUP from the table of `self` that heard from `heard` for `target`, then each of `events` " +
      "(a response or a failure) in order → the outputs of the start and of each event",
    input: z.strictObject({
      self: HexBytes,
      heard: Ids,
      target: HexBytes,
      bucketSize: JsonInt,
      parallelism: JsonInt,
      events: z.array(EventJson),
    }),
    output: z.strictObject({ steps: z.array(z.array(LookupOutputJson)) }),
    run(input: {
      self: Uint8Array;
      heard: Uint8Array[];
      target: Uint8Array;
      bucketSize: number;
      parallelism: number;
      events: Event[];
    }): Json {
      const table = tableFrom(input.self, input.heard, input.bucketSize);
      let step: LookupStep = unwrap(startLookup(table, input.target, input.bucketSize, input.parallelism));
      const steps: Json[] = [step.outputs.map(outputToJson)];
      for (const event of input.events) {
        step = unwrap(
          event.kind === "response"
            ? lookupResponse(step.lookup, event.from, event.contacts)
            : lookupFailure(step.lookup, event.from),
        );
        steps.push(step.outputs.map(outputToJson));
      }
      return { steps };
    },
  },
  shard_key: {
    description: "SHARD-KEY(shard) → the rendezvous key of the shard's providers",
    input: z.strictObject({ shard: JsonInt }),
    output: z.strictObject({ key: HexText }),
    run: (input: { shard: number }) => ({ key: bytesToHex(shardKey(input.shard)) }),
  },
};

/** An identifier whose first byte is `first` and whose other bytes are `rest`. */
function id(first: number, rest = 0): string {
  return `0x${first.toString(16).padStart(2, "0")}${rest.toString(16).padStart(2, "0").repeat(31)}`;
}

function networkCases(): CaseDef[] {
  const out: CaseDef[] = [];
  const add = (
    handler: string,
    name: string,
    description: string,
    tags: string[],
    input: Json,
    code?: string,
  ) =>
    out.push({
      handler,
      name,
      description,
      tags,
      input,
      ...(code === undefined ? {} : { expectedError: code }),
    });
  const idTags = ["ROUTE-ID.1"];
  add("node_id", "key", "the identifier of a 5-byte key", idTags, { key: "0x0102030405" });
  add("bucket", "far", "a contact differing in the first bit: bucket 0", idTags, {
    self: id(0),
    contact: id(0x80),
  });
  add("bucket", "near", "a contact sharing 15 bits", idTags, { self: id(0), contact: id(0, 1) });
  add("bucket", "self", "the node itself", idTags, { self: id(0), contact: id(0) }, "ROUTE_SELF");
  add(
    "bucket",
    "short",
    "a 31-byte contact",
    idTags,
    { self: id(0), contact: `0x${"00".repeat(31)}` },
    "ROUTE_ID_LENGTH",
  );
  const tableTags = ["ROUTE-TABLE.1", "ROUTE-ID.1"];
  const heard = [id(0x80), id(0x90), id(0x40)];
  add("table_seen", "joins", "a new contact joins a bucket with room", tableTags, {
    self: id(0),
    heard,
    bucketSize: 3,
    contact: id(0xa0),
  });
  add("table_seen", "moves_to_end", "a known contact moves to the end of its bucket", tableTags, {
    self: id(0),
    heard,
    bucketSize: 2,
    contact: id(0x80),
  });
  add("table_seen", "full", "a full bucket stays as it is; its head is to be pinged", tableTags, {
    self: id(0),
    heard,
    bucketSize: 2,
    contact: id(0xa0),
  });
  add(
    "table_seen",
    "self",
    "the node itself",
    tableTags,
    { self: id(0), heard, bucketSize: 2, contact: id(0) },
    "ROUTE_SELF",
  );
  const closestTags = ["ROUTE-CLOSEST.1"];
  const many = [id(0x80), id(0x90), id(0x40), id(0x41), id(0x01)];
  add("closest", "three", "the three contacts closest to 0x42…", closestTags, {
    self: id(0),
    heard: many,
    target: id(0x42),
    count: 3,
  });
  add(
    "closest",
    "short_target",
    "a 4-byte target",
    closestTags,
    { self: id(0), heard: many, target: "0x01020304", count: 3 },
    "ROUTE_ID_LENGTH",
  );
  const lookupTags = ["ROUTE-LOOKUP.1", "ROUTE-CLOSEST.1"];
  const base = {
    self: id(0),
    heard: [id(0x80), id(0x10), id(0x20)],
    target: id(0x7f, 0xff),
    bucketSize: 2,
    parallelism: 1,
  };
  add(
    "lookup",
    "converges",
    "one query at a time, each answer names a closer node; the two closest answer",
    lookupTags,
    {
      ...base,
      events: [
        { kind: "response", from: id(0x20), contacts: [id(0x70), id(0)] },
        { kind: "response", from: id(0x70), contacts: [id(0x7f)] },
        { kind: "response", from: id(0x7f), contacts: [] },
      ],
    },
  );
  add(
    "lookup",
    "failure_and_exhaustion",
    "a failed node is set aside; the lookup ends with what it has",
    lookupTags,
    {
      ...base,
      heard: [id(0x10), id(0x20)],
      bucketSize: 3,
      parallelism: 2,
      events: [
        { kind: "failure", from: id(0x20) },
        { kind: "response", from: id(0x10), contacts: [] },
      ],
    },
  );
  add(
    "lookup",
    "unasked",
    "a response from a node it did not ask",
    lookupTags,
    {
      ...base,
      events: [{ kind: "response", from: id(0x10), contacts: [] }],
    },
    "ROUTE_UNEXPECTED_RESPONSE",
  );
  add(
    "lookup",
    "twice",
    "a second response from the same node",
    lookupTags,
    {
      ...base,
      events: [
        { kind: "response", from: id(0x20), contacts: [] },
        { kind: "response", from: id(0x20), contacts: [] },
      ],
    },
    "ROUTE_UNEXPECTED_RESPONSE",
  );
  add(
    "lookup",
    "too_many_contacts",
    "three contacts when k is 2",
    lookupTags,
    {
      ...base,
      events: [{ kind: "response", from: id(0x20), contacts: [id(1), id(2), id(3)] }],
    },
    "ROUTE_RESPONSE_INVALID",
  );
  add(
    "lookup",
    "short_target",
    "a 4-byte target",
    lookupTags,
    { ...base, target: "0x01020304", events: [] },
    "ROUTE_ID_LENGTH",
  );
  add("shard_key", "shard_1", "the rendezvous key of shard 1", ["ROUTE-SHARD.1"], { shard: 1 });
  return out;
}

export const runner: RunnerDef = {
  name: "network",
  description:
    "chapter 13: identifiers, routing tables, FIND-NODE answers, lookups and shard rendezvous keys",
  handlers,
  cases: () => networkCases(),
};
