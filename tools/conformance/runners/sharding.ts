import { z } from "zod";
import { type CrossLink, encodeCrossLinks } from "../../../reference/crossshard/crosslink.ts";
import { blstBls } from "../../../reference/crypto/bls/blst.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { type RlpItem, rlpEncode, scalarToBytes } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { type Block, decodeBlock, encodeBlock } from "../../../reference/ledger/block.ts";
import { headerHash } from "../../../reference/ledger/header.ts";
import {
  StateJson as AccountsJson,
  stateToJson as accountsToJson,
} from "../../../reference/ledger/ledgerJson.ts";
import { stateFromList } from "../../../reference/ledger/state.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { encodeSlashRecords } from "../../../reference/rewards/slashRecords.ts";
import {
  applyBeaconBlock,
  type BeaconChain,
  beaconChainAt,
  currentShardState,
} from "../../../reference/sharding/beacon.ts";
import { endEpoch } from "../../../reference/sharding/epochEnd.ts";
import {
  assignFresh,
  checkHeaderShardState,
  checkShardState,
  decodeShardState,
  encodeShardState,
  nextShardState,
  type PlacedSeat,
  placeSeat,
  reshard,
  type Seat,
  type ShardState,
  shardCommittee,
  shuffle,
} from "../../../reference/sharding/index.ts";
import { applyDirective } from "../../../reference/staking/apply.ts";
import { readRecord, writeRecord } from "../../../reference/staking/record.ts";
import { doubleSignRecord, epochZeroChain, nextBeaconBlock } from "../../testing/beaconChains.ts";
import { committeeSigners, genesisQuorum, linkedBlocks } from "../../testing/crossLinks.ts";
import { genesis } from "../../testing/ledgerChains.ts";
import { SAMPLE_RANDOMNESS, sampleKey, sampleSeat } from "../../testing/shardSeats.ts";
import { addressOf, createOf, fundedState } from "../../testing/stakingFixtures.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";

/*
 * Conformance runner for chapter 10 (sharding and resharding): the shuffle, both assignment rules, the
 * committees, the shard state's encoding and the epoch transition. Committee keys are checked with the blst
 * back end, as in the consensus runner.
 */

const SeatJson = z.strictObject({ validator: HexBytes, index: JsonInt, key: HexBytes, power: DecimalBigInt });
const PlacedSeatJson = z.strictObject({
  validator: HexBytes,
  index: JsonInt,
  key: HexBytes,
  power: DecimalBigInt,
  shard: JsonInt,
});
export const StateJson = z.strictObject({
  epoch: DecimalBigInt,
  rnd: HexBytes,
  seats: z.array(PlacedSeatJson),
});
const StateJsonOutput = z.strictObject({
  epoch: DecimalText,
  rnd: HexText,
  seats: z.array(
    z.strictObject({ validator: HexText, index: JsonInt, key: HexText, power: DecimalText, shard: JsonInt }),
  ),
});
const MoveJsonOutput = z.strictObject({
  validator: HexText,
  index: JsonInt,
  from: JsonInt,
  to: JsonInt,
  reason: z.enum(["rebalance", "exempt", "mix"]),
});

export type StateValue = z.output<typeof StateJson>;

export function stateToJson(state: ShardState): Json {
  return {
    epoch: bigintToDecimal(state.epoch),
    rnd: bytesToHex(state.rnd),
    seats: state.seats.map((seat) => ({
      validator: bytesToHex(seat.validator),
      index: seat.index,
      key: bytesToHex(seat.key),
      power: bigintToDecimal(seat.power),
      shard: seat.shard,
    })),
  };
}

/** A state read from JSON, checked as CHECK-SHARD-STATE (the rules take checked states). */
export function stateFrom(value: StateValue, preset: Preset): ShardState {
  checkShardState(value, preset);
  return value;
}

const shuffleHandler: HandlerDef = {
  description: "SHUFFLE(rnd, label, n) → the permutation of 0 … n − 1",
  input: z.strictObject({ rnd: HexBytes, label: HexBytes, n: JsonInt }),
  output: z.strictObject({ permutation: z.array(JsonInt) }),
  run(input: { rnd: Uint8Array; label: Uint8Array; n: number }): Json {
    return { permutation: shuffle(input.rnd, input.label, input.n) };
  },
};

const assignHandler: HandlerDef = {
  description:
    "ASSIGN-FRESH of `seats` with randomness `rnd` for epoch `epoch` → the shard state and its encoding",
  input: z.strictObject({ seats: z.array(SeatJson), rnd: HexBytes, epoch: DecimalBigInt }),
  output: z.strictObject({ state: StateJsonOutput, encoded: HexText }),
  run(input: { seats: Seat[]; rnd: Uint8Array; epoch: bigint }, preset: Preset): Json {
    const state = unwrap(assignFresh(input.seats, input.rnd, input.epoch, preset));
    return { state: stateToJson(state), encoded: bytesToHex(encodeShardState(state)) };
  },
};

