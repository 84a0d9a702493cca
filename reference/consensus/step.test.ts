import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  apply,
  bitmapOf,
  certificateOf,
  createNet,
  heldFor,
  leaderCrashedAfterPrepared,
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
import { blstBls } from "../crypto/bls/blst.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import type { ConsensusMessage } from "./messages.ts";
import type { ConsensusEvent, ConsensusState } from "./state.ts";
import { step } from "./step.ts";

const hex = bytesToHex;
const EQUAL_4 = [1n, 1n, 1n, 1n];

/**
 * QC-HEADER by hand: the child header's bitmap marks members holding more than two thirds of the power, and
 * its signature is their aggregate over COMMIT(parent number, parent hash, parent view), checked with the
 * pure back end on bytes built from the payload table.
 */
function expectCarriesCommitCertificate(net: Net, parent: Block, child: Block): void {
  const n = net.committee.members.length;
  const signers = signersOfBitmap(child.header.lastCommitBitmap, n);
  let power = 0n;
  for (const signer of signers) power += net.committee.members[signer]!.power;
  expect(3n * power > 2n * net.committee.totalPower).toBe(true);
  const keys = signers.map((signer) => net.committee.members[signer]!.publicKey);
  const bytes = signedBytes.commit(parent.header.number, headerHash(parent.header), parent.header.viewId);
  expect(unwrap(nobleBls.fastAggregateVerify(keys, bytes, child.header.lastCommitSignature))).toBe(true);
}

/** Every live member finalized the same blocks; returns the first member's list. */
function agreedChain(net: Net, members: readonly number[]): Block[] {
  const reference = net.finalized[members[0]!]!.map((f) => hex(headerHash(f.block.header)));
  for (const member of members) {
    expect(net.finalized[member]!.map((f) => hex(headerHash(f.block.header)))).toEqual(reference);
  }
  return net.finalized[members[0]!]!.map((f) => f.block);
}

