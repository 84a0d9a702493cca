import { type Committee, isQuorum } from "../consensus/committee.ts";
import { decodeBitmap } from "../crypto/bitmap.ts";
import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Account } from "../ledger/account.ts";
import { type AccountState, getAccount } from "../ledger/state.ts";
import type { Preset } from "../params/presets.ts";
import {
  adjustAccount,
  RATE_ONE,
  readRecord,
  STATUS,
  type ValidatorRecord,
  writeRecord,
} from "../staking/record.ts";

/*
 * The block reward (§11.1–§11.3): which validators own a committee's members, how the reward of a finalized block
 * is split among the signers' validators and within each validator, and the availability counters it bumps.
 */

/**
 * The validator of each committee member, in committee order: `owners[i]` is the 20-byte address of the validator
 * whose seats member i holds (ELECT-SEATS.1), as the epoch's election fixed it.
 *
 * @spec REWARD-OWNER.1
 */
export type CommitteeOwners = readonly Uint8Array[];

/**
 * CHECK-OWNERS(S, C, owners) (L1–L2): one owner per member, each a validator of the state.
 *
 * @spec REWARD-OWNER.1
 */
export function checkOwners(state: AccountState, committee: Committee, owners: CommitteeOwners): void {
  if (owners.length !== committee.members.length) {
    throw new SpecError(
      "REWARD_OWNERS_MISMATCH",
      `${owners.length} owners for a committee of ${committee.members.length}`,
    ); // CHECK-OWNERS L1
  }
  for (let i = 0; i < owners.length; i++) {
    if (getAccount(state, owners[i]!).validator.length === 0) {
      throw new SpecError(
        "REWARD_OWNER_NOT_VALIDATOR",
        `member ${i} is owned by ${bytesToHex(owners[i]!)}, which has no validator record`,
      ); // CHECK-OWNERS L2
    }
  }
}

/** What one validator earned from one block: its due, and whether it was paid (a banned validator is not). */
export interface ValidatorDue {
  readonly validator: Uint8Array;
  readonly due: bigint;
  readonly paid: boolean;
}

/** The outcome of REWARD-BLOCK: the new state, the atto minted, and each signing validator's due. */
export interface BlockReward {
  readonly state: AccountState;
  readonly minted: bigint;
  readonly dues: readonly ValidatorDue[];
}

/**
 * COUNT-SIGNING(S, C, owners, N) (L1–L5): every member of the committee adds one block to sign to its
 * validator's record, and one block signed if it is among the signers.
 *
 * @spec REWARD-SIGNING.1
 */
function countSigning(
  working: Map<string, Account>,
  owners: CommitteeOwners,
  signers: ReadonlySet<number>,
): void {
  for (let i = 0; i < owners.length; i++) {
    const owner = owners[i]!; // COUNT-SIGNING L1
    const record = readRecord(working, owner)!; // L2
    writeRecord(working, owner, {
      ...record,
      blocksToSign: record.blocksToSign + 1n, // L3
      blocksSigned: record.blocksSigned + (signers.has(i) ? 1n : 0n), // L4
    }); // L5
  }
}

/**
 * PAYOUT(S, v, due) (L1–L6): the validator's commission and the rounding remainder go to its own delegation
 * (entry 0); the rest is shared among all its delegations in proportion to their bonded amounts. Each share is
 * credited to the delegation's reward and to its delegator's `rewards` total together (STAKE-TOTALS.1).
 *
 * @spec REWARD-PAYOUT.1
 */
export function payValidator(working: Map<string, Account>, validator: Uint8Array, due: bigint): void {
  const record: ValidatorRecord = readRecord(working, validator)!; // PAYOUT L1
  let bonded = 0n;
  for (const d of record.delegations) bonded += d.amount; // L1
  const commission = (due * record.rate) / RATE_ONE; // L2
  const rest = due - commission; // L2
  const shares: bigint[] = [];
  let shared = 0n;
  for (const d of record.delegations) {
    const share = bonded === 0n ? 0n : (rest * d.amount) / bonded; // L3
    shares.push(share);
    shared += share;
  }
  shares[0] = shares[0]! + commission + (rest - shared); // L4
  const delegations = record.delegations.map((d, j) => {
    adjustAccount(working, d.delegator, { rewards: shares[j]! }); // L5
    return { ...d, reward: d.reward + shares[j]! }; // L5
  });
  writeRecord(working, validator, { ...record, delegations }); // L6
}

/**
 * REWARD-BLOCK(S, C, owners, bitmap) (L1–L11): the preset's block reward R for one finalized block, whose commit
 * certificate was signed by the members `bitmap` marks in committee `C`, member i belonging to validator
 * `owners[i]`. Each validator's due is R times the power of its signing members over the power of all signers,
 * rounded down; the remainder goes to the validator of the first signer. A banned validator's due is neither
 * paid nor minted. Every member's validator also counts the block for availability (COUNT-SIGNING).
 *
 * @spec REWARD-BLOCK.1
 */
export function rewardBlock(
  state: AccountState,
  committee: Committee,
  owners: CommitteeOwners,
  bitmap: Uint8Array,
  preset: Preset,
): Result<BlockReward> {
  return attempt(() => {
    const signerList = unwrap(decodeBitmap(bitmap, committee.members.length)); // REWARD-BLOCK L1
    let signedPower = 0n;
    for (const i of signerList) signedPower += committee.members[i]!.power; // L2
    if (!isQuorum(signedPower, committee.totalPower)) {
      throw new SpecError(
        "REWARD_NO_QUORUM",
        `signers hold power ${signedPower} of ${committee.totalPower}; a finalized block has a quorum`,
      ); // L2
    }
    checkOwners(state, committee, owners); // L3
    const working = new Map(state);
    countSigning(working, owners, new Set(signerList)); // L4
    const order: string[] = [];
    const powerOf = new Map<string, bigint>();
    const addressOf = new Map<string, Uint8Array>();
    for (const i of signerList) {
      const hex = bytesToHex(owners[i]!);
      if (!powerOf.has(hex)) {
        order.push(hex); // L5
        addressOf.set(hex, owners[i]!);
      }
      powerOf.set(hex, (powerOf.get(hex) ?? 0n) + committee.members[i]!.power); // L6
    }
    const dues = order.map((hex) => (preset.blockReward * powerOf.get(hex)!) / signedPower); // L6
    let assigned = 0n;
    for (const due of dues) assigned += due;
    dues[0] = dues[0]! + (preset.blockReward - assigned); // L7
    let minted = 0n; // L8
    const out: ValidatorDue[] = [];
    for (let k = 0; k < order.length; k++) {
      const validator = addressOf.get(order[k]!)!;
      const banned = readRecord(working, validator)!.status === STATUS.banned; // L9
      if (!banned) {
        payValidator(working, validator, dues[k]!); // L10
        minted += dues[k]!; // L10
      }
      out.push({ validator, due: dues[k]!, paid: !banned });
    }
    return { state: working, minted, dues: out }; // L11
  });
}
