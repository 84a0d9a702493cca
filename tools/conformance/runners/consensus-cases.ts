import {
  type ConsensusMessage,
  commitPayload,
  encodeMessage,
  m1Payload,
  m2Payload,
  m3Payload,
  messageToJson,
  type NewView,
  preparePayload,
} from "../../../reference/consensus/index.ts";
import { encodeBitmap } from "../../../reference/crypto/bitmap.ts";
import { bigintToDecimal, bytesToHex } from "../../../reference/encoding/json.ts";
import {
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarToBytes,
} from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { encodeBlock } from "../../../reference/ledger/block.ts";
import { type BlockHeader, headerHash } from "../../../reference/ledger/header.ts";
import { headerToJson } from "../../../reference/ledger/ledgerJson.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { makeShare } from "../../../reference/randomness/share.ts";
import { identityPoint, MALFORMED_POINT_CODES, malformedPoint } from "../../testing/blsSamples.ts";
import {
  announce,
  castOf,
  commitCertificate,
  committed,
  type GroupSpec,
  newView,
  proposal,
} from "../../testing/consensusScripts.ts";
import {
  certificateBy,
  certificateJson,
  committeeJson,
  genesisSigners,
  type Signer,
  signBy,
} from "../../testing/consensusSigners.ts";
import { genesis, nextBlock } from "../../testing/ledgerChains.ts";
import type { CaseDef, Json } from "../types.ts";

/*
 * Cases of the consensus runner's one-operation handlers. Signatures come from the genesis validators of
 * shard 0 (COMMITTEE-GENESIS.1); committees with other powers reuse their keys.
 */

const hex = bytesToHex;
const dec = bigintToDecimal;

/** A committee of four genesis validators of shard 0, the minimal preset's committee. */
const FOUR = genesisSigners(0, 4);
const [S0, S1, S2, S3] = FOUR as [Signer, Signer, Signer, Signer];

/** A block hash made of one repeated byte. */
function hashOf(byte: number): Uint8Array {
  return new Uint8Array(32).fill(byte);
}

const H1 = hashOf(0x11);
const H2 = hashOf(0x22);

function bitmapOf(n: number, signers: readonly number[]): Uint8Array {
  return unwrap(encodeBitmap(n, signers));
}

interface CaseBuilder {
  valid(name: string, description: string, input: Json, tags?: readonly string[]): void;
  invalid(name: string, description: string, code: string, input: Json, tags?: readonly string[]): void;
}

