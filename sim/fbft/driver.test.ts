import { describe, expect, it } from "vitest";
import { type ConsensusMessage, preparePayload } from "../../reference/consensus/index.ts";
import { unwrap } from "../../reference/errors.ts";
import { decodeBlock, encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { atomicStage } from "../../tools/testing/crossShardFlows.ts";
import { Random } from "../engine/index.ts";
import { memoizedBls } from "./blsCache.ts";
import { equalCommittee } from "./committees.ts";
import {
  type DriverOptions,
  type FbftAction,
  type NodeState,
  nodeOnMessage,
  nodeOnTimer,
  PROPOSE_TIMER,
  startNode,
  VIEW_TIMER,
} from "./driver.ts";
import type { FbftObservation } from "./observations.ts";
import type { FinalizedEntry } from "./wire.ts";
import { emptyWorkload } from "./workload.ts";

// @covers FBFT-PROPOSE.4 FBFT-EVENTS.5 VIEW-START.2

const bls = memoizedBls();
const { committee, secretKeys } = equalCommittee(1, MINIMAL.slotsPerShard, bls);
const genesis = unwrap(genesisLedger(1, null, MINIMAL));
const BLOCK_PERIOD_MS = 2000;

function driverOf(me: number): DriverOptions {
  return {
    config: { preset: MINIMAL, shardId: 1, committee, me, secretKey: secretKeys[me]!, bls },
    genesis,
    blockPeriodMs: BLOCK_PERIOD_MS,
    workload: emptyWorkload,
    random: Random.fromSeed(me),
    syncBatch: 2,
    syncRetryMs: 1000,
    clockSkewMs: 0,
  };
}

function observations(actions: readonly FbftAction[]): FbftObservation[] {
  return actions.flatMap((action) =>
    action.kind === "observe" ? [action.observation as FbftObservation] : [],
  );
}

/** Member 0's announce, in view 1, of an empty block 1 with header time `time`. */
function announceAt(time: bigint): ConsensusMessage {
  const block = unwrap(buildBlock(genesis, [], plainProposerFields(time, 1n), MINIMAL)).block;
  const blockHash = headerHash(block.header);
  return {
    type: "announce",
    shardId: 1,
    blockNum: 1n,
    viewId: 1n,
    blockHash,
    block: encodeBlock(block),
    signature: unwrap(bls.sign(secretKeys[0]!, preparePayload(1n, blockHash, 1n))),
  };
}

describe("the honest driver", () => {
  it("arms the view timer and, as the first leader, proposes after the block period with its clock", () => {
    const driver = driverOf(0);
    const started = startNode(driver);
    expect(started.actions).toContainEqual({
      kind: "timer",
      name: VIEW_TIMER,
      afterMs: MINIMAL.viewTimeoutMs,
    });
    expect(started.actions).toContainEqual({ kind: "timer", name: PROPOSE_TIMER, afterMs: BLOCK_PERIOD_MS });
    const proposed = nodeOnTimer(driver, started.state, PROPOSE_TIMER, 2500);
    const announce = proposed.actions.find((action) => action.kind === "broadcast");
    expect(announce?.kind === "broadcast" && announce.message.type).toBe("announce");
    if (announce?.kind !== "broadcast" || announce.message.type !== "announce") return;
    const block = unwrap(decodeBlock(announce.message.block, MINIMAL));
    // floor(2500 ms / 1000) seconds after the genesis time.
    expect(block.header.time).toBe(MINIMAL.genesisTime + 2n);
    expect(block.header.viewId).toBe(1n);
  });

  it("feeds a fired view timer to STEP as a timeout and moves to the next turn", () => {
    const driver = driverOf(2);
    const started = startNode(driver);
    const timedOut = nodeOnTimer(driver, started.state, VIEW_TIMER, MINIMAL.viewTimeoutMs);
    // NEXT-VIEW(1) = (TURN(1) + 1) · leaderTerm = leaderTerm.
    expect(observations(timedOut.actions)).toContainEqual({
      kind: "position",
      height: 1n,
      view: BigInt(MINIMAL.leaderTerm),
      mode: "viewChanging",
    });
    expect(timedOut.actions.some((a) => a.kind === "broadcast" && a.message.type === "viewChange")).toBe(
      true,
    );
  });

  it("does not deliver an announce more than 15 seconds ahead of its clock", () => {
    const driver = driverOf(1);
    const started = startNode(driver);
    const now = 1000; // the driver's clock reads genesisTime + 1 s
    const tooFar = nodeOnMessage(driver, started.state, 0, announceAt(MINIMAL.genesisTime + 17n), now);
    expect(tooFar.state).toBe(started.state);
    expect(observations(tooFar.actions)).toEqual([
      expect.objectContaining({ kind: "rejected", code: "DRIVER_FUTURE_BLOCK" }),
    ]);
    const edge = nodeOnMessage(driver, started.state, 0, announceAt(MINIMAL.genesisTime + 16n), now);
    expect(edge.actions.some((a) => a.kind === "send" && a.to === 0 && a.message.type === "prepare")).toBe(
      true,
    );
    // The vote is observed with its recipient.
    expect(observations(edge.actions)).toContainEqual(
      expect.objectContaining({ kind: "sent", to: 0, message: expect.objectContaining({ type: "prepare" }) }),
    );
  });

  it("answers a sync request with at most syncBatch stored blocks from the asked height", () => {
    const driver = driverOf(3);
    const started = startNode(driver);
    const certificate = { signature: new Uint8Array(96), bitmap: new Uint8Array(1) };
    const entry = (n: bigint): FinalizedEntry => ({
      block: { header: { ...genesis.head, number: n }, transactions: [], incomingReceipts: [] },
      committed: {
        type: "committed",
        shardId: 1,
        blockNum: n,
        viewId: n,
        blockHash: new Uint8Array(32),
        blockViewId: n,
        certificate,
        preparedCertificate: certificate,
      },
    });
    const node: NodeState = { ...started.state, chain: [entry(1n), entry(2n), entry(3n)] };
    const answer = nodeOnMessage(driver, node, 1, { type: "syncRequest", fromHeight: 2n }, 0);
    expect(answer.actions).toHaveLength(1);
    const [sent] = answer.actions;
    expect(sent?.kind === "send" && sent.to).toBe(1);
    expect(
      sent?.kind === "send" &&
        sent.message.type === "syncResponse" &&
        sent.message.entries.map((e) => e.committed.viewId),
    ).toEqual([2n, 3n]);
    expect(nodeOnMessage(driver, node, 1, { type: "syncRequest", fromHeight: 4n }, 0).actions).toEqual([]);
  });

  it("keeps relayed incoming entries once per kind and receipt, so a lock relayed as a plain receipt first still gets in", () => {
    const stage = atomicStage(MINIMAL, 4n);
    const lock = stage.locks[0];
    const plain = { kind: "receipt" as const, header: lock.header, proof: lock.proof };
    const driver = { ...driverOf(0), config: { ...driverOf(0).config, shardId: 0 } };
    let node: NodeState = startNode(driver).state;
    for (const entry of [plain, lock, lock, plain]) {
      node = nodeOnMessage(driver, node, -1, { type: "incoming", entry }, 0).state;
    }
    expect(node.incomingPool).toEqual([plain, lock]);
  });
});