const reshardHandler: HandlerDef = {
  description:
    "RESHARD of the shard state `previous` with the next epoch's `seats` and randomness `rnd` → the next state, " +
    "its encoding, and the moves of persistent seats in the order they happen (reason rebalance, exempt or mix)",
  input: z.strictObject({ previous: StateJson, seats: z.array(SeatJson), rnd: HexBytes }),
  output: z.strictObject({ state: StateJsonOutput, encoded: HexText, moves: z.array(MoveJsonOutput) }),
  run(input: { previous: StateValue; seats: Seat[]; rnd: Uint8Array }, preset: Preset): Json {
    const { state, moves } = unwrap(reshard(input.previous, input.seats, input.rnd, preset));
    return {
      state: stateToJson(state),
      encoded: bytesToHex(encodeShardState(state)),
      moves: moves.map((m) => ({
        validator: bytesToHex(m.validator),
        index: m.index,
        from: m.from,
        to: m.to,
        reason: m.reason,
      })),
    };
  },
};

const committeeHandler: HandlerDef = {
  description:
    "SHARD-COMMITTEE of shard `shard` under the shard state `state` → its members in order and total power",
  input: z.strictObject({ state: StateJson, shard: JsonInt }),
  output: z.strictObject({
    members: z.array(z.strictObject({ publicKey: HexText, power: DecimalText })),
    totalPower: DecimalText,
  }),
  run(input: { state: StateValue; shard: number }, preset: Preset): Json {
    const committee = unwrap(shardCommittee(stateFrom(input.state, preset), input.shard, preset, blstBls));
    return {
      members: committee.members.map((m) => ({
        publicKey: bytesToHex(m.publicKey),
        power: bigintToDecimal(m.power),
      })),
      totalPower: bigintToDecimal(committee.totalPower),
    };
  },
};

const decodeHandler: HandlerDef = {
  description: "SHARD-STATE-DECODE of `encoded` → the shard state",
  input: z.strictObject({ encoded: HexBytes }),
  output: z.strictObject({ state: StateJsonOutput }),
  run(input: { encoded: Uint8Array }, preset: Preset): Json {
    return { state: stateToJson(unwrap(decodeShardState(input.encoded, preset))) };
  },
};

const nextHandler: HandlerDef = {
  description:
    "SHARD-NEXT: the state the beacon chain writes at the end of epoch `epoch`, from the state in force " +
    "`current` (null: the genesis committees), the elected `seats` and Rnd_epoch `rnd` → the state and its " +
    "encoding, or null",
  input: z.strictObject({
    current: StateJson.nullable(),
    seats: z.array(SeatJson),
    epoch: DecimalBigInt,
    rnd: HexBytes,
  }),
  output: z.strictObject({ state: StateJsonOutput.nullable(), encoded: HexText.nullable() }),
  run(
    input: { current: StateValue | null; seats: Seat[]; epoch: bigint; rnd: Uint8Array },
    preset: Preset,
  ): Json {
    const current = input.current === null ? null : stateFrom(input.current, preset);
    const next = unwrap(nextShardState(current, input.seats, input.epoch, input.rnd, preset));
    return next === null
      ? { state: null, encoded: null }
      : { state: stateToJson(next), encoded: bytesToHex(encodeShardState(next)) };
  },
};

const headerHandler: HandlerDef = {
  description:
    "CHECK-SHARD-STATE-FIELD of a header with `shardId`, `number`, `epoch` and `shardState` → the state it " +
    "carries, or null",
  input: z.strictObject({
    shardId: JsonInt,
    number: DecimalBigInt,
    epoch: DecimalBigInt,
    shardState: HexBytes,
  }),
  output: z.strictObject({ state: StateJsonOutput.nullable() }),
  run(
    input: { shardId: number; number: bigint; epoch: bigint; shardState: Uint8Array },
    preset: Preset,
  ): Json {
    const state = unwrap(checkHeaderShardState(input, preset));
    return { state: state === null ? null : stateToJson(state) };
  },
};

/* Case building: seats and states in their JSON forms. */

function seatJson(seat: Seat): Json {
  return {
    validator: bytesToHex(seat.validator),
    index: seat.index,
    key: bytesToHex(seat.key),
    power: bigintToDecimal(seat.power),
  };
}

function seatsJson(seats: readonly Seat[]): Json {
  return seats.map(seatJson);
}

/** Validators 1 … count with one seat each, powers cycling through 1 … 5 (EPoS-like unequal powers). */
function network(count: number, firstValidator = 1): Seat[] {
  return Array.from({ length: count }, (_, i) => sampleSeat(firstValidator + i, 0, BigInt((i % 5) + 1)));
}

