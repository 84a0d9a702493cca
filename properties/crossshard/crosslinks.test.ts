import { describe, expect, it } from "vitest";
import { runMultiShard } from "../../sim/fbft/multiShard.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * Crosslinks on the multi-shard simulator (§12.1–§12.3, XLINK-SELECT.1): three shards of four honest members,
 * every non-beacon member relaying its blocks' crosslinks. Every shard keeps agreement and validity (the beacon
 * chain's blocks replayed with the beacon rule, crosslinks included), and the beacon chain crosslinks every block
 * of every shard, in order, at most a few heights behind the shard's head. Without the relay it crosslinks nothing,
 * and the suite checks that it notices. PROPERTY_RUNS_SCALE multiplies the seeds.
 */

const SEEDS = Array.from({ length: Math.max(1, Math.round(2 * runsScale())) }, (_, i) => 11 + i);
/** How far the crosslinked height may trail a shard's head: a block's crosslink is relayed when it is final and
 * included by the next beacon leader, within a few block periods. */
const MAX_LAG = 3n;

function lags(relayCrossLinks: boolean, seed: number) {
  const result = runMultiShard({ shards: 3, validators: 4, seed, blocks: 8, relayCrossLinks });
  for (const shard of result.shards) {
    expect(shard.checkers.agreement.holds, shard.checkers.agreement.detail).toBe(true);
    expect(shard.checkers.validity.holds, shard.checkers.validity.detail).toBe(true);
  }
  return result.shards.slice(1).map((s) => s.height - (result.crossLinked.get(s.shard) ?? 0n));
}

describe("cross-shard property: the beacon chain crosslinks every shard's blocks as they become final", () => {
  // @covers XLINK-SELECT.1 XLINK-INCLUDE.2 XLINK-OF-BLOCK.1
  it("every shard is crosslinked to within a few heights of its head, on every seed", () => {
    for (const seed of SEEDS)
      for (const lag of lags(true, seed)) expect(lag, `seed ${seed}`).toBeLessThanOrEqual(MAX_LAG);
  });

  // @covers XLINK-SELECT.1
  it("notices shard members that relay no crosslinks", () => {
    expect(lags(false, SEEDS[0]!).every((lag) => lag > MAX_LAG)).toBe(true);
  });
});
