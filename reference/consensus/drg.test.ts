import { describe, expect, it } from "vitest";
import {
  createNet,
  fireDrgTimers,
  fireTimers,
  type Net,
  release,
  run,
  sentOfType,
  tryStep,
} from "../../tools/testing/consensusNet.ts";
import { vrfProofOf } from "../../tools/testing/drgFixtures.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { decodeBlock } from "../ledger/block.ts";
import { genesisLedger } from "../ledger/genesis.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import { readCommitField } from "../randomness/commit.ts";
import { checkRevealField } from "../randomness/reveal.ts";
import { drgSeed } from "../randomness/seed.ts";
import { applyBeaconBlock, type BeaconChain, beaconChainAt } from "../sharding/beacon.ts";
import { beaconChainOf } from "./chain.ts";
import { initialState } from "./finalize.ts";
import type { Announce, Share } from "./messages.ts";
import { persistentState, restoreState } from "./persist.ts";

/*
 * The randomness protocol inside FBFT (§9.7), on the minimal preset's beacon chain: four members of power 1,
 * the genesis committee of shard 0; block 1 of every 8-block epoch commits, block 4 reveals.
 */

const bls = blstBls;
const COMMIT_HEIGHT = 1n;
const REVEAL_HEIGHT = 4n;

function beaconNet(maxHeight: bigint): Net {
  return createNet({ preset: MINIMAL, powers: [1n, 1n, 1n, 1n], bls, shard: 0, maxHeight });
}

/** The signers of the commitment in an announce's block. */
function commitSigners(announce: Announce, net: Net): number[] {
  const vrf = unwrap(decodeBlock(announce.block, MINIMAL)).header.vrf;
  return [...unwrap(readCommitField(vrf, net.committee)).signers];
}

function finalizedHeader(net: Net, height: bigint) {
  const entry = net.finalized[0]!.find((f) => f.block.header.number === height);
  if (entry === undefined) throw new Error(`block ${height} was not finalized at member 0`);
  return entry.block.header;
}

const sharesTo = (net: Net, member: number) =>
  net.sent.flatMap((sent, from) =>
    sent.filter((s) => s.to === member && s.message.type === "share").map(() => from),
  );

describe("DRG-ENTER-VIEW and DRG-ON-SHARE", () => {
  // @covers DRG-ENTER-VIEW.1 DRG-ON-SHARE.1 DRG-PROPOSE.1 FBFT-PROPOSE.4 FBFT-FINALIZE.2
  it("members send shares at the commit height, and the leader commits them as soon as it holds them all", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    expect(sharesTo(net, 0)).toEqual([1, 2, 3]);
    for (const member of [1, 2, 3]) {
      expect(net.drgTimers[member]).toEqual({ viewId: 1n, afterMs: MINIMAL.drgCommitWindowMs });
    }
    expect(net.drgTimers[0]).toEqual({ viewId: 1n, afterMs: MINIMAL.drgCommitWindowMs / 2 });
    run(net);
    const announce = sentOfType(net, 0, "announce")[0]!;
    expect(commitSigners(announce, net)).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < 4; i++) expect(net.finalized[i]!.map((f) => f.block.header.number)).toEqual([1n]);
  });

  // @covers FBFT-EVENTS.5 DRG-ENTER-VIEW.1
  it("gives a commit height's proposal without waiting for the block period, and no other height's", () => {
    const start = beaconNet(COMMIT_HEIGHT);
    // The leader holds its own share only: nothing is due until the others' arrive or its DRG timer fires.
    expect(start.queue.filter((q) => q.kind === "event")).toEqual([]);
    const alone = createNet({ preset: { ...MINIMAL, slotsPerShard: 1 }, powers: [1n], bls, shard: 0 });
    const due = alone.queue.find((q) => q.kind === "event");
    expect(due).toMatchObject({ to: 0, event: { kind: "propose", viewId: 1n } });
    const later = beaconNet(COMMIT_HEIGHT);
    run(later);
    // Member 1 leads view 2, where height 2 starts: an ordinary height, proposed after the block period.
    const atTwo = initialState(later.configs[1]!, later.states[1]!.ledger, later.states[1]!.headCert);
    expect(atTwo.outputs).toContainEqual({ kind: "proposalDue", blockNum: 2n, viewId: 2n, wait: true });
    expect(atTwo.outputs.filter((o) => o.kind === "drgTimer" || o.kind === "send")).toEqual([]);
  });

  // @covers FBFT-RECEIVE.3 DRG-ON-SHARE.1
  it("refuses shares off the commit height, to a member that does not lead, duplicated or forged", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    const share = sentOfType(net, 1, "share")[0]!;
    const deliver = (member: number, message: Share) =>
      resultCode(tryStep(net, member, { kind: "deliver", message }));
    expect(deliver(2, share)).toBe("CONSENSUS_NOT_LEADER");
    expect(deliver(0, share)).toBe(ACCEPTED);
    run(net);
    // At height 2 the round is over: the node's height is not a commit height.
    expect(deliver(1, { ...share, blockNum: 2n, viewId: 2n })).toBe("DRG_SHARE_WRONG_ROUND");
    const fresh = beaconNet(COMMIT_HEIGHT);
    const first = sentOfType(fresh, 1, "share")[0]!;
    fresh.states[0] = unwrap(tryStep(fresh, 0, { kind: "deliver", message: first })).state;
    expect(resultCode(tryStep(fresh, 0, { kind: "deliver", message: first }))).toBe("CONSENSUS_DUPLICATE");
    const seed = drgSeed({ blockNum: 1n, viewId: 1n, parentHash: new Uint8Array(32) }, MINIMAL);
    const forged = { ...first, signer: 2, proof: vrfProofOf(fresh.configs[2]!.secretKey!, seed) };
    expect(resultCode(tryStep(fresh, 0, { kind: "deliver", message: forged }))).toBe("VRF_PROOF_INVALID");
    expect(resultCode(tryStep(fresh, 0, { kind: "deliver", message: { ...first, blockNum: 5n } }))).toBe(
      "DRG_SHARE_WRONG_ROUND",
    );
  });

  // @covers FBFT-RECEIVE.3
  it("is refused on any shard but the beacon chain", () => {
    const shard1 = createNet({ preset: MINIMAL, powers: [1n, 1n, 1n, 1n], bls, shard: 1 });
    expect(shard1.sent.flat().filter((s) => s.message.type === "share")).toEqual([]);
    const share: Share = {
      type: "share",
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      signer: 1,
      proof: new Uint8Array(96),
    };
    expect(resultCode(tryStep(shard1, 0, { kind: "deliver", message: share }))).toBe("DRG_SHARE_WRONG_SHARD");
  });
});