function rndOf(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

/** A state by hand: validator v's seat 0 of power `power` in shards[v − 1]. */
function stateByHand(shards: readonly number[], power: bigint, epoch = 5n): ShardState {
  return {
    epoch,
    rnd: rndOf(0x44),
    seats: shards.map((shard, i) => placeSeat(sampleSeat(i + 1, 0, power), shard)),
  };
}

function encodeRaw(epoch: RlpItem, rnd: RlpItem, seats: RlpItem): string {
  return bytesToHex(rlpEncode([epoch, rnd, seats]));
}

function seatItem(seat: PlacedSeat): RlpItem[] {
  return [
    seat.validator,
    scalarToBytes(BigInt(seat.index)),
    seat.key,
    scalarToBytes(seat.power),
    scalarToBytes(BigInt(seat.shard)),
  ];
}

function shardingCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  const k = preset.numShards;
  const full = preset.numShards * preset.slotsPerShard;
  const add = (handler: string, tags: string[]) => ({
    valid: (name: string, description: string, input: Json) =>
      out.push({ handler, name, description, tags, input }),
    invalid: (name: string, description: string, expectedError: string, input: Json) =>
      out.push({ handler, name, description, tags, input, expectedError }),
  });

  const sh = add("shuffle", ["SHARD-SHUFFLE.1"]);
  const ascii = (text: string) => bytesToHex(new TextEncoder().encode(text));
  sh.valid("empty", "n = 0: the empty permutation", {
    rnd: bytesToHex(rndOf(1)),
    label: ascii("assign"),
    n: 0,
  });
  sh.valid("one", "n = 1: no draw", { rnd: bytesToHex(rndOf(1)), label: ascii("assign"), n: 1 });
  sh.valid("genesis_ten", 'Rnd_0, label "assign", n = 10 (the example of §10.3)', {
    rnd: bytesToHex(SAMPLE_RANDOMNESS),
    label: ascii("assign"),
    n: 10,
  });
  sh.valid("order_label", 'label "order" ‖ uint32_be(1), n = 100: several stream blocks', {
    rnd: bytesToHex(rndOf(2)),
    label: `${ascii("order")}00000001`,
    n: 100,
  });
  sh.valid("empty_label", "an empty label, n = 17", { rnd: bytesToHex(rndOf(3)), label: "0x", n: 17 });
  sh.invalid("short_randomness", "31 bytes of randomness", "SHARD_FIELD_INVALID", {
    rnd: bytesToHex(new Uint8Array(31)),
    label: ascii("assign"),
    n: 4,
  });
  sh.invalid("negative_n", "a negative size", "JSON_SCHEMA", {
    rnd: bytesToHex(rndOf(1)),
    label: "0x",
    n: -1,
  });

  const as = add("assign", ["SHARD-ASSIGN.1", "SHARD-SEATS.1", "SHARD-SHUFFLE.1", "SHARD-STATE.1"]);
  const five = [
    sampleSeat(3, 1, 1n),
    sampleSeat(1, 1, 1n),
    sampleSeat(2, 0, 9n),
    sampleSeat(1, 0, 1n),
    sampleSeat(3, 0, 1n),
  ];
  as.valid("small", "five seats given out of canonical order", {
    seats: seatsJson(five),
    rnd: bytesToHex(rndOf(0x22)),
    epoch: "4",
  });
  as.valid("shared_key", "adaptive shares: validator 1 signs three seats with two keys", {
    seats: seatsJson([
      sampleSeat(1, 0, 1n, 10),
      sampleSeat(1, 1, 1n, 11),
      sampleSeat(1, 2, 1n, 10),
      sampleSeat(2, 0, 1n),
    ]),
    rnd: bytesToHex(rndOf(0x23)),
    epoch: "1",
  });
  as.valid("full_network", `${full} seats of unequal power: shards of ${preset.slotsPerShard}`, {
    seats: seatsJson(network(full)),
    rnd: bytesToHex(SAMPLE_RANDOMNESS),
    epoch: "1",
  });
  as.valid("uneven", `${k + 1} seats: shard 0 gets two, the others one`, {
    seats: seatsJson(network(k + 1)),
    rnd: bytesToHex(rndOf(0x24)),
    epoch: "9",
  });
  const one = sampleSeat(1, 0, 1n);
  const two = sampleSeat(2, 0, 1n);
  as.invalid("zero_power", "a seat of power 0", "SHARD_FIELD_INVALID", {
    seats: seatsJson([{ ...one, power: 0n }, two]),
    rnd: bytesToHex(rndOf(1)),
    epoch: "1",
  });
  as.invalid("short_key", "a 47-byte key", "SHARD_FIELD_INVALID", {
    seats: seatsJson([{ ...one, key: one.key.slice(1) }, two]),
    rnd: bytesToHex(rndOf(1)),
    epoch: "1",
  });
  as.invalid("short_randomness", "31 bytes of randomness", "SHARD_FIELD_INVALID", {
    seats: seatsJson([one, two]),
    rnd: bytesToHex(new Uint8Array(31)),
    epoch: "1",
  });
  as.invalid("duplicate_seat", "seat (1, 0) twice", "SHARD_DUPLICATE_SEAT", {
    seats: seatsJson([one, two, { ...one, key: sampleKey(999) }]),
    rnd: bytesToHex(rndOf(1)),
    epoch: "1",
  });
  as.invalid("key_conflict", "validators 1 and 2 sign with one key", "SHARD_KEY_CONFLICT", {
    seats: seatsJson([one, { ...two, key: one.key }]),
    rnd: bytesToHex(rndOf(1)),
    epoch: "1",
  });
  as.invalid("too_few_seats", `${k - 1} seat(s) for ${k} shards`, "SHARD_TOO_FEW_SEATS", {
    seats: seatsJson(network(k - 1)),
    rnd: bytesToHex(rndOf(1)),
    epoch: "1",
  });

  const rs = add("reshard", ["SHARD-RESHARD.1", "SHARD-SEATS.1", "SHARD-SHUFFLE.1", "SHARD-STATE.1"]);
  const reshardInput = (previous: ShardState, seats: readonly Seat[], byte: number): Json => ({
    previous: stateToJson(previous),
    seats: seatsJson(seats),
    rnd: bytesToHex(rndOf(byte)),
  });
  const fullState = unwrap(assignFresh(network(full), SAMPLE_RANDOMNESS, 1n, preset));
  rs.valid(
    "same_seats",
    "the same seats again: only budgeted exchanges move seats",
    reshardInput(fullState, network(full), 0x31),
  );
  // A smaller network keeps the mainnet files of the cases that need no full network small.
  const mid = Math.min(full, 40);
  const midState = unwrap(assignFresh(network(mid), SAMPLE_RANDOMNESS, 1n, preset));
  const tenth = Math.max(1, Math.floor(mid / 10));
  const churned = [...network(mid).slice(tenth), ...network(tenth, 1000)];
  rs.valid(
    "tenth_replaced",
    "a tenth of the seats leave and as many new ones join",
    reshardInput(midState, churned, 0x32),
  );
  rs.valid(
    "power_changes",
    "every seat stays, with new powers; costs are the old powers",
    reshardInput(
      fullState,
      network(full).map((s) => ({ ...s, power: s.power * 3n })),
      0x33,
    ),
  );
  const half = network(full).filter((_, i) => fullState.seats[i]!.shard !== 0 || i % 2 === 0);
  const midHalf = network(mid).filter((_, i) => midState.seats[i]!.shard !== 0 || i % 2 === 0);
  rs.valid(
    "rebalance",
    "half of shard 0 leaves, nobody joins: seats move to it as far as the budgets allow",
    reshardInput(fullState, half, 0x34),
  );
  rs.valid(
    "joins_refill",
    "departures from shard 0 and as many joins: the new seats refill shard 0",
    reshardInput(midState, [...midHalf, ...network(mid - midHalf.length, 2000)], 0x35),
  );
  rs.valid(
    "exempt",
    "shard 1's only seat leaves, nobody joins, no budget allows a move: a seat moves anyway",
    reshardInput(
      stateByHand([0, 0, 0, 1], 1n),
      network(3).map((s) => ({ ...s, power: 1n })),
      0x36,
    ),
  );
  const fifty = Array.from({ length: 50 }, (_, i) => (i < 25 ? 0 : 1));
  rs.valid(
    "exchange",
    "25 seats of power 1 per shard, nobody joins or leaves: evicted seats exchange in pairs within the budgets",
    reshardInput(
      stateByHand(fifty, 1n),
      network(50).map((s) => ({ ...s, power: 1n })),
      0x37,
    ),
  );
  const prev = stateByHand([0, 1], 1n);
  rs.invalid(
    "previous_empty_shard",
    "the previous state leaves shard 1 empty",
    "SHARD_EMPTY",
    reshardInput(stateByHand([0, 0], 1n), network(2), 1),
  );
  rs.invalid(
    "previous_out_of_order",
    "the previous state lists its seats backwards",
    "SHARD_STATE_ORDER",
    reshardInput({ ...prev, seats: [...prev.seats].reverse() }, network(2), 1),
  );
  rs.invalid(
    "previous_key_conflict",
    "two validators share a key in the previous state",
    "SHARD_KEY_CONFLICT",
    reshardInput(
      { ...prev, seats: [prev.seats[0]!, { ...prev.seats[1]!, key: prev.seats[0]!.key }] },
      network(2),
      1,
    ),
  );
  rs.invalid(
    "duplicate_seat",
    "a seat listed twice",
    "SHARD_DUPLICATE_SEAT",
    reshardInput(prev, [...network(2), network(1)[0]!], 1),
  );
  rs.invalid("short_randomness", "randomness of 0 bytes", "SHARD_FIELD_INVALID", {
    ...(reshardInput(prev, network(2), 1) as object),
    rnd: "0x",
  });
  rs.invalid(
    "too_few_seats",
    "fewer seats than shards",
    "SHARD_TOO_FEW_SEATS",
    reshardInput(prev, network(k - 1), 1),
  );

  const cm = add("committee", ["SHARD-COMMITTEES.1", "SHARD-STATE.1"]);
  const merged: ShardState = {
    epoch: 3n,
    rnd: rndOf(0x55),
    seats: [
      placeSeat(sampleSeat(1, 0, 1n, 10), 0),
      placeSeat(sampleSeat(1, 1, 1n, 11), 0),
      placeSeat(sampleSeat(1, 2, 1n, 10), 0),
      placeSeat(sampleSeat(2, 0, 7n, 20), 0),
      placeSeat(sampleSeat(3, 0, 1n, 30), 1),
    ],
  };
  cm.valid("merged_keys", "three seats on two keys of validator 1 and one of validator 2: three members", {
    state: stateToJson(merged),
    shard: 0,
  });
  cm.valid("full_network", "shard 1 of the full network's fresh assignment", {
    state: stateToJson(fullState),
    shard: 1,
  });
  cm.invalid("unknown_shard", `shard ${k} of ${k}`, "SHARD_UNKNOWN", {
    state: stateToJson(merged),
    shard: k,
  });
  cm.invalid("not_a_point", "a key of 48 zero bytes (no compression flag)", "BLS_POINT_NOT_COMPRESSED", {
    state: stateToJson({
      ...merged,
      seats: merged.seats.map((s, i) => (i === 4 ? { ...s, key: new Uint8Array(48) } : s)),
    }),
    shard: 1,
  });
  cm.invalid("state_empty_shard", "the state leaves shard 1 empty", "SHARD_EMPTY", {
    state: stateToJson({ ...merged, seats: merged.seats.slice(0, 4) }),
    shard: 0,
  });

  const dc = add("decode", ["SHARD-STATE.1"]);
  const small = stateByHand([0, 1, 1], 300n, 7n);
  const seatItems = small.seats.map(seatItem);
  dc.valid("small", "three seats, power 300 (two bytes)", { encoded: bytesToHex(encodeShardState(small)) });
  dc.valid("full_network", "the full network's fresh assignment", {
    encoded: bytesToHex(encodeShardState(fullState)),
  });
  dc.invalid("not_a_list", "a byte string", "RLP_EXPECTED_LIST", {
    encoded: bytesToHex(rlpEncode(new Uint8Array([1, 2]))),
  });
  dc.invalid("two_fields", "[epoch, rnd]", "SHARD_STATE_FIELD_COUNT", {
    encoded: bytesToHex(rlpEncode([scalarToBytes(7n), small.rnd])),
  });
  dc.invalid("four_field_seat", "a seat of four fields", "SHARD_STATE_FIELD_COUNT", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, [seatItems[0]!.slice(0, 4), ...seatItems.slice(1)]),
  });
  dc.invalid("epoch_list", "the epoch as a list", "RLP_EXPECTED_BYTES", {
    encoded: encodeRaw([], small.rnd, seatItems),
  });
  dc.invalid("seats_bytes", "the seat list as a byte string", "RLP_EXPECTED_LIST", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, new Uint8Array(2)),
  });
  dc.invalid("leading_zero", "power written 0x012c with a leading zero byte", "RLP_SCALAR_LEADING_ZERO", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, [
      [...seatItems[0]!.slice(0, 3), new Uint8Array([0, 1, 0x2c]), seatItems[0]![4]!],
      ...seatItems.slice(1),
    ]),
  });
  dc.invalid("short_randomness", "31 bytes of randomness", "SHARD_FIELD_INVALID", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd.slice(1), seatItems),
  });
  dc.invalid("shard_out_of_range", `a seat in shard ${k}`, "SHARD_FIELD_INVALID", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, [
      [...seatItems[0]!.slice(0, 4), scalarToBytes(BigInt(k))],
      ...seatItems.slice(1),
    ]),
  });
  dc.invalid("out_of_order", "seats not in canonical order", "SHARD_STATE_ORDER", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, [...seatItems].reverse()),
  });
  dc.invalid("key_conflict", "validators 1 and 2 share a key", "SHARD_KEY_CONFLICT", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, [
      seatItems[0]!,
      [seatItems[1]![0]!, seatItems[1]![1]!, seatItems[0]![2]!, seatItems[1]![3]!, seatItems[1]![4]!],
      seatItems[2]!,
    ]),
  });
  dc.invalid("empty_shard", "every seat in shard 1", "SHARD_EMPTY", {
    encoded: encodeRaw(scalarToBytes(7n), small.rnd, seatItems.slice(1)),
  });

  const nx = add("next", ["SHARD-NEXT.1", "SHARD-ASSIGN.1", "SHARD-RESHARD.1"]);
  const elected = network(2 * k + 1);
  const first = unwrap(assignFresh(elected, SAMPLE_RANDOMNESS, 1n, preset));
  nx.valid("first_election", "end of epoch 0, genesis committees in force: ASSIGN-FRESH with Rnd_0", {
    current: null,
    seats: seatsJson(elected),
    epoch: "0",
    rnd: bytesToHex(SAMPLE_RANDOMNESS),
  });
  nx.valid("second_election", "end of epoch 1: RESHARD", {
    current: stateToJson(first),
    seats: seatsJson(network(2 * k + 1, 2)),
    epoch: "1",
    rnd: bytesToHex(rndOf(0x71)),
  });
  nx.valid(
    "genesis_serves_on",
    "too few seats at the end of epoch 0: no state, the genesis committees serve on",
    { current: null, seats: seatsJson(network(k - 1)), epoch: "0", rnd: bytesToHex(SAMPLE_RANDOMNESS) },
  );
  nx.valid("committees_serve_on", "too few seats at the end of epoch 1: the state in force, for epoch 2", {
    current: stateToJson(first),
    seats: seatsJson(network(k - 1)),
    epoch: "1",
    rnd: bytesToHex(rndOf(0x72)),
  });
  nx.invalid("epoch_mismatch", "a state of epoch 1 in force at the end of epoch 2", "SHARD_EPOCH_MISMATCH", {
    current: stateToJson(first),
    seats: seatsJson(elected),
    epoch: "2",
    rnd: bytesToHex(rndOf(0x73)),
  });

  const hd = add("header", ["SHARD-HEADER.1", "SHARD-EPOCH.1", "SHARD-STATE.1"]);
  const last = BigInt(preset.blocksPerEpoch) * 2n - 1n; // the last block of epoch 1
  const carried = bytesToHex(encodeShardState({ ...first, epoch: 2n }));
  hd.valid("beacon_last_block", "the beacon chain's last block of epoch 1 carries the state of epoch 2", {
    shardId: 0,
    number: last.toString(),
    epoch: "1",
    shardState: carried,
  });
  hd.valid("empty_field", "a block of shard 1 without a state", {
    shardId: 1,
    number: last.toString(),
    epoch: "1",
    shardState: "0x",
  });
  hd.invalid("shard_block", "a shard 1 block carrying a state", "SHARD_STATE_UNEXPECTED", {
    shardId: 1,
    number: last.toString(),
    epoch: "1",
    shardState: carried,
  });
  hd.invalid(
    "not_last_block",
    "a beacon block before the end of its epoch carrying a state",
    "SHARD_STATE_UNEXPECTED",
    { shardId: 0, number: (last - 1n).toString(), epoch: "1", shardState: carried },
  );
  hd.invalid(
    "wrong_epoch",
    "the last block of epoch 1 carrying the state of epoch 1",
    "SHARD_EPOCH_MISMATCH",
    { shardId: 0, number: last.toString(), epoch: "1", shardState: bytesToHex(encodeShardState(first)) },
  );
  hd.invalid("malformed_state", "a state that is an empty list", "SHARD_STATE_FIELD_COUNT", {
    shardId: 0,
    number: last.toString(),
    epoch: "1",
    shardState: "0xc0",
  });
  return out;
}

