import { describe, expect, it } from "vitest";
import { SAMPLE_RANDOMNESS, sampleSeat } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { genesisCommittee } from "../consensus/committee.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL } from "../params/presets.ts";
import { assignFresh } from "./assign.ts";
import { shardCommittee } from "./committees.ts";
import { checkHeaderShardState, epochCommittee, nextShardState } from "./epoch.ts";
import { reshard } from "./reshard.ts";
import { encodeShardState } from "./shardState.ts";

const RND = new Uint8Array(32).fill(0x66);
const SEATS = [sampleSeat(1, 0, 5n), sampleSeat(2, 0, 5n), sampleSeat(3, 0, 5n)];

describe("SHARD epochs", () => {
  // @covers SHARD-EPOCH.1
  it("serves the genesis committees while no state is in force, then the state's committees", () => {
    expect(unwrap(epochCommittee(null, 1, MINIMAL, blstBls))).toEqual(genesisCommittee(1, MINIMAL, blstBls));
    expect(resultCode(epochCommittee(null, 2, MINIMAL, blstBls))).toBe("SHARD_UNKNOWN");
    const state = unwrap(assignFresh(SEATS, RND, 1n, MINIMAL));
    expect(unwrap(epochCommittee(state, 0, MINIMAL, blstBls))).toEqual(
      unwrap(shardCommittee(state, 0, MINIMAL, blstBls)),
    );
  });

  // @covers SHARD-NEXT.1
  it("assigns fresh after the genesis committees, reshards after that, and keeps committees without seats", () => {
    const first = unwrap(nextShardState(null, SEATS, 0n, SAMPLE_RANDOMNESS, MINIMAL));
    expect(first).toEqual(unwrap(assignFresh(SEATS, SAMPLE_RANDOMNESS, 1n, MINIMAL)));
    const second = unwrap(nextShardState(first, SEATS, 1n, RND, MINIMAL));
    expect(second).toEqual(unwrap(reshard(first!, SEATS, RND, MINIMAL)).state);
    expect(unwrap(nextShardState(null, SEATS.slice(0, 1), 0n, RND, MINIMAL))).toBeNull();
    expect(unwrap(nextShardState(first, SEATS.slice(0, 1), 1n, RND, MINIMAL))).toEqual({
      ...first,
      epoch: 2n,
    });
    expect(resultCode(nextShardState(first, SEATS, 2n, RND, MINIMAL))).toBe("SHARD_EPOCH_MISMATCH");
  });

  // @covers SHARD-HEADER.1
  it("accepts a shard state only in the beacon chain's last block of an epoch, for the next epoch", () => {
    const state = unwrap(assignFresh(SEATS, RND, 3n, MINIMAL));
    const encoded = encodeShardState(state);
    // Minimal epochs have 8 blocks: block 23 is the last of epoch 2.
    const header = { number: 23n, epoch: 2n, shardId: 0, shardState: encoded };
    expect(unwrap(checkHeaderShardState(header, MINIMAL))).toEqual(state);
    expect(unwrap(checkHeaderShardState({ ...header, shardState: new Uint8Array(0) }, MINIMAL))).toBeNull();
    expect(
      unwrap(checkHeaderShardState({ ...header, number: 22n, shardState: new Uint8Array(0) }, MINIMAL)),
    ).toBeNull();
    expect(resultCode(checkHeaderShardState({ ...header, number: 22n }, MINIMAL))).toBe(
      "SHARD_STATE_UNEXPECTED",
    );
    expect(resultCode(checkHeaderShardState({ ...header, shardId: 1 }, MINIMAL))).toBe(
      "SHARD_STATE_UNEXPECTED",
    );
    expect(resultCode(checkHeaderShardState({ ...header, number: 31n, epoch: 3n }, MINIMAL))).toBe(
      "SHARD_EPOCH_MISMATCH",
    );
    expect(
      resultCode(checkHeaderShardState({ ...header, shardState: new Uint8Array([0xc0]) }, MINIMAL)),
    ).toBe("SHARD_STATE_FIELD_COUNT");
  });
});
