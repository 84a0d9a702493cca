import {
  type Announce,
  type Certificate,
  type Claim,
  type Commit,
  type Committed,
  type ConsensusMessage,
  commitPayload,
  m1Payload,
  m2Payload,
  m3Payload,
  messageToJson,
  type NewView,
  type Prepare,
  type Prepared,
  type PreparedGroup,
  preparePayload,
  type Share,
  type ViewChange,
} from "../../reference/consensus/index.ts";
import { type CrossLink, crossLinkToJson, encodeCrossLinks } from "../../reference/crossshard/crosslink.ts";
import { type IncomingEntry, incomingEntryItem } from "../../reference/crossshard/incoming.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { bigintToDecimal, bytesToHex } from "../../reference/encoding/json.ts";
import { rlpEncode } from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { type Block, encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { headerToJson, stateToJson } from "../../reference/ledger/ledgerJson.ts";
import { encodeTransaction, type Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { buildCommitField } from "../../reference/randomness/commit.ts";
import { buildRevealField } from "../../reference/randomness/reveal.ts";
import { drgFieldsExpected } from "../../reference/randomness/schedule.ts";
import { makeShare } from "../../reference/randomness/share.ts";
import { type BeaconChain, buildBeaconBlock, shardStateFor } from "../../reference/sharding/beacon.ts";
import { epochCommittee } from "../../reference/sharding/epoch.ts";
import type { Json, ScriptCaseDef, ScriptStepDef } from "../conformance/types.ts";
import {
  certificateBy,
  certificateJson,
  committeeJson,
  genesisSigners,
  type Signer,
  signBy,
} from "./consensusSigners.ts";

/*
 * Test support for chapters 6–7: the messages other committee members send, built by signing with their
 * genesis keys, and the events of a consensus script. Leaders and blocks are computed here from the spec's
 * formulas (FBFT-LEADER.1, FBFT-PROPOSE.4 L3), not read from the state machine, so that a script whose
 * messages the reference rejects exposes a disagreement instead of hiding it.
 */

/**
 * The shard FBFT's scripts run on: a shard other than the beacon chain, whose blocks are plain ledger blocks
 * (FBFT-VALIDATE-BLOCK.2). The beacon chain's scripts pass shard 0.
 */
export const FBFT_SHARD = 1;

/** A committee of `size` genesis validators of a shard and the preset it runs under. */
export interface Cast {
  readonly preset: Preset;
  readonly shard: number;
  readonly members: readonly Signer[];
}

export function castOf(preset: Preset, size = preset.slotsPerShard, shard = FBFT_SHARD): Cast {
  return { preset, shard, members: genesisSigners(shard, size) };
}

/** LEADER(v) = (v div leaderTerm) mod n. */
export function leaderIndex(cast: Cast, view: bigint): number {
  return Number((view / BigInt(cast.preset.leaderTerm)) % BigInt(cast.members.length));
}

export function leaderOfView(cast: Cast, view: bigint): Signer {
  return cast.members[leaderIndex(cast, view)]!;
}

/** A proposed block with its wire form, hash and the ledger after it. */
export interface Proposed {
  readonly block: Block;
  readonly bytes: Uint8Array;
  readonly hash: Uint8Array;
  readonly number: bigint;
  readonly headerView: bigint;
  readonly after: LedgerState;
}

/**
 * The block a leader builds in `view` on `ledger` (FBFT-PROPOSE L3): time max(time, head.time + 1), the view,
 * the head's commit certificate (zero and empty at genesis), a zero coinbase and every other field empty.
 */
export function proposal(
  cast: Cast,
  ledger: LedgerState,
  view: bigint,
  time: bigint,
  headCert: Certificate | null,
  transactions: readonly Transaction[] = [],
): Proposed {
  const at = time > ledger.head.time ? time : ledger.head.time + 1n;
  const lastCommit =
    headCert === null ? {} : { lastCommitSignature: headCert.signature, lastCommitBitmap: headCert.bitmap };
  const fields = { ...plainProposerFields(at, view), ...lastCommit };
  const built = unwrap(buildBlock(ledger, transactions, fields, cast.preset));
  return proposed(built.block, built.state);
}

/**
 * The beacon block a leader builds in `view` on `chain` (FBFT-PROPOSE L3–L4 on shard 0): as `proposal`, with the
 * commitment of the shares of `sharers` at a commit height and the reveal at a reveal height (DRG-PROPOSE.1).
 */
export function beaconProposal(
  cast: Cast,
  chain: BeaconChain,
  view: bigint,
  time: bigint,
  headCert: Certificate | null,
  sharers: readonly Signer[] = cast.members,
  crossLinks: readonly CrossLink[] = [],
): Proposed & { readonly after: BeaconChain } {
  const preset = cast.preset;
  const at = time > chain.head.time ? time : chain.head.time + 1n;
  const lastCommit =
    headCert === null ? {} : { lastCommitSignature: headCert.signature, lastCommitBitmap: headCert.bitmap };
  const fields = {
    ...plainProposerFields(at, view),
    ...lastCommit,
    crossLinks: encodeCrossLinks(crossLinks),
  };
  const number = chain.head.number + 1n;
  const role = drgFieldsExpected(cast.shard, number, preset);
  if (role === "commit") {
    const committee = unwrap(
      epochCommittee(shardStateFor(chain, number / BigInt(preset.blocksPerEpoch)), 0, preset, blstBls),
    );
    const shares = sharers.map((s) => ({
      signer: s.index,
      proof: shareOf(cast, s, number, view, chain).proof,
    }));
    fields.vrf = unwrap(buildCommitField(shares, committee, blstBls));
  }
  if (role === "reveal") fields.vdf = unwrap(buildRevealField(chain.drg.pRnd!, preset));
  const built = unwrap(buildBeaconBlock(chain, [], fields, preset, blstBls));
  return { ...proposed(built.block, built.state), after: built.state };
}

export function proposed(block: Block, after: LedgerState): Proposed {
  return {
    block,
    bytes: encodeBlock(block),
    hash: headerHash(block.header),
    number: block.header.number,
    headerView: block.header.viewId,
    after,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

export function announce(cast: Cast, view: bigint, p: Proposed, by = leaderOfView(cast, view)): Announce {
  return {
    type: "announce",
    shardId: cast.shard,
    blockNum: p.number,
    viewId: view,
    blockHash: p.hash,
    block: p.bytes,
    signature: signBy(by, preparePayload(p.number, p.hash, view)),
  };
}

export function prepare(signer: Signer, view: bigint, p: Proposed): Prepare {
  return {
    type: "prepare",
    shardId: p.block.header.shardId,
    blockNum: p.number,
    viewId: view,
    blockHash: p.hash,
    signer: signer.index,
    signature: signBy(signer, preparePayload(p.number, p.hash, view)),
  };
}

/** Member `signer`'s share of the round (`blockNum`, `view`) over the head of `chain` (DRG-SHARE.2). */
export function shareOf(
  cast: Cast,
  signer: Signer,
  blockNum: bigint,
  view: bigint,
  chain: LedgerState,
): Share {
  const round = { blockNum, viewId: view, parentHash: headerHash(chain.head) };
  return unwrap(makeShare(signer.secretKey, signer.index, round, cast.preset, blstBls));
}

/** A prepared certificate of `signers` for `p` in `view`. */
export function preparedCertificate(cast: Cast, view: bigint, p: Proposed, signers: readonly Signer[]) {
  return certificateBy(signers, preparePayload(p.number, p.hash, view), cast.members.length);
}

export function prepared(cast: Cast, view: bigint, p: Proposed, signers: readonly Signer[]): Prepared {
  return {
    type: "prepared",
    shardId: cast.shard,
    blockNum: p.number,
    viewId: view,
    blockHash: p.hash,
    block: p.bytes,
    certificate: preparedCertificate(cast, view, p, signers),
  };
}

export function commit(signer: Signer, view: bigint, p: Proposed): Commit {
  return {
    type: "commit",
    shardId: p.block.header.shardId,
    blockNum: p.number,
    viewId: view,
    blockHash: p.hash,
    blockViewId: p.headerView,
    signer: signer.index,
    signature: signBy(signer, commitPayload(p.number, p.hash, p.headerView)),
  };
}

/** A commit certificate of `signers` for `p` (COMMIT names the block's header view, not the current view). */
export function commitCertificate(cast: Cast, p: Proposed, signers: readonly Signer[]): Certificate {
  return certificateBy(signers, commitPayload(p.number, p.hash, p.headerView), cast.members.length);
}

/**
 * The committed message of `p` in `view`: the commit certificate of `signers` and the prepared certificate of
 * the view, signed by `preparers` (the same members unless given).
 */
export function committed(
  cast: Cast,
  view: bigint,
  p: Proposed,
  signers: readonly Signer[],
  preparers: readonly Signer[] = signers,
): Committed {
  return {
    type: "committed",
    shardId: cast.shard,
    blockNum: p.number,
    viewId: view,
    blockHash: p.hash,
    blockViewId: p.headerView,
    certificate: commitCertificate(cast, p, signers),
    preparedCertificate: preparedCertificate(cast, view, p, preparers),
  };
}

/** A claimed prepared certificate: the view it formed in, the block and who signed it. */
export interface PreparedClaim {
  readonly view: bigint;
  readonly block: Proposed;
  readonly certificateSigners: readonly Signer[];
}

/** A view-change request for view `w` at height `n`, with a nil claim or the given prepared claim. */
export function viewChange(
  cast: Cast,
  signer: Signer,
  n: bigint,
  w: bigint,
  claim: PreparedClaim | null,
): ViewChange {
  const c: Claim =
    claim === null
      ? { kind: "nil", signature: signBy(signer, m2Payload(n, w)) }
      : {
          kind: "prepared",
          preparedViewId: claim.view,
          preparedHash: claim.block.hash,
          preparedBlock: claim.block.bytes,
          preparedCertificate: preparedCertificate(cast, claim.view, claim.block, claim.certificateSigners),
          signature: signBy(signer, m1Payload(n, w, claim.view, claim.block.hash)),
        };
  return {
    type: "viewChange",
    shardId: cast.shard,
    blockNum: n,
    viewId: w,
    signer: signer.index,
    m3Signature: signBy(signer, m3Payload(n, w)),
    claim: c,
  };
}

/** A prepared group of a new view: the claimed certificate and the members who claimed it. */
export interface GroupSpec extends PreparedClaim {
  readonly claimants: readonly Signer[];
}

/** A new view for view `w` at height `n`: who asked (M3), who claimed nothing (M2) and the prepared groups. */
export function newView(
  cast: Cast,
  n: bigint,
  w: bigint,
  asked: readonly Signer[],
  nil: readonly Signer[],
  groups: readonly GroupSpec[],
): NewView {
  const size = cast.members.length;
  const m1: PreparedGroup[] = groups.map((g) => ({
    preparedViewId: g.view,
    preparedHash: g.block.hash,
    preparedCertificate: preparedCertificate(cast, g.view, g.block, g.certificateSigners),
    claims: certificateBy(g.claimants, m1Payload(n, w, g.view, g.block.hash), size),
  }));
  return {
    type: "newView",
    shardId: cast.shard,
    blockNum: n,
    viewId: w,
    m3: certificateBy(asked, m3Payload(n, w), size),
    m2: nil.length === 0 ? null : certificateBy(nil, m2Payload(n, w), size),
    m1,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Events and scripts

export function deliver(m: ConsensusMessage): Json {
  return { kind: "deliver", message: messageToJson(m) as Json };
}

export function timeout(view: bigint): Json {
  return { kind: "timeout", viewId: bigintToDecimal(view) };
}

/** The validator crashes and restarts from the durable part of its state (FBFT-PERSIST.3). */
export function restart(): Json {
  return { kind: "restart" };
}

export function drgTimeout(view: bigint): Json {
  return { kind: "drgTimeout", viewId: bigintToDecimal(view) };
}

/** The driver's answer to `vdfDue`: the reveal of epoch `epoch`. */
export function vdfReady(epoch: bigint, vdf: Uint8Array): Json {
  return { kind: "vdfReady", epoch: bigintToDecimal(epoch), vdf: bytesToHex(vdf) };
}

export function propose(
  view: bigint,
  time: bigint,
  transactions: readonly Transaction[] = [],
  crossLinks: readonly CrossLink[] = [],
  incoming: readonly IncomingEntry[] = [],
): Json {
  return {
    kind: "propose",
    viewId: bigintToDecimal(view),
    transactions: transactions.map((tx) => bytesToHex(encodeTransaction(tx))),
    ...(crossLinks.length === 0 ? {} : { crossLinks: crossLinks.map(crossLinkToJson) }),
    ...(incoming.length === 0
      ? {}
      : { incoming: incoming.map((e) => bytesToHex(rlpEncode(incomingEntryItem(e)))) }),
    time: bigintToDecimal(time),
  };
}

/** A synced block with the message a peer stored it with (a committed message, or anything for a refusal). */
export function syncBlock(p: Proposed, finalizedBy: ConsensusMessage): Json {
  return { kind: "syncBlock", block: bytesToHex(p.bytes), committed: messageToJson(finalizedBy) as Json };
}

/**
 * The `pre` of a validator `me` (null: a follower) of the cast's committee, at `ledger`; it starts in the view
 * after the head's (FBFT-STATE.2).
 */
export function validatorPre(
  cast: Cast,
  me: number | null,
  ledger: LedgerState,
  headCertificate: Certificate | null = null,
): Json {
  return {
    shardId: cast.shard,
    committee: committeeJson(cast.members),
    me,
    secretKey: me === null ? null : bytesToHex(cast.members[me]!.secretKey),
    ledger: { head: headerToJson(ledger.head), accounts: stateToJson(ledger.accounts) },
    headCertificate: headCertificate === null ? null : certificateJson(headCertificate),
  };
}

/** A case of the consensus runner's `script` handler; its tags listed once each. */
export function script(
  name: string,
  description: string,
  tags: readonly string[],
  pre: ScriptCaseDef["pre"],
  steps: readonly ScriptStepDef[],
): ScriptCaseDef {
  return { handler: "script", name, description, tags: [...new Set(tags)], pre, steps };
}

/** A step that must succeed. */
export function accept(event: Json): ScriptStepDef {
  return { event };
}

/** A step that must fail with `code` and leave the state as it was. */
export function reject(event: Json, code: string): ScriptStepDef {
  return { event, expectedError: code };
}
