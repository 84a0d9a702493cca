import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { SAMPLE_RANDOMNESS } from "../../tools/testing/shardSeats.ts";
import { thrownCode } from "../../tools/testing/specErrors.ts";
import { drawBelow, permute, shuffle, shuffleLabel } from "./shuffle.ts";

/** SHUFFLE written again from the spec text, on node's SHA-256, with big integers for the bounds. */
function specShuffle(rnd: Uint8Array, label: Uint8Array, n: number): number[] {
  const words: bigint[] = [];
  let counter = 0n;
  const next = (): bigint => {
    if (words.length === 0) {
      const c = Buffer.alloc(8);
      c.writeBigUInt64BE(counter++);
      const length = Buffer.alloc(4);
      length.writeUInt32BE(label.length);
      const block = createHash("sha256")
        .update("harmony-spec shard shuffle")
        .update(rnd)
        .update(length)
        .update(label)
        .update(c)
        .digest();
      for (let i = 0; i < 32; i += 4) words.push(BigInt(block.readUInt32BE(i)));
    }
    return words.shift()!;
  };
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const m = BigInt(i + 1);
    const limit = 2n ** 32n - (2n ** 32n % m);
    let x = next();
    while (x >= limit) x = next();
    const j = Number(x % m);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

describe("SHARD-SHUFFLE", () => {
  // @covers SHARD-SHUFFLE.1
  it("matches the rule written again on another SHA-256, for several sizes and labels", () => {
    const rnd = new Uint8Array(32).map((_, i) => i * 7);
    for (const n of [0, 1, 2, 3, 9, 10, 64, 300]) {
      for (const label of [shuffleLabel("assign"), shuffleLabel("order", 1), new Uint8Array(0)]) {
        expect(shuffle(rnd, label, n)).toEqual(specShuffle(rnd, label, n));
      }
    }
    expect(shuffle(SAMPLE_RANDOMNESS, shuffleLabel("assign"), 10)).toEqual([8, 6, 0, 5, 1, 9, 3, 2, 7, 4]);
    expect(specShuffle(SAMPLE_RANDOMNESS, new TextEncoder().encode("assign"), 10)).toEqual([
      8, 6, 0, 5, 1, 9, 3, 2, 7, 4,
    ]);
  });

  // @covers SHARD-SHUFFLE.1
  it("skips words at or above the largest multiple of m, so no residue is favoured", () => {
    const stream = (words: number[]) => () => words.shift()!;
    // m = 3: the largest multiple of 3 below 2^32 is 2^32 − 1, so 0xffffffff is skipped and 5 gives 5 mod 3.
    expect(drawBelow(stream([0xffffffff, 5]), 3)).toBe(2);
    expect(drawBelow(stream([0xfffffffe]), 3)).toBe(0xfffffffe % 3);
    // m = 2^31 + 1: every word from 2^31 + 1 up is skipped.
    expect(drawBelow(stream([2 ** 31 + 1, 2 ** 32 - 1, 2 ** 31]), 2 ** 31 + 1)).toBe(2 ** 31);
  });

  // @covers SHARD-SHUFFLE.1
  it("labels separate streams, and the label's length is part of the hash input", () => {
    const rnd = new Uint8Array(32).fill(1);
    expect(shuffle(rnd, shuffleLabel("pool"), 50)).not.toEqual(shuffle(rnd, shuffleLabel("new"), 50));
    expect(shuffleLabel("order", 258)).toEqual(new Uint8Array([111, 114, 100, 101, 114, 0, 0, 1, 2]));
    expect(permute(["a", "b", "c"], [2, 0, 1])).toEqual(["c", "a", "b"]);
  });

  // @covers SHARD-SHUFFLE.1
  it("refuses randomness that is not 32 bytes", () => {
    expect(thrownCode(() => shuffle(new Uint8Array(31), shuffleLabel("assign"), 4))).toBe(
      "SHARD_FIELD_INVALID",
    );
    expect(thrownCode(() => shuffle(new Uint8Array(32), shuffleLabel("assign"), 2 ** 32))).toBe(
      "SHARD_FIELD_INVALID",
    );
  });
});
