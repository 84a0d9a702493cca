import { bytesToHex } from "@noble/hashes/utils.js";
import { SpecError } from "../errors.ts";
import type { Seat } from "../staking/seats.ts";
import { compareBytes } from "../trie/trieNode.ts";

/*
 * Seats, the units of voting power that the sharding rules place in shards (§10.2).
 */

const ADDRESS_BYTES = 20;
const BLS_PUBLIC_KEY_BYTES = 48;
const UINT32_LIMIT = 2 ** 32;

export type { Seat } from "../staking/seats.ts";

/**
 * The canonical order of seats: validator address bytewise ascending, then seat index ascending. Negative
 * when `a` comes first, zero when both name the same seat.
 *
 * @spec SHARD-SEATS.1
 */
export function compareSeatIds(
  a: Pick<Seat, "validator" | "index">,
  b: Pick<Seat, "validator" | "index">,
): number {
  const byValidator = compareBytes(a.validator, b.validator);
  return byValidator !== 0 ? byValidator : a.index - b.index;
}

/**
 * The seat id `(validator, index)` as text, for maps keyed by seat.
 *
 * @spec SHARD-SEATS.1
 */
export function seatId(seat: Pick<Seat, "validator" | "index">): string {
  return `${bytesToHex(seat.validator)}/${seat.index}`;
}

/**
 * CHECK-SEAT-FIELDS (CHECK-SEATS L2): the seat's fields lie in their domains.
 *
 * @spec SHARD-SEATS.1
 */
export function checkSeatFields(seat: Seat, position: number): void {
  if (
    !(seat.validator instanceof Uint8Array) ||
    seat.validator.length !== ADDRESS_BYTES ||
    !Number.isInteger(seat.index) ||
    seat.index < 0 ||
    seat.index >= UINT32_LIMIT ||
    !(seat.key instanceof Uint8Array) ||
    seat.key.length !== BLS_PUBLIC_KEY_BYTES ||
    typeof seat.power !== "bigint" ||
    seat.power < 1n
  ) {
    throw new SpecError(
      "SHARD_FIELD_INVALID",
      `seat ${position}: validator, index, key or power out of domain`,
    ); // CHECK-SEATS L2
  }
}

/**
 * Remembers which validator signs with each key, refusing a key that two validators use (CHECK-SEATS L4).
 *
 * @spec SHARD-SEATS.1
 */
export function claimKey(owners: Map<string, string>, seat: Seat, position: number): void {
  const key = bytesToHex(seat.key);
  const validator = bytesToHex(seat.validator);
  const owner = owners.get(key);
  if (owner !== undefined && owner !== validator) {
    throw new SpecError(
      "SHARD_KEY_CONFLICT",
      `seat ${position}: key ${key} also signs for validator ${owner}`,
    ); // CHECK-SEATS L4
  }
  owners.set(key, validator);
}

/**
 * CHECK-SEATS(X) (L1–L4): every seat in its domain, no seat id twice, no key shared by two validators.
 *
 * @spec SHARD-SEATS.1
 */
export function checkSeats(seats: readonly Seat[]): void {
  const ids = new Set<string>();
  const owners = new Map<string, string>();
  for (let i = 0; i < seats.length; i++) {
    const seat = seats[i]!; // CHECK-SEATS L1
    checkSeatFields(seat, i); // L2
    const id = seatId(seat);
    if (ids.has(id)) throw new SpecError("SHARD_DUPLICATE_SEAT", `seat ${i} repeats seat ${id}`); // L3
    ids.add(id);
    claimKey(owners, seat, i); // L4
  }
}

/**
 * The seats in canonical order (a new array).
 *
 * @spec SHARD-SEATS.1
 */
export function canonicalOrder<T extends Pick<Seat, "validator" | "index">>(seats: readonly T[]): T[] {
  return [...seats].sort(compareSeatIds);
}
