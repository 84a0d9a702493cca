import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { validatorAddress } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL } from "../params/presets.ts";
import { decodeShardState, encodeShardState, type PlacedSeat, type ShardState } from "./shardState.ts";

const RND = new Uint8Array(32).fill(0x11);

function key(n: number): Uint8Array {
  return new Uint8Array(48).fill(n);
}

function placed(validator: number, index: number, keyByte: number, power: bigint, shard: number): PlacedSeat {
  return { validator: validatorAddress(validator), index, key: key(keyByte), power, shard };
}

const STATE: ShardState = {
  epoch: 7n,
  rnd: RND,
  seats: [placed(1, 0, 0xa1, 1n, 1), placed(1, 1, 0xa1, 300n, 0), placed(2, 0, 0xb2, 5n, 1)],
};

/** The encoding built field by field with another RLP library: scalars as minimal big-endian bytes. */
function independentEncoding(fields: unknown[]): Uint8Array {
  return RLP.encode(fields as never);
}

describe("SHARD-STATE", () => {
  // @covers SHARD-STATE.1
  it("encodes [epoch, rnd, [[validator, index, key, power, shard], …]] and decodes it back", () => {
    const expected = independentEncoding([
      7,
      RND,
      [
        [validatorAddress(1), 0, key(0xa1), 1, 1],
        [validatorAddress(1), 1, key(0xa1), new Uint8Array([1, 0x2c]), 0],
        [validatorAddress(2), 0, key(0xb2), 5, 1],
      ],
    ]);
    expect(encodeShardState(STATE)).toEqual(expected);
    expect(unwrap(decodeShardState(expected, MINIMAL))).toEqual(STATE);
  });

  // @covers SHARD-STATE.1
  it("refuses every malformed state by name, in the order of the checks", () => {
    const code = (fields: unknown) =>
      resultCode(decodeShardState(independentEncoding(fields as unknown[]), MINIMAL));
    const seat = (v: number, i: number, k: number, p: number, s: number) => [
      validatorAddress(v),
      i,
      key(k),
      p,
      s,
    ];
    const good = [seat(1, 0, 1, 1, 0), seat(2, 0, 2, 1, 1)];
    expect(code([7, RND, good])).toBe("(accepted)");
    expect(resultCode(decodeShardState(new Uint8Array([]), MINIMAL))).toBe("RLP_EMPTY_INPUT");
    expect(resultCode(decodeShardState(RLP.encode(new Uint8Array([1, 2])), MINIMAL))).toBe(
      "RLP_EXPECTED_LIST",
    );
    expect(code([7, RND])).toBe("SHARD_STATE_FIELD_COUNT");
    expect(code([[7], RND, good])).toBe("RLP_EXPECTED_BYTES");
    expect(code([new Uint8Array([0, 7]), RND, good])).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(code([7, RND, new Uint8Array(3)])).toBe("RLP_EXPECTED_LIST");
    expect(code([7, RND, [new Uint8Array(3), ...good]])).toBe("RLP_EXPECTED_LIST");
    expect(code([7, RND, [seat(1, 0, 1, 1, 0).slice(0, 4), good[1]]])).toBe("SHARD_STATE_FIELD_COUNT");
    expect(code([7, RND, [[...seat(1, 0, 1, 1, 0).slice(0, 4), [0]], good[1]]])).toBe("RLP_EXPECTED_BYTES");
    expect(code([7, new Uint8Array(31), good])).toBe("SHARD_FIELD_INVALID");
    expect(code([new Uint8Array(9).fill(1), RND, good])).toBe("SHARD_FIELD_INVALID"); // epoch ≥ 2^64
    expect(code([7, RND, [seat(1, 0, 1, 0, 0), good[1]]])).toBe("SHARD_FIELD_INVALID"); // power 0
    expect(code([7, RND, [seat(1, 0, 1, 1, 2), good[1]]])).toBe("SHARD_FIELD_INVALID"); // shard 2 of 2
    expect(code([7, RND, [seat(1, 2 ** 32, 1, 1, 0), good[1]]])).toBe("SHARD_FIELD_INVALID");
    expect(code([7, RND, [[validatorAddress(1).slice(1), 0, key(1), 1, 0], good[1]]])).toBe(
      "SHARD_FIELD_INVALID",
    );
    expect(code([7, RND, [good[1], good[0]]])).toBe("SHARD_STATE_ORDER");
    expect(code([7, RND, [good[0], good[0], good[1]]])).toBe("SHARD_STATE_ORDER");
    expect(code([7, RND, [good[0], seat(2, 0, 1, 1, 1)]])).toBe("SHARD_KEY_CONFLICT");
    expect(code([7, RND, [seat(1, 0, 1, 1, 0), seat(1, 1, 1, 1, 0)]])).toBe("SHARD_EMPTY");
    expect(code([7, RND, []])).toBe("SHARD_EMPTY");
  });
});
