import { z } from "zod";
import type { Committee, CommitteeMember } from "../../../reference/consensus/index.ts";
import {
  ConsensusMessageJsonOutput,
  decodeMessage,
  encodeMessage,
  messageToJson,
  type Share,
} from "../../../reference/consensus/messages.ts";
import { encodeBitmap } from "../../../reference/crypto/bitmap.ts";
import {
  bytesFromHex,
  bytesToHex,
  DecimalText,
  HexBytes,
  HexText,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { rlpEncode, scalarToBytes } from "../../../reference/encoding/rlp.ts";
import { SpecError, unwrap } from "../../../reference/errors.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import {
  buildCommitField,
  buildRevealField,
  checkCommitField,
  checkRevealField,
  type DrgState,
  drgAdvance,
  drgCommitHeight,
  drgFieldsExpected,
  drgRevealHeight,
  drgSeed,
  makeShare,
  verifyShare,
} from "../../../reference/randomness/index.ts";
import { malformedPoint } from "../../testing/blsSamples.ts";
import { beaconCommittee } from "../../testing/drgFixtures.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { bls, CommitteeJson, committeeFrom, Hash32, Uint64Json } from "./consensus-json.ts";
import { PRECOMPUTED } from "./crypto-vdf.ts";

/*
 * Conformance runner for chapter 9 (distributed randomness): the schedule, the seed, a member's share as the
 * leader checks it, the leader's commitment, the validators' checks of the commitment and the reveal, and the
 * per-header fold of an epoch. Signatures go through the blst back end, as in the consensus runner.
 */

const RoundJson = { blockNum: Uint64Json, viewId: Uint64Json, parentHash: Hash32 };
type Round = { blockNum: bigint; viewId: bigint; parentHash: Uint8Array };
const StateJson = z.strictObject({ epoch: Uint64Json, pRnd: HexBytes.nullable(), rnd: HexBytes.nullable() });
const StateJsonOutput = z.strictObject({
  epoch: DecimalText,
  pRnd: HexText.nullable(),
  rnd: HexText.nullable(),
});
const HeaderJson = z.strictObject({
  shardId: JsonInt,
  number: Uint64Json,
  viewId: Uint64Json,
  parentHash: Hash32,
  vrf: HexBytes,
  vdf: HexBytes,
});

function stateToJson(state: DrgState): Json {
  return {
    epoch: state.epoch.toString(),
    pRnd: state.pRnd === null ? null : bytesToHex(state.pRnd),
    rnd: state.rnd === null ? null : bytesToHex(state.rnd),
  };
}