const DrgStateJson = z.strictObject({
  epoch: DecimalBigInt,
  pRnd: HexBytes.nullable(),
  rnd: HexBytes.nullable(),
});

const epochEndHandler: HandlerDef = {
  description:
    "SHARD-EPOCH-END: the beacon chain's transition at the end of epoch `epoch` of the state `accounts`, with " +
    "the shard state in force `current` (null: the genesis committees) and the epoch's randomness state `drg` " +
    "→ the accounts after, the validators made inactive, and the next shard state (or null)",
  input: z.strictObject({
    accounts: AccountsJson,
    current: StateJson.nullable(),
    epoch: DecimalBigInt,
    drg: DrgStateJson,
  }),
  output: z.strictObject({
    accounts: z.array(z.looseObject({ address: HexText })),
    inactive: z.array(HexText),
    next: StateJsonOutput.nullable(),
  }),
  run(
    input: {
      accounts: z.output<typeof AccountsJson>;
      current: StateValue | null;
      epoch: bigint;
      drg: z.output<typeof DrgStateJson>;
    },
    preset: Preset,
  ): Json {
    const current = input.current === null ? null : stateFrom(input.current, preset);
    const accounts = unwrap(stateFromList(input.accounts));
    const end = unwrap(endEpoch(accounts, current, input.epoch, input.drg, preset));
    return {
      accounts: accountsToJson(end.state),
      inactive: end.inactive.map(bytesToHex),
      next: end.next === null ? null : stateToJson(end.next),
    };
  },
};

