import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { Action } from "../engine/protocol.ts";
import {
  type Commit,
  PBFT_HEADER_BYTES,
  type PbftMessage,
  type PrePrepare,
  type Prepare,
  pbftCodec,
} from "./messages.ts";
import { faultTolerance, type PbftState, pbftBlock, pbftReplica, quorumSize } from "./replica.ts";

const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

const BLOCK_A = Uint8Array.of(1, 2, 3);
const BLOCK_B = Uint8Array.of(4, 5, 6);

const prePrepare = (
  sequence: number,
  block: Uint8Array = BLOCK_A,
  extra: Partial<PrePrepare> = {},
): PrePrepare => ({
  type: "PRE-PREPARE",
  view: 0,
  sequence,
  digest: sha256(block),
  replica: 0,
  block,
  ...extra,
});
const prepare = (replica: number, sequence = 1, block: Uint8Array = BLOCK_A): Prepare => ({
  type: "PREPARE",
  view: 0,
  sequence,
  digest: sha256(block),
  replica,
});
const commit = (replica: number, sequence = 1, block: Uint8Array = BLOCK_A): Commit => ({
  type: "COMMIT",
  view: 0,
  sequence,
  digest: sha256(block),
  replica,
});

/** Drives one replica directly, recording what it broadcasts and decides. */
function driver(replicas: number, identity: number) {
  const behaviour = pbftReplica({ replicas, blocks: 10, blockBytes: 16, seed: 1 });
  let state: PbftState = behaviour.init(identity, 0).state;
  const log: string[] = [];
  const record = (actions: readonly Action<PbftMessage>[]): void => {
    for (const action of actions) {
      if (action.kind === "broadcast") log.push(`${action.message.type} ${action.message.sequence}`);
      if (action.kind === "observe")
        log.push(`decide ${(action.observation as { sequence: number }).sequence}`);
    }
  };
  return {
    log,
    get state(): PbftState {
      return state;
    },
    behaviour,
    deliver(from: number, message: PbftMessage): string[] {
      const before = log.length;
      const step = behaviour.onMessage(state, from, message, 0);
      state = step.state;
      record(step.actions);
      return log.slice(before);
    },
  };
}

describe("quorum sizes", () => {
  it("are 2f + 1 for n = 3f + 1, and any two quorums share an honest replica for every n", () => {
    for (const [n, f] of [
      [4, 1],
      [7, 2],
      [16, 5],
      [1024, 341],
    ] as const) {
      expect(faultTolerance(n)).toBe(f);
      expect(quorumSize(n)).toBe(2 * f + 1);
    }
    for (let n = 1; n <= 300; n++) {
      const f = Math.floor((n - 1) / 3);
      const q = quorumSize(n);
      // Two quorums overlap in 2q − n replicas, of which at most f are faulty; f faults leave n − f voters.
      expect(2 * q - n).toBeGreaterThanOrEqual(f + 1);
      expect(q).toBeLessThanOrEqual(n - f);
    }
  });
});

describe("prepared", () => {
  it("needs the PRE-PREPARE and 2f matching PREPAREs from distinct backups, its own included", () => {
    // n = 7, f = 2: a backup needs 2f = 4 PREPAREs, its own and three from other backups.
    const replica = driver(7, 1);
    expect(replica.deliver(0, prePrepare(1))).toEqual(["PREPARE 1"]);
    expect(replica.deliver(2, prepare(2))).toEqual([]);
    expect(replica.deliver(3, prepare(3))).toEqual([]);
    // Own + replicas 2 and 3 make 3; replica 4 completes it.
    expect(replica.deliver(4, prepare(4))).toEqual(["COMMIT 1"]);
  });

  it("counts a replica once however often its PREPARE arrives, and ignores forged and misplaced ones", () => {
    const replica = driver(7, 1);
    replica.deliver(0, prePrepare(1));
    for (let copy = 0; copy < 3; copy++) expect(replica.deliver(2, prepare(2))).toEqual([]);
    // Replica 3's vote sent by identity 5 (an impersonation), the primary "preparing", another view, another
    // digest: none counts.
    expect(replica.deliver(5, prepare(3))).toEqual([]);
    expect(replica.deliver(0, prepare(0))).toEqual([]);
    expect(replica.deliver(4, { ...prepare(4), view: 1 })).toEqual([]);
    expect(replica.deliver(6, prepare(6, 1, BLOCK_B))).toEqual([]);
    expect(replica.deliver(3, prepare(3))).toEqual([]);
    expect(replica.deliver(4, prepare(4))).toEqual(["COMMIT 1"]);
  });

  it("can gather PREPAREs before the PRE-PREPARE arrives", () => {
    const replica = driver(4, 1);
    expect(replica.deliver(2, prepare(2))).toEqual([]);
    expect(replica.deliver(3, prepare(3))).toEqual([]);
    expect(replica.deliver(0, prePrepare(1))).toEqual(["PREPARE 1", "COMMIT 1"]);
  });

  it("accepts only the primary's PRE-PREPARE, with a matching digest, once per sequence", () => {
    const replica = driver(4, 1);
    expect(replica.deliver(2, prePrepare(1, BLOCK_A, { replica: 2 }))).toEqual([]);
    expect(replica.deliver(0, prePrepare(1, BLOCK_A, { digest: sha256(BLOCK_B) }))).toEqual([]);
    expect(replica.deliver(0, prePrepare(1, BLOCK_A))).toEqual(["PREPARE 1"]);
    expect(replica.deliver(0, prePrepare(1, BLOCK_B))).toEqual([]);
    // PREPAREs for the conflicting block do not make it prepared.
    replica.deliver(2, prepare(2, 1, BLOCK_B));
    expect(replica.deliver(3, prepare(3, 1, BLOCK_B))).toEqual([]);
  });
});

