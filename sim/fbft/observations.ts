import type { Committed, ConsensusMessage, DoubleSignEvidence } from "../../reference/consensus/index.ts";
import type { Block } from "../../reference/ledger/block.ts";
import type { CxReceipt } from "../../reference/ledger/receipt.ts";
import type { Observation } from "../engine/index.ts";

/*
 * What an FBFT machine records for checkers and metrics (engine `observe` actions). Every observation is
 * made by the driver from the reference's outputs and the messages it handled; checkers read only these.
 */

/** The node's height, view or mode changed (also recorded once at start and after a restart). */
export interface PositionObservation {
  readonly kind: "position";
  readonly height: bigint;
  readonly view: bigint;
  readonly mode: string;
}

/**
 * A `finalized` output: the block is stored with the committed message that finalized it; `viewId` is that
 * message's view, the view that decided the block. `viaSync` when the block came from a peer (FBFT-SYNC.2).
 */
export interface FinalizedObservation {
  readonly kind: "finalized";
  readonly height: bigint;
  readonly hash: string;
  readonly viewId: bigint;
  readonly viaSync: boolean;
  readonly block: Block;
  readonly committed: Committed;
  /** The block's outgoing receipts, when the driver observes them (DriverOptions.observesOutgoing). */
  readonly outgoing?: readonly CxReceipt[];
}

/** An `evidence` output. */
export interface EvidenceObservation {
  readonly kind: "evidence";
  readonly evidence: DoubleSignEvidence;
}

/**
 * A consensus message this machine sent (every vote and proposal it signed is in one), to one identity or,
 * for a broadcast, to every other identity ("all").
 */
export interface SentObservation {
  readonly kind: "sent";
  readonly to: number | "all";
  readonly message: ConsensusMessage;
}

/**
 * A delivered message that STEP accepted (processed or buffered, so every signature in it verified). Only the
 * types that carry a proposal or a certificate are recorded; accepted votes are visible in the leader's
 * certificates.
 */
export interface AcceptedObservation {
  readonly kind: "accepted";
  readonly message: ConsensusMessage;
}

/**
 * A STEP that raised: the state was kept, the event counted under its code. The driver's own refusal of an
 * announce from the future (FBFT-PROPOSE.4) is recorded the same way as DRIVER_FUTURE_BLOCK.
 */
export interface RejectedObservation {
  readonly kind: "rejected";
  readonly code: string;
  readonly detail: string;
  /** The event kind, and the message type of a delivery. */
  readonly event: string;
}

export type FbftObservation =
  | PositionObservation
  | FinalizedObservation
  | EvidenceObservation
  | SentObservation
  | AcceptedObservation
  | RejectedObservation;

/** An observation with the virtual time it was made at. */
export interface TimedObservation<O extends FbftObservation = FbftObservation> {
  readonly time: number;
  readonly observation: O;
}

/** The observations of one kind, in order. The engine stores `unknown`; every FBFT machine records these. */
export function observationsOf<K extends FbftObservation["kind"]>(
  observations: readonly Observation[],
  kind: K,
): TimedObservation<Extract<FbftObservation, { kind: K }>>[] {
  const out: TimedObservation<Extract<FbftObservation, { kind: K }>>[] = [];
  for (const entry of observations) {
    const observation = entry.observation as FbftObservation;
    if (observation.kind === kind) {
      out.push({ time: entry.time, observation: observation as Extract<FbftObservation, { kind: K }> });
    }
  }
  return out;
}
