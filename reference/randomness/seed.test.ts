import { describe, expect, it } from "vitest";
import { bytesToHex } from "../encoding/json.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { drgSeed } from "./seed.ts";

const PARENT = new Uint8Array(32).fill(0xab);

describe("DRG-SEED", () => {
  // @covers DRG-SEED.1
  it("is the tag, the epoch and the view as uint64_be, and the parent hash: 68 bytes", () => {
    // Height 9 of the minimal preset is in epoch 9 div 8 = 1; view 0x0102.
    const tag = bytesToHex(new TextEncoder().encode("HARMONY-DRG-V1-SHARE")).slice(2);
    const expected = `0x${tag}0000000000000001${"0000000000000102"}${"ab".repeat(32)}`;
    const seed = drgSeed({ blockNum: 9n, viewId: 0x0102n, parentHash: PARENT }, MINIMAL);
    expect(bytesToHex(seed)).toBe(expected);
    expect(seed.length).toBe(68);
  });

  // @covers DRG-SEED.1
  it("differs between views and between epochs, and reads the epoch with the preset's epoch length", () => {
    const at = (blockNum: bigint, viewId: bigint) =>
      bytesToHex(drgSeed({ blockNum, viewId, parentHash: PARENT }, MINIMAL));
    expect(at(9n, 1n)).not.toBe(at(9n, 2n));
    expect(at(9n, 1n)).not.toBe(at(17n, 1n));
    // 32769 is in mainnet epoch 1 and minimal epoch 4096.
    const mainnet = drgSeed({ blockNum: 32769n, viewId: 0n, parentHash: PARENT }, MAINNET);
    expect(bytesToHex(mainnet.subarray(20, 28))).toBe("0x0000000000000001");
    const minimal = drgSeed({ blockNum: 32769n, viewId: 0n, parentHash: PARENT }, MINIMAL);
    expect(bytesToHex(minimal.subarray(20, 28))).toBe("0x0000000000001000");
  });
});
