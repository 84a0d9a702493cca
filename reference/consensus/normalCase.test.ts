import { describe, expect, it } from "vitest";
import {
  announceOf,
  apply,
  blockOn,
  certificateOf,
  createNet,
  type Finalization,
  heldFor,
  type Net,
  release,
  run,
  sentOfType,
  signAs,
  signedBytes,
  signersOfBitmap,
  tryStep,
} from "../../tools/testing/consensusNet.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { type RlpItem, rlpDecodeOrThrow, rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { type Block, encodeBlock } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import { verifyEvidence } from "./evidence.ts";
import type { Committed, ConsensusMessage, Prepared } from "./messages.ts";
import type { ConsensusEvent } from "./state.ts";

const hex = bytesToHex;
const EQUAL_4 = [1n, 1n, 1n, 1n];

function deliver(message: ConsensusMessage): ConsensusEvent {
  return { kind: "deliver", message };
}

/** Four members; the leader of view 1 has proposed block 1 (block A) and every message is held. */
function proposed(bls: BlsBackend = blstBls) {
  const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls, maxHeight: 1n });
  net.intercept = () => "hold";
  run(net);
  const announce = heldFor(net, 1, "announce");
  const other = blockOn(net, net.states[1]!.ledger, 7n, 1n);
  return { net, announce, other };
}

function preparedOf(net: Net, hash: Uint8Array, block: Uint8Array, signers: number[]): Prepared {
  const certificate = certificateOf(net, signers, signedBytes.prepare(1n, hash, 1n));
  return { type: "prepared", shardId: 1, blockNum: 1n, viewId: 1n, blockHash: hash, block, certificate };
}

describe("double-sign evidence", () => {
  // @covers FBFT-ON-ANNOUNCE.3 EVIDENCE-VERIFY.1
  it("turns a second announce of the view into evidence against the leader", () => {
    const { net, announce, other } = proposed();
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    expect(apply(net, 1, deliver(announceOf(net, 0, 1n, other)), "announce")).toBeNull();
    expect(net.evidence[1]!.length).toBe(1);
    expect(unwrap(verifyEvidence(net.evidence[1]![0]!, net.committee, blstBls))).toEqual([0]);
    expect(sentOfType(net, 1, "prepare").map((p) => hex(p.blockHash))).toEqual([hex(announce.blockHash)]);
  });

  // @covers FBFT-ON-ANNOUNCE.3 EVIDENCE-VERIFY.1
  it("uses the prepared certificate as the leader's first vote when the announce never arrived", () => {
    const { net, announce, other } = proposed();
    expect(
      apply(net, 1, deliver(preparedOf(net, announce.blockHash, announce.block, [0, 1, 2])), "prepared"),
    ).toBeNull();
    expect(apply(net, 1, deliver(announceOf(net, 0, 1n, other)), "announce")).toBeNull();
    expect(unwrap(verifyEvidence(net.evidence[1]![0]!, net.committee, blstBls))).toEqual([0]);
  });

  // @covers FBFT-ON-ANNOUNCE.3
  it("forms no evidence from a prepared certificate the leader did not sign", () => {
    const { net, announce, other } = proposed();
    expect(
      apply(net, 1, deliver(preparedOf(net, announce.blockHash, announce.block, [1, 2, 3])), "prepared"),
    ).toBeNull();
    expect(apply(net, 1, deliver(announceOf(net, 0, 1n, other)), "announce")).toBeNull();
    expect(net.evidence[1]).toEqual([]);
    expect(hex(net.states[1]!.proposal!.hash)).toBe(hex(announce.blockHash));
  });

  // @covers FBFT-ON-PREPARED.2 FBFT-ON-ANNOUNCE.3
  it("keeps the leader's signature only for the block it locks on", () => {
    const { net, announce, other } = proposed();
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    expect(net.states[1]!.proposal!.signature).toEqual(announce.signature);
    // A certificate of the view for another block (members 0, 2 and 3 prepared it): the member locks on it,
    // and the proposal it now holds is that block, with no leader signature for it.
    expect(
      apply(net, 1, deliver(preparedOf(net, other.hash, other.bytes, [0, 2, 3])), "prepared"),
    ).toBeNull();
    const proposal = net.states[1]!.proposal!;
    expect([hex(proposal.hash), proposal.signature]).toEqual([hex(other.hash), null]);
    // The leader's announce of the first block is then judged against the certificate, which it signed.
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    expect(net.evidence[1]!.length).toBe(1);
    expect(unwrap(verifyEvidence(net.evidence[1]![0]!, net.committee, blstBls))).toEqual([0]);
  });

  // @covers FBFT-ON-PREPARE.1 EVIDENCE-VERIFY.1
  it("turns a member's second prepare of the view into evidence at the leader, without counting it", () => {
    const { net, announce, other } = proposed();
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    expect(apply(net, 0, deliver(sentOfType(net, 1, "prepare")[0]!), "prepare")).toBeNull();
    const second = {
      ...sentOfType(net, 1, "prepare")[0]!,
      blockHash: other.hash,
      signature: signAs(net, 1, signedBytes.prepare(1n, other.hash, 1n)),
    };
    expect(apply(net, 0, deliver(second), "prepare")).toBeNull();
    expect(unwrap(verifyEvidence(net.evidence[0]![0]!, net.committee, blstBls))).toEqual([1]);
    expect(net.states[0]!.prepares.power.get(hex(other.hash))).toBeUndefined();
  });

  // @covers FBFT-ON-PREPARED.2 EVIDENCE-VERIFY.1
  it("turns a second prepared certificate of the view into evidence against the members in both", () => {
    const { net, announce, other } = proposed();
    expect(
      apply(net, 3, deliver(preparedOf(net, announce.blockHash, announce.block, [0, 1, 2])), "prepared"),
    ).toBeNull();
    expect(
      resultCode(tryStep(net, 3, deliver(preparedOf(net, announce.blockHash, announce.block, [0, 1, 3])))),
    ).toBe("CONSENSUS_DUPLICATE");
    expect(
      apply(net, 3, deliver(preparedOf(net, other.hash, other.bytes, [0, 1, 3])), "prepared"),
    ).toBeNull();
    expect(unwrap(verifyEvidence(net.evidence[3]![0]!, net.committee, blstBls))).toEqual([0, 1]);
    expect(hex(net.states[3]!.lock!.hash)).toBe(hex(announce.blockHash));
  });
});

