import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import {
  delegation,
  keyOfBytes,
  plainCommittee,
  stakingState,
  supplyOf,
  totalsMismatches,
  validatorRecord,
} from "../../tools/testing/stakingStates.ts";
import { encodeBitmap } from "../crypto/bitmap.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { RATE_ONE, readRecord, STATUS } from "../staking/record.ts";
import { rewardBlock } from "./reward.ts";

const [A, B, C] = [0x0a, 0x0b, 0x0c].map(addressOf) as [Uint8Array, Uint8Array, Uint8Array];
const [D1, D2] = [0xd1, 0xd2].map(addressOf) as [Uint8Array, Uint8Array];
const [KA0, KA1, KB, KC] = [
  keyOfBytes(0x0a, 0),
  keyOfBytes(0x0a, 1),
  keyOfBytes(0x0b, 0),
  keyOfBytes(0x0c, 0),
];

/** R = 1001 atto, so that the split leaves a remainder. */
const PRESET: Preset = { ...MINIMAL, blockReward: 1001n };

/**
 * A holds members 0 and 1 (powers 3 and 1) at 10 % commission with delegations A 60, D1 30, D2 10; B holds
 * member 2 (power 2) alone with 40; C holds member 3 (power 4) alone with 50. Total power 10.
 */
function fixture(cStatus: 1 | 2 | 3 = STATUS.active) {
  const state = stakingState(
    [
      {
        address: A,
        record: validatorRecord(
          [KA0, KA1],
          [delegation(A, 60n), delegation(D1, 30n), delegation(D2, 10n, 5n)],
          {
            rate: RATE_ONE / 10n,
          },
        ),
      },
      { address: B, record: validatorRecord([KB], [delegation(B, 40n)]) },
      { address: C, record: validatorRecord([KC], [delegation(C, 50n)], { status: cStatus }) },
    ],
    [{ address: D1, balance: 7n }],
  );
  const committee = plainCommittee([
    [KA0, 3n],
    [KA1, 1n],
    [KB, 2n],
    [KC, 4n],
  ]);
  return { state, committee, owners: [A, A, B, C] };
}

const bitmap = (signers: number[]) => unwrap(encodeBitmap(4, signers));

