import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL, type Preset } from "../params/presets.ts";
import {
  type DrgRole,
  drgCommitHeight,
  drgFieldsExpected,
  drgRevealHeight,
  drgScheduleFits,
} from "./schedule.ts";

describe("DRG-SCHEDULE", () => {
  // @covers DRG-SCHEDULE.1
  it("minimal: the beacon chain commits at offset 1 and reveals at offset 4 of each 8-block epoch", () => {
    const roles: DrgRole[] = [];
    for (let h = 0n; h < 17n; h++) roles.push(drgFieldsExpected(0, h, MINIMAL));
    const at = (role: DrgRole) => roles.flatMap((r, h) => (r === role ? [h] : []));
    expect(at("commit")).toEqual([1, 9]);
    expect(at("reveal")).toEqual([4, 12]);
    for (let h = 0n; h < 17n; h++) expect(drgFieldsExpected(1, h, MINIMAL)).toBe("none");
  });

  // @covers DRG-SCHEDULE.1
  it("mainnet: offsets 1 and 1025 of each 32768-block epoch", () => {
    const expected: [bigint, DrgRole][] = [
      [0n, "none"],
      [1n, "commit"],
      [2n, "none"],
      [1025n, "reveal"],
      [32767n, "none"],
      [32769n, "commit"],
      [33793n, "reveal"],
    ];
    for (const [h, role] of expected) expect(drgFieldsExpected(0, h, MAINNET), `height ${h}`).toBe(role);
    expect(drgFieldsExpected(1, 1n, MAINNET)).toBe("none");
    expect(drgCommitHeight(2n, MAINNET)).toBe(65537n);
    expect(drgRevealHeight(2n, MAINNET)).toBe(66561n);
  });

  // @covers DRG-SCHEDULE.1
  it("every epoch of the beacon chain has exactly one commit block, then one reveal block, before its last block", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(MINIMAL, MAINNET),
        fc.bigInt({ min: 0n, max: 1n << 40n }),
        (preset, epoch) => {
          const first = epoch * BigInt(preset.blocksPerEpoch);
          const commit = drgCommitHeight(epoch, preset);
          const reveal = drgRevealHeight(epoch, preset);
          expect(drgFieldsExpected(0, commit, preset)).toBe("commit");
          expect(drgFieldsExpected(0, reveal, preset)).toBe("reveal");
          expect(first < commit && commit < reveal).toBe(true);
          expect(reveal < first + BigInt(preset.blocksPerEpoch) - 1n).toBe(true);
          expect(drgFieldsExpected(0, first, preset)).toBe("none");
          expect(drgFieldsExpected(0, first + BigInt(preset.blocksPerEpoch) - 1n, preset)).toBe("none");
        },
      ),
    );
  });

  // @covers DRG-SCHEDULE.1
  it("both presets fit their epochs, and offsets that leave no room for the election do not", () => {
    expect(drgScheduleFits(MINIMAL)).toBe(true);
    expect(drgScheduleFits(MAINNET)).toBe(true);
    const with_ = (changes: Partial<Preset>): Preset => ({ ...MINIMAL, ...changes });
    expect(drgScheduleFits(with_({ drgCommitOffset: 0 }))).toBe(false); // the genesis block
    expect(drgScheduleFits(with_({ drgRevealDelay: 0 }))).toBe(false);
    expect(drgScheduleFits(with_({ drgCommitOffset: 1, drgRevealDelay: 5 }))).toBe(true); // reveal at 6
    expect(drgScheduleFits(with_({ drgCommitOffset: 1, drgRevealDelay: 6 }))).toBe(false); // reveal at 7, the last
  });
});
