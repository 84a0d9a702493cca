import { describe, expect, it } from "vitest";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { crossShardOf, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { checkCrossShard, type ShardHistory } from "../../sim/fbft/crossShardChecks.ts";
import { type MultiShardAdversary, type MultiShardResult, runMultiShard } from "../../sim/fbft/multiShard.ts";
import {
  beaconEntry,
  finalBeaconBlocks,
  outgoingOf,
  receiptEntry,
} from "../../tools/testing/crossShardFlows.ts";
import { addressOf, genesis, transfer } from "../../tools/testing/ledgerChains.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * Transfers between shards on the multi-shard simulator (§12.5, §12.6): three shards of four members, each proposal
 * sending one transfer within its shard and two to other shards, and an atomic transfer from shards 1 and 2,
 * decided by the beacon chain, starting every ATOMIC_EVERY heights; every member relays crosslinks, beacon headers,
 * receipts and locks, and beacon members offer aborts once a deadline has passed. Under honest, silent and
 * equivocating members (fewer than a third of each committee):
 *   - conservation: every block changes its shard's supply by what it credited minus what it sent, and the shards
 *     with what is in flight always hold their geneses' total;
 *   - exactly-once: no receipt is credited twice, and each credited one is one its source sent to that shard;
 *   - atomicity: each atomic transfer decided paid every output and refunded no part, or the reverse;
 *   - bounded completion: every receipt is credited within CREDIT_BOUND destination blocks of its source block's
 *     finality, and none stays pending once that many destination blocks followed it.
 * A node shell that relays no incoming entries leaves receipts pending past the bound, and a destination that
 * forgets its spent receipts credits one twice; the suite notices both. PROPERTY_RUNS_SCALE multiplies the seeds.
 */

const SEEDS = Array.from({ length: Math.max(1, Math.round(runsScale())) }, (_, i) => 21 + i);
/** An atomic transfer, decided by the beacon chain, starts every this many heights (every fourth one aborts). */
const ATOMIC_EVERY = 2;

/**
 * The bound, in destination blocks after the source block is final: the beacon chain's next block takes the
 * crosslink, its final header reaches the destination with the receipt, and the destination's next block credits
 * both (3, as measured with honest leaders). Each Byzantine member of a committee may lead a turn of leaderTerm
 * views in which it leaves the entries out, on the beacon chain and at the destination.
 */
function creditBound(byzantine: number): number {
  return 3 + 2 * byzantine * MINIMAL.leaderTerm;
}

interface Configuration {
  readonly name: string;
  readonly byzantine: number;
  readonly adversaryOf?: (member: number) => MultiShardAdversary;
}

const CONFIGURATIONS: readonly Configuration[] = [
  { name: "n4 honest", byzantine: 0 },
  { name: "n4f1 silent", byzantine: 1, adversaryOf: () => ({ kind: "silent" }) },
  { name: "n4f1 equivocating leader", byzantine: 1, adversaryOf: () => ({ kind: "equivocatingLeader" }) },
];

function run(configuration: Configuration, seed: number, relayIncoming = true): MultiShardResult {
  return runMultiShard({
    shards: 3,
    validators: 4,
    seed,
    blocks: 12,
    transfers: 1,
    crossShardTransfers: 2,
    atomicEvery: ATOMIC_EVERY,
    byzantine: configuration.byzantine,
    ...(configuration.adversaryOf === undefined ? {} : { adversaryOf: configuration.adversaryOf }),
    relayIncoming,
  });
}

/** The receipts that break the bound: credited too late, or pending although the bound's blocks have passed. */
function overdue(result: MultiShardResult, bound: number): string[] {
  return result.crossShard.receipts
    .filter((r) => (r.credited ? r.destinationBlocks > bound : r.destinationBlocks >= bound))
    .map(
      (r) =>
        `${r.id}: ${r.credited ? "credited" : "pending"} after ${r.destinationBlocks} destination blocks`,
    );
}

describe("cross-shard property: transfers between shards are conserved, credited once, and completed in bound", () => {
  // @covers CX-RECEIPT-ENTRY.2 CX-BEACON-ENTRY.1 CX-ENTRIES.2 CX-SELECT.2 STATE-CROSS-SHARD.1
  it.each(CONFIGURATIONS.map((c) => [c.name, c] as const))("%s", (_name, configuration) => {
    for (const seed of SEEDS) {
      const result = run(configuration, seed);
      for (const shard of result.shards) {
        expect(shard.checkers.agreement.holds, shard.checkers.agreement.detail).toBe(true);
        expect(shard.checkers.validity.holds, shard.checkers.validity.detail).toBe(true);
        expect(shard.receiptsCredited, `shard ${shard.shard} credits receipts`).toBeGreaterThan(0);
      }
      const cross = result.crossShard;
      expect(cross.conservation.holds, cross.conservation.detail).toBe(true);
      expect(cross.exactlyOnce.holds, cross.exactlyOnce.detail).toBe(true);
      expect(cross.atomicity.holds, cross.atomicity.detail).toBe(true);
      expect(cross.atomicOutcomes.committed, cross.atomicity.detail).toBeGreaterThan(0);
      expect(overdue(result, creditBound(configuration.byzantine)), `seed ${seed}`).toEqual([]);
    }
  });

  // @covers CX-SELECT.2
  it("notices a node shell that relays no incoming entries: receipts stay pending past the bound", () => {
    const result = run(CONFIGURATIONS[0]!, SEEDS[0]!, false);
    expect(result.crossShard.receipts.every((r) => !r.credited)).toBe(true);
    expect(overdue(result, creditBound(0)).length).toBeGreaterThan(0);
    // Value is still conserved: what is not credited is in flight.
    expect(result.crossShard.conservation.holds, result.crossShard.conservation.detail).toBe(true);
  });

  // @covers CX-RECEIPT-ENTRY.2 CX-STATE.2
  it("notices a destination that forgets its spent receipts: one is credited twice and value is minted", () => {
    const preset = MINIMAL;
    const value = 5n * 10n ** 18n;
    const send = transfer(preset, { shard: 0, index: 0 }, 0n, addressOf({ shard: 1, index: 9 }), value, {
      toShard: 1,
    });
    const [b1] = finalBeaconBlocks(preset, 1, () => [send]);
    const entry = receiptEntry(b1!.block, outgoingOf(genesis(preset, 0), b1!.block, preset), 1, 0);
    // Off the state trie, a spent set can be lost (a node-local database, as mainnet keeps it): model that.
    const forgets = (ledger: LedgerState): LedgerState => ({
      ...ledger,
      crossShard: { ...crossShardOf(ledger), spent: new Set() },
    });
    const g1 = genesis(preset, 1);
    const first = buildBlock(g1, [], plainProposerFields(2n, 1n), preset, {
      incoming: [beaconEntry(b1!), entry],
      bls: blstBls,
    });
    if (!first.ok) throw first.error;
    const second = buildBlock(forgets(first.value.state), [], plainProposerFields(4n, 2n), preset, {
      incoming: [entry],
      bls: blstBls,
    });
    if (!second.ok) throw second.error;
    const histories: ShardHistory[] = [
      { shard: 0, genesis: genesis(preset, 0), blocks: [{ block: b1!.block, time: 1000 }] },
      {
        shard: 1,
        genesis: g1,
        blocks: [
          { block: first.value.block, time: 3000 },
          { block: second.value.block, time: 5000 },
        ],
      },
    ];
    const broken = checkCrossShard(histories, preset, blstBls, forgets);
    expect(broken.exactlyOnce.holds).toBe(false);
    expect(broken.exactlyOnce.detail).toMatch(/taken again/);
    expect(broken.conservation.holds).toBe(false);
    // The real rule refuses the second block, and the history of its first block alone passes both checks.
    const honest = checkCrossShard(
      [histories[0]!, { ...histories[1]!, blocks: histories[1]!.blocks.slice(0, 1) }],
      preset,
      blstBls,
    );
    expect(honest.exactlyOnce.holds, honest.exactlyOnce.detail).toBe(true);
    expect(honest.conservation.holds, honest.conservation.detail).toBe(true);
    expect(() => checkCrossShard(histories, preset, blstBls)).toThrow(/CX_RECEIPT_SPENT/);
  });
});
