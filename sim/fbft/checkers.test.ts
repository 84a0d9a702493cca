import { beforeAll, describe, expect, it } from "vitest";
import {
  type ConsensusMessage,
  type DoubleSignEvidence,
  genesisValidatorSecretKey,
  preparePayload,
  signedVoteOf,
} from "../../reference/consensus/index.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { type Block, encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Observation } from "../engine/index.ts";
import {
  checkAccountability,
  checkAgreement,
  checkLivenessAfterGst,
  checkLocking,
  checkNoHonestEquivocation,
  checkProgress,
  checkValidity,
  type FbftRecord,
  longestFaultyRun,
} from "./checkers.ts";
import { type FbftObservation, type FinalizedObservation, observationsOf } from "./observations.ts";
import { runFbft } from "./run.ts";

// @covers FBFT-SAFETY.1 VIEW-LIVENESS.1 EVIDENCE-VERIFY.1

/*
 * Each checker holds on an honest run and fails on that run's record with one observation changed, so no
 * checker passes vacuously.
 */

let base: FbftRecord;
let firstBlock: FinalizedObservation;
/** A valid block 1 other than the one the run finalized. */
let otherBlock: Block;

beforeAll(() => {
  base = runFbft({ validators: 4, seed: 21, blocks: 2 }).record;
  firstBlock = observationsOf(base.machines[1]!.observations, "finalized")[0]!.observation;
  const fields = plainProposerFields(firstBlock.block.header.time + 1n, firstBlock.block.header.viewId);
  otherBlock = unwrap(buildBlock(base.genesis, [], fields, base.preset)).block;
});

function timed(time: number, observation: FbftObservation): Observation {
  return { time, observation };
}

function editMachine(
  record: FbftRecord,
  machine: number,
  edit: (observations: readonly Observation[]) => readonly Observation[],
): FbftRecord {
  return {
    ...record,
    machines: record.machines.map((entry) =>
      entry.machine === machine ? { ...entry, observations: edit(entry.observations) } : entry,
    ),
  };
}

/** Machine 1's chain with its block 1 replaced by `block` (stored with the run's committed message). */
function replaceFirstBlock(block: Block): FbftRecord {
  return editMachine(base, 1, (observations) =>
    observations.map((entry) => {
      const observation = entry.observation as FbftObservation;
      if (observation.kind !== "finalized" || observation.height !== 1n) return entry;
      return timed(entry.time, { ...observation, block, hash: bytesToHex(headerHash(block.header)) });
    }),
  );
}

function signedPrepare(member: number, hash: Uint8Array, view: bigint): DoubleSignEvidence["first"] {
  const signature = unwrap(
    base.bls.sign(
      genesisValidatorSecretKey(base.genesis.head.shardId, member),
      preparePayload(1n, hash, view),
    ),
  );
  return signedVoteOf(
    { kind: "prepare", blockNum: 1n, viewId: view, blockHash: hash, signer: member, signature },
    4,
  );
}

describe("checkers on an honest run", () => {
  it("all hold", () => {
    for (const check of [
      checkAgreement,
      checkValidity,
      checkNoHonestEquivocation,
      checkAccountability,
      checkLocking,
    ]) {
      expect(check(base).holds).toBe(true);
    }
    expect(checkLivenessAfterGst(base, { gstMs: 0, faulty: new Set() }).holds).toBe(true);
  });
});

describe("checkAgreement and checkAccountability", () => {
  it("report two blocks at one height; a fork without valid evidence convicts nobody", () => {
    const forked = replaceFirstBlock(otherBlock);
    const agreement = checkAgreement(forked);
    expect(agreement.holds).toBe(false);
    expect(agreement.detail).toContain("height 1");
    // The substituted block is stored with the other block's committed message, which is no evidence of anything.
    const accountability = checkAccountability(forked);
    expect(accountability.holds).toBe(false);
    expect(accountability.detail).toContain("convicted []");
  });
});

describe("checkValidity", () => {
  it("rejects a stored block that does not apply", () => {
    const tampered = {
      ...firstBlock.block,
      header: { ...firstBlock.block.header, stateRoot: new Uint8Array(32) },
    };
    const result = checkValidity(replaceFirstBlock(tampered));
    expect(result.holds).toBe(false);
    expect(result.detail).toContain("BLOCK_STATE_ROOT_MISMATCH");
  });

  it("rejects a valid block stored with a certificate of another block", () => {
    const result = checkValidity(replaceFirstBlock(otherBlock));
    expect(result.holds).toBe(false);
    expect(result.detail).toContain("commit certificate");
  });
});