describe("ON-ANNOUNCE and VALIDATE-BLOCK", () => {
  // @covers FBFT-ON-ANNOUNCE.3 FBFT-VALIDATE-BLOCK.2 QC-HEADER.1
  it("refuses a block that is not the named one, does not extend the ledger, or carries a bad certificate", () => {
    const { net, announce, other } = proposed();
    const code = (m: ConsensusMessage) => resultCode(tryStep(net, 2, deliver(m)));
    // The signature covers the named hash, but the bytes are another block.
    expect(code({ ...announce, block: other.bytes })).toBe("CONSENSUS_BLOCK_MISMATCH");
    expect(code({ ...announce, block: new Uint8Array([0x80]) })).toBe("RLP_EXPECTED_LIST");
    // Block 1 may not carry a commit certificate.
    const certified = blockOn(
      net,
      net.states[2]!.ledger,
      3n,
      1n,
      certificateOf(net, [0, 1, 2], new Uint8Array(48)),
    );
    expect(code(announceOf(net, 0, 1n, certified))).toBe("QC_GENESIS_NOT_EMPTY");
    // A fresh block of view 1 that names view 2 in its header.
    expect(code(announceOf(net, 0, 1n, blockOn(net, net.states[2]!.ledger, 3n, 2n)))).toBe(
      "CONSENSUS_HEADER_VIEW_MISMATCH",
    );
    expect(code(announce)).toBe(ACCEPTED);
  });

  // @covers FBFT-VALIDATE-BLOCK.2 QC-HEADER.1
  it("checks the parent's certificate in block 2, with no pairing when it is the node's own", () => {
    let aggregateChecks = 0;
    const counting: BlsBackend = {
      ...blstBls,
      fastAggregateVerify: (keys, message, signature) => {
        aggregateChecks++;
        return blstBls.fastAggregateVerify(keys, message, signature);
      },
    };
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: counting, maxHeight: 2n });
    net.intercept = (e) => (e.message.type === "announce" && e.message.blockNum === 2n ? "hold" : "deliver");
    run(net);
    const announce = heldFor(net, 2, "announce");
    const head = net.finalized[2]![0]!;
    const headHash = headerHash(head.block.header);
    // Block 2 as its leader (member 1) proposed it carries the certificate member 2 finalized with.
    expect(hex(net.states[2]!.headCert!.bitmap)).toBe(hex(head.committed.certificate.bitmap));
    aggregateChecks = 0;
    expect(resultCode(tryStep(net, 2, deliver(announce)))).toBe(ACCEPTED);
    expect(aggregateChecks).toBe(0);
    // Another valid certificate of block 1 is accepted, after a pairing; a short one is refused.
    const signers = signersOfBitmap(head.committed.certificate.bitmap, 4);
    const others = [0, 1, 2, 3].filter((m) => m !== signers[0]);
    const otherCert = certificateOf(net, others, signedBytes.commit(1n, headHash, head.block.header.viewId));
    const withOther = blockOn(net, net.states[2]!.ledger, 9n, 2n, otherCert);
    aggregateChecks = 0;
    expect(resultCode(tryStep(net, 2, deliver(announceOf(net, 1, 2n, withOther))))).toBe(ACCEPTED);
    expect(aggregateChecks).toBe(1);
    const short = certificateOf(net, [0, 1], signedBytes.commit(1n, headHash, head.block.header.viewId));
    const withShort = blockOn(net, net.states[2]!.ledger, 9n, 2n, short);
    expect(resultCode(tryStep(net, 2, deliver(announceOf(net, 1, 2n, withShort))))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
  });

  // @covers FBFT-BLOCK-NAMED.1 FBFT-ON-PREPARED.2 FBFT-ON-ANNOUNCE.3 FBFT-VALIDATE-BLOCK.2
  it("takes a block by its hash only with the body its header commits to", () => {
    const { net, announce } = proposed();
    expect(apply(net, 2, deliver(announce), "announce")).toBeNull();
    // The announced header with another body: one incoming receipt entry the header's root does not commit
    // to. The header, and so the hash and every signature over it, is the same.
    const [header, transactions] = rlpDecodeOrThrow(announce.block) as RlpItem[];
    const otherBody = rlpEncode([header!, transactions!, [Uint8Array.of(1)]]);
    const before = net.states[2]!;
    const prepared = preparedOf(net, announce.blockHash, otherBody, [0, 1, 3]);
    expect(resultCode(tryStep(net, 2, deliver(prepared)))).toBe("BLOCK_INCOMING_ROOT_MISMATCH");
    expect(resultCode(tryStep(net, 3, deliver({ ...announce, block: otherBody })))).toBe(
      "BLOCK_INCOMING_ROOT_MISMATCH",
    );
    expect(net.states[2]).toBe(before);
    // The block it validated is the one it locks on and would store.
    const good = preparedOf(net, announce.blockHash, announce.block, [0, 1, 3]);
    expect(apply(net, 2, deliver(good), "prepared")).toBeNull();
    expect(hex(encodeBlock(net.states[2]!.lock!.block))).toBe(hex(announce.block));
  });

  // @covers FBFT-VALIDATE-BLOCK.2 FBFT-ON-PREPARED.2
  it("validates a block once per height: the prepared certificate reuses the announce's ledger", () => {
    const { net, announce } = proposed();
    expect(apply(net, 2, deliver(announce), "announce")).toBeNull();
    const afterAnnounce = net.states[2]!.proposal!.ledger;
    expect(net.states[2]!.validated.get(hex(announce.blockHash))!.ledger).toBe(afterAnnounce);
    expect(
      apply(net, 2, deliver(preparedOf(net, announce.blockHash, announce.block, [0, 1, 3])), "prepared"),
    ).toBeNull();
    expect(net.states[2]!.proposal!.ledger).toBe(afterAnnounce);
    expect(net.states[2]!.validated.size).toBe(1);
  });
});

