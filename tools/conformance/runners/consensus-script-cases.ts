import { encodeBlock } from "../../../reference/ledger/block.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import {
  accept,
  announce,
  type Cast,
  castOf,
  commit,
  commitCertificate,
  committed,
  deliver,
  newView,
  type Proposed,
  prepare,
  prepared,
  preparedCertificate,
  proposal,
  propose,
  proposed,
  reject,
  restart,
  script,
  syncBlock,
  timeout,
  validatorPre,
  viewChange,
} from "../../testing/consensusScripts.ts";
import type { Signer } from "../../testing/consensusSigners.ts";
import { beaconEntry, finalBeaconBlocks, outgoingOf, receiptEntry } from "../../testing/crossShardFlows.ts";
import { addressOf, genesis, transfer, withHeader } from "../../testing/ledgerChains.ts";
import type { ScriptCaseDef } from "../types.ts";

/*
 * Event scripts of the consensus runner: one validator of the minimal preset's genesis committee of shard 1
 * (four members of power 1, so a quorum is three and a blocking set two; leaderTerm 2, so view 1 is led by
 * member 0, views 2–3 by member 1, 4–5 by member 2, 6–7 by member 3). The other members' messages are signed
 * with their genesis keys. Each script starts at the genesis block, height 1, in view 1: the genesis header
 * names view 0 and a block must name a later view than its parent (HEADER-VALIDATE L7).
 */

const NORMAL = ["FBFT-STATE.2", "FBFT-EVENTS.5", "FBFT-RECEIVE.3", "FBFT-LEADER.1", "FBFT-FINALIZE.2"];
const VIEW_CHANGE = [...NORMAL, "VIEW-TIMEOUT.1", "VIEW-NEXT.1", "VIEW-START.2", "VIEW-CHECK-VIEWCHANGE.2"];

/** The blocks the scripts share, built from the genesis ledger of shard 1. */
export interface Stage {
  readonly cast: Cast;
  readonly m: readonly [Signer, Signer, Signer, Signer];
  readonly genesis: ReturnType<typeof genesis>;
  /** Block 1 proposed by member 0 in view 1, with one transfer. */
  readonly a: Proposed;
  /** Another block 1 of view 1 (an equivocating leader's second proposal). */
  readonly b: Proposed;
  /** Block 1 proposed fresh in view 2 by member 1. */
  readonly fresh2: Proposed;
  /** Block 2 on top of `a`, proposed in view 2, carrying the commit certificate of `a` by members 0, 1, 2. */
  readonly a2: Proposed;
}

export function stage(preset: Preset): Stage {
  const cast = castOf(preset, 4);
  const m = cast.members as Stage["m"];
  const g = genesis(preset, cast.shard);
  const tx = transfer(
    preset,
    { shard: cast.shard, index: 0 },
    0n,
    addressOf({ shard: cast.shard, index: 1 }),
    10n ** 18n,
  );
  const a = proposal(cast, g, 1n, 1000n, null, [tx]);
  return {
    cast,
    m,
    genesis: g,
    a,
    b: proposal(cast, g, 1n, 1001n, null),
    fresh2: proposal(cast, g, 2n, 1002n, null),
    a2: proposal(cast, a.after, 2n, 1003n, commitCertificate(cast, a, [m[0], m[1], m[2]])),
  };
}

function leaderRound(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [, m1, m2] = m;
  return script(
    "leader_round",
    "member 0 leads view 1: proposes a block with one transfer, gathers the prepares and commits of members 1 " +
      "and 2, and finalizes; height 2 starts in view 2, member 1's. Proposing twice, for another view, or in a " +
      "view it does not lead is refused",
    [
      ...NORMAL,
      "FBFT-PROPOSE.4",
      "FBFT-ON-PREPARE.1",
      "FBFT-ON-COMMIT.1",
      "FBFT-VALIDATE-BLOCK.2",
      "QC-FORMAT.1",
    ],
    validatorPre(cast, 0, s.genesis),
    [
      accept(propose(1n, 1000n, a.block.transactions)),
      reject(propose(1n, 1000n), "FBFT_ALREADY_PROPOSED"),
      reject(propose(2n, 1000n), "FBFT_NOT_PROPOSER"),
      accept(deliver(prepare(m1, 1n, a))),
      accept(deliver(prepare(m2, 1n, a))),
      accept(deliver(commit(m1, 1n, a))),
      accept(deliver(commit(m2, 1n, a))),
      reject(propose(2n, 1003n), "FBFT_NOT_PROPOSER"),
    ],
  );
}

