import { describe, expect, it } from "vitest";
import {
  announceOf,
  apply,
  bitmapOf,
  blockOn,
  certificateOf,
  createNet,
  fireTimers,
  heldFor,
  leaderCrashedAfterPrepared,
  type Net,
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
import { type Block, encodeBlock } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import type { Certificate } from "./certificate.ts";
import type { NewView, PreparedGroup, ViewChange } from "./messages.ts";
import { selectRequests } from "./newView.ts";
import type { ConsensusConfig } from "./state.ts";

const hex = bytesToHex;

describe("view change after a prepared certificate (M1)", () => {
  // @covers VIEW-START.2 VIEW-NEWVIEW-BUILD.2 VIEW-CHECK-NEWVIEW.2 VIEW-ON-NEWVIEW.1 FBFT-ON-PREPARED.2
  it("re-proposes the prepared block in the new view, where it is decided", () => {
    const { net, hash } = leaderCrashedAfterPrepared(blstBls, MINIMAL, 2n);
    expect(net.rejections).toEqual([]);
    // Member 2 holds the certificate of view 1 and claims it; the others claim nothing.
    const claims = [1, 2, 3].map((m) => sentOfType(net, m, "viewChange")[0]!.claim);
    expect(claims.map((c) => c.kind)).toEqual(["nil", "prepared", "nil"]);
    const m1 = claims[1]! as Extract<ViewChange["claim"], { kind: "prepared" }>;
    expect([m1.preparedViewId, hex(m1.preparedHash)]).toEqual([1n, hex(hash)]);
    const preparedOfView1 = sentOfType(net, 0, "prepared")[0]!;
    expect(m1.preparedCertificate).toEqual(preparedOfView1.certificate);
    // The new view accounts for every member of the M3 quorum: M2 for 1 and 3, one group claimed by 2.
    const newView = sentOfType(net, 1, "newView")[0]!;
    expect(signersOfBitmap(newView.m3.bitmap, 4)).toEqual([1, 2, 3]);
    expect(signersOfBitmap(newView.m2!.bitmap, 4)).toEqual([1, 3]);
    expect(newView.m1.length).toBe(1);
    expect([newView.m1[0]!.preparedViewId, hex(newView.m1[0]!.preparedHash)]).toEqual([1n, hex(hash)]);
    expect(signersOfBitmap(newView.m1[0]!.claims.bitmap, 4)).toEqual([2]);
    // Member 2 committed the block to the leader of view 1, and sends the same vote again to the leader of
    // view 2 once the block is prepared there: one COMMIT, not a second one.
    const commits = sentOfType(net, 2, "commit").filter((c) => c.blockNum === 1n);
    expect(commits.map((c) => [c.viewId, c.blockViewId, hex(c.blockHash)])).toEqual([
      [1n, 1n, hex(hash)],
      [2n, 1n, hex(hash)],
    ]);
    expect(hex(commits[1]!.signature)).toBe(hex(commits[0]!.signature));
    // The leader of view 2 re-proposed the block at once (its driver was never asked for a fresh one).
    const reproposals = sentOfType(net, 1, "announce").filter((a) => a.blockNum === 1n);
    expect(reproposals.map((a) => [a.viewId, hex(a.blockHash)])).toEqual([[2n, hex(hash)]]);
    // Block 1 is the block of view 1, decided in view 2; block 2 follows in view 3 and certifies block 1
    // under its header view 1.
    for (const m of [1, 2, 3]) {
      const finalized = net.finalized[m]!;
      expect(finalized.map((f) => [hex(headerHash(f.block.header)), f.committed.viewId])).toEqual([
        [hex(hash), 2n],
        [hex(headerHash(finalized[1]!.block.header)), 3n],
      ]);
    }
    const [first, second] = net.finalized[1]!.map((f) => f.block) as [Block, Block];
    expect(first.header.viewId).toBe(1n);
    const signers = signersOfBitmap(second.header.lastCommitBitmap, 4);
    expect(signers.length).toBeGreaterThanOrEqual(3);
    const keys = signers.map((s) => net.committee.members[s]!.publicKey);
    const bytes = signedBytes.commit(1n, hash, 1n);
    expect(unwrap(nobleBls.fastAggregateVerify(keys, bytes, second.header.lastCommitSignature))).toBe(true);
  });

  // @covers FBFT-ON-ANNOUNCE.3 VIEW-ON-NEWVIEW.1
  it("accepts no other block in a view that must re-propose one", () => {
    const { net, hash } = leaderCrashedAfterPrepared(blstBls, MINIMAL, 1n, (e) =>
      e.message.type === "announce" && e.to === 3 ? "hold" : "deliver",
    );
    expect(hex(net.states[3]!.required!)).toBe(hex(hash));
    const other = blockOn(net, net.states[3]!.ledger, 5n, 2n);
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: announceOf(net, 1, 2n, other) }))).toBe(
      "VIEW_NOT_REPROPOSED",
    );
    expect(resultCode(tryStep(net, 3, { kind: "deliver", message: heldFor(net, 3, "announce") }))).toBe(
      ACCEPTED,
    );
  });
});

