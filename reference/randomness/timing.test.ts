import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { timingMargins } from "./timing.ts";

describe("DRG-TIMING", () => {
  // @covers DRG-TIMING.1
  it("mainnet: 2^28 squarings at 10 ns outlast twice the window; at 7 µs they end before the reveal is due", () => {
    // 2^28 · 10 ns = 2.68435456 s against 2 · 1 s; 1024 blocks · 2 s = 2048 s against 2^28 · 7 µs = 1879.048192 s.
    const margins = timingMargins(MAINNET);
    expect(margins.bias).toBe(2_684_354_560_000n - 2_000_000_000_000n);
    expect(margins.reveal).toBe(2_048_000_000_000_000n - 1_879_048_192_000_000n);
  });

  // @covers DRG-TIMING.1
  it("minimal: the reveal is in time, and the preset claims no delay", () => {
    const margins = timingMargins(MINIMAL);
    expect(margins.reveal > 0n).toBe(true);
    expect(margins.bias < 0n).toBe(true);
  });

  // @covers DRG-TIMING.1
  it("a T of 2^27 would break the mainnet bias bound, a reveal delay of 512 blocks the reveal bound", () => {
    expect(timingMargins({ ...MAINNET, vdfIterations: 1n << 27n }).bias < 0n).toBe(true);
    expect(timingMargins({ ...MAINNET, drgRevealDelay: 512 }).reveal < 0n).toBe(true);
  });
});
