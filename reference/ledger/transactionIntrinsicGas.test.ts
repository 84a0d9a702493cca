import { describe, expect, it } from "vitest";
import { bytesFromHex } from "../encoding/json.ts";
import type { UnsignedHarmonyTransaction } from "./transactionFields.ts";
import { intrinsicGas } from "./transactionIntrinsicGas.ts";

/*
 * Intrinsic gas, hand-derived from the Istanbul schedule: 21000 per transaction [YP G_transaction], 4 per zero
 * data byte [G_txdatazero], 16 per non-zero data byte [EIP-2028].
 */

const base: UnsignedHarmonyTransaction = {
  kind: "harmony",
  nonce: 0n,
  gasPrice: 0n,
  gasLimit: 0n,
  shardId: 0,
  toShardId: 0,
  to: null,
  value: 0n,
  data: new Uint8Array(0),
};

// @covers TX-INTRINSIC-GAS.1
describe("intrinsic gas (Istanbul)", () => {
  it("an empty transfer costs 21000 (0x5208, as published for EIP-155's example)", () => {
    expect(intrinsicGas(base)).toBe(21000n);
    expect(intrinsicGas(base)).toBe(0x5208n);
  });

  it("0x000102: one zero byte (4) and two non-zero bytes (2 · 16) → 21036", () => {
    expect(intrinsicGas({ ...base, data: bytesFromHex("0x000102") })).toBe(21036n);
  });

  it("1000 zero bytes → 21000 + 4000; 1000 bytes 0xff → 21000 + 16000", () => {
    expect(intrinsicGas({ ...base, data: new Uint8Array(1000) })).toBe(25000n);
    expect(intrinsicGas({ ...base, data: new Uint8Array(1000).fill(0xff) })).toBe(37000n);
  });

  it("does not depend on the form, the shards, the recipient or the scalars", () => {
    const data = bytesFromHex("0x00ff00ff01");
    const g = 21000n + 2n * 4n + 3n * 16n;
    expect(intrinsicGas({ ...base, data })).toBe(g);
    expect(intrinsicGas({ ...base, data, shardId: 1, toShardId: 0, to: new Uint8Array(20), value: 9n })).toBe(
      g,
    );
    expect(intrinsicGas({ ...base, kind: "ethereum", data, gasLimit: 5n })).toBe(g);
  });
});
