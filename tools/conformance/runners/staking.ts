import { z } from "zod";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { electEpos } from "../../../reference/staking/election.ts";
import { electAdaptive, electSeats, type Seat } from "../../../reference/staking/seats.ts";
import { candidateOf, electionKey, ONE } from "../../testing/stakingFixtures.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import {
  applyDirectiveHandler,
  decodeDirectiveHandler,
  directiveCases,
  unlockHandler,
} from "./staking-directives.ts";

const CandidateJson = z.strictObject({ address: HexBytes, keys: z.array(HexBytes), stake: DecimalBigInt });

const electEposHandler: HandlerDef = {
  description:
    "ELECT-EPOS of `candidates` (address, BLS keys, stake in atto) for `slots` seats → the elected keys in " +
    "order, each with its bid and its effective stake",
  input: z.strictObject({ candidates: z.array(CandidateJson), slots: JsonInt }),
  output: z.strictObject({
    elected: z.array(
      z.strictObject({ address: HexText, key: HexText, rawStake: DecimalText, effectiveStake: DecimalText }),
    ),
  }),
  run(input: { candidates: z.output<typeof CandidateJson>[]; slots: number }, preset: Preset): Json {
    const elected = unwrap(electEpos(input.candidates, input.slots, preset));
    return {
      elected: elected.map((slot) => ({
        address: bytesToHex(slot.address),
        key: bytesToHex(slot.key),
        rawStake: bigintToDecimal(slot.rawStake),
        effectiveStake: bigintToDecimal(slot.effectiveStake),
      })),
    };
  },
};

const SeatJson = z.strictObject({ validator: HexText, index: JsonInt, key: HexText, power: DecimalText });

function seatToJson(seat: Seat): Json {
  return {
    validator: bytesToHex(seat.validator),
    index: seat.index,
    key: bytesToHex(seat.key),
    power: bigintToDecimal(seat.power),
  };
}

const electAdaptiveHandler: HandlerDef = {
  description:
    "ELECT-ADAPTIVE of `candidates` for `seats` seats → the size of one voting share (`threshold`, atto) and " +
    "the seats in address order",
  input: z.strictObject({ candidates: z.array(CandidateJson), seats: JsonInt }),
  output: z.strictObject({ threshold: DecimalText, seats: z.array(SeatJson) }),
  run(input: { candidates: z.output<typeof CandidateJson>[]; seats: number }): Json {
    const election = unwrap(electAdaptive(input.candidates, input.seats));
    return { threshold: bigintToDecimal(election.threshold), seats: election.seats.map(seatToJson) };
  },
};

const electSeatsHandler: HandlerDef = {
  description:
    "ELECT-SEATS of `candidates` under the preset's election rule, for numShards · slotsPerShard seats → the seats",
  input: z.strictObject({ candidates: z.array(CandidateJson) }),
  output: z.strictObject({ seats: z.array(SeatJson) }),
  run(input: { candidates: z.output<typeof CandidateJson>[] }, preset: Preset): Json {
    return { seats: unwrap(electSeats(input.candidates, preset)).map(seatToJson) };
  },
};

function key(validator: number, index: number): string {
  return bytesToHex(electionKey(validator, index));
}

/** A candidate in its JSON form (a type alias, so that it is a `Json`). */
type CandidateInput = { address: string; keys: string[]; stake: string };

function candidate(byte: number, stake: bigint, keyCount: number): CandidateInput {
  const c = candidateOf(byte, stake, keyCount);
  return { address: bytesToHex(c.address), keys: c.keys.map(bytesToHex), stake: bigintToDecimal(c.stake) };
}

