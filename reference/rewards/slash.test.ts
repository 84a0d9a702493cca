import { describe, expect, it } from "vitest";
import { certificateBy, genesisSigners, type Signer } from "../../tools/testing/consensusSigners.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import {
  delegation,
  stakingState,
  supplyOf,
  totalsMismatches,
  validatorRecord,
} from "../../tools/testing/stakingStates.ts";
import { type Committee, checkCommittee } from "../consensus/committee.ts";
import type { SignedVote } from "../consensus/evidence.ts";
import { commitPayload, preparePayload } from "../consensus/payloads.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { readRecord, STATUS, type ValidatorRecord } from "../staking/record.ts";
import { applySlash, type SlashRecord, slash, verifySlash } from "./slash.ts";

const FOUR = genesisSigners(0, 4);
const [S0, S1, S2, S3] = FOUR as [Signer, Signer, Signer, Signer];
const COMMITTEE: Committee = unwrap(
  checkCommittee(
    FOUR.map((s) => ({ publicKey: s.publicKey, power: 1n })),
    blstBls,
  ),
);

const [V, W, D1, D2, LEADER] = [0x0a, 0x0b, 0xd1, 0xd2, 0x1e].map(addressOf) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];

function vote(kind: "prepare" | "commit", signers: readonly Signer[], hashByte: number): SignedVote {
  const hash = new Uint8Array(32).fill(hashByte);
  const payload = kind === "prepare" ? preparePayload(3n, hash, 5n) : commitPayload(3n, hash, 5n);
  const cert = certificateBy(signers, payload, 4);
  return { kind, blockNum: 3n, viewId: 5n, blockHash: hash, bitmap: cert.bitmap, signature: cert.signature };
}

/**
 * V holds members 1 and 2; W holds members 0 and 3. V: own 1000 bonded, undelegated 100 in epoch 4 and 200 in
 * epoch 6, reward 7; D1: 300 bonded, 100 undelegated in epoch 5, reward 40; D2: 50 bonded, reward 20.
 */
function fixture(status: 1 | 2 | 3 = STATUS.active) {
  const v: ValidatorRecord = validatorRecord(
    [S1.publicKey, S2.publicKey],
    [
      delegation(V, 1000n, 7n, [
        [100n, 4n],
        [200n, 6n],
      ]),
      delegation(D1, 300n, 40n, [[100n, 5n]]),
      delegation(D2, 50n, 20n),
    ],
    { status },
  );
  const w = validatorRecord([S0.publicKey, S3.publicKey], [delegation(W, 500n)]);
  return stakingState(
    [
      { address: V, record: v },
      { address: W, record: w },
    ],
    [{ address: LEADER, balance: 1n }],
  );
}

/** Members 0 and 3 belong to W, members 1 and 2 to V. */
const OWNERS = [W, V, V, W];

const record = (evidence: SlashRecord["evidence"], fields: Partial<SlashRecord> = {}): SlashRecord => ({
  epoch: 5n,
  shard: 0,
  offender: V,
  evidence,
  ...fields,
});

const double = { first: vote("commit", [S1], 0x11), second: vote("commit", [S1], 0x22) };

describe("SLASH-VERIFY", () => {
  // @covers SLASH-VERIFY.1 SLASH-RECORD.1
  it("convicts the offender's members that signed both votes", () => {
    const state = fixture();
    expect(unwrap(verifySlash(state, record(double), COMMITTEE, OWNERS, 5n, MINIMAL, blstBls))).toEqual([1]);
    // Conflicting prepared certificates of 0, 1, 2 and 1, 2, 3: both of V's members are in both.
    const certificates = {
      first: vote("prepare", [S0, S1, S2], 0x11),
      second: vote("prepare", [S1, S2, S3], 0x22),
    };
    expect(unwrap(verifySlash(state, record(certificates), COMMITTEE, OWNERS, 9n, MINIMAL, blstBls))).toEqual(
      [1, 2],
    );
    // The committee's owners decide, not the record's keys: V cannot escape by removing the key it signed with.
    const removed = stakingState([
      { address: V, record: validatorRecord([S2.publicKey], [delegation(V, 10n)]) },
      { address: W, record: validatorRecord([S0.publicKey, S3.publicKey], [delegation(W, 10n)]) },
    ]);
    expect(unwrap(verifySlash(removed, record(double), COMMITTEE, OWNERS, 5n, MINIMAL, blstBls))).toEqual([
      1,
    ]);
  });

  // @covers SLASH-VERIFY.1
  it("names every record that does not convict", () => {
    const state = fixture();
    const code = (r: SlashRecord, s = state, now = 5n) =>
      resultCode(verifySlash(s, r, COMMITTEE, OWNERS, now, MINIMAL, blstBls));
    expect(code(record(double, { shard: 2 }))).toBe("SLASH_SHARD_INVALID");
    expect(code(record(double, { epoch: 6n }))).toBe("SLASH_FUTURE_EPOCH");
    expect(resultCode(verifySlash(state, record(double), COMMITTEE, [V, V, W], 5n, MINIMAL, blstBls))).toBe(
      "REWARD_OWNERS_MISMATCH",
    );
    expect(code(record(double, { offender: D1 }))).toBe("SLASH_NOT_VALIDATOR");
    expect(code(record(double), fixture(STATUS.banned))).toBe("SLASH_ALREADY_BANNED");
    expect(code(record({ first: vote("commit", [S0], 0x11), second: vote("commit", [S0], 0x22) }))).toBe(
      "SLASH_NOT_OFFENDER",
    );
    expect(code(record({ first: double.first, second: vote("commit", [S1], 0x11) }))).toBe(
      "EVIDENCE_NOT_CONFLICTING",
    );
    expect(code(record({ first: vote("commit", [S1], 0x11), second: vote("commit", [S2], 0x22) }))).toBe(
      "EVIDENCE_NO_COMMON_SIGNER",
    );
    const forged = { ...double, second: { ...double.second, signature: double.first.signature } };
    expect(code(record(forged))).toBe("EVIDENCE_BAD_SIGNATURE");
  });
});