/** A prepared claim's parts. */
interface ClaimOf {
  readonly view: bigint;
  readonly proposed: { readonly bytes: Uint8Array; readonly hash: Uint8Array };
  readonly certificate: Certificate;
}

/** Member `signer`'s request for view 2 at height 1, claiming nothing or the given certificate. */
function requestOf(net: Net, signer: number, claim: ClaimOf | null): ViewChange {
  return {
    type: "viewChange",
    shardId: 1,
    blockNum: 1n,
    viewId: 2n,
    signer,
    m3Signature: signAs(net, signer, signedBytes.m3(1n, 2n)),
    claim:
      claim === null
        ? { kind: "nil", signature: signAs(net, signer, signedBytes.m2(1n, 2n)) }
        : {
            kind: "prepared",
            preparedViewId: claim.view,
            preparedHash: claim.proposed.hash,
            preparedBlock: claim.proposed.bytes,
            preparedCertificate: claim.certificate,
            signature: signAs(net, signer, signedBytes.m1(1n, 2n, claim.view, claim.proposed.hash)),
          },
  };
}

/** Four members with a silent leader of view 1, and two blocks of height 1 with forged prepared certificates. */
function forgedClaims() {
  const net = createNet({ preset: MINIMAL, powers: [1n, 1n, 1n, 1n], bls: blstBls, maxHeight: 1n });
  net.down.add(0);
  run(net);
  const ledger = net.states[1]!.ledger;
  const a = blockOn(net, ledger, 2n, 1n);
  const b = blockOn(net, ledger, 3n, 1n);
  const claimA: ClaimOf = {
    view: 1n,
    proposed: a,
    certificate: certificateOf(net, [0, 1, 2], signedBytes.prepare(1n, a.hash, 1n)),
  };
  const claimB: ClaimOf = {
    view: 1n,
    proposed: b,
    certificate: certificateOf(net, [0, 1, 3], signedBytes.prepare(1n, b.hash, 1n)),
  };
  const claimB0: ClaimOf = {
    view: 0n,
    proposed: b,
    certificate: certificateOf(net, [0, 2, 3], signedBytes.prepare(1n, b.hash, 0n)),
  };
  return { net, a, b, claimA, claimB, claimB0 };
}

