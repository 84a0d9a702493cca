import { z } from "zod";
import {
  accountableOffenders,
  type Certificate,
  type CommitteeMember,
  ConsensusMessageJsonOutput,
  commitPayload,
  DoubleSignEvidenceJson,
  decodeMessage,
  encodeMessage,
  genesisCommittee,
  genesisValidatorSecretKey,
  m1Payload,
  m2Payload,
  m3Payload,
  messageFromJson,
  messageToJson,
  preparePayload,
  verifyCertificate,
  verifyEvidence,
  verifyHeaderCertificate,
  verifyNewView,
} from "../../../reference/consensus/index.ts";

import { bytesToHex, DecimalText, HexBytes, HexText, JsonInt } from "../../../reference/encoding/json.ts";
import { SpecError, unwrap } from "../../../reference/errors.ts";
import { type BlockHeader, checkHeaderFields } from "../../../reference/ledger/header.ts";
import { HeaderJson } from "../../../reference/ledger/ledgerJson.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { consensusCases } from "./consensus-cases.ts";
import { bls, CertificateJson, CommitteeJson, committeeFrom, Hash32, Uint64Json } from "./consensus-json.ts";
import { scriptHandler } from "./consensus-script.ts";
import { consensusScriptCases } from "./consensus-script-cases.ts";
import { drgScriptCases } from "./consensus-script-drg-cases.ts";

/*
 * Conformance runner for chapters 6 and 7 (FBFT consensus and view change). The building blocks (committees,
 * signed payloads, certificates, messages, evidence, new-view checks) are one-operation handlers; the
 * validator's state machine is the event-script handler `script` (consensus-script.ts).
 * Every signature goes through the blst back end (`bls`, consensus-json.ts explains why that is safe).
 */

/** A header read from JSON, its fields in their domains (HEADER-FIELDS.2). */
function headerFrom(header: BlockHeader, preset: Preset): BlockHeader {
  checkHeaderFields(header, preset);
  return header;
}

const committeeCheck: HandlerDef = {
  description: "COMMITTEE-CHECK of `committee` → its total voting power",
  input: z.strictObject({ committee: CommitteeJson }),
  output: z.strictObject({ totalPower: DecimalText }),
  run(input: { committee: CommitteeMember[] }): Json {
    return { totalPower: committeeFrom(input.committee).totalPower.toString() };
  },
};

const genesisCommitteeHandler: HandlerDef = {
  description:
    "GENESIS-VALIDATOR-KEY for every slot of shard `shardId` → the genesis committee with its (public) secret keys",
  input: z.strictObject({ shardId: JsonInt }),
  output: z.strictObject({
    members: z.array(z.strictObject({ secretKey: HexText, publicKey: HexText, power: DecimalText })),
    totalPower: DecimalText,
  }),
  run(input: { shardId: number }, preset: Preset): Json {
    const committee = genesisCommittee(input.shardId, preset, bls);
    return {
      members: committee.members.map((m, i) => ({
        secretKey: bytesToHex(genesisValidatorSecretKey(input.shardId, i)),
        publicKey: bytesToHex(m.publicKey),
        power: m.power.toString(),
      })),
      totalPower: committee.totalPower.toString(),
    };
  },
};

const PayloadInput = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("prepare"), blockNum: Uint64Json, blockHash: Hash32, viewId: Uint64Json }),
  z.strictObject({
    kind: z.literal("commit"),
    blockNum: Uint64Json,
    blockHash: Hash32,
    blockViewId: Uint64Json,
  }),
  z.strictObject({ kind: z.literal("m3"), blockNum: Uint64Json, viewId: Uint64Json }),
  z.strictObject({ kind: z.literal("m2"), blockNum: Uint64Json, viewId: Uint64Json }),
  z.strictObject({
    kind: z.literal("m1"),
    blockNum: Uint64Json,
    viewId: Uint64Json,
    preparedViewId: Uint64Json,
    preparedHash: Hash32,
  }),
]);

/** The bytes FBFT-PAYLOADS.1 names for a parsed payload description. */
function payloadOf(p: z.output<typeof PayloadInput>): Uint8Array {
  switch (p.kind) {
    case "prepare":
      return preparePayload(p.blockNum, p.blockHash, p.viewId);
    case "commit":
      return commitPayload(p.blockNum, p.blockHash, p.blockViewId);
    case "m3":
      return m3Payload(p.blockNum, p.viewId);
    case "m2":
      return m2Payload(p.blockNum, p.viewId);
    case "m1":
      return m1Payload(p.blockNum, p.viewId, p.preparedViewId, p.preparedHash);
  }
}

const payloadHandler: HandlerDef = {
  description: "the bytes a consensus signature covers (PREPARE, COMMIT, M3, M2 or M1) → `payload`",
  input: PayloadInput,
  output: z.strictObject({ payload: HexText }),
  run(input: z.output<typeof PayloadInput>): Json {
    return { payload: bytesToHex(payloadOf(input)) };
  },
};