/**
 * Cases of SHARD-EPOCH-END: three validators with the preset's minimum self-delegation times 5, 3 and 2 (the
 * first on two keys), a delegator who delegated and took part back in epoch 1, and the third validator below
 * its availability threshold in epoch 3.
 */
function epochEndCases(preset: Preset): CaseDef[] {
  const unit = preset.minSelfDelegation;
  const limits = { minSelfDelegation: unit, maxTotalDelegation: unit * 100n };
  const context = { epoch: 1n, preset, bls: blstBls };
  let accounts = fundedState([1, 2, 3, 9].map((byte) => [byte, unit * 100n] as [number, bigint]));
  for (const [byte, amount, keys] of [
    [1, 5n, 2],
    [2, 3n, 1],
    [3, 2n, 1],
  ] as const) {
    accounts = unwrap(
      applyDirective(accounts, addressOf(byte), createOf(byte, unit * amount, keys, limits), context),
    );
  }
  const delegation = preset.minDelegation * 2n;
  accounts = unwrap(
    applyDirective(
      accounts,
      addressOf(9),
      { kind: "delegate", validator: addressOf(2), amount: delegation },
      context,
    ),
  );
  accounts = unwrap(
    applyDirective(
      accounts,
      addressOf(9),
      { kind: "undelegate", validator: addressOf(2), amount: preset.minDelegation },
      context,
    ),
  );
  const working = new Map(accounts);
  writeRecord(working, addressOf(3), {
    ...readRecord(accounts, addressOf(3))!,
    blocksToSign: 3n,
    blocksSigned: 2n,
  });
  const lock = BigInt(preset.undelegationLockEpochs);
  const epoch = 1n + lock;
  const input = (drg: Json) => ({
    accounts: accountsToJson(working) as Json,
    current: null,
    epoch: epoch.toString(),
    drg,
  });
  const tags = [
    "SHARD-EPOCH-END.1",
    "SHARD-RANDOMNESS.1",
    "STAKE-CANDIDATES.1",
    "REWARD-AVAILABILITY.1",
    "STAKE-UNLOCK.1",
  ];
  const revealed = {
    epoch: epoch.toString(),
    pRnd: bytesToHex(new Uint8Array(32)),
    rnd: bytesToHex(SAMPLE_RANDOMNESS),
  };
  return [
    {
      handler: "epoch_end",
      name: "first_election",
      description:
        "the third validator signed 2 of 3 blocks and stops standing; the delegator's undelegation is released; " +
        "the two others' seats are placed fresh",
      tags,
      input: input(revealed),
    },
    {
      handler: "epoch_end",
      name: "not_revealed",
      description: "the epoch's randomness was committed but not revealed",
      tags,
      input: input({ ...revealed, rnd: null }),
      expectedError: "SHARD_NO_RANDOMNESS",
    },
    {
      handler: "epoch_end",
      name: "other_epoch",
      description: "the randomness state is of the previous epoch",
      tags,
      input: input({ ...revealed, epoch: (epoch - 1n).toString() }),
      expectedError: "SHARD_NO_RANDOMNESS",
    },
  ];
}