describe("TRY-NEW-VIEW", () => {
  // @covers VIEW-NEWVIEW-BUILD.2 VIEW-ON-NEWVIEW.1
  it("groups claims by certificate in ascending view and re-proposes the highest", () => {
    const { net, a, claimA, claimB0 } = forgedClaims();
    net.intercept = () => "hold";
    fireTimers(net, [1]);
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 3, claimB0) }, "viewChange")).toBeNull();
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 2, claimA) }, "viewChange")).toBeNull();
    const newView = sentOfType(net, 1, "newView")[0]!;
    expect(signersOfBitmap(newView.m2!.bitmap, 4)).toEqual([1]);
    expect(newView.m1.map((g) => [g.preparedViewId, signersOfBitmap(g.claims.bitmap, 4)])).toEqual([
      [0n, [3]],
      [1n, [2]],
    ]);
    expect(newView.m1[1]!.preparedCertificate).toEqual(claimA.certificate);
    const announce = sentOfType(net, 1, "announce")[0]!;
    expect([announce.viewId, hex(announce.blockHash), hex(announce.block)]).toEqual([
      2n,
      hex(a.hash),
      hex(a.bytes),
    ]);
    expect(net.states[1]!.mode).toBe("normal");
  });

  // @covers VIEW-NEWVIEW-BUILD.2 MSG-RLP.2
  it("selects whole groups by power to keep a new view within 64 groups, and every request below that", () => {
    const n = 100;
    const config = {
      committee: { members: Array.from({ length: n }, () => ({ power: 1n })), totalPower: BigInt(n) },
    } as unknown as ConsensusConfig;
    const signature = new Uint8Array(96);
    const request = (signer: number, view: bigint | null): ViewChange => ({
      type: "viewChange",
      shardId: 1,
      blockNum: 1n,
      viewId: 200n,
      signer,
      m3Signature: signature,
      claim:
        view === null
          ? { kind: "nil", signature }
          : {
              kind: "prepared",
              preparedViewId: view,
              preparedHash: new Uint8Array(32).fill(Number(view)),
              preparedBlock: new Uint8Array(0),
              preparedCertificate: { signature, bitmap: new Uint8Array(13) },
              signature,
            },
    });
    // 66 claimed certificates: views 1–64 claimed by one member each, view 65 by two and view 66 by three;
    // ten members claim nothing.
    const requests: ViewChange[] = [];
    let signer = 0;
    for (let view = 1n; view <= 64n; view++) requests.push(request(signer++, view));
    for (let i = 0; i < 2; i++) requests.push(request(signer++, 65n));
    for (let i = 0; i < 3; i++) requests.push(request(signer++, 66n));
    for (let i = 0; i < 10; i++) requests.push(request(signer++, null));
    const kept = selectRequests(config, requests);
    const views = new Set(kept.flatMap((r) => (r.claim.kind === "prepared" ? [r.claim.preparedViewId] : [])));
    // The two groups with most power, then the lowest views among the single claims: 62 of them.
    expect(views.size).toBe(64);
    expect([...views].sort((x, y) => Number(x - y))).toEqual([
      ...Array.from({ length: 62 }, (_, i) => BigInt(i + 1)),
      65n,
      66n,
    ]);
    expect(kept.length).toBe(62 + 2 + 3 + 10);
    expect(kept.filter((r) => r.claim.kind === "nil").length).toBe(10);
    // At 64 groups or fewer every request is kept.
    const fewer = requests.filter((r) => r.claim.kind === "nil" || r.claim.preparedViewId > 2n);
    expect(selectRequests(config, fewer)).toEqual(fewer);
  });

  // @covers VIEW-NEWVIEW-BUILD.2
  it("sends no new view whose two highest claims are for different blocks", () => {
    const { net, claimA, claimB } = forgedClaims();
    net.intercept = () => "hold";
    fireTimers(net, [1]);
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 2, claimA) }, "viewChange")).toBeNull();
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 3, claimB) }, "viewChange")).toBeNull();
    expect(sentOfType(net, 1, "newView")).toEqual([]);
    expect(net.states[1]!.mode).toBe("viewChanging");
  });

  // @covers VIEW-ON-NEWVIEW.1 FBFT-VALIDATE-BLOCK.2
  it("does not propose a required block that fails validation, and waits for the timeout", () => {
    const { net, a } = forgedClaims();
    const broken: Block = { ...a.block, header: { ...a.block.header, stateRoot: new Uint8Array(32) } };
    const proposed = { bytes: encodeBlock(broken), hash: headerHash(broken.header) };
    const claim: ClaimOf = {
      view: 1n,
      proposed,
      certificate: certificateOf(net, [0, 2, 3], signedBytes.prepare(1n, proposed.hash, 1n)),
    };
    net.intercept = () => "hold";
    fireTimers(net, [1]);
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 2, claim) }, "viewChange")).toBeNull();
    expect(apply(net, 1, { kind: "deliver", message: requestOf(net, 3, null) }, "viewChange")).toBeNull();
    expect(sentOfType(net, 1, "newView").length).toBe(1);
    expect(sentOfType(net, 1, "announce")).toEqual([]);
    const state = net.states[1]!;
    expect([state.view, state.mode, hex(state.required!), state.proposal]).toEqual([
      2n,
      "normal",
      hex(proposed.hash),
      null,
    ]);
  });
});