const qcVerify: HandlerDef = {
  description: "QC-VERIFY of `certificate` over `payload` for `committee` → the signers, ascending",
  input: z.strictObject({ committee: CommitteeJson, certificate: CertificateJson, payload: HexBytes }),
  output: z.strictObject({ signers: z.array(JsonInt) }),
  run(input: { committee: CommitteeMember[]; certificate: Certificate; payload: Uint8Array }): Json {
    const committee = committeeFrom(input.committee);
    return { signers: unwrap(verifyCertificate(input.certificate, input.payload, committee, bls)) };
  },
};

const headerCertificate: HandlerDef = {
  description:
    "QC-HEADER: the commit certificate `header` carries for its parent `parent`, for the committee that produced " +
    "`parent` → null when it is valid",
  input: z.strictObject({ committee: CommitteeJson, header: HeaderJson, parent: HeaderJson }),
  output: z.null(),
  run(
    input: { committee: CommitteeMember[]; header: BlockHeader; parent: BlockHeader },
    preset: Preset,
  ): Json {
    const committee = committeeFrom(input.committee);
    const header = headerFrom(input.header, preset);
    const parent = headerFrom(input.parent, preset);
    unwrap(verifyHeaderCertificate(header, parent, committee, bls));
    return null;
  },
};

const evidenceVerify: HandlerDef = {
  description: "EVIDENCE-VERIFY of double-sign `evidence` against `committee` → the offenders, ascending",
  input: z.strictObject({ committee: CommitteeJson, evidence: DoubleSignEvidenceJson }),
  output: z.strictObject({ offenders: z.array(JsonInt) }),
  run(input: { committee: CommitteeMember[]; evidence: z.output<typeof DoubleSignEvidenceJson> }): Json {
    const committee = committeeFrom(input.committee);
    return { offenders: unwrap(verifyEvidence(input.evidence, committee, bls)) };
  },
};

const accountable: HandlerDef = {
  description:
    "ACCOUNTABLE of FBFT-SAFETY.1: the members two committed messages `first` and `second` of one height for " +
    "different blocks convict, against `committee` → the offenders, ascending",
  input: z.strictObject({ committee: CommitteeJson, first: z.json(), second: z.json() }),
  output: z.strictObject({ offenders: z.array(JsonInt) }),
  run(input: { committee: CommitteeMember[]; first: Json; second: Json }): Json {
    const committee = committeeFrom(input.committee);
    const first = unwrap(messageFromJson(input.first));
    const second = unwrap(messageFromJson(input.second));
    if (first.type !== "committed" || second.type !== "committed") {
      throw new SpecError("JSON_SCHEMA", "both messages must be committed messages");
    }
    return { offenders: unwrap(accountableOffenders(first, second, committee, bls)) };
  },
};

const messageDecode: HandlerDef = {
  description: "MSG-DECODE of the wire bytes `encoded` → the message in its JSON form",
  input: z.strictObject({ encoded: HexBytes }),
  output: ConsensusMessageJsonOutput,
  run(input: { encoded: Uint8Array }): Json {
    return messageToJson(unwrap(decodeMessage(input.encoded)));
  },
};

const messageEncode: HandlerDef = {
  description: "reads a message's JSON form (MSG-RLP.2's domains) and writes its wire form → `encoded`",
  input: z.strictObject({ message: z.json() }),
  output: z.strictObject({ encoded: HexText }),
  run(input: { message: Json }): Json {
    return { encoded: bytesToHex(encodeMessage(unwrap(messageFromJson(input.message)))) };
  },
};

const newViewVerify: HandlerDef = {
  description:
    "VIEW-CHECK-NEWVIEW of the new view `message` for `committee` → the hash of the block the view must " +
    "re-propose, or null",
  input: z.strictObject({ committee: CommitteeJson, message: z.json() }),
  output: z.strictObject({ required: HexText.nullable() }),
  run(input: { committee: CommitteeMember[]; message: Json }, preset: Preset): Json {
    const committee = committeeFrom(input.committee);
    const m = unwrap(messageFromJson(input.message));
    if (m.type !== "newView") throw new SpecError("JSON_SCHEMA", `a ${m.type} message, not a new view`);
    const required = verifyNewView(m, committee, preset, bls);
    return { required: required === null ? null : bytesToHex(required) };
  },
};

export const handlers: Record<string, HandlerDef> = {
  committee_check: committeeCheck,
  genesis_committee: genesisCommitteeHandler,
  payload: payloadHandler,
  qc_verify: qcVerify,
  header_certificate: headerCertificate,
  evidence_verify: evidenceVerify,
  accountable,
  message_decode: messageDecode,
  message_encode: messageEncode,
  newview_verify: newViewVerify,
};

export const runner: RunnerDef = {
  name: "consensus",
  description:
    "chapters 6 and 7 (FBFT consensus and view change): committees, signed payloads, certificates, messages, " +
    "evidence, and the validator's state machine as event scripts",
  handlers,
  cases: (preset: Preset): CaseDef[] => consensusCases(preset),
  scripts: { script: scriptHandler },
  scriptCases: (preset) => [...consensusScriptCases(preset), ...drgScriptCases(preset)],
};
