import { describe, expect, it } from "vitest";
import {
  apply,
  blockOn,
  certificateOf,
  createNet,
  fireTimers,
  heldFor,
  type Net,
  nilRequest,
  release,
  run,
  sentOfType,
  signAs,
  signedBytes,
  signersOfBitmap,
  tryStep,
} from "../../tools/testing/consensusNet.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { encodeBlock } from "../ledger/block.ts";
import { MINIMAL } from "../params/presets.ts";
import type { ViewChange } from "./messages.ts";
import type { ConsensusEvent } from "./state.ts";
import { step } from "./step.ts";

const EQUAL_4 = [1n, 1n, 1n, 1n];

/** Four members whose leader of view 1 (member 0) is silent; nothing has happened yet. */
function silentLeader(maxHeight = 1n): Net {
  const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight });
  net.down.add(0);
  run(net);
  return net;
}

describe("view change when the leader is silent (M2)", () => {
  // @covers VIEW-START.2 VIEW-CHECK-VIEWCHANGE.2 VIEW-ON-VIEWCHANGE.1 VIEW-NEWVIEW-BUILD.2
  // @covers VIEW-CHECK-NEWVIEW.2 VIEW-ON-NEWVIEW.1 VIEW-NEXT.1
  it("moves to the next turn's leader, which proposes a fresh block that is decided", () => {
    const net = silentLeader(2n);
    fireTimers(net, [1, 2, 3]);
    expect(net.rejections).toEqual([]);
    // The view after view 1 in a view change is the first view of the next turn: 2, led by member 1.
    for (const m of [1, 2, 3]) {
      const requests = sentOfType(net, m, "viewChange");
      expect(requests.map((r) => [r.blockNum, r.viewId, r.claim.kind])).toEqual([[1n, 2n, "nil"]]);
    }
    const newViews = sentOfType(net, 1, "newView");
    expect(newViews.length).toBe(1);
    expect(signersOfBitmap(newViews[0]!.m3.bitmap, 4)).toEqual([1, 2, 3]);
    expect(signersOfBitmap(newViews[0]!.m2!.bitmap, 4)).toEqual([1, 2, 3]);
    expect(newViews[0]!.m1).toEqual([]);
    for (const m of [1, 2, 3]) {
      const finalized = net.finalized[m]!;
      expect(
        finalized.map((f) => [f.block.header.number, f.block.header.viewId, f.committed.viewId]),
      ).toEqual([
        [1n, 2n, 2n],
        [2n, 3n, 3n],
      ]);
    }
  });

  // @covers VIEW-ON-VIEWCHANGE.1
  it("joins a view that a blocking set asks for, without its own timeout", () => {
    const net = silentLeader();
    fireTimers(net, [1, 2]);
    // Member 3's timer never fired: it asked for view 2 because members 1 and 2 (power 2, 3·2 > 4) did.
    expect(sentOfType(net, 3, "viewChange").map((r) => r.viewId)).toEqual([2n]);
    for (const m of [1, 2, 3]) expect(net.finalized[m]!.map((f) => f.committed.viewId)).toEqual([2n]);
  });

  // @covers VIEW-ON-VIEWCHANGE.1
  it("does not follow a single member: one of four is not a blocking set", () => {
    const net = silentLeader();
    fireTimers(net, [3]);
    expect(net.states[3]!.view).toBe(2n);
    expect(net.states[3]!.mode).toBe("viewChanging");
    for (const m of [1, 2]) {
      expect(net.states[m]!.view).toBe(1n);
      expect(net.states[m]!.mode).toBe("normal");
      expect(sentOfType(net, m, "viewChange")).toEqual([]);
    }
  });

  // @covers VIEW-ON-VIEWCHANGE.1
  it("joins the largest view a blocking set reaches, counting each member's highest request", () => {
    const net = silentLeader();
    net.intercept = () => "hold";
    // Member 2 asks for view 2, member 3 for views 2 and then 4 (it saw a quorum ask for 2: members 0, 2 and
    // itself); held from the others.
    fireTimers(net, [2, 3]);
    const fromZero = nilRequest(net, 0, 1n, 2n);
    expect(
      apply(net, 3, { kind: "deliver", message: heldFor(net, 3, "viewChange") }, "viewChange"),
    ).toBeNull();
    expect(apply(net, 3, { kind: "deliver", message: fromZero }, "viewChange")).toBeNull();
    fireTimers(net, [3]);
    expect(net.states[3]!.view).toBe(4n);
    const requests = net.held.filter((e) => e.to === 1).map((e) => e.message as ViewChange);
    expect(requests.map((r) => [r.signer, r.viewId])).toEqual([
      [2, 2n],
      [3, 2n],
      [3, 4n],
    ]);
    // Member 1 receives member 3's request for view 4 first: power 1, no join. Then member 2's for view 2:
    // members asking for 2 or later hold power 2, a blocking set, and none higher reaches it, so 2.
    const byView = (signer: number, view: bigint) =>
      requests.find((r) => r.signer === signer && r.viewId === view)!;
    expect(apply(net, 1, { kind: "deliver", message: byView(3, 4n) }, "viewChange")).toBeNull();
    expect(net.states[1]!.view).toBe(1n);
    expect(apply(net, 1, { kind: "deliver", message: byView(2, 2n) }, "viewChange")).toBeNull();
    expect(net.states[1]!.view).toBe(2n);
    expect(net.states[1]!.mode).toBe("viewChanging");
  });

  // @covers VIEW-CHECK-VIEWCHANGE.2 VIEW-ON-VIEWCHANGE.1 VIEW-NEXT.1
  it("refuses a request for a view inside a turn, so a faulty member cannot pull others to the same leader", () => {
    const net = silentLeader();
    // Member 2 is in view 2, member 1's turn (views 2–3). A correct member asks for view 4; a faulty one asks
    // for view 3, which would complete a blocking set for 3 with the same leader as view 2.
    const state = { ...net.states[2]!, view: 2n, mode: "viewChanging" as const };
    const request = (signer: number, view: bigint): ConsensusEvent => ({
      kind: "deliver",
      message: nilRequest(net, signer, 1n, view),
    });
    const toFour = step(net.configs[2]!, state, request(0, 4n));
    if (!toFour.ok) throw toFour.error;
    expect(resultCode(step(net.configs[2]!, toFour.value.state, request(3, 3n)))).toBe("VIEW_NOT_TURN_START");
    // The faulty member's request for view 4, the next turn's first, counts like any other: member 2 joins
    // view 4, which it leads, and its own request completes the quorum of its new view.
    const joined = step(net.configs[2]!, toFour.value.state, request(3, 4n));
    expect(joined.ok && [joined.value.state.view, joined.value.state.mode]).toEqual([4n, "normal"]);
  });
});

