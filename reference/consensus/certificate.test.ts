import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { malformedPoint } from "../../tools/testing/blsSamples.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { unwrap } from "../errors.ts";
import { genesisLedger } from "../ledger/genesis.ts";
import { type BlockHeader, headerHash } from "../ledger/header.ts";
import { MINIMAL } from "../params/presets.ts";
import {
  aggregateCertificate,
  type Certificate,
  verifyCertificate,
  verifyClaimAggregate,
  verifyHeaderCertificate,
  verifyVoteSignature,
} from "./certificate.ts";
import { type Committee, checkCommittee, genesisValidatorSecretKey } from "./committee.ts";
import { preparePayload } from "./payloads.ts";

const SECRET_KEYS = Array.from({ length: 7 }, (_, i) => genesisValidatorSecretKey(0, i));
const PUBLIC_KEYS = SECRET_KEYS.map((sk) => unwrap(blstBls.secretToPublic(sk)));

function committeeOf(powers: readonly bigint[]): Committee {
  return unwrap(
    checkCommittee(
      powers.map((power, i) => ({ publicKey: PUBLIC_KEYS[i]!, power })),
      blstBls,
    ),
  );
}

function sign(signer: number, payload: Uint8Array): Uint8Array {
  return unwrap(blstBls.sign(SECRET_KEYS[signer]!, payload));
}

/** The certificate of `signers` over `payload`, assembled from the BLS primitives (not QC-AGGREGATE). */
function certificateOf(signers: readonly number[], payload: Uint8Array, size: number): Certificate {
  const bitmap = new Uint8Array(Math.ceil(size / 8));
  for (const s of signers) bitmap[s >> 3] = bitmap[s >> 3]! | (1 << (s & 7));
  const signature = unwrap(blstBls.aggregateSignatures(signers.map((s) => sign(s, payload))));
  return { signature, bitmap };
}

const HASH = new Uint8Array(32).fill(0x5a);
const PAYLOAD = preparePayload(1n, HASH, 4n);
const EQUAL = committeeOf([1n, 1n, 1n, 1n]);

