import { describe, expect, it } from "vitest";
import { genesis, nextBlock } from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { MINIMAL } from "../params/presets.ts";
import type { BlockHeader } from "./header.ts";
import { validateHeader } from "./validateHeader.ts";

const g = genesis(MINIMAL, 0);
const child = nextBlock(g, [], MINIMAL).block.header;
const check = (changes: Partial<BlockHeader>, parent: BlockHeader = g.head) =>
  resultCode(validateHeader({ ...child, ...changes }, parent, MINIMAL));

describe("header validation", () => {
  // @covers HEADER-VALIDATE.1
  it("accepts the built child and rejects each fault with its code", () => {
    expect(check({})).toBe("(accepted)");
    expect(check({ extra: new Uint8Array(33) })).toBe("HEADER_FIELD_INVALID"); // L1
    expect(check({ parentHash: new Uint8Array(32) })).toBe("HEADER_PARENT_HASH_MISMATCH"); // L2
    expect(check({ number: 2n })).toBe("HEADER_NUMBER_MISMATCH"); // L3
    expect(check({ number: 0n })).toBe("HEADER_NUMBER_MISMATCH");
    expect(check({ shardId: 1 })).toBe("HEADER_SHARD_MISMATCH"); // L4
    expect(check({ epoch: 1n })).toBe("HEADER_EPOCH_MISMATCH"); // L5
    expect(check({ time: g.head.time })).toBe("HEADER_TIME_NOT_INCREASING"); // L6: equal is not later
    expect(check({ time: g.head.time + 1n })).toBe("(accepted)");
    expect(check({ viewId: 0n })).toBe("HEADER_VIEW_ID_NOT_INCREASING"); // L7
    expect(check({ gasLimit: MINIMAL.blockGasLimit - 1n })).toBe("HEADER_GAS_LIMIT_MISMATCH"); // L8
    expect(check({ gasUsed: MINIMAL.blockGasLimit + 1n })).toBe("HEADER_GAS_USED_EXCEEDS_LIMIT"); // L9
    expect(check({ gasUsed: MINIMAL.blockGasLimit })).toBe("(accepted)");
  });

  // @covers HEADER-VALIDATE.1
  it("the epoch is number div blocksPerEpoch (8 in the minimal preset)", () => {
    const parent = { ...g.head, number: 7n };
    // Block 8 is the first of epoch 1; the parent hash must be that of this parent.
    const next = nextBlock({ head: parent, accounts: g.accounts }, [], MINIMAL).block.header;
    expect(next.epoch).toBe(1n);
    expect(resultCode(validateHeader(next, parent, MINIMAL))).toBe("(accepted)");
    expect(resultCode(validateHeader({ ...next, epoch: 0n }, parent, MINIMAL))).toBe("HEADER_EPOCH_MISMATCH");
  });

  // @covers HEADER-VALIDATE.1
  it("reports the first failing line when several fail", () => {
    expect(check({ number: 5n, time: 0n, viewId: 0n })).toBe("HEADER_NUMBER_MISMATCH");
    expect(check({ time: 0n, viewId: 0n, gasLimit: 1n })).toBe("HEADER_TIME_NOT_INCREASING");
  });
});
