import { describe, expect, it } from "vitest";
import { MAINNET } from "../reference/params/presets.ts";
import { economicsReport, parseShare, percent } from "./economics.ts";

describe("economics command", () => {
  it("reads staked shares in (0, 1] exactly and refuses the rest", () => {
    expect(parseShare("0.4")).toEqual({ numerator: 4n, denominator: 10n });
    expect(parseShare("1")).toEqual({ numerator: 1n, denominator: 1n });
    for (const bad of ["0", "1.5", "-0.4", ".4", "0.4x", "40%"])
      expect([bad, parseShare(bad)]).toEqual([bad, null]);
  });

  it("prints mainnet's figures: 6.011 % inflation, 15.027 % at 40 % staked, 8.505 % after dilution", () => {
    const { rows, figures } = economicsReport(MAINNET, ["0.4"]);
    expect(percent(figures.inflation)).toBe("6.011");
    expect(percent(rows[0]!.gross)).toBe("15.027");
    // (1.150274… / 1.060109…) − 1 = 0.085052…
    expect(percent(rows[0]!.real)).toBe("8.505");
  });
});
