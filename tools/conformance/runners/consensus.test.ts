import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import {
  type Certificate,
  type CommitteeMember,
  DoubleSignEvidenceJson,
  verifyCertificate,
  verifyEvidence,
} from "../../../reference/consensus/index.ts";
import { nobleBls } from "../../../reference/crypto/bls/noble.ts";
import { bytesFromHex, bytesToHex, parseWith } from "../../../reference/encoding/json.ts";
import { type Result, unwrap } from "../../../reference/errors.ts";
import { encodeBlock } from "../../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../../reference/ledger/buildBlock.ts";
import { MAINNET, MINIMAL, type Preset } from "../../../reference/params/presets.ts";
import { beaconChainAt } from "../../../reference/sharding/beacon.ts";
import { sampleSecretKey } from "../../testing/blsSamples.ts";
import {
  beaconProposal,
  castOf,
  commitCertificate,
  preparedCertificate,
  proposal,
} from "../../testing/consensusScripts.ts";
import { certificateJson, committeeJson, type Signer } from "../../testing/consensusSigners.ts";
import { linkedBlocks } from "../../testing/crossLinks.ts";
import { beaconEntry, finalBeaconBlocks, outgoingOf, receiptEntry } from "../../testing/crossShardFlows.ts";
import { addressOf, genesis, transfer } from "../../testing/ledgerChains.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
  expectScriptAsDeclared,
  expectScriptStepPerCode,
  expectWellFormedCases,
  expectWellFormedScriptCases,
} from "../../testing/runnerChecks.ts";
import { executeScript } from "../execute.ts";
import type { CaseDef, Json, RunnerDef } from "../types.ts";
import { runner } from "./consensus.ts";
import { CommitteeJson, committeeFrom } from "./consensus-json.ts";
import { scriptHandlerWith } from "./consensus-script.ts";
import { stage } from "./consensus-script-cases.ts";

const POINT = [
  "BLS_POINT_LENGTH",
  "BLS_POINT_NOT_COMPRESSED",
  "BLS_POINT_INFINITY_MALFORMED",
  "BLS_POINT_X_NOT_CANONICAL",
  "BLS_POINT_NOT_ON_CURVE",
  "BLS_POINT_NOT_IN_SUBGROUP",
];

/**
 * The codes each one-operation handler raises: chapter 6's codes of the rule it runs, the codes of the rules
 * that rule calls (bitmaps, BLS decoding), and a sample of the JSON codes of its input. Written out by hand so
 * that a case dropped from the builder fails here.
 */
const RAISES: Record<string, string[]> = {
  committee_check: [
    "COMMITTEE_EMPTY",
    "COMMITTEE_POWER_INVALID",
    "COMMITTEE_DUPLICATE_KEY",
    ...POINT,
    "BLS_PUBKEY_IDENTITY",
    "JSON_DECIMAL_MALFORMED",
    "JSON_SCHEMA",
  ],
  genesis_committee: ["JSON_SCHEMA"],
  payload: ["JSON_BYTES_LENGTH", "JSON_SCHEMA", "JSON_DECIMAL_MALFORMED"],
  qc_verify: [
    "QC_INSUFFICIENT_QUORUM",
    "QC_BAD_SIGNATURE",
    "BITMAP_LENGTH",
    "BITMAP_STRAY_BITS",
    "BLS_POINT_LENGTH",
    "BLS_POINT_NOT_IN_SUBGROUP",
    "JSON_HEX_MALFORMED",
  ],
  header_certificate: [
    "QC_GENESIS_NOT_EMPTY",
    "QC_INSUFFICIENT_QUORUM",
    "QC_BAD_SIGNATURE",
    "BITMAP_LENGTH",
    "HEADER_FIELD_INVALID",
    "JSON_SCHEMA",
  ],
  evidence_verify: [
    "EVIDENCE_KIND_MISMATCH",
    "EVIDENCE_NOT_CONFLICTING",
    "EVIDENCE_NO_COMMON_SIGNER",
    "EVIDENCE_BAD_SIGNATURE",
    "BITMAP_LENGTH",
    "JSON_BYTES_LENGTH",
    "JSON_SCHEMA",
  ],
  accountable: ["EVIDENCE_NOT_CONFLICTING", "EVIDENCE_BAD_SIGNATURE", "JSON_SCHEMA"],
  message_decode: [
    "RLP_EMPTY_INPUT",
    "RLP_TRAILING_BYTES",
    "RLP_INPUT_TOO_SHORT",
    "RLP_EXPECTED_LIST",
    "MSG_UNKNOWN_TYPE",
    "MSG_FIELD_COUNT",
    "MSG_FIELD_INVALID",
    "JSON_HEX_PREFIX",
  ],
  message_encode: ["MSG_UNKNOWN_TYPE", "MSG_FIELD_INVALID"],
  newview_verify: [
    "QC_INSUFFICIENT_QUORUM",
    "QC_BAD_SIGNATURE",
    "VIEW_EMPTY_CLAIMS",
    "VIEW_PREPARED_VIEW_INVALID",
    "VIEW_DUPLICATE_GROUP",
    "VIEW_CLAIMS_MISSING",
    "VIEW_CONFLICTING_PREPARED",
    "VIEW_NOT_TURN_START",
    "BITMAP_LENGTH",
    "JSON_SCHEMA",
  ],
};

