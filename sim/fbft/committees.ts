import {
  type Committee,
  type CommitteeMember,
  checkCommittee,
  genesisCommittee,
  genesisValidatorSecretKey,
} from "../../reference/consensus/committee.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * Committees for simulations: the genesis committee of a preset, and the same key rule stretched to any size
 * and any powers. Every member's secret key is public (GENESIS-VALIDATOR-KEY), so honest and Byzantine
 * machines alike can sign for their identity.
 */

/** A committee together with the secret key of every member, in committee order. */
export interface SimCommittee {
  readonly shard: number;
  readonly committee: Committee;
  readonly secretKeys: readonly Uint8Array[];
}

/** The genesis committee of `shard` in `preset` (COMMITTEE-GENESIS.1): `slotsPerShard` members of power 1. */
export function presetCommittee(shard: number, preset: Preset, bls: BlsBackend): SimCommittee {
  const secretKeys: Uint8Array[] = [];
  for (let i = 0; i < preset.slotsPerShard; i++) secretKeys.push(genesisValidatorSecretKey(shard, i));
  return { shard, committee: genesisCommittee(shard, preset, bls), secretKeys };
}

/**
 * A committee whose member `i` holds GENESIS-VALIDATOR-KEY(shard, i) and power `powers[i]`: the genesis rule
 * with the preset's slot count replaced by `powers.length`. Throws the SpecError of COMMITTEE-CHECK (a power
 * below 1, more than 65536 members).
 */
export function weightedCommittee(shard: number, powers: readonly bigint[], bls: BlsBackend): SimCommittee {
  const secretKeys: Uint8Array[] = [];
  const members: CommitteeMember[] = [];
  for (let i = 0; i < powers.length; i++) {
    const secretKey = genesisValidatorSecretKey(shard, i);
    secretKeys.push(secretKey);
    members.push({ publicKey: unwrap(bls.secretToPublic(secretKey)), power: powers[i]! });
  }
  return { shard, committee: unwrap(checkCommittee(members, bls)), secretKeys };
}

/** An `n`-member committee of power 1 each, keyed as the genesis committee is. */
export function equalCommittee(shard: number, n: number, bls: BlsBackend): SimCommittee {
  if (!Number.isSafeInteger(n) || n < 1)
    throw new RangeError(`a committee needs at least one member, got ${n}`);
  return weightedCommittee(shard, new Array<bigint>(n).fill(1n), bls);
}

/**
 * Powers of a 7-member committee (total 15) where counting members and counting power disagree: members 0–2
 * hold exactly two thirds (10), which is not a quorum (3·P = 2·W), and members 3–6, a majority by count, hold
 * exactly a third (5), which is not a blocking set.
 */
export const SKEWED_POWERS: readonly bigint[] = [5n, 3n, 2n, 2n, 1n, 1n, 1n];
