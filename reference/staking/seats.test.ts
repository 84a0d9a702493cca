import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { candidateOf, ONE } from "../../tools/testing/stakingFixtures.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { compareBytes } from "../trie/trieNode.ts";
import { electAdaptive, electSeats } from "./seats.ts";

/** Seats as (validator byte, index, key's validator byte and index, power). */
function summary(seats: readonly { validator: Uint8Array; index: number; key: Uint8Array; power: bigint }[]) {
  return seats.map((seat) => [seat.validator[0], seat.index, `${seat.key[0]}/${seat.key[1]}`, seat.power]);
}

const arbitraryCandidates = fc
  .uniqueArray(
    fc.record({
      byte: fc.integer({ min: 1, max: 255 }),
      stake: fc.bigInt({ min: 0n, max: 10n ** 30n }),
      keyCount: fc.integer({ min: 1, max: 4 }),
    }),
    { selector: (c) => c.byte, maxLength: 12 },
  )
  .map((list) => list.map((c) => candidateOf(c.byte, c.stake, c.keyCount)));

describe("ELECT-ADAPTIVE", () => {
  // @covers ELECT-ADAPTIVE.1
  it("cuts stake into shares of λ = ⌈total / S⌉ and signs them with the validator's keys in turn", () => {
    // Total 167 ONE over S = 8 seats: λ = 20.875 ONE. A (100 ONE, two keys) takes 4 shares (83.5 ≤ 100 <
    // 104.375), B (60 ONE) takes 2 (41.75 ≤ 60 < 62.625), C (7 ONE) none. Listed out of address order.
    const election = unwrap(
      electAdaptive(
        [candidateOf(0x0c, 7n * ONE, 1), candidateOf(0x0b, 60n * ONE, 1), candidateOf(0x0a, 100n * ONE, 2)],
        8,
      ),
    );
    expect(election.threshold).toBe(20875n * 10n ** 15n);
    expect(summary(election.seats)).toEqual([
      [0x0a, 0, "10/0", 1n],
      [0x0a, 1, "10/1", 1n],
      [0x0a, 2, "10/0", 1n],
      [0x0a, 3, "10/1", 1n],
      [0x0b, 0, "11/0", 1n],
      [0x0b, 1, "11/0", 1n],
    ]);
  });

  // @covers ELECT-ADAPTIVE.1
  it("keeps λ at least 1 atto, so stakes smaller than the seat count still elect", () => {
    // Total 3 atto over 8 seats: ⌈3/8⌉ = 1, every atto is one share.
    const election = unwrap(
      electAdaptive([candidateOf(1, 2n, 1), candidateOf(2, 1n, 1), candidateOf(3, 0n, 1)], 8),
    );
    expect(election.threshold).toBe(1n);
    expect(summary(election.seats)).toEqual([
      [1, 0, "1/0", 1n],
      [1, 1, "1/0", 1n],
      [2, 0, "2/0", 1n],
    ]);
    expect(unwrap(electAdaptive([], 8))).toEqual({ threshold: 1n, seats: [] });
  });

  // @covers ELECT-ADAPTIVE.1
  it("never gives more shares than seats, and loses less than one share per candidate to rounding", () => {
    // One candidate of 6 atto for 5 seats: λ = ⌈6/5⌉ = 2 gives 3 shares, fewer than S − |V| = 4, since W < S².
    expect(unwrap(electAdaptive([candidateOf(1, 6n, 1)], 5)).seats).toHaveLength(3);
    fc.assert(
      fc.property(arbitraryCandidates, fc.integer({ min: 1, max: 500 }), (candidates, seatCount) => {
        const { threshold, seats } = unwrap(electAdaptive(candidates, seatCount));
        const total = candidates.reduce((sum, c) => sum + c.stake, 0n);
        expect(seats.length).toBeLessThanOrEqual(seatCount);
        // λ is the least integer ≥ 1 with λ·S ≥ W.
        expect(threshold * BigInt(seatCount) >= total).toBe(true);
        expect(threshold === 1n || (threshold - 1n) * BigInt(seatCount) < total).toBe(true);
        // Σ shares > S − S²/W − |V|, so at least S − |V| when W ≥ S² (§8.2).
        if (total >= BigInt(seatCount) ** 2n) {
          expect(seats.length).toBeGreaterThanOrEqual(seatCount - candidates.length);
        }
        for (const c of candidates) {
          const own = seats.filter((seat) => compareBytes(seat.validator, c.address) === 0);
          const shares = BigInt(own.length);
          expect(shares * threshold <= c.stake && c.stake < (shares + 1n) * threshold).toBe(true);
          expect(own.map((seat) => seat.index)).toEqual(own.map((_, i) => i));
        }
      }),
    );
  });

  // @covers ELECT-ADAPTIVE.1
  it("does not depend on the order of the candidates", () => {
    fc.assert(
      fc.property(arbitraryCandidates, fc.integer({ min: 1, max: 64 }), (candidates, seatCount) => {
        const reversed = [...candidates].reverse();
        expect(unwrap(electAdaptive(reversed, seatCount))).toEqual(
          unwrap(electAdaptive(candidates, seatCount)),
        );
      }),
    );
  });

  // @covers ELECT-ADAPTIVE.1 ELECT-CANDIDATES.1
  it("refuses a malformed candidate list by name, and a seat count below one", () => {
    const twice = candidateOf(1, ONE, 1);
    expect(resultCode(electAdaptive([twice, twice], 8))).toBe("ELECT_DUPLICATE_VALIDATOR");
    expect(resultCode(electAdaptive([{ ...twice, keys: [] }], 8))).toBe("ELECT_NO_KEYS");
    expect(() => electAdaptive([twice], 0)).toThrow(RangeError);
  });
});

