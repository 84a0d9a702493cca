import { describe, expect, it } from "vitest";
import { malformedPoint } from "../../tools/testing/blsSamples.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { aggregateCertificate } from "./certificate.ts";
import { type Committee, checkCommittee, genesisValidatorSecretKey } from "./committee.ts";
import {
  type DoubleSignEvidence,
  DoubleSignEvidenceJsonOutput,
  evidenceFromJson,
  evidenceToJson,
  type SignedVote,
  signedVoteOf,
  signedVoteOfCertificate,
  verifyEvidence,
} from "./evidence.ts";
import { commitPayload, preparePayload } from "./payloads.ts";

const SECRET_KEYS = Array.from({ length: 4 }, (_, i) => genesisValidatorSecretKey(0, i));
const COMMITTEE: Committee = unwrap(
  checkCommittee(
    SECRET_KEYS.map((sk) => ({ publicKey: unwrap(blstBls.secretToPublic(sk)), power: 1n })),
    blstBls,
  ),
);
const H1 = new Uint8Array(32).fill(0x01);
const H2 = new Uint8Array(32).fill(0x02);

function payloadOf(
  kind: "prepare" | "commit",
  blockNum: bigint,
  viewId: bigint,
  hash: Uint8Array,
): Uint8Array {
  return kind === "prepare" ? preparePayload(blockNum, hash, viewId) : commitPayload(blockNum, hash, viewId);
}

/** A signed vote of `signers`, built as a certificate of their individual signatures. */
function signedBy(
  signers: readonly number[],
  kind: "prepare" | "commit",
  blockNum: bigint,
  viewId: bigint,
  hash: Uint8Array,
): SignedVote {
  const payload = payloadOf(kind, blockNum, viewId, hash);
  const votes = signers.map((signer) => ({
    signer,
    signature: unwrap(blstBls.sign(SECRET_KEYS[signer]!, payload)),
  }));
  return signedVoteOfCertificate(
    kind,
    blockNum,
    viewId,
    hash,
    unwrap(aggregateCertificate(votes, 4, blstBls)),
  );
}

