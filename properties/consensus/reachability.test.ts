import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { observationsOf } from "../../sim/fbft/observations.ts";
import { runScenario } from "./harness.ts";
import { reproposal } from "./scenarios.ts";

/*
 * The view-change path that carries safety across views must actually be taken: a block prepared in one view
 * is claimed (M1), named by the new view, re-proposed by the next leader, and decided there.
 */

describe("reachability of the re-proposal path", () => {
  // @covers VIEW-START.2 VIEW-CHECK-VIEWCHANGE.2 VIEW-NEWVIEW-BUILD.2 VIEW-CHECK-NEWVIEW.2 VIEW-ON-NEWVIEW.1 FBFT-PERSIST.3
  it("a leader crashing after its prepared certificate leads to an M1 new view that re-proposes and decides the block", () => {
    const { scenario, sizes, options } = reproposal();
    const outcome = runScenario(scenario, sizes, options);
    expect(outcome.violation).toBeNull();
    const observed = (machine: number) => outcome.world.simulation.observations(machine);

    // The crashed leader's proposal at height 1 in view 1.
    const proposal = observationsOf(observed(0), "sent")
      .map(({ observation }) => observation.message)
      .find((message) => message.type === "announce" && message.blockNum === 1n);
    expect(proposal?.type).toBe("announce");
    const hash = bytesToHex(proposal!.type === "announce" ? proposal!.blockHash : new Uint8Array());

    // Members claimed it (M1), and the new leader's new view names it in a prepared group.
    const claims = [1, 2].flatMap((machine) =>
      observationsOf(observed(machine), "sent")
        .map(({ observation }) => observation.message)
        .filter((message) => message.type === "viewChange" && message.blockNum === 1n),
    );
    expect(claims.length).toBeGreaterThan(0);
    for (const claim of claims) {
      expect(
        claim.type === "viewChange" &&
          claim.claim.kind === "prepared" &&
          bytesToHex(claim.claim.preparedHash),
      ).toBe(hash);
    }
    const newView = observationsOf(observed(1), "sent")
      .map(({ observation }) => observation.message)
      .find((message) => message.type === "newView" && message.blockNum === 1n);
    expect(newView?.type).toBe("newView");
    if (newView?.type !== "newView") return;
    expect(newView.m1.map((group) => bytesToHex(group.preparedHash))).toEqual([hash]);

    // The new leader re-proposes the same block (its header keeps view 1) in the new view.
    const reproposed = observationsOf(observed(1), "sent")
      .map(({ observation }) => observation.message)
      .find((message) => message.type === "announce" && message.viewId === newView.viewId);
    expect(reproposed?.type === "announce" && bytesToHex(reproposed.blockHash)).toBe(hash);

    // Every honest machine, the restarted leader included, stores that block at height 1, decided in the new view.
    for (const machine of [0, 1, 2]) {
      const first = observationsOf(observed(machine), "finalized").find(
        ({ observation }) => observation.height === 1n,
      );
      expect(first?.observation.hash).toBe(hash);
      expect(first?.observation.block.header.viewId).toBe(proposal!.viewId);
    }
    const decidedByNewLeader = observationsOf(observed(1), "finalized").find(
      ({ observation }) => observation.height === 1n,
    );
    expect(decidedByNewLeader?.observation.viewId).toBe(newView.viewId);
    expect(decidedByNewLeader?.observation.viaSync).toBe(false);
  });
});
