import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, unwrap } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { compareBytes } from "../trie/trieNode.ts";
import { type Candidate, checkCandidates, electEpos } from "./election.ts";

/*
 * Seats (§8.2–§8.3): the units of voting power the sharding chapter places in shards, from either election
 * rule of the preset.
 */

/**
 * One seat: a unit of voting power of a validator, signed for by one of its BLS keys. `(validator, index)`
 * names the seat from one epoch to the next.
 *
 * @spec ELECT-SEATS.1
 */
export interface Seat {
  /** 20-byte address of the validator. */
  readonly validator: Uint8Array;
  /** Seat number within its validator, from 0. */
  readonly index: number;
  /** 48-byte BLS public key that signs for the seat. */
  readonly key: Uint8Array;
  /** Voting power, ≥ 1. */
  readonly power: bigint;
}

/** The outcome of ELECT-ADAPTIVE: the size λ of one voting share, and the seats in address order. */
export interface AdaptiveElection {
  readonly threshold: bigint;
  readonly seats: readonly Seat[];
}

/**
 * ELECT-ADAPTIVE(V, S) (L1–L5): one voting share per λ of stake, λ = ⌈total stake / S⌉, so that the
 * shares never outnumber the `S` seats of the network and the size of a share follows the total stake.
 *
 * @spec ELECT-ADAPTIVE.1
 */
export function electAdaptive(candidates: readonly Candidate[], seatCount: number): Result<AdaptiveElection> {
  return attempt(() => {
    if (!Number.isInteger(seatCount) || seatCount < 1) {
      throw new RangeError(`the seat count must be an integer ≥ 1, got ${seatCount}`);
    }
    checkCandidates(candidates); // ELECT-ADAPTIVE L1
    const ordered = [...candidates].sort((a, b) => compareBytes(a.address, b.address)); // L1
    const total = ordered.reduce((sum, candidate) => sum + candidate.stake, 0n); // L2
    const seats = BigInt(seatCount);
    const quotient = (total + seats - 1n) / seats;
    const threshold = quotient > 1n ? quotient : 1n; // L3
    const elected: Seat[] = [];
    for (const candidate of ordered) {
      const shares = Number(candidate.stake / threshold); // L4
      for (let index = 0; index < shares; index++) {
        const key = candidate.keys[index % candidate.keys.length]!;
        elected.push({ validator: candidate.address, index, key, power: 1n }); // L5
      }
    }
    return { threshold, seats: elected };
  });
}

/**
 * ELECT-SEATS(V) (L1–L4): the seats of the next epoch under the preset's election rule, for the
 * `numShards · slotsPerShard` seats of the network.
 *
 * @spec ELECT-SEATS.1
 */
export function electSeats(candidates: readonly Candidate[], preset: Preset): Result<readonly Seat[]> {
  return attempt(() => {
    const seatCount = preset.numShards * preset.slotsPerShard; // ELECT-SEATS L1
    if (preset.electionRule === "adaptive") {
      return unwrap(electAdaptive(candidates, seatCount)).seats; // L2
    }
    const winners = unwrap(electEpos(candidates, seatCount, preset)); // L3
    const keyIndex = new Map(
      candidates.flatMap((candidate) =>
        candidate.keys.map((key, index) => [bytesToHex(key), index] as const),
      ),
    );
    return winners
      .filter((winner) => winner.effectiveStake >= 1n)
      .map((winner) => ({
        validator: winner.address,
        index: keyIndex.get(bytesToHex(winner.key))!,
        key: winner.key,
        power: winner.effectiveStake,
      })); // L4
  });
}
