import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PBFT_HEADER_BYTES, type PrePrepare } from "./messages.ts";
import { createPbftSimulation, pbftDecisions, runPbft } from "./run.ts";

/*
 * Per block, from the protocol: the primary sends PRE-PREPARE to the n − 1 backups; each of the n − 1 backups
 * sends PREPARE to the n − 1 others (the primary sends none); each of the n replicas sends COMMIT to the
 * n − 1 others.
 */
const expectedPerKind = (n: number) => ({
  "PRE-PREPARE": n - 1,
  PREPARE: (n - 1) * (n - 1),
  COMMIT: n * (n - 1),
});
const expectedMessages = (n: number): number =>
  Object.values(expectedPerKind(n)).reduce((sum, count) => sum + count, 0);

describe("PBFT baseline", () => {
  it("every replica decides the primary's blocks, the same digests in sequence order", () => {
    for (const replicas of [4, 7]) {
      const simulation = createPbftSimulation({
        replicas,
        blocks: 5,
        blockBytes: 64,
        seed: replicas,
        network: { baseMs: 1, jitterMs: 50, deltaMs: 51, duplicateRate: 0.2 },
      });
      const first = simulation.inFlight()[0]!.message as PrePrepare;
      while (simulation.step()) {
        // run until the network is silent
      }
      const decisions = pbftDecisions(simulation).map((list) => list.map((entry) => entry.decision));
      const reference = decisions[0]!;
      expect(reference.map((d) => d.sequence)).toEqual([1, 2, 3, 4, 5]);
      expect(new Set(reference.map((d) => d.digest)).size).toBe(5);
      expect(reference[0]!.digest).toBe(createHash("sha256").update(first.block).digest("hex"));
      for (const list of decisions) expect(list).toEqual(reference);
    }
  });

  it.each([4, 7, 16])("sends (n − 1) + (n − 1)² + n(n − 1) messages per block, n = %i", (replicas) => {
    const blocks = 3;
    const blockBytes = 500;
    const result = runPbft({ replicas, blocks, blockBytes, seed: 2, network: { jitterMs: 30, deltaMs: 40 } });
    expect(result.decided).toBe(blocks);
    const perKind = expectedPerKind(replicas);
    expect(result.messagesPerBlock).toBe(expectedMessages(replicas));
    expect(result.messages).toBe(blocks * expectedMessages(replicas));
    expect(result.perKind).toEqual({
      "PRE-PREPARE": {
        messages: blocks * perKind["PRE-PREPARE"],
        bytes: blocks * perKind["PRE-PREPARE"] * (PBFT_HEADER_BYTES + blockBytes),
      },
      PREPARE: { messages: blocks * perKind.PREPARE, bytes: blocks * perKind.PREPARE * PBFT_HEADER_BYTES },
      COMMIT: { messages: blocks * perKind.COMMIT, bytes: blocks * perKind.COMMIT * PBFT_HEADER_BYTES },
    });
    expect(result.bytesPerBlock).toBe(
      expectedMessages(replicas) * PBFT_HEADER_BYTES + perKind["PRE-PREPARE"] * blockBytes,
    );
    // Three message delays per block, each between 10 and 40 ms with this network.
    expect(result.virtualMsPerBlock).toBeGreaterThanOrEqual(30);
    expect(result.virtualMsPerBlock).toBeLessThanOrEqual(120);
  });

  it("decides nothing, and reports no per-block figures, when every message is lost", () => {
    const result = runPbft({
      replicas: 4,
      blocks: 1,
      blockBytes: 8,
      seed: 1,
      network: { dropRate: 1, gstMs: Number.POSITIVE_INFINITY },
    });
    expect(result.decided).toBe(0);
    // Only the PRE-PREPAREs were sent; nobody had anything to answer.
    expect(result.messages).toBe(3);
    expect(result.messagesPerBlock).toBeNaN();
  });

  it("refuses impossible sizes", () => {
    expect(() => runPbft({ replicas: 0, blocks: 1, blockBytes: 1, seed: 1 })).toThrow(RangeError);
    expect(() => runPbft({ replicas: 4, blocks: -1, blockBytes: 1, seed: 1 })).toThrow(RangeError);
    expect(() => runPbft({ replicas: 4, blocks: 1, blockBytes: 1.5, seed: 1 })).toThrow(RangeError);
  });

  // About two million messages; a few seconds on two cores.
  it("finishes a 1024-replica block", { timeout: 60_000 }, () => {
    const result = runPbft({ replicas: 1024, blocks: 1, blockBytes: 1024, seed: 3 });
    expect(result.decided).toBe(1);
    expect(result.messages).toBe(expectedMessages(1024));
  });
});