const beaconBlocksHandler: HandlerDef = {
  description:
    "SHARD-BEACON-BLOCK applied to the preset's beacon genesis (genesis committees, no shard state) for each of " +
    "`blocks` in order → the head's hash and state root, the randomness of its epoch, the shard state in force, " +
    "the one the head wrote for the next epoch, and the last crosslinked height of each shard that has one",
  input: z.strictObject({ blocks: z.array(HexBytes) }),
  output: z.strictObject({
    head: HexText,
    stateRoot: HexText,
    pRnd: HexText.nullable(),
    rnd: HexText.nullable(),
    current: StateJsonOutput.nullable(),
    pending: StateJsonOutput.nullable(),
    crossLinked: z.record(z.string(), DecimalText),
  }),
  run(input: { blocks: Uint8Array[] }, preset: Preset): Json {
    let chain = beaconChainAt(genesis(preset, 0));
    for (const bytes of input.blocks) {
      chain = unwrap(applyBeaconBlock(chain, unwrap(decodeBlock(bytes, preset)), preset, blstBls));
    }
    const current = currentShardState(chain);
    return {
      head: bytesToHex(headerHash(chain.head)),
      stateRoot: bytesToHex(chain.head.stateRoot),
      pRnd: chain.drg.pRnd === null ? null : bytesToHex(chain.drg.pRnd),
      rnd: chain.drg.rnd === null ? null : bytesToHex(chain.drg.rnd),
      current: current === null ? null : stateToJson(current),
      pending: chain.pending === null ? null : stateToJson(chain.pending),
      crossLinked: Object.fromEntries(
        [...chain.crossLinked].map(([shard, height]) => [String(shard), String(height)]),
      ),
    };
  },
};