/** uint64_le written out byte by byte, independently of the reference's helper. */
function le64(value: bigint): number[] {
  return Array.from({ length: 8 }, (_, i) => Number((value >> BigInt(8 * i)) & 0xffn));
}

/** The indices whose bit is set, bit 0 of byte 0 first (BITMAP-FORMAT.2), read independently. */
function bitsOf(bitmapHex: string): number[] {
  const bytes = bytesFromHex(bitmapHex);
  const out: number[] = [];
  for (let i = 0; i < bytes.length * 8; i++) if ((bytes[i >> 3]! >> (i & 7)) & 1) out.push(i);
  return out;
}

type Input = { [k: string]: Json };

for (const preset of [MINIMAL, MAINNET] as Preset[]) {
  describe(`consensus runner, preset ${preset.name}: one-operation handlers`, () => {
    const cases = runner.cases(preset);
    const post = caseResults(runner, cases, preset);
    const valid = (handler: string): CaseDef[] =>
      cases.filter((c) => c.handler === handler && c.expectedError === undefined);

    // @covers COMMITTEE-FORMAT.1 FBFT-PAYLOADS.1 QC-VERIFY.1 QC-HEADER.1 EVIDENCE-VERIFY.1 MSG-RLP.2
    it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
      expectCaseAsDeclared(runner, c, preset),
    );

    it("every handler has a valid case and a case per code it raises", () => {
      expectWellFormedCases(runner, cases);
      expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
      expectSchemasConvert(runner);
    });

    // @covers FBFT-PAYLOADS.1
    it("payloads are the byte strings of the table, written out by hand", () => {
      const n = 0x0102030405060708n;
      const v = 0x1112131415161718n;
      const p = 0x2122232425262728n;
      const h1 = Array(32).fill(0x11);
      const h2 = Array(32).fill(0x22);
      const bytes = (name: string) =>
        Array.from(bytesFromHex((post("payload", name) as { payload: string }).payload));
      expect(bytes("prepare")).toEqual([4, ...le64(n), ...h1, ...le64(v)]);
      expect(bytes("prepare_view_zero")).toEqual([4, 1, 0, 0, 0, 0, 0, 0, 0, ...h2, 0, 0, 0, 0, 0, 0, 0, 0]);
      expect(bytes("commit")).toEqual([...le64(n), ...h1, ...le64(v)]);
      expect(bytes("m3")).toEqual([...le64(n), ...le64(v)]);
      expect(bytes("m3_max")).toEqual(Array(16).fill(0xff));
      expect(bytes("m2")).toEqual([1, ...le64(n), ...le64(v)]);
      expect(bytes("m1")).toEqual([2, ...le64(n), ...le64(v), ...le64(p), ...h2]);
      // Five purposes, five lengths (49, 48, 16, 17, 57): no signature verifies for two purposes.
      expect(["prepare", "commit", "m3", "m2", "m1"].map((k) => bytes(k).length)).toEqual([
        49, 48, 16, 17, 57,
      ]);
    });

    // @covers COMMITTEE-FORMAT.1 COMMITTEE-GENESIS.1
    it("committees: the total is the sum of the powers; genesis keys are KeyGen(sha256(label))", () => {
      for (const c of valid("committee_check")) {
        const powers = ((c.input as Input).committee as { power: string }[]).map((m) => BigInt(m.power));
        expect(post("committee_check", c.name), c.name).toEqual({
          totalPower: powers.reduce((a, b) => a + b, 0n).toString(),
        });
      }
      for (const shard of [0, 1]) {
        const got = post("genesis_committee", `shard_${shard}`) as {
          members: { secretKey: string; publicKey: string; power: string }[];
        };
        expect(got.members).toHaveLength(preset.slotsPerShard);
        for (const [i, m] of got.members.slice(0, 4).entries()) {
          const sk = sampleSecretKey(`harmony-spec genesis validator ${shard} ${i}`);
          expect(m.secretKey).toBe(bytesToHex(sk));
          expect(m.publicKey).toBe(bytesToHex(unwrap(nobleBls.secretToPublic(sk))));
          expect(m.power).toBe("1");
        }
      }
    });

    // @covers QC-VERIFY.1 FBFT-QUORUM.1 BITMAP-DECODE.2
    it("qc_verify: the signers are the bitmap's bits, they hold a quorum, and the pure back end agrees", () => {
      for (const c of valid("qc_verify")) {
        const input = c.input as Input;
        const signers = bitsOf((input.certificate as { bitmap: string }).bitmap);
        expect(post("qc_verify", c.name), c.name).toEqual({ signers });
        const powers = (input.committee as { power: string }[]).map((m) => BigInt(m.power));
        const held = signers.reduce((a, i) => a + powers[i]!, 0n);
        const total = powers.reduce((a, b) => a + b, 0n);
        expect(3n * held > 2n * total, c.name).toBe(true);
      }
      if (preset.name !== "minimal") return; // preset-independent; once is enough for the slow back end
      for (const c of cases.filter((x) => x.handler === "qc_verify")) {
        const input = c.input as Input;
        let parsed: { committee: CommitteeMember[]; certificate: Certificate; payload: Uint8Array };
        try {
          parsed = runner.handlers.qc_verify!.input.parse(input) as typeof parsed;
        } catch {
          continue; // a malformed JSON input never reaches the rule
        }
        const committee = committeeFrom(parsed.committee);
        const noble = verifyCertificate(parsed.certificate, parsed.payload, committee, nobleBls);
        expect(noble.ok ? "(ok)" : noble.error.code, c.name).toBe(c.expectedError ?? "(ok)");
      }
    });

    // @covers EVIDENCE-VERIFY.1
    it("evidence_verify: the offenders are the members in both bitmaps, and the pure back end agrees", () => {
      for (const c of valid("evidence_verify")) {
        const { first, second } = (c.input as Input).evidence as { [k: string]: { bitmap: string } };
        const inSecond = new Set(bitsOf(second!.bitmap));
        expect(post("evidence_verify", c.name), c.name).toEqual({
          offenders: bitsOf(first!.bitmap).filter((i) => inSecond.has(i)),
        });
      }
      if (preset.name !== "minimal") return;
      const c = valid("evidence_verify").find((x) => x.name === "conflicting_certificates")!;
      const input = c.input as Input;
      const evidence = (runner.handlers.evidence_verify!.input.parse(input) as { evidence: never }).evidence;
      expect(
        unwrap(verifyEvidence(evidence, committeeFrom(parseWith(CommitteeJson, input.committee)), nobleBls)),
      ).toEqual([1, 2]);
    });

    // @covers FBFT-SAFETY.1
    it("accountable: the members in both certificates of each pair that shares a view key", () => {
      // one_view: commits and prepares by {0, 1, 2} and {0, 1, 3}; one_block_view: commits by {0, 1, 2} and
      // {1, 2, 3} under block view 1; one_decision_view: prepares by {0, 1, 2} and {1, 2, 3} in view 2.
      expect(post("accountable", "one_view")).toEqual({ offenders: [0, 1] });
      expect(post("accountable", "one_block_view")).toEqual({ offenders: [1, 2] });
      expect(post("accountable", "one_decision_view")).toEqual({ offenders: [1, 2] });
    });

    // @covers MSG-RLP.2 MSG-FORMAT.2
    it("messages: decoding and encoding are inverse, and an independent RLP reader sees the table's layout", () => {
      const fieldCounts: Record<string, number> = {
        announce: 7,
        prepare: 7,
        prepared: 7,
        commit: 8,
        committed: 8,
        viewChange: 7,
        newView: 7,
        share: 6,
      };
      const codes = [
        "announce",
        "prepare",
        "prepared",
        "commit",
        "committed",
        "viewChange",
        "newView",
        "share",
      ];
      for (const c of valid("message_decode")) {
        const encoded = (c.input as { encoded: string }).encoded;
        const json = post("message_decode", c.name) as { type: string; blockNum: string; viewId: string };
        const again = runner.handlers.message_encode!;
        expect(
          (again.run(again.input.parse({ message: json }), preset, undefined) as { encoded: string }).encoded,
          c.name,
        ).toBe(encoded);
        const list = RLP.decode(bytesFromHex(encoded)) as Uint8Array[];
        expect(list.length, c.name).toBe(fieldCounts[json.type]);
        expect(list[0], c.name).toEqual(Uint8Array.of(codes.indexOf(json.type) + 1));
        expect(BigInt(bytesToHex(list[3]!) === "0x" ? 0 : bytesToHex(list[3]!)), c.name).toBe(
          BigInt(json.viewId),
        );
      }
      for (const c of valid("message_encode")) {
        const encoded = (post("message_encode", c.name) as { encoded: string }).encoded;
        expect(post("message_decode", c.name), c.name).toEqual((c.input as Input).message);
        expect(encoded).toMatch(/^0x[0-9a-f]+$/);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Event scripts

/**
 * Every error code of chapters 6 and 7 that reaches a client through this runner: all of them but
 * BITMAP_COMMITTEE_SIZE's chapter-6 use (a committee of more than 65536 keys), whose check the bitmap vectors
 * carry. Written out from the chapters' error tables.
 */
const CHAPTER_6_7_CODES = [
  "COMMITTEE_EMPTY",
  "COMMITTEE_POWER_INVALID",
  "COMMITTEE_DUPLICATE_KEY",
  "QC_INSUFFICIENT_QUORUM",
  "QC_BAD_SIGNATURE",
  "QC_GENESIS_NOT_EMPTY",
  "MSG_UNKNOWN_TYPE",
  "MSG_FIELD_COUNT",
  "MSG_FIELD_INVALID",
  "VOTE_DUPLICATE",
  "EVIDENCE_KIND_MISMATCH",
  "EVIDENCE_NOT_CONFLICTING",
  "EVIDENCE_NO_COMMON_SIGNER",
  "EVIDENCE_BAD_SIGNATURE",
  "CONSENSUS_WRONG_SHARD",
  "CONSENSUS_UNKNOWN_SIGNER",
  "CONSENSUS_STALE_HEIGHT",
  "CONSENSUS_HEIGHT_TOO_FAR",
  "CONSENSUS_VIEW_TOO_FAR",
  "CONSENSUS_STALE_VIEW",
  "CONSENSUS_NOT_LEADER",
  "CONSENSUS_BAD_SIGNATURE",
  "CONSENSUS_FIELD_INVALID",
  "CONSENSUS_DUPLICATE",
  "CONSENSUS_BLOCK_MISMATCH",
  "CONSENSUS_HEADER_VIEW_MISMATCH",
  "FBFT_NOT_PROPOSER",
  "FBFT_ALREADY_PROPOSED",
  "FBFT_COMMIT_CONFLICT",
  "VIEW_NOT_REPROPOSED",
  "VIEW_NOT_TURN_START",
  "VIEW_PREPARED_VIEW_INVALID",
  "VIEW_BLOCK_MISMATCH",
  "VIEW_EMPTY_CLAIMS",
  "VIEW_DUPLICATE_GROUP",
  "VIEW_CLAIMS_MISSING",
  "VIEW_CONFLICTING_PREPARED",
];

/** The codes the script steps expect: chapter 6–7 codes plus those of the rules STEP calls. */
const SCRIPT_CODES = [
  ...CHAPTER_6_7_CODES.filter(
    (c) => !/^(COMMITTEE|EVIDENCE)_|^MSG_FIELD|^VIEW_(EMPTY_CLAIMS|DUPLICATE_GROUP)$/.test(c),
  ),
  "BITMAP_LENGTH",
  "BLOCK_STATE_ROOT_MISMATCH",
  "BLOCK_INCOMING_ROOT_MISMATCH",
  // The randomness rules STEP runs on the beacon chain (§9.7) and the checks they call.
  "DRG_SHARE_WRONG_ROUND",
  "DRG_INSUFFICIENT_POWER",
  "DRG_WINDOW_CLOSED",
  "DRG_SHARE_LEFT_OUT",
  "DRG_REVEAL_NOT_READY",
  "DRG_REVEAL_UNEXPECTED",
  "DRG_REVEAL_MALFORMED",
  "VRF_PROOF_INVALID",
  "VDF_PROOF_INVALID",
];

type Output = {
  kind: string;
  to?: number;
  viewId?: string;
  afterMs?: number;
  blockNum?: string;
  wait?: boolean;
  epoch?: string;
  block?: string;
  committed?: { viewId: string; certificate: Json };
  message?: { type: string; viewId: string; [k: string]: Json };
  evidence?: { first: { kind: string } };
};

/** One output in a line, enough to tell the protocol's flow. */
function summary(o: Output): string {
  switch (o.kind) {
    case "send":
      return `send ${o.to} ${o.message!.type} v${o.message!.viewId}`;
    case "broadcast":
      return `broadcast ${o.message!.type} v${o.message!.viewId}`;
    case "timer":
      return `timer v${o.viewId} ${o.afterMs}`;
    case "proposalDue":
      return `proposalDue ${o.blockNum} v${o.viewId}${o.wait === false ? " now" : ""}`;
    case "drgTimer":
      return `drgTimer v${o.viewId} ${o.afterMs}`;
    case "vdfDue":
      return `vdfDue ${o.epoch}`;
    case "finalized":
      return `finalized v${o.committed!.viewId}`;
    case "evidence":
      return `evidence ${o.evidence!.first.kind}`;
    default:
      return `${o.kind} ${o.blockNum}`;
  }
}

/** VIEW-TIMEOUT.1 for the minimal preset: 8 s doubled per turn (2 views) since the height's first view. */
function timer(view: number, heightView: number): string {
  const turns = Math.min(Math.floor(view / 2) - Math.floor(heightView / 2), 5);
  return `timer v${view} ${8000 * 2 ** turns}`;
}

/**
 * The outputs each script must give, derived by hand from chapters 6–7: `startOutputs`, then one entry per step
 * (null for a step that is refused; its code is checked separately). Leaders: view 1 → member 0, 2–3 → 1,
 * 4–5 → 2.
 */
const FLOWS: Record<string, (string[] | null)[]> = {
  leader_round: [
    [timer(1, 1), "proposalDue 1 v1"],
    ["broadcast announce v1"],
    null,
    null,
    [],
    ["broadcast prepared v1"], // own vote, member 1 and member 2: 3 of 4; the leader's own commit is counted
    [],
    ["broadcast committed v1", "finalized v1", timer(2, 2)], // view 2 is member 1's: no proposal due
    null,
  ],
  validator_round: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    ["finalized v1", timer(2, 2)],
    ["send 1 prepare v2"],
  ],
  leader_rotation: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["finalized v1", timer(2, 2), "proposalDue 2 v2"],
    ["broadcast announce v2"],
    [],
    ["broadcast prepared v2"],
    [],
    ["broadcast committed v2", "finalized v2", timer(3, 3), "proposalDue 3 v3"],
    ["broadcast announce v3"],
    [],
    ["broadcast prepared v3"],
    [],
    ["broadcast committed v3", "finalized v3", timer(4, 4)],
  ],
  view_change_silent_leader: [
    [timer(1, 1)],
    [], // a timer of view 0, which the node is not in
    [timer(2, 1), "broadcast viewChange v2"],
    [],
    null,
    ["broadcast newView v2", timer(2, 1), "proposalDue 1 v2"],
    null,
    ["broadcast announce v2"],
  ],
  view_change_join_and_replay: [
    [timer(1, 1)],
    [], // one member of four is not a blocking set
    [timer(2, 1), "broadcast viewChange v2"], // two are: 3 · 2 > 4
    [], // buffered: the node is changing views
    [timer(2, 1), "send 1 prepare v2"], // the new view, then the replayed announce
    null,
    [timer(4, 1), "broadcast viewChange v4"],
  ],
  view_change_locked_new_leader: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    [timer(2, 1), "broadcast viewChange v2"],
    [],
    ["broadcast newView v2", timer(2, 1), "broadcast announce v2"], // re-proposes A: no proposal due
    [],
    ["broadcast prepared v2"],
    [],
    ["broadcast committed v2", "finalized v2", timer(3, 3), "proposalDue 2 v3"],
  ],
  view_change_locked_validator: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    [timer(2, 1), "broadcast viewChange v2"],
    null,
    null,
    null,
    null,
    [timer(2, 1)],
    null,
    ["send 1 prepare v2"],
    ["send 1 commit v2"],
    ["finalized v2", timer(3, 3)],
  ],
  commit_conflict: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    [timer(2, 1), "broadcast viewChange v2"],
    [timer(2, 1)],
    ["send 1 prepare v2"],
    null,
    null,
  ],
  leader_receive_checks: [
    [timer(1, 1), "proposalDue 1 v1"],
    ["broadcast announce v1"],
    null,
    null,
    null,
    null,
    ["syncNeeded 1"], // height 9 = 1 + 8 is buffered
    null,
    [], // view 65 is turn 32 = 0 + 32, led by member 0: buffered
    null,
    null,
    null,
    null,
    [],
    null,
    ["evidence prepare"],
    ["broadcast prepared v1"],
    [],
    ["evidence commit"],
    ["broadcast committed v1", "finalized v1", timer(2, 2)],
    null,
  ],
  validator_receive_checks: [
    [timer(1, 1)],
    null,
    null,
    null,
    null,
    null,
    null,
    ["send 0 prepare v1"],
    null,
    ["evidence prepare"],
    null,
    null,
    null,
    ["send 0 commit v1"],
    null,
    ["evidence prepare"],
    null,
    ["finalized v1", timer(2, 2), "proposalDue 2 v2"],
    null,
  ],
  committed_catch_up: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    null,
    ["finalized v4", timer(5, 5)], // the next height starts in the view after the deciding one: max(1, 4) + 1
  ],
  future_height_replayed: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["syncNeeded 1"],
    ["finalized v1", timer(2, 2), "send 1 prepare v2"],
  ],
  sync_block: [
    [timer(1, 1)],
    null,
    null,
    null,
    null,
    ["finalized v1", timer(2, 2)], // the next height starts in the view after the committed message's
    null,
    ["syncNeeded 2"],
    ["finalized v2", timer(3, 3)],
  ],
  restart_keeps_votes: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    [timer(1, 1)], // FBFT-PERSIST: a restart only re-arms the view timer
    [], // it prepared in view 1 before the crash
    ["send 0 commit v1"],
    [timer(1, 1)],
    null,
    [timer(2, 1), "broadcast viewChange v2"],
    [timer(2, 1)], // still changing views, its request already sent
    [timer(2, 1)], // the new view of member 1 counts its claim; member 1 re-proposes
  ],
  restart_in_new_view: [
    [timer(1, 1)],
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    [timer(2, 1)],
    [timer(2, 1)],
    null,
    ["send 1 prepare v2"],
  ],
  far_behind_catch_up: [
    [timer(1, 1)],
    null,
    null,
    ["syncNeeded 1"], // FBFT-CATCH-UP L3: the first authentic message beyond the window
    null, // refused: asked already at height 1
    ["finalized v1", timer(2, 2)],
    ["syncNeeded 2"], // height 2: 11 is still beyond its window, and nothing was asked at this height
  ],
  // The beacon chain (§9.7): block 1 commits, block 4 reveals; the minimal window is 2000 ms, half for the leader.
  beacon_leader_commit_round: [
    [timer(1, 1), "drgTimer v1 1000"], // no proposal after the block period at a commit height
    [],
    null,
    [],
    ["proposalDue 1 v1 now"], // the last of the four shares
    ["broadcast announce v1"],
    null,
    [], // the view has its proposal
  ],
  beacon_leader_half_window: [
    [timer(1, 1), "drgTimer v1 1000"],
    [],
    [], // a timer of view 2
    ["proposalDue 1 v1 now"],
    ["broadcast announce v1"],
  ],
  beacon_leader_too_few_shares: [
    [timer(1, 1), "drgTimer v1 1000"],
    ["proposalDue 1 v1 now"],
    null,
    [],
    [],
    ["proposalDue 1 v1 now"], // all four: due again, the view still has no proposal
    ["broadcast announce v1"],
  ],
  beacon_share_refusals: [[timer(1, 1), "drgTimer v1 1000"], null, null, null, null, null, [], [], null],
  beacon_member_commit_round: [
    [timer(1, 1), "send 0 share v1", "drgTimer v1 2000"],
    null,
    ["send 0 prepare v1"],
    ["send 0 commit v1"],
    ["finalized v1", "vdfDue 0", timer(2, 2)],
    null,
    null,
    null,
    [],
  ],
  beacon_member_window_closed: [
    [timer(1, 1), "send 0 share v1", "drgTimer v1 2000"],
    [],
    null,
    ["send 0 commit v1"],
  ],
  beacon_member_left_out: [[timer(1, 1), "send 0 share v1", "drgTimer v1 2000"], null, ["send 0 prepare v1"]],
  leader_incoming_entries: [[timer(1, 1), "proposalDue 1 v1"], ["broadcast announce v1"]],
  beacon_leader_crosslinks: [
    [timer(1, 1), "drgTimer v1 1000"],
    [],
    [],
    ["proposalDue 1 v1 now"],
    ["broadcast announce v1"],
  ],
  beacon_reveal_round: [
    [timer(1, 1), "send 0 share v1", "drgTimer v1 2000"],
    ["finalized v1", "vdfDue 0", timer(2, 2)],
    ["finalized v2", timer(3, 3)],
    ["finalized v3", timer(4, 4), "proposalDue 4 v4"], // the reveal height is not a commit height
    null,
    [],
    ["broadcast announce v4"],
  ],
};

