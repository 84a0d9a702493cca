import { describe, expect, it } from "vitest";
import {
  announceOf,
  apply,
  blockOn,
  createNet,
  execute,
  fireTimers,
  heldFor,
  leaderCrashedAfterPrepared,
  type Net,
  nilRequest,
  release,
  run,
  sentOfType,
  tryStep,
} from "../../tools/testing/consensusNet.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import { persistentState, restoreState } from "./persist.ts";

const hex = bytesToHex;
const EQUAL_4 = [1n, 1n, 1n, 1n];

/** Crashes a member and restarts it from its durable state; returns the outputs of the restart. */
function crashAndRestart(net: Net, member: number) {
  const persisted = persistentState(net.states[member]!);
  const restarted = restoreState(net.configs[member]!, persisted);
  net.states[member] = restarted.state;
  execute(net, member, restarted.outputs);
  return restarted.outputs;
}

describe("FBFT-PERSIST", () => {
  // @covers FBFT-PERSIST.3
  it("keeps exactly the durable fields of the spec", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    const durable = [
      "ledger",
      "headCert",
      "view",
      "mode",
      "heightView",
      "lock",
      "required",
      "votedPrepare",
      "votedCommit",
      "lastViewChange",
    ];
    expect(Object.keys(persistentState(net.states[0]!)).sort()).toEqual(durable.sort());
  });

  // @covers FBFT-PERSIST.3 VIEW-START.2 VIEW-ON-NEWVIEW.1
  it("resumes a view change after a restart, and the view forms and decides", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.down.add(0);
    run(net);
    net.intercept = (e) => (e.message.type === "viewChange" && e.to === 1 ? "hold" : "deliver");
    fireTimers(net, [1, 2, 3]);
    expect([net.states[2]!.view, net.states[2]!.mode, net.states[2]!.lastViewChange]).toEqual([
      2n,
      "viewChanging",
      2n,
    ]);
    const outputs = crashAndRestart(net, 2);
    // The restart only re-arms the timer of the view, with the timeout of its turn (one turn after the
    // height's first view: twice the base).
    expect(outputs).toEqual([{ kind: "timer", viewId: 2n, afterMs: 16000 }]);
    expect([net.states[2]!.view, net.states[2]!.mode, net.states[2]!.viewChanges.size]).toEqual([
      2n,
      "viewChanging",
      0,
    ]);
    net.intercept = () => "deliver";
    release(net);
    const chain = (m: number) =>
      net.finalized[m]!.map((f) => [hex(headerHash(f.block.header)), f.committed.viewId]);
    expect(chain(2).length).toBe(1);
    expect(chain(2)).toEqual(chain(1));
    expect(chain(3)).toEqual(chain(1));
    expect(sentOfType(net, 2, "viewChange").length).toBe(1);
  });

  // @covers FBFT-PERSIST.3 FBFT-ON-ANNOUNCE.3
  it("does not prepare again in a view it prepared in before the restart", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = () => "hold";
    run(net);
    const announce = heldFor(net, 1, "announce");
    expect(apply(net, 1, { kind: "deliver", message: announce }, "announce")).toBeNull();
    expect(sentOfType(net, 1, "prepare").length).toBe(1);
    crashAndRestart(net, 1);
    const again = tryStep(net, 1, { kind: "deliver", message: announce });
    expect(again.ok).toBe(true);
    expect(again.ok && again.value.outputs.filter((o) => o.kind === "send")).toEqual([]);
  });

  // @covers FBFT-PERSIST.3 FBFT-PROPOSE.4
  it("does not let a restarted leader propose a second block in its view", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = () => "hold";
    run(net);
    expect(sentOfType(net, 0, "announce").length).toBe(1);
    const outputs = crashAndRestart(net, 0);
    expect(outputs.map((o) => o.kind)).toEqual(["timer"]);
    const propose = {
      kind: "propose" as const,
      viewId: 1n,
      transactions: [],
      crossLinks: [],
      incoming: [],
      time: 9n,
    };
    expect(resultCode(tryStep(net, 0, propose))).toBe("FBFT_ALREADY_PROPOSED");
  });

  // @covers FBFT-PERSIST.3 VIEW-START.2
  it("claims its lock after a restart", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = (e) => (e.message.type === "commit" ? "drop" : "deliver");
    run(net);
    const hash = net.states[2]!.lock!.hash;
    crashAndRestart(net, 2);
    net.intercept = () => "hold";
    fireTimers(net, [2]);
    const claim = sentOfType(net, 2, "viewChange")[0]!.claim;
    expect(claim.kind === "prepared" && [claim.preparedViewId, hex(claim.preparedHash)]).toEqual([
      1n,
      hex(hash),
    ]);
  });

  // @covers FBFT-PERSIST.3 FBFT-ON-ANNOUNCE.3 VIEW-ON-NEWVIEW.1
  it("still requires the re-proposed block after a restart in the new view", () => {
    // Member 3 enters view 2 from the new view, but the re-proposal of member 1 is held.
    const { net, hash } = leaderCrashedAfterPrepared(blstBls, MINIMAL, 1n, (e) =>
      e.message.type === "announce" && e.to === 3 ? "hold" : "deliver",
    );
    expect([net.states[3]!.view, net.states[3]!.mode, hex(net.states[3]!.required!)]).toEqual([
      2n,
      "normal",
      hex(hash),
    ]);
    const reproposal = heldFor(net, 3, "announce");
    crashAndRestart(net, 3);
    const fresh = announceOf(net, 1, 2n, blockOn(net, net.states[3]!.ledger, 9n, 2n));
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: fresh }))).toBe("VIEW_NOT_REPROPOSED");
    const taken = tryStep(net, 3, { kind: "deliver", message: reproposal });
    expect(taken.ok && taken.value.outputs.map((o) => o.kind === "send" && o.message.type)).toEqual([
      "prepare",
    ]);
  });

  // @covers FBFT-PERSIST.3 VIEW-START.2
  it("counts its own request again after a restart while waiting in a view change", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.down.add(0);
    net.intercept = () => "hold";
    run(net);
    fireTimers(net, [3]);
    crashAndRestart(net, 3);
    expect([net.states[3]!.view, net.states[3]!.mode, net.states[3]!.viewChanges.size]).toEqual([
      2n,
      "viewChanging",
      0,
    ]);
    // Its timer repeats its request and records it again; with members 1 and 2 a quorum has asked for view 2.
    fireTimers(net, [3]);
    expect(net.states[3]!.view).toBe(2n);
    for (const from of [1, 2]) {
      expect(
        apply(net, 3, { kind: "deliver", message: nilRequest(net, from, 1n, 2n) }, "viewChange"),
      ).toBeNull();
    }
    fireTimers(net, [3]);
    expect([net.states[3]!.view, net.states[3]!.mode]).toEqual([4n, "viewChanging"]);
  });
});
