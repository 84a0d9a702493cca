import { describe, expect, it } from "vitest";
import { bytesFromHex } from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import { StateJson } from "../../../reference/ledger/ledgerJson.ts";
import { getAccount, stateFromList } from "../../../reference/ledger/state.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import { RATE_ONE, readRecord, STATUS } from "../../../reference/staking/record.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
} from "../../testing/runnerChecks.ts";
import { addressOf } from "../../testing/stakingFixtures.ts";
import { supplyOf, totalsMismatches } from "../../testing/stakingStates.ts";
import { runner } from "./rewards.ts";

/** Every code each handler can raise (§11); each must have at least one invalid case. */
const RAISES: Record<string, string[]> = {
  reward_block: [
    "REWARD_NO_QUORUM",
    "REWARD_OWNERS_MISMATCH",
    "REWARD_OWNER_NOT_VALIDATOR",
    "BITMAP_STRAY_BITS",
    "BITMAP_LENGTH",
    "COMMITTEE_DUPLICATE_KEY",
    "JSON_SCHEMA",
  ],
  availability: ["JSON_SCHEMA"],
  slash_verify: [
    "SLASH_SHARD_INVALID",
    "SLASH_FUTURE_EPOCH",
    "SLASH_NOT_VALIDATOR",
    "SLASH_ALREADY_BANNED",
    "SLASH_NOT_OFFENDER",
    "EVIDENCE_NOT_CONFLICTING",
    "EVIDENCE_NO_COMMON_SIGNER",
    "EVIDENCE_BAD_SIGNATURE",
    "REWARD_OWNER_NOT_VALIDATOR",
    "JSON_BYTES_LENGTH",
  ],
  slash: ["SLASH_ALREADY_BANNED"],
};

const [A, C, D1, D2, LEADER] = [0x0a, 0x0c, 0xd1, 0xd2, 0x1e].map(addressOf) as Uint8Array[] as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];

type Post = { accounts: unknown; minted?: string; dues?: { due: string; paid: boolean }[] } & Record<
  string,
  unknown
>;

const stateOf = (post: Post) => unwrap(stateFromList(StateJson.parse(post.accounts)));

describe.each([MINIMAL, MAINNET])("conformance runner: rewards, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const results = caseResults(runner, cases, preset);
  const post = (handler: string, name: string) => results(handler, name) as Post;
  const preOf = (handler: string, name: string) =>
    unwrap(stateFromList(StateJson.parse(cases.find((c) => c.handler === handler && c.name === name)!.pre)));

  // @covers REWARD-BLOCK.1 REWARD-PAYOUT.1 REWARD-SIGNING.1 REWARD-OWNER.1 REWARD-AVAILABILITY.1 SLASH-RECORD.1 SLASH-VERIFY.1 SLASH-APPLY.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers REWARD-BLOCK.1 REWARD-PAYOUT.1
  it("splits the preset's reward as the rule gives by hand", () => {
    const R = preset.blockReward;
    const split = post("reward_block", "split");
    // Signers hold 8 of 10: A and C each ⌊R·4/8⌋, A also the remainder R − 2⌊R/2⌋.
    const half = (R * 4n) / 8n;
    expect(split.dues!.map((d) => [d.due, d.paid])).toEqual([
      [String(half + (R - 2n * half)), true],
      [String(half), true],
    ]);
    expect(split.minted).toBe(String(R));
    const state = stateOf(split);
    const dueA = half + (R - 2n * half);
    const commission = (dueA * (RATE_ONE / 10n)) / RATE_ONE;
    const rest = dueA - commission;
    const [s0, s1, s2] = [(rest * 60n) / 100n, (rest * 30n) / 100n, (rest * 10n) / 100n];
    expect(readRecord(state, A)!.delegations.map((d) => d.reward)).toEqual([
      s0! + commission + (rest - s0! - s1! - s2!),
      s1,
      s2! + 5n,
    ]);
    expect(readRecord(state, C)!.delegations[0]!.reward).toBe(half);
    expect(supplyOf(state) - supplyOf(preOf("reward_block", "split"))).toBe(R);
    expect(totalsMismatches(state)).toEqual([]);
    const banned = post("reward_block", "banned_signer");
    expect(banned.minted).toBe(String(dueA));
    expect(readRecord(stateOf(banned), C)!.status).toBe(STATUS.banned);
  });

  // @covers REWARD-AVAILABILITY.1
  it("makes inactive the validators below two thirds", () => {
    const out = post("availability", "epoch_end") as Post & { inactive: string[] };
    expect(out.inactive.map((a) => bytesFromHex(a)[0])).toEqual([1, 4]);
  });

  // @covers SLASH-APPLY.1 SLASH-VERIFY.1
  it("slashes what the rule gives by hand", () => {
    // See the case descriptions: 600 + 426 + 53 = 1079 slashed, 539 paid, 540 burnt.
    const out = post("slash", "validator_and_delegators");
    expect([out.slashed, out.paid, out.burnt]).toEqual(["1079", "539", "540"]);
    const state = stateOf(out);
    expect(readRecord(state, A)!.status).toBe(STATUS.banned);
    expect(getAccount(state, LEADER).balance).toBe(540n);
    expect([D1, D2].map((d) => getAccount(state, d).rewards)).toEqual([14n, 17n]);
    expect(supplyOf(preOf("slash", "validator_and_delegators")) - supplyOf(state)).toBe(540n);
    const short = post("slash", "bond_short_offender_leads");
    // A: ⌊(100 + 900) / 2⌋ = 500; D = 400 over 400 : 50: ⌊400·400/450⌋ = 355, ⌊400·50/450⌋ = 44.
    expect([short.slashed, short.paid, short.burnt]).toEqual(["899", "0", "899"]);
    expect(post("slash_verify", "conflicting_certificates")).toEqual({ convicted: [1, 2] });
  });
});
