import { z } from "zod";
import type { CommitteeMember } from "../../../reference/consensus/committee.ts";
import { evidenceToJson, type SignedVote } from "../../../reference/consensus/evidence.ts";
import { commitPayload, preparePayload } from "../../../reference/consensus/payloads.ts";
import { encodeBitmap } from "../../../reference/crypto/bitmap.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalText,
  HexBytes,
  HexText,
  hexBytesOfLength,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import { AccountJsonOutput, StateJson, stateToJson } from "../../../reference/ledger/ledgerJson.ts";
import { type AccountState, type StateEntry, stateFromList } from "../../../reference/ledger/state.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { closeAvailabilityEpoch } from "../../../reference/rewards/availability.ts";
import { rewardBlock } from "../../../reference/rewards/reward.ts";
import { SlashRecordJson, slash, verifySlash } from "../../../reference/rewards/slash.ts";
import { RATE_ONE, STATUS, type Status } from "../../../reference/staking/record.ts";
import { certificateBy, committeeJson, genesisSigners, type Signer } from "../../testing/consensusSigners.ts";
import { addressOf } from "../../testing/stakingFixtures.ts";
import { delegation, stakingState, validatorRecord } from "../../testing/stakingStates.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { bls, CommitteeJson, committeeFrom, Uint64Json } from "./consensus-json.ts";

/*
 * The rewards runner (§11.7): the block reward, availability at the end of an epoch, and slashing, each on a
 * beacon state given in `pre`. Committees carry each member's validator (REWARD-OWNER.1). Signatures come from
 * the genesis validators of shard 0 (COMMITTEE-GENESIS.1), registered here as the keys of staked validators.
 */

const OwnersJson = z.array(HexBytes);

function stateOf(pre: readonly StateEntry[] | undefined): AccountState {
  return unwrap(stateFromList(pre!));
}

const Accounts = z.array(AccountJsonOutput);

const rewardBlockHandler: HandlerDef = {
  description:
    "REWARD-BLOCK of the preset's block reward for the block whose commit certificate has signer bitmap `bitmap` " +
    "in `committee` (members with their validators) → the state after, the atto minted and each signing " +
    "validator's due",
  pre: StateJson,
  input: z.strictObject({ committee: CommitteeJson, owners: OwnersJson, bitmap: HexBytes }),
  output: z.strictObject({
    accounts: Accounts,
    minted: DecimalText,
    dues: z.array(z.strictObject({ validator: HexText, due: DecimalText, paid: z.boolean() })),
  }),
  run(
    input: { committee: CommitteeMember[]; owners: Uint8Array[]; bitmap: Uint8Array },
    preset: Preset,
    pre: StateEntry[] | undefined,
  ): Json {
    const committee = committeeFrom(input.committee);
    const out = unwrap(rewardBlock(stateOf(pre), committee, input.owners, input.bitmap, preset));
    return {
      accounts: stateToJson(out.state),
      minted: bigintToDecimal(out.minted),
      dues: out.dues.map((d) => ({
        validator: bytesToHex(d.validator),
        due: bigintToDecimal(d.due),
        paid: d.paid,
      })),
    };
  },
};

const availabilityHandler: HandlerDef = {
  description:
    "AVAILABILITY-EPOCH-END of the state in `pre` → the state after and the validators made inactive",
  pre: StateJson,
  input: z.strictObject({}),
  output: z.strictObject({ accounts: Accounts, inactive: z.array(HexText) }),
  run(_input: Record<string, never>, _preset: Preset, pre: StateEntry[] | undefined): Json {
    const out = closeAvailabilityEpoch(stateOf(pre));
    return { accounts: stateToJson(out.state), inactive: out.inactive.map(bytesToHex) };
  },
};

const SlashInput = {
  committee: CommitteeJson,
  owners: OwnersJson,
  currentEpoch: Uint64Json,
  record: SlashRecordJson,
};
type SlashInputValue = {
  committee: CommitteeMember[];
  owners: Uint8Array[];
  currentEpoch: bigint;
  record: z.output<typeof SlashRecordJson>;
};

