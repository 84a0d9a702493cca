import type { NodeState } from "../../sim/fbft/driver.ts";
import { VIEW_TIMER } from "../../sim/fbft/driver.ts";
import type { HonestRule } from "./world.ts";

/*
 * Deliberately broken honest members, to show that the properties notice a missing rule. Each wraps the
 * honest driver (nothing in reference/ changes): before an event reaches the reference's STEP, the wrapper
 * erases the state that the rule under test reads, so the rule's check passes where it should not.
 */

export type BrokenRuleName = "votesTwicePerView" | "hidesLockInViewChange";

/** Replaces the consensus state of a node, keeping the driver's own fields. */
function withConsensus(node: NodeState, change: Partial<NodeState["consensus"]>): NodeState {
  return { ...node, consensus: { ...node.consensus, ...change } };
}

/**
 * Forgets, before every announce of its current view, that it already took a proposal and voted in that view:
 * FBFT-ON-ANNOUNCE L3–L5 (one proposal per view, the second is evidence) and L10 (one prepare per view) no
 * longer hold, so the member prepares every block its leader announces.
 */
const votesTwicePerView: HonestRule = (honest) => ({
  ...honest,
  onMessage(node, from, message, now) {
    if (message.type !== "announce" || message.viewId !== node.consensus.view) {
      return honest.onMessage(node, from, message, now);
    }
    const votedPrepare = new Map(node.consensus.votedPrepare);
    votedPrepare.delete(message.viewId);
    return honest.onMessage(withConsensus(node, { proposal: null, votedPrepare }), from, message, now);
  },
});

/**
 * Forgets its lock whenever it may start a view change (its view timer fires, or a view change arrives that
 * could make it join one): VIEW-START L6 then claims "nothing prepared" (M2) for a block it prepared, so a
 * new view need not re-propose a block that may be final.
 */
const hidesLockInViewChange: HonestRule = (honest) => ({
  ...honest,
  onTimer(node, name, now) {
    return honest.onTimer(name === VIEW_TIMER ? withConsensus(node, { lock: null }) : node, name, now);
  },
  onMessage(node, from, message, now) {
    const forget = message.type === "viewChange";
    return honest.onMessage(forget ? withConsensus(node, { lock: null }) : node, from, message, now);
  },
});

export const BROKEN_RULES: Readonly<Record<BrokenRuleName, HonestRule>> = {
  votesTwicePerView,
  hidesLockInViewChange,
};