describe("REWARD-BLOCK", () => {
  // @covers REWARD-BLOCK.1 REWARD-PAYOUT.1 REWARD-SIGNING.1 REWARD-OWNER.1
  it("splits the reward by the signers' power, then by commission and bonded amounts", () => {
    const { state, committee, owners } = fixture();
    // Signers 0, 1, 3: power 8 of 10. A: ⌊1001·4/8⌋ = 500, C: ⌊1001·4/8⌋ = 500, remainder 1 to A (first signer).
    const out = unwrap(rewardBlock(state, committee, owners, bitmap([0, 1, 3]), PRESET));
    expect(out.dues.map((d) => [bytesToHex(d.validator), d.due, d.paid])).toEqual([
      [bytesToHex(A), 501n, true],
      [bytesToHex(C), 500n, true],
    ]);
    expect(out.minted).toBe(1001n);
    // A: commission ⌊501/10⌋ = 50, rest 451: ⌊451·60/100⌋ = 270, ⌊451·30/100⌋ = 135, ⌊451·10/100⌋ = 45;
    // remainder 451 − 450 = 1, so A's own entry gets 270 + 50 + 1 = 321.
    const a = readRecord(out.state, A)!;
    expect(a.delegations.map((d) => d.reward)).toEqual([321n, 135n, 50n]);
    expect(readRecord(out.state, C)!.delegations[0]!.reward).toBe(500n);
    expect(getAccount(out.state, D1)).toMatchObject({ balance: 7n, rewards: 135n, delegated: 30n });
    expect(getAccount(out.state, D2).rewards).toBe(50n);
    // Counters per member: A two members, both signed; B one, unsigned; C one, signed.
    expect(
      [A, B, C].map((v) => [readRecord(out.state, v)!.blocksToSign, readRecord(out.state, v)!.blocksSigned]),
    ).toEqual([
      [2n, 2n],
      [1n, 0n],
      [1n, 1n],
    ]);
    expect(supplyOf(out.state) - supplyOf(state)).toBe(1001n);
    expect(totalsMismatches(out.state)).toEqual([]);
  });

  // @covers REWARD-BLOCK.1
  it("pays a banned validator nothing and mints nothing for it", () => {
    const { state, committee, owners } = fixture(STATUS.banned);
    const out = unwrap(rewardBlock(state, committee, owners, bitmap([0, 1, 3]), PRESET));
    expect(out.dues.map((d) => [d.due, d.paid])).toEqual([
      [501n, true],
      [500n, false],
    ]);
    expect(out.minted).toBe(501n);
    expect(readRecord(out.state, C)!.delegations[0]!.reward).toBe(0n);
    expect(readRecord(out.state, C)!.blocksSigned).toBe(1n);
    expect(supplyOf(out.state) - supplyOf(state)).toBe(501n);
  });

  // @covers REWARD-BLOCK.1 REWARD-OWNER.1
  it("refuses a bitmap without a quorum, owners that do not fit the committee, and a malformed bitmap", () => {
    const { state, committee, owners } = fixture();
    // Signers 2 and 3 hold 6 of 10: 18 > 20 is false.
    expect(resultCode(rewardBlock(state, committee, owners, bitmap([2, 3]), PRESET))).toBe(
      "REWARD_NO_QUORUM",
    );
    expect(resultCode(rewardBlock(state, committee, owners.slice(1), bitmap([0, 1, 3]), PRESET))).toBe(
      "REWARD_OWNERS_MISMATCH",
    );
    expect(resultCode(rewardBlock(state, committee, [A, A, D1, C], bitmap([0, 1, 3]), PRESET))).toBe(
      "REWARD_OWNER_NOT_VALIDATOR",
    );
    expect(resultCode(rewardBlock(state, committee, owners, Uint8Array.of(0xff), PRESET))).toBe(
      "BITMAP_STRAY_BITS",
    );
  });

  // @covers REWARD-BLOCK.1 REWARD-OWNER.1
  it("pays a member's validator as the election fixed it, even after the key left the record", () => {
    // A removed member 1's key from its record during the epoch; the member still signs for A.
    const { committee, owners } = fixture();
    const state = stakingState([
      { address: A, record: validatorRecord([KA0], [delegation(A, 10n)]) },
      { address: B, record: validatorRecord([KB], [delegation(B, 40n)]) },
      { address: C, record: validatorRecord([KC], [delegation(C, 50n)]) },
    ]);
    // Signers 1, 2, 3 hold 7 of 10 (21 > 20).
    const out = unwrap(rewardBlock(state, committee, owners, bitmap([1, 2, 3]), PRESET));
    // A: power 1, ⌊1001/7⌋ = 143; B: 2, ⌊2002/7⌋ = 286; C: 4, ⌊4004/7⌋ = 572; remainder 0.
    expect(out.dues.map((d) => d.due)).toEqual([143n, 286n, 572n]);
    expect(readRecord(out.state, A)!.delegations[0]!.reward).toBe(143n);
  });

  // @covers REWARD-PAYOUT.1
  it("gives the whole due to the validator's own entry when nothing is bonded", () => {
    const state = stakingState([
      {
        address: A,
        record: validatorRecord([KA0], [delegation(A, 0n), delegation(D1, 0n)], { rate: RATE_ONE / 3n }),
      },
    ]);
    const out = unwrap(
      rewardBlock(state, plainCommittee([[KA0, 1n]]), [A], unwrap(encodeBitmap(1, [0])), PRESET),
    );
    expect(readRecord(out.state, A)!.delegations.map((d) => d.reward)).toEqual([1001n, 0n]);
  });
});
