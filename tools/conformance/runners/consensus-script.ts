import { z } from "zod";
import {
  type ConsensusConfig,
  type ConsensusEvent,
  ConsensusMessageJson,
  ConsensusMessageJsonOutput,
  type ConsensusOutput,
  type ConsensusState,
  DoubleSignEvidenceJsonOutput,
  evidenceToJson,
  initialState,
  messageToJson,
  persistentState,
  restoreState,
  step,
} from "../../../reference/consensus/index.ts";
import { CrossLinkJson } from "../../../reference/crossshard/crosslink.ts";
import { decodeIncomingEntry } from "../../../reference/crossshard/incoming.ts";
import type { BlsBackend } from "../../../reference/crypto/bls/backend.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalText,
  HexBytes,
  HexText,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { rlpDecodeOrThrow } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { decodeBlock, encodeBlock } from "../../../reference/ledger/block.ts";
import { decodeTransaction } from "../../../reference/ledger/transaction.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import type { Json, ScriptHandlerDef, ScriptTransition } from "../types.ts";
import { bls, CertificateJson, CommitteeJson, committeeFrom, Uint64Json } from "./consensus-json.ts";
import { LedgerPre, ledgerFromPre } from "./ledger.ts";

/*
 * The event-script handler of the consensus runner: one validator's FBFT and view-change state machine
 * (STEP of FBFT-EVENTS.5). `pre` is the validator's configuration and its starting ledger, head certificate
 * and view; loading it runs the initial ENTER-VIEW (FBFT-STATE.2). Each event is one STEP; its outputs are
 * listed in the order STEP gives them.
 */

/** zod schema of a script's `pre`: the configuration (FBFT-STATE.2) and where the validator starts. */
export const ScriptPre = z
  .strictObject({
    shardId: JsonInt,
    committee: CommitteeJson,
    me: JsonInt.nullable().describe(
      "the validator's member index; null for a node that follows without voting",
    ),
    secretKey: HexBytes.nullable().describe("the validator's BLS secret key; null exactly when `me` is"),
    ledger: LedgerPre.describe("the ledger the validator starts from: its head header and state"),
    headCertificate: CertificateJson.nullable().describe("the head's commit certificate; null at genesis"),
  })
  .refine((pre) => (pre.me === null) === (pre.secretKey === null), "secretKey is given exactly when me is");

/** zod schema of one event (FBFT-EVENTS.5); blocks and transactions in their wire form. */
export const ScriptEvent = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("deliver"), message: ConsensusMessageJson }),
  z.strictObject({ kind: z.literal("timeout"), viewId: Uint64Json }),
  z.strictObject({
    kind: z.literal("propose"),
    viewId: Uint64Json,
    transactions: z.array(HexBytes),
    crossLinks: z.array(CrossLinkJson).optional().describe("the crosslinks the driver gathered (shard 0)"),
    incoming: z
      .array(HexBytes)
      .optional()
      .describe(
        "the incoming entries the driver gathered, each the RLP encoding of its item (CX-ENTRY-FORMAT.2)",
      ),
    time: Uint64Json,
  }),
  z.strictObject({ kind: z.literal("syncBlock"), block: HexBytes, committed: ConsensusMessageJson }),
  z.strictObject({ kind: z.literal("drgTimeout"), viewId: Uint64Json }),
  z.strictObject({ kind: z.literal("vdfReady"), epoch: Uint64Json, vdf: HexBytes }),
  // Not a STEP event: the validator crashes and restarts from the durable part of its state (FBFT-PERSIST.3).
  z.strictObject({ kind: z.literal("restart") }),
]);

/** zod schema of the outputs of one step, in order. */
export const ScriptOutputs = z.array(
  z.discriminatedUnion("kind", [
    z.strictObject({ kind: z.literal("send"), to: JsonInt, message: ConsensusMessageJsonOutput }),
    z.strictObject({ kind: z.literal("broadcast"), message: ConsensusMessageJsonOutput }),
    z.strictObject({ kind: z.literal("timer"), viewId: DecimalText, afterMs: JsonInt }),
    z.strictObject({
      kind: z.literal("proposalDue"),
      blockNum: DecimalText,
      viewId: DecimalText,
      wait: z.boolean(),
    }),
    z.strictObject({ kind: z.literal("finalized"), block: HexText, committed: ConsensusMessageJsonOutput }),
    z.strictObject({ kind: z.literal("evidence"), evidence: DoubleSignEvidenceJsonOutput }),
    z.strictObject({ kind: z.literal("syncNeeded"), blockNum: DecimalText }),
    z.strictObject({ kind: z.literal("drgTimer"), viewId: DecimalText, afterMs: JsonInt }),
    z.strictObject({ kind: z.literal("vdfDue"), epoch: DecimalText, pRnd: HexText }),
  ]),
);

