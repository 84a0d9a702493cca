/*
 * How a node scores its peers (§14.5): what it drops, and when it stops listening to a peer.
 */

/** What one malformed or inauthentic envelope costs its sender. @spec P2P-SCORE.1 */
export const MISBEHAVIOUR_PENALTY = 10;

/** A peer whose score falls to this is disconnected and ignored. @spec P2P-SCORE.1 */
export const DROP_SCORE = -100;

/** Why an envelope was refused: by P2P-DECODE, or by the rule the node fed it to. */
export type Refusal =
  | { readonly stage: "decode"; readonly code: string }
  | { readonly stage: "rule"; readonly code: string };

/**
 * P2P-SCORE (L1–L4): a peer's score after one of its envelopes was accepted (null) or refused. An envelope that does
 * not decode, or whose signature does not verify, costs MISBEHAVIOUR_PENALTY; any other refusal (a stale height, a
 * duplicate) costs nothing, since honest peers send those in the normal course.
 *
 * @spec P2P-SCORE.1
 */
export function scoreAfter(score: number, refusal: Refusal | null): number {
  if (refusal === null) return score; // P2P-SCORE L1
  if (refusal.stage === "decode") return score - MISBEHAVIOUR_PENALTY; // P2P-SCORE L2
  if (refusal.code.endsWith("_BAD_SIGNATURE")) return score - MISBEHAVIOUR_PENALTY; // P2P-SCORE L3
  return score; // P2P-SCORE L4
}

/** Whether a peer with this score is dropped. @spec P2P-SCORE.1 */
export function isDropped(score: number): boolean {
  return score <= DROP_SCORE;
}
