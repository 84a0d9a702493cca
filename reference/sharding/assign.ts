import { attempt, type Result, SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { canonicalOrder, checkSeats, type Seat } from "./seat.ts";
import { type PlacedSeat, placeSeat, type ShardState } from "./shardState.ts";
import { RANDOMNESS_BYTES, shuffle, shuffleLabel } from "./shuffle.ts";

/*
 * Fresh assignment (§10.5): every seat placed anew, uniformly, in shards of equal size.
 */

const UINT64_LIMIT = 1n << 64n;

/**
 * ASSIGN-FRESH(X, rnd, e) (L1–L6): the seats in canonical order, permuted by SHUFFLE(rnd, "assign"), dealt to
 * shards 0, 1, …, k − 1, 0, 1, … in turn.
 *
 * @spec SHARD-ASSIGN.1
 */
export function assignFresh(
  seats: readonly Seat[],
  rnd: Uint8Array,
  epoch: bigint,
  preset: Preset,
): Result<ShardState> {
  return attempt(() => {
    checkSeats(seats); // ASSIGN-FRESH L1
    if (rnd.length !== RANDOMNESS_BYTES || epoch < 0n || epoch >= UINT64_LIMIT) {
      throw new SpecError("SHARD_FIELD_INVALID", "randomness or epoch out of domain"); // L2
    }
    const shards = preset.numShards;
    if (seats.length < shards) {
      throw new SpecError("SHARD_TOO_FEW_SEATS", `${seats.length} seats cannot staff ${shards} shards`); // L3
    }
    const ordered = canonicalOrder(seats); // L4
    const permutation = shuffle(rnd, shuffleLabel("assign"), ordered.length); // L4
    const shardOf = new Array<number>(ordered.length);
    for (let j = 0; j < permutation.length; j++) shardOf[permutation[j]!] = j % shards; // L5
    const placed: PlacedSeat[] = ordered.map((seat, i) => placeSeat(seat, shardOf[i]!));
    return { epoch, rnd, seats: placed }; // L6
  });
}
