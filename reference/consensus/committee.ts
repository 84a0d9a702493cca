import { sha256 } from "@noble/hashes/sha2.js";
import { BITMAP_MAX_COMMITTEE_SIZE } from "../crypto/bitmap.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { keyGen } from "../crypto/bls/keyGen.ts";
import { bigintToDecimal, bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";

/*
 * The committee of one shard and its quorum arithmetic (§6.1).
 */

/**
 * One committee slot: a BLS public key and its voting power.
 *
 * @spec COMMITTEE-FORMAT.1
 */
export interface CommitteeMember {
  readonly publicKey: Uint8Array;
  readonly power: bigint;
}

/**
 * A checked committee (COMMITTEE-CHECK): members in committee order, each named by its index, and their total
 * power W(C).
 *
 * @spec COMMITTEE-FORMAT.1
 */
export interface Committee {
  readonly members: readonly CommitteeMember[];
  readonly totalPower: bigint;
}

/**
 * COMMITTEE-CHECK (L1–L6): a non-empty list of at most 65536 members with valid, pairwise distinct keys and
 * powers of at least 1.
 *
 * @spec COMMITTEE-FORMAT.1
 */
export function checkCommittee(members: readonly CommitteeMember[], bls: BlsBackend): Result<Committee> {
  return attempt(() => {
    if (members.length === 0) throw new SpecError("COMMITTEE_EMPTY", "a committee has at least one member"); // L1
    if (members.length > BITMAP_MAX_COMMITTEE_SIZE) {
      throw new SpecError(
        "BITMAP_COMMITTEE_SIZE",
        `a committee has at most ${BITMAP_MAX_COMMITTEE_SIZE} members, got ${members.length}`,
      ); // COMMITTEE-CHECK L2
    }
    const seen = new Set<string>();
    let totalPower = 0n;
    for (let i = 0; i < members.length; i++) {
      const member = members[i]!; // COMMITTEE-CHECK L3
      unwrap(bls.validatePublicKey(member.publicKey)); // COMMITTEE-CHECK L4
      if (typeof member.power !== "bigint" || member.power < 1n) {
        throw new SpecError("COMMITTEE_POWER_INVALID", `member ${i} has power ${String(member.power)}`); // L5
      }
      const key = bytesToHex(member.publicKey);
      if (seen.has(key)) throw new SpecError("COMMITTEE_DUPLICATE_KEY", `member ${i} repeats key ${key}`); // L6
      seen.add(key);
      totalPower += member.power;
    }
    return { members, totalPower };
  });
}

/**
 * GENESIS-VALIDATOR-KEY(s, i) (L1): the BLS secret key of slot `index` of shard `shard`'s genesis committee,
 * BLS-KEYGEN of sha256("harmony-spec genesis validator <shard> <index>") with empty key_info. `shard` and
 * `index` are non-negative integers, written by the JSON decimal writer as GENESIS-KEYS.1's `dec`.
 *
 * @spec COMMITTEE-GENESIS.1
 */
export function genesisValidatorSecretKey(shard: number, index: number): Uint8Array {
  const label = `harmony-spec genesis validator ${bigintToDecimal(BigInt(shard))} ${bigintToDecimal(BigInt(index))}`;
  return unwrap(keyGen(sha256(new TextEncoder().encode(label)))); // a 32-byte IKM is always long enough
}

/**
 * The genesis committee of a shard: `preset.slotsPerShard` members of power 1 holding the genesis validator
 * keys, in slot order.
 *
 * @spec COMMITTEE-GENESIS.1
 */
export function genesisCommittee(shard: number, preset: Preset, bls: BlsBackend): Committee {
  const members: CommitteeMember[] = [];
  for (let i = 0; i < preset.slotsPerShard; i++) {
    members.push({ publicKey: unwrap(bls.secretToPublic(genesisValidatorSecretKey(shard, i))), power: 1n });
  }
  return unwrap(checkCommittee(members, bls));
}

/**
 * Whether power `power` is a quorum of total power `total`: 3·P > 2·W, exactly.
 *
 * @spec FBFT-QUORUM.1
 */
export function isQuorum(power: bigint, total: bigint): boolean {
  return 3n * power > 2n * total;
}

/**
 * Whether power `power` is a blocking set of total power `total`: 3·P > W, exactly.
 *
 * @spec FBFT-QUORUM.1
 */
export function isBlocking(power: bigint, total: bigint): boolean {
  return 3n * power > total;
}

/**
 * The total power Σ w_i of the given members. Every index names a member (the callers hold indices decoded
 * from a bitmap of this committee, or checked against its size).
 *
 * @spec FBFT-QUORUM.1
 */
export function powerOf(committee: Committee, signers: readonly number[]): bigint {
  let power = 0n;
  for (let i = 0; i < signers.length; i++) power += committee.members[signers[i]!]!.power;
  return power;
}

/**
 * The public keys of the given members, in the order given.
 *
 * @spec COMMITTEE-FORMAT.1
 */
export function publicKeysOf(committee: Committee, signers: readonly number[]): Uint8Array[] {
  const keys: Uint8Array[] = [];
  for (let i = 0; i < signers.length; i++) keys.push(committee.members[signers[i]!]!.publicKey);
  return keys;
}