describe("ON-COMMIT", () => {
  // @covers FBFT-ON-COMMIT.1
  it("aggregates only commits over the locked block's own COMMIT bytes", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = (e) => (e.message.type === "commit" ? "hold" : "deliver");
    run(net);
    const hash = net.states[0]!.lock!.hash;
    // Member 3 signs a commit for the block under another block view: a valid signature over other bytes.
    const misviewed = {
      type: "commit" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: hash,
      blockViewId: 0n,
      signer: 3,
      signature: signAs(net, 3, signedBytes.commit(1n, hash, 0n)),
    };
    expect(apply(net, 0, deliver(misviewed), "commit")).toBeNull();
    net.intercept = () => "deliver";
    release(net, (e) => e.from !== 3);
    const { certificate } = net.finalized[0]![0]!.committed;
    expect(signersOfBitmap(certificate.bitmap, 4)).toEqual([0, 1, 2]);
    const keys = [0, 1, 2].map((m) => net.committee.members[m]!.publicKey);
    const bytes = signedBytes.commit(1n, hash, 1n);
    expect(unwrap(blstBls.fastAggregateVerify(keys, bytes, certificate.signature))).toBe(true);
  });

  // @covers FBFT-ON-COMMIT.1 MSG-FORMAT.2
  it("sends the commit certificate with the prepared certificate of its lock, of the current view", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    run(net);
    const committed = sentOfType(net, 0, "committed")[0]!;
    const prepared = sentOfType(net, 0, "prepared")[0]!;
    expect([committed.viewId, committed.blockViewId, hex(committed.blockHash)]).toEqual([
      1n,
      1n,
      hex(prepared.blockHash),
    ]);
    expect(committed.preparedCertificate).toEqual(prepared.certificate);
    const signers = signersOfBitmap(committed.preparedCertificate.bitmap, 4);
    const keys = signers.map((m) => net.committee.members[m]!.publicKey);
    const bytes = signedBytes.prepare(1n, committed.blockHash, 1n);
    expect(unwrap(blstBls.fastAggregateVerify(keys, bytes, committed.preparedCertificate.signature))).toBe(
      true,
    );
    expect(net.finalized[0]![0]!.committed).toBe(committed);
  });

  // @covers FBFT-ON-PREPARED.2
  it("never commits two blocks under one commit view key", () => {
    const { net, announce, other } = proposed();
    expect(
      apply(net, 2, deliver(preparedOf(net, announce.blockHash, announce.block, [0, 1, 2])), "prepared"),
    ).toBeNull();
    expect(sentOfType(net, 2, "commit").map((c) => c.blockViewId)).toEqual([1n]);
    // Later, in view 4, a prepared certificate of view 4 for another block whose header also names view 1.
    net.states[2] = { ...net.states[2]!, view: 4n, mode: "normal", lock: null };
    const certificate = certificateOf(net, [0, 1, 3], signedBytes.prepare(1n, other.hash, 4n));
    const prepared: Prepared = { ...preparedOf(net, other.hash, other.bytes, [0]), viewId: 4n, certificate };
    expect(resultCode(tryStep(net, 2, deliver(prepared)))).toBe("FBFT_COMMIT_CONFLICT");
  });
});

