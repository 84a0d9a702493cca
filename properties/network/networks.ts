import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import {
  bucketIndex,
  closest,
  compareDistance,
  emptyTable,
  type LookupStep,
  lookupResponse,
  type RoutingTable,
  seen,
  startLookup,
} from "../../reference/network/index.ts";
import { compareBytes } from "../../reference/trie/trieNode.ts";

/*
 * Networks of N nodes with random identifiers and converged routing tables, and lookups run round by round on
 * them with the reference's state machine (ROUTE-HOPS.1's rounds: every query of a round is answered before the
 * next round starts).
 */

/** A network: its identifiers in ascending order, k, and how a node's table is filled. */
export interface Network {
  readonly ids: readonly Uint8Array[];
  readonly bucketSize: number;
  readonly parallelism: number;
  /** Builds a node's table; memoized by `tableOf`. */
  readonly fill: (network: Network, self: Uint8Array) => RoutingTable;
  readonly tables: Map<string, RoutingTable>;
}

/** `count` identifiers sha256(seed ‖ uint32_be(i)), distinct with overwhelming probability. */
export function randomIds(seed: string, count: number): Uint8Array[] {
  const tag = new TextEncoder().encode(seed);
  const ids: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const input = new Uint8Array(tag.length + 4);
    input.set(tag);
    new DataView(input.buffer).setUint32(tag.length, i);
    ids.push(sha256(input));
  }
  return ids.sort(compareBytes);
}

/** The first index of `ids` (ascending) not below `bound`. */
function lowerBound(ids: readonly Uint8Array[], bound: Uint8Array): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareBytes(ids[mid]!, bound) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The identifiers that share exactly `bits` leading bits with `self`: a contiguous run of the sorted ids. */
function bucketRange(ids: readonly Uint8Array[], self: Uint8Array, bits: number): readonly Uint8Array[] {
  const low = new Uint8Array(32);
  const high = new Uint8Array(32).fill(0xff);
  for (let i = 0; i <= bits; i++) {
    const byte = i >> 3;
    const mask = 0x80 >> (i & 7);
    const bit = i < bits ? self[byte]! & mask : ~self[byte]! & mask; // the prefix, then the flipped bit
    low[byte] = (low[byte]! & ~mask) | bit;
    high[byte] = (high[byte]! & ~mask) | bit;
  }
  const from = lowerBound(ids, low);
  let to = lowerBound(ids, high);
  if (to < ids.length && compareBytes(ids[to]!, high) === 0) to++;
  return ids.slice(from, to);
}

/**
 * The table a node has once the network has converged: every bucket holds k of the identifiers in its range
 * (all of them when fewer exist), taken in a fixed pseudo-random order, entered through ROUTE-SEEN.
 */
export function convergedTable(network: Network, self: Uint8Array): RoutingTable {
  let table = emptyTable(self);
  for (let bits = 0; bits <= deepestShared(network.ids, self); bits++) {
    const range = bucketRange(network.ids, self, bits);
    const picked = range.length <= network.bucketSize ? range : spread(range, network.bucketSize, self);
    for (const contact of picked) table = seen(table, contact, network.bucketSize).table;
  }
  return table;
}

/** The most leading bits any other identifier shares with `self`: its neighbours in sorted order share most. */
function deepestShared(ids: readonly Uint8Array[], self: Uint8Array): number {
  const at = lowerBound(ids, self);
  let deepest = 0;
  for (const x of [ids[at - 1], ids[at], ids[at + 1]]) {
    if (x !== undefined && compareBytes(x, self) !== 0) deepest = Math.max(deepest, bucketIndex(self, x));
  }
  return deepest;
}

/**
 * `count` members of `range`, evenly spaced from an offset that the owner's identifier fixes, so that different
 * nodes keep different members of the same range.
 */
function spread(range: readonly Uint8Array[], count: number, self: Uint8Array): Uint8Array[] {
  const offset = new DataView(self.buffer, self.byteOffset).getUint32(28) % range.length;
  const step = range.length / count;
  return Array.from({ length: count }, (_, i) => range[(offset + Math.floor(i * step)) % range.length]!);
}

export function network(
  ids: readonly Uint8Array[],
  bucketSize = 20,
  parallelism = 3,
  fill = convergedTable,
): Network {
  return { ids, bucketSize, parallelism, fill, tables: new Map() };
}

export function tableOf(net: Network, self: Uint8Array): RoutingTable {
  const key = bytesToHex(self);
  let table = net.tables.get(key);
  if (table === undefined) {
    table = net.fill(net, self);
    net.tables.set(key, table);
  }
  return table;
}

/** What one lookup did. */
export interface LookupRun {
  /** Rounds until the node closest to the target (other than the source) was first queried; null if never. */
  readonly hops: number | null;
  /** Rounds until the lookup ended. */
  readonly rounds: number;
  readonly result: readonly Uint8Array[];
}

/** How a queried node answers; honest nodes answer ROUTE-CLOSEST of their table. */
export type Responder = (net: Network, node: Uint8Array, target: Uint8Array) => Uint8Array[];

export const honestResponder: Responder = (net, node, target) =>
  closest(tableOf(net, node), target, net.bucketSize);

/**
 * Runs a lookup from `source` for `target` round by round: the queries of a round are all answered, in the
 * order they were sent, before the next round. `maxRounds` cuts a lookup short (a deliberately broken rule).
 */
export function runLookup(
  net: Network,
  source: Uint8Array,
  target: Uint8Array,
  responder: Responder = honestResponder,
  maxRounds = Number.POSITIVE_INFINITY,
): LookupRun {
  const closestNode = trueClosest(net, source, target, 1)[0]!;
  let step: LookupStep = unwrap(startLookup(tableOf(net, source), target, net.bucketSize, net.parallelism));
  let queries = step.outputs.flatMap((o) => (o.kind === "query" ? [o.to] : []));
  let result = step.outputs.flatMap((o) => (o.kind === "done" ? [o.closest] : []))[0] ?? null;
  let rounds = 0;
  let hops: number | null = null;
  while (result === null && queries.length > 0) {
    rounds++;
    if (hops === null && queries.some((q) => compareBytes(q, closestNode) === 0)) hops = rounds;
    const next: Uint8Array[] = [];
    for (const q of queries) {
      step = unwrap(lookupResponse(step.lookup, q, responder(net, q, target)));
      for (const o of step.outputs) {
        if (o.kind === "query") next.push(o.to);
        else result = o.closest;
      }
    }
    queries = next;
    if (rounds >= maxRounds && result === null) {
      result = step.lookup.candidates
        .filter((c) => c.status === "answered")
        .map((c) => c.id)
        .slice(0, net.bucketSize);
    }
  }
  return { hops, rounds, result: result ?? [] };
}

/** The `count` identifiers of the network other than `source` closest to `target`. */
export function trueClosest(
  net: Network,
  source: Uint8Array,
  target: Uint8Array,
  count: number,
): Uint8Array[] {
  return net.ids
    .filter((id) => compareBytes(id, source) !== 0)
    .sort((a, b) => compareDistance(a, b, target))
    .slice(0, count);
}