describe("view change in larger and weighted committees", () => {
  // @covers VIEW-ON-VIEWCHANGE.1 VIEW-NEWVIEW-BUILD.2 FBFT-QUORUM.1
  it("needs a blocking set of seven to join: two requests do not pull the others, three do", () => {
    const net = createNet({ preset: MINIMAL, powers: Array(7).fill(1n), bls: blstBls, maxHeight: 1n });
    net.down.add(0);
    run(net);
    fireTimers(net, [5, 6]);
    // Power 2 of 7: 3·2 > 7 fails.
    for (const m of [1, 2, 3, 4])
      expect([net.states[m]!.view, sentOfType(net, m, "viewChange").length]).toEqual([1n, 0]);
    fireTimers(net, [4]);
    // Power 3: 9 > 7, so every live member asks for view 2 and member 1 forms it with six requests.
    for (const m of [1, 2, 3]) expect(sentOfType(net, m, "viewChange").map((r) => r.viewId)).toEqual([2n]);
    const newView = sentOfType(net, 1, "newView")[0]!;
    expect(signersOfBitmap(newView.m3.bitmap, 7).length).toBeGreaterThanOrEqual(5);
    for (const m of [1, 2, 3, 4, 5, 6])
      expect(net.finalized[m]!.map((f) => f.committed.viewId)).toEqual([2n]);
  });

  // @covers VIEW-ON-VIEWCHANGE.1 VIEW-NEWVIEW-BUILD.2 FBFT-QUORUM.1
  it("lets one heavy member be a blocking set, and forms the view on power, not on count", () => {
    // Powers 1, 1, 1, 4 (W = 7): member 3 alone is blocking (12 > 7); members 1–3 together hold 6, a quorum.
    const net = createNet({ preset: MINIMAL, powers: [1n, 1n, 1n, 4n], bls: blstBls, maxHeight: 1n });
    net.down.add(0);
    net.down.add(2);
    run(net);
    fireTimers(net, [3]);
    expect(sentOfType(net, 1, "viewChange").map((r) => r.viewId)).toEqual([2n]);
    const newView = sentOfType(net, 1, "newView")[0]!;
    expect(signersOfBitmap(newView.m3.bitmap, 4)).toEqual([1, 3]);
    for (const m of [1, 3]) expect(net.finalized[m]!.map((f) => f.committed.viewId)).toEqual([2n]);
  });
});