describe("ON-COMMITTED and SYNC", () => {
  // @covers FBFT-ON-COMMITTED.2 FBFT-SYNC.2
  it("asks for a block it does not hold, once, and finalizes the block it is given", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = (e) => (e.to === 3 ? "hold" : "deliver");
    run(net);
    const committed = heldFor(net, 3, "committed");
    const decided = net.finalized[0]![0]!;
    expect(apply(net, 3, deliver(committed), "committed")).toBeNull();
    expect(net.syncRequests[3]).toEqual([1n]);
    expect(net.finalized[3]).toEqual([]);
    const sync = { kind: "syncBlock" as const, block: decided.block, committed: decided.committed };
    expect(apply(net, 3, sync, "syncBlock")).toBeNull();
    expect(net.finalized[3]).toEqual([{ block: decided.block, committed: decided.committed }]);
    expect(resultCode(tryStep(net, 3, sync))).toBe("CONSENSUS_STALE_HEIGHT");
  });

  // @covers FBFT-SYNC.2
  it("checks the committed message of a synced block line by line", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 2n });
    run(net);
    const [first, second] = net.finalized[0]! as [Finalization, Finalization];
    const fresh = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 0n });
    const c = first.committed;
    const code = (block: Block, committed: ConsensusMessage) =>
      resultCode(tryStep(fresh, 1, { kind: "syncBlock", block, committed }));
    expect(code(first.block, c)).toBe(ACCEPTED);
    // L1: the shard and bitmap lengths of RECEIVE, then the type.
    expect(code(first.block, { ...c, shardId: 0 })).toBe("CONSENSUS_WRONG_SHARD");
    const longBitmap = { ...c.preparedCertificate, bitmap: new Uint8Array(2) };
    expect(code(first.block, { ...c, preparedCertificate: longBitmap })).toBe("BITMAP_LENGTH");
    expect(code(first.block, sentOfType(net, 0, "prepared")[0]!)).toBe("MSG_UNKNOWN_TYPE");
    // L2: only the next height.
    expect(code(second.block, second.committed)).toBe("CONSENSUS_HEIGHT_TOO_FAR");
    // L3: both certificates, after the block view.
    expect(code(first.block, { ...c, blockViewId: 2n })).toBe("CONSENSUS_FIELD_INVALID");
    const short = { ...c.certificate, bitmap: Uint8Array.of(0b0011) };
    expect(code(first.block, { ...c, certificate: short })).toBe("QC_INSUFFICIENT_QUORUM");
    const otherView = certificateOf(net, [0, 1, 2], signedBytes.prepare(1n, c.blockHash, 2n));
    expect(code(first.block, { ...c, preparedCertificate: otherView })).toBe("QC_BAD_SIGNATURE");
    // L4: the block must be the one the message names, body included, and proposed in the view its commit
    // certificate names.
    const other = blockOn(fresh, fresh.states[1]!.ledger, 9n, 1n);
    expect(code(other.block, c)).toBe("CONSENSUS_BLOCK_MISMATCH");
    expect(code({ ...first.block, incomingReceipts: [Uint8Array.of(1)] }, c)).toBe(
      "BLOCK_INCOMING_ROOT_MISMATCH",
    );
    const otherBlockView: Committed = {
      ...c,
      blockViewId: 0n,
      certificate: certificateOf(net, [0, 1, 2], signedBytes.commit(1n, c.blockHash, 0n)),
    };
    expect(code(first.block, otherBlockView)).toBe("CONSENSUS_BLOCK_MISMATCH");
    // L5: a certified block that does not apply is still refused.
    const broken: Block = {
      ...other.block,
      header: { ...other.block.header, stateRoot: new Uint8Array(32) },
    };
    const brokenHash = headerHash(broken.header);
    const certified: Committed = {
      ...c,
      blockHash: brokenHash,
      certificate: certificateOf(net, [0, 1, 2], signedBytes.commit(1n, brokenHash, 1n)),
      preparedCertificate: certificateOf(net, [0, 1, 2], signedBytes.prepare(1n, brokenHash, 1n)),
    };
    expect(code(broken, certified)).toBe("BLOCK_STATE_ROOT_MISMATCH");
  });

  // @covers FBFT-ON-COMMITTED.2
  it("finds the block among those it validated at the height after it left their view", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    // Member 3 sees only the announce of view 1 (it validates the block) and then the committed message.
    net.intercept = (e) => (e.to === 3 && e.message.type !== "announce" ? "hold" : "deliver");
    run(net);
    expect(apply(net, 3, { kind: "timeout", viewId: 1n }, "timeout")).toBeNull();
    const state = net.states[3]!;
    expect([state.view, state.proposal, state.lock, state.validated.size]).toEqual([2n, null, null, 1]);
    expect(apply(net, 3, deliver(heldFor(net, 3, "committed")), "committed")).toBeNull();
    expect(net.syncRequests[3]).toEqual([]);
    expect(net.finalized[3]!.map((f) => hex(headerHash(f.block.header)))).toEqual(
      net.finalized[0]!.map((f) => hex(headerHash(f.block.header))),
    );
  });

  // @covers FBFT-ON-COMMITTED.2
  it("finalizes a held block in any view, even while changing views", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = (e) => (e.message.type === "committed" && e.to === 3 ? "hold" : "deliver");
    run(net);
    expect(apply(net, 3, { kind: "timeout", viewId: 1n }, "timeout")).toBeNull();
    expect([net.states[3]!.view, net.states[3]!.mode]).toEqual([2n, "viewChanging"]);
    const committed = heldFor(net, 3, "committed");
    // Its certificate must be over the COMMIT bytes it names, and those must be the block's own.
    expect(resultCode(tryStep(net, 3, deliver({ ...committed, blockViewId: 0n })))).toBe("QC_BAD_SIGNATURE");
    const forged = certificateOf(net, [0, 1, 2], signedBytes.commit(1n, committed.blockHash, 0n));
    const misviewed = { ...committed, blockViewId: 0n, certificate: forged };
    expect(resultCode(tryStep(net, 3, deliver(misviewed)))).toBe("CONSENSUS_BLOCK_MISMATCH");
    expect(apply(net, 3, deliver(committed), "committed")).toBeNull();
    expect(net.finalized[3]!.map((f) => f.committed.viewId)).toEqual([1n]);
    // It was in view 2, after the deciding view 1: the next height starts in view 3.
    expect([net.states[3]!.ledger.head.number, net.states[3]!.view, net.states[3]!.mode]).toEqual([
      1n,
      3n,
      "normal",
    ]);
  });
});