/**
 * Member 0 of shard 1 leads view 1 and is offered, in this order, beacon block 1 with block 2's certificate, a
 * receipt of beacon block 1 bound for shard 1, and beacon block 1 with its own: its block takes the real beacon
 * header, then the receipt it makes provable (CX-SELECT.2), and leaves the forged one out.
 */
function leaderIncoming(s: Stage): ScriptCaseDef {
  const { cast } = s;
  const preset = cast.preset;
  const send = transfer(
    preset,
    { shard: 0, index: 0 },
    0n,
    addressOf({ shard: cast.shard, index: 1 }),
    10n ** 18n,
    {
      toShard: cast.shard,
    },
  );
  const [b1, b2] = finalBeaconBlocks(preset, 2, (n) => (n === 1n ? [send] : []));
  const receipt = receiptEntry(b1!.block, outgoingOf(genesis(preset, 0), b1!.block, preset), cast.shard, 0);
  const forged = { ...beaconEntry(b1!), certificate: b2!.certificate };
  return script(
    "leader_incoming_entries",
    "member 0 leads view 1 of shard 1 and is offered a forged beacon entry, a receipt of beacon block 1 and beacon " +
      "block 1 itself: its block carries beacon block 1, then the receipt, and leaves the forged entry out",
    [...NORMAL, "FBFT-PROPOSE.4", "CX-SELECT.2", "CX-ENTRIES.2", "BLOCK-APPLY.3"],
    validatorPre(cast, 0, s.genesis),
    [accept(propose(1n, 1000n, [], [], [forged, receipt, beaconEntry(b1!)]))],
  );
}

function validatorRound(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, , m3] = m;
  const next = proposal(cast, a.after, 2n, 1003n, commitCertificate(cast, a, [m0, m1, m3]));
  return script(
    "validator_round",
    "member 2 follows view 1: prepares the announced block, commits on the prepared certificate, finalizes on " +
      "the committed message, then prepares block 2, which member 1 proposes in view 2 with that commit " +
      "certificate in its header",
    [
      ...NORMAL,
      "FBFT-ON-ANNOUNCE.3",
      "FBFT-ON-PREPARED.2",
      "FBFT-ON-COMMITTED.2",
      "FBFT-VALIDATE-BLOCK.2",
      "QC-HEADER.1",
    ],
    validatorPre(cast, 2, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(prepared(cast, 1n, a, [m0, m1, m3]))),
      accept(deliver(committed(cast, 1n, a, [m0, m1, m3]))),
      accept(deliver(announce(cast, 2n, next))),
    ],
  );
}

function leaderRotation(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, m2, m3] = m;
  const block2 = proposal(cast, a.after, 2n, 1003n, commitCertificate(cast, a, [m0, m2, m3]));
  const block3 = proposal(cast, block2.after, 3n, 1005n, commitCertificate(cast, block2, [m1, m2, m3]));
  return script(
    "leader_rotation",
    "member 1 follows height 1 (view 1, member 0's); heights 2 and 3 start in views 2 and 3, member 1's turn, " +
      "so it proposes and decides both with members 2 and 3, putting each commit certificate in the next " +
      "header; height 4 starts in view 4, member 2's turn, and member 1 is not asked to propose",
    [
      ...NORMAL,
      "FBFT-ON-COMMITTED.2",
      "FBFT-PROPOSE.4",
      "FBFT-ON-PREPARE.1",
      "FBFT-ON-COMMIT.1",
      "QC-HEADER.1",
    ],
    validatorPre(cast, 1, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(committed(cast, 1n, a, [m0, m2, m3]))),
      accept(propose(2n, 1003n)),
      accept(deliver(prepare(m2, 2n, block2))),
      accept(deliver(prepare(m3, 2n, block2))),
      accept(deliver(commit(m2, 2n, block2))),
      accept(deliver(commit(m3, 2n, block2))),
      accept(propose(3n, 1005n)),
      accept(deliver(prepare(m2, 3n, block3))),
      accept(deliver(prepare(m3, 3n, block3))),
      accept(deliver(commit(m2, 3n, block3))),
      accept(deliver(commit(m3, 3n, block3))),
    ],
  );
}