const slashVerifyHandler: HandlerDef = {
  description:
    "SLASH-VERIFY of slash `record` against `committee` (its epoch and shard's, with the members' validators) in " +
    "epoch `currentEpoch` → the offender's members that signed both votes",
  pre: StateJson,
  input: z.strictObject(SlashInput),
  output: z.strictObject({ convicted: z.array(JsonInt) }),
  run(input: SlashInputValue, preset: Preset, pre: StateEntry[] | undefined): Json {
    const committee = committeeFrom(input.committee);
    const convicted = unwrap(
      verifySlash(stateOf(pre), input.record, committee, input.owners, input.currentEpoch, preset, bls),
    );
    return { convicted };
  },
};

const slashHandler: HandlerDef = {
  description:
    "SLASH-VERIFY then SLASH-APPLY of slash `record`, included in a block whose coinbase is `beneficiary` → the " +
    "state after and the amounts slashed, paid to the beneficiary and burnt",
  pre: StateJson,
  input: z.strictObject({ ...SlashInput, beneficiary: hexBytesOfLength(20) }),
  output: z.strictObject({ accounts: Accounts, slashed: DecimalText, paid: DecimalText, burnt: DecimalText }),
  run(
    input: SlashInputValue & { beneficiary: Uint8Array },
    preset: Preset,
    pre: StateEntry[] | undefined,
  ): Json {
    const committee = committeeFrom(input.committee);
    const out = unwrap(
      slash(
        stateOf(pre),
        input.record,
        committee,
        input.owners,
        input.currentEpoch,
        input.beneficiary,
        preset,
        bls,
      ),
    );
    return {
      accounts: stateToJson(out.state),
      slashed: bigintToDecimal(out.slashed),
      paid: bigintToDecimal(out.paid),
      burnt: bigintToDecimal(out.burnt),
    };
  },
};

// --- cases

const hex = bytesToHex;
const FOUR = genesisSigners(0, 4);
const [S0, S1, S2, S3] = FOUR as [Signer, Signer, Signer, Signer];
const [A, B, C, D1, D2, LEADER] = [0x0a, 0x0b, 0x0c, 0xd1, 0xd2, 0x1e].map(addressOf) as [
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
  Uint8Array,
];

const ownersJson = (owners: readonly Uint8Array[]): Json => owners.map(hex);

/**
 * The reward fixture: A holds members 0 and 1 (powers 3 and 1) at 10 % commission with delegations A 60 ONE,
 * D1 30 ONE, D2 10 ONE (reward 5 atto); B holds member 2 (power 2) with 40 ONE; C holds member 3 (power 4)
 * with 50 ONE and the given status.
 */
function rewardState(cStatus: Status = STATUS.active): Json {
  const one = 10n ** 18n;
  const state = stakingState(
    [
      {
        address: A,
        record: validatorRecord(
          [S0.publicKey, S1.publicKey],
          [delegation(A, 60n * one), delegation(D1, 30n * one), delegation(D2, 10n * one, 5n)],
          { rate: RATE_ONE / 10n },
        ),
      },
      { address: B, record: validatorRecord([S2.publicKey], [delegation(B, 40n * one)]) },
      {
        address: C,
        record: validatorRecord([S3.publicKey], [delegation(C, 50n * one)], { status: cStatus }),
      },
    ],
    [{ address: D1, balance: 7n }],
  );
  return stateToJson(state);
}

const REWARD_OWNERS = [A, A, B, C];
const REWARD_POWERS = [3n, 1n, 2n, 4n];
const bitmapHex = (signers: number[], size = 4) => hex(unwrap(encodeBitmap(size, signers)));