/** The JSON form of one output. */
export function outputToJson(output: ConsensusOutput): Json {
  switch (output.kind) {
    case "send":
      return { kind: "send", to: output.to, message: messageToJson(output.message) };
    case "broadcast":
      return { kind: "broadcast", message: messageToJson(output.message) };
    case "timer":
      return { kind: "timer", viewId: bigintToDecimal(output.viewId), afterMs: output.afterMs };
    case "proposalDue":
      return {
        kind: "proposalDue",
        blockNum: bigintToDecimal(output.blockNum),
        viewId: bigintToDecimal(output.viewId),
        wait: output.wait,
      };
    case "finalized":
      return {
        kind: "finalized",
        block: bytesToHex(encodeBlock(output.block)),
        committed: messageToJson(output.committed),
      };
    case "evidence":
      return { kind: "evidence", evidence: evidenceToJson(output.evidence) };
    case "syncNeeded":
      return { kind: "syncNeeded", blockNum: bigintToDecimal(output.blockNum) };
    case "drgTimer":
      return { kind: "drgTimer", viewId: bigintToDecimal(output.viewId), afterMs: output.afterMs };
    case "vdfDue":
      return { kind: "vdfDue", epoch: bigintToDecimal(output.epoch), pRnd: bytesToHex(output.pRnd) };
  }
}

/** A running validator: its configuration and current state. */
interface Validator {
  readonly config: ConsensusConfig;
  readonly state: ConsensusState;
}

function transition(config: ConsensusConfig, state: ConsensusState, outputs: readonly ConsensusOutput[]) {
  return { state: { config, state }, outputs: outputs.map(outputToJson) };
}

/** The reference event of a parsed JSON STEP event: blocks and transactions decoded from their wire form. */
function eventFrom(
  event: Exclude<z.output<typeof ScriptEvent>, { kind: "restart" }>,
  preset: Preset,
): ConsensusEvent {
  switch (event.kind) {
    case "deliver":
    case "timeout":
    case "drgTimeout":
    case "vdfReady":
      return event;
    case "propose":
      return {
        kind: "propose",
        viewId: event.viewId,
        transactions: event.transactions.map((tx) => unwrap(decodeTransaction(tx))),
        crossLinks: event.crossLinks ?? [],
        incoming: (event.incoming ?? []).map((bytes) =>
          unwrap(decodeIncomingEntry(rlpDecodeOrThrow(bytes), preset)),
        ),
        time: event.time,
      };
    case "syncBlock":
      return {
        kind: "syncBlock",
        block: unwrap(decodeBlock(event.block, preset)),
        committed: event.committed,
      };
  }
}

/** The script handler with signatures made and checked by `backend`. */
export function scriptHandlerWith(
  backend: BlsBackend,
): ScriptHandlerDef<typeof ScriptPre, typeof ScriptEvent, Validator> {
  return {
    description:
      "one validator's FBFT and view-change state machine (STEP): `pre` is its configuration, ledger and head " +
      "certificate, and it starts in the view after the head's (a shard-0 validator at genesis, whose ledger " +
      "becomes the beacon chain state); each event is a delivered message, a view or DRG timeout, a proposal, " +
      "a synced block with its committed message, a computed reveal, or a restart from the durable state",
    pre: ScriptPre,
    event: ScriptEvent,
    outputs: ScriptOutputs,
    start(pre, preset): ScriptTransition<Validator> {
      const config: ConsensusConfig = {
        preset,
        shardId: pre.shardId,
        committee: committeeFrom(pre.committee),
        me: pre.me,
        secretKey: pre.secretKey,
        bls: backend,
      };
      const started = initialState(config, ledgerFromPre(pre.ledger, preset), pre.headCertificate);
      return transition(config, started.state, started.outputs);
    },
    step(validator, event, preset): ScriptTransition<Validator> {
      if (event.kind === "restart") {
        const restarted = restoreState(validator.config, persistentState(validator.state));
        return transition(validator.config, restarted.state, restarted.outputs);
      }
      const stepped = unwrap(step(validator.config, validator.state, eventFrom(event, preset)));
      return transition(validator.config, stepped.state, stepped.outputs);
    },
  };
}

export const scriptHandler = scriptHandlerWith(bls);
