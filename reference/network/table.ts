import { bytesEqual } from "../ledger/validateHeader.ts";
import { bucketIndex, checkId, compareDistance } from "./id.ts";

/*
 * The routing table (§13.2): k-buckets of least-recently-seen contacts, and what a node answers to FIND-NODE.
 */

/**
 * A routing table: the own identifier and the non-empty buckets, each from least to most recently seen.
 *
 * @spec ROUTE-TABLE.1
 */
export interface RoutingTable {
  readonly self: Uint8Array;
  readonly buckets: ReadonlyMap<number, readonly Uint8Array[]>;
}

/** The table of a node that knows no one yet. @spec ROUTE-TABLE.1 */
export function emptyTable(self: Uint8Array): RoutingTable {
  checkId(self, "the own identifier");
  return { self, buckets: new Map() };
}

function withBucket(table: RoutingTable, index: number, bucket: readonly Uint8Array[]): RoutingTable {
  const buckets = new Map(table.buckets);
  buckets.set(index, bucket);
  return { self: table.self, buckets };
}

/** A table after a contact was heard from, and the contact to ping when its bucket is full. */
export interface SeenResult {
  readonly table: RoutingTable;
  readonly ping: Uint8Array | null;
}

/**
 * ROUTE-SEEN(T, c) (L1–L4): a contact heard from moves to the end of its bucket, or joins it while it has room;
 * a full bucket is left as it is and its least recently seen contact is to be pinged.
 *
 * @spec ROUTE-TABLE.1
 */
export function seen(table: RoutingTable, contact: Uint8Array, bucketSize: number): SeenResult {
  const index = bucketIndex(table.self, contact); // ROUTE-SEEN L1
  const bucket = table.buckets.get(index) ?? [];
  const at = bucket.findIndex((c) => bytesEqual(c, contact));
  if (at >= 0) {
    const moved = [...bucket.slice(0, at), ...bucket.slice(at + 1), contact];
    return { table: withBucket(table, index, moved), ping: null }; // ROUTE-SEEN L2
  }
  if (bucket.length < bucketSize)
    return { table: withBucket(table, index, [...bucket, contact]), ping: null }; // L3
  return { table, ping: bucket[0]! }; // ROUTE-SEEN L4
}

/**
 * ROUTE-UNRESPONSIVE(T, h, c) (L5–L7): the pinged contact `stale` did not answer; if it is still the least
 * recently seen of the bucket, `replacement` takes its place at the end.
 *
 * @spec ROUTE-TABLE.1
 */
export function unresponsive(table: RoutingTable, stale: Uint8Array, replacement: Uint8Array): RoutingTable {
  const index = bucketIndex(table.self, replacement); // ROUTE-UNRESPONSIVE L5
  const bucket = table.buckets.get(index) ?? [];
  if (bucket.length === 0 || !bytesEqual(bucket[0]!, stale)) return table; // L6
  return withBucket(table, index, [...bucket.slice(1), replacement]); // ROUTE-UNRESPONSIVE L7
}

/**
 * ROUTE-CLOSEST(T, t, m) (L1–L2): the `count` contacts of the table closest to `target`, in ascending distance.
 *
 * @spec ROUTE-CLOSEST.1
 */
export function closest(table: RoutingTable, target: Uint8Array, count: number): Uint8Array[] {
  checkId(target, "the target"); // ROUTE-CLOSEST L1
  const all: Uint8Array[] = [];
  for (const bucket of table.buckets.values()) all.push(...bucket);
  return all.sort((a, b) => compareDistance(a, b, target)).slice(0, count); // ROUTE-CLOSEST L2
}
