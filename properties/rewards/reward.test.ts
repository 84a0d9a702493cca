import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Committee } from "../../reference/consensus/committee.ts";
import { encodeBitmap } from "../../reference/crypto/bitmap.ts";
import { bytesFromHex, bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import type { AccountState } from "../../reference/ledger/state.ts";
import { MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { closeAvailabilityEpoch } from "../../reference/rewards/availability.ts";
import { rewardBlock } from "../../reference/rewards/reward.ts";
import {
  adjustAccount,
  RATE_ONE,
  readRecord,
  STATUS,
  type ValidatorRecord,
  writeRecord,
} from "../../reference/staking/record.ts";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import { supplyOf, totalsMismatches } from "../../tools/testing/stakingStates.ts";
import { type CommitteeCase, committeeArbitrary, stateOfSpecs, validatorsArbitrary } from "./arbitraries.ts";

/*
 * REWARD-BLOCK over random beacon states and committees: the supply grows by exactly what is minted, which is R
 * minus the dues of banned validators; STAKE-TOTALS.1 holds after; every due and share matches a plain second
 * computation of the rule; and two deliberately broken rules are caught.
 */

interface RewardRun {
  readonly state: AccountState;
  readonly minted: bigint;
}

type RewardRule = (state: AccountState, c: CommitteeCase, preset: Preset) => RewardRun;

const bitmapOf = (c: CommitteeCase) => unwrap(encodeBitmap(c.committee.members.length, c.signers));

const referenceRule: RewardRule = (state, c, preset) =>
  unwrap(rewardBlock(state, c.committee, c.owners, bitmapOf(c), preset));

/** A broken rule: the delegations are credited, the delegators' `rewards` totals are not. */
const accountsNotCredited: RewardRule = (state, c, preset) => {
  const run = referenceRule(state, c, preset);
  const working = new Map(run.state);
  for (const [key, account] of working)
    working.set(key, { ...account, rewards: state.get(key)?.rewards ?? 0n });
  return { ...run, state: working };
};

/**
 * The per-delegation reward increments of REWARD-BLOCK and PAYOUT computed plainly from the committee and the
 * records before: validator → list of increments, in delegation order. With `keepDust` false, the rounding
 * remainders of both splits are dropped (the broken rule below).
 */
function expectedIncrements(
  state: AccountState,
  c: CommitteeCase,
  reward: bigint,
  keepDust: boolean,
): Map<string, bigint[]> {
  const power = new Map<string, bigint>();
  const firstSeen: string[] = [];
  let signed = 0n;
  for (const i of c.signers) {
    const owner = bytesToHex(c.owners[i]!);
    if (!power.has(owner)) firstSeen.push(owner);
    power.set(owner, (power.get(owner) ?? 0n) + c.committee.members[i]!.power);
    signed += c.committee.members[i]!.power;
  }
  const out = new Map<string, bigint[]>();
  let given = 0n;
  const due = new Map<string, bigint>();
  for (const owner of firstSeen) {
    due.set(owner, (reward * power.get(owner)!) / signed);
    given += due.get(owner)!;
  }
  if (keepDust) due.set(firstSeen[0]!, due.get(firstSeen[0]!)! + reward - given);
  for (const owner of firstSeen) {
    const record = readRecord(state, bytesFromHex(owner))!;
    if (record.status === STATUS.banned) continue;
    const d = due.get(owner)!;
    const commission = (d * record.rate) / RATE_ONE;
    const bonded = record.delegations.reduce((sum, e) => sum + e.amount, 0n);
    const shares = record.delegations.map((e) =>
      bonded === 0n ? 0n : ((d - commission) * e.amount) / bonded,
    );
    const dust = d - commission - shares.reduce((a, b) => a + b, 0n);
    shares[0] = shares[0]! + commission + (keepDust ? dust : 0n);
    out.set(owner, shares);
  }
  return out;
}

/** A broken rule: the rounding remainders are not paid, yet the whole due is reported as minted. */
const dustLost: RewardRule = (state, c, preset) => {
  const run = referenceRule(state, c, preset);
  const working = new Map(run.state);
  const kept = expectedIncrements(state, c, preset.blockReward, true);
  const lost = expectedIncrements(state, c, preset.blockReward, false);
  for (const [owner, shares] of kept) {
    const address = bytesFromHex(owner);
    const record = readRecord(working, address)!;
    const dust = shares[0]! - lost.get(owner)![0]!;
    adjustAccount(working, record.delegations[0]!.delegator, { rewards: -dust });
    const delegations = record.delegations.map((d, j) => (j === 0 ? { ...d, reward: d.reward - dust } : d));
    writeRecord(working, address, { ...record, delegations });
  }
  return { ...run, state: working };
};

const cases = validatorsArbitrary.chain((specs) =>
  fc.record({
    specs: fc.constant(specs),
    committee: committeeArbitrary(specs),
    reward: fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 10n ** 22n })),
  }),
);

function conserves(rule: RewardRule) {
  return fc.property(cases, ({ specs, committee, reward }) => {
    const state = stateOfSpecs(specs);
    const preset = { ...MINIMAL, blockReward: reward };
    const run = rule(state, committee, preset);
    expect(supplyOf(run.state) - supplyOf(state)).toBe(run.minted);
    // Σ dues = R; what is not minted is exactly the banned validators' dues.
    let bannedPower = 0n;
    let signed = 0n;
    for (const i of committee.signers) {
      signed += committee.committee.members[i]!.power;
      if (readRecord(state, committee.owners[i]!)!.status === STATUS.banned)
        bannedPower += committee.committee.members[i]!.power;
    }
    if (bannedPower === 0n) expect(run.minted).toBe(reward);
    if (bannedPower === signed) expect(run.minted).toBe(0n);
  });
}

