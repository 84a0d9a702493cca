import { describe, expect, it } from "vitest";
import { bytesFromHex } from "../../../reference/encoding/json.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
  expectWellFormedCases,
} from "../../testing/runnerChecks.ts";
import { runner } from "./sharding.ts";

/** Every code each handler's cases expect (§10, error codes); each must have at least one invalid case. */
const RAISES: Record<string, string[]> = {
  shuffle: ["SHARD_FIELD_INVALID", "JSON_SCHEMA"],
  assign: ["SHARD_FIELD_INVALID", "SHARD_DUPLICATE_SEAT", "SHARD_KEY_CONFLICT", "SHARD_TOO_FEW_SEATS"],
  reshard: [
    "SHARD_EMPTY",
    "SHARD_STATE_ORDER",
    "SHARD_KEY_CONFLICT",
    "SHARD_DUPLICATE_SEAT",
    "SHARD_FIELD_INVALID",
    "SHARD_TOO_FEW_SEATS",
  ],
  committee: ["SHARD_UNKNOWN", "BLS_POINT_NOT_COMPRESSED", "SHARD_EMPTY"],
  decode: [
    "RLP_EXPECTED_LIST",
    "SHARD_STATE_FIELD_COUNT",
    "RLP_EXPECTED_BYTES",
    "RLP_SCALAR_LEADING_ZERO",
    "SHARD_FIELD_INVALID",
    "SHARD_STATE_ORDER",
    "SHARD_KEY_CONFLICT",
    "SHARD_EMPTY",
  ],
  next: ["SHARD_EPOCH_MISMATCH"],
  header: ["SHARD_STATE_UNEXPECTED", "SHARD_EPOCH_MISMATCH", "SHARD_STATE_FIELD_COUNT"],
  epoch_end: ["SHARD_NO_RANDOMNESS"],
  beacon_blocks: [
    "DRG_COMMIT_MISSING",
    "XLINK_MALFORMED",
    "XLINK_GAP",
    "XLINK_DUPLICATE",
    "XLINK_UNSORTED",
    "XLINK_TOO_MANY",
    "QC_BAD_SIGNATURE",
    "SHARD_STATE_MISMATCH",
    "RLP_EXPECTED_LIST",
    "SHARD_SLASH_UNELECTED",
  ],
};

type StateJson = { epoch: string; rnd: string; seats: { validator: string; power: string; shard: number }[] };
type Move = { validator: string; from: number; to: number; reason: string };