describe("timeouts", () => {
  // @covers VIEW-START.2 VIEW-TIMEOUT.1
  it("doubles the timer with every turn spent on a height, up to 32 times the base", () => {
    const net = silentLeader();
    // Every request arrives, so a quorum asks for each view; no new view reaches anyone.
    net.intercept = (e) => (e.message.type === "viewChange" ? "deliver" : "drop");
    const timers: number[] = [net.timers[1]!.afterMs];
    for (let i = 0; i < 7; i++) {
      fireTimers(net, [1, 2, 3]);
      timers.push(net.timers[1]!.afterMs);
    }
    // heightView 1 is in turn 0; views 2, 4, …, 14 are turns 1 … 7; the exponent stops at 5.
    expect(net.timers[1]!.viewId).toBe(14n);
    expect(timers).toEqual([8000, 16000, 32000, 64000, 128000, 256000, 256000, 256000]);
  });

  // @covers VIEW-START.2 VIEW-LIVENESS.1
  it("waits in a view no quorum asked for, repeating its request, instead of running ahead alone", () => {
    const net = silentLeader();
    net.intercept = () => "hold";
    fireTimers(net, [3]);
    const first = net.held
      .filter((e) => e.from === 3 && e.message.type === "viewChange")
      .map((e) => e.message);
    expect(net.states[3]!.view).toBe(2n);
    // Only member 3 asked for view 2: its timer repeats the same request and is armed again, in view 2.
    fireTimers(net, [3]);
    const requests = net.held
      .filter((e) => e.from === 3 && e.message.type === "viewChange")
      .map((e) => e.message);
    expect(requests.length).toBe(2 * first.length);
    expect(requests.slice(first.length)).toEqual(first);
    expect([net.states[3]!.view, net.states[3]!.mode, net.timers[3]!.viewId, net.timers[3]!.afterMs]).toEqual(
      [2n, "viewChanging", 2n, 16000],
    );
    // Once a quorum has asked (members 1 and 2 too), the next timeout moves it to view 4.
    for (const from of [1, 2]) {
      expect(
        apply(net, 3, { kind: "deliver", message: nilRequest(net, from, 1n, 2n) }, "viewChange"),
      ).toBeNull();
    }
    fireTimers(net, [3]);
    expect([net.states[3]!.view, net.states[3]!.mode]).toEqual([4n, "viewChanging"]);
  });

  // @covers VIEW-START.2
  it("ignores the timer of a view already left", () => {
    const net = silentLeader();
    fireTimers(net, [1]);
    const state = net.states[1]!;
    const result = step(net.configs[1]!, state, { kind: "timeout", viewId: 1n });
    expect(result.ok && result.value.state === state && result.value.outputs.length === 0).toBe(true);
  });
});

