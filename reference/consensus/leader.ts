import { SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import type { Committee } from "./committee.ts";

/*
 * Views, turns and leaders (§6.6, §7.1): pure functions of the view number.
 */

/**
 * TURN(v) = v div leaderTerm.
 *
 * @spec FBFT-LEADER.1
 */
export function turnOf(view: bigint, preset: Preset): bigint {
  return view / BigInt(preset.leaderTerm);
}

/**
 * LEADER(v) = TURN(v) mod n: the committee index of the leader of view `view`.
 *
 * @spec FBFT-LEADER.1
 */
export function leaderOf(view: bigint, committee: Committee, preset: Preset): number {
  return Number(turnOf(view, preset) % BigInt(committee.members.length));
}

/**
 * NEXT-VIEW(v) = (TURN(v) + 1) · leaderTerm: the first view of the next turn, so the leader always changes.
 *
 * @spec VIEW-NEXT.1
 */
export function nextView(view: bigint, preset: Preset): bigint {
  return (turnOf(view, preset) + 1n) * BigInt(preset.leaderTerm);
}

/**
 * Raises VIEW_NOT_TURN_START unless `view` is the first view of a turn: the only views a correct member asks
 * for (NEXT-VIEW), so that a view change always changes the leader (VIEW-CHECK-VIEWCHANGE L1,
 * VIEW-CHECK-NEWVIEW L1).
 *
 * @spec VIEW-CHECK-VIEWCHANGE.2 VIEW-CHECK-NEWVIEW.2
 */
export function checkTurnStart(view: bigint, preset: Preset): void {
  if (view % BigInt(preset.leaderTerm) !== 0n) {
    throw new SpecError(
      "VIEW_NOT_TURN_START",
      `view ${view} is inside a turn; turns start every ${preset.leaderTerm} views`,
    );
  }
}

/** The cap on the doubling exponent of VIEW-TIMEOUT.1: at most 2^5 = 32 times the base. */
const MAX_TIMEOUT_DOUBLINGS = 5n;

/**
 * VIEW-TIMEOUT = viewTimeoutMs · 2^min(TURN(v) − TURN(heightView), 5), for the view `view` of a height that
 * started in `heightView`. Every state has heightView ≤ view; were it otherwise the exponent is taken as 0,
 * so that the timeout is never a fraction of the base.
 *
 * @spec VIEW-TIMEOUT.1
 */
export function viewTimeoutMs(view: bigint, heightView: bigint, preset: Preset): number {
  let doublings = turnOf(view, preset) - turnOf(heightView, preset);
  if (doublings > MAX_TIMEOUT_DOUBLINGS) doublings = MAX_TIMEOUT_DOUBLINGS;
  if (doublings < 0n) doublings = 0n;
  return preset.viewTimeoutMs * 2 ** Number(doublings);
}