function silentLeader(s: Stage): ScriptCaseDef {
  const { cast, m, fresh2 } = s;
  const [m0, , m2, m3] = m;
  return script(
    "view_change_silent_leader",
    "member 0 never proposes in view 1. Member 1 ignores a timer of a view it is not in, times out in view 1, " +
      "asks for view 2 with a nil claim (M2) under a doubled timeout, and as leader of view 2 forms the new view " +
      "once members 2 and 3 asked, then proposes a fresh block; a repeated view change and one for the view " +
      "already formed are refused",
    [...VIEW_CHANGE, "VIEW-ON-VIEWCHANGE.1", "VIEW-NEWVIEW-BUILD.2", "VIEW-ON-NEWVIEW.1", "FBFT-PROPOSE.4"],
    validatorPre(cast, 1, s.genesis),
    [
      accept(timeout(0n)),
      accept(timeout(1n)),
      accept(deliver(viewChange(cast, m2, 1n, 2n, null))),
      reject(deliver(viewChange(cast, m2, 1n, 2n, null)), "CONSENSUS_DUPLICATE"),
      accept(deliver(viewChange(cast, m3, 1n, 2n, null))),
      reject(deliver(viewChange(cast, m0, 1n, 2n, null)), "CONSENSUS_STALE_VIEW"),
      accept(propose(2n, fresh2.block.header.time)),
    ],
  );
}

function joinAndBuffer(s: Stage): ScriptCaseDef {
  const { cast, m, a, fresh2 } = s;
  const [, m1, m2, m3] = m;
  return script(
    "view_change_join_and_replay",
    "member 3 joins the view change to view 2 once members 1 and 2 (a blocking set) asked for it; the " +
      "announce of view 2 that arrives before the new view is buffered and replayed when member 3 enters the " +
      "view; an announce of view 1 is then stale; the timer of view 2 moves it to view 4, whose timeout is " +
      "four times the base (two turns on this height)",
    [...VIEW_CHANGE, "VIEW-ON-VIEWCHANGE.1", "VIEW-CHECK-NEWVIEW.2", "VIEW-ON-NEWVIEW.1", "FBFT-BUFFER.1"],
    validatorPre(cast, 3, s.genesis),
    [
      accept(deliver(viewChange(cast, m1, 1n, 2n, null))),
      accept(deliver(viewChange(cast, m2, 1n, 2n, null))),
      accept(deliver(announce(cast, 2n, fresh2))),
      accept(deliver(newView(cast, 1n, 2n, [m1, m2, m3], [m1, m2, m3], []))),
      reject(deliver(announce(cast, 1n, a)), "CONSENSUS_STALE_VIEW"),
      accept(timeout(2n)),
    ],
  );
}

function lockedNewLeader(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, m2, m3] = m;
  return script(
    "view_change_locked_new_leader",
    "leader 0 sends its prepared certificate of block A to member 1 only and goes silent. Member 1 asks for " +
      "view 2 claiming it (M1); member 2 claims the same block with another certificate, member 3 nothing. As " +
      "leader of view 2, member 1 forms the new view (one group, with the certificate of its lowest claimant) " +
      "and re-proposes A, which prepares again in view 2; member 1 counts its own commit again (the vote it " +
      "signed in view 1: COMMIT names the block's header view, not the current one), and the commits of " +
      "members 2 and 3 finalize A",
    [
      ...VIEW_CHANGE,
      "VIEW-ON-VIEWCHANGE.1",
      "VIEW-NEWVIEW-BUILD.2",
      "VIEW-ON-NEWVIEW.1",
      "FBFT-ON-PREPARED.2",
      "FBFT-ON-PREPARE.1",
      "FBFT-ON-COMMIT.1",
    ],
    validatorPre(cast, 1, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(prepared(cast, 1n, a, [m0, m1, m2]))),
      accept(timeout(1n)),
      accept(deliver(viewChange(cast, m2, 1n, 2n, { view: 1n, block: a, certificateSigners: [m0, m2, m3] }))),
      accept(deliver(viewChange(cast, m3, 1n, 2n, null))),
      accept(deliver(prepare(m2, 2n, a))),
      accept(deliver(prepare(m3, 2n, a))),
      accept(deliver(commit(m2, 2n, a))),
      accept(deliver(commit(m3, 2n, a))),
    ],
  );
}