describe("VIEW-CHECK-VIEWCHANGE", () => {
  /** Member 2's request for view 2 at height 1 with the claim given; signatures by member `signedBy`. */
  function request(net: Net, claim: ViewChange["claim"], signedBy = 2): ViewChange {
    return {
      type: "viewChange",
      shardId: 1,
      blockNum: 1n,
      viewId: 2n,
      signer: 2,
      m3Signature: signAs(net, signedBy, signedBytes.m3(1n, 2n)),
      claim,
    };
  }

  function deliver(message: ViewChange): ConsensusEvent {
    return { kind: "deliver", message };
  }

  // @covers VIEW-CHECK-VIEWCHANGE.2 FBFT-RECEIVE.3 FBFT-BLOCK-NAMED.1
  it("checks the turn, M3, then the claim's view, block, certificate and M1, naming the first failure", () => {
    const net = silentLeader();
    const proposed = blockOn(net, net.states[1]!.ledger, 2n, 1n);
    const cert = certificateOf(net, [0, 1, 2], signedBytes.prepare(1n, proposed.hash, 1n));
    const prepared = (overrides: Partial<Extract<ViewChange["claim"], { kind: "prepared" }>> = {}) => ({
      kind: "prepared" as const,
      preparedViewId: 1n,
      preparedHash: proposed.hash,
      preparedBlock: proposed.bytes,
      preparedCertificate: cert,
      signature: signAs(net, 2, signedBytes.m1(1n, 2n, 1n, proposed.hash)),
      ...overrides,
    });
    const nil = { kind: "nil" as const, signature: signAs(net, 2, signedBytes.m2(1n, 2n)) };
    const code = (m: ViewChange) => resultCode(tryStep(net, 3, deliver(m)));

    expect(code(request(net, nil))).toBe(ACCEPTED);
    expect(code(request(net, prepared()))).toBe(ACCEPTED);
    // M3 by another key; M2 over another view.
    expect(code(request(net, nil, 1))).toBe("CONSENSUS_BAD_SIGNATURE");
    const staleNil = { kind: "nil" as const, signature: signAs(net, 2, signedBytes.m2(1n, 4n)) };
    expect(code(request(net, staleNil))).toBe("CONSENSUS_BAD_SIGNATURE");
    // A certificate claimed from view 2 for view 2 is not from an earlier view.
    expect(code(request(net, prepared({ preparedViewId: 2n })))).toBe("VIEW_PREPARED_VIEW_INVALID");
    // A block that does not hash to the claimed hash, or that is not at height 1.
    const other = blockOn(net, net.states[1]!.ledger, 3n, 1n);
    expect(code(request(net, prepared({ preparedBlock: other.bytes })))).toBe("VIEW_BLOCK_MISMATCH");
    expect(code(request(net, prepared({ preparedBlock: new Uint8Array([0xc0]) })))).toBe("BLOCK_FIELD_COUNT");
    // The claimed header with a body its roots do not name (FBFT-BLOCK-NAMED L2).
    const otherBody = encodeBlock({ ...proposed.block, incomingReceipts: [Uint8Array.of(1)] });
    expect(code(request(net, prepared({ preparedBlock: otherBody })))).toBe("BLOCK_INCOMING_ROOT_MISMATCH");
    // A view inside a turn is refused first, before any signature is checked.
    expect(code({ ...request(net, nil, 1), viewId: 3n })).toBe("VIEW_NOT_TURN_START");
    // A certificate of two members.
    const short = certificateOf(net, [0, 1], signedBytes.prepare(1n, proposed.hash, 1n));
    expect(code(request(net, prepared({ preparedCertificate: short })))).toBe("QC_INSUFFICIENT_QUORUM");
    // An M1 over another prepared view.
    const wrongM1 = signAs(net, 2, signedBytes.m1(1n, 2n, 0n, proposed.hash));
    expect(code(request(net, prepared({ signature: wrongM1 })))).toBe("CONSENSUS_BAD_SIGNATURE");
  });

  // @covers VIEW-ON-VIEWCHANGE.1 FBFT-RECEIVE.3
  it("records a request once, and refuses one for a view that has formed", () => {
    const net = silentLeader();
    net.intercept = (e) => (e.message.type === "viewChange" && e.to === 3 ? "hold" : "deliver");
    fireTimers(net, [1, 2]);
    const fromTwo = net.held.find((e) => e.to === 3 && (e.message as ViewChange).signer === 2)!.message;
    expect(apply(net, 3, { kind: "deliver", message: fromTwo }, "viewChange")).toBeNull();
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: fromTwo }))).toBe("CONSENSUS_DUPLICATE");
    // Member 3 has joined view 2; once the new view forms there, another request for view 2 is stale. (No
    // announce is delivered, so that the height stays undecided.)
    net.intercept = (e) => (e.message.type === "announce" ? "drop" : "deliver");
    const fromOne = heldFor(net, 3, "viewChange");
    release(net);
    expect(net.states[3]!.view).toBe(2n);
    expect(net.states[3]!.mode).toBe("normal");
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: fromOne }))).toBe("CONSENSUS_STALE_VIEW");
  });
});