function rewardCases(out: CaseDef[]): void {
  const tags = ["REWARD-BLOCK.1", "REWARD-PAYOUT.1", "REWARD-SIGNING.1", "REWARD-OWNER.1"];
  const push = (name: string, description: string, pre: Json, input: Json, expectedError?: string) =>
    out.push({
      handler: "reward_block",
      name,
      description,
      tags,
      pre,
      input,
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  const committee = committeeJson(FOUR, REWARD_POWERS);
  const owners = ownersJson(REWARD_OWNERS);
  push(
    "split",
    "members 0, 1 (A) and 3 (C) sign with power 8 of 10: A and C each take half, A also the remainder; A's " +
      "10 % commission and rounding go to its own delegation, the rest to A, D1 and D2 by 60 : 30 : 10",
    rewardState(),
    { committee, owners, bitmap: bitmapHex([0, 1, 3]) },
  );
  push("everyone_signs", "all four members sign: A 4/10, B 2/10, C 4/10 of the reward", rewardState(), {
    committee,
    owners,
    bitmap: bitmapHex([0, 1, 2, 3]),
  });
  push(
    "banned_signer",
    "C was banned earlier in the epoch: its half is neither paid nor minted, its counters still move",
    rewardState(STATUS.banned),
    { committee, owners, bitmap: bitmapHex([0, 1, 3]) },
  );
  push(
    "no_quorum",
    "members 2 and 3 hold 6 of 10: not the certificate of a final block",
    rewardState(),
    { committee, owners, bitmap: bitmapHex([2, 3]) },
    "REWARD_NO_QUORUM",
  );
  push(
    "owners_mismatch",
    "three owners for four members",
    rewardState(),
    { committee, owners: ownersJson(REWARD_OWNERS.slice(0, 3)), bitmap: bitmapHex([0, 1, 3]) },
    "REWARD_OWNERS_MISMATCH",
  );
  push(
    "owner_not_validator",
    "member 2 is said to belong to D1, which has no validator record",
    rewardState(),
    { committee, owners: ownersJson([A, A, D1, C]), bitmap: bitmapHex([0, 1, 3]) },
    "REWARD_OWNER_NOT_VALIDATOR",
  );
  push(
    "stray_bits",
    "a bitmap with a bit beyond the committee",
    rewardState(),
    { committee, owners, bitmap: "0xff" },
    "BITMAP_STRAY_BITS",
  );
  push(
    "bitmap_length",
    "a two-byte bitmap for a committee of four",
    rewardState(),
    { committee, owners, bitmap: "0x0b00" },
    "BITMAP_LENGTH",
  );
  push(
    "duplicate_member",
    "member 3 repeats member 2's key",
    rewardState(),
    {
      committee: committeeJson([S0, S1, S2, S2], REWARD_POWERS),
      owners,
      bitmap: bitmapHex([0, 1, 3]),
    },
    "COMMITTEE_DUPLICATE_KEY",
  );
  push(
    "power_not_decimal",
    "a power written as a JSON number",
    rewardState(),
    {
      committee: (committee as Json[]).map((m, i) => (i === 0 ? { ...(m as object), power: 3 } : m)) as Json,
      owners,
      bitmap: bitmapHex([0, 1, 3]),
    },
    "JSON_SCHEMA",
  );
}

function availabilityCases(out: CaseDef[]): void {
  const tags = ["REWARD-AVAILABILITY.1"];
  const validators: [Status, bigint, bigint][] = [
    [STATUS.active, 3n, 2n],
    [STATUS.active, 3000n, 2001n],
    [STATUS.active, 0n, 0n],
    [STATUS.active, 5n, 0n],
    [STATUS.inactive, 5n, 0n],
    [STATUS.banned, 5n, 0n],
  ];
  const pre = stateToJson(
    stakingState(
      validators.map(([status, toSign, signed], i) => ({
        address: addressOf(i + 1),
        record: validatorRecord([FOUR[i % 4]!.publicKey], [delegation(addressOf(i + 1), 10n)], {
          status,
          blocksToSign: toSign,
          blocksSigned: signed,
        }),
      })),
    ),
  );
  out.push({
    handler: "availability",
    name: "epoch_end",
    description:
      "signed/toSign per validator 1–6: 2/3 (exactly two thirds: inactive), 2001/3000 (stays), 0/0 (not judged), " +
      "0/5 (inactive), 0/5 already inactive, 0/5 banned (stays banned); every counter returns to 0",
    tags,
    pre,
    input: {},
  });
  out.push({
    handler: "availability",
    name: "unknown_field",
    description: "the input has a field the handler does not know",
    tags: ["REWARD-AVAILABILITY.1"],
    pre,
    input: { epoch: "3" },
    expectedError: "JSON_SCHEMA",
  });
}

function voteJson(kind: "prepare" | "commit", signers: readonly Signer[], hashByte: number): SignedVote {
  const hash = new Uint8Array(32).fill(hashByte);
  const payload = kind === "prepare" ? preparePayload(3n, hash, 5n) : commitPayload(3n, hash, 5n);
  const cert = certificateBy(signers, payload, 4);
  return { kind, blockNum: 3n, viewId: 5n, blockHash: hash, bitmap: cert.bitmap, signature: cert.signature };
}

/**
 * The slashing fixture: V holds members 1 and 2, W members 0 and 3. V's own delegation: 1000 atto bonded,
 * 100 undelegated in epoch 4 and 200 in epoch 6, reward 7; D1: 300 bonded, 100 undelegated in epoch 5, reward
 * 40; D2: 50 bonded, reward 20. The leader holds 1 atto.
 */
function slashState(
  vStatus: Status = STATUS.active,
  vOwn = delegation(A, 1000n, 7n, [
    [100n, 4n],
    [200n, 6n],
  ]),
): Json {
  return stateToJson(
    stakingState(
      [
        {
          address: A,
          record: validatorRecord(
            [S1.publicKey, S2.publicKey],
            [vOwn, delegation(D1, 300n, 40n, [[100n, 5n]]), delegation(D2, 50n, 20n)],
            { status: vStatus },
          ),
        },
        { address: B, record: validatorRecord([S0.publicKey, S3.publicKey], [delegation(B, 500n)]) },
      ],
      [{ address: LEADER, balance: 1n }],
    ),
  );
}

function slashCases(out: CaseDef[]): void {
  const committee = committeeJson(FOUR);
  const owners = ownersJson([B, A, A, B]);
  const double = { first: voteJson("commit", [S1], 0x11), second: voteJson("commit", [S1], 0x22) };
  const recordJson = (
    evidence: { first: SignedVote; second: SignedVote },
    fields: { epoch?: string; shard?: number; offender?: string } = {},
  ): Json => ({
    epoch: fields.epoch ?? "5",
    shard: fields.shard ?? 0,
    offender: fields.offender ?? hex(A),
    evidence: evidenceToJson(evidence),
  });
  const verifyTags = ["SLASH-VERIFY.1", "SLASH-RECORD.1", "REWARD-OWNER.1"];
  const verify = (
    name: string,
    description: string,
    input: Json,
    expectedError?: string,
    pre = slashState(),
  ) =>
    out.push({
      handler: "slash_verify",
      name,
      description,
      tags: verifyTags,
      pre,
      input,
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  const input = (record: Json, currentEpoch = "5"): Json => ({ committee, owners, currentEpoch, record });
  verify(
    "commit_double_sign",
    "member 1 (validator A) committed two blocks at height 3",
    input(recordJson(double)),
  );
  verify(
    "conflicting_certificates",
    "prepared certificates of 0, 1, 2 and 1, 2, 3 for two blocks: both of A's members are convicted",
    input(
      recordJson({
        first: voteJson("prepare", [S0, S1, S2], 0x11),
        second: voteJson("prepare", [S1, S2, S3], 0x22),
      }),
      "9",
    ),
  );
  verify(
    "shard_invalid",
    "shard 2 of a two-shard network",
    input(recordJson(double, { shard: 2 })),
    "SLASH_SHARD_INVALID",
  );
  verify(
    "future_epoch",
    "evidence of epoch 6 in epoch 5",
    input(recordJson(double, { epoch: "6" })),
    "SLASH_FUTURE_EPOCH",
  );
  verify(
    "not_validator",
    "the offender named is D1, a delegator",
    input(recordJson(double, { offender: hex(D1) })),
    "SLASH_NOT_VALIDATOR",
  );
  verify(
    "already_banned",
    "A is banned already",
    input(recordJson(double)),
    "SLASH_ALREADY_BANNED",
    slashState(STATUS.banned),
  );
  verify(
    "not_offender",
    "member 0, which belongs to B, double-signed, but the record names A",
    input(recordJson({ first: voteJson("commit", [S0], 0x11), second: voteJson("commit", [S0], 0x22) })),
    "SLASH_NOT_OFFENDER",
  );
  verify(
    "same_block",
    "two commits of one block",
    input(recordJson({ first: double.first, second: voteJson("commit", [S1, S2], 0x11) })),
    "EVIDENCE_NOT_CONFLICTING",
  );
  verify(
    "no_common_signer",
    "member 1 and member 2 each committed one block",
    input(recordJson({ first: voteJson("commit", [S1], 0x11), second: voteJson("commit", [S2], 0x22) })),
    "EVIDENCE_NO_COMMON_SIGNER",
  );
  verify(
    "bad_signature",
    "the second vote carries the first vote's signature",
    input(recordJson({ ...double, second: { ...double.second, signature: double.first.signature } })),
    "EVIDENCE_BAD_SIGNATURE",
  );
  verify(
    "owner_not_validator",
    "member 0 is said to belong to D1, which has no validator record",
    { committee, owners: ownersJson([D1, A, A, B]), currentEpoch: "5", record: recordJson(double) },
    "REWARD_OWNER_NOT_VALIDATOR",
  );
  verify(
    "offender_short",
    "a 19-byte offender address",
    input({ ...(recordJson(double) as object), offender: hex(new Uint8Array(19)) }),
    "JSON_BYTES_LENGTH",
  );
  const applyTags = ["SLASH-APPLY.1", "SLASH-VERIFY.1", "SLASH-RECORD.1"];
  const apply = (
    name: string,
    description: string,
    pre: Json,
    beneficiary: Uint8Array,
    expectedError?: string,
  ) =>
    out.push({
      handler: "slash",
      name,
      description,
      tags: applyTags,
      pre,
      input: {
        committee,
        owners,
        currentEpoch: "5",
        record: recordJson(double),
        beneficiary: hex(beneficiary),
      },
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  apply(
    "validator_and_delegators",
    "A loses 50 % of 1000 + 200 (epoch-6 undelegation) = 600 from its bond; D1 and D2 share 80 % of that, 480, " +
      "by 400 : 50: D1 426 (bond, epoch-5 undelegation, then 26 of its reward), D2 53 (bond, then 3 of its " +
      "reward); 1079 slashed, 539 to the leader, 540 burnt; A banned",
    slashState(),
    LEADER,
  );
  apply(
    "bond_short_offender_leads",
    "A has 100 bonded and 900 undelegated in epoch 6 (50 in epoch 4 is out of reach): 500 taken, 100 from the " +
      "bond and 400 from the epoch-6 entry; D1 and D2 share 400 by 400 : 50, 355 and 44; A leads the including " +
      "block, so the whole 899 is burnt",
    slashState(
      STATUS.active,
      delegation(A, 100n, 9n, [
        [50n, 4n],
        [900n, 6n],
      ]),
    ),
    A,
  );
  apply("already_banned", "A is banned already", slashState(STATUS.banned), LEADER, "SLASH_ALREADY_BANNED");
}

export const runner: RunnerDef = {
  name: "rewards",
  description: "the block reward, availability and double-sign slashing of chapter 11",
  handlers: {
    reward_block: rewardBlockHandler,
    availability: availabilityHandler,
    slash_verify: slashVerifyHandler,
    slash: slashHandler,
  },
  cases: () => {
    const out: CaseDef[] = [];
    rewardCases(out);
    availabilityCases(out);
    slashCases(out);
    return out;
  },
};