function lockedValidator(s: Stage): ScriptCaseDef {
  const { cast, m, a, b, fresh2 } = s;
  const [m0, m1, m2, m3] = m;
  const claimA = { view: 1n, block: a, certificateSigners: [m0, m1, m3] };
  const claimB = { view: 1n, block: b, certificateSigners: [m0, m1, m2] };
  const otherBlock = { ...a, bytes: b.bytes };
  return script(
    "view_change_locked_validator",
    "member 3 locks on block A in view 1 and asks for view 2 claiming it. It refuses view changes whose claim " +
      "is not from an earlier view or whose block is not the claimed one, new views that leave its request " +
      "without a claim or carry two highest certificates, and in view 2 a fresh proposal instead of A; it " +
      "prepares the re-proposed A, locks on its new certificate and sends view 2's leader its commit again " +
      "(the vote of view 1, as COMMIT names the block's header view), and finalizes A on the committed " +
      "message of view 2",
    [
      ...VIEW_CHANGE,
      "VIEW-CHECK-NEWVIEW.2",
      "VIEW-ON-NEWVIEW.1",
      "FBFT-ON-ANNOUNCE.3",
      "FBFT-ON-PREPARED.2",
      "FBFT-ON-COMMITTED.2",
    ],
    validatorPre(cast, 3, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(prepared(cast, 1n, a, [m0, m1, m3]))),
      accept(timeout(1n)),
      reject(deliver(viewChange(cast, m1, 1n, 2n, { ...claimA, view: 2n })), "VIEW_PREPARED_VIEW_INVALID"),
      reject(deliver(viewChange(cast, m1, 1n, 2n, { ...claimA, block: otherBlock })), "VIEW_BLOCK_MISMATCH"),
      reject(deliver(newView(cast, 1n, 2n, [m1, m2, m3], [m1, m2], [])), "VIEW_CLAIMS_MISSING"),
      reject(
        deliver(
          newView(
            cast,
            1n,
            2n,
            [m1, m2, m3],
            [m2],
            [
              { ...claimA, claimants: [m3] },
              { ...claimB, claimants: [m1] },
            ],
          ),
        ),
        "VIEW_CONFLICTING_PREPARED",
      ),
      accept(deliver(newView(cast, 1n, 2n, [m1, m2, m3], [m1, m2], [{ ...claimA, claimants: [m3] }]))),
      reject(deliver(announce(cast, 2n, fresh2)), "VIEW_NOT_REPROPOSED"),
      accept(deliver(announce(cast, 2n, a))),
      accept(deliver(prepared(cast, 2n, a, [m1, m2, m3]))),
      accept(deliver(committed(cast, 2n, a, [m0, m1, m3]))),
    ],
  );
}

function commitConflict(s: Stage): ScriptCaseDef {
  const { cast, m, a, b } = s;
  const [m0, m1, m2, m3] = m;
  return script(
    "commit_conflict",
    "member 3 committed block A (header view 1) in view 1. Faulty members 0, 1, 2 form view 2 around their " +
      "certificate of view 1 for block B, which also has header view 1; member 3 prepares B as required, but " +
      "refuses to commit it, since that would sign a second block under the commit key (1, 1); the refused " +
      "step changes nothing, so the same message is refused again",
    [...VIEW_CHANGE, "VIEW-CHECK-NEWVIEW.2", "VIEW-ON-NEWVIEW.1", "FBFT-ON-PREPARED.2"],
    validatorPre(cast, 3, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(prepared(cast, 1n, a, [m0, m1, m3]))),
      accept(timeout(1n)),
      accept(
        deliver(
          newView(
            cast,
            1n,
            2n,
            [m0, m1, m2],
            [],
            [{ view: 1n, block: b, certificateSigners: [m0, m1, m2], claimants: [m0, m1, m2] }],
          ),
        ),
      ),
      accept(deliver(announce(cast, 2n, b))),
      reject(deliver(prepared(cast, 2n, b, [m0, m1, m2])), "FBFT_COMMIT_CONFLICT"),
      reject(deliver(prepared(cast, 2n, b, [m0, m1, m2])), "FBFT_COMMIT_CONFLICT"),
    ],
  );
}

/** A message with some fields replaced (for the receive checks). */
function altered<T extends object>(message: T, changes: Partial<T>): T {
  return { ...message, ...changes };
}

