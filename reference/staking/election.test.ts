import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { addressOf, candidateOf, electionKey, ONE } from "../../tools/testing/stakingFixtures.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { type Candidate, electEpos, median } from "./election.ts";

/** Winners as (validator byte, key index, raw, effective) for readable expectations. */
function summary(candidates: readonly Candidate[], slots: number) {
  return unwrap(electEpos(candidates, slots, MINIMAL)).map((s) => [
    s.address[0],
    s.key[1],
    s.rawStake,
    s.effectiveStake,
  ]);
}

describe("ELECT-EPOS", () => {
  // @covers ELECT-EPOS.1
  it("splits stake over keys, keeps the highest bids and clips them to 65–135% of the median", () => {
    // A: 100 ONE over 4 keys bids 25 each; B: 60 ONE on one key; C: 30 ONE over 2 keys bids 15 each.
    const candidates = [
      candidateOf(0x0c, 30n * ONE, 2),
      candidateOf(0x0a, 100n * ONE, 4),
      candidateOf(0x0b, 60n * ONE, 1),
    ];
    // Five seats: B's 60 and A's four 25s. Median 25 ONE, band [16.25, 33.75] ONE: B is clipped to 33.75.
    expect(summary(candidates, 5)).toEqual([
      [0x0b, 0, 60n * ONE, 3375n * 10n ** 16n],
      [0x0a, 0, 25n * ONE, 25n * ONE],
      [0x0a, 1, 25n * ONE, 25n * ONE],
      [0x0a, 2, 25n * ONE, 25n * ONE],
      [0x0a, 3, 25n * ONE, 25n * ONE],
    ]);
    // Seven seats take C's keys too: median of 60, 25 ×4, 15 ×2 is 25; C's 15 is lifted to 16.25.
    expect(summary(candidates, 7).slice(5)).toEqual([
      [0x0c, 0, 15n * ONE, 1625n * 10n ** 16n],
      [0x0c, 1, 15n * ONE, 1625n * 10n ** 16n],
    ]);
    // More seats than keys: every key wins.
    expect(summary(candidates, 100)).toHaveLength(7);
    expect(summary(candidates, 0)).toEqual([]);
    expect(summary([], 5)).toEqual([]);
  });

  // @covers ELECT-EPOS.1
  it("breaks ties between equal bids by validator address, then by the validator's key order", () => {
    const candidates = [candidateOf(0x02, 10n, 2), candidateOf(0x01, 20n, 4)]; // every key bids 5
    expect(summary(candidates, 3).map(([v, k]) => [v, k])).toEqual([
      [0x01, 0],
      [0x01, 1],
      [0x01, 2],
    ]);
  });

  // @covers ELECT-EPOS.1
  it("rounds every division towards zero: the bid, the median of an even count, and the band", () => {
    // Stakes of 7 atto over 2 keys bid 3 each; 10 atto on one key bids 10.
    expect(summary([candidateOf(0x01, 7n, 2), candidateOf(0x02, 10n, 1)], 3).map((s) => s[2])).toEqual([
      10n,
      3n,
      3n,
    ]);
    expect(median([1n, 2n])).toBe(1n);
    expect(median([10n, 40n, 20n, 30n])).toBe(25n);
    expect(median([5n, 1n, 3n])).toBe(3n);
    // Median 3 (of 10, 3, 3): band ⌊3 · 65 / 100⌋ = 1 to ⌊3 · 135 / 100⌋ = 4.
    expect(summary([candidateOf(0x01, 7n, 2), candidateOf(0x02, 10n, 1)], 3).map((s) => s[3])).toEqual([
      4n,
      3n,
      3n,
    ]);
  });

  // @covers ELECT-CANDIDATES.1
  it("refuses a malformed candidate list by name", () => {
    const good = candidateOf(0x01, ONE, 2);
    const code = (candidates: readonly Candidate[]) => resultCode(electEpos(candidates, 4, MINIMAL));
    expect(code([{ ...good, address: new Uint8Array(19) }])).toBe("ELECT_FIELD_INVALID");
    expect(code([{ ...good, stake: -1n }])).toBe("ELECT_FIELD_INVALID");
    expect(code([{ ...good, keys: [new Uint8Array(47)] }])).toBe("ELECT_FIELD_INVALID");
    expect(code([{ ...good, keys: [] }])).toBe("ELECT_NO_KEYS");
    expect(code([good, { ...candidateOf(0x02, ONE, 1), address: addressOf(0x01) }])).toBe(
      "ELECT_DUPLICATE_VALIDATOR",
    );
    expect(code([{ ...good, keys: [electionKey(1, 0), electionKey(1, 0)] }])).toBe("ELECT_DUPLICATE_KEY");
    expect(code([good, { ...candidateOf(0x02, ONE, 1), keys: [electionKey(1, 1)] }])).toBe(
      "ELECT_DUPLICATE_KEY",
    );
  });

  const candidateLists = fc
    .array(
      fc.record({ stake: fc.bigInt({ min: 0n, max: 10n ** 24n }), keys: fc.integer({ min: 1, max: 5 }) }),
      {
        maxLength: 12,
      },
    )
    .map((specs) => specs.map((spec, i) => candidateOf(i + 1, spec.stake, spec.keys)));

  // @covers ELECT-EPOS.1
  it("elects the highest bids, whatever the order of the list, with every power inside the band", () => {
    fc.assert(
      fc.property(
        candidateLists,
        fc.integer({ min: 0, max: 40 }),
        fc.integer(),
        (candidates, slots, seed) => {
          const elected = unwrap(electEpos(candidates, slots, MAINNET));
          const keyCount = candidates.reduce((n, c) => n + c.keys.length, 0);
          expect(elected).toHaveLength(Math.min(slots, keyCount));
          // Determinism: a rotation of the list elects the same keys with the same powers.
          const rotated = candidates.map((_, i) => candidates[(i + Math.abs(seed)) % candidates.length]!);
          expect(unwrap(electEpos(rotated, slots, MAINNET))).toEqual(elected);
          if (elected.length === 0) return;
          // Every losing bid is at most every winning bid.
          const won = new Set(elected.map((s) => bytesToHex(s.key)));
          const lowestWin = elected[elected.length - 1]!.rawStake;
          for (const c of candidates) {
            for (const k of c.keys) {
              if (!won.has(bytesToHex(k))) expect(c.stake / BigInt(c.keys.length) <= lowestWin).toBe(true);
            }
          }
          // Median clip: [65%, 135%] of the median, and a bid inside the band keeps its value.
          const m = median(elected.map((s) => s.rawStake));
          const lo = (m * 65n) / 100n;
          const hi = (m * 135n) / 100n;
          for (const s of elected) {
            expect(s.effectiveStake >= lo && s.effectiveStake <= hi).toBe(true);
            if (s.rawStake >= lo && s.rawStake <= hi) expect(s.effectiveStake).toBe(s.rawStake);
          }
        },
      ),
    );
  });
});