describe("SLASH-APPLY", () => {
  // @covers SLASH-APPLY.1
  it("takes what the rule gives by hand, bans the validator, pays the leader and burns the rest", () => {
    const state = fixture();
    // V: slashable 1000 + 200 (epoch 6 ≥ 5) = 1200; debt 600, all from the bond → 400.
    // D = ⌊600 · 80 / 100⌋ = 480; E = (300 + 100) + 50 = 450.
    // D1: ⌊480 · 400 / 450⌋ = 426: bond 300, undelegation 100 (removed), reward 26 of 40.
    // D2: ⌊480 · 50 / 450⌋ = 53: bond 50, reward 3 of 20.
    // slashed 600 + 426 + 53 = 1079; the leader gets ⌊1079 / 2⌋ = 539; 540 burnt.
    const out = unwrap(slash(state, record(double), COMMITTEE, OWNERS, 5n, LEADER, MINIMAL, blstBls));
    expect([out.slashed, out.paid, out.burnt]).toEqual([1079n, 539n, 540n]);
    const v = readRecord(out.state, V)!;
    expect(v.status).toBe(STATUS.banned);
    expect(
      v.delegations.map((d) => [d.amount, d.reward, d.undelegations.map((u) => [u.amount, u.epoch])]),
    ).toEqual([
      [
        400n,
        7n,
        [
          [100n, 4n],
          [200n, 6n],
        ],
      ],
      [0n, 14n, []],
      [0n, 17n, []],
    ]);
    expect(getAccount(out.state, LEADER).balance).toBe(540n);
    expect(supplyOf(state) - supplyOf(out.state)).toBe(540n);
    expect(totalsMismatches(out.state)).toEqual([]);
    expect(
      resultCode(slash(out.state, record(double), COMMITTEE, OWNERS, 5n, LEADER, MINIMAL, blstBls)),
    ).toBe("SLASH_ALREADY_BANNED");
  });

  // @covers SLASH-APPLY.1
  it("reaches undelegations from the evidence epoch on when the bond is short, and never pays the offender", () => {
    // Own: 100 bonded, 50 undelegated in epoch 4 (out of reach), 900 in epoch 6; slashable 1000, debt 500:
    // 100 from the bond, 400 from the epoch-6 undelegation. No delegators, so D goes nowhere.
    const state = stakingState([
      {
        address: V,
        record: validatorRecord(
          [S1.publicKey],
          [
            delegation(V, 100n, 9n, [
              [50n, 4n],
              [900n, 6n],
            ]),
          ],
        ),
      },
    ]);
    const out = applySlash(state, record(double), V, MINIMAL);
    expect([out.slashed, out.paid, out.burnt]).toEqual([500n, 0n, 500n]);
    expect(readRecord(out.state, V)!.delegations[0]!.undelegations).toEqual([
      { amount: 50n, epoch: 4n },
      { amount: 500n, epoch: 6n },
    ]);
    expect(getAccount(out.state, V)).toMatchObject({
      balance: 0n,
      delegated: 0n,
      undelegating: 550n,
      rewards: 9n,
    });
    expect(totalsMismatches(out.state)).toEqual([]);
  });
});