function builder(out: CaseDef[], handler: string, baseTags: readonly string[]): CaseBuilder {
  return {
    valid: (name, description, input, tags = []) =>
      out.push({ handler, name, description, tags: [...baseTags, ...tags], input }),
    invalid: (name, description, expectedError, input, tags = []) =>
      out.push({ handler, name, description, tags: [...baseTags, ...tags], input, expectedError }),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Committees

function committeeCases(out: CaseDef[]): void {
  const { valid, invalid } = builder(out, "committee_check", ["COMMITTEE-FORMAT.1"]);
  const members = committeeJson(FOUR) as { publicKey: string; power: string }[];
  valid("genesis_four", "the four genesis validators of shard 0, power 1 each", { committee: members });
  valid("one_member", "a committee of one", { committee: members.slice(0, 1) });
  valid("weighted", "powers 5, 1, 1 and 2^70: the total is exact beyond 64 bits", {
    committee: committeeJson(FOUR, [5n, 1n, 1n, 1n << 70n]),
  });
  invalid("empty", "no members", "COMMITTEE_EMPTY", { committee: [] });
  invalid("power_zero", "member 2 has power 0", "COMMITTEE_POWER_INVALID", {
    committee: committeeJson(FOUR, [1n, 1n, 0n, 1n]),
  });
  invalid("duplicate_key", "member 3 repeats member 1's key", "COMMITTEE_DUPLICATE_KEY", {
    committee: [...members.slice(0, 3), members[1]!],
  });
  invalid(
    "power_before_duplicate",
    "member 3 repeats a key and has power 0: L5 comes before L6",
    "COMMITTEE_POWER_INVALID",
    { committee: [...members.slice(0, 3), { ...members[1]!, power: "0" }] },
  );
  for (const code of MALFORMED_POINT_CODES) {
    invalid(
      `key_${code.slice(4).toLowerCase()}`,
      `member 1's key fails decoding with ${code}`,
      code,
      { committee: [members[0]!, { publicKey: hex(malformedPoint("G1", code, S1.publicKey)), power: "1" }] },
      ["BLS-KEY-VALIDATE.1"],
    );
  }
  invalid(
    "key_identity",
    "member 0's key is the identity",
    "BLS_PUBKEY_IDENTITY",
    { committee: [{ publicKey: hex(identityPoint("G1")), power: "1" }] },
    ["BLS-KEY-VALIDATE.1"],
  );
  invalid(
    "power_negative",
    "a power written -1",
    "JSON_DECIMAL_MALFORMED",
    { committee: [{ ...members[0]!, power: "-1" }] },
    ["JSON-BIGINT.1"],
  );
  invalid("power_missing", "a member without power", "JSON_SCHEMA", {
    committee: [{ publicKey: members[0]!.publicKey }],
  });
}

function genesisCommitteeCases(out: CaseDef[]): void {
  const { valid, invalid } = builder(out, "genesis_committee", [
    "COMMITTEE-GENESIS.1",
    "BLS-KEYGEN.1",
    "BLS-SK-TO-PK.1",
  ]);
  valid("shard_0", "the genesis committee of shard 0", { shardId: 0 });
  valid("shard_1", "the genesis committee of shard 1: other keys", { shardId: 1 });
  invalid("shard_negative", "shard -1", "JSON_SCHEMA", { shardId: -1 }, ["JSON-INT.1"]);
}

// ---------------------------------------------------------------------------------------------------------------
// Payloads

function payloadCases(out: CaseDef[]): void {
  const { valid, invalid } = builder(out, "payload", ["FBFT-PAYLOADS.1"]);
  // Distinct bytes in every position show the byte order of uint64_le.
  const n = dec(0x0102030405060708n);
  const v = dec(0x1112131415161718n);
  const p = dec(0x2122232425262728n);
  const max = dec((1n << 64n) - 1n);
  valid("prepare", "PREPARE = 0x04 ‖ uint64_le(N) ‖ h ‖ uint64_le(v)", {
    kind: "prepare",
    blockNum: n,
    blockHash: hex(H1),
    viewId: v,
  });
  valid("prepare_view_zero", "PREPARE at height 1 in view 0", {
    kind: "prepare",
    blockNum: "1",
    blockHash: hex(H2),
    viewId: "0",
  });
  valid("commit", "COMMIT = uint64_le(N) ‖ h ‖ uint64_le(u)", {
    kind: "commit",
    blockNum: n,
    blockHash: hex(H1),
    blockViewId: v,
  });
  valid("m3", "M3 = uint64_le(N) ‖ uint64_le(w)", { kind: "m3", blockNum: n, viewId: v });
  valid("m3_max", "M3 with both fields 2^64 − 1", { kind: "m3", blockNum: max, viewId: max });
  valid("m2", "M2 = 0x01 ‖ uint64_le(N) ‖ uint64_le(w)", { kind: "m2", blockNum: n, viewId: v });
  valid("m1", "M1 = 0x02 ‖ uint64_le(N) ‖ uint64_le(w) ‖ uint64_le(p) ‖ h", {
    kind: "m1",
    blockNum: n,
    viewId: v,
    preparedViewId: p,
    preparedHash: hex(H2),
  });
  invalid(
    "hash_31_bytes",
    "a block hash of 31 bytes",
    "JSON_BYTES_LENGTH",
    { kind: "prepare", blockNum: "1", blockHash: hex(H1.slice(1)), viewId: "1" },
    ["JSON-BYTES.1"],
  );
  invalid(
    "view_2_64",
    "a view of 2^64",
    "JSON_SCHEMA",
    { kind: "m3", blockNum: "1", viewId: dec(1n << 64n) },
    ["JSON-DECODE.1"],
  );
  invalid(
    "view_leading_zero",
    "a view written 01",
    "JSON_DECIMAL_MALFORMED",
    { kind: "m2", blockNum: "1", viewId: "01" },
    ["JSON-BIGINT.1"],
  );
  invalid("prepare_without_height", "a PREPARE without its block number", "JSON_SCHEMA", {
    kind: "prepare",
    blockHash: hex(H1),
    viewId: "1",
  });
  invalid("unknown_kind", "a payload kind that does not exist (COMMITTED was removed)", "JSON_SCHEMA", {
    kind: "committed",
    blockNum: "1",
    viewId: "1",
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Certificates

function qcVerifyCases(out: CaseDef[]): void {
  const { valid, invalid } = builder(out, "qc_verify", [
    "QC-VERIFY.1",
    "QC-FORMAT.1",
    "FBFT-QUORUM.1",
    "BITMAP-DECODE.2",
  ]);
  const payload = preparePayload(5n, H1, 3n);
  const four = committeeJson(FOUR);
  const cert = (signers: readonly Signer[]) => certificateJson(certificateBy(signers, payload, 4));
  const input = (certificate: Json, committee: Json = four) => ({
    committee,
    certificate,
    payload: hex(payload),
  });
  valid("three_of_four", "members 0, 1, 2 of four: 3 · 3 > 2 · 4", input(cert([S0, S1, S2])));
  valid("four_of_four", "every member signed", input(cert(FOUR)));
  valid(
    "weighted_one_member_quorum",
    "powers 1, 1, 1, 10: member 3 alone holds 10 of 13, a quorum though one of four by count",
    input(cert([S3]), committeeJson(FOUR, [1n, 1n, 1n, 10n])),
  );
  invalid(
    "weighted_count_majority",
    "powers 1, 1, 1, 10: members 0, 1, 2 are three of four by count but hold 3 of 13",
    "QC_INSUFFICIENT_QUORUM",
    input(cert([S0, S1, S2]), committeeJson(FOUR, [1n, 1n, 1n, 10n])),
  );
  invalid(
    "two_of_four",
    "members 0 and 1 of four: 3 · 2 ≤ 2 · 4",
    "QC_INSUFFICIENT_QUORUM",
    input(cert([S0, S1])),
  );
  invalid(
    "exact_two_thirds",
    "powers 2, 1, 1, 2: members 0 and 3 hold exactly 4 of 6, and 3 · 4 = 2 · 6 is not a quorum",
    "QC_INSUFFICIENT_QUORUM",
    input(cert([S0, S3]), committeeJson(FOUR, [2n, 1n, 1n, 2n])),
  );
  invalid(
    "exact_two_thirds_unit",
    "two of a committee of three: 3 · 2 = 2 · 3 is not a quorum",
    "QC_INSUFFICIENT_QUORUM",
    input(certificateJson(certificateBy([S0, S1], payload, 3)), committeeJson([S0, S1, S2])),
  );
  const signedByThree = certificateBy([S0, S1, S2], payload, 4);
  invalid(
    "bitmap_names_other_signers",
    "the aggregate of members 0, 1, 2 with a bitmap naming 0, 1, 3",
    "QC_BAD_SIGNATURE",
    input(certificateJson({ ...signedByThree, bitmap: bitmapOf(4, [0, 1, 3]) })),
  );
  invalid(
    "other_payload",
    "a certificate over PREPARE(5, h, 4) checked against PREPARE(5, h, 3)",
    "QC_BAD_SIGNATURE",
    input(certificateJson(certificateBy([S0, S1, S2], preparePayload(5n, H1, 4n), 4))),
  );
  invalid(
    "quorum_before_pairing",
    "two signers and a signature that does not verify: the quorum is checked first",
    "QC_INSUFFICIENT_QUORUM",
    input(certificateJson({ ...signedByThree, bitmap: bitmapOf(4, [0, 1]) })),
  );
  invalid(
    "bitmap_length",
    "a bitmap of two bytes for four members",
    "BITMAP_LENGTH",
    input(certificateJson({ ...signedByThree, bitmap: Uint8Array.of(0x07, 0) })),
  );
  invalid(
    "bitmap_stray_bit",
    "bit 7 set in the bitmap of four members",
    "BITMAP_STRAY_BITS",
    input(certificateJson({ ...signedByThree, bitmap: Uint8Array.of(0x87) })),
  );
  for (const code of ["BLS_POINT_LENGTH", "BLS_POINT_NOT_IN_SUBGROUP"] as const) {
    invalid(
      `signature_${code.slice(4).toLowerCase()}`,
      `a quorum whose signature fails decoding with ${code}`,
      code,
      input(
        certificateJson({ ...signedByThree, signature: malformedPoint("G2", code, signedByThree.signature) }),
      ),
      ["BLS-SIGNATURE-VALIDATE.1"],
    );
  }
  invalid(
    "payload_hex",
    "the payload with an odd number of hex digits",
    "JSON_HEX_MALFORMED",
    { ...input(cert(FOUR)), payload: `${hex(payload)}0` },
    ["JSON-BYTES.1"],
  );
}

function headerCertificateCases(out: CaseDef[], preset: Preset): void {
  const { valid, invalid } = builder(out, "header_certificate", [
    "QC-HEADER.1",
    "QC-VERIFY.1",
    "HEADER-HASH.1",
  ]);
  const g0 = genesis(preset, 0);
  const first = nextBlock(g0, [], preset);
  const b1 = first.block.header;
  const b2 = nextBlock(first.state, [], preset).block.header;
  const committee = committeeJson(FOUR);
  const commitOfB1 = commitPayload(1n, headerHash(b1), b1.viewId);
  const input = (header: BlockHeader, parent: BlockHeader): Json => ({
    committee,
    header: headerToJson(header),
    parent: headerToJson(parent),
  });
  const certified = (signers: readonly Signer[], payload = commitOfB1): BlockHeader => {
    const cert = certificateBy(signers, payload, 4);
    return { ...b2, lastCommitSignature: cert.signature, lastCommitBitmap: cert.bitmap };
  };
  valid("block_1_empty", "block 1 carries a zero signature and an empty bitmap", input(b1, g0.head));
  valid(
    "block_2_three_signers",
    "block 2 carries the commit certificate of block 1 by members 0, 1, 2",
    input(certified([S0, S1, S2]), b1),
  );
  valid("block_2_all_signers", "a certificate with more signers than a quorum", input(certified(FOUR), b1));
  invalid(
    "block_1_signature",
    "block 1 with a non-zero commit signature",
    "QC_GENESIS_NOT_EMPTY",
    input({ ...b1, lastCommitSignature: certified(FOUR).lastCommitSignature }, g0.head),
  );
  invalid(
    "block_1_bitmap",
    "block 1 with a zero signature and a non-empty bitmap",
    "QC_GENESIS_NOT_EMPTY",
    input({ ...b1, lastCommitBitmap: Uint8Array.of(0) }, g0.head),
  );
  invalid(
    "block_2_short",
    "block 2 certified by two of four",
    "QC_INSUFFICIENT_QUORUM",
    input(certified([S0, S1]), b1),
  );
  invalid(
    "block_2_other_view",
    "the certificate signs COMMIT with block 1's view plus one: the header view is part of the payload",
    "QC_BAD_SIGNATURE",
    input(certified([S0, S1, S2], commitPayload(1n, headerHash(b1), b1.viewId + 1n)), b1),
  );
  invalid(
    "block_2_prepare_payload",
    "a prepared certificate of block 1 in place of its commit certificate",
    "QC_BAD_SIGNATURE",
    input(certified([S0, S1, S2], preparePayload(1n, headerHash(b1), b1.viewId)), b1),
  );
  invalid(
    "block_2_empty_bitmap",
    "block 2 with a commit signature and an empty bitmap: a committee of four needs one byte",
    "BITMAP_LENGTH",
    input({ ...certified(FOUR), lastCommitBitmap: new Uint8Array(0) }, b1),
  );
  invalid(
    "header_field",
    "the header's parentHash has 31 bytes",
    "HEADER_FIELD_INVALID",
    input({ ...b1, parentHash: b1.parentHash.slice(1) }, g0.head),
    ["HEADER-FIELDS.2"],
  );
  invalid("parent_missing", "no parent", "JSON_SCHEMA", { committee, header: headerToJson(b1) });
}

// ---------------------------------------------------------------------------------------------------------------
// Evidence

function evidenceCases(out: CaseDef[]): void {
  const { valid, invalid } = builder(out, "evidence_verify", ["EVIDENCE-VERIFY.1", "EVIDENCE-FORMAT.1"]);
  const committee = committeeJson(FOUR);
  type Kind = "prepare" | "commit";
  const vote = (
    kind: Kind,
    signers: readonly Signer[],
    blockNum: bigint,
    viewId: bigint,
    hash: Uint8Array,
  ) => {
    const payload =
      kind === "prepare" ? preparePayload(blockNum, hash, viewId) : commitPayload(blockNum, hash, viewId);
    const cert = certificateBy(signers, payload, 4);
    return {
      kind,
      blockNum: dec(blockNum),
      viewId: dec(viewId),
      blockHash: hex(hash),
      bitmap: hex(cert.bitmap),
      signature: hex(cert.signature),
    };
  };
  const input = (first: Json, second: Json): Json => ({ committee, evidence: { first, second } });
  valid(
    "prepare_double_vote",
    "member 1 prepared two blocks in view 5",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("prepare", [S1], 3n, 5n, H2)),
  );
  invalid(
    "prepare_different_heights",
    "prepares of view 5 at heights 3 and 4: one view number can occur at two heights",
    "EVIDENCE_NOT_CONFLICTING",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("prepare", [S1], 4n, 5n, H2)),
  );
  valid(
    "commit_double_vote",
    "member 2 committed two blocks with header view 4 at height 3",
    input(vote("commit", [S2], 3n, 4n, H1), vote("commit", [S2], 3n, 4n, H2)),
  );
  valid(
    "conflicting_certificates",
    "prepared certificates of members 0, 1, 2 and 1, 2, 3 for two blocks of one view convict 1 and 2",
    input(vote("prepare", [S0, S1, S2], 3n, 5n, H1), vote("prepare", [S1, S2, S3], 3n, 5n, H2)),
  );
  invalid(
    "kind_mismatch",
    "a prepare against a commit",
    "EVIDENCE_KIND_MISMATCH",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("commit", [S1], 3n, 5n, H2)),
  );
  invalid(
    "different_views",
    "prepares of views 5 and 6",
    "EVIDENCE_NOT_CONFLICTING",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("prepare", [S1], 3n, 6n, H2)),
  );
  invalid(
    "commit_different_heights",
    "commits with header view 4 at heights 3 and 4",
    "EVIDENCE_NOT_CONFLICTING",
    input(vote("commit", [S1], 3n, 4n, H1), vote("commit", [S1], 4n, 4n, H2)),
  );
  invalid(
    "same_block",
    "two prepares of one block",
    "EVIDENCE_NOT_CONFLICTING",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("prepare", [S1, S2], 3n, 5n, H1)),
  );
  invalid(
    "no_common_signer",
    "member 1 and member 2 each prepared one block",
    "EVIDENCE_NO_COMMON_SIGNER",
    input(vote("prepare", [S1], 3n, 5n, H1), vote("prepare", [S2], 3n, 5n, H2)),
  );
  const forged = {
    ...vote("prepare", [S1], 3n, 5n, H2),
    signature: vote("prepare", [S1], 3n, 5n, H1).signature,
  };
  invalid(
    "bad_signature",
    "the second vote carries the signature of the first",
    "EVIDENCE_BAD_SIGNATURE",
    input(vote("prepare", [S1], 3n, 5n, H1), forged),
  );
  invalid(
    "bitmap_length",
    "a bitmap of two bytes for four members",
    "BITMAP_LENGTH",
    input(vote("prepare", [S1], 3n, 5n, H1), { ...vote("prepare", [S1], 3n, 5n, H2), bitmap: "0x0200" }),
    ["BITMAP-DECODE.2"],
  );
  invalid(
    "hash_31_bytes",
    "a block hash of 31 bytes",
    "JSON_BYTES_LENGTH",
    input(vote("prepare", [S1], 3n, 5n, H1), {
      ...vote("prepare", [S1], 3n, 5n, H2),
      blockHash: hex(H2.slice(1)),
    }),
    ["JSON-BYTES.1"],
  );
  invalid(
    "unknown_kind",
    "a vote of kind vote",
    "JSON_SCHEMA",
    input(vote("prepare", [S1], 3n, 5n, H1), { ...vote("prepare", [S1], 3n, 5n, H2), kind: "vote" }),
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Messages

/** One message of every shape MSG-FORMAT.2 allows, signed by the genesis validators of shard 0. */
export function sampleMessages(preset: Preset): Record<string, ConsensusMessage> {
  const block = nextBlock(genesis(preset, 0), [], preset).block;
  const blockBytes = encodeBlock(block);
  const h = headerHash(block.header);
  const view = block.header.viewId;
  const prepared = certificateBy([S0, S1, S2], preparePayload(1n, h, view), 4);
  const committedCert = certificateBy(FOUR, commitPayload(1n, h, view), 4);
  const base = { shardId: 0, blockNum: 1n };
  const w = view + 7n;
  const m1Claims = certificateBy([S0, S2], m1Payload(1n, w, view, h), 4);
  return {
    announce: {
      type: "announce",
      ...base,
      viewId: view,
      blockHash: h,
      block: blockBytes,
      signature: signBy(S0, preparePayload(1n, h, view)),
    },
    prepare: {
      type: "prepare",
      ...base,
      viewId: view,
      blockHash: h,
      signer: 2,
      signature: signBy(S2, preparePayload(1n, h, view)),
    },
    prepared: {
      type: "prepared",
      ...base,
      viewId: view,
      blockHash: h,
      block: blockBytes,
      certificate: prepared,
    },
    commit: {
      type: "commit",
      ...base,
      viewId: view,
      blockHash: h,
      blockViewId: view,
      signer: 3,
      signature: signBy(S3, commitPayload(1n, h, view)),
    },
    committed: {
      type: "committed",
      ...base,
      viewId: view,
      blockHash: h,
      blockViewId: view,
      certificate: committedCert,
      preparedCertificate: prepared,
    },
    view_change_nil: {
      type: "viewChange",
      ...base,
      viewId: w,
      signer: 1,
      m3Signature: signBy(S1, m3Payload(1n, w)),
      claim: { kind: "nil", signature: signBy(S1, m2Payload(1n, w)) },
    },
    view_change_prepared: {
      type: "viewChange",
      ...base,
      viewId: w,
      signer: 2,
      m3Signature: signBy(S2, m3Payload(1n, w)),
      claim: {
        kind: "prepared",
        preparedViewId: view,
        preparedHash: h,
        preparedBlock: blockBytes,
        preparedCertificate: prepared,
        signature: signBy(S2, m1Payload(1n, w, view, h)),
      },
    },
    new_view_nil: {
      type: "newView",
      ...base,
      viewId: w,
      m3: certificateBy([S1, S2, S3], m3Payload(1n, w), 4),
      m2: certificateBy([S1, S2, S3], m2Payload(1n, w), 4),
      m1: [],
    },
    new_view_prepared: {
      type: "newView",
      ...base,
      viewId: w,
      m3: certificateBy([S0, S1, S2], m3Payload(1n, w), 4),
      m2: null,
      m1: [{ preparedViewId: view, preparedHash: h, preparedCertificate: prepared, claims: m1Claims }],
    },
    share: {
      type: "share",
      ...base,
      viewId: view,
      signer: 1,
      proof: unwrap(
        makeShare(
          S1.secretKey,
          1,
          { blockNum: 1n, viewId: view, parentHash: block.header.parentHash },
          preset,
        ),
      ).proof,
    },
  };
}

/** The RLP list of a message's wire form. */
function listOf(m: ConsensusMessage): readonly RlpItem[] {
  return expectRlpList(rlpDecodeOrThrow(encodeMessage(m)), "message");
}

/** The wire form of a message with its list edited. */
function reencoded(m: ConsensusMessage, edit: (items: readonly RlpItem[]) => readonly RlpItem[]): string {
  return hex(rlpEncode(edit(listOf(m))));
}

function messageCases(out: CaseDef[], preset: Preset): void {
  const decode = builder(out, "message_decode", ["MSG-RLP.2", "MSG-FORMAT.2"]);
  const encode = builder(out, "message_encode", ["MSG-RLP.2", "MSG-FORMAT.2"]);
  const samples = sampleMessages(preset);
  for (const [name, m] of Object.entries(samples)) {
    decode.valid(name, `a ${m.type} message`, { encoded: hex(encodeMessage(m)) });
    encode.valid(name, `a ${m.type} message`, { message: messageToJson(m) as Json });
  }
  const prepare = samples.prepare!;
  const viewChange = samples.view_change_prepared!;
  const newView = samples.new_view_prepared!;
  const bad = (
    name: string,
    description: string,
    code: string,
    encoded: string,
    tags: readonly string[] = [],
  ) => decode.invalid(name, description, code, { encoded }, tags);
  const replace = (m: ConsensusMessage, at: number, item: RlpItem) =>
    reencoded(m, (items) => items.map((x, i) => (i === at ? item : x)));

  // RLP-DECODE.1 and the list itself
  const rlpTags = ["RLP-DECODE.1"];
  const good = hex(encodeMessage(prepare));
  bad("rlp_empty", "no bytes", "RLP_EMPTY_INPUT", "0x", rlpTags);
  bad(
    "rlp_trailing_bytes",
    "a valid prepare followed by one byte",
    "RLP_TRAILING_BYTES",
    `${good}00`,
    rlpTags,
  );
  bad(
    "rlp_input_too_short",
    "a valid prepare missing its last byte",
    "RLP_INPUT_TOO_SHORT",
    good.slice(0, -2),
    rlpTags,
  );
  bad("byte_string", "a byte string, not a list", "RLP_EXPECTED_LIST", "0x820102", rlpTags);
  bad("empty_list", "the empty list has no type", "MSG_UNKNOWN_TYPE", "0xc0");
  bad("type_zero", "type 0", "MSG_UNKNOWN_TYPE", replace(prepare, 0, new Uint8Array(0)));
  bad("type_nine", "type 9", "MSG_UNKNOWN_TYPE", replace(prepare, 0, Uint8Array.of(9)));
  bad(
    "type_leading_zero",
    "type 2 written 0x0002",
    "MSG_UNKNOWN_TYPE",
    replace(prepare, 0, Uint8Array.of(0, 2)),
  );
  bad("type_is_list", "the type is a list", "MSG_UNKNOWN_TYPE", replace(prepare, 0, []));
  bad(
    "field_count_short",
    "a prepare without its signature",
    "MSG_FIELD_COUNT",
    reencoded(prepare, (x) => x.slice(0, 6)),
  );
  bad(
    "field_count_long",
    "a prepare with an extra field",
    "MSG_FIELD_COUNT",
    reencoded(prepare, (x) => [...x, new Uint8Array(0)]),
  );

  // Domains (MSG-RLP.2 L5)
  const beyond = (bits: number) => scalarToBytes(1n << BigInt(bits));
  bad("shard_2_32", "shardId 2^32", "MSG_FIELD_INVALID", replace(prepare, 1, beyond(32)));
  bad("block_num_2_64", "blockNum 2^64", "MSG_FIELD_INVALID", replace(prepare, 2, beyond(64)));
  bad("view_2_64", "viewId 2^64", "MSG_FIELD_INVALID", replace(prepare, 3, beyond(64)));
  bad(
    "view_leading_zero",
    "viewId 1 written 0x0001",
    "MSG_FIELD_INVALID",
    replace(prepare, 3, Uint8Array.of(0, 1)),
    ["RLP-SCALAR.1"],
  );
  bad("hash_31_bytes", "a block hash of 31 bytes", "MSG_FIELD_INVALID", replace(prepare, 4, H1.slice(1)));
  bad("signer_65536", "signer 65536", "MSG_FIELD_INVALID", replace(prepare, 5, beyond(16)));
  bad(
    "signature_95_bytes",
    "a signature of 95 bytes",
    "MSG_FIELD_INVALID",
    replace(prepare, 6, new Uint8Array(95)),
  );
  bad("hash_is_list", "the block hash is a list", "MSG_FIELD_INVALID", replace(prepare, 4, [H1]));
  const prepared = samples.prepared!;
  bad(
    "certificate_is_bytes",
    "a prepared certificate given as one byte string",
    "MSG_FIELD_INVALID",
    replace(prepared, 6, new Uint8Array(96)),
  );
  bad(
    "bitmap_8193_bytes",
    "a certificate bitmap of 8193 bytes",
    "MSG_FIELD_INVALID",
    replace(prepared, 6, [new Uint8Array(96).fill(0), new Uint8Array(8193)]),
  );
  bad(
    "claim_tag_3",
    "a claim tagged 3",
    "MSG_FIELD_INVALID",
    reencoded(viewChange, (x) =>
      x.map((item, i) => (i === 6 ? [Uint8Array.of(3), ...(item as readonly RlpItem[]).slice(1)] : item)),
    ),
  );
  bad(
    "claim_nil_with_fields",
    "a nil claim with a prepared claim's fields",
    "MSG_FIELD_INVALID",
    reencoded(viewChange, (x) =>
      x.map((item, i) => (i === 6 ? [Uint8Array.of(1), ...(item as readonly RlpItem[]).slice(1)] : item)),
    ),
  );
  bad(
    "m2_bytes",
    "m2 written as an empty byte string rather than the empty list",
    "MSG_FIELD_INVALID",
    replace(newView, 5, new Uint8Array(0)),
  );
  const group = (listOf(newView)[6] as readonly RlpItem[])[0]!;
  bad(
    "groups_65",
    "a new view with 65 prepared groups",
    "MSG_FIELD_INVALID",
    replace(
      newView,
      6,
      Array.from({ length: 65 }, () => group),
    ),
  );
  bad("hex_prefix", "the encoding without 0x", "JSON_HEX_PREFIX", good.slice(2), ["JSON-BYTES.1"]);

  // The JSON form
  const json = messageToJson(prepare) as { [k: string]: Json };
  encode.invalid("unknown_type", "type vote", "MSG_UNKNOWN_TYPE", { message: { ...json, type: "vote" } });
  encode.invalid("missing_type", "no type", "MSG_UNKNOWN_TYPE", {
    message: Object.fromEntries(Object.entries(json).filter(([k]) => k !== "type")),
  });
  encode.invalid("signer_65536", "signer 65536", "MSG_FIELD_INVALID", {
    message: { ...json, signer: 65536 },
  });
  encode.invalid("signer_string", "signer written as a string", "MSG_FIELD_INVALID", {
    message: { ...json, signer: "2" },
  });
  encode.invalid("block_num_2_64", "blockNum 2^64", "MSG_FIELD_INVALID", {
    message: { ...json, blockNum: dec(1n << 64n) },
  });
  encode.invalid("hash_31_bytes", "a block hash of 31 bytes", "MSG_FIELD_INVALID", {
    message: { ...json, blockHash: hex(H1.slice(1)) },
  });
  encode.invalid("extra_field", "a prepare with a block field", "MSG_FIELD_INVALID", {
    message: { ...json, block: "0x" },
  });
}

// ---------------------------------------------------------------------------------------------------------------
// New views

function newViewCases(out: CaseDef[], preset: Preset): void {
  const { valid, invalid } = builder(out, "newview_verify", ["VIEW-CHECK-NEWVIEW.2", "QC-VERIFY.1"]);
  const cast = castOf(preset, 4, 0);
  const g = genesis(preset, 0);
  const a = proposal(cast, g, 1n, g.head.time + 1n, null);
  const b = proposal(cast, g, 1n, g.head.time + 2n, null);
  const committee = committeeJson(FOUR);
  const input = (m: NewView): Json => ({ committee, message: messageToJson(m) as Json });
  const groupA = { view: 1n, block: a, certificateSigners: [S0, S1, S2], claimants: [S1] };
  const groupB = { view: 1n, block: b, certificateSigners: [S0, S2, S3], claimants: [S2] };
  const nv = (view: bigint, asked: Signer[], nil: Signer[], groups: GroupSpec[]) =>
    newView(cast, 1n, view, asked, nil, groups);
  // New views ask for the first views of turns 1 and 2 (views 2 and 4 in the minimal preset, 163 and 326
  // in mainnet's); `mid` is a view inside turn 1.
  const w = BigInt(preset.leaderTerm);
  const w2 = 2n * w;
  const mid = w + 1n;
  valid(
    "nil_claims",
    `members 1, 2, 3 asked for view ${w} and hold nothing: no block is required`,
    input(nv(w, [S1, S2, S3], [S1, S2, S3], [])),
  );
  valid(
    "one_group",
    "member 1 claims block A prepared in view 1, members 2 and 3 nothing: A is required",
    input(nv(w, [S1, S2, S3], [S2, S3], [groupA])),
  );
  const groupA3 = { ...groupA, view: mid, claimants: [S3] };
  valid(
    "highest_group",
    `for view ${w2}, member 2 claims B of view 1 and member 3 claims A of view ${mid}: A, of the highest view, is required`,
    input(nv(w2, [S1, S2, S3], [S1], [{ ...groupB, claimants: [S2] }, groupA3])),
  );
  valid(
    "claims_beyond_quorum",
    "all four asked; member 0's nil claim is covered too",
    input(nv(w, FOUR, FOUR, [])),
  );
  invalid(
    "m3_short",
    "only members 1 and 2 asked",
    "QC_INSUFFICIENT_QUORUM",
    input(nv(w, [S1, S2], [S1, S2], [])),
  );
  invalid(
    "not_turn_start",
    `a new view for view ${mid}, inside the turn that starts at ${w}, though a quorum asked for it`,
    "VIEW_NOT_TURN_START",
    input(nv(mid, [S1, S2, S3], [S1, S2, S3], [])),
  );
  const m3ForOtherView = nv(mid, [S1, S2, S3], [], []).m3;
  invalid(
    "m3_other_view",
    `the M3 aggregate was signed for view ${mid}`,
    "QC_BAD_SIGNATURE",
    input({ ...nv(w, [S1, S2, S3], [S1, S2, S3], []), m3: m3ForOtherView }),
  );
  const nilOnly = nv(w, [S1, S2, S3], [S1, S2, S3], []);
  invalid(
    "m2_empty",
    "an M2 aggregate whose bitmap names nobody",
    "VIEW_EMPTY_CLAIMS",
    input({ ...nilOnly, m2: { ...nilOnly.m2!, bitmap: Uint8Array.of(0) } }),
  );
  invalid(
    "m2_other_view",
    `the M2 aggregate was signed for view ${mid}`,
    "QC_BAD_SIGNATURE",
    input({ ...nilOnly, m2: nv(mid, [S1, S2, S3], [S1, S2, S3], []).m2 }),
  );
  invalid(
    "group_view_not_earlier",
    `a group claims a certificate of view ${w} for view ${w}`,
    "VIEW_PREPARED_VIEW_INVALID",
    input(nv(w, [S1, S2, S3], [S2, S3], [{ ...groupA, view: w }])),
  );
  invalid(
    "duplicate_group",
    "the same certificate in two groups",
    "VIEW_DUPLICATE_GROUP",
    input(nv(w, [S1, S2, S3], [S3], [groupA, { ...groupA, claimants: [S2] }])),
  );
  invalid(
    "group_certificate_short",
    "a group's prepared certificate has two signers",
    "QC_INSUFFICIENT_QUORUM",
    input(nv(w, [S1, S2, S3], [S2, S3], [{ ...groupA, certificateSigners: [S0, S1] }])),
  );
  const oneGroup = nv(w, [S1, S2, S3], [S2, S3], [groupA]);
  const group = oneGroup.m1[0]!;
  invalid(
    "group_claims_empty",
    "a group's claims name nobody",
    "VIEW_EMPTY_CLAIMS",
    input({ ...oneGroup, m1: [{ ...group, claims: { ...group.claims, bitmap: Uint8Array.of(0) } }] }),
  );
  invalid(
    "group_claims_other_block",
    "a group's claims were signed for block B",
    "QC_BAD_SIGNATURE",
    input({
      ...oneGroup,
      m1: [{ ...group, claims: nv(w, [S1], [], [{ ...groupB, claimants: [S1] }]).m1[0]!.claims }],
    }),
  );
  invalid(
    "claims_missing",
    "member 3 asked for the view but has no claim",
    "VIEW_CLAIMS_MISSING",
    input(nv(w, [S1, S2, S3], [S2], [groupA])),
  );
  invalid(
    "conflicting_prepared",
    "members 1 and 2 claim certificates of view 1 for blocks A and B",
    "VIEW_CONFLICTING_PREPARED",
    input(nv(w, [S1, S2, S3], [S3], [groupA, groupB])),
  );
  invalid(
    "bitmap_length",
    "an M3 bitmap of two bytes",
    "BITMAP_LENGTH",
    input({ ...nilOnly, m3: { ...nilOnly.m3, bitmap: Uint8Array.of(0x0e, 0) } }),
    ["BITMAP-DECODE.2"],
  );
  invalid("not_a_new_view", "an announce message", "JSON_SCHEMA", {
    committee,
    message: messageToJson(announce(cast, 1n, a)) as Json,
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Accountability

function accountableCases(out: CaseDef[], preset: Preset): void {
  const { valid, invalid } = builder(out, "accountable", ["FBFT-SAFETY.1", "EVIDENCE-VERIFY.1"]);
  const cast = castOf(preset, 4, 0);
  const g = genesis(preset, 0);
  // Two blocks of height 1 proposed in view 1, and one proposed fresh in view 2.
  const a = proposal(cast, g, 1n, g.head.time + 1n, null);
  const b = proposal(cast, g, 1n, g.head.time + 2n, null);
  const b2 = proposal(cast, g, 2n, g.head.time + 3n, null);
  const committee = committeeJson(FOUR);
  const input = (first: ConsensusMessage, second: ConsensusMessage): Json => ({
    committee,
    first: messageToJson(first) as Json,
    second: messageToJson(second) as Json,
  });
  const aInView1 = committed(cast, 1n, a, [S0, S1, S2]);
  valid(
    "one_view",
    "A and B, both proposed in view 1, decided in view 1 by members 0, 1, 2 and 0, 1, 3: both certificate " +
      "pairs share their view key, and members 0 and 1 signed both of each",
    input(aInView1, committed(cast, 1n, b, [S0, S1, S3])),
  );
  valid(
    "one_block_view",
    "A decided in view 1 by members 0, 1, 2; B, also proposed in view 1, decided in view 2 by members 1, 2, 3: " +
      "the commit certificates share the key (1, 1) and convict members 1 and 2",
    input(aInView1, committed(cast, 2n, b, [S1, S2, S3])),
  );
  valid(
    "one_decision_view",
    "A (proposed in view 1) and B (proposed in view 2) both decided in view 2, by members 0, 1, 2 and 1, 2, 3: " +
      "the prepared certificates share the key (1, 2) and convict members 1 and 2",
    input(committed(cast, 2n, a, [S0, S1, S2]), committed(cast, 2n, b2, [S1, S2, S3])),
  );
  invalid(
    "across_views",
    "A decided in view 1 and B, proposed in view 2, decided in view 2: no certificate pair shares a view key " +
      "(the amnesia case of §6.5)",
    "EVIDENCE_NOT_CONFLICTING",
    input(aInView1, committed(cast, 2n, b2, [S1, S2, S3])),
  );
  invalid(
    "same_block",
    "block A decided twice, in views 1 and 2",
    "EVIDENCE_NOT_CONFLICTING",
    input(aInView1, committed(cast, 2n, a, [S1, S2, S3])),
  );
  invalid(
    "other_height",
    "the second committed message names height 2",
    "EVIDENCE_NOT_CONFLICTING",
    input(aInView1, { ...committed(cast, 1n, b, [S0, S1, S3]), blockNum: 2n }),
  );
  invalid(
    "not_committed",
    "the second message is an announce",
    "JSON_SCHEMA",
    input(aInView1, announce(cast, 1n, b)),
  );
  invalid(
    "forged_certificate",
    "B's commit certificate is members 0, 1, 3's aggregate over A's COMMIT bytes",
    "EVIDENCE_BAD_SIGNATURE",
    input(aInView1, {
      ...committed(cast, 1n, b, [S0, S1, S3]),
      certificate: commitCertificate(cast, a, [S0, S1, S3]),
    }),
  );
}

export function consensusCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  committeeCases(out);
  genesisCommitteeCases(out);
  payloadCases(out);
  qcVerifyCases(out);
  headerCertificateCases(out, preset);
  evidenceCases(out);
  messageCases(out, preset);
  newViewCases(out, preset);
  accountableCases(out, preset);
  return out;
}