/**
 * Crosslinks in beacon blocks (XLINK-INCLUDE.2): shard 1's first blocks crosslinked in order; in the minimal
 * preset, through block 8, the first that epoch 1's elected committee signs, whose reward is minted.
 */
function crossLinkCases(
  out: CaseDef[],
  preset: Preset,
  chains: readonly BeaconChain[],
  blocks: readonly Block[],
  invalid: (name: string, description: string, code: string, list: Block[]) => void,
): void {
  const tags = ["SHARD-BEACON-BLOCK.3", "XLINK-INCLUDE.2", "XLINK-VERIFY.1", "XLINK-FORMAT.1"];
  const hex = (list: readonly Block[]) => list.map((b) => bytesToHex(encodeBlock(b)));
  const [x1, x2, x3] = linkedBlocks(preset, 1, 3).map((b) => b.crossLink) as [
    CrossLink,
    CrossLink,
    CrossLink,
  ];
  const carrying = (chain: BeaconChain, links: CrossLink[]) =>
    nextBeaconBlock(chain, [], preset, new Uint8Array(0), encodeCrossLinks(links));
  const withLinks = (block: Block, links: CrossLink[]): Block => ({
    ...block,
    header: { ...block.header, crossLinks: encodeCrossLinks(links) },
  });
  const genesisChain = chains[0]!;
  const one = carrying(genesisChain, [x1, x2]);
  const two = carrying(unwrap(applyBeaconBlock(genesisChain, one, preset, blstBls)), [x3]);
  out.push({
    handler: "beacon_blocks",
    name: "crosslinks_in_order",
    description: "block 1 carries the crosslinks of shard 1's blocks 1 and 2, block 2 that of block 3",
    tags,
    input: { blocks: hex([one, two]) },
  });
  const plain = nextBeaconBlock(genesisChain, [], preset);
  invalid("crosslinks_empty_list", "a crossLinks field holding an encoded empty list", "XLINK_MALFORMED", [
    { ...plain, header: { ...plain.header, crossLinks: Uint8Array.of(0xc0) } },
  ]);
  invalid("crosslink_gap", "shard 1's block 2 crosslinked before block 1", "XLINK_GAP", [
    withLinks(plain, [x2]),
  ]);
  invalid("crosslink_repeated", "block 2 carries block 1's crosslink again", "XLINK_DUPLICATE", [
    one,
    withLinks(nextBeaconBlock(unwrap(applyBeaconBlock(genesisChain, one, preset, blstBls)), [], preset), [
      x1,
    ]),
  ]);
  invalid("crosslinks_unsorted", "the crosslinks of blocks 1, 2 and 1 again", "XLINK_UNSORTED", [
    withLinks(plain, [x1, x2, x1]),
  ]);
  invalid(
    "crosslinks_too_many",
    `${preset.maxCrossLinksPerBlock + 1} crosslinks in one block`,
    "XLINK_TOO_MANY",
    [withLinks(plain, new Array<CrossLink>(preset.maxCrossLinksPerBlock + 1).fill(x1))],
  );
  invalid("crosslink_forged", "block 1's crosslink with block 2's certificate", "QC_BAD_SIGNATURE", [
    withLinks(plain, [{ ...x1, signature: x2.signature }]),
  ]);
  if (preset.blocksPerEpoch > 8) return;
  const beacon = chains[preset.blocksPerEpoch]!;
  const elected = committeeSigners(
    unwrap(shardCommittee(currentShardState(beacon)!, 1, preset, blstBls)),
    preset,
  );
  const first = BigInt(preset.blocksPerEpoch);
  const linked = linkedBlocks(preset, 1, preset.blocksPerEpoch, (n) =>
    n < first ? genesisQuorum(preset, 1) : elected,
  );
  out.push({
    handler: "beacon_blocks",
    name: "shard_block_rewarded",
    description:
      "epoch 0 and the first block of epoch 1, then a block carrying the crosslinks of shard 1's blocks 1–8: " +
      "blocks 1–7 of the genesis committee mint nothing, block 8 of the elected committee mints its reward",
    tags: [...tags, "REWARD-BLOCK.1"],
    input: {
      blocks: hex([
        ...blocks.slice(0, preset.blocksPerEpoch),
        carrying(
          beacon,
          linked.map((b) => b.crossLink),
        ),
      ]),
    },
  });
}