describe("QC-AGGREGATE", () => {
  // @covers QC-FORMAT.1
  it("aggregates the votes' signatures and marks their signers LSB-first", () => {
    const votes = [3, 0, 2].map((signer) => ({ signer, signature: sign(signer, PAYLOAD) }));
    const cert = unwrap(aggregateCertificate(votes, 4, blstBls));
    expect(Array.from(cert.bitmap)).toEqual([0b1101]);
    expect(cert).toEqual(certificateOf([0, 2, 3], PAYLOAD, 4));
    expect(unwrap(aggregateCertificate(votes, 4, nobleBls))).toEqual(cert);
  });

  // @covers QC-FORMAT.1
  it("rejects no votes, a repeated signer and a signer outside the committee", () => {
    const vote = (signer: number) => ({ signer, signature: sign(signer, PAYLOAD) });
    expect(resultCode(aggregateCertificate([], 4, blstBls))).toBe("BLS_AGGREGATE_EMPTY");
    expect(resultCode(aggregateCertificate([vote(1), vote(1)], 4, blstBls))).toBe("BITMAP_INDEX_DUPLICATE");
    expect(resultCode(aggregateCertificate([vote(4)], 4, blstBls))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
  });
});

describe("QC-VERIFY", () => {
  // @covers QC-VERIFY.1
  it("accepts a quorum's certificate and returns its signers ascending", () => {
    const cert = certificateOf([3, 1, 0], PAYLOAD, 4);
    expect(unwrap(verifyCertificate(cert, PAYLOAD, EQUAL, nobleBls))).toEqual([0, 1, 3]);
    expect(unwrap(verifyCertificate(cert, PAYLOAD, EQUAL, blstBls))).toEqual([0, 1, 3]);
  });

  // @covers QC-VERIFY.1 FBFT-QUORUM.1
  it("counts power, not members", () => {
    // W = 8: members 1–3 are three of four members but hold 3 (9 ≤ 16); members 0–1 are two of four but hold 6.
    const weighted = committeeOf([5n, 1n, 1n, 1n]);
    expect(
      resultCode(verifyCertificate(certificateOf([1, 2, 3], PAYLOAD, 4), PAYLOAD, weighted, blstBls)),
    ).toBe("QC_INSUFFICIENT_QUORUM");
    expect(unwrap(verifyCertificate(certificateOf([0, 1], PAYLOAD, 4), PAYLOAD, weighted, blstBls))).toEqual([
      0, 1,
    ]);
  });

  // @covers QC-VERIFY.1 FBFT-QUORUM.1
  it("refuses the exact boundary 3P = 2W", () => {
    const weighted = committeeOf([2n, 1n, 1n, 2n]); // W = 6; {0, 1, 2} hold 4: 12 = 12
    expect(
      resultCode(verifyCertificate(certificateOf([0, 1, 2], PAYLOAD, 4), PAYLOAD, weighted, blstBls)),
    ).toBe("QC_INSUFFICIENT_QUORUM");
    expect(
      resultCode(verifyCertificate(certificateOf([0, 1, 3], PAYLOAD, 4), PAYLOAD, weighted, blstBls)),
    ).toBe(ACCEPTED);
    expect(resultCode(verifyCertificate(certificateOf([0, 1], PAYLOAD, 4), PAYLOAD, EQUAL, blstBls))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
  });

  // @covers QC-VERIFY.1
  it("checks the bitmap, then the quorum, then the signature", () => {
    const good = certificateOf([0, 1, 2], PAYLOAD, 4);
    const otherPayload = preparePayload(1n, HASH, 5n);
    const short = certificateOf([0, 1], PAYLOAD, 4);
    const garbage = malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", good.signature);
    const cases: readonly [string, Certificate, Uint8Array][] = [
      ["BITMAP_LENGTH", { signature: garbage, bitmap: new Uint8Array(2) }, PAYLOAD],
      ["BITMAP_STRAY_BITS", { signature: garbage, bitmap: Uint8Array.from([0x17]) }, PAYLOAD],
      ["QC_INSUFFICIENT_QUORUM", { signature: garbage, bitmap: short.bitmap }, PAYLOAD],
      ["QC_INSUFFICIENT_QUORUM", { signature: good.signature, bitmap: new Uint8Array(1) }, PAYLOAD],
      ["QC_BAD_SIGNATURE", good, otherPayload],
      ["QC_BAD_SIGNATURE", { signature: good.signature, bitmap: Uint8Array.from([0b1011]) }, PAYLOAD],
      ["BLS_POINT_NOT_ON_CURVE", { signature: garbage, bitmap: good.bitmap }, PAYLOAD],
      [ACCEPTED, good, PAYLOAD],
    ];
    for (const [expected, cert, payload] of cases) {
      expect(resultCode(verifyCertificate(cert, payload, EQUAL, blstBls))).toBe(expected);
      expect(resultCode(verifyCertificate(cert, payload, EQUAL, nobleBls))).toBe(expected);
    }
  });

  // @covers QC-VERIFY.1 QC-FORMAT.1
  it("accepts exactly the aggregates of a quorum of true votes (weighted committees)", () => {
    const arbitrary = fc
      .array(fc.bigInt({ min: 1n, max: 9n }), { minLength: 1, maxLength: 7 })
      .chain((powers) =>
        fc.record({
          powers: fc.constant(powers),
          signers: fc.uniqueArray(fc.integer({ min: 0, max: powers.length - 1 }), { minLength: 1 }),
          forged: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(arbitrary, ({ powers, signers, forged }) => {
        const committee = committeeOf(powers);
        const votes = signers.map((signer, i) => ({
          signer,
          signature: sign(signer, forged && i === 0 ? preparePayload(1n, HASH, 99n) : PAYLOAD),
        }));
        const cert = unwrap(aggregateCertificate(votes, powers.length, blstBls));
        let power = 0n;
        let total = 0n;
        for (const s of signers) power += powers[s]!;
        for (const p of powers) total += p;
        const expected =
          3n * power <= 2n * total ? "QC_INSUFFICIENT_QUORUM" : forged ? "QC_BAD_SIGNATURE" : ACCEPTED;
        expect(resultCode(verifyCertificate(cert, PAYLOAD, committee, blstBls))).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });
});

describe("claim aggregates", () => {
  // @covers VIEW-CHECK-NEWVIEW.2
  it("need not be a quorum but must name a signer and verify", () => {
    const one = certificateOf([2], PAYLOAD, 4);
    expect(unwrap(verifyClaimAggregate(one, PAYLOAD, EQUAL, blstBls))).toEqual([2]);
    const empty = { signature: one.signature, bitmap: new Uint8Array(1) };
    expect(resultCode(verifyClaimAggregate(empty, PAYLOAD, EQUAL, blstBls))).toBe("VIEW_EMPTY_CLAIMS");
    const wrongSigner = { signature: one.signature, bitmap: Uint8Array.from([0b0001]) };
    expect(resultCode(verifyClaimAggregate(wrongSigner, PAYLOAD, EQUAL, blstBls))).toBe("QC_BAD_SIGNATURE");
    const longBitmap = { signature: one.signature, bitmap: new Uint8Array(2) };
    expect(resultCode(verifyClaimAggregate(longBitmap, PAYLOAD, EQUAL, blstBls))).toBe("BITMAP_LENGTH");
  });
});

describe("the certificate in a header", () => {
  const genesis = unwrap(genesisLedger(0, null, MINIMAL)).head;
  const blockOne: BlockHeader = {
    ...genesis,
    number: 1n,
    parentHash: headerHash(genesis),
    viewId: 3n,
    time: 5n,
  };

  /** COMMIT(N, h, u) written out by hand: uint64_le(N) ‖ h ‖ uint64_le(u). */
  function commitBytes(parent: BlockHeader): Uint8Array {
    const out = new Uint8Array(48);
    const view = new DataView(out.buffer);
    view.setBigUint64(0, parent.number, true);
    out.set(headerHash(parent), 8);
    view.setBigUint64(40, parent.viewId, true);
    return out;
  }

  function childOf(parent: BlockHeader, cert: Certificate): BlockHeader {
    return {
      ...parent,
      number: parent.number + 1n,
      parentHash: headerHash(parent),
      lastCommitSignature: cert.signature,
      lastCommitBitmap: cert.bitmap,
    };
  }

  // @covers QC-HEADER.1
  it("is empty in block 1", () => {
    expect(resultCode(verifyHeaderCertificate(blockOne, genesis, EQUAL, blstBls))).toBe(ACCEPTED);
    const signed = { ...blockOne, lastCommitSignature: new Uint8Array(96).fill(1) };
    expect(resultCode(verifyHeaderCertificate(signed, genesis, EQUAL, blstBls))).toBe("QC_GENESIS_NOT_EMPTY");
    const marked = { ...blockOne, lastCommitBitmap: new Uint8Array(1) };
    expect(resultCode(verifyHeaderCertificate(marked, genesis, EQUAL, blstBls))).toBe("QC_GENESIS_NOT_EMPTY");
  });

  // @covers QC-HEADER.1
  it("certifies the parent's COMMIT payload with a quorum of its committee", () => {
    const cert = certificateOf([0, 2, 3], commitBytes(blockOne), 4);
    const blockTwo = childOf(blockOne, cert);
    expect(resultCode(verifyHeaderCertificate(blockTwo, blockOne, EQUAL, nobleBls))).toBe(ACCEPTED);
    expect(resultCode(verifyHeaderCertificate(blockTwo, blockOne, EQUAL, blstBls))).toBe(ACCEPTED);
    // a larger certificate of the same block is as good
    const all = childOf(blockOne, certificateOf([0, 1, 2, 3], commitBytes(blockOne), 4));
    expect(resultCode(verifyHeaderCertificate(all, blockOne, EQUAL, blstBls))).toBe(ACCEPTED);
    // the parent's view is part of what was signed
    const otherView = { ...blockOne, viewId: 4n };
    expect(resultCode(verifyHeaderCertificate(childOf(otherView, cert), otherView, EQUAL, blstBls))).toBe(
      "QC_BAD_SIGNATURE",
    );
    const short = childOf(blockOne, certificateOf([0, 2], commitBytes(blockOne), 4));
    expect(resultCode(verifyHeaderCertificate(short, blockOne, EQUAL, blstBls))).toBe(
      "QC_INSUFFICIENT_QUORUM",
    );
    const empty = { ...blockTwo, lastCommitBitmap: new Uint8Array(0) };
    expect(resultCode(verifyHeaderCertificate(empty, blockOne, EQUAL, blstBls))).toBe("BITMAP_LENGTH");
  });
});

describe("single vote signatures", () => {
  // @covers FBFT-RECEIVE.3
  it("raise CONSENSUS_BAD_SIGNATURE when false and the BLS code when malformed", () => {
    const signature = sign(1, PAYLOAD);
    expect(resultCode(verifyVoteSignature(PUBLIC_KEYS[1]!, PAYLOAD, signature, nobleBls))).toBe(ACCEPTED);
    expect(resultCode(verifyVoteSignature(PUBLIC_KEYS[2]!, PAYLOAD, signature, blstBls))).toBe(
      "CONSENSUS_BAD_SIGNATURE",
    );
    const malformed = malformedPoint("G2", "BLS_POINT_LENGTH", signature);
    expect(resultCode(verifyVoteSignature(PUBLIC_KEYS[1]!, PAYLOAD, malformed, blstBls))).toBe(
      "BLS_POINT_LENGTH",
    );
  });
});