describe("DRG-ON-TIMER and DRG-COMMIT-WINDOW", () => {
  // @covers DRG-COMMIT-WINDOW.2 DRG-ON-TIMER.1 FBFT-ON-ANNOUNCE.3
  it("a member whose window closed before the announce refuses it; the others still finalize", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    net.intercept = (e) => (e.to === 3 ? "hold" : "deliver");
    run(net);
    fireDrgTimers(net, [3]);
    net.intercept = () => "deliver";
    release(net, (e) => e.message.type === "announce");
    expect(net.rejections).toContainEqual({ member: 3, code: "DRG_WINDOW_CLOSED", what: "announce" });
    expect(net.finalized[0]!.map((f) => f.block.header.number)).toEqual([1n]);
  });

  // @covers DRG-COMMIT-WINDOW.2 DRG-ON-TIMER.1
  it("a member whose share the commitment leaves out refuses it", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    net.intercept = (e) => (e.message.type === "share" && e.from === 3 ? "drop" : "deliver");
    run(net);
    expect(sentOfType(net, 0, "announce")).toEqual([]);
    fireDrgTimers(net, [0]);
    expect(commitSigners(sentOfType(net, 0, "announce")[0]!, net)).toEqual([0, 1, 2]);
    expect(net.rejections).toContainEqual({ member: 3, code: "DRG_SHARE_LEFT_OUT", what: "announce" });
    expect(net.finalized[0]!.map((f) => f.block.header.number)).toEqual([1n]);
  });

  // @covers DRG-ON-TIMER.1 DRG-PROPOSE.1 DRG-COMMIT-WINDOW.2
  it("the leader proposes half a window in with the blocking set it holds; a view change starts a fresh round", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    net.intercept = (e) => (e.message.type === "share" && e.from >= 2 ? "drop" : "deliver");
    run(net);
    expect(sentOfType(net, 0, "announce")).toEqual([]);
    fireDrgTimers(net, [0]);
    const announce = sentOfType(net, 0, "announce")[0]!;
    expect(commitSigners(announce, net)).toEqual([0, 1]);
    expect(net.rejections.filter((r) => r.code === "DRG_SHARE_LEFT_OUT").map((r) => r.member)).toEqual([
      2, 3,
    ]);
    expect(net.finalized[0]).toEqual([]);
    net.intercept = () => "deliver";
    fireTimers(net, [0, 1, 2, 3]);
    run(net);
    const next = net.finalized[0]![0]!.block.header;
    expect(next.number).toBe(1n);
    expect(next.viewId).toBeGreaterThan(1n);
  });

  // @covers DRG-PROPOSE.1
  it("a leader whose shares do not reach a blocking set proposes nothing", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    net.intercept = (e) => (e.message.type === "share" ? "drop" : "deliver");
    run(net);
    fireDrgTimers(net, [0]);
    expect(net.rejections).toContainEqual({ member: 0, code: "DRG_INSUFFICIENT_POWER", what: "propose" });
    expect(sentOfType(net, 0, "announce")).toEqual([]);
  });
});

