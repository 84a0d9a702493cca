import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
} from "../../testing/runnerChecks.ts";
import { runner } from "./staking.ts";

/** Every code each handler can raise (§8.1); each must have at least one invalid case. */
const RAISES: Record<string, string[]> = {
  elect_epos: [
    "ELECT_FIELD_INVALID",
    "ELECT_NO_KEYS",
    "ELECT_DUPLICATE_VALIDATOR",
    "ELECT_DUPLICATE_KEY",
    "JSON_SCHEMA",
  ],
  elect_adaptive: [
    "ELECT_FIELD_INVALID",
    "ELECT_NO_KEYS",
    "ELECT_DUPLICATE_VALIDATOR",
    "ELECT_DUPLICATE_KEY",
    "JSON_SCHEMA",
  ],
  elect_seats: ["ELECT_DUPLICATE_KEY"],
  decode_directive: ["STAKE_DIRECTIVE_INVALID", "RLP_EXPECTED_LIST", "RLP_SCALAR_LEADING_ZERO"],
  apply_directive: [
    "STAKE_VALIDATOR_EXISTS",
    "STAKE_RATE_INVALID",
    "STAKE_KEY_COUNT",
    "STAKE_KEY_IN_USE",
    "STAKE_POP_INVALID",
    "STAKE_MIN_SELF_DELEGATION",
    "STAKE_SELF_DELEGATION_TOO_LOW",
    "STAKE_INSUFFICIENT_BALANCE",
    "STAKE_DESCRIPTION_TOO_LONG",
    "STAKE_RATE_CHANGE_TOO_FAST",
    "STAKE_KEY_NOT_FOUND",
    "STAKE_BANNED",
    "STAKE_NO_VALIDATOR",
    "STAKE_DELEGATION_TOO_SMALL",
    "STAKE_DELEGATION_CAP",
    "STAKE_UNDELEGATE_TOO_MUCH",
    "STAKE_AMOUNT_ZERO",
    "STAKE_NO_REWARDS",
  ],
  unlock: [],
};

const ONE = 10n ** 18n;