describe("normal case", () => {
  // @covers FBFT-STATE.2 FBFT-EVENTS.5 FBFT-RECEIVE.3 FBFT-PROPOSE.4 FBFT-ON-ANNOUNCE.3 FBFT-ON-PREPARE.1
  // @covers FBFT-ON-PREPARED.2 FBFT-ON-COMMIT.1 FBFT-ON-COMMITTED.2 FBFT-FINALIZE.2 FBFT-VALIDATE-BLOCK.2
  it("decides block 1 at every member of four, in the first view, with a quorum certificate", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    run(net);
    const chain = agreedChain(net, [0, 1, 2, 3]);
    expect(chain.length).toBe(1);
    expect(chain[0]!.header.number).toBe(1n);
    expect(chain[0]!.header.viewId).toBe(1n);
    for (let i = 0; i < 4; i++) {
      const finalization = net.finalized[i]![0]!;
      expect(finalization.committed.viewId).toBe(1n);
      // The certificate each member finalized with is a commit certificate of block 1, by hand.
      const signers = signersOfBitmap(finalization.committed.certificate.bitmap, 4);
      expect(signers.length).toBeGreaterThanOrEqual(3);
      const keys = signers.map((s) => net.committee.members[s]!.publicKey);
      const bytes = signedBytes.commit(1n, headerHash(chain[0]!.header), 1n);
      expect(
        unwrap(nobleBls.fastAggregateVerify(keys, bytes, finalization.committed.certificate.signature)),
      ).toBe(true);
      // The next height starts in the view after the deciding one, in normal mode.
      expect(net.states[i]!.ledger.head.number).toBe(1n);
      expect(net.states[i]!.view).toBe(2n);
      expect(net.states[i]!.mode).toBe("normal");
    }
    // Messages of the round: one announce, three prepares, one prepared, three commits, one committed.
    expect(sentOfType(net, 0, "announce").length).toBe(1);
    expect([1, 2, 3].map((i) => sentOfType(net, i, "prepare").length)).toEqual([1, 1, 1]);
    expect(sentOfType(net, 0, "prepared").length).toBe(1);
    expect([1, 2, 3].map((i) => sentOfType(net, i, "commit").length)).toEqual([1, 1, 1]);
    expect(sentOfType(net, 0, "committed").length).toBe(1);
  });

  // @covers FBFT-PROPOSE.4 FBFT-FINALIZE.2 QC-HEADER.1
  it("rotates the leader every leaderTerm views and certifies block N in the header of block N + 1", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 7n });
    run(net);
    const chain = agreedChain(net, [0, 1, 2, 3]);
    expect(chain.map((b) => b.header.number)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    // One view per height, starting in view 1; LEADER(v) = (v div 2) mod 4, written out for views 1 … 7.
    expect(chain.map((b) => b.header.viewId)).toEqual([1n, 2n, 3n, 4n, 5n, 6n, 7n]);
    const expectedLeaders = [0, 1, 1, 2, 2, 3, 3];
    const proposers = chain.map((b) => {
      const who = [0, 1, 2, 3].filter((m) =>
        sentOfType(net, m, "announce").some((a) => a.blockNum === b.header.number),
      );
      expect(who.length).toBe(1);
      return who[0];
    });
    expect(proposers).toEqual(expectedLeaders);
    expect(chain[0]!.header.lastCommitBitmap.length).toBe(0);
    for (let i = 1; i < chain.length; i++) expectCarriesCommitCertificate(net, chain[i - 1]!, chain[i]!);
  });

  // @covers FBFT-ON-COMMIT.1 FBFT-QUORUM.1
  it("decides with seven members of which two are silent, not with three silent", () => {
    const net = createNet({ preset: MINIMAL, powers: Array(7).fill(1n), bls: blstBls, maxHeight: 2n });
    net.down.add(5);
    net.down.add(6);
    run(net);
    expect(agreedChain(net, [0, 1, 2, 3, 4]).length).toBe(2);

    const stalled = createNet({ preset: MINIMAL, powers: Array(7).fill(1n), bls: blstBls, maxHeight: 2n });
    for (const m of [4, 5, 6]) stalled.down.add(m);
    run(stalled);
    for (const m of [0, 1, 2, 3]) expect(stalled.finalized[m]!.length).toBe(0);
  });

  // @covers FBFT-QUORUM.1 FBFT-ON-PREPARE.1 FBFT-ON-COMMIT.1
  it("counts voting power, not members, in a weighted committee", () => {
    // Powers 1, 1, 1, 4: W = 7 and a quorum needs 3P > 14, so P ≥ 5.
    const withHeavy = createNet({ preset: MINIMAL, powers: [1n, 1n, 1n, 4n], bls: blstBls, maxHeight: 1n });
    withHeavy.down.add(1);
    withHeavy.down.add(2);
    run(withHeavy);
    // Two of four members (power 1 + 4 = 5) decide.
    expect(agreedChain(withHeavy, [0, 3]).length).toBe(1);
    expect(signersOfBitmap(withHeavy.finalized[0]![0]!.committed.certificate.bitmap, 4)).toEqual([0, 3]);

    const withoutHeavy = createNet({
      preset: MINIMAL,
      powers: [1n, 1n, 1n, 4n],
      bls: blstBls,
      maxHeight: 1n,
    });
    withoutHeavy.down.add(3);
    run(withoutHeavy);
    // Three of four members (power 3) do not: no prepared certificate forms.
    for (const m of [0, 1, 2]) expect(withoutHeavy.finalized[m]!.length).toBe(0);
    expect(sentOfType(withoutHeavy, 0, "prepared").length).toBe(0);
    const hash = sentOfType(withoutHeavy, 0, "announce")[0]!.blockHash;
    expect(withoutHeavy.states[0]!.prepares.power.get(hex(hash))).toBe(3n);
  });
});

/** A network of four in which the leader of view 1 has proposed block 1 and every message is held. */
function proposedRound(): { net: Net; announce: Extract<ConsensusMessage, { type: "announce" }> } {
  const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
  net.intercept = () => "hold";
  run(net);
  return { net, announce: heldFor(net, 1, "announce") };
}

