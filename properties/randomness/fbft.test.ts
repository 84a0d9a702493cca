import { describe, expect, it } from "vitest";
import { MINIMAL } from "../../reference/params/presets.ts";
import { drgCommitHeight, drgRevealHeight } from "../../reference/randomness/schedule.ts";
import type { AdversarySpec } from "../../sim/fbft/adversaries.ts";
import type { HonestBehaviour } from "../../sim/fbft/driver.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { checkCommitWindow } from "../../sim/fbft/randomness.ts";
import { type FbftRunOptions, type FbftRunResult, runFbft } from "../../sim/fbft/run.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * The randomness protocol inside FBFT (§9.7) on the simulator's beacon chain: members send shares at the commit
 * height, the leader commits them, every member computes the reveal and the leader of the reveal height
 * publishes it, under Byzantine members. Each run decides two epochs and the commitment of a third (17 blocks of
 * the minimal preset's 8-block epochs). The checkers of FBFT-SAFETY.1 replay every honest chain with the beacon
 * rule, randomness included; checkCommitWindow reads when honest members prepared commit-height blocks.
 */

const BLOCKS = 17;
const SEEDS = Array.from({ length: Math.max(1, Math.round(2 * runsScale())) }, (_, i) => 101 + i);

interface Configuration {
  readonly name: string;
  readonly validators: number;
  readonly byzantine: number;
  readonly adversary?: AdversarySpec;
}

/** The first members lead the first views, so each adversary leads the commit height of epoch 0. */
const CONFIGURATIONS: readonly Configuration[] = [
  { name: "n4 honest", validators: 4, byzantine: 0 },
  { name: "n4 f1 silent", validators: 4, byzantine: 1, adversary: { kind: "silent" } },
  { name: "n4 f1 grinding leader", validators: 4, byzantine: 1, adversary: { kind: "grindingLeader" } },
  {
    name: "n4 f1 equivocating leader",
    validators: 4,
    byzantine: 1,
    adversary: { kind: "equivocatingLeader" },
  },
  { name: "n7 f2 grinding leaders", validators: 7, byzantine: 2, adversary: { kind: "grindingLeader" } },
];

function beaconRun(configuration: Configuration, seed: number, extra: Partial<FbftRunOptions> = {}) {
  return runFbft({
    validators: configuration.validators,
    byzantine: configuration.byzantine,
    ...(configuration.adversary === undefined ? {} : { adversary: configuration.adversary }),
    seed,
    blocks: BLOCKS,
    shard: 0,
    workload: 1,
    ...extra,
  });
}

/** The header of `height` as the first honest machine finalized it. */
function finalizedHeader(result: FbftRunResult, height: bigint) {
  for (const machine of result.record.machines) {
    if (!machine.honest) continue;
    for (const { observation } of observationsOf(machine.observations, "finalized")) {
      if (observation.height === height) return observation.block.header;
    }
  }
  throw new Error(`no honest machine finalized height ${height}`);
}

/**
 * A deliberately broken member: it treats its commit window as open whenever an announce arrives, so
 * DRG-COMMIT-WINDOW L1 never refuses a late proposal.
 */
const keepsWindowOpen = (honest: HonestBehaviour): HonestBehaviour => ({
  ...honest,
  onMessage(node, from, message, now) {
    if (message.type !== "announce") return honest.onMessage(node, from, message, now);
    const consensus = { ...node.consensus, shareOpen: node.consensus.view };
    return honest.onMessage({ ...node, consensus }, from, message, now);
  },
});

describe("randomness property: the protocol inside FBFT", () => {
  for (const configuration of CONFIGURATIONS) {
    // @covers DRG-ENTER-VIEW.1 DRG-ON-SHARE.1 DRG-ON-TIMER.1 DRG-COMMIT-WINDOW.2 DRG-PROPOSE.1 DRG-REVEAL-DUE.1
    it(`${configuration.name}: safe, live, every epoch committed and revealed, every honest prepare in its window`, () => {
      for (const seed of SEEDS) {
        const result = beaconRun(configuration, seed);
        const failed = Object.entries(result.checkers).filter(([, verdict]) => !verdict.holds);
        expect(failed, `seed ${seed}`).toEqual([]);
        expect(result.decided, `seed ${seed}`).toBeGreaterThanOrEqual(BLOCKS);
        const window = checkCommitWindow(result.record);
        expect(window.holds, `seed ${seed}: ${window.detail}`).toBe(true);
        for (const epoch of [0n, 1n]) {
          expect(finalizedHeader(result, drgCommitHeight(epoch, MINIMAL)).vrf.length).toBeGreaterThan(0);
          expect(finalizedHeader(result, drgRevealHeight(epoch, MINIMAL)).vdf).toHaveLength(512);
        }
      }
    });
  }

  // @covers DRG-COMMIT-WINDOW.2 DRG-ON-TIMER.1
  it("a grinding leader's late commitment gets no honest vote: the commit height is decided in a later view", () => {
    const grinding = CONFIGURATIONS.find((c) => c.name === "n4 f1 grinding leader")!;
    for (const seed of SEEDS) {
      const result = beaconRun(grinding, seed);
      expect(result.errors.DRG_WINDOW_CLOSED ?? 0, `seed ${seed}`).toBeGreaterThan(0);
      // Member 0 leads view 1, the first view of the commit height of epoch 0.
      expect(finalizedHeader(result, drgCommitHeight(0n, MINIMAL)).viewId, `seed ${seed}`).toBeGreaterThan(
        1n,
      );
    }
  });

  // @covers DRG-COMMIT-WINDOW.2
  it("notices members that ignore the window: the grinding leader then gets honest prepares after it", () => {
    const grinding = CONFIGURATIONS.find((c) => c.name === "n4 f1 grinding leader")!;
    const verdicts = SEEDS.map((seed) =>
      checkCommitWindow(beaconRun(grinding, seed, { honestRule: keepsWindowOpen }).record),
    );
    expect(verdicts.every((verdict) => !verdict.holds)).toBe(true);
    expect(verdicts[0]!.detail).toMatch(/ms after the share, window 2000 ms/);
  });
});