/**
 * Beacon chains from genesis: the genesis committee commits and reveals epoch 0's randomness, two stakers register
 * by transaction in block 2; in the minimal preset the chain runs through the epoch's last block, which writes the
 * seats of epoch 1, and two blocks more, the second minting the first reward. Mainnet's epochs are too long for a
 * vector, so its chain stops after the registrations.
 */
function beaconCases(preset: Preset): CaseDef[] {
  const full = preset.blocksPerEpoch <= 8;
  const length = full ? preset.blocksPerEpoch + 2 : 2;
  const { chains, blocks } = epochZeroChain(preset, length);
  const hex = (list: readonly Block[]) => list.map((b) => bytesToHex(encodeBlock(b)));
  const tags = [
    "SHARD-BEACON-BLOCK.3",
    "SHARD-OWNERS.1",
    "STAKE-TRANSACTION.1",
    "DRG-ADVANCE.1",
    "BLOCK-APPLY.3",
  ];
  const out: CaseDef[] = [
    {
      handler: "beacon_blocks",
      name: full ? "epoch_zero_and_first_reward" : "commit_and_registrations",
      description: full
        ? "epoch 0 of the minimal preset and two blocks of epoch 1: randomness, election, assignment, first reward"
        : "the commitment of epoch 0 by the 200 genesis members, then two validators register",
      tags: full ? [...tags, "SHARD-EPOCH-END.1", "REWARD-BLOCK.1"] : tags,
      input: { blocks: hex(blocks) },
    },
  ];
  const first = blocks[0]!;
  const invalid = (name: string, description: string, code: string, list: Block[]) =>
    out.push({
      handler: "beacon_blocks",
      name,
      description,
      tags,
      input: { blocks: hex(list) },
      expectedError: code,
    });
  invalid("missing_commitment", "the commit block without its commitment", "DRG_COMMIT_MISSING", [
    { ...first, header: { ...first.header, vrf: new Uint8Array(0) } },
  ]);
  crossLinkCases(out, preset, chains, blocks, invalid);
  invalid("slashes_not_a_list", "a slashes field that is a byte string", "RLP_EXPECTED_LIST", [
    { ...first, header: { ...first.header, slashes: Uint8Array.of(0x80) } },
  ]);
  // Any record of epoch 0 is refused before its evidence is read: no elected committee served it.
  const dummyVote = (hashByte: number) => ({
    kind: "prepare" as const,
    blockNum: 1n,
    viewId: 1n,
    blockHash: new Uint8Array(32).fill(hashByte),
    bitmap: Uint8Array.of(1),
    signature: new Uint8Array(96),
  });
  const unelected = {
    epoch: 0n,
    shard: 0,
    offender: new Uint8Array(20),
    evidence: { first: dummyVote(1), second: dummyVote(2) },
  };
  const plainSecond = nextBeaconBlock(chains[1]!, [], preset);
  invalid(
    "slash_unelected_epoch",
    "a slash record of epoch 0, served by the genesis committees",
    "SHARD_SLASH_UNELECTED",
    [first, { ...plainSecond, header: { ...plainSecond.header, slashes: encodeSlashRecords([unelected]) } }],
  );
  invalid("stray_shard_state", "a block that ends no epoch carrying a shard state", "SHARD_STATE_MISMATCH", [
    { ...first, header: { ...first.header, shardState: Uint8Array.of(0xc0) } },
  ]);
  if (full) {
    // The first staker double-signs in epoch 1; the next block carries the record.
    const record = doubleSignRecord(currentShardState(chains.at(-1)!)!, preset);
    const slashing = nextBeaconBlock(chains.at(-1)!, [], preset, encodeSlashRecords([record]));
    out.push({
      handler: "beacon_blocks",
      name: "double_sign_slashed",
      description:
        "the chain of epoch_zero_and_first_reward and one block more carrying a slash record: the first staker " +
        "signed two prepares for different blocks at one height and view in epoch 1; it is banned and slashed, " +
        "and the coinbase paid",
      tags: [...tags, "SLASH-RECORD.1", "SLASH-VERIFY.1", "SLASH-APPLY.1"],
      input: { blocks: hex([...blocks, slashing]) },
    });
    // Block blocksPerEpoch − 1 ends epoch 0; it extends chains[blocksPerEpoch − 2].
    const before = preset.blocksPerEpoch - 2;
    const last = nextBeaconBlock(chains[before]!, [], preset);
    invalid(
      "wrong_shard_state",
      "the last block of epoch 0 without the shard state the election gives",
      "SHARD_STATE_MISMATCH",
      [...blocks.slice(0, before), { ...last, header: { ...last.header, shardState: new Uint8Array(0) } }],
    );
  }
  return out;
}

export const runner: RunnerDef = {
  name: "sharding",
  description:
    "chapter 10: the shuffle, fresh assignment, resharding, committees, shard state and epoch transition",
  handlers: {
    shuffle: shuffleHandler,
    assign: assignHandler,
    reshard: reshardHandler,
    committee: committeeHandler,
    decode: decodeHandler,
    next: nextHandler,
    header: headerHandler,
    epoch_end: epochEndHandler,
    beacon_blocks: beaconBlocksHandler,
  },
  cases: (preset: Preset) => [...shardingCases(preset), ...epochEndCases(preset), ...beaconCases(preset)],
};
