import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { heightOf, restoreState } from "../../reference/consensus/index.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { crossShardOf } from "../../reference/ledger/applyBlock.ts";
import { encodeBlock } from "../../reference/ledger/block.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { stateRoot } from "../../reference/ledger/state.ts";
import type { FinalizedObservation } from "../../sim/fbft/observations.ts";
import { runFbft } from "../../sim/fbft/run.ts";
import { decodeVoteRecord, encodeVoteRecord, type VoteRecord } from "./durable.ts";
import { NodeStore } from "./store.ts";

/*
 * The node's storage: a chain finalized by FBFT on the simulator is stored block by block with a vote record,
 * the store is closed and opened again, and the node resumes at the same height with the same ledger and votes.
 */

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "harmony-store-"));
  dirs.push(dir);
  return dir;
}

/** A run's finalized blocks as member 0 stored them, and the configuration of member 0. */
function finalizedRun(shard: number) {
  const result = runFbft({ validators: 4, seed: 5, blocks: 6, shard });
  const member = result.record.machines[0]!;
  const entries = member.observations
    .map((o) => o.observation as FinalizedObservation)
    .filter((o) => o.kind === "finalized")
    .map((o) => ({ block: o.block, committed: o.committed }));
  const config = {
    preset: result.record.preset,
    shardId: shard,
    committee: result.record.committee,
    me: 0,
    secretKey: null,
    bls: result.record.bls,
  };
  return { entries, config, genesis: result.record.genesis };
}

/** A vote record of a node locked on its head block and changing view, every field in use. */
function sampleVotes(entries: ReturnType<typeof finalizedRun>["entries"]): VoteRecord {
  const last = entries.at(-1)!;
  return {
    view: last.committed.viewId + 2n,
    mode: "viewChanging",
    heightView: last.committed.viewId + 1n,
    lock: {
      view: last.committed.viewId,
      hash: headerHash(last.block.header),
      block: last.block,
      blockBytes: encodeBlock(last.block),
      certificate: last.committed.preparedCertificate,
    },
    required: headerHash(last.block.header),
    votedPrepare: new Map([[last.committed.viewId + 1n, headerHash(last.block.header)]]),
    votedCommit: [{ blockViewId: last.committed.viewId, blockHash: headerHash(last.block.header) }],
    lastViewChange: last.committed.viewId + 2n,
  };
}

describe("node storage", () => {
  it.each([1, 0])(
    "resumes shard %i from disk at its height, with its ledger and votes",
    async (shard) => {
      const { entries, config, genesis } = finalizedRun(shard);
      expect(entries.length).toBeGreaterThanOrEqual(6);
      const { encodeBlock } = await import("../../reference/ledger/block.ts");
      const votes = sampleVotes(entries);
      const stored: VoteRecord = {
        ...votes,
        lock: { ...votes.lock!, blockBytes: encodeBlock(votes.lock!.block) },
      };
      const dir = freshDir();
      const store = await NodeStore.open(dir, config);
      expect((await store.resume(genesis)).durable).toBeNull();
      for (const entry of entries) await store.finalize(entry, stored);
      await store.close();

      const reopened = await NodeStore.open(dir, config);
      const resumed = await reopened.resume(genesis);
      await reopened.close();
      expect(resumed.chain.map((e) => bytesToHex(headerHash(e.block.header)))).toEqual(
        entries.map((e) => bytesToHex(headerHash(e.block.header))),
      );
      const durable = resumed.durable!;
      const head = entries.at(-1)!.block.header;
      expect(durable.ledger.head).toEqual(head);
      // The replayed state is the one the head's state root commits to.
      expect(stateRoot(durable.ledger.accounts, crossShardOf(durable.ledger))).toEqual(head.stateRoot);
      expect(durable.headCert).toEqual(entries.at(-1)!.committed.certificate);
      const { ledger: _l, headCert: _c, ...record } = durable;
      expect(record).toEqual(stored);
      const restored = restoreState(config, durable);
      expect(heightOf(restored.state)).toBe(head.number + 1n);
      expect(restored.state.view).toBe(stored.view);
    },
    60_000,
  );

  it("refuses a damaged vote record, naming what is wrong", () => {
    const { entries, config } = finalizedRun(1);
    const votes = sampleVotes(entries);
    const bytes = encodeVoteRecord({ ...votes, lock: null });
    expect(decodeVoteRecord(bytes, config.preset)).toEqual({ ...votes, lock: null });
    expect(() => decodeVoteRecord(bytes.subarray(0, bytes.length - 1), config.preset)).toThrow(/damaged/);
    expect(() => decodeVoteRecord(Uint8Array.of(0xc0), config.preset)).toThrow(/damaged: record has 0 items/);
  });
});