function deliver(message: ConsensusMessage): ConsensusEvent {
  return { kind: "deliver", message };
}

describe("FBFT-RECEIVE rejections", () => {
  // @covers FBFT-RECEIVE.3
  it("rejects by shard, signer, bitmap length, height, view and addressee before any pairing", () => {
    const { net, announce } = proposedRound();
    expect(resultCode(tryStep(net, 1, deliver(announce)))).toBe(ACCEPTED);

    expect(resultCode(tryStep(net, 1, deliver({ ...announce, shardId: 0 })))).toBe("CONSENSUS_WRONG_SHARD");
    // A prepare whose signer is outside the committee of four; also with a wrong shard, the shard is named.
    const prepare = {
      type: "prepare" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      signer: 4,
      signature: announce.signature,
    };
    expect(resultCode(tryStep(net, 0, deliver(prepare)))).toBe("CONSENSUS_UNKNOWN_SIGNER");
    expect(resultCode(tryStep(net, 0, deliver({ ...prepare, shardId: 3 })))).toBe("CONSENSUS_WRONG_SHARD");
    // A certificate bitmap of two bytes for a committee of four (one byte).
    const cert = certificateOf(net, [0, 1, 2], signedBytes.prepare(1n, announce.blockHash, 1n));
    const prepared = {
      type: "prepared" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      block: announce.block,
      certificate: cert,
    };
    expect(resultCode(tryStep(net, 1, deliver(prepared)))).toBe(ACCEPTED);
    const longBitmap = { ...prepared, certificate: { ...cert, bitmap: new Uint8Array(2) } };
    expect(resultCode(tryStep(net, 1, deliver(longBitmap)))).toBe("BITMAP_LENGTH");
    // Heights: the node decides height 1; 1 + 8 is the last height it buffers, and a message beyond goes to
    // CATCH-UP, which authenticates it (see the test below).
    expect(resultCode(tryStep(net, 1, deliver({ ...announce, blockNum: 0n })))).toBe(
      "CONSENSUS_STALE_HEIGHT",
    );
    expect(resultCode(tryStep(net, 1, deliver({ ...announce, blockNum: 10n })))).toBe(
      "CONSENSUS_BAD_SIGNATURE",
    );
    const signedAt9 = signAs(net, 2, signedBytes.prepare(9n, announce.blockHash, 1n));
    const ahead = tryStep(net, 0, deliver({ ...prepare, signer: 2, blockNum: 9n, signature: signedAt9 }));
    expect(resultCode(ahead)).toBe(ACCEPTED);
    // Views: the node is in view 1 (turn 0); turn 32 (views 64, 65) passes L6 and fails its signature, turn
    // 33 is refused before it.
    expect(resultCode(tryStep(net, 1, deliver({ ...announce, viewId: 65n })))).toBe(
      "CONSENSUS_BAD_SIGNATURE",
    );
    expect(resultCode(tryStep(net, 1, deliver({ ...announce, viewId: 66n })))).toBe("CONSENSUS_VIEW_TOO_FAR");
    // A prepare or commit sent to a member that does not lead its view.
    expect(resultCode(tryStep(net, 1, deliver({ ...prepare, signer: 2 })))).toBe("CONSENSUS_NOT_LEADER");
    const commit = {
      type: "commit" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      blockViewId: 1n,
      signer: 2,
      signature: signAs(net, 2, signedBytes.commit(1n, announce.blockHash, 1n)),
    };
    expect(resultCode(tryStep(net, 3, deliver(commit)))).toBe("CONSENSUS_NOT_LEADER");
    expect(resultCode(tryStep(net, 0, deliver(commit)))).toBe(ACCEPTED);
  });

  // @covers FBFT-RECEIVE.3 FBFT-CATCH-UP.2 FBFT-BUFFER.1
  it("beyond the height window, takes only the first authentic message of a height, of any type, to sync", () => {
    const { net, announce } = proposedRound();
    const far = 10n;
    const committed = {
      type: "committed" as const,
      shardId: 1,
      blockNum: far,
      viewId: 4n,
      blockHash: announce.blockHash,
      blockViewId: 3n,
      certificate: certificateOf(net, [0, 1, 2], signedBytes.commit(far, announce.blockHash, 3n)),
      preparedCertificate: certificateOf(net, [1, 2, 3], signedBytes.prepare(far, announce.blockHash, 4n)),
    };
    const vote = {
      type: "prepare" as const,
      shardId: 1,
      blockNum: far,
      viewId: 4n,
      blockHash: announce.blockHash,
      signer: 2,
      signature: signAs(net, 2, signedBytes.prepare(far, announce.blockHash, 4n)),
    };
    // Forged messages prove nothing: refused with their codes, nothing asked.
    const short = {
      ...committed,
      certificate: certificateOf(net, [0, 1], signedBytes.commit(far, announce.blockHash, 3n)),
    };
    expect(resultCode(tryStep(net, 1, deliver(short)))).toBe("QC_INSUFFICIENT_QUORUM");
    expect(resultCode(tryStep(net, 1, deliver({ ...vote, signer: 3 })))).toBe("CONSENSUS_BAD_SIGNATURE");

    // One member's authentic vote, addressed to another leader, is proof enough: the blocks are checked on sync.
    const taken = tryStep(net, 1, deliver(vote));
    if (!taken.ok) throw taken.error;
    expect(taken.value.outputs).toEqual([{ kind: "syncNeeded", blockNum: 1n }]);
    expect(net.states[1]!.syncAsked).toBeNull();
    expect({ ...taken.value.state, syncAsked: null }).toEqual(net.states[1]);
    expect(taken.value.state.syncAsked).toBe(1n);
    // Once asked at this height, the next far message is refused before any pairing, even a committed one.
    net.states[1] = taken.value.state;
    expect(resultCode(tryStep(net, 1, deliver(committed)))).toBe("CONSENSUS_HEIGHT_TOO_FAR");
  });

  // @covers FBFT-RECEIVE.3
  it("rejects a message of a view the node has left", () => {
    const { net, announce } = proposedRound();
    expect(apply(net, 1, { kind: "timeout", viewId: 1n }, "timeout")).toBeNull();
    expect(net.states[1]!.view).toBe(2n);
    expect(resultCode(tryStep(net, 1, deliver(announce)))).toBe("CONSENSUS_STALE_VIEW");
  });

  // @covers FBFT-RECEIVE.3 MSG-RLP.2
  it("rejects a message outside the domains of MSG-RLP.2 before anything else", () => {
    const { net, announce } = proposedRound();
    const code = resultCode(
      tryStep(net, 1, deliver({ ...announce, shardId: 1, blockHash: new Uint8Array(31) })),
    );
    expect(code).toBe("MSG_FIELD_INVALID");
    expect(resultCode(tryStep(net, 1, deliver({ ...announce, viewId: -1n })))).toBe("MSG_FIELD_INVALID");
  });

  // @covers FBFT-RECEIVE.3
  it("authenticates every signature: the leader's, a voter's, a certificate's", () => {
    const { net, announce } = proposedRound();
    // An announce signed by member 1, not by the leader of view 1.
    const forged = {
      ...announce,
      signature: signAs(net, 1, signedBytes.prepare(1n, announce.blockHash, 1n)),
    };
    expect(resultCode(tryStep(net, 2, deliver(forged)))).toBe("CONSENSUS_BAD_SIGNATURE");
    // A prepare whose signature is member 2's, claimed by member 3.
    const prepare = {
      type: "prepare" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      signer: 3,
      signature: signAs(net, 2, signedBytes.prepare(1n, announce.blockHash, 1n)),
    };
    expect(resultCode(tryStep(net, 0, deliver(prepare)))).toBe("CONSENSUS_BAD_SIGNATURE");
    // A signature that is not a point: its BLS code.
    const garbage = { ...prepare, signature: new Uint8Array(96).fill(0xff) };
    expect(resultCode(tryStep(net, 0, deliver(garbage)))).toMatch(/^BLS_/);
    // A short certificate: two of four signed; refused on the quorum before any pairing.
    const short = certificateOf(net, [0, 1], signedBytes.prepare(1n, announce.blockHash, 1n));
    const prepared = {
      type: "prepared" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      block: announce.block,
      certificate: short,
    };
    expect(resultCode(tryStep(net, 2, deliver(prepared)))).toBe("QC_INSUFFICIENT_QUORUM");
    // A committed message: its block view is not above its view, then the commit certificate, then the
    // prepared certificate of its view.
    const commitCert = certificateOf(net, [0, 1, 2], signedBytes.commit(1n, announce.blockHash, 1n));
    const preparedCert = certificateOf(net, [1, 2, 3], signedBytes.prepare(1n, announce.blockHash, 1n));
    const committed = {
      type: "committed" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      blockViewId: 1n,
      certificate: commitCert,
      preparedCertificate: preparedCert,
    };
    expect(resultCode(tryStep(net, 2, deliver(committed)))).toBe(ACCEPTED);
    const raised = { ...committed, blockViewId: 2n, certificate: short, preparedCertificate: short };
    expect(resultCode(tryStep(net, 2, deliver(raised)))).toBe("CONSENSUS_FIELD_INVALID");
    expect(resultCode(tryStep(net, 2, deliver({ ...committed, certificate: preparedCert })))).toBe(
      "QC_BAD_SIGNATURE",
    );
    expect(resultCode(tryStep(net, 2, deliver({ ...committed, preparedCertificate: short })))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
    // A prepared certificate of another view does not prove that the block was prepared in this one.
    const otherView = certificateOf(net, [1, 2, 3], signedBytes.prepare(1n, announce.blockHash, 2n));
    expect(resultCode(tryStep(net, 2, deliver({ ...committed, preparedCertificate: otherView })))).toBe(
      "QC_BAD_SIGNATURE",
    );
    // A commit whose block view is above its view is malformed, before its signature is checked.
    const commit = {
      type: "commit" as const,
      shardId: 1,
      blockNum: 1n,
      viewId: 1n,
      blockHash: announce.blockHash,
      blockViewId: 1n,
      signer: 2,
      signature: signAs(net, 2, signedBytes.commit(1n, announce.blockHash, 1n)),
    };
    expect(resultCode(tryStep(net, 0, deliver(commit)))).toBe(ACCEPTED);
    const laterBlock = {
      ...commit,
      blockViewId: 2n,
      signature: signAs(net, 2, signedBytes.commit(1n, announce.blockHash, 2n)),
    };
    expect(resultCode(tryStep(net, 0, deliver(laterBlock)))).toBe("CONSENSUS_FIELD_INVALID");
  });

  // @covers FBFT-ON-ANNOUNCE.3 FBFT-ON-PREPARE.1 VOTE-KEEPER.1
  it("refuses the same announce and the same prepare twice", () => {
    const { net, announce } = proposedRound();
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    expect(resultCode(tryStep(net, 1, deliver(announce)))).toBe("CONSENSUS_DUPLICATE");
    const prepare = sentOfType(net, 1, "prepare")[0]!;
    expect(apply(net, 0, deliver(prepare), "prepare")).toBeNull();
    expect(resultCode(tryStep(net, 0, deliver(prepare)))).toBe("VOTE_DUPLICATE");
  });

  // @covers FBFT-RECEIVE.3
  it("reports a decided height as stale once the node has moved on", () => {
    const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 1n });
    net.intercept = (e) => (e.message.type === "announce" && e.to === 1 ? "hold" : "deliver");
    run(net);
    const announce = heldFor(net, 1, "announce");
    expect(net.states[1]!.ledger.head.number).toBe(1n);
    expect(resultCode(tryStep(net, 1, deliver(announce)))).toBe("CONSENSUS_STALE_HEIGHT");
    net.intercept = () => "deliver";
    release(net);
    expect(net.rejections).toContainEqual({ member: 1, code: "CONSENSUS_STALE_HEIGHT", what: "announce" });
  });
});

