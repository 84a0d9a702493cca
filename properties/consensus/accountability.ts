import {
  type DoubleSignEvidence,
  isBlocking,
  powerOf,
  signedVoteOfCertificate,
  verifyEvidence,
} from "../../reference/consensus/index.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { type FinalizedObservation, observationsOf } from "../../sim/fbft/observations.ts";
import type { World } from "./world.ts";

/*
 * What a fork leaves behind: the two blocks, their commit certificates, and the members EVIDENCE-VERIFY.1
 * convicts from them. Computed here from the honest machines' stored blocks, apart from sim/fbft's checker,
 * so that a test can compare the two and print the culprits.
 */

/** One side of a fork: a block some honest machine finalized, and who finalized it. */
export interface ForkSide {
  readonly hash: string;
  readonly viewId: bigint;
  readonly machines: readonly number[];
  readonly finalized: FinalizedObservation;
}

export interface Fork {
  readonly height: bigint;
  readonly sides: readonly [ForkSide, ForkSide];
  /** Both blocks carry one header view: their commits share a COMMIT view key (VOTE-KEEPER.1). */
  readonly sameView: boolean;
  /** The two commit certificates as double-sign evidence (EVIDENCE-FORMAT.1). */
  readonly evidence: DoubleSignEvidence;
  /** Members both certificates name, when the evidence verifies; empty when it does not (e.g. two views). */
  readonly convicted: readonly number[];
  readonly convictedPower: bigint;
  readonly totalPower: bigint;
  /** Whether the convicted hold more than a third of the power (a blocking set, FBFT-QUORUM.1). */
  readonly blocking: boolean;
}

/** The lowest height at which honest machines finalized two different blocks, or null if there is none. */
export function firstFork(world: World): Fork | null {
  const byHeight = new Map<bigint, Map<string, ForkSide>>();
  for (const info of world.machines) {
    if (!info.honest) continue;
    for (const { observation } of observationsOf(world.simulation.observations(info.machine), "finalized")) {
      let sides = byHeight.get(observation.height);
      if (sides === undefined) {
        sides = new Map();
        byHeight.set(observation.height, sides);
      }
      const side = sides.get(observation.hash);
      if (side === undefined) {
        sides.set(observation.hash, {
          hash: observation.hash,
          viewId: observation.viewId,
          machines: [info.machine],
          finalized: observation,
        });
      } else {
        sides.set(observation.hash, { ...side, machines: [...side.machines, info.machine] });
      }
    }
  }
  const heights = [...byHeight.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  for (const height of heights) {
    const sides = [...byHeight.get(height)!.values()];
    if (sides.length < 2) continue;
    const pair: [ForkSide, ForkSide] = [sides[0]!, sides[1]!];
    const [a, b] = pair.map((side) =>
      signedVoteOfCertificate(
        "commit",
        height,
        side.finalized.block.header.viewId,
        headerHash(side.finalized.block.header),
        side.finalized.committed.certificate,
      ),
    ) as [ReturnType<typeof signedVoteOfCertificate>, ReturnType<typeof signedVoteOfCertificate>];
    const evidence: DoubleSignEvidence = { first: a, second: b };
    const committee = world.committee.committee;
    const offenders = verifyEvidence(evidence, committee, world.bls);
    const convicted = offenders.ok ? offenders.value : [];
    const convictedPower = powerOf(committee, convicted);
    return {
      height,
      sides: pair,
      sameView: pair[0].finalized.block.header.viewId === pair[1].finalized.block.header.viewId,
      evidence,
      convicted,
      convictedPower,
      totalPower: committee.totalPower,
      blocking: isBlocking(convictedPower, committee.totalPower),
    };
  }
  return null;
}

/** A few lines naming the fork's blocks, who finalized each, and the convicted members. */
export function describeFork(fork: Fork): string {
  const side = (s: ForkSide): string =>
    `${s.hash} (header view ${s.finalized.block.header.viewId}, decided in view ${s.viewId}) finalized by machines ${s.machines.join(", ")}`;
  return [
    `fork at height ${fork.height}:`,
    `  ${side(fork.sides[0])}`,
    `  ${side(fork.sides[1])}`,
    `  their commit certificates convict members [${fork.convicted.join(", ")}] holding ${fork.convictedPower} of ${fork.totalPower}`,
  ].join("\n");
}