describe("double-sign evidence", () => {
  // @covers EVIDENCE-VERIFY.1 EVIDENCE-FORMAT.1
  it("convicts the members in both bitmaps, ascending", () => {
    const e = {
      first: signedBy([3, 0, 1], "prepare", 5n, 8n, H1),
      second: signedBy([1, 2, 3], "prepare", 5n, 8n, H2),
    };
    expect(unwrap(verifyEvidence(e, COMMITTEE, nobleBls))).toEqual([1, 3]);
    expect(unwrap(verifyEvidence(e, COMMITTEE, blstBls))).toEqual([1, 3]);
    const commits = {
      first: signedBy([2], "commit", 5n, 3n, H2),
      second: signedBy([2], "commit", 5n, 3n, H1),
    };
    expect(unwrap(verifyEvidence(commits, COMMITTEE, blstBls))).toEqual([2]);
  });

  // @covers EVIDENCE-FORMAT.1
  it("takes a single vote as the one-member case", () => {
    const signature = unwrap(blstBls.sign(SECRET_KEYS[2]!, preparePayload(5n, H1, 8n)));
    const vote = { kind: "prepare" as const, blockNum: 5n, viewId: 8n, blockHash: H1, signer: 2, signature };
    const signed = signedVoteOf(vote, 4);
    expect(Array.from(signed.bitmap)).toEqual([0b0100]);
    expect(signed).toEqual({ ...signedBy([2], "prepare", 5n, 8n, H1), signature });
  });

  // @covers EVIDENCE-VERIFY.1 EVIDENCE-FORMAT.1
  it("signs a prepare's height: prepares of one view at two heights do not conflict", () => {
    const e = { first: signedBy([0], "prepare", 5n, 8n, H1), second: signedBy([0], "prepare", 6n, 8n, H2) };
    expect(resultCode(verifyEvidence(e, COMMITTEE, blstBls))).toBe("EVIDENCE_NOT_CONFLICTING");
    // the same votes relabelled to one height no longer verify: the signatures name their own heights
    const relabelled = { ...e, second: { ...e.second, blockNum: 5n } };
    expect(resultCode(verifyEvidence(relabelled, COMMITTEE, blstBls))).toBe("EVIDENCE_BAD_SIGNATURE");
  });

  // @covers EVIDENCE-VERIFY.1
  it("rejects each non-evidence with the code of its first failing line", () => {
    const a = signedBy([0, 1], "prepare", 5n, 8n, H1);
    const b = signedBy([1, 2], "prepare", 5n, 8n, H2);
    const c1 = signedBy([0, 1], "commit", 5n, 3n, H1);
    const c2 = signedBy([1, 2], "commit", 5n, 3n, H2);
    const garbage = malformedPoint("G2", "BLS_POINT_NOT_IN_SUBGROUP", a.signature);
    const cases: readonly [string, DoubleSignEvidence][] = [
      [ACCEPTED, { first: a, second: b }],
      ["EVIDENCE_KIND_MISMATCH", { first: a, second: c2 }],
      ["EVIDENCE_NOT_CONFLICTING", { first: a, second: signedBy([1, 2], "prepare", 5n, 9n, H2) }],
      ["EVIDENCE_NOT_CONFLICTING", { first: a, second: signedBy([1, 2], "prepare", 6n, 8n, H2) }],
      ["EVIDENCE_NOT_CONFLICTING", { first: c1, second: signedBy([1, 2], "commit", 6n, 3n, H2) }],
      ["EVIDENCE_NOT_CONFLICTING", { first: c1, second: signedBy([1, 2], "commit", 5n, 4n, H2) }],
      ["EVIDENCE_NOT_CONFLICTING", { first: a, second: signedBy([1, 2], "prepare", 5n, 8n, H1) }],
      ["BITMAP_LENGTH", { first: a, second: { ...b, bitmap: new Uint8Array(2) } }],
      ["BITMAP_STRAY_BITS", { first: { ...a, bitmap: Uint8Array.from([0x13]) }, second: b }],
      ["EVIDENCE_NO_COMMON_SIGNER", { first: a, second: signedBy([2, 3], "prepare", 5n, 8n, H2) }],
      ["EVIDENCE_BAD_SIGNATURE", { first: { ...a, bitmap: b.bitmap }, second: b }],
      ["EVIDENCE_BAD_SIGNATURE", { first: a, second: { ...b, signature: a.signature, bitmap: a.bitmap } }],
      ["EVIDENCE_BAD_SIGNATURE", { first: c1, second: { ...c2, signature: c1.signature } }],
      ["BLS_POINT_NOT_IN_SUBGROUP", { first: a, second: { ...b, signature: garbage } }],
    ];
    for (const [expected, e] of cases)
      expect(resultCode(verifyEvidence(e, COMMITTEE, blstBls))).toBe(expected);
  });

  // @covers EVIDENCE-FORMAT.1
  it("round-trips its JSON form", () => {
    const e = { first: signedBy([0, 1], "commit", 5n, 3n, H1), second: signedBy([1], "commit", 5n, 3n, H2) };
    const json = JSON.parse(JSON.stringify(evidenceToJson(e)));
    expect(json.first).toEqual({
      kind: "commit",
      blockNum: "5",
      viewId: "3",
      blockHash: bytesToHex(H1),
      bitmap: "0x03",
      signature: bytesToHex(e.first.signature),
    });
    expect(DoubleSignEvidenceJsonOutput.safeParse(json).success).toBe(true);
    expect(unwrap(evidenceFromJson(json))).toEqual(e);
  });

  // @covers EVIDENCE-FORMAT.1
  it("rejects a malformed JSON form with the JSON codes", () => {
    const good = evidenceToJson({
      first: signedBy([0], "prepare", 1n, 1n, H1),
      second: signedBy([0], "prepare", 1n, 1n, H2),
    });
    const withFirst = (patch: Record<string, unknown>) => ({ ...good, first: { ...good.first, ...patch } });
    const cases: readonly [string, unknown][] = [
      ["JSON_SCHEMA", { first: good.first }],
      ["JSON_SCHEMA", { ...good, third: good.first }],
      ["JSON_SCHEMA", withFirst({ kind: "announce" })],
      ["JSON_SCHEMA", withFirst({ viewId: 1 })],
      ["JSON_SCHEMA", withFirst({ viewId: "18446744073709551616" })],
      [ACCEPTED, withFirst({ viewId: "18446744073709551615" })],
      ["JSON_DECIMAL_MALFORMED", withFirst({ blockNum: "01" })],
      ["JSON_BYTES_LENGTH", withFirst({ blockHash: "0x00" })],
      ["JSON_BYTES_LENGTH", withFirst({ signature: bytesToHex(new Uint8Array(95)) })],
      ["JSON_HEX_MALFORMED", withFirst({ bitmap: "0xABCD" })],
    ];
    for (const [expected, json] of cases) expect(resultCode(evidenceFromJson(json))).toBe(expected);
  });
});
