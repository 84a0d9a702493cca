import type { CrossLink } from "../../../reference/crossshard/crosslink.ts";
import { unwrap } from "../../../reference/errors.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { buildRevealField } from "../../../reference/randomness/reveal.ts";
import { beaconChainAt } from "../../../reference/sharding/beacon.ts";
import {
  accept,
  announce,
  beaconProposal,
  type Cast,
  castOf,
  commitCertificate,
  committed,
  deliver,
  drgTimeout,
  prepared,
  propose,
  reject,
  script,
  shareOf,
  syncBlock,
  validatorPre,
  vdfReady,
} from "../../testing/consensusScripts.ts";
import { linkedBlocks } from "../../testing/crossLinks.ts";
import { genesis } from "../../testing/ledgerChains.ts";
import type { ScriptCaseDef } from "../types.ts";

/*
 * Event scripts of the randomness protocol inside FBFT (§9.7): one validator of the minimal preset's beacon
 * committee (shard 0, four members of power 1; view 1 is member 0's, views 2–3 member 1's, 4–5 member 2's),
 * starting at genesis. Block 1 is the commit height of epoch 0, block 4 its reveal height.
 */

const FBFT = ["FBFT-STATE.2", "FBFT-EVENTS.5", "FBFT-RECEIVE.3", "FBFT-FINALIZE.2", "DRG-FBFT-STATE.1"];
const ROUND = [...FBFT, "DRG-ENTER-VIEW.1", "DRG-SHARE.2", "DRG-SHARE-FORMAT.2", "DRG-SHARE-VERIFY.1"];

interface BeaconStage {
  readonly cast: Cast;
  readonly chain: ReturnType<typeof beaconChainAt>;
}

function beaconStage(preset: Preset): BeaconStage {
  return { cast: castOf(preset, 4, 0), chain: beaconChainAt(genesis(preset, 0)) };
}

