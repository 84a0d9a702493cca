import { z } from "zod";
import type { Committee } from "../consensus/committee.ts";
import { type DoubleSignEvidence, DoubleSignEvidenceJson, verifyEvidence } from "../consensus/evidence.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { bytesToHex, DecimalBigInt, hexBytesOfLength, JsonInt } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import { type Account, UINT64_LIMIT } from "../ledger/account.ts";
import { type AccountState, addressKey } from "../ledger/state.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import { adjustAccount, type Delegation, readRecord, STATUS, writeRecord } from "../staking/record.ts";
import { type CommitteeOwners, checkOwners } from "./reward.ts";

/*
 * Double-sign slashing (§11.4–§11.5): a slash record names an offending validator and carries the consensus
 * chapter's double-sign evidence; once verified against the committee of its epoch and shard, the validator and
 * its delegators lose stake, the validator is banned, part of the loss goes to a beneficiary and the rest is
 * burnt.
 */

/**
 * A slash record: double-sign evidence (EVIDENCE-FORMAT.1) made in `epoch` on `shard`, against the validator at
 * address `offender`.
 *
 * @spec SLASH-RECORD.1
 */
export interface SlashRecord {
  readonly epoch: bigint;
  readonly shard: number;
  readonly offender: Uint8Array;
  readonly evidence: DoubleSignEvidence;
}

/**
 * zod schema: the JSON form of a slash record → SlashRecord. A malformed form raises the JSON-DECODE.1 codes.
 *
 * @spec SLASH-RECORD.1
 */
export const SlashRecordJson = z.strictObject({
  epoch: DecimalBigInt.refine((value) => value < UINT64_LIMIT, "must be below 2^64"),
  shard: JsonInt,
  offender: hexBytesOfLength(20),
  evidence: DoubleSignEvidenceJson,
});

/**
 * SLASH-VERIFY(S, X, C, owners, e_now) (L1–L9): whether slash record `record` convicts its offender, given the
 * committee `committee` of the record's epoch and shard with its members' validators `owners`, and the current
 * epoch. Returns the indices of the offender's members that signed both votes, ascending.
 *
 * @spec SLASH-VERIFY.1
 */
export function verifySlash(
  state: AccountState,
  record: SlashRecord,
  committee: Committee,
  owners: CommitteeOwners,
  currentEpoch: bigint,
  preset: Preset,
  bls: BlsBackend,
): Result<number[]> {
  return attempt(() => {
    if (record.shard >= preset.numShards) {
      throw new SpecError("SLASH_SHARD_INVALID", `shard ${record.shard} of ${preset.numShards}`); // L1
    }
    if (record.epoch > currentEpoch) {
      throw new SpecError("SLASH_FUTURE_EPOCH", `evidence of epoch ${record.epoch} in epoch ${currentEpoch}`); // L2
    }
    checkOwners(state, committee, owners); // L3
    const validator = readRecord(state, record.offender); // L4
    if (validator === null) {
      throw new SpecError("SLASH_NOT_VALIDATOR", `${bytesToHex(record.offender)} is not a validator`); // L4
    }
    if (validator.status === STATUS.banned) {
      throw new SpecError("SLASH_ALREADY_BANNED", `${bytesToHex(record.offender)} is already banned`); // L5
    }
    const offenders = unwrap(verifyEvidence(record.evidence, committee, bls)); // L6
    const convicted = offenders.filter((i) => bytesEqual(owners[i]!, record.offender)); // L7
    if (convicted.length === 0) {
      throw new SpecError(
        "SLASH_NOT_OFFENDER",
        `no member that signed both votes belongs to ${bytesToHex(record.offender)}`,
      ); // L8
    }
    return convicted; // L9
  });
}

/** What a slash took: the total slashed, the beneficiary's part, and what was burnt (slashed − paid). */
export interface SlashOutcome {
  readonly state: AccountState;
  readonly slashed: bigint;
  readonly paid: bigint;
  readonly burnt: bigint;
}

/**
 * SLASHABLE(d, e): the stake of a delegation that a double sign in epoch `e` can reach: its bonded amount and
 * what it undelegated in epoch `e` or later (still locked, so still at stake).
 *
 * @spec SLASH-APPLY.1
 */
export function slashableStake(delegation: Delegation, epoch: bigint): bigint {
  let stake = delegation.amount;
  for (const u of delegation.undelegations) if (u.epoch >= epoch) stake += u.amount;
  return stake;
}