function keepsTotals(rule: RewardRule) {
  return fc.property(cases, ({ specs, committee, reward }) => {
    const run = rule(stateOfSpecs(specs), committee, { ...MINIMAL, blockReward: reward });
    expect(totalsMismatches(run.state)).toEqual([]);
  });
}

function recordsOf(state: AccountState, committee: Committee, owners: readonly Uint8Array[]) {
  const out = new Map<string, ValidatorRecord>();
  for (let i = 0; i < committee.members.length; i++) {
    out.set(bytesToHex(owners[i]!), readRecord(state, owners[i]!)!);
  }
  return out;
}

describe("rewards property: block reward", () => {
  // @covers REWARD-BLOCK.1 REWARD-PAYOUT.1
  it("mints exactly R, less the dues of banned validators, and the supply grows by that much", () => {
    fc.assert(conserves(referenceRule), { seed: 1101, numRuns: 150 });
  });

  // @covers REWARD-PAYOUT.1 STAKE-TOTALS.1
  it("keeps every account's totals equal to the sums of its entries", () => {
    fc.assert(keepsTotals(referenceRule), { seed: 1102, numRuns: 150 });
  });

  // @covers REWARD-BLOCK.1 REWARD-PAYOUT.1 REWARD-SIGNING.1 REWARD-OWNER.1
  it("credits every delegation what a plain computation of the rule gives, and counts every member once", () => {
    fc.assert(
      fc.property(cases, ({ specs, committee, reward }) => {
        const state = stateOfSpecs(specs);
        const run = referenceRule(state, committee, { ...MINIMAL, blockReward: reward });
        const expected = expectedIncrements(state, committee, reward, true);
        const before = recordsOf(state, committee.committee, committee.owners);
        const after = recordsOf(run.state, committee.committee, committee.owners);
        for (const [owner, record] of before) {
          const increments = record.delegations.map(
            (d, j) => after.get(owner)!.delegations[j]!.reward - d.reward,
          );
          expect([owner, increments]).toEqual([owner, expected.get(owner) ?? increments.map(() => 0n)]);
          for (const share of increments) expect(share >= 0n).toBe(true);
          const members = committee.owners.filter((o) => bytesToHex(o) === owner).length;
          const signedMembers = committee.signers.filter(
            (i) => bytesToHex(committee.owners[i]!) === owner,
          ).length;
          expect(after.get(owner)!.blocksToSign - record.blocksToSign).toBe(BigInt(members));
          expect(after.get(owner)!.blocksSigned - record.blocksSigned).toBe(BigInt(signedMembers));
        }
        // Proportional within rounding: |due_v · P − R · p_v| < |V| · P, and no balance moves.
        const { dues } = unwrap(
          rewardBlock(state, committee.committee, committee.owners, bitmapOf(committee), {
            ...MINIMAL,
            blockReward: reward,
          }),
        );
        let signed = 0n;
        for (const i of committee.signers) signed += committee.committee.members[i]!.power;
        for (const { validator, due } of dues) {
          let p = 0n;
          for (const i of committee.signers) {
            if (bytesToHex(committee.owners[i]!) === bytesToHex(validator))
              p += committee.committee.members[i]!.power;
          }
          const gap = due * signed - reward * p;
          expect(gap > -BigInt(dues.length) * signed && gap < BigInt(dues.length) * signed).toBe(true);
        }
        for (const [key, account] of run.state) expect(account.balance).toBe(state.get(key)?.balance ?? 0n);
      }),
      { seed: 1103, numRuns: 150 },
    );
  });

  it("catches a rule that credits delegations but not the accounts' totals (the check is not vacuous)", () => {
    const result = fc.check(keepsTotals(accountsNotCredited), { seed: 1104, numRuns: 100 });
    expect(result.failed).toBe(true);
  });

  it("catches a rule that drops the rounding remainders (the check is not vacuous)", () => {
    const result = fc.check(conserves(dustLost), { seed: 1105, numRuns: 200 });
    expect(result.failed).toBe(true);
  });
});

describe("rewards property: availability", () => {
  // @covers REWARD-AVAILABILITY.1
  it("resets every counter, changes only active validators below two thirds, and moves no supply", () => {
    fc.assert(
      fc.property(validatorsArbitrary, (specs) => {
        const state = stateOfSpecs(specs);
        const out = closeAvailabilityEpoch(state);
        expect(supplyOf(out.state)).toBe(supplyOf(state));
        expect(totalsMismatches(out.state)).toEqual([]);
        const inactive = new Set(out.inactive.map(bytesToHex));
        for (const spec of specs) {
          const before = spec.record;
          const after = readRecord(out.state, addressOf(spec.byte))!;
          const below =
            before.status === STATUS.active &&
            before.blocksToSign > 0n &&
            before.blocksSigned * 3n <= before.blocksToSign * 2n;
          expect([after.status, after.blocksToSign, after.blocksSigned]).toEqual([
            below ? STATUS.inactive : before.status,
            0n,
            0n,
          ]);
          expect(inactive.has(bytesToHex(addressOf(spec.byte)))).toBe(below);
        }
      }),
      { seed: 1106, numRuns: 100 },
    );
  });
});