function leaderRound({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [, m1, m2, m3] = cast.members;
  const share = (s: (typeof cast.members)[number]) => shareOf(cast, s, 1n, 1n, chain);
  return script(
    "beacon_leader_commit_round",
    "member 0 leads view 1 at the commit height: it arms half the commit window, counts the shares of members 1, " +
      "2 and 3 (a second copy is a duplicate), is due to propose at once with the last one, and commits all four",
    [...ROUND, "DRG-ON-SHARE.1", "DRG-PROPOSE.1", "DRG-COMMIT-BUILD.1", "FBFT-PROPOSE.4"],
    validatorPre(cast, 0, chain),
    [
      accept(deliver(share(m1!))),
      reject(deliver(share(m1!)), "CONSENSUS_DUPLICATE"),
      accept(deliver(share(m2!))),
      accept(deliver(share(m3!))),
      accept(propose(1n, 1000n)),
      reject(propose(1n, 1000n), "FBFT_ALREADY_PROPOSED"),
      accept(drgTimeout(1n)),
    ],
  );
}

function leaderHalfWindow({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [, m1] = cast.members;
  return script(
    "beacon_leader_half_window",
    "member 0 leads view 1 and holds its own share and member 1's, half the power: its DRG timer makes the " +
      "proposal due, and it commits the blocking set it holds; a timer of another view does nothing",
    [...ROUND, "DRG-ON-TIMER.1", "DRG-ON-SHARE.1", "DRG-PROPOSE.1", "DRG-COMMIT-BUILD.1"],
    validatorPre(cast, 0, chain),
    [
      accept(deliver(shareOf(cast, m1!, 1n, 1n, chain))),
      accept(drgTimeout(2n)),
      accept(drgTimeout(1n)),
      accept(propose(1n, 1000n)),
    ],
  );
}

function leaderTooFew({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [, m1, m2, m3] = cast.members;
  return script(
    "beacon_leader_too_few_shares",
    "member 0 leads view 1 with its own share only, a quarter of the power: when its DRG timer fires it cannot " +
      "build a commitment and proposes nothing; the last missing share, when all have come, makes it due again",
    [...ROUND, "DRG-ON-TIMER.1", "DRG-ON-SHARE.1", "DRG-PROPOSE.1", "DRG-COMMIT-BUILD.1"],
    validatorPre(cast, 0, chain),
    [
      accept(drgTimeout(1n)),
      reject(propose(1n, 1000n), "DRG_INSUFFICIENT_POWER"),
      accept(deliver(shareOf(cast, m1!, 1n, 1n, chain))),
      accept(deliver(shareOf(cast, m2!, 1n, 1n, chain))),
      accept(deliver(shareOf(cast, m3!, 1n, 1n, chain))),
      accept(propose(1n, 1001n)),
    ],
  );
}

function shareRefusals({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [m0, m1, m2] = cast.members;
  const good = shareOf(cast, m1!, 1n, 1n, chain);
  const otherHeight = shareOf(cast, m1!, 2n, 1n, chain);
  return script(
    "beacon_share_refusals",
    "member 0, leading view 1 at the commit height, refuses a share for another shard, of an unknown signer, " +
      "for another height, whose proof is another member's, and a share for view 2, which member 1 leads; it " +
      "buffers one for view 8, its own next turn, and counts the good one",
    [...ROUND, "DRG-ON-SHARE.1", "FBFT-BUFFER.1"],
    validatorPre(cast, 0, chain),
    [
      reject(deliver({ ...good, shardId: 1 }), "CONSENSUS_WRONG_SHARD"),
      reject(deliver({ ...good, signer: 4 }), "CONSENSUS_UNKNOWN_SIGNER"),
      reject(deliver(otherHeight), "DRG_SHARE_WRONG_ROUND"),
      reject(deliver({ ...good, proof: shareOf(cast, m2!, 1n, 1n, chain).proof }), "VRF_PROOF_INVALID"),
      reject(deliver(shareOf(cast, m1!, 1n, 2n, chain)), "CONSENSUS_NOT_LEADER"),
      accept(deliver(shareOf(cast, m1!, 1n, 8n, chain))),
      accept(deliver(good)),
      reject(deliver(shareOf(cast, m0!, 1n, 1n, chain)), "CONSENSUS_DUPLICATE"),
    ],
  );
}

function memberRound({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [m0, m1, , m3] = cast.members;
  const block = beaconProposal(cast, chain, 1n, 1000n, null);
  const quorum = [m0!, m1!, m3!];
  const reveal = unwrap(buildRevealField(block.after.drg.pRnd!, cast.preset));
  const other = beaconProposal(cast, chain, 1n, 1000n, null, [m0!, m1!]);
  const wrongReveal = unwrap(buildRevealField(other.after.drg.pRnd!, cast.preset));
  return script(
    "beacon_member_commit_round",
    "member 2 enters view 1 at the commit height: it sends its share to member 0 and arms the commit window; it " +
      "prepares the block that commits all four shares, commits and finalizes it, and is asked for the reveal of " +
      "epoch 0; it refuses the reveal of another pRnd and of another epoch, and keeps the right one",
    [...ROUND, "DRG-COMMIT-WINDOW.2", "FBFT-ON-ANNOUNCE.3", "FBFT-VALIDATE-BLOCK.2", "DRG-REVEAL-DUE.1"],
    validatorPre(cast, 2, chain),
    [
      reject(deliver(shareOf(cast, m1!, 1n, 1n, chain)), "CONSENSUS_NOT_LEADER"),
      accept(deliver(announce(cast, 1n, block))),
      accept(deliver(prepared(cast, 1n, block, quorum))),
      accept(deliver(committed(cast, 1n, block, quorum))),
      reject(vdfReady(0n, wrongReveal), "VDF_PROOF_INVALID"),
      reject(vdfReady(0n, reveal.subarray(1)), "DRG_REVEAL_MALFORMED"),
      reject(vdfReady(1n, reveal), "DRG_REVEAL_UNEXPECTED"),
      accept(vdfReady(0n, reveal)),
    ],
  );
}

function memberWindow({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [m0, m1, , m3] = cast.members;
  const block = beaconProposal(cast, chain, 1n, 1000n, null);
  return script(
    "beacon_member_window_closed",
    "member 2's commit window closes before the announce of view 1 arrives: it does not prepare the block; a " +
      "prepared certificate of the others still makes it commit, since the window constrains votes, not validity",
    [...ROUND, "DRG-ON-TIMER.1", "DRG-COMMIT-WINDOW.2", "FBFT-ON-ANNOUNCE.3", "FBFT-ON-PREPARED.2"],
    validatorPre(cast, 2, chain),
    [
      accept(drgTimeout(1n)),
      reject(deliver(announce(cast, 1n, block)), "DRG_WINDOW_CLOSED"),
      accept(deliver(prepared(cast, 1n, block, [m0!, m1!, m3!]))),
    ],
  );
}

function memberLeftOut({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [m0, m1, m2] = cast.members;
  const without = beaconProposal(cast, chain, 1n, 1000n, null, [m0!, m1!, m2!]);
  const withAll = beaconProposal(cast, chain, 1n, 1001n, null);
  return script(
    "beacon_member_left_out",
    "member 3 refuses a block of view 1 whose commitment leaves out its share; the refusal records nothing, so it " +
      "prepares the block that counts all four when that is announced",
    [...ROUND, "DRG-COMMIT-WINDOW.2", "FBFT-ON-ANNOUNCE.3", "DRG-COMMIT-CHECK.1"],
    validatorPre(cast, 3, chain),
    [
      reject(deliver(announce(cast, 1n, without)), "DRG_SHARE_LEFT_OUT"),
      accept(deliver(announce(cast, 1n, withAll))),
    ],
  );
}

function revealRound({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [m0, m1, m2] = cast.members;
  const signers = [m0!, m1!, m2!];
  const b1 = beaconProposal(cast, chain, 1n, 1000n, null);
  const b2 = beaconProposal(cast, b1.after, 2n, 1002n, commitCertificate(cast, b1, signers));
  const b3 = beaconProposal(cast, b2.after, 3n, 1004n, commitCertificate(cast, b2, signers));
  const reveal = unwrap(buildRevealField(b1.after.drg.pRnd!, cast.preset));
  return script(
    "beacon_reveal_round",
    "member 2 syncs blocks 1–3, is asked for the reveal when it finalizes the commit block, and leads view 4 at " +
      "the reveal height: without the reveal it proposes nothing; once the driver delivers it, the block carries it",
    [...FBFT, "DRG-REVEAL-DUE.1", "DRG-PROPOSE.1", "DRG-REVEAL-CHECK.1", "FBFT-SYNC.2", "FBFT-PROPOSE.4"],
    validatorPre(cast, 2, chain),
    [
      accept(syncBlock(b1, committed(cast, 1n, b1, signers))),
      accept(syncBlock(b2, committed(cast, 2n, b2, signers))),
      accept(syncBlock(b3, committed(cast, 3n, b3, signers))),
      reject(propose(4n, 1006n), "DRG_REVEAL_NOT_READY"),
      accept(vdfReady(0n, reveal)),
      accept(propose(4n, 1006n)),
    ],
  );
}

function leaderCrossLinks({ cast, chain }: BeaconStage): ScriptCaseDef {
  const [, m1, m2, m3] = cast.members;
  const [x1, x2] = linkedBlocks(cast.preset, 1, 2).map((b) => b.crossLink) as [CrossLink, CrossLink];
  return script(
    "beacon_leader_crosslinks",
    "member 0 leads view 1 of the beacon chain and is offered a forged crosslink and those of shard 1's blocks 2 " +
      "and 1: its block carries blocks 1 and 2, in order, and leaves the forged one out",
    [...ROUND, "XLINK-SELECT.1", "XLINK-INCLUDE.2", "FBFT-PROPOSE.4"],
    validatorPre(cast, 0, chain),
    [
      accept(deliver(shareOf(cast, m1!, 1n, 1n, chain))),
      accept(deliver(shareOf(cast, m2!, 1n, 1n, chain))),
      accept(deliver(shareOf(cast, m3!, 1n, 1n, chain))),
      accept(propose(1n, 1000n, [], [{ ...x1, signature: x2.signature }, x2, x1])),
    ],
  );
}

/** The randomness scripts of the minimal preset (the mainnet preset's T = 2^28 reveal is not computed here). */
export function drgScriptCases(preset: Preset): ScriptCaseDef[] {
  if (preset.name !== "minimal") return [];
  const stage = beaconStage(preset);
  return [
    leaderRound(stage),
    leaderHalfWindow(stage),
    leaderTooFew(stage),
    shareRefusals(stage),
    memberRound(stage),
    memberWindow(stage),
    memberLeftOut(stage),
    revealRound(stage),
    leaderCrossLinks(stage),
  ];
}