describe("consensus runner, preset minimal: event scripts", () => {
  const scripts = runner.scriptCases!(MINIMAL);
  const runs = new Map(scripts.map((c) => [c.name, expectScriptAsDeclared(runner, c, MINIMAL)] as const));
  const outputs = (name: string, step: number): Output[] => {
    const run = runs.get(name)!;
    const result = step < 0 ? run.startOutputs : unwrapStep(run.steps[step]!);
    return result as unknown as Output[];
  };

  it("scripts are well formed, and their steps expect exactly the codes STEP can raise", () => {
    expectWellFormedScriptCases(runner, runner.cases(MINIMAL), scripts);
    expectScriptStepPerCode(scripts, { script: SCRIPT_CODES });
  });

  it("every error code of chapters 6 and 7 is expected by some vector", () => {
    const expected = new Set<string>();
    for (const c of runner.cases(MINIMAL)) if (c.expectedError) expected.add(c.expectedError);
    for (const c of scripts) for (const s of c.steps) if (s.expectedError) expected.add(s.expectedError);
    expect(CHAPTER_6_7_CODES.filter((code) => !expected.has(code))).toEqual([]);
  });

  // @covers FBFT-EVENTS.5 FBFT-RECEIVE.3 FBFT-PROPOSE.4 FBFT-ON-ANNOUNCE.3 FBFT-ON-PREPARE.1 FBFT-ON-PREPARED.2
  // @covers FBFT-ON-COMMIT.1 FBFT-ON-COMMITTED.2 FBFT-FINALIZE.2 FBFT-BUFFER.1 FBFT-SYNC.2 FBFT-LEADER.1
  // @covers VIEW-TIMEOUT.1 VIEW-NEXT.1 VIEW-START.2 VIEW-ON-VIEWCHANGE.1 VIEW-NEWVIEW-BUILD.2 VIEW-ON-NEWVIEW.1
  it.each(scripts.map((c) => [c.name, c] as const))(
    "%s gives the outputs the chapters prescribe",
    (name, c) => {
      const flow = FLOWS[name];
      expect(flow, name).toBeDefined();
      expect(flow!.length, name).toBe(c.steps.length + 1);
      const run = runs.get(name)!;
      const got = [run.startOutputs, ...run.steps.map((s) => (s.ok ? s.value : null))].map((o) =>
        o === null ? null : (o as unknown as Output[]).map(summary),
      );
      expect(got).toEqual(flow);
    },
  );

  const s = stage(MINIMAL);
  const [m0, m1, m2, m3] = s.m;
  const bitmapOf = (...signers: Signer[]) =>
    bytesToHex(Uint8Array.of(signers.reduce((b, x) => b | (1 << x.index), 0)));

  // @covers FBFT-PROPOSE.4 FBFT-ON-COMMIT.1 QC-FORMAT.1
  it("the leader proposes the block FBFT-PROPOSE L3 describes and certifies it with the votes it counted", () => {
    const [announce] = outputs("leader_round", 0);
    expect(announce!.message!.block).toBe(bytesToHex(s.a.bytes));
    expect(outputs("leader_round", 4)[0]!.message!.certificate).toMatchObject({
      bitmap: bitmapOf(m0, m1, m2),
    });
    const [committedMessage, finalized] = outputs("leader_round", 6);
    expect(committedMessage!.message).toEqual(finalized!.committed);
    expect(finalized!.block).toBe(bytesToHex(s.a.bytes));
    expect(finalized!.committed!.certificate).toEqual(
      certificateJson(commitCertificate(s.cast, s.a, [m0, m1, m2])),
    );
    // The committed message proves its view with the prepared certificate the leader locked on.
    expect(committedMessage!.message!.preparedCertificate).toEqual(
      outputs("leader_round", 4)[0]!.message!.certificate,
    );
  });

  // @covers FBFT-PROPOSE.4 CX-SELECT.2
  it("a leader's block carries the beacon header it was offered, then the receipt it proves, and no forged entry", () => {
    const send = transfer(
      MINIMAL,
      { shard: 0, index: 0 },
      0n,
      addressOf({ shard: 1, index: 1 }),
      10n ** 18n,
      {
        toShard: 1,
      },
    );
    const [b1] = finalBeaconBlocks(MINIMAL, 1, () => [send]);
    const receipt = receiptEntry(b1!.block, outgoingOf(genesis(MINIMAL, 0), b1!.block, MINIMAL), 1, 0);
    const fields = plainProposerFields(1000n, 1n);
    const expected = buildBlock(s.genesis, [], fields, MINIMAL, { incoming: [beaconEntry(b1!), receipt] });
    if (!expected.ok) throw expected.error;
    expect(outputs("leader_incoming_entries", 0)[0]!.message!.block).toBe(
      bytesToHex(encodeBlock(expected.value.block)),
    );
    expect(expected.value.block.incomingReceipts).toHaveLength(2);
  });

  // @covers DRG-PROPOSE.1 DRG-ENTER-VIEW.1 DRG-ON-TIMER.1 FBFT-PROPOSE.4
  it("a beacon leader commits exactly the shares it holds and reveals exactly the epoch's pRnd", () => {
    const cast = castOf(MINIMAL, 4, 0);
    const [b0, b1, b2] = cast.members;
    const chain = beaconChainAt(genesis(MINIMAL, 0));
    const announced = (name: string, step: number) => outputs(name, step)[0]!.message!.block;
    expect(announced("beacon_leader_commit_round", 4)).toBe(
      bytesToHex(beaconProposal(cast, chain, 1n, 1000n, null).bytes),
    );
    expect(announced("beacon_leader_half_window", 3)).toBe(
      bytesToHex(beaconProposal(cast, chain, 1n, 1000n, null, [b0!, b1!]).bytes),
    );
    const signers = [b0!, b1!, b2!];
    const first = beaconProposal(cast, chain, 1n, 1000n, null);
    const second = beaconProposal(cast, first.after, 2n, 1002n, commitCertificate(cast, first, signers));
    const third = beaconProposal(cast, second.after, 3n, 1004n, commitCertificate(cast, second, signers));
    const fourth = beaconProposal(cast, third.after, 4n, 1006n, commitCertificate(cast, third, signers));
    expect(announced("beacon_reveal_round", 5)).toBe(bytesToHex(fourth.bytes));
    expect(fourth.after.drg.rnd).toHaveLength(32);
    const [x1, x2] = linkedBlocks(MINIMAL, 1, 2).map((b) => b.crossLink);
    expect(announced("beacon_leader_crosslinks", 3)).toBe(
      bytesToHex(beaconProposal(cast, chain, 1n, 1000n, null, cast.members, [x1!, x2!]).bytes),
    );
  });

  // @covers FBFT-LEADER.1 QC-HEADER.1 FBFT-FINALIZE.2
  it("a rotating leader puts the certificate it finalized with into its next header", () => {
    const block2 = proposal(s.cast, s.a.after, 2n, 1003n, commitCertificate(s.cast, s.a, [m0, m2, m3]));
    const block3 = proposal(s.cast, block2.after, 3n, 1005n, commitCertificate(s.cast, block2, [m1, m2, m3]));
    expect(outputs("leader_rotation", 2)[0]!.message!.block).toBe(bytesToHex(block2.bytes));
    expect(outputs("leader_rotation", 7)[0]!.message!.block).toBe(bytesToHex(block3.bytes));
    expect(outputs("leader_rotation", 11)[1]!.block).toBe(bytesToHex(block3.bytes));
  });

  // @covers VIEW-NEWVIEW-BUILD.2 VIEW-START.2 VIEW-ON-NEWVIEW.1
  it("new views aggregate what was asked and claimed; a locked member's claim makes the block re-proposed", () => {
    const silent = outputs("view_change_silent_leader", 4)[0]!.message!;
    expect(silent.m3).toMatchObject({ bitmap: bitmapOf(m1, m2, m3) });
    expect(silent.m2).toMatchObject({ bitmap: bitmapOf(m1, m2, m3) });
    expect(silent.m1).toEqual([]);
    const claim = outputs("view_change_locked_new_leader", 2)[1]!.message!.claim as { [k: string]: Json };
    expect(claim).toMatchObject({
      kind: "prepared",
      preparedViewId: "1",
      preparedHash: bytesToHex(s.a.hash),
    });
    const [nv, , reproposal] = outputs("view_change_locked_new_leader", 4);
    expect(nv!.message!.m2).toMatchObject({ bitmap: bitmapOf(m3) });
    expect(nv!.message!.m1).toEqual([
      {
        preparedViewId: "1",
        preparedHash: bytesToHex(s.a.hash),
        // the certificate of the lowest claimant, member 1 (member 2 claimed another certificate of A)
        preparedCertificate: certificateJson(preparedCertificate(s.cast, 1n, s.a, [m0, m1, m2])),
        claims: expect.objectContaining({ bitmap: bitmapOf(m1, m2) }),
      },
    ]);
    expect(reproposal!.message).toMatchObject({
      type: "announce",
      viewId: "2",
      blockHash: bytesToHex(s.a.hash),
    });
    expect(outputs("view_change_locked_new_leader", 8)[1]).toMatchObject({
      block: bytesToHex(s.a.bytes),
      committed: { viewId: "2", blockViewId: "1" },
    });
    expect(outputs("view_change_locked_validator", 11)[0]).toMatchObject({ block: bytesToHex(s.a.bytes) });
  });

  // @covers EVIDENCE-FORMAT.1 EVIDENCE-VERIFY.1 VOTE-KEEPER.1
  it("every evidence output convicts the equivocating members, checked with the pure back end", () => {
    const committee = committeeFrom(parseWith(CommitteeJson, committeeJson(s.m)));
    const convicted = (name: string, step: number) => {
      const evidence = parseWith(DoubleSignEvidenceJson, outputs(name, step)[0]!.evidence);
      return unwrap(verifyEvidence(evidence, committee, nobleBls));
    };
    expect(convicted("leader_receive_checks", 14)).toEqual([1]);
    expect(convicted("leader_receive_checks", 17)).toEqual([1]);
    expect(convicted("validator_receive_checks", 8)).toEqual([0]);
    expect(convicted("validator_receive_checks", 14)).toEqual([0, 2, 3]);
  });

  it("scripts replay identically, and the pure back end gives the same outputs", () => {
    for (const c of scripts) {
      const again = executeScript(
        runner,
        c.handler,
        c.pre,
        c.steps.map((x) => x.event),
        MINIMAL,
      );
      expect(again, c.name).toEqual({ ok: true, value: runs.get(c.name) });
    }
    const pure: RunnerDef = { ...runner, scripts: { script: scriptHandlerWith(nobleBls) } };
    for (const name of ["validator_round", "committed_catch_up"]) {
      const c = scripts.find((x) => x.name === name)!;
      const run = executeScript(
        pure,
        c.handler,
        c.pre,
        c.steps.map((x) => x.event),
        MINIMAL,
      );
      expect(run, name).toEqual({ ok: true, value: runs.get(name) });
    }
  });
});