function leaderRejections(s: Stage): ScriptCaseDef {
  const { cast, m, a, b } = s;
  const [, m1, m2, m3] = m;
  const vote = prepare(m1, 1n, a);
  const preparedA = prepared(cast, 1n, a, [m1, m2, m3]);
  return script(
    "leader_receive_checks",
    "member 0 leads view 1 and is sent votes that fail FBFT-RECEIVE's checks in order: wrong shard, unknown " +
      "signer, bitmap length, a forged vote more than 8 heights ahead (authenticated to catch up; 8 ahead is " +
      "buffered and asks for a sync), view more " +
      "than 32 turns ahead (32 is buffered), a repeated buffered vote, a vote for a view it does not lead, a " +
      "bad signature; then a repeated vote, a conflicting vote (evidence, not counted) and a conflicting " +
      "commit (evidence); after the height is decided, a vote for it is stale",
    [
      ...NORMAL,
      "FBFT-PROPOSE.4",
      "FBFT-BUFFER.1",
      "FBFT-ON-PREPARE.1",
      "FBFT-ON-COMMIT.1",
      "VOTE-KEEPER.1",
      "EVIDENCE-FORMAT.1",
    ],
    validatorPre(cast, 0, s.genesis),
    [
      accept(propose(1n, 1000n, a.block.transactions)),
      reject(deliver(altered(vote, { shardId: 0 })), "CONSENSUS_WRONG_SHARD"),
      reject(deliver(altered(vote, { signer: 4 })), "CONSENSUS_UNKNOWN_SIGNER"),
      reject(
        deliver(
          altered(preparedA, { certificate: { ...preparedA.certificate, bitmap: Uint8Array.of(0x0e, 0) } }),
        ),
        "BITMAP_LENGTH",
      ),
      reject(deliver(altered(vote, { blockNum: 10n })), "CONSENSUS_BAD_SIGNATURE"),
      accept(deliver(prepare(m1, 1n, { ...a, number: 9n }))),
      reject(deliver(prepare(m1, 66n, a)), "CONSENSUS_VIEW_TOO_FAR"),
      accept(deliver(prepare(m1, 65n, a))),
      reject(deliver(prepare(m1, 65n, a)), "CONSENSUS_DUPLICATE"),
      reject(deliver(prepare(m1, 2n, a)), "CONSENSUS_NOT_LEADER"),
      reject(deliver(altered(vote, { signature: prepare(m2, 1n, a).signature })), "CONSENSUS_BAD_SIGNATURE"),
      reject(deliver(altered(commit(m1, 1n, a), { blockViewId: 2n })), "CONSENSUS_FIELD_INVALID"),
      accept(deliver(vote)),
      reject(deliver(vote), "VOTE_DUPLICATE"),
      accept(deliver(prepare(m1, 1n, b))),
      accept(deliver(prepare(m2, 1n, a))),
      accept(deliver(commit(m1, 1n, a))),
      accept(deliver(commit(m1, 1n, b))),
      accept(deliver(commit(m2, 1n, a))),
      reject(deliver(prepare(m3, 1n, a)), "CONSENSUS_STALE_HEIGHT"),
    ],
  );
}