/** A deep copy, to show that STEP never writes into the state it is given. */
function snapshot(state: ConsensusState): ConsensusState {
  return structuredClone(state);
}

describe("STEP never throws", () => {
  // Real messages of every type, from a run with a view change that re-proposes a prepared block.
  function messagePool(): { pool: ConsensusMessage[]; finalized: Net["finalized"][number] } {
    const { net } = leaderCrashedAfterPrepared(blstBls, MINIMAL);
    const pool: ConsensusMessage[] = [];
    for (let m = 0; m < 4; m++) for (const sent of net.sent[m]!) pool.push(sent.message);
    expect(new Set(pool.map((m) => m.type)).size).toBe(7);
    return { pool, finalized: net.finalized[1]! };
  }

  // @covers FBFT-EVENTS.5 FBFT-RECEIVE.3
  it("answers random events on a live state with a result, never writing into its input", () => {
    const { pool, finalized } = messagePool();
    const { net, announce } = proposedRound();
    expect(apply(net, 1, deliver(announce), "announce")).toBeNull();
    const live = net.states[1]!;
    const config = net.configs[1]!;

    const mutated = fc
      .record({
        base: fc.constantFrom(...pool),
        field: fc.constantFrom("none", "shardId", "blockNum", "viewId", "signer", "bytes", "bitmap"),
        value: fc.nat({ max: 90 }),
      })
      .map(({ base, field, value }): ConsensusMessage => {
        const m = base as ConsensusMessage & Record<string, unknown>;
        switch (field) {
          case "shardId":
            return { ...base, shardId: value % 3 };
          case "blockNum":
            return { ...base, blockNum: BigInt(value % 12) };
          case "viewId":
            return { ...base, viewId: BigInt(value) };
          case "signer":
            return "signer" in base ? ({ ...base, signer: value % 6 } as ConsensusMessage) : base;
          case "bytes": {
            for (const key of ["signature", "blockHash", "m3Signature", "block"]) {
              const bytes = m[key];
              if (bytes instanceof Uint8Array && bytes.length > 0) {
                const copy = bytes.slice();
                copy[value % copy.length] = copy[value % copy.length]! ^ 0x01;
                return { ...base, [key]: copy } as ConsensusMessage;
              }
            }
            return base;
          }
          case "bitmap":
            if (base.type === "prepared" || base.type === "committed") {
              return { ...base, certificate: { ...base.certificate, bitmap: bitmapOf(4, [value % 4]) } };
            }
            if (base.type === "newView")
              return { ...base, m3: { ...base.m3, bitmap: bitmapOf(4, [value % 4]) } };
            return base;
          default:
            return base;
        }
      });
    const event: fc.Arbitrary<ConsensusEvent> = fc.oneof(
      { weight: 6, arbitrary: mutated.map((message) => ({ kind: "deliver" as const, message })) },
      { weight: 1, arbitrary: fc.bigInt(0n, 12n).map((viewId) => ({ kind: "timeout" as const, viewId })) },
      {
        weight: 1,
        arbitrary: fc
          .record({ viewId: fc.bigInt(0n, 6n), time: fc.bigInt(0n, 50n) })
          .map(({ viewId, time }) => ({
            kind: "propose" as const,
            viewId,
            transactions: [],
            crossLinks: [],
            incoming: [],
            time,
          })),
      },
      {
        weight: 1,
        arbitrary: fc
          .record({ certified: fc.boolean(), bit: fc.nat({ max: 3 }) })
          .map(({ certified, bit }) => {
            const { block, committed } = finalized[0]!;
            const certificate = certified
              ? committed.certificate
              : { ...committed.certificate, bitmap: bitmapOf(4, [bit]) };
            return { kind: "syncBlock" as const, block, committed: { ...committed, certificate } };
          }),
      },
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 6 }), (events) => {
        let state = live;
        for (const e of events) {
          const before = snapshot(state);
          const result = step(config, state, e);
          expect(state).toStrictEqual(before);
          if (result.ok) state = result.value.state;
          else expect(result.error.code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/);
        }
      }),
      { numRuns: 60 },
    );
  });
});