function electionCases(): CaseDef[] {
  const out: CaseDef[] = [];
  const tags = ["ELECT-EPOS.1", "ELECT-CANDIDATES.1"];
  const valid = (name: string, description: string, input: Json) =>
    out.push({ handler: "elect_epos", name, description, tags, input });
  const invalid = (name: string, description: string, expectedError: string, input: Json) =>
    out.push({ handler: "elect_epos", name, description, tags, input, expectedError });
  // A: 100 ONE over 4 keys, B: 60 ONE on 1 key, C: 30 ONE over 2 keys; listed out of address order.
  const abc: Json = [
    candidate(0x0c, 30n * ONE, 2),
    candidate(0x0a, 100n * ONE, 4),
    candidate(0x0b, 60n * ONE, 1),
  ];
  valid(
    "spread_and_clip",
    "five seats: B's bid of 60 ONE and A's four of 25 win; the median is 25 ONE and B is clipped to its top",
    { candidates: abc, slots: 5 },
  );
  valid("every_key", "seven seats take C's two bids of 15 ONE too, lifted to the bottom of the band", {
    candidates: abc,
    slots: 7,
  });
  valid("more_seats_than_keys", "twenty seats, seven keys: every key wins", { candidates: abc, slots: 20 });
  valid("tie_by_address", "every key bids 5 atto; three seats go to the lower address, in its key order", {
    candidates: [candidate(0x02, 10n, 2), candidate(0x01, 20n, 4)],
    slots: 3,
  });
  valid("rounding", "7 atto over 2 keys bids 3; the median of 10, 3, 3 is 3 and the band is 1 to 4", {
    candidates: [candidate(0x01, 7n, 2), candidate(0x02, 10n, 1)],
    slots: 3,
  });
  valid("even_median", "four winners bidding 10, 20, 30 and 41 atto: the median is 25", {
    candidates: [
      candidate(0x01, 10n, 1),
      candidate(0x02, 20n, 1),
      candidate(0x03, 30n, 1),
      candidate(0x04, 41n, 1),
    ],
    slots: 4,
  });
  valid("no_candidates", "nobody stands: nobody is elected", { candidates: [], slots: 4 });
  valid("no_seats", "no seat to fill", { candidates: abc, slots: 0 });
  const good = candidate(0x01, ONE, 2);
  invalid("short_address", "a 19-byte address", "ELECT_FIELD_INVALID", {
    candidates: [{ ...good, address: bytesToHex(new Uint8Array(19)) }],
    slots: 4,
  });
  invalid("short_key", "a 47-byte key", "ELECT_FIELD_INVALID", {
    candidates: [{ ...good, keys: [bytesToHex(new Uint8Array(47))] }],
    slots: 4,
  });
  invalid("no_keys", "a candidate with no key", "ELECT_NO_KEYS", {
    candidates: [{ ...good, keys: [] }],
    slots: 4,
  });
  invalid("duplicate_validator", "two candidates with one address", "ELECT_DUPLICATE_VALIDATOR", {
    candidates: [good, { ...good, keys: [key(0x02, 0)] }],
    slots: 4,
  });
  invalid("duplicate_key", "one candidate lists a key twice", "ELECT_DUPLICATE_KEY", {
    candidates: [{ ...good, keys: [key(1, 0), key(1, 0)] }],
    slots: 4,
  });
  invalid("shared_key", "two candidates share a key", "ELECT_DUPLICATE_KEY", {
    candidates: [good, candidate(0x02, ONE, 1), { ...candidate(0x03, ONE, 1), keys: [key(1, 1)] }],
    slots: 4,
  });
  invalid("stake_not_decimal", "a stake written as a number", "JSON_SCHEMA", {
    candidates: [{ ...good, stake: 5 }],
    slots: 4,
  });
  return out;
}