function smaller(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

/**
 * PAYDOWN(d, debt, e) (L13–L18): takes up to `debt` from the bonded amount, then from the undelegations of epoch
 * `e` or later in their order (dropping one that reaches zero), then from the reward, changing the delegator's
 * account totals with each entry (STAKE-TOTALS.1). Returns the new delegation and the amount taken.
 *
 * @spec SLASH-APPLY.1
 */
function payDown(
  working: Map<string, Account>,
  d: Delegation,
  debt: bigint,
  epoch: bigint,
): { delegation: Delegation; taken: bigint } {
  let left = debt;
  const fromBond = smaller(left, d.amount); // PAYDOWN L13
  left -= fromBond;
  let fromUndelegations = 0n;
  const undelegations = [];
  for (const u of d.undelegations) {
    if (left === 0n || u.epoch < epoch) {
      undelegations.push(u); // L14
      continue;
    }
    const taken = smaller(left, u.amount); // L15
    left -= taken;
    fromUndelegations += taken;
    if (u.amount > taken) undelegations.push({ ...u, amount: u.amount - taken }); // L16
  }
  const fromReward = smaller(left, d.reward); // L17
  adjustAccount(working, d.delegator, {
    delegated: -fromBond,
    undelegating: -fromUndelegations,
    rewards: -fromReward,
  }); // L13, L15, L17
  return {
    delegation: { ...d, amount: d.amount - fromBond, undelegations, reward: d.reward - fromReward },
    taken: fromBond + fromUndelegations + fromReward, // L18
  };
}

/**
 * SLASH-APPLY(S, X, b) (L1–L12) of a record that passed SLASH-VERIFY against `state`: the validator's own
 * delegation loses slashSelfPercent % of its slashable stake; its delegators together lose
 * slashDelegatorPercent % of what the validator lost, each in proportion to its slashable stake; the validator is
 * banned; the beneficiary `beneficiary` receives slashBeneficiaryPercent % of the total (nothing if it is the
 * offender) and the rest is burnt. Every division rounds down.
 *
 * @spec SLASH-APPLY.1
 */
export function applySlash(
  state: AccountState,
  record: SlashRecord,
  beneficiary: Uint8Array,
  preset: Preset,
): SlashOutcome {
  const validator = readRecord(state, record.offender); // SLASH-APPLY L1
  if (validator === null || validator.status === STATUS.banned) {
    throw new RangeError(`${addressKey(record.offender)} did not pass SLASH-VERIFY`);
  }
  const epoch = record.epoch;
  const working = new Map(state);
  const own = validator.delegations[0]!;
  const ownDebt = (slashableStake(own, epoch) * BigInt(preset.slashSelfPercent)) / 100n; // L2
  const first = payDown(working, own, ownDebt, epoch); // L3
  const delegatorDebt = (first.taken * BigInt(preset.slashDelegatorPercent)) / 100n; // L4
  let external = 0n;
  for (const d of validator.delegations.slice(1)) external += slashableStake(d, epoch); // L4
  const delegations = [first.delegation];
  let slashed = first.taken;
  for (const d of validator.delegations.slice(1)) {
    // L5
    const debt = external === 0n ? 0n : (delegatorDebt * slashableStake(d, epoch)) / external; // L6
    const paid = payDown(working, d, debt, epoch); // L7
    delegations.push(paid.delegation);
    slashed += paid.taken; // L9
  }
  writeRecord(working, record.offender, { ...validator, status: STATUS.banned, delegations }); // L8
  const paid = bytesEqual(beneficiary, record.offender)
    ? 0n
    : (slashed * BigInt(preset.slashBeneficiaryPercent)) / 100n; // L10
  adjustAccount(working, beneficiary, { balance: paid }); // L11
  return { state: working, slashed, paid, burnt: slashed - paid }; // L12
}

/**
 * SLASH-VERIFY then SLASH-APPLY: the slash of `record`, included in a block whose coinbase is `beneficiary`.
 *
 * @spec SLASH-VERIFY.1 SLASH-APPLY.1
 */
export function slash(
  state: AccountState,
  record: SlashRecord,
  committee: Committee,
  owners: CommitteeOwners,
  currentEpoch: bigint,
  beneficiary: Uint8Array,
  preset: Preset,
  bls: BlsBackend,
): Result<SlashOutcome> {
  return attempt(() => {
    unwrap(verifySlash(state, record, committee, owners, currentEpoch, preset, bls));
    return applySlash(state, record, beneficiary, preset);
  });
}