describe("decision", () => {
  it("needs being prepared, even with 2f + 1 matching COMMITs in hand", () => {
    const replica = driver(4, 1);
    for (const voter of [0, 2, 3]) expect(replica.deliver(voter, commit(voter))).toEqual([]);
    // 2f + 1 = 3 COMMITs, but only its own PREPARE of the 2f = 2 it needs.
    expect(replica.deliver(0, prePrepare(1))).toEqual(["PREPARE 1"]);
    expect(replica.deliver(2, prepare(2))).toEqual(["COMMIT 1", "decide 1"]);
  });

  it("counts its own COMMIT towards the 2f + 1", () => {
    const replica = driver(4, 1);
    expect(replica.deliver(2, commit(2))).toEqual([]);
    expect(replica.deliver(3, commit(3))).toEqual([]);
    replica.deliver(0, prePrepare(1));
    // Prepared by replica 2's PREPARE: its own COMMIT is the third, so it decides at once.
    expect(replica.deliver(2, prepare(2))).toEqual(["COMMIT 1", "decide 1"]);
  });

  it("does not decide on 2f COMMITs", () => {
    const replica = driver(7, 1);
    replica.deliver(0, prePrepare(1));
    for (const backup of [2, 3, 4]) replica.deliver(backup, prepare(backup));
    // Own COMMIT + 3 more = 4 = 2f < 2f + 1 = 5.
    for (const voter of [0, 2, 3]) expect(replica.deliver(voter, commit(voter))).toEqual([]);
    expect(replica.deliver(3, commit(3))).toEqual([]);
    expect(replica.deliver(6, commit(6))).toEqual(["decide 1"]);
    expect(replica.state.decided).toEqual([sha256(BLOCK_A)]);
  });

  it("decides sequences in order, and ignores messages for decided ones", () => {
    const replica = driver(4, 1);
    const complete = (sequence: number, block: Uint8Array): string[] => [
      ...replica.deliver(0, prePrepare(sequence, block)),
      ...replica.deliver(2, prepare(2, sequence, block)),
      ...replica.deliver(2, commit(2, sequence, block)),
      ...replica.deliver(3, commit(3, sequence, block)),
    ];
    expect(complete(2, BLOCK_B)).toEqual(["PREPARE 2", "COMMIT 2"]);
    expect(complete(1, BLOCK_A)).toEqual(["PREPARE 1", "COMMIT 1", "decide 1", "decide 2"]);
    expect(replica.state.decided).toEqual([sha256(BLOCK_A), sha256(BLOCK_B)]);
    expect(replica.state.slots.size).toBe(0);
    expect(replica.deliver(0, prePrepare(1, BLOCK_B))).toEqual([]);
    expect(replica.state.slots.size).toBe(0);
  });
});

describe("primary", () => {
  it("proposes block 1 at start and the next one only after deciding the previous", () => {
    const behaviour = pbftReplica({ replicas: 4, blocks: 2, blockBytes: 16, seed: 9 });
    const { state, actions } = behaviour.init(0, 0);
    const block = pbftBlock(9, 1, 16);
    expect(actions).toEqual([
      { kind: "broadcast", message: { ...prePrepare(1, block), digest: sha256(block) } },
    ]);
    let current = state;
    const deliver = (from: number, message: PbftMessage): readonly Action<PbftMessage>[] => {
      const step = behaviour.onMessage(current, from, message, 0);
      current = step.state;
      return step.actions;
    };
    deliver(1, prepare(1, 1, block));
    expect(deliver(2, prepare(2, 1, block)).map((a) => a.kind)).toEqual(["broadcast"]);
    deliver(1, commit(1, 1, block));
    const next = deliver(2, commit(2, 1, block));
    expect(
      next.map((a) => (a.kind === "broadcast" ? `${a.message.type} ${a.message.sequence}` : a.kind)),
    ).toEqual(["observe", "PRE-PREPARE 2"]);
  });

  it("derives block contents from the seed and sequence", () => {
    expect(pbftBlock(1, 1, 33)).toEqual(pbftBlock(1, 1, 33));
    expect(pbftBlock(1, 1, 33)).not.toEqual(pbftBlock(1, 2, 33));
    expect(pbftBlock(1, 1, 33)).not.toEqual(pbftBlock(2, 1, 33));
    expect(pbftBlock(1, 1, 33)).toHaveLength(33);
    expect(pbftBlock(1, 1, 0)).toHaveLength(0);
  });
});

describe("persistence", () => {
  it("persists a deep copy that later steps do not change, and restores it", () => {
    const replica = driver(4, 1);
    replica.deliver(0, prePrepare(1));
    const snapshot = replica.behaviour.persist(replica.state);
    replica.deliver(2, prepare(2));
    replica.deliver(2, commit(2));
    replica.deliver(3, commit(3));
    expect(replica.state.decided).toHaveLength(1);
    expect(snapshot.decided).toEqual([]);
    expect(snapshot.slots.get(1)?.prepared).toBe(false);
    const restored = replica.behaviour.restore(1, snapshot, 5);
    expect(restored.state).toEqual(snapshot);
    expect(restored.state).not.toBe(snapshot);
  });
});

describe("message sizes", () => {
  it("follow the documented layout: 1 + 8 + 8 + 32 + 4 + 96 bytes, plus the block for a PRE-PREPARE", () => {
    const header = 1 + 8 + 8 + 32 + 4 + 96;
    expect(PBFT_HEADER_BYTES).toBe(header);
    expect(pbftCodec.size(prepare(1))).toBe(header);
    expect(pbftCodec.size(commit(1))).toBe(header);
    expect(pbftCodec.size(prePrepare(1, new Uint8Array(1000)))).toBe(header + 1000);
  });
});