function seatCases(): CaseDef[] {
  const out: CaseDef[] = [];
  const adaptive = (name: string, description: string, input: Json, expectedError?: string) =>
    out.push({
      handler: "elect_adaptive",
      name,
      description,
      tags: ["ELECT-ADAPTIVE.1", "ELECT-CANDIDATES.1"],
      input,
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  adaptive(
    "shares_and_keys",
    "167 ONE over 8 seats: λ = 20.875 ONE; 100 ONE on two keys takes 4 shares signed by the keys in turn, 60 ONE " +
      "takes 2, 7 ONE none",
    {
      candidates: [
        candidate(0x0c, 7n * ONE, 1),
        candidate(0x0b, 60n * ONE, 1),
        candidate(0x0a, 100n * ONE, 2),
      ],
      seats: 8,
    },
  );
  adaptive("threshold_floor", "3 atto over 8 seats: λ is 1 atto and every atto is a share", {
    candidates: [candidate(0x01, 2n, 1), candidate(0x02, 1n, 1)],
    seats: 8,
  });
  adaptive("equal_stakes", "four equal stakes over 8 seats: two shares each", {
    candidates: [1, 2, 3, 4].map((byte) => candidate(byte, 1000n * ONE, 1)),
    seats: 8,
  });
  adaptive("no_candidates", "nobody stands: λ is 1 and no seat is taken", { candidates: [], seats: 8 });
  adaptive(
    "duplicate_key",
    "two candidates share a key",
    { candidates: [candidate(0x01, ONE, 1), { ...candidate(0x02, ONE, 1), keys: [key(0x01, 0)] }], seats: 8 },
    "ELECT_DUPLICATE_KEY",
  );
  adaptive(
    "no_keys",
    "a candidate with no key",
    { candidates: [{ ...candidate(0x01, ONE, 1), keys: [] }], seats: 8 },
    "ELECT_NO_KEYS",
  );
  adaptive(
    "short_address",
    "a 19-byte address",
    {
      candidates: [{ ...candidate(0x01, ONE, 1), address: bytesToHex(new Uint8Array(19)) }],
      seats: 8,
    },
    "ELECT_FIELD_INVALID",
  );
  adaptive(
    "duplicate_validator",
    "two candidates with one address",
    {
      candidates: [candidate(0x01, ONE, 1), { ...candidate(0x01, ONE, 1), keys: [key(0x02, 0)] }],
      seats: 8,
    },
    "ELECT_DUPLICATE_VALIDATOR",
  );
  adaptive(
    "seats_not_integer",
    "a seat count written as text",
    { candidates: [], seats: "8" },
    "JSON_SCHEMA",
  );
  out.push({
    handler: "elect_seats",
    name: "three_validators",
    description:
      "A (100 ONE, 4 keys), B (60 ONE, 1 key), C (30 ONE, 2 keys): voting shares under the adaptive rule, elected " +
      "keys with their effective stake under EPoS",
    tags: ["ELECT-SEATS.1", "ELECT-ADAPTIVE.1", "ELECT-EPOS.1"],
    input: {
      candidates: [
        candidate(0x0c, 30n * ONE, 2),
        candidate(0x0a, 100n * ONE, 4),
        candidate(0x0b, 60n * ONE, 1),
      ],
    },
  });
  out.push({
    handler: "elect_seats",
    name: "duplicate_key",
    description: "two candidates share a key",
    tags: ["ELECT-SEATS.1", "ELECT-CANDIDATES.1"],
    input: { candidates: [candidate(0x01, ONE, 1), { ...candidate(0x02, ONE, 1), keys: [key(0x01, 0)] }] },
    expectedError: "ELECT_DUPLICATE_KEY",
  });
  return out;
}

export const runner: RunnerDef = {
  name: "staking",
  description: "the election, seats and directives of chapter 8",
  handlers: {
    elect_epos: electEposHandler,
    elect_adaptive: electAdaptiveHandler,
    elect_seats: electSeatsHandler,
    decode_directive: decodeDirectiveHandler,
    apply_directive: applyDirectiveHandler,
    unlock: unlockHandler,
  },
  cases: (preset: Preset) => [...electionCases(), ...seatCases(), ...directiveCases(preset)],
};