describe("checkNoHonestEquivocation", () => {
  it("finds an honest member's second prepare in one view", () => {
    const conflicting: ConsensusMessage = {
      type: "prepare",
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: headerHash(otherBlock.header),
      signer: 2,
      signature: new Uint8Array(96),
    };
    const record = editMachine(base, 2, (observations) => [
      ...observations,
      timed(99_999, { kind: "sent", to: 0, message: conflicting }),
    ]);
    const result = checkNoHonestEquivocation(record);
    expect(result.holds).toBe(false);
    expect(result.detail).toContain("prepare by 2 at height 1 in view 1");
  });

  it("fails on evidence against an honest key and holds on evidence against a Byzantine one", () => {
    const evidenceAgainst = (member: number): DoubleSignEvidence => ({
      first: signedPrepare(member, headerHash(firstBlock.block.header), 1n),
      second: signedPrepare(member, headerHash(otherBlock.header), 1n),
    });
    const withEvidence = (member: number): FbftRecord =>
      editMachine(base, 3, (observations) => [
        ...observations,
        timed(99_999, { kind: "evidence", evidence: evidenceAgainst(member) }),
      ]);
    const againstHonest = checkNoHonestEquivocation(withEvidence(2));
    expect(againstHonest.holds).toBe(false);
    expect(againstHonest.detail).toContain("honest identities 2");
    const byzantineZero = withEvidence(0);
    const flagged: FbftRecord = {
      ...byzantineZero,
      machines: byzantineZero.machines.map((m) => (m.identity === 0 ? { ...m, honest: false } : m)),
    };
    expect(checkNoHonestEquivocation(flagged).holds).toBe(true);
  });
});

describe("checkLocking", () => {
  const sighting = (view: bigint): FbftRecord => {
    const prepared: ConsensusMessage = {
      type: "prepared",
      shardId: 1,
      blockNum: 1n,
      viewId: view,
      blockHash: headerHash(otherBlock.header),
      block: encodeBlock(otherBlock),
      certificate: firstBlock.committed.preparedCertificate,
    };
    return editMachine(base, 3, (observations) => [
      ...observations,
      timed(99_999, { kind: "accepted", message: prepared }),
    ]);
  };

  it("fails on a certificate for another block from a view after the decision, not from the decision's view", () => {
    const later = checkLocking(sighting(5n));
    expect(later.holds).toBe(false);
    expect(later.detail).toContain("from view 5");
    expect(checkLocking(sighting(firstBlock.viewId)).holds).toBe(true);
  });
});

describe("checkLivenessAfterGst", () => {
  /** The run's record with height 1 finalized (by every machine) in view `view`. */
  const decidedIn = (view: bigint): FbftRecord => ({
    ...base,
    machines: base.machines.map((machine) => ({
      ...machine,
      observations: machine.observations.map((entry) => {
        const observation = entry.observation as FbftObservation;
        return observation.kind === "finalized" && observation.height === 1n
          ? timed(entry.time, { ...observation, viewId: view })
          : entry;
      }),
    })),
  });

  it("allows TURN(x) − TURN(y) ≤ K + 2 and no more", () => {
    // Every machine reached height 1 at time 0 in view 1 (turn 0 with leaderTerm 2), so y = 1.
    const none = new Set<number>();
    expect(checkLivenessAfterGst(decidedIn(5n), { gstMs: 0, faulty: none }).holds).toBe(true); // turn 2
    expect(checkLivenessAfterGst(decidedIn(6n), { gstMs: 0, faulty: none }).holds).toBe(false); // turn 3
    // One faulty member: K = 1.
    const one = new Set([0]);
    expect(checkLivenessAfterGst(decidedIn(7n), { gstMs: 0, faulty: one }).holds).toBe(true); // turn 3
    expect(checkLivenessAfterGst(decidedIn(8n), { gstMs: 0, faulty: one }).holds).toBe(false); // turn 4
  });

  it("says nothing about heights decided before GST", () => {
    expect(checkLivenessAfterGst(decidedIn(40n), { gstMs: 1_000_000, faulty: new Set() }).holds).toBe(true);
  });
});

describe("checkProgress", () => {
  it("counts the blocks each correct machine finalized by a time", () => {
    const last = Math.max(
      ...base.machines.map((machine) => observationsOf(machine.observations, "finalized").at(-1)!.time),
    );
    const faulty = new Set<number>();
    expect(checkProgress(base, { blocks: 2, byMs: last, faulty }).holds).toBe(true);
    expect(checkProgress(base, { blocks: 2, byMs: last - 1, faulty }).holds).toBe(false);
    expect(checkProgress(base, { blocks: 3, byMs: last, faulty }).holds).toBe(false);
  });
});

describe("longestFaultyRun", () => {
  it("counts consecutive faulty members in committee order, wrapping around", () => {
    expect(longestFaultyRun(7, new Set())).toBe(0);
    expect(longestFaultyRun(7, new Set([2, 4]))).toBe(1);
    expect(longestFaultyRun(7, new Set([6, 0, 1, 3]))).toBe(3);
    expect(longestFaultyRun(4, new Set([0, 1, 2, 3]))).toBe(4);
  });
});