describe.each([MINIMAL, MAINNET])("conformance runner: sharding, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const post = caseResults(runner, cases, preset);

  // @covers SHARD-SHUFFLE.1 SHARD-ASSIGN.1 SHARD-RESHARD.1 SHARD-COMMITTEES.1 SHARD-STATE.1 SHARD-NEXT.1 SHARD-HEADER.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectWellFormedCases(runner, cases);
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers SHARD-ASSIGN.1
  it("deals the full network into shards of exactly slotsPerShard seats", () => {
    const { state } = post("assign", "full_network") as { state: StateJson };
    const sizes = new Array<number>(preset.numShards).fill(0);
    for (const seat of state.seats) sizes[seat.shard]!++;
    expect(sizes).toEqual(new Array<number>(preset.numShards).fill(preset.slotsPerShard));
  });

  // @covers SHARD-RESHARD.1
  it("keeps every reshard case within each shard's budget, counted from the vector's own input", () => {
    for (const c of cases.filter((x) => x.handler === "reshard" && x.expectedError === undefined)) {
      const previous = (c.input as { previous: StateJson }).previous;
      const { moves } = post("reshard", c.name) as { moves: Move[] };
      const power = new Map(previous.seats.map((s) => [s.validator, BigInt(s.power)]));
      const budget = new Array<bigint>(preset.numShards).fill(0n);
      for (const seat of previous.seats) budget[seat.shard]! += BigInt(seat.power);
      const spent = new Array<bigint>(preset.numShards).fill(0n);
      for (const move of moves.filter((m) => m.reason !== "exempt")) {
        spent[move.from]! += power.get(move.validator)!;
        spent[move.to]! += power.get(move.validator)!;
      }
      spent.forEach((used, s) => {
        expect(used * 100n <= budget[s]! * BigInt(preset.reshardChurnPercent), `${c.name}, shard ${s}`).toBe(
          true,
        );
      });
    }
    expect((post("reshard", "exempt") as { moves: Move[] }).moves.map((m) => m.reason)).toEqual(["exempt"]);
  });

  // @covers SHARD-NEXT.1 SHARD-HEADER.1
  it("returns no state when the genesis committees serve on, and the state in force a epoch later", () => {
    expect(post("next", "genesis_serves_on")).toEqual({ state: null, encoded: null });
    const current = (cases.find((c) => c.name === "committees_serve_on")!.input as { current: StateJson })
      .current;
    expect((post("next", "committees_serve_on") as { state: StateJson }).state).toEqual({
      ...current,
      epoch: "2",
    });
    expect(post("header", "empty_field")).toEqual({ state: null });
    expect(bytesFromHex((post("assign", "small") as { encoded: string }).encoded)[0]).toBeGreaterThanOrEqual(
      0xc0,
    );
  });

  // @covers SHARD-EPOCH-END.1 STAKE-CANDIDATES.1
  it("ends the epoch as worked by hand from the preset's minimums", () => {
    type End = {
      accounts: { address: string; balance: string }[];
      inactive: string[];
      next: { epoch: string; seats: { validator: string; index: number; power: string }[] };
    };
    const end = post("epoch_end", "first_election") as unknown as End;
    const hex = (byte: number) => `0x${byte.toString(16).padStart(2, "0").repeat(20)}`;
    expect(end.inactive).toEqual([hex(3)]);
    // The delegator had 100 units, delegated 2 minimum delegations and got 1 back at the unlock.
    expect(BigInt(end.accounts.find((a) => a.address === hex(9))!.balance)).toBe(
      preset.minSelfDelegation * 100n - preset.minDelegation,
    );
    const byValidator = (byte: number) =>
      end.next.seats.filter((seat) => seat.validator === hex(byte)).length;
    const unit = preset.minSelfDelegation;
    const stakes = [5n * unit, 3n * unit + preset.minDelegation];
    const seats = BigInt(preset.numShards * preset.slotsPerShard);
    if (preset.electionRule === "adaptive") {
      // λ = ⌈total / seats⌉; each validator takes ⌊stake / λ⌋ shares.
      const total = stakes[0]! + stakes[1]!;
      const lambda = (total + seats - 1n) / seats;
      expect([byValidator(1), byValidator(2)]).toEqual(stakes.map((stake) => Number(stake / lambda)));
    } else {
      // EPoS: every key of the two active validators wins a seat.
      expect([byValidator(1), byValidator(2)]).toEqual([2, 1]);
    }
    expect(byValidator(3)).toBe(0);
    expect(end.next.epoch).toBe(String(1 + preset.undelegationLockEpochs + 1));
  });

  // @covers SHARD-BEACON-BLOCK.3
  it("a beacon chain through epoch 0 writes the seats the stakers' stakes give by hand", () => {
    if (preset.blocksPerEpoch > 8) return;
    type Beacon = {
      current: { epoch: string; seats: { validator: string }[] };
      pending: null;
      rnd: string | null;
    };
    const after = post("beacon_blocks", "epoch_zero_and_first_reward") as unknown as Beacon;
    // 5 and 3 minimum self-delegations over numShards · slotsPerShard = 8 seats: λ = one unit, 5 and 3 shares.
    const byValidator = new Map<string, number>();
    for (const seat of after.current.seats)
      byValidator.set(seat.validator, (byValidator.get(seat.validator) ?? 0) + 1);
    expect([...byValidator.values()].sort()).toEqual([3, 5]);
    expect(after.current.epoch).toBe("1");
    // The chain stops at offset 2 of epoch 1: its commitment is made, its reveal and next state are not.
    expect([after.rnd, after.pending]).toEqual([null, null]);
  });

  // @covers XLINK-INCLUDE.2
  it("records the last crosslinked height of each shard: 3 after blocks 1–3, 8 after the rewarded block", () => {
    const crossLinked = (name: string) =>
      (post("beacon_blocks", name) as { crossLinked: unknown }).crossLinked;
    expect(crossLinked("crosslinks_in_order")).toEqual({ "1": "3" });
    const plain = preset.blocksPerEpoch <= 8 ? "epoch_zero_and_first_reward" : "commit_and_registrations";
    expect(crossLinked(plain)).toEqual({});
    if (preset.blocksPerEpoch <= 8) expect(crossLinked("shard_block_rewarded")).toEqual({ "1": "8" });
  });
});