const handlers: Record<string, HandlerDef> = {
  schedule: {
    description: "DRG-FIELDS of the block of shard `shardId` at `height` → `role`: none, commit or reveal",
    input: z.strictObject({ shardId: JsonInt, height: Uint64Json }),
    output: z.strictObject({ role: z.enum(["none", "commit", "reveal"]) }),
    run(input: { shardId: number; height: bigint }, preset: Preset): Json {
      return { role: drgFieldsExpected(input.shardId, input.height, preset) };
    },
  },
  epoch_schedule: {
    description: "the commit and reveal heights of the beacon chain in `epoch`",
    input: z.strictObject({ epoch: Uint64Json }),
    output: z.strictObject({ commitHeight: DecimalText, revealHeight: DecimalText }),
    run(input: { epoch: bigint }, preset: Preset): Json {
      return {
        commitHeight: drgCommitHeight(input.epoch, preset).toString(),
        revealHeight: drgRevealHeight(input.epoch, preset).toString(),
      };
    },
  },
  seed: {
    description: "DRG-SEED of the round (`blockNum`, `viewId`, `parentHash`) → the 68-byte `seed`",
    input: z.strictObject(RoundJson),
    output: z.strictObject({ seed: HexText }),
    run(input: Round, preset: Preset): Json {
      return { seed: bytesToHex(drgSeed(input, preset)) };
    },
  },
  share_verify: {
    description:
      "MSG-DECODE of `share` (RLP bytes, a share message), then DRG-SHARE-VERIFY against the leader's round " +
      "and the beacon `committee` → the share and its VRF `output`",
    input: z.strictObject({ committee: CommitteeJson, ...RoundJson, share: HexBytes }),
    output: z.strictObject({ share: ConsensusMessageJsonOutput, output: HexText }),
    run(input: Round & { committee: CommitteeMember[]; share: Uint8Array }, preset: Preset): Json {
      const committee = committeeFrom(input.committee);
      const share = unwrap(decodeMessage(input.share));
      if (share.type !== "share") throw new SpecError("MSG_UNKNOWN_TYPE", `a ${share.type} is not a share`);
      const output = unwrap(verifyShare(share, input, committee, preset, bls));
      return { share: messageToJson(share), output: bytesToHex(output) };
    },
  },
  commit_build: {
    description: "DRG-COMMIT-BUILD of verified `shares` (signer, proof) for the beacon `committee` → `vrf`",
    input: z.strictObject({
      committee: CommitteeJson,
      shares: z.array(z.strictObject({ signer: JsonInt, proof: HexBytes })),
    }),
    output: z.strictObject({ vrf: HexText }),
    run(input: { committee: CommitteeMember[]; shares: { signer: number; proof: Uint8Array }[] }): Json {
      return { vrf: bytesToHex(unwrap(buildCommitField(input.shares, committeeFrom(input.committee), bls))) };
    },
  },
  commit_check: {
    description:
      "DRG-COMMIT-CHECK of a commit block's `vrf` against the beacon `committee` and the seed of its round " +
      "→ `pRnd`, the `signers` and their `power`",
    input: z.strictObject({ committee: CommitteeJson, ...RoundJson, vrf: HexBytes }),
    output: z.strictObject({ pRnd: HexText, signers: z.array(z.number()), power: DecimalText }),
    run(input: Round & { committee: CommitteeMember[]; vrf: Uint8Array }, preset: Preset): Json {
      const commitment = unwrap(
        checkCommitField(input.vrf, committeeFrom(input.committee), drgSeed(input, preset), bls),
      );
      return {
        pRnd: bytesToHex(commitment.pRnd),
        signers: [...commitment.signers],
        power: commitment.power.toString(),
      };
    },
  },
  reveal_check: {
    description: "DRG-REVEAL-CHECK of a reveal block's `vdf` (y ‖ π) for `pRnd` at the preset's T → `rnd`",
    input: z.strictObject({ pRnd: HexBytes, vdf: HexBytes }),
    output: z.strictObject({ rnd: HexText }),
    run(input: { pRnd: Uint8Array; vdf: Uint8Array }, preset: Preset): Json {
      return { rnd: bytesToHex(unwrap(checkRevealField(input.vdf, input.pRnd, preset))) };
    },
  },
  advance: {
    description:
      "DRG-ADVANCE of the state `pre` over one `header` (its shard, number, view, parent hash, vrf and vdf) " +
      "with the epoch's beacon `committee` → the state after it",
    pre: StateJson,
    input: z.strictObject({ committee: CommitteeJson, header: HeaderJson }),
    output: StateJsonOutput,
    run(
      input: { committee: CommitteeMember[]; header: z.output<typeof HeaderJson> },
      preset: Preset,
      pre: DrgState | undefined,
    ): Json {
      const state = unwrap(drgAdvance(pre!, input.header, committeeFrom(input.committee), preset, bls));
      return stateToJson(state);
    },
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Cases

const TAGS_SHARE = ["DRG-SHARE-FORMAT.2", "DRG-SHARE-VERIFY.1", "DRG-SEED.1"];
const TAGS_COMMIT = ["DRG-COMMIT-CHECK.1", "DRG-SEED.1"];
const TAGS_REVEAL = ["DRG-REVEAL-CHECK.1"];
const TAGS_ADVANCE = ["DRG-ADVANCE.1", "DRG-SCHEDULE.1"];

/** Powers of the small beacon committee of the cases: W = 15, so a commitment needs power ≥ 6. */
const POWERS = [5n, 3n, 2n, 2n, 1n, 1n, 1n];
const SMALL = beaconCommittee(POWERS);
const hex = bytesToHex;

function committeeJson(committee: Committee): Json {
  return committee.members.map((m) => ({
    publicKey: hex(m.publicKey),
    power: m.power.toString(),
  }));
}

function roundOf(preset: Preset, epoch: bigint): Round {
  return { blockNum: drgCommitHeight(epoch, preset), viewId: 3n, parentHash: new Uint8Array(32).fill(0x5c) };
}

function roundJson(round: Round): Record<string, Json> {
  return {
    blockNum: round.blockNum.toString(),
    viewId: round.viewId.toString(),
    parentHash: hex(round.parentHash),
  };
}

/** The share of member `signer` of the small committee. */
function shareBy(signer: number, round: Round, preset: Preset): Share {
  return unwrap(makeShare(SMALL.secretKeys[signer]!, signer, round, preset, bls));
}

/**
 * RLP([bitmap, σ]) of the given shares, assembled without DRG-COMMIT-BUILD's power check, so that a case can
 * hold a commitment with too little power.
 */
function rawCommitField(size: number, shares: readonly { signer: number; proof: Uint8Array }[]): Uint8Array {
  const bitmap = unwrap(
    encodeBitmap(
      size,
      shares.map((s) => s.signer),
    ),
  );
  return rlpEncode([bitmap, unwrap(bls.aggregateSignatures(shares.map((s) => s.proof)))]);
}

function scheduleCases(preset: Preset, out: CaseDef[]): void {
  const B = BigInt(preset.blocksPerEpoch);
  const c = BigInt(preset.drgCommitOffset);
  const r = c + BigInt(preset.drgRevealDelay);
  const points: [string, number, bigint, string][] = [
    ["genesis", 0, 0n, "the genesis block carries nothing"],
    ["commit_epoch_0", 0, c, "the beacon block at the commit offset of epoch 0 carries the commitment"],
    ["after_commit", 0, c + 1n, "the block after the commitment carries nothing"],
    ["reveal_epoch_0", 0, r, "the beacon block k blocks after the commitment carries the reveal"],
    ["last_block", 0, B - 1n, "the epoch's last block, which elects the next epoch, carries nothing"],
    ["commit_epoch_5", 0, 5n * B + c, "the commit offset of epoch 5"],
    ["reveal_epoch_5", 0, 5n * B + r, "the reveal offset of epoch 5"],
    ["other_shard", 1, c, "shard 1 carries nothing at the commit offset"],
  ];
  for (const [name, shardId, height, description] of points) {
    out.push({
      handler: "schedule",
      name,
      description,
      tags: ["DRG-SCHEDULE.1"],
      input: { shardId, height: height.toString() },
    });
  }
  out.push({
    handler: "schedule",
    name: "height_not_uint64",
    description: "a height of 2^64",
    tags: ["DRG-SCHEDULE.1"],
    input: { shardId: 0, height: (1n << 64n).toString() },
    expectedError: "JSON_SCHEMA",
  });
  for (const epoch of [0n, 7n]) {
    out.push({
      handler: "epoch_schedule",
      name: `epoch_${epoch}`,
      description: `the commit and reveal heights of epoch ${epoch}`,
      tags: ["DRG-SCHEDULE.1"],
      input: { epoch: epoch.toString() },
    });
  }
  const round = roundOf(preset, 1n);
  out.push({
    handler: "seed",
    name: "epoch_1_view_3",
    description: "the seed of the commitment of epoch 1 in view 3",
    tags: ["DRG-SEED.1"],
    input: roundJson(round),
  });
}

function shareCases(preset: Preset, out: CaseDef[]): void {
  const round = roundOf(preset, 1n);
  const committee = committeeJson(SMALL.committee);
  const share = shareBy(2, round, preset);
  const base = { committee, ...roundJson(round) };
  const valid = (name: string, description: string, bytes: Uint8Array) =>
    out.push({
      handler: "share_verify",
      name,
      description,
      tags: TAGS_SHARE,
      input: { ...base, share: hex(bytes) },
    });
  const invalid = (name: string, description: string, code: string, bytes: Uint8Array, tags = TAGS_SHARE) =>
    out.push({
      handler: "share_verify",
      name,
      description,
      tags,
      input: { ...base, share: hex(bytes) },
      expectedError: code,
    });
  valid(
    "valid",
    "member 2's share of the round verifies; its output is sha256 of its proof",
    encodeMessage(share),
  );
  const fields = encodeMessage(share);
  invalid("not_rlp", "the bytes are no RLP item", "RLP_EMPTY_INPUT", new Uint8Array(0), [
    "DRG-SHARE-FORMAT.2",
    "RLP-DECODE.1",
  ]);
  invalid("one_field", "a list of the type alone", "MSG_FIELD_COUNT", rlpEncode([Uint8Array.of(8)]), [
    "DRG-SHARE-FORMAT.2",
    "MSG-RLP.2",
  ]);
  invalid(
    "consensus_type",
    "type 2 (a prepare) instead of 8: six items are too few for a prepare",
    "MSG_FIELD_COUNT",
    Uint8Array.from([...fields.subarray(0, 2), 2, ...fields.subarray(3)]),
    ["DRG-SHARE-FORMAT.2"],
  );
  invalid(
    "short_proof",
    "a 95-byte proof",
    "MSG_FIELD_INVALID",
    rlpEncode([
      Uint8Array.of(8),
      new Uint8Array(0),
      scalarToBytes(round.blockNum),
      scalarToBytes(round.viewId),
      Uint8Array.of(2),
      share.proof.subarray(1),
    ]),
    ["DRG-SHARE-FORMAT.2"],
  );
  invalid(
    "prepare_message",
    "a well-formed prepare where a share belongs",
    "MSG_UNKNOWN_TYPE",
    encodeMessage({
      type: "prepare",
      shardId: 0,
      blockNum: round.blockNum,
      viewId: round.viewId,
      blockHash: new Uint8Array(32),
      signer: 2,
      signature: share.proof,
    }),
    ["DRG-SHARE-FORMAT.2", "MSG-RLP.2"],
  );
  invalid(
    "wrong_shard",
    "a share for shard 1",
    "DRG_SHARE_WRONG_SHARD",
    encodeMessage({ ...share, shardId: 1 }),
  );
  invalid(
    "wrong_view",
    "a share of view 4 sent to the leader of view 3",
    "DRG_SHARE_WRONG_ROUND",
    encodeMessage(shareBy(2, { ...round, viewId: 4n }, preset)),
  );
  invalid(
    "unknown_signer",
    "signer 7 in a committee of 7",
    "DRG_SHARE_UNKNOWN_SIGNER",
    encodeMessage({ ...share, signer: 7 }),
  );
  invalid(
    "other_signer",
    "member 2's proof claimed by member 1",
    "VRF_PROOF_INVALID",
    encodeMessage({ ...share, signer: 1 }),
  );
  invalid(
    "other_parent",
    "member 2's proof over another parent",
    "VRF_PROOF_INVALID",
    encodeMessage(shareBy(2, { ...round, parentHash: new Uint8Array(32) }, preset)),
  );
  invalid(
    "proof_off_curve",
    "a proof whose x coordinate is on no curve point",
    "BLS_POINT_NOT_ON_CURVE",
    encodeMessage({ ...share, proof: malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", share.proof) }),
  );
  out.push({
    handler: "share_verify",
    name: "share_not_hex",
    description: "the share is not hex",
    tags: TAGS_SHARE,
    input: { ...base, share: "0xzz" },
    expectedError: "JSON_HEX_MALFORMED",
  });
}

function commitCases(preset: Preset, out: CaseDef[]): void {
  const round = roundOf(preset, 1n);
  const committee = committeeJson(SMALL.committee);
  const sharesOf = (signers: readonly number[], r: Round = round) =>
    signers.map((s) => ({ signer: s, proof: shareBy(s, r, preset).proof }));
  const sharesJson = (shares: { signer: number; proof: Uint8Array }[]): Json =>
    shares.map((s) => ({ signer: s.signer, proof: hex(s.proof) }));
  const build = (
    name: string,
    description: string,
    shares: { signer: number; proof: Uint8Array }[],
    code?: string,
  ) =>
    out.push({
      handler: "commit_build",
      name,
      description,
      tags: ["DRG-COMMIT-BUILD.1"],
      input: { committee, shares: sharesJson(shares) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  build(
    "members_0_4",
    "members 0 and 4 hold 6 of 15: bitmap 0x11 and the aggregate of their proofs",
    sharesOf([4, 0]),
  );
  build("small_members", "members 2 to 6 hold 7 of 15", sharesOf([2, 3, 4, 5, 6]));
  build(
    "a_third",
    "members 1 and 2 hold 5 of 15, exactly a third",
    sharesOf([1, 2]),
    "DRG_INSUFFICIENT_POWER",
  );
  build("duplicate", "member 4 twice", [...sharesOf([0, 4]), ...sharesOf([4])], "DRG_SHARE_DUPLICATE");
  build(
    "unknown_signer",
    "a share of member 7 in a committee of 7",
    [...sharesOf([0, 4]), { signer: 7, proof: sharesOf([6])[0]!.proof }],
    "DRG_SHARE_UNKNOWN_SIGNER",
  );

  const field = (signers: readonly number[], r: Round = round) =>
    unwrap(buildCommitField(sharesOf(signers, r), SMALL.committee, bls));
  const good = field([0, 4]);
  const [bitmap, sigma] = [Uint8Array.of(0x11), good.subarray(good.length - 96)];
  const check = (name: string, description: string, vrf: Uint8Array, code?: string, at: Round = round) =>
    out.push({
      handler: "commit_check",
      name,
      description,
      tags: TAGS_COMMIT,
      input: { committee, ...roundJson(at), vrf: hex(vrf) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  check("valid", "members 0 and 4, power 6 of 15", good);
  check(
    "valid_by_count_minority",
    "members 2 to 6, five of seven by count, power 7 of 15",
    field([2, 3, 4, 5, 6]),
  );
  check("empty", "an empty field", new Uint8Array(0), "DRG_COMMIT_MALFORMED");
  check("not_a_list", "σ alone, not a list", rlpEncode(sigma), "DRG_COMMIT_MALFORMED");
  check("short_sigma", "a 95-byte σ", rlpEncode([bitmap, sigma.subarray(1)]), "DRG_COMMIT_MALFORMED");
  check(
    "bitmap_length",
    "a two-byte bitmap for seven members",
    rlpEncode([Uint8Array.of(0x11, 0), sigma]),
    "BITMAP_LENGTH",
  );
  check(
    "bitmap_stray_bit",
    "bit 7 set in a committee of seven",
    rlpEncode([Uint8Array.of(0x91), sigma]),
    "BITMAP_STRAY_BITS",
  );
  check(
    "a_third",
    "members 1 and 2, power 5 of 15: exactly a third is not enough",
    rawCommitField(POWERS.length, sharesOf([1, 2])),
    "DRG_INSUFFICIENT_POWER",
  );
  check("no_signer", "an empty bitmap", rlpEncode([Uint8Array.of(0), sigma]), "DRG_INSUFFICIENT_POWER");
  check(
    "wrong_signers",
    "the aggregate of members 0 and 5 under the bitmap of members 0 and 4",
    rlpEncode([bitmap, field([0, 5]).subarray(good.length - 96)]),
    "DRG_BAD_AGGREGATE",
  );
  check("wrong_seed", "a commitment made in view 3 checked in a block of view 4", good, "DRG_BAD_AGGREGATE", {
    ...round,
    viewId: 4n,
  });
  check(
    "sigma_off_curve",
    "σ is no curve point",
    rlpEncode([bitmap, malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", sigma)]),
    "BLS_POINT_NOT_ON_CURVE",
  );
  if (preset.name === "mainnet") {
    // The full mainnet committee: 200 members of power 1 need 67 (3 · 67 = 201 > 200; 3 · 66 = 198 is not).
    const ones = new Array<bigint>(preset.slotsPerShard).fill(1n);
    const large = beaconCommittee(ones);
    const shares = Array.from({ length: 67 }, (_, s) =>
      unwrap(makeShare(large.secretKeys[s]!, s, round, preset, bls)),
    );
    const largeField = (count: number) => hex(rawCommitField(preset.slotsPerShard, shares.slice(0, count)));
    const input = (count: number) => ({
      committee: committeeJson(large.committee),
      ...roundJson(round),
      vrf: largeField(count),
    });
    out.push({
      handler: "commit_check",
      name: "committee_200_signers_67",
      description: "67 of 200 members of power 1",
      tags: TAGS_COMMIT,
      input: input(67),
    });
    out.push({
      handler: "commit_check",
      name: "committee_200_signers_66",
      description: "66 of 200: not more than a third",
      tags: TAGS_COMMIT,
      input: input(66),
      expectedError: "DRG_INSUFFICIENT_POWER",
    });
  }
}

/** A pRnd with a reveal at the preset's T: evaluated when T is small, else chapter 3's precomputed result. */
function revealFor(preset: Preset): { pRnd: Uint8Array; vdf: Uint8Array } {
  const precomputed = PRECOMPUTED.find((p) => p.iterations === preset.vdfIterations);
  if (precomputed !== undefined) {
    return {
      pRnd: bytesFromHex(precomputed.seed),
      vdf: new Uint8Array([...bytesFromHex(precomputed.y), ...bytesFromHex(precomputed.proof)]),
    };
  }
  const pRnd = bytesFromHex(PRECOMPUTED[0]!.seed);
  return { pRnd, vdf: unwrap(buildRevealField(pRnd, preset)) };
}

function revealCases(preset: Preset, out: CaseDef[]): void {
  const { pRnd, vdf } = revealFor(preset);
  const other: Preset = { ...preset, vdfIterations: preset.vdfIterations === 1024n ? 2048n : 1024n };
  const otherT = unwrap(buildRevealField(pRnd, other));
  const check = (name: string, description: string, field: Uint8Array, code?: string, seed = pRnd) =>
    out.push({
      handler: "reveal_check",
      name,
      description,
      tags: TAGS_REVEAL,
      input: { pRnd: hex(seed), vdf: hex(field) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  check("valid", `the VDF result of pRnd at the preset's T = ${preset.vdfIterations}`, vdf);
  check("short", "511 bytes", vdf.subarray(1), "DRG_REVEAL_MALFORMED");
  check("empty", "no reveal", new Uint8Array(0), "DRG_REVEAL_MALFORMED");
  const badProof = Uint8Array.from(vdf);
  badProof[511] = badProof[511]! ^ 1;
  check("wrong_proof", "the proof's last bit flipped", badProof, "VDF_PROOF_INVALID");
  check(
    "other_prnd",
    "the reveal of one pRnd checked against another",
    vdf,
    "VDF_PROOF_INVALID",
    new Uint8Array(32).fill(1),
  );
  check("wrong_iterations", `a result computed with T = ${other.vdfIterations}`, otherT, "VDF_PROOF_INVALID");
  const notCanonical = Uint8Array.from(vdf);
  notCanonical.fill(0xff, 0, 256);
  check("y_out_of_range", "y = 2^2048 − 1, not below N", notCanonical, "VDF_ELEMENT_OUT_OF_RANGE");
}

function advanceCases(preset: Preset, out: CaseDef[]): void {
  const epoch = 1n;
  const round = roundOf(preset, epoch);
  const committee = committeeJson(SMALL.committee);
  const vrf = unwrap(
    buildCommitField(
      [0, 4].map((s) => ({ signer: s, proof: shareBy(s, round, preset).proof })),
      SMALL.committee,
      bls,
    ),
  );
  const { pRnd, vdf } = revealFor(preset);
  const commitHeight = drgCommitHeight(epoch, preset);
  const revealHeight = drgRevealHeight(epoch, preset);
  const empty = new Uint8Array(0);
  const header = (number: bigint, fields: { vrf?: Uint8Array; vdf?: Uint8Array; shardId?: number } = {}) => ({
    shardId: fields.shardId ?? 0,
    number: number.toString(),
    viewId: (number === commitHeight ? round.viewId : 9n).toString(),
    parentHash: hex(number === commitHeight ? round.parentHash : new Uint8Array(32).fill(1)),
    vrf: hex(fields.vrf ?? empty),
    vdf: hex(fields.vdf ?? empty),
  });
  const fresh = { epoch: epoch.toString(), pRnd: null, rnd: null };
  const committed = { epoch: epoch.toString(), pRnd: hex(pRnd), rnd: null };
  const add = (name: string, description: string, pre: Json, h: Json, code?: string) =>
    out.push({
      handler: "advance",
      name,
      description,
      tags: TAGS_ADVANCE,
      pre,
      input: { committee, header: h },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  add("commit", "the commit block of epoch 1 fixes pRnd", fresh, header(commitHeight, { vrf }));
  add("reveal", "the reveal block of epoch 1 fixes Rnd", committed, header(revealHeight, { vdf }));
  add(
    "quiet_block",
    "a block between commitment and reveal carries nothing and changes nothing",
    committed,
    header(commitHeight + 1n),
  );
  add(
    "new_epoch",
    "the first block of epoch 2 starts a fresh state",
    committed,
    header(2n * BigInt(preset.blocksPerEpoch)),
  );
  add(
    "other_shard",
    "shard 1 at the commit height carries nothing",
    fresh,
    header(commitHeight, { shardId: 1 }),
  );
  add(
    "vrf_unexpected",
    "a commitment in a block that carries nothing",
    committed,
    header(commitHeight + 1n, { vrf }),
    "DRG_FIELD_UNEXPECTED",
  );
  add(
    "vdf_on_commit",
    "the commit block also carries a reveal",
    fresh,
    header(commitHeight, { vrf, vdf }),
    "DRG_FIELD_UNEXPECTED",
  );
  add(
    "commit_missing",
    "the commit block carries no commitment",
    fresh,
    header(commitHeight),
    "DRG_COMMIT_MISSING",
  );
  add(
    "reveal_missing",
    "the reveal block carries no reveal",
    committed,
    header(revealHeight),
    "DRG_REVEAL_MISSING",
  );
  add(
    "no_commitment",
    "a reveal checked with no pRnd of its epoch",
    fresh,
    header(revealHeight, { vdf }),
    "DRG_NO_COMMITMENT",
  );
  add(
    "stale_commitment",
    "the pRnd of epoch 0 does not serve epoch 1",
    { ...committed, epoch: "0" },
    header(revealHeight, { vdf }),
    "DRG_NO_COMMITMENT",
  );
}

function randomnessCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  scheduleCases(preset, out);
  shareCases(preset, out);
  commitCases(preset, out);
  revealCases(preset, out);
  advanceCases(preset, out);
  return out;
}

export const runner: RunnerDef = {
  name: "randomness",
  description: "the distributed randomness generator of chapter 9",
  handlers,
  cases: randomnessCases,
};
