import { describe, expect, it } from "vitest";
import {
  announceOf,
  apply,
  blockOn,
  createNet,
  heldFor,
  leaderCrashedAfterPrepared,
  nilRequest,
  release,
  run,
  sentOfType,
  tryStep,
} from "../../tools/testing/consensusNet.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { encodeBlock } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";

const hex = bytesToHex;
const EQUAL_4 = [1n, 1n, 1n, 1n];

describe("FBFT-BUFFER", () => {
  // @covers FBFT-BUFFER.1 FBFT-RECEIVE.3 FBFT-FINALIZE.2
  it("keeps the next height's messages and replays them once the node gets there", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 2n });
    // Member 3 does not hear that block 1 was decided until the others have decided block 2.
    net.intercept = (e) =>
      e.message.type === "committed" && e.to === 3 && e.message.blockNum === 1n ? "hold" : "deliver";
    run(net);
    expect(net.finalized[0]!.length).toBe(2);
    expect(net.finalized[3]!.length).toBe(0);
    // It kept the announce, prepared and committed of height 2 and asked once for the blocks from height 1.
    expect(net.states[3]!.buffer.map((m) => [m.type, m.blockNum])).toEqual([
      ["announce", 2n],
      ["prepared", 2n],
      ["committed", 2n],
    ]);
    expect(net.syncRequests[3]).toEqual([1n]);
    net.intercept = () => "deliver";
    release(net);
    // The committed of height 1 moved it to height 2, where the replay validated and prepared the block,
    // locked and committed on its certificate, and finalized it: one step did all of it.
    const chain = (m: number) => net.finalized[m]!.map((f) => hex(headerHash(f.block.header)));
    expect(chain(3)).toEqual(chain(0));
    expect(sentOfType(net, 3, "prepare").map((p) => p.blockNum)).toEqual([1n, 2n]);
    expect(sentOfType(net, 3, "commit").map((p) => p.blockNum)).toEqual([1n, 2n]);
    expect(net.states[3]!.buffer).toEqual([]);
  });

  // @covers FBFT-BUFFER.1 VIEW-ON-NEWVIEW.1
  it("replays a re-proposal received before the new view, once the new view names the block", () => {
    // Member 3 gets the re-proposal of view 2 before the new view: it is changing views, so it keeps it.
    const { net, hash } = leaderCrashedAfterPrepared(blstBls, MINIMAL, 1n, (e) =>
      e.message.type === "newView" && e.to === 3 ? "hold" : "deliver",
    );
    expect(net.states[3]!.buffer.map((m) => [m.type, m.viewId])).toEqual([["announce", 2n]]);
    // The replay runs after the rule that entered the view: its prepare follows the new view's timer.
    const entered = tryStep(net, 3, { kind: "deliver", message: heldFor(net, 3, "newView") });
    expect(
      entered.ok && entered.value.outputs.map((o) => [o.kind, o.kind === "send" && o.message.type]),
    ).toEqual([
      ["timer", false],
      ["send", "prepare"],
    ]);
    net.intercept = () => "deliver";
    release(net);
    const prepares = sentOfType(net, 3, "prepare").map((p) => [p.viewId, hex(p.blockHash)]);
    expect(prepares).toEqual([
      [1n, hex(hash)],
      [2n, hex(hash)],
    ]);
    expect(net.rejections.filter((r) => r.member === 3)).toEqual([]);
    for (const m of [1, 2, 3])
      expect(net.finalized[m]!.map((f) => hex(headerHash(f.block.header)))).toEqual([hex(hash)]);
  });

  // @covers FBFT-BUFFER.1
  it("holds one message per key and asks for blocks once per height", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = () => "hold";
    run(net);
    const announce = heldFor(net, 3, "announce");
    // Member 0's requests for view 2 at later heights, signed for those heights.
    const at = (blockNum: bigint) => nilRequest(net, 0, blockNum, 2n);
    const ahead = at(3n);
    expect(apply(net, 3, { kind: "deliver", message: ahead }, "viewChange")).toBeNull();
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: ahead }))).toBe("CONSENSUS_DUPLICATE");
    expect(apply(net, 3, { kind: "deliver", message: at(4n) }, "viewChange")).toBeNull();
    expect(net.states[3]!.buffer.length).toBe(2);
    expect(net.syncRequests[3]).toEqual([1n]);
    // The current height's announce is not buffered: it is the proposal.
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: announce }))).toBe(ACCEPTED);
  });
});

describe("a later view's proposal", () => {
  // @covers FBFT-RECEIVE.3 FBFT-BUFFER.1
  it("is buffered even by a member that has taken no part in the height, which stays in its view", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = () => "hold";
    run(net);
    // A fresh proposal of view 2 by its leader, member 1, reaches member 3 before anything of view 1.
    const announce = announceOf(net, 1, 2n, blockOn(net, net.states[3]!.ledger, 4n, 2n));
    expect(apply(net, 3, { kind: "deliver", message: announce }, "announce")).toBeNull();
    const state = net.states[3]!;
    expect([state.view, state.heightView, state.mode, state.proposal]).toEqual([1n, 1n, "normal", null]);
    expect(state.buffer).toEqual([announce]);
    expect(sentOfType(net, 3, "prepare")).toEqual([]);
    // Its own view's proposal still gets its vote.
    expect(apply(net, 3, { kind: "deliver", message: heldFor(net, 3, "announce") }, "announce")).toBeNull();
    expect(sentOfType(net, 3, "prepare").map((p) => p.viewId)).toEqual([1n]);
  });

  // @covers FBFT-RECEIVE.3 FBFT-BLOCK-NAMED.1 FBFT-BUFFER.1
  it("is not displaced by a relayed copy with another body: the copy is refused before the buffer", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = () => "hold";
    run(net);
    const proposed = blockOn(net, net.states[3]!.ledger, 4n, 2n);
    const announce = announceOf(net, 1, 2n, proposed);
    // The leader's signature covers the hash only; a relay swaps in a body the header's roots do not name.
    const swapped = {
      ...announce,
      block: encodeBlock({ ...proposed.block, incomingReceipts: [Uint8Array.of(1)] }),
    };
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: swapped }))).toBe(
      "BLOCK_INCOMING_ROOT_MISMATCH",
    );
    expect(apply(net, 3, { kind: "deliver", message: announce }, "announce")).toBeNull();
    expect(net.states[3]!.buffer).toEqual([announce]);
  });
});