function validatorRejections(s: Stage): ScriptCaseDef {
  const { cast, m, a, b, genesis: g } = s;
  const [m0, m1, m2, m3] = m;
  const good = announce(cast, 1n, a);
  const otherView = proposal(cast, g, 2n, 1000n, null);
  const carriesCertificate = proposal(cast, g, 1n, 1000n, commitCertificate(cast, a, [m0, m1, m2]));
  const badRoot = proposed(withHeader(a.block, { stateRoot: new Uint8Array(32) }), a.after);
  const preparedA = prepared(cast, 1n, a, [m0, m2, m3]);
  // Block A's header with one incoming receipt entry its root does not commit to: the same hash.
  const otherBody = encodeBlock({ ...a.block, incomingReceipts: [Uint8Array.of(1)] });
  return script(
    "validator_receive_checks",
    "member 1 is sent leader messages that fail: an announce not signed by the leader, whose block does not " +
      "hash to its hash, whose fresh block names another view, whose block 1 carries a commit certificate, " +
      "whose block does not apply; a view change for view 3, inside member 1's turn, is refused; it prepares " +
      "the valid announce, refuses it again, and turns a second announce of the view into evidence; it " +
      "refuses a short prepared certificate, one carrying block A's header with another body, and a forged " +
      "one, commits on " +
      "the valid one, refuses it again and turns a conflicting one into evidence; it refuses a committed " +
      "message whose block view is above its view, finalizes on a valid one, and then finds the height stale",
    [
      ...NORMAL,
      "FBFT-ON-ANNOUNCE.3",
      "FBFT-VALIDATE-BLOCK.2",
      "FBFT-ON-PREPARED.2",
      "FBFT-ON-COMMITTED.2",
      "FBFT-BLOCK-NAMED.1",
      "VIEW-CHECK-VIEWCHANGE.2",
      "QC-HEADER.1",
      "QC-VERIFY.1",
      "EVIDENCE-FORMAT.1",
      "BLOCK-APPLY.3",
    ],
    validatorPre(cast, 1, g),
    [
      reject(deliver(announce(cast, 1n, a, m1)), "CONSENSUS_BAD_SIGNATURE"),
      reject(deliver(altered(announce(cast, 1n, b), { block: a.bytes })), "CONSENSUS_BLOCK_MISMATCH"),
      reject(deliver(announce(cast, 1n, otherView)), "CONSENSUS_HEADER_VIEW_MISMATCH"),
      reject(deliver(announce(cast, 1n, carriesCertificate)), "QC_GENESIS_NOT_EMPTY"),
      reject(deliver(announce(cast, 1n, badRoot)), "BLOCK_STATE_ROOT_MISMATCH"),
      reject(deliver(viewChange(cast, m2, 1n, 3n, null)), "VIEW_NOT_TURN_START"),
      accept(deliver(good)),
      reject(deliver(good), "CONSENSUS_DUPLICATE"),
      accept(deliver(announce(cast, 1n, b))),
      reject(deliver(prepared(cast, 1n, a, [m0, m2])), "QC_INSUFFICIENT_QUORUM"),
      reject(deliver(altered(preparedA, { block: otherBody })), "BLOCK_INCOMING_ROOT_MISMATCH"),
      reject(
        deliver(altered(preparedA, { certificate: preparedCertificate(cast, 2n, a, [m0, m2, m3]) })),
        "QC_BAD_SIGNATURE",
      ),
      accept(deliver(preparedA)),
      reject(deliver(preparedA), "CONSENSUS_DUPLICATE"),
      accept(deliver(prepared(cast, 1n, b, [m0, m2, m3]))),
      reject(
        deliver(altered(committed(cast, 1n, a, [m0, m2, m3]), { blockViewId: 2n })),
        "CONSENSUS_FIELD_INVALID",
      ),
      accept(deliver(committed(cast, 1n, a, [m0, m2, m3]))),
      reject(deliver(good), "CONSENSUS_STALE_HEIGHT"),
    ],
  );
}

function catchUp(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, m2] = m;
  const decided = committed(cast, 4n, a, [m0, m1, m2]);
  return script(
    "committed_catch_up",
    "member 3 prepared block A in view 1 and missed the view changes that followed; a committed message of " +
      "view 4 whose prepared certificate is of view 1 is refused, and the valid one finalizes A and moves " +
      "member 3 to view 5, the view after the deciding one, led by member 2",
    [...NORMAL, "FBFT-ON-COMMITTED.2", "QC-VERIFY.1", "VIEW-TIMEOUT.1"],
    validatorPre(cast, 3, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      reject(
        deliver(altered(decided, { preparedCertificate: preparedCertificate(cast, 1n, a, [m0, m1, m2]) })),
        "QC_BAD_SIGNATURE",
      ),
      accept(deliver(decided)),
    ],
  );
}

function futureHeight(s: Stage): ScriptCaseDef {
  const { cast, m, a, a2 } = s;
  const [m0, m1, , m3] = m;
  return script(
    "future_height_replayed",
    "member 2 receives the announce of block 2 before block 1 is decided: it buffers it and asks for a sync; " +
      "the committed message of block 1 moves it to height 2, where the buffered announce is replayed and " +
      "prepared",
    [...NORMAL, "FBFT-BUFFER.1", "FBFT-ON-COMMITTED.2", "FBFT-ON-ANNOUNCE.3", "QC-HEADER.1"],
    validatorPre(cast, 2, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(announce(cast, 2n, a2))),
      accept(deliver(committed(cast, 1n, a, [m0, m1, m3]))),
    ],
  );
}