function unwrapStep(step: Result<Json>): Json {
  if (!step.ok) throw step.error;
  return step.value;
}

/**
 * The mainnet preset's outputs, derived by hand from chapters 6–7 and the preset: 200 members, leaderTerm 163
 * (member 0 leads views 0–162, member 1 views 163–325), viewTimeoutMs 27000 doubled per turn since the height's
 * first view.
 */
const MAINNET_FLOWS: Record<string, (string[] | null)[]> = {
  mainnet_validator_round: [
    ["timer v1 27000"],
    ["send 0 prepare v1"],
    null,
    ["send 0 commit v1"],
    ["finalized v1", "timer v2 27000"],
    ["send 0 prepare v2"], // view 2 is still member 0's turn
  ],
  mainnet_view_change: [
    ["timer v1 27000"],
    ["timer v163 54000", "broadcast viewChange v163"], // ENTER-VIEW arms the timer before L8 broadcasts
    null,
    ["timer v163 54000"],
    ["send 1 prepare v163"],
  ],
};

describe("consensus runner, preset mainnet: event scripts", () => {
  const scripts = runner.scriptCases!(MAINNET);

  it("scripts are well formed, and their steps expect codes STEP can raise", () => {
    expectWellFormedScriptCases(runner, runner.cases(MAINNET), scripts);
    expect(Object.keys(MAINNET_FLOWS)).toEqual(scripts.map((c) => c.name));
  });

  // @covers FBFT-QUORUM.1 FBFT-LEADER.1 VIEW-TIMEOUT.1 VIEW-NEXT.1 VIEW-CHECK-NEWVIEW.2
  it.each(scripts.map((c) => [c.name, c] as const))(
    "%s gives the outputs the chapters prescribe",
    (name, c) => {
      const run = expectScriptAsDeclared(runner, c, MAINNET);
      const got = [run.startOutputs, ...run.steps.map((s) => (s.ok ? s.value : null))].map((o) =>
        o === null ? null : (o as unknown as Output[]).map(summary),
      );
      expect(got).toEqual(MAINNET_FLOWS[name]);
    },
  );
});
