import { describe, expect, it } from "vitest";
import {
  apply,
  createNet,
  leaderCrashedAfterPrepared,
  nilRequest,
  run,
} from "../../tools/testing/consensusNet.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { genesisLedger } from "../ledger/genesis.ts";
import { MINIMAL } from "../params/presets.ts";
import { initialState } from "./finalize.ts";
import { step } from "./step.ts";

const EQUAL_4 = [1n, 1n, 1n, 1n];

describe("the initial state", () => {
  // @covers FBFT-STATE.2 FBFT-FINALIZE.2 VIEW-TIMEOUT.1
  it("enters the view after the genesis header's: the timer for everyone, a proposal request for its leader", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 0n });
    const genesis = unwrap(genesisLedger(1, null, MINIMAL));
    const leader = initialState(net.configs[0]!, genesis, null);
    expect(leader.outputs).toEqual([
      { kind: "timer", viewId: 1n, afterMs: 8000 },
      { kind: "proposalDue", blockNum: 1n, viewId: 1n, wait: true },
    ]);
    expect(initialState(net.configs[1]!, genesis, null).outputs).toEqual([
      { kind: "timer", viewId: 1n, afterMs: 8000 },
    ]);
    const follower = { ...net.configs[0]!, me: null, secretKey: null };
    expect(initialState(follower, genesis, null).outputs).toEqual([
      { kind: "timer", viewId: 1n, afterMs: 8000 },
    ]);
    const state = leader.state;
    expect([state.view, state.heightView, state.mode, state.proposal, state.lock, state.buffer]).toEqual([
      1n,
      1n,
      "normal",
      null,
      null,
      [],
    ]);
  });

  // @covers FBFT-STATE.2
  it("resumes from a stored head with its certificate, in the view after the head's", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    run(net);
    const decided = net.finalized[0]![0]!;
    const ledger = net.states[0]!.ledger;
    expect(ledger.head.viewId).toBe(1n);
    // View 2 is led by member 1 (turn 1).
    const resumed = initialState(net.configs[1]!, ledger, decided.committed.certificate);
    expect(resumed.outputs).toEqual([
      { kind: "timer", viewId: 2n, afterMs: 8000 },
      { kind: "proposalDue", blockNum: 2n, viewId: 2n, wait: true },
    ]);
    expect([resumed.state.view, resumed.state.heightView]).toEqual([2n, 2n]);
    expect(resumed.state.headCert).toBe(decided.committed.certificate);
  });
});

describe("FINALIZE", () => {
  // @covers FBFT-STATE.2 FBFT-ON-COMMITTED.2
  it("lets a node without a key follow the chain from the leader's messages", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    run(net);
    const follower = { ...net.configs[0]!, me: null, secretKey: null };
    let state = initialState(follower, unwrap(genesisLedger(1, null, MINIMAL)), null).state;
    const outputs = [];
    for (const sent of net.sent[0]!) {
      const result = step(follower, state, { kind: "deliver", message: sent.message });
      expect(result.ok).toBe(true);
      if (result.ok) {
        state = result.value.state;
        outputs.push(...result.value.outputs);
      }
    }
    expect(outputs.filter((o) => o.kind === "send" || o.kind === "broadcast")).toEqual([]);
    expect(outputs.filter((o) => o.kind === "finalized").length).toBe(1);
    expect(state.ledger.head).toEqual(net.states[0]!.ledger.head);
  });

  // @covers FBFT-FINALIZE.2 VIEW-TIMEOUT.1
  it("starts the next height afresh in the view after the deciding one, with the base timeout", () => {
    const { net } = leaderCrashedAfterPrepared(blstBls, MINIMAL);
    // Member 2 had locked, committed, asked for view 2 and recorded requests before the decision.
    const state = net.states[2]!;
    expect(state.ledger.head.number).toBe(1n);
    expect(net.finalized[2]!.map((f) => f.committed.viewId)).toEqual([2n]);
    expect(state.headCert).toEqual(net.finalized[2]![0]!.committed.certificate);
    expect([state.view, state.heightView, state.mode]).toEqual([3n, 3n, "normal"]);
    expect([state.proposal, state.required, state.lock, state.lastViewChange, state.syncAsked]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    expect([
      state.votedPrepare.size,
      state.votedCommit.length,
      state.viewChanges.size,
      state.validated.size,
    ]).toEqual([0, 0, 0, 0]);
    expect(state.highestAskedPower.size).toBe(0);
    // Height 2 starts in view 3 (turn 1, the turn of view 2): the doubling starts over at the base.
    expect(net.timers[2]).toEqual({ viewId: 3n, afterMs: 8000 });
  });

  // @covers FBFT-FINALIZE.2 FBFT-SYNC.2
  it("moves to the view after both its own and the one the committed message was decided in", () => {
    const genesis = unwrap(genesisLedger(1, null, MINIMAL));
    // Behind: a node in view 1 that syncs a block decided in view 2 catches up to view 3.
    const { net } = leaderCrashedAfterPrepared(blstBls, MINIMAL);
    const decided = net.finalized[2]![0]!;
    expect(decided.committed.viewId).toBe(2n);
    const follower = { ...net.configs[0]!, me: null, secretKey: null };
    const start = initialState(follower, genesis, null).state;
    const synced = unwrap(
      step(follower, start, { kind: "syncBlock", block: decided.block, committed: decided.committed }),
    );
    expect([synced.state.view, synced.state.heightView]).toEqual([3n, 3n]);
    expect(synced.outputs[0]).toEqual({
      kind: "finalized",
      block: decided.block,
      committed: decided.committed,
    });

    // Ahead: a member that joined view 4 (members 1 and 2 asked for it) learns of the block decided in view 1.
    const ahead = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    ahead.intercept = (e) => (e.to === 3 ? "hold" : "deliver");
    run(ahead);
    for (const from of [1, 2]) {
      const request = nilRequest(ahead, from, 1n, 4n);
      expect(apply(ahead, 3, { kind: "deliver", message: request }, "viewChange")).toBeNull();
    }
    expect([ahead.states[3]!.view, ahead.states[3]!.mode]).toEqual([4n, "viewChanging"]);
    const block1 = ahead.finalized[0]![0]!;
    expect(block1.committed.viewId).toBe(1n);
    const event = { kind: "syncBlock" as const, block: block1.block, committed: block1.committed };
    expect(apply(ahead, 3, event, "syncBlock")).toBeNull();
    expect([ahead.states[3]!.view, ahead.states[3]!.heightView, ahead.states[3]!.mode]).toEqual([
      5n,
      5n,
      "normal",
    ]);
    expect(ahead.timers[3]).toEqual({ viewId: 5n, afterMs: 8000 });
  });
});