function syncBlocks(s: Stage): ScriptCaseDef {
  const { cast, m, a, a2, b } = s;
  const [m0, m1, m2, m3] = m;
  const decidedA = committed(cast, 1n, a, [m0, m1, m2]);
  const decidedA2 = committed(cast, 2n, a2, [m1, m2, m3]);
  return script(
    "sync_block",
    "a node that follows shard 0 without voting: a synced block whose committed message is of a later " +
      "height, has a short certificate, is not a committed message, or names another block is refused; block " +
      "1 with its committed message is finalized; block 1 again is stale; a committed message for block 2, " +
      "which it has not seen, asks for a sync, and block 2 arrives",
    [...NORMAL, "FBFT-SYNC.2", "FBFT-ON-COMMITTED.2", "QC-VERIFY.1", "FBFT-VALIDATE-BLOCK.2"],
    validatorPre(cast, null, s.genesis),
    [
      reject(syncBlock(a2, decidedA2), "CONSENSUS_HEIGHT_TOO_FAR"),
      reject(syncBlock(a, committed(cast, 1n, a, [m0, m1], [m0, m1, m2])), "QC_INSUFFICIENT_QUORUM"),
      reject(syncBlock(a, announce(cast, 1n, a)), "MSG_UNKNOWN_TYPE"),
      reject(syncBlock(b, decidedA), "CONSENSUS_BLOCK_MISMATCH"),
      accept(syncBlock(a, decidedA)),
      reject(syncBlock(a, decidedA), "CONSENSUS_STALE_HEIGHT"),
      accept(deliver(decidedA2)),
      accept(syncBlock(a2, decidedA2)),
    ],
  );
}

function farBehind(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, , m3] = m;
  // Authentic signatures over block A's hash at heights 10 and 11: CATCH-UP authenticates a far message
  // without looking for its block.
  const at10 = { ...a, number: 10n };
  const at11 = { ...a, number: 11n };
  const farViewChange = viewChange(cast, m0, 10n, 2n, null);
  return script(
    "far_behind_catch_up",
    "member 2 at height 1 hears of heights beyond its window of eight: a view change with another member's " +
      "signature and a committed message with a short certificate are refused with their codes and ask " +
      "nothing; the first authentic message, member 0's view change at height 10, asks for a sync from " +
      "height 1; an authentic committed message is then refused without a pairing; once block 1 arrives " +
      "by sync, a prepare of height 11 asks again, from height 2",
    [...NORMAL, "FBFT-CATCH-UP.2", "FBFT-SYNC.2", "QC-VERIFY.1", "VIEW-CHECK-VIEWCHANGE.2"],
    validatorPre(cast, 2, s.genesis),
    [
      reject(deliver(altered(farViewChange, { signer: m1.index })), "CONSENSUS_BAD_SIGNATURE"),
      reject(deliver(committed(cast, 1n, at10, [m0, m1])), "QC_INSUFFICIENT_QUORUM"),
      accept(deliver(farViewChange)),
      reject(deliver(committed(cast, 1n, at10, [m0, m1, m3])), "CONSENSUS_HEIGHT_TOO_FAR"),
      accept(syncBlock(a, committed(cast, 1n, a, [m0, m1, m3]))),
      accept(deliver(prepare(m1, 1n, at11))),
    ],
  );
}

function restartKeepsVotes(s: Stage): ScriptCaseDef {
  const { cast, m, a } = s;
  const [m0, m1, m2, m3] = m;
  const preparedA = prepared(cast, 1n, a, [m0, m1, m3]);
  const claimOfA = { view: 1n, block: a, certificateSigners: [m0, m1, m3], claimants: [m2] };
  return script(
    "restart_keeps_votes",
    "member 2 prepares block A in view 1 and restarts: the announce again is taken without a second prepare; " +
      "it commits on A's prepared certificate and restarts: the certificate again is a duplicate of its lock; " +
      "it times out and asks for view 2 with that lock as its claim, restarts during the view change, resumes " +
      "it without asking again, and enters view 2 from the new view that counts its claim",
    [...VIEW_CHANGE, "FBFT-PERSIST.3", "FBFT-ON-ANNOUNCE.3", "FBFT-ON-PREPARED.2"],
    validatorPre(cast, 2, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(restart()),
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(preparedA)),
      accept(restart()),
      reject(deliver(preparedA), "CONSENSUS_DUPLICATE"),
      accept(timeout(1n)),
      accept(restart()),
      accept(deliver(newView(cast, 1n, 2n, [m1, m2, m3], [m1, m3], [claimOfA]))),
    ],
  );
}