describe("ELECT-SEATS", () => {
  const candidates = [
    candidateOf(0x0c, 30n * ONE, 2),
    candidateOf(0x0a, 100n * ONE, 4),
    candidateOf(0x0b, 60n * ONE, 1),
  ];

  // @covers ELECT-SEATS.1
  it("under the adaptive rule, the seats are the voting shares for numShards · slotsPerShard seats", () => {
    expect(MINIMAL.electionRule).toBe("adaptive");
    expect(unwrap(electSeats(candidates, MINIMAL))).toEqual(unwrap(electAdaptive(candidates, 2 * 4)).seats);
  });

  // @covers ELECT-SEATS.1
  it("under EPoS, a seat is an elected key, numbered by its place among its validator's keys", () => {
    expect(MAINNET.electionRule).toBe("epos");
    // 400 seats for 7 keys: all win. Bids: B 60, A 25 ×4, C 15 ×2; median 25 ONE, band [16.25, 33.75].
    expect(summary(unwrap(electSeats(candidates, MAINNET)))).toEqual([
      [0x0b, 0, "11/0", 3375n * 10n ** 16n],
      [0x0a, 0, "10/0", 25n * ONE],
      [0x0a, 1, "10/1", 25n * ONE],
      [0x0a, 2, "10/2", 25n * ONE],
      [0x0a, 3, "10/3", 25n * ONE],
      [0x0c, 0, "12/0", 1625n * 10n ** 16n],
      [0x0c, 1, "12/1", 1625n * 10n ** 16n],
    ]);
  });

  // @covers ELECT-SEATS.1
  it("under EPoS, a winner whose effective stake is 0 takes no seat", () => {
    // Three of four bids are 0, so the median and the band are 0 and only the 1-atto bid is clipped to 0.
    const poor = [candidateOf(1, 0n, 1), candidateOf(2, 0n, 1), candidateOf(3, 0n, 1), candidateOf(4, 1n, 1)];
    expect(unwrap(electSeats(poor, MAINNET))).toEqual([]);
  });
});
