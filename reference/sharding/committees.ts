import { sha256 } from "@noble/hashes/sha2.js";
import { type Committee, type CommitteeMember, checkCommittee } from "../consensus/committee.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { compareBytes } from "../trie/trieNode.ts";
import type { ShardState } from "./shardState.ts";

/*
 * The committee of a shard in an epoch (§10.7), derived from the shard state alone.
 */

/**
 * SHARD-COMMITTEE(S, s) (L1–L6): the seats of shard `s`, those of one key merged into one member whose power
 * is their sum, ordered by sha256(S.rnd ‖ key), checked as a committee.
 *
 * @spec SHARD-COMMITTEES.1
 */
export function shardCommittee(
  state: ShardState,
  shard: number,
  preset: Preset,
  bls: BlsBackend,
): Result<Committee> {
  return attempt(() => {
    if (!Number.isInteger(shard) || shard < 0 || shard >= preset.numShards) {
      throw new SpecError("SHARD_UNKNOWN", `shard ${shard} is not one of the ${preset.numShards} shards`); // L1
    }
    const members: { publicKey: Uint8Array; power: bigint; rank: Uint8Array }[] = []; // L2
    const byKey = new Map<string, number>();
    for (const seat of state.seats) {
      if (seat.shard !== shard) continue; // L3
      const key = bytesToHex(seat.key);
      const at = byKey.get(key);
      if (at !== undefined) {
        members[at]!.power += seat.power; // L4
      } else {
        byKey.set(key, members.length);
        const rankInput = new Uint8Array(state.rnd.length + seat.key.length);
        rankInput.set(state.rnd);
        rankInput.set(seat.key, state.rnd.length);
        members.push({ publicKey: seat.key, power: seat.power, rank: sha256(rankInput) }); // L4
      }
    }
    members.sort((a, b) => compareBytes(a.rank, b.rank) || compareBytes(a.publicKey, b.publicKey)); // L5
    const committee: CommitteeMember[] = members.map((m) => ({ publicKey: m.publicKey, power: m.power }));
    return unwrap(checkCommittee(committee, bls)); // L6
  });
}

/**
 * SHARD-OWNERS(S, C) (L1–L2): the owners of committee `C` derived from shard state `S` (REWARD-OWNER.1): for
 * each member, in committee order, the validator whose seats its key holds.
 *
 * @spec SHARD-OWNERS.1
 */
export function committeeOwners(state: ShardState, committee: Committee): Uint8Array[] {
  const ownerOf = new Map(state.seats.map((seat) => [bytesToHex(seat.key), seat.validator] as const)); // L1
  return committee.members.map((member) => ownerOf.get(bytesToHex(member.publicKey))!); // L2
}