function restartInNewView(s: Stage): ScriptCaseDef {
  const { cast, m, a, fresh2 } = s;
  const [m0, m1, m2, m3] = m;
  const group = { view: 1n, block: a, certificateSigners: [m0, m1, m3], claimants: [m3] };
  return script(
    "restart_in_new_view",
    "member 3 locks on block A in view 1, enters view 2 from a new view that requires A, and restarts before " +
      "the re-proposal arrives: a fresh block of view 2 is still refused and A's re-proposal is prepared",
    [...VIEW_CHANGE, "FBFT-PERSIST.3", "VIEW-ON-NEWVIEW.1", "FBFT-ON-ANNOUNCE.3"],
    validatorPre(cast, 3, s.genesis),
    [
      accept(deliver(announce(cast, 1n, a))),
      accept(deliver(prepared(cast, 1n, a, [m0, m1, m3]))),
      accept(deliver(newView(cast, 1n, 2n, [m1, m2, m3], [m1, m2], [group]))),
      accept(restart()),
      reject(deliver(announce(cast, 2n, fresh2)), "VIEW_NOT_REPROPOSED"),
      accept(deliver(announce(cast, 2n, a))),
    ],
  );
}

/**
 * The mainnet preset's stories: the genesis committee of 200 members of power 1, so a quorum is 134
 * (3 · 134 > 2 · 200) and 133 is short; leaderTerm 163, so views 0–162 are member 0's turn and 163–325 member
 * 1's; the view timeout is 27 s, doubled per turn.
 */
function mainnetScripts(preset: Preset): ScriptCaseDef[] {
  const cast = castOf(preset);
  const g = genesis(preset, cast.shard);
  const quorum = cast.members.slice(0, 134);
  const short = cast.members.slice(0, 133);
  const a = proposal(cast, g, 1n, 1000n, null);
  const a2 = proposal(cast, a.after, 2n, 1003n, commitCertificate(cast, a, quorum));
  const fresh = proposal(cast, g, 163n, 1002n, null);
  return [
    script(
      "mainnet_validator_round",
      "member 5 of 200 follows view 1: prepares the announced block, refuses a prepared certificate of 133 " +
        "members, commits on one of 134, finalizes on the committed message, and prepares block 2, which member 0 " +
        "proposes in view 2 since its turn lasts 163 views",
      [
        ...NORMAL,
        "FBFT-QUORUM.1",
        "FBFT-ON-ANNOUNCE.3",
        "FBFT-ON-PREPARED.2",
        "FBFT-ON-COMMITTED.2",
        "QC-HEADER.1",
      ],
      validatorPre(cast, 5, g),
      [
        accept(deliver(announce(cast, 1n, a))),
        reject(deliver(prepared(cast, 1n, a, short)), "QC_INSUFFICIENT_QUORUM"),
        accept(deliver(prepared(cast, 1n, a, quorum))),
        accept(deliver(committed(cast, 1n, a, quorum))),
        accept(deliver(announce(cast, 2n, a2))),
      ],
    ),
    script(
      "mainnet_view_change",
      "member 5 of 200 times out in view 1 and asks for view 163, the first of member 1's turn, under a doubled " +
        "timeout; a new view that 133 members asked for is refused, one of 134 nil claims is entered, and member " +
        "1's fresh block of view 163 is prepared",
      [...VIEW_CHANGE, "FBFT-QUORUM.1", "VIEW-CHECK-NEWVIEW.2", "VIEW-ON-NEWVIEW.1", "FBFT-ON-ANNOUNCE.3"],
      validatorPre(cast, 5, g),
      [
        accept(timeout(1n)),
        reject(deliver(newView(cast, 1n, 163n, short, short, [])), "QC_INSUFFICIENT_QUORUM"),
        accept(deliver(newView(cast, 1n, 163n, quorum, quorum, []))),
        accept(deliver(announce(cast, 163n, fresh))),
      ],
    ),
  ];
}

/**
 * The script cases: every story on the minimal preset; on the mainnet preset, the stories its parameters change
 * (quorum size, turn length, timeout), since its committee of 200 would make the others a hundred times longer
 * without exercising another rule.
 */
export function consensusScriptCases(preset: Preset): ScriptCaseDef[] {
  if (preset.name === "mainnet") return mainnetScripts(preset);
  if (preset.name !== "minimal") return [];
  const s = stage(preset);
  return [
    leaderRound(s),
    leaderIncoming(s),
    validatorRound(s),
    leaderRotation(s),
    silentLeader(s),
    joinAndBuffer(s),
    lockedNewLeader(s),
    lockedValidator(s),
    commitConflict(s),
    leaderRejections(s),
    validatorRejections(s),
    catchUp(s),
    futureHeight(s),
    syncBlocks(s),
    farBehind(s),
    restartKeepsVotes(s),
    restartInNewView(s),
  ];
}
