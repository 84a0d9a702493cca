import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { checkSeatFields, claimKey, compareSeatIds, type Seat } from "./seat.ts";
import { RANDOMNESS_BYTES } from "./shuffle.ts";

/*
 * The shard state (§10.4): the seats of one epoch with their shards, as the beacon chain publishes them.
 */

const UINT64_LIMIT = 1n << 64n;
const STATE_FIELDS = 3;
const SEAT_FIELDS = 5;

/**
 * A seat together with the shard it serves in.
 *
 * @spec SHARD-STATE.1
 */
export interface PlacedSeat extends Seat {
  readonly shard: number;
}

/**
 * A seat placed in a shard (only the fields of a seat are kept).
 *
 * @spec SHARD-STATE.1
 */
export function placeSeat(seat: Seat, shard: number): PlacedSeat {
  return { validator: seat.validator, index: seat.index, key: seat.key, power: seat.power, shard };
}

/**
 * The shard state of an epoch: its number, the randomness the assignment was drawn from, and every seat with
 * its shard, in canonical order.
 *
 * @spec SHARD-STATE.1
 */
export interface ShardState {
  readonly epoch: bigint;
  readonly rnd: Uint8Array;
  readonly seats: readonly PlacedSeat[];
}

/**
 * CHECK-SHARD-STATE(S) (L9–L14): fields in their domains, seats strictly in canonical order, no key shared by
 * two validators, and no shard without a seat.
 *
 * @spec SHARD-STATE.1
 */
export function checkShardState(state: ShardState, preset: Preset): void {
  if (
    typeof state.epoch !== "bigint" ||
    state.epoch < 0n ||
    state.epoch >= UINT64_LIMIT ||
    state.rnd.length !== RANDOMNESS_BYTES
  ) {
    throw new SpecError("SHARD_FIELD_INVALID", "epoch or randomness out of domain"); // SHARD-STATE-DECODE L9
  }
  const owners = new Map<string, string>();
  const occupied = new Set<number>();
  for (let i = 0; i < state.seats.length; i++) {
    const seat = state.seats[i]!; // L10
    checkSeatFields(seat, i); // L11
    if (!Number.isInteger(seat.shard) || seat.shard < 0 || seat.shard >= preset.numShards) {
      throw new SpecError("SHARD_FIELD_INVALID", `seat ${i}: shard ${seat.shard} is not a shard`); // L11
    }
    if (i > 0 && compareSeatIds(state.seats[i - 1]!, seat) >= 0) {
      throw new SpecError("SHARD_STATE_ORDER", `seat ${i} does not follow seat ${i - 1} in canonical order`); // L12
    }
    claimKey(owners, seat, i); // L13
    occupied.add(seat.shard);
  }
  for (let shard = 0; shard < preset.numShards; shard++) {
    if (!occupied.has(shard)) throw new SpecError("SHARD_EMPTY", `shard ${shard} has no seat`); // L14
  }
}

/**
 * SHARD-STATE-ENCODE(S): RLP([epoch, rnd, [[validator, index, key, power, shard], …]]).
 *
 * @spec SHARD-STATE.1
 */
export function encodeShardState(state: ShardState): Uint8Array {
  const seats: RlpItem[] = state.seats.map((seat) => [
    seat.validator,
    scalarToBytes(BigInt(seat.index)),
    seat.key,
    scalarToBytes(seat.power),
    scalarToBytes(BigInt(seat.shard)),
  ]);
  return rlpEncode([scalarToBytes(state.epoch), state.rnd, seats]);
}

/** Reads a scalar item that must fit a JavaScript safe integer after CHECK-SHARD-STATE's bounds. */
function smallScalar(item: RlpItem, what: string): number {
  const value = scalarFromBytes(expectRlpBytes(item, what));
  // Every bound CHECK-SHARD-STATE applies (2^32, numShards) is far below 2^53; a larger value fails it.
  return value < UINT64_LIMIT ? Number(value) : Number.MAX_SAFE_INTEGER;
}

/**
 * SHARD-STATE-DECODE(bytes) (L1–L8): the shard state of a `shardState` header field.
 *
 * @spec SHARD-STATE.1
 */
export function decodeShardState(bytes: Uint8Array, preset: Preset): Result<ShardState> {
  return attempt(() => {
    const item = rlpDecodeOrThrow(bytes); // SHARD-STATE-DECODE L1
    const fields = expectRlpList(item, "shard state"); // L2
    if (fields.length !== STATE_FIELDS) {
      throw new SpecError("SHARD_STATE_FIELD_COUNT", `a shard state has 3 fields, got ${fields.length}`); // L3
    }
    const epoch = scalarFromBytes(expectRlpBytes(fields[0]!, "epoch")); // L4
    const rnd = expectRlpBytes(fields[1]!, "rnd"); // L4
    const seatItems = expectRlpList(fields[2]!, "seats"); // L4
    const seats: PlacedSeat[] = [];
    for (let i = 0; i < seatItems.length; i++) {
      const seat = expectRlpList(seatItems[i]!, `seat ${i}`); // L5
      if (seat.length !== SEAT_FIELDS) {
        throw new SpecError("SHARD_STATE_FIELD_COUNT", `seat ${i} has ${seat.length} fields, not 5`); // L5
      }
      const validator = expectRlpBytes(seat[0]!, "validator"); // L5
      const index = smallScalar(seat[1]!, "index");
      const key = expectRlpBytes(seat[2]!, "key");
      const power = scalarFromBytes(expectRlpBytes(seat[3]!, "power"));
      const shard = smallScalar(seat[4]!, "shard");
      seats.push({ validator, index, key, power, shard });
    }
    const state: ShardState = { epoch, rnd, seats }; // L6
    checkShardState(state, preset); // L7
    return state; // L8
  });
}