describe("VIEW-CHECK-NEWVIEW", () => {
  /** Member 3 in view 2, changing views; the leader's new view held from it. */
  function waitingMember() {
    const forged = forgedClaims();
    const { net } = forged;
    net.intercept = (e) => (e.message.type === "newView" ? "hold" : "deliver");
    fireTimers(net, [1, 2, 3]);
    expect([net.states[3]!.view, net.states[3]!.mode]).toEqual([2n, "viewChanging"]);
    return forged;
  }

  function newViewOf(m3: Certificate, m2: Certificate | null, m1: PreparedGroup[]): NewView {
    return { type: "newView", shardId: 1, blockNum: 1n, viewId: 2n, m3, m2, m1 };
  }

  function groupOf(net: Net, claim: ClaimOf, claimants: readonly number[]): PreparedGroup {
    return {
      preparedViewId: claim.view,
      preparedHash: claim.proposed.hash,
      preparedCertificate: claim.certificate,
      claims: certificateOf(net, claimants, signedBytes.m1(1n, 2n, claim.view, claim.proposed.hash)),
    };
  }

  // @covers VIEW-CHECK-NEWVIEW.2 VIEW-ON-NEWVIEW.1
  it("accepts a complete new view and names the block of the highest claim", () => {
    const { net, a, claimA, claimB0 } = waitingMember();
    const m3 = certificateOf(net, [1, 2, 3], signedBytes.m3(1n, 2n));
    const nilOnly = newViewOf(m3, certificateOf(net, [1, 2, 3], signedBytes.m2(1n, 2n)), []);
    const accepted = tryStep(net, 3, { kind: "deliver", message: nilOnly });
    expect(accepted.ok && accepted.value.state.required).toBeNull();
    const withClaims = newViewOf(m3, certificateOf(net, [1], signedBytes.m2(1n, 2n)), [
      groupOf(net, claimB0, [3]),
      groupOf(net, claimA, [2]),
    ]);
    const result = tryStep(net, 3, { kind: "deliver", message: withClaims });
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect([result.value.state.view, result.value.state.mode]).toEqual([2n, "normal"]);
      expect(hex(result.value.state.required!)).toBe(hex(a.hash));
    }
  });

  // @covers VIEW-CHECK-NEWVIEW.2
  it("names the first failing check", () => {
    const { net, claimA, claimB } = waitingMember();
    const m3 = certificateOf(net, [1, 2, 3], signedBytes.m3(1n, 2n));
    const m2of = (signers: number[]) => certificateOf(net, signers, signedBytes.m2(1n, 2n));
    const code = (m: NewView) => resultCode(tryStep(net, 3, { kind: "deliver", message: m }));
    const gA = groupOf(net, claimA, [3]);

    expect(code(newViewOf(certificateOf(net, [1, 2], signedBytes.m3(1n, 2n)), m2of([1, 2]), []))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
    expect(code(newViewOf(m3, { signature: m2of([1]).signature, bitmap: bitmapOf(4, []) }, []))).toBe(
      "VIEW_EMPTY_CLAIMS",
    );
    expect(code(newViewOf(m3, certificateOf(net, [1, 2, 3], signedBytes.m2(1n, 4n)), []))).toBe(
      "QC_BAD_SIGNATURE",
    );
    expect(code(newViewOf(m3, m2of([1, 2]), []))).toBe("VIEW_CLAIMS_MISSING");
    expect(code(newViewOf(m3, null, []))).toBe("VIEW_CLAIMS_MISSING");
    expect(code(newViewOf(m3, m2of([1, 2]), [gA]))).toBe(ACCEPTED);
    expect(code(newViewOf(m3, m2of([1, 2]), [{ ...gA, preparedViewId: 2n }]))).toBe(
      "VIEW_PREPARED_VIEW_INVALID",
    );
    expect(code(newViewOf(m3, m2of([1, 2]), [gA, gA]))).toBe("VIEW_DUPLICATE_GROUP");
    const shortCert = certificateOf(net, [0, 1], signedBytes.prepare(1n, claimA.proposed.hash, 1n));
    expect(code(newViewOf(m3, m2of([1, 2]), [{ ...gA, preparedCertificate: shortCert }]))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
    const noClaimants = { ...gA, claims: { signature: gA.claims.signature, bitmap: bitmapOf(4, []) } };
    expect(code(newViewOf(m3, m2of([1, 2]), [noClaimants]))).toBe("VIEW_EMPTY_CLAIMS");
    const wrongClaims = {
      ...gA,
      claims: certificateOf(net, [3], signedBytes.m1(1n, 4n, 1n, claimA.proposed.hash)),
    };
    expect(code(newViewOf(m3, m2of([1, 2]), [wrongClaims]))).toBe("QC_BAD_SIGNATURE");
    // Two certificates of view 1 for different blocks: refused, whichever comes first.
    expect(code(newViewOf(m3, m2of([1]), [groupOf(net, claimA, [2]), groupOf(net, claimB, [3])]))).toBe(
      "VIEW_CONFLICTING_PREPARED",
    );
    expect(code(newViewOf(m3, m2of([1]), [groupOf(net, claimB, [3]), groupOf(net, claimA, [2])]))).toBe(
      "VIEW_CONFLICTING_PREPARED",
    );
  });
});
