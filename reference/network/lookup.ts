import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import { compareDistance, ID_BYTES } from "./id.ts";
import { closest, type RoutingTable } from "./table.ts";

/*
 * The iterative lookup (§13.3) as a pure state machine: responses and failures in, queries and the result out.
 */

export type CandidateStatus = "fresh" | "queried" | "answered" | "failed";

/** A node the lookup has heard of. */
export interface Candidate {
  readonly id: Uint8Array;
  readonly status: CandidateStatus;
}

/**
 * A lookup's state: the target, the own identifier, k and α, the candidates in ascending distance to the
 * target, and whether it has ended.
 *
 * @spec ROUTE-LOOKUP.1
 */
export interface Lookup {
  readonly self: Uint8Array;
  readonly target: Uint8Array;
  readonly bucketSize: number;
  readonly parallelism: number;
  readonly candidates: readonly Candidate[];
  readonly ended: boolean;
}

export type LookupOutput =
  | { readonly kind: "query"; readonly to: Uint8Array }
  | { readonly kind: "done"; readonly closest: readonly Uint8Array[] };

export interface LookupStep {
  readonly lookup: Lookup;
  readonly outputs: readonly LookupOutput[];
}

/**
 * LOOKUP-NEXT (L10–L16): ends the lookup when the k closest candidates that did not fail have all answered,
 * otherwise keeps α queries in flight to the closest fresh ones among them, and ends when nothing is left.
 *
 * @spec ROUTE-LOOKUP.1
 */
function next(lookup: Lookup): LookupStep {
  if (lookup.ended) return { lookup, outputs: [] }; // LOOKUP-NEXT L10
  const window = lookup.candidates.filter((c) => c.status !== "failed").slice(0, lookup.bucketSize); // L11
  if (window.length > 0 && window.every((c) => c.status === "answered")) {
    const result = window.map((c) => c.id);
    return { lookup: { ...lookup, ended: true }, outputs: [{ kind: "done", closest: result }] }; // L12
  }
  const outputs: LookupOutput[] = [];
  const inWindow = new Set(window.map((c) => bytesToHex(c.id)));
  let inFlight = lookup.candidates.filter((c) => c.status === "queried").length;
  const candidates = lookup.candidates.map((c) => {
    if (inFlight >= lookup.parallelism || c.status !== "fresh" || !inWindow.has(bytesToHex(c.id))) return c; // L13
    inFlight++;
    outputs.push({ kind: "query", to: c.id }); // LOOKUP-NEXT L14
    return { id: c.id, status: "queried" as const };
  });
  if (inFlight === 0) {
    const answered = window.filter((c) => c.status === "answered").map((c) => c.id);
    return { lookup: { ...lookup, candidates, ended: true }, outputs: [{ kind: "done", closest: answered }] }; // L15
  }
  return { lookup: { ...lookup, candidates }, outputs }; // LOOKUP-NEXT L16
}

/**
 * LOOKUP-START(T, t) (L1–L2): the k closest contacts of the table, fresh, and the first queries.
 *
 * @spec ROUTE-LOOKUP.1
 */
export function startLookup(
  table: RoutingTable,
  target: Uint8Array,
  bucketSize: number,
  parallelism: number,
): Result<LookupStep> {
  return attempt(() => {
    const candidates = closest(table, target, bucketSize).map((id) => ({ id, status: "fresh" as const })); // L1
    return next({ self: table.self, target, bucketSize, parallelism, candidates, ended: false }); // L2
  });
}

/** The candidate that was asked and has not answered, or raises ROUTE_UNEXPECTED_RESPONSE. */
function queriedIndex(lookup: Lookup, from: Uint8Array): number {
  const at = lookup.candidates.findIndex((c) => bytesEqual(c.id, from));
  if (at < 0 || lookup.candidates[at]!.status !== "queried") {
    throw new SpecError(
      "ROUTE_UNEXPECTED_RESPONSE",
      `${bytesToHex(from)} was not asked, or already answered`,
    );
  }
  return at;
}

function withStatus(lookup: Lookup, at: number, status: CandidateStatus): Lookup {
  const candidates = lookup.candidates.map((c, i) => (i === at ? { id: c.id, status } : c));
  return { ...lookup, candidates };
}

/**
 * LOOKUP-RESPONSE(L, from, contacts) (L3–L7): a queried node's answer adds the candidates it names.
 *
 * @spec ROUTE-LOOKUP.1
 */
export function lookupResponse(
  lookup: Lookup,
  from: Uint8Array,
  contacts: readonly Uint8Array[],
): Result<LookupStep> {
  return attempt(() => {
    const at = queriedIndex(lookup, from); // LOOKUP-RESPONSE L3
    if (contacts.length > lookup.bucketSize || contacts.some((c) => c.length !== ID_BYTES)) {
      throw new SpecError(
        "ROUTE_RESPONSE_INVALID",
        `${contacts.length} contacts (at most ${lookup.bucketSize}), each of 32 bytes`,
      ); // L4
    }
    const answered = withStatus(lookup, at, "answered"); // LOOKUP-RESPONSE L5
    const known = new Set(answered.candidates.map((c) => bytesToHex(c.id)));
    known.add(bytesToHex(lookup.self));
    const added: Candidate[] = [];
    for (const c of contacts) {
      const key = bytesToHex(c);
      if (known.has(key)) continue;
      known.add(key);
      added.push({ id: c, status: "fresh" }); // LOOKUP-RESPONSE L6
    }
    const candidates = [...answered.candidates, ...added].sort((a, b) =>
      compareDistance(a.id, b.id, lookup.target),
    );
    return next({ ...answered, candidates }); // LOOKUP-RESPONSE L7
  });
}

/**
 * LOOKUP-FAILURE(L, from) (L8–L9): a queried node that timed out or refused is set aside.
 *
 * @spec ROUTE-LOOKUP.1
 */
export function lookupFailure(lookup: Lookup, from: Uint8Array): Result<LookupStep> {
  return attempt(() => next(withStatus(lookup, queriedIndex(lookup, from), "failed"))); // L8–L9
}

/**
 * The bound on the hops of a lookup in a network of `n ≥ 2` nodes with random identifiers and full tables:
 * ⌈log2 n⌉ rounds until the node closest to the target is queried.
 *
 * @spec ROUTE-HOPS.1
 */
export function hopBound(n: number): number {
  if (!Number.isSafeInteger(n) || n < 2) throw new RangeError(`a network of ${n} nodes has no hop bound`);
  let bits = 0;
  while (2 ** bits < n) bits++;
  return bits;
}