describe("DRG-REVEAL-DUE", () => {
  /** The beacon chain each finalized block of member 0 leads to, replayed with the beacon rule alone. */
  function replay(net: Net): BeaconChain {
    let chain = beaconChainAt(unwrap(genesisLedger(0, null, MINIMAL)));
    for (const { block } of net.finalized[0]!) chain = unwrap(applyBeaconBlock(chain, block, MINIMAL, bls));
    return chain;
  }

  // @covers DRG-REVEAL-DUE.1 FBFT-VALIDATE-BLOCK.2 DRG-PROPOSE.1
  it("an epoch under FBFT commits, reveals and ends on a chain the beacon rule accepts block by block", () => {
    const net = beaconNet(9n);
    run(net);
    const heights = net.finalized[0]!.map((f) => f.block.header.number);
    expect(heights).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n]);
    const reveal = finalizedHeader(net, REVEAL_HEIGHT);
    const commitment = beaconChainOf(replay({ ...net, finalized: [net.finalized[0]!.slice(0, 1)] })).drg;
    expect(unwrap(checkRevealField(reveal.vdf, commitment.pRnd!, MINIMAL))).toHaveLength(32);
    const afterEpoch = replay(net);
    expect(afterEpoch.head).toEqual(net.states[1]!.ledger.head);
    expect(finalizedHeader(net, 9n).vrf.length).toBeGreaterThan(0); // epoch 1's commitment
    for (const height of [2n, 3n, 5n, 6n, 7n, 8n]) {
      expect(finalizedHeader(net, height).vrf).toHaveLength(0);
      expect(finalizedHeader(net, height).vdf).toHaveLength(0);
    }
  });

  // @covers DRG-REVEAL-DUE.1
  it("checks the driver's reveal and refuses one that is wrong or unasked for", () => {
    const net = beaconNet(COMMIT_HEIGHT);
    net.answerVdf = false;
    const none = tryStep(net, 1, { kind: "vdfReady", epoch: 0n, vdf: new Uint8Array(512) });
    expect(resultCode(none)).toBe("DRG_REVEAL_UNEXPECTED");
    run(net);
    const pRnd = beaconChainOf(net.states[1]!.ledger).drg.pRnd!;
    expect(pRnd).toHaveLength(32);
    const short = tryStep(net, 1, { kind: "vdfReady", epoch: 0n, vdf: new Uint8Array(511) });
    expect(resultCode(short)).toBe("DRG_REVEAL_MALFORMED");
    const wrong = tryStep(net, 1, { kind: "vdfReady", epoch: 0n, vdf: new Uint8Array(512).fill(1) });
    expect(resultCode(wrong)).not.toBe(ACCEPTED);
    expect(resultCode(tryStep(net, 1, { kind: "vdfReady", epoch: 1n, vdf: new Uint8Array(512) }))).toBe(
      "DRG_REVEAL_UNEXPECTED",
    );
  });

  // @covers DRG-PROPOSE.1 DRG-REVEAL-DUE.1
  it("a leader of the reveal height without a reveal proposes nothing", () => {
    const net = beaconNet(REVEAL_HEIGHT);
    net.answerVdf = false;
    run(net);
    expect(net.finalized[0]!.map((f) => f.block.header.number)).toEqual([1n, 2n, 3n]);
    expect(net.rejections.map((r) => r.code)).toContain("DRG_REVEAL_NOT_READY");
  });

  // @covers FBFT-PERSIST.3 DRG-REVEAL-DUE.1
  it("a member restarted between the commit and the reveal asks for the reveal again", () => {
    const net = beaconNet(2n);
    run(net);
    const restarted = restoreState(net.configs[1]!, persistentState(net.states[1]!));
    const pRnd = beaconChainOf(net.states[1]!.ledger).drg.pRnd!;
    expect(restarted.outputs).toContainEqual({ kind: "vdfDue", epoch: 0n, pRnd });
    expect(restarted.state.reveal).toBeNull();
    expect(headerHash(restarted.state.ledger.head)).toEqual(headerHash(net.states[1]!.ledger.head));
  });
});
