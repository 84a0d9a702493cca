import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blstBls } from "../crypto/bls/blst.ts";
import { MAINNET, MINIMAL, type Preset } from "../params/presets.ts";
import { genesisCommittee } from "./committee.ts";
import { leaderOf, nextView, turnOf, viewTimeoutMs } from "./leader.ts";

const COMMITTEE = genesisCommittee(0, MINIMAL, blstBls);

describe("leaders", () => {
  // @covers FBFT-LEADER.1
  it("rotates every leaderTerm views in committee order (minimal: term 2, 4 members)", () => {
    const views = [0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n];
    expect(views.map((v) => turnOf(v, MINIMAL))).toEqual([0n, 0n, 1n, 1n, 2n, 2n, 3n, 3n, 4n, 4n]);
    expect(views.map((v) => leaderOf(v, COMMITTEE, MINIMAL))).toEqual([0, 0, 1, 1, 2, 2, 3, 3, 0, 0]);
    expect(turnOf(162n, MAINNET)).toBe(0n);
    expect(turnOf(163n, MAINNET)).toBe(1n);
    expect(leaderOf((1n << 64n) - 1n, COMMITTEE, MINIMAL)).toBe(3); // (2^63 − 1) mod 4
  });
});

describe("next view", () => {
  // @covers VIEW-NEXT.1
  it("is the first view of the next turn", () => {
    expect([0n, 1n, 2n, 3n, 4n].map((v) => nextView(v, MINIMAL))).toEqual([2n, 2n, 4n, 4n, 6n]);
    expect(nextView(0n, MAINNET)).toBe(163n);
    expect(nextView(325n, MAINNET)).toBe(326n);
  });

  // @covers VIEW-NEXT.1 FBFT-LEADER.1
  it("always changes the leader of a committee of two or more", () => {
    const presets: readonly Preset[] = [
      MINIMAL,
      { ...MINIMAL, leaderTerm: 1 },
      { ...MINIMAL, leaderTerm: 7 },
    ];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 62n }), fc.constantFrom(...presets), (view, preset) => {
        const next = nextView(view, preset);
        expect(next > view).toBe(true);
        expect(next % BigInt(preset.leaderTerm)).toBe(0n);
        expect(next - view <= BigInt(preset.leaderTerm)).toBe(true);
        expect(leaderOf(next, COMMITTEE, preset)).toBe((leaderOf(view, COMMITTEE, preset) + 1) % 4);
      }),
    );
  });
});

describe("view timeout", () => {
  // @covers VIEW-TIMEOUT.1
  it("doubles per turn spent on the height, capped at 32 times the base", () => {
    // heightView 3 is in turn 1; views in turns 1, 2, 3, … 7, 8
    const views = [3n, 2n, 4n, 6n, 8n, 10n, 12n, 14n, 1000n];
    expect(views.map((v) => viewTimeoutMs(v, 3n, MINIMAL))).toEqual([
      8000, 8000, 16000, 32000, 64000, 128000, 256000, 256000, 256000,
    ]);
    expect(viewTimeoutMs(163n, 0n, MAINNET)).toBe(54000);
    expect(viewTimeoutMs(162n, 0n, MAINNET)).toBe(27000);
  });

  // @covers VIEW-TIMEOUT.1
  it("never falls below the base", () => {
    expect(viewTimeoutMs(0n, 9n, MINIMAL)).toBe(8000);
  });
});
