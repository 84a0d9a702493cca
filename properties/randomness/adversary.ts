import { sha256 } from "@noble/hashes/sha2.js";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Preset } from "../../reference/params/presets.ts";
import {
  buildCommitField,
  buildRevealField,
  checkCommitField,
  checkRevealField,
  type DrgRound,
  drgSeed,
  makeShare,
  type VerifiedShare,
} from "../../reference/randomness/index.ts";
import type { SimCommittee } from "../../sim/fbft/committees.ts";

/*
 * A leader that withholds: it holds every member's share of a round, enumerates the signer sets it may commit,
 * and commits the one it likes best. What it can know when it must commit is modelled by an evaluation budget:
 * the number of sequential squarings it can perform in its commit window (§9.6). The sequentiality of the VDF
 * (§3.11.1) is the assumption that Rnd costs T squarings; a rule that lets the leader learn Rnd within its
 * budget is a broken rule.
 */

/** One signer set the leader could commit, with the commitment and pRnd the real rules give it. */
export interface Candidate {
  readonly signers: readonly number[];
  readonly vrf: Uint8Array;
  readonly pRnd: Uint8Array;
}

/** How Rnd follows from pRnd, and how many sequential squarings computing it takes. */
export interface RandomnessRule {
  readonly name: string;
  readonly cost: bigint;
  rndOf(pRnd: Uint8Array): Uint8Array;
}

/** The rule of chapter 9: Rnd is the reveal's VDF output at the preset's T, as DRG-REVEAL-CHECK gives it. */
export function specifiedRule(preset: Preset): RandomnessRule {
  return {
    name: `VDF with T = ${preset.vdfIterations}`,
    cost: preset.vdfIterations,
    rndOf: (pRnd) => unwrap(checkRevealField(unwrap(buildRevealField(pRnd, preset)), pRnd, preset)),
  };
}

/** A broken rule: no delay, Rnd = sha256(pRnd). */
export const NO_DELAY: RandomnessRule = {
  name: "Rnd = sha256(pRnd)",
  cost: 0n,
  rndOf: (pRnd) => sha256(pRnd),
};

/** The round of trial `trial`: the commit height 9, view 3, and a parent hash that differs per trial. */
export function trialRound(trial: number): DrgRound {
  return { blockNum: 9n, viewId: 3n, parentHash: sha256(new TextEncoder().encode(`trial ${trial}`)) };
}

/** Every member's share of the round, as DRG-SHARE.2 makes it. */
export function allShares(sim: SimCommittee, round: DrgRound, preset: Preset): VerifiedShare[] {
  return sim.secretKeys.map((secretKey, signer) => ({
    signer,
    proof: unwrap(makeShare(secretKey, signer, round, preset, blstBls)).proof,
  }));
}

/**
 * The first `limit` signer sets with more than a third of the power, by size then lexicographically, each
 * committed with DRG-COMMIT-BUILD and read back with DRG-COMMIT-CHECK.
 */
export function candidatesOf(
  sim: SimCommittee,
  shares: readonly VerifiedShare[],
  round: DrgRound,
  preset: Preset,
  limit: number,
): Candidate[] {
  const n = sim.committee.members.length;
  const seed = drgSeed(round, preset);
  const sets: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const signers: number[] = [];
    for (let i = 0; i < n; i++) if ((mask >> i) & 1) signers.push(i);
    sets.push(signers);
  }
  sets.sort((a, b) => a.length - b.length || a.join(",").localeCompare(b.join(",")));
  const out: Candidate[] = [];
  for (const signers of sets) {
    if (out.length === limit) break;
    const built = buildCommitField(
      signers.map((s) => shares[s]!),
      sim.committee,
      blstBls,
    );
    if (!built.ok) continue; // too little power
    const commitment = unwrap(checkCommitField(built.value, sim.committee, seed, blstBls));
    out.push({ signers, vrf: built.value, pRnd: commitment.pRnd });
  }
  return out;
}

/** What the leader wants of Rnd. */
export type Predicate = (rnd: Uint8Array) => boolean;
/** How a leader that cannot evaluate Rnd ranks candidates: from what it sees, pRnd. */
export type Heuristic = (candidates: readonly Candidate[]) => Candidate;

/**
 * The withholding leader: if its budget covers the rule's cost it evaluates every candidate and commits one
 * whose Rnd satisfies the predicate (the first candidate if none does); otherwise it commits the candidate its
 * heuristic picks from the pRnds.
 */
export function withholdingLeader(
  candidates: readonly Candidate[],
  rule: RandomnessRule,
  budget: bigint,
  predicate: Predicate,
  heuristic: Heuristic,
): Candidate {
  if (rule.cost <= budget) {
    for (const c of candidates) if (predicate(rule.rndOf(c.pRnd))) return c;
    return candidates[0]!;
  }
  return heuristic(candidates);
}

/** The leader's target: the low bit of Rnd's first byte is 0, which a uniform Rnd meets with probability 1/2. */
export const EVEN_FIRST_BYTE: Predicate = (rnd) => (rnd[0]! & 1) === 0;

/** Heuristics that would steer the predicate if Rnd were pRnd itself. */
export const HEURISTICS: Readonly<Record<string, Heuristic>> = {
  "even pRnd": (cs) => cs.find((c) => (c.pRnd[0]! & 1) === 0) ?? cs[0]!,
  "smallest pRnd": (cs) => [...cs].sort((a, b) => a.pRnd[0]! - b.pRnd[0]!)[0]!,
};

/** The candidates of `trials` independent rounds (trialRound), each round's first `limit`. */
export function trialCandidates(
  sim: SimCommittee,
  preset: Preset,
  trials: number,
  limit: number,
): Candidate[][] {
  const out: Candidate[][] = [];
  for (let t = 0; t < trials; t++) {
    const round = trialRound(t);
    out.push(candidatesOf(sim, allShares(sim, round, preset), round, preset, limit));
  }
  return out;
}

/**
 * How often, over the rounds, the Rnd the leader commits to satisfies the predicate. The committed Rnd is
 * always computed with the rule, whatever the leader could evaluate.
 */
export function countHits(
  rounds: readonly (readonly Candidate[])[],
  rule: RandomnessRule,
  budget: bigint,
  heuristic: Heuristic,
): number {
  let hits = 0;
  for (const candidates of rounds) {
    const chosen = withholdingLeader(candidates, rule, budget, EVEN_FIRST_BYTE, heuristic);
    if (EVEN_FIRST_BYTE(rule.rndOf(chosen.pRnd))) hits++;
  }
  return hits;
}