describe.each([MINIMAL, MAINNET])("conformance runner: staking, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const post = caseResults(runner, cases, preset);

  // @covers ELECT-EPOS.1 ELECT-CANDIDATES.1 ELECT-ADAPTIVE.1 ELECT-SEATS.1 STAKE-APPLY.1 STAKE-DIRECTIVE-FORMAT.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers ELECT-EPOS.1
  it("elects what the rule gives by hand: bids, median and a 35% band", () => {
    type Elected = { elected: { address: string; key: string; rawStake: string; effectiveStake: string }[] };
    const powers = (name: string) =>
      (post("elect_epos", name) as Elected).elected.map((s) => [
        s.address.slice(2, 4),
        s.rawStake,
        s.effectiveStake,
      ]);
    // Median 25 ONE; band [16.25, 33.75] ONE.
    const top = ((60n * ONE) / 1n).toString();
    expect(powers("spread_and_clip")).toEqual([
      ["0b", top, (3375n * 10n ** 16n).toString()],
      ...Array.from({ length: 4 }, () => ["0a", (25n * ONE).toString(), (25n * ONE).toString()]),
    ]);
    expect(powers("every_key").slice(5)).toEqual(
      Array.from({ length: 2 }, () => ["0c", (15n * ONE).toString(), (1625n * 10n ** 16n).toString()]),
    );
    expect(powers("rounding")).toEqual([
      ["02", "10", "4"],
      ["01", "3", "3"],
      ["01", "3", "3"],
    ]);
    // Median ⌊(20 + 30) / 2⌋ = 25; band [16, 33]: 10 is lifted to 16 and 41 clipped to 33.
    expect(powers("even_median").map(([, , effective]) => effective)).toEqual(["33", "30", "20", "16"]);
    expect(powers("tie_by_address").map(([validator]) => validator)).toEqual(["01", "01", "01"]);
  });

  // @covers ELECT-ADAPTIVE.1 ELECT-SEATS.1
  it("cuts shares as the rule gives by hand, and seats follow the preset's rule", () => {
    type Seats = {
      threshold?: string;
      seats: { validator: string; index: number; key: string; power: string }[];
    };
    const seats = (handler: string, name: string) =>
      (post(handler, name) as Seats).seats.map(
        (s) => `${s.validator.slice(2, 4)}#${s.index}:${s.key.slice(2, 6)}=${s.power}`,
      );
    // λ = ⌈167 / 8⌉ ONE = 20.875 ONE: 100 ONE → 4 shares on keys 0, 1, 0, 1; 60 ONE → 2; 7 ONE → 0.
    expect((post("elect_adaptive", "shares_and_keys") as Seats).threshold).toBe(
      (20875n * 10n ** 15n).toString(),
    );
    expect(seats("elect_adaptive", "shares_and_keys")).toEqual([
      "0a#0:0a00=1",
      "0a#1:0a01=1",
      "0a#2:0a00=1",
      "0a#3:0a01=1",
      "0b#0:0b00=1",
      "0b#1:0b00=1",
    ]);
    expect(seats("elect_adaptive", "equal_stakes")).toHaveLength(8);
    if (preset.electionRule === "adaptive") {
      // 190 ONE over 8 seats: λ = 23.75 ONE; A 4 shares (95 ≤ 100), B 2 (47.5 ≤ 60), C 1 (23.75 ≤ 30).
      expect(seats("elect_seats", "three_validators")).toEqual([
        "0a#0:0a00=1",
        "0a#1:0a01=1",
        "0a#2:0a02=1",
        "0a#3:0a03=1",
        "0b#0:0b00=1",
        "0b#1:0b00=1",
        "0c#0:0c00=1",
      ]);
    } else {
      // All seven keys win; median 25 ONE, band [16.25, 33.75] ONE.
      const [b, a, c] = [3375n * 10n ** 16n, 25n * ONE, 1625n * 10n ** 16n].map(String);
      expect(seats("elect_seats", "three_validators")).toEqual([
        `0b#0:0b00=${b}`,
        `0a#0:0a00=${a}`,
        `0a#1:0a01=${a}`,
        `0a#2:0a02=${a}`,
        `0a#3:0a03=${a}`,
        `0c#0:0c00=${c}`,
        `0c#1:0c01=${c}`,
      ]);
    }
  });

  // @covers STAKE-CREATE.1 STAKE-UNDELEGATE.1 STAKE-UNLOCK.1
  it("moves the amounts the directives name, by hand from the presets' minimums", () => {
    type Accounts = {
      accounts: { address: string; balance: string; delegated: string; undelegating: string }[];
    };
    const of = (handler: string, name: string, byte: number) => {
      const a = (post(handler, name) as Accounts).accounts.find(
        (x) => x.address === `0x${byte.toString(16).padStart(2, "0").repeat(20)}`,
      )!;
      return [a.balance, a.delegated, a.undelegating].map(BigInt);
    };
    const [minSelf, minDel] = [preset.minSelfDelegation, preset.minDelegation];
    // V holds 100 minimum self-delegations and bonds 5; D holds 50, delegates 3 minimum delegations and
    // undelegates 1.
    expect(of("apply_directive", "create", 1)).toEqual([95n * minSelf, 5n * minSelf, 0n]);
    expect(of("apply_directive", "undelegate", 2)).toEqual([
      50n * minSelf - 3n * minDel,
      2n * minDel,
      minDel,
    ]);
    expect(of("unlock", "unlock_early", 2)).toEqual([50n * minSelf - 3n * minDel, 2n * minDel, minDel]);
    expect(of("unlock", "unlock_due", 2)).toEqual([50n * minSelf - 2n * minDel, 2n * minDel, 0n]);
  });
});
