import { applyChainBlock } from "../../reference/consensus/chain.ts";
import {
  accountableOffenders,
  type Committee,
  type ConsensusMessage,
  commitPayload,
  isBlocking,
  livenessTurnBound,
  powerOf,
  turnOf,
  verifyCertificate,
  verifyEvidence,
  verifyHeaderCertificate,
} from "../../reference/consensus/index.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { attempt } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Preset } from "../../reference/params/presets.ts";
import type { Observation } from "../engine/index.ts";
import { type FinalizedObservation, observationsOf, type TimedObservation } from "./observations.ts";

/*
 * The properties of FBFT-SAFETY.1 and VIEW-LIVENESS.1, checked over what the machines of one run observed.
 * Pure functions: a checker reads observations (made by the drivers from the reference's outputs) and
 * re-derives everything else with reference functions (applyChainBlock, verifyCertificate, verifyEvidence,
 * accountableOffenders, livenessTurnBound).
 */

/** One machine's part of a run. */
export interface MachineRecord {
  readonly machine: number;
  readonly identity: number;
  /** Runs the honest driver (crash faults included): the safety properties are about these machines. */
  readonly honest: boolean;
  readonly observations: readonly Observation[];
}

/** What the checkers need to know about a run. */
export interface FbftRecord {
  readonly preset: Preset;
  readonly committee: Committee;
  /** The ledger every machine started from. */
  readonly genesis: LedgerState;
  readonly bls: BlsBackend;
  readonly machines: readonly MachineRecord[];
}

/** A checker's verdict; `detail` describes a counterexample when the property fails. */
export interface CheckResult {
  readonly holds: boolean;
  readonly detail: string;
}

function holds(detail: string): CheckResult {
  return { holds: true, detail };
}

function fails(detail: string): CheckResult {
  return { holds: false, detail };
}

function honestMachines(record: FbftRecord): MachineRecord[] {
  return record.machines.filter((machine) => machine.honest);
}

/** Identities every machine of which is honest: only these keys are expected never to equivocate. */
export function honestIdentities(record: FbftRecord): Set<number> {
  const honest = new Set<number>();
  const dishonest = new Set<number>();
  for (const machine of record.machines) (machine.honest ? honest : dishonest).add(machine.identity);
  for (const identity of dishonest) honest.delete(identity);
  return honest;
}

function finalizedBy(machine: MachineRecord): TimedObservation<FinalizedObservation>[] {
  return observationsOf(machine.observations, "finalized");
}

function describeMachine(machine: MachineRecord): string {
  return `machine ${machine.machine} (identity ${machine.identity})`;
}

/** Distinct blocks finalized by honest machines, per height, with the first finalization of each. */
interface Decision {
  readonly height: bigint;
  readonly hash: string;
  readonly machine: MachineRecord;
  readonly first: TimedObservation<FinalizedObservation>;
  /** The lowest view a finalization's committed message names: the view that decided the block. */
  readonly view: bigint;
}

function decisions(record: FbftRecord): Map<bigint, Decision[]> {
  const byHeight = new Map<bigint, Decision[]>();
  for (const machine of honestMachines(record)) {
    for (const entry of finalizedBy(machine)) {
      const { height, hash, viewId } = entry.observation;
      let list = byHeight.get(height);
      if (list === undefined) {
        list = [];
        byHeight.set(height, list);
      }
      const index = list.findIndex((decision) => decision.hash === hash);
      const known = list[index];
      if (known === undefined) {
        list.push({ height, hash, machine, first: entry, view: viewId });
      } else {
        const first = entry.time < known.first.time ? entry : known.first;
        let view = known.view;
        if (viewId < view) view = viewId;
        list[index] = { height, hash, machine: first === entry ? machine : known.machine, first, view };
      }
    }
  }
  return byHeight;
}

/**
 * Agreement (FBFT-SAFETY.1): no two honest machines finalize different blocks at one height.
 */
export function checkAgreement(record: FbftRecord): CheckResult {
  const conflicts: string[] = [];
  let heights = 0;
  for (const [height, list] of decisions(record)) {
    heights++;
    if (list.length > 1) {
      const blocks = list.map(
        (decision) =>
          `${decision.hash} by ${describeMachine(decision.machine)} at ${decision.first.time} ms in view ${decision.first.observation.viewId}`,
      );
      conflicts.push(`height ${height}: ${blocks.join(" vs ")}`);
    }
  }
  if (conflicts.length > 0)
    return fails(`${conflicts.length} height(s) with conflicting blocks; ${conflicts[0]}`);
  return holds(
    `${heights} height(s), one block each across ${honestMachines(record).length} honest machine(s)`,
  );
}

/**
 * Validity (FBFT-SAFETY.1): every honest machine's chain is heights 1, 2, … in order, and replaying it from
 * genesis on a fresh ledger accepts every block: its header certificate (QC-HEADER.1), CHAIN-APPLY (on shard 0
 * the beacon rule), and the commit certificate of the committed message it was stored with (QC-VERIFY.1 over
 * COMMIT).
 */
export function checkValidity(record: FbftRecord): CheckResult {
  const after = new Map<string, LedgerState>();
  const genesisHash = bytesToHex(headerHash(record.genesis.head));
  const chainRules = { shardId: record.genesis.head.shardId, preset: record.preset, bls: record.bls };
  let checked = 0;
  for (const machine of honestMachines(record)) {
    let parent = record.genesis;
    let parentHash = genesisHash;
    let position = 0n;
    for (const { observation } of finalizedBy(machine)) {
      position++;
      const { block, committed, hash } = observation;
      const where = `${describeMachine(machine)} at height ${observation.height}`;
      if (observation.height !== position) return fails(`${where}: stored as block number ${position}`);
      if (bytesToHex(block.header.parentHash) !== parentHash) {
        return fails(`${where}: block ${hash} does not extend the previous block ${parentHash}`);
      }
      parentHash = hash;
      const known = after.get(hash);
      if (known !== undefined) {
        parent = known;
        continue;
      }
      const header = verifyHeaderCertificate(block.header, parent.head, record.committee, record.bls);
      if (!header.ok) return fails(`${where}: header certificate of ${hash}: ${header.error.message}`);
      const applied = attempt(() => applyChainBlock(chainRules, parent, block));
      if (!applied.ok) return fails(`${where}: block ${hash} does not apply: ${applied.error.message}`);
      const payload = commitPayload(block.header.number, headerHash(block.header), block.header.viewId);
      const commit = verifyCertificate(committed.certificate, payload, record.committee, record.bls);
      if (!commit.ok) return fails(`${where}: commit certificate of ${hash}: ${commit.error.message}`);
      after.set(hash, applied.value);
      parent = applied.value;
      checked++;
    }
  }
  return holds(`${checked} distinct block(s) replayed from genesis`);
}

/** The votes an honest machine's sent message signs: kind, view key and block. */
function signedVotesIn(identity: number, message: ConsensusMessage): { key: string; value: string }[] {
  switch (message.type) {
    case "announce":
    case "prepare":
      return [
        {
          key: `prepare by ${identity} at height ${message.blockNum} in view ${message.viewId}`,
          value: bytesToHex(message.blockHash),
        },
      ];
    case "commit":
      return [
        {
          key: `commit by ${identity} at height ${message.blockNum} for block view ${message.blockViewId}`,
          value: bytesToHex(message.blockHash),
        },
      ];
    case "viewChange": {
      const claim = message.claim;
      const said =
        claim.kind === "nil"
          ? "nil"
          : `prepared ${bytesToHex(claim.preparedHash)} in view ${claim.preparedViewId}`;
      return [
        {
          key: `view change by ${identity} at height ${message.blockNum} for view ${message.viewId}`,
          value: said,
        },
      ];
    }
    default:
      return [];
  }
}

/**
 * No honest equivocation (FBFT-SAFETY.1): no evidence any machine observed that verifies
 * (EVIDENCE-VERIFY.1) names an honest identity, and no honest machine sent two prepares in one view, two
 * commits under one commit view key, or two different view-change claims for one height and view.
 */
export function checkNoHonestEquivocation(record: FbftRecord): CheckResult {
  const honest = honestIdentities(record);
  let evidence = 0;
  for (const machine of record.machines) {
    for (const { observation } of observationsOf(machine.observations, "evidence")) {
      const offenders = verifyEvidence(observation.evidence, record.committee, record.bls);
      if (!offenders.ok) continue;
      evidence++;
      const innocent = offenders.value.filter((offender) => honest.has(offender));
      if (innocent.length > 0) {
        return fails(
          `evidence observed by ${describeMachine(machine)} convicts honest identities ${innocent.join(", ")}`,
        );
      }
    }
  }
  const signed = new Map<string, string>();
  let votes = 0;
  for (const machine of honestMachines(record)) {
    if (!honest.has(machine.identity)) continue;
    for (const { observation, time } of observationsOf(machine.observations, "sent")) {
      for (const { key, value } of signedVotesIn(machine.identity, observation.message)) {
        const earlier = signed.get(key);
        if (earlier === undefined) {
          signed.set(key, value);
          votes++;
        } else if (earlier !== value) {
          return fails(`${key}: ${earlier}, then ${value} at ${time} ms from ${describeMachine(machine)}`);
        }
      }
    }
  }
  return holds(
    `${votes} distinct honest vote(s), ${evidence} valid evidence item(s), none against an honest key`,
  );
}

/**
 * Accountability (FBFT-SAFETY.1): when two blocks are finalized at one height, the committed messages they
 * were finalized with (accountableOffenders, ACCOUNTABLE of FBFT-SAFETY.1) and the evidence honest machines
 * observed (EVIDENCE-VERIFY.1) convict members holding more than a third of the power (a blocking set,
 * FBFT-QUORUM.1). Blocks decided in different views from blocks of different views are not evidence (§6.5's
 * "amnesia"): such a fork fails here unless observed evidence convicts enough members.
 */
export function checkAccountability(record: FbftRecord): CheckResult {
  const forks: Decision[][] = [];
  for (const list of decisions(record).values()) if (list.length > 1) forks.push(list);
  if (forks.length === 0) return holds("agreement holds: nothing to account for");
  const convicted = new Set<number>();
  for (const list of forks) {
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const [a, b] = [list[i]!.first.observation, list[j]!.first.observation];
        const offenders = accountableOffenders(a.committed, b.committed, record.committee, record.bls);
        if (offenders.ok) for (const offender of offenders.value) convicted.add(offender);
      }
    }
  }
  for (const machine of honestMachines(record)) {
    for (const { observation } of observationsOf(machine.observations, "evidence")) {
      const offenders = verifyEvidence(observation.evidence, record.committee, record.bls);
      if (offenders.ok) for (const offender of offenders.value) convicted.add(offender);
    }
  }
  const members = [...convicted].sort((a, b) => a - b);
  const power = powerOf(record.committee, members);
  const summary = `${forks.length} forked height(s); convicted [${members.join(", ")}] holding power ${power} of ${record.committee.totalPower}`;
  return isBlocking(power, record.committee.totalPower)
    ? holds(summary)
    : fails(`${summary}: not more than a third`);
}

/** A prepared certificate some honest machine handled: in a prepared message, a claim or a new view group. */
interface PreparedSighting {
  readonly height: bigint;
  readonly view: bigint;
  readonly hash: string;
  readonly machine: MachineRecord;
  readonly time: number;
}

function preparedIn(message: ConsensusMessage): { view: bigint; hash: Uint8Array }[] {
  switch (message.type) {
    case "prepared":
      return [{ view: message.viewId, hash: message.blockHash }];
    case "viewChange":
      return message.claim.kind === "prepared"
        ? [{ view: message.claim.preparedViewId, hash: message.claim.preparedHash }]
        : [];
    case "newView":
      return message.m1.map((group) => ({ view: group.preparedViewId, hash: group.preparedHash }));
    default:
      return [];
  }
}

/**
 * Prepared-block locking (the induction of FBFT-SAFETY.1): once a block is finalized at height h in view x,
 * every prepared certificate of height h from a view after x that an honest machine sent, accepted or saw
 * claimed is for that block. The decision view is the lowest view a finalization's committed message names.
 */
export function checkLocking(record: FbftRecord): CheckResult {
  const sightings: PreparedSighting[] = [];
  for (const machine of honestMachines(record)) {
    for (const kind of ["sent", "accepted"] as const) {
      for (const { observation, time } of observationsOf(machine.observations, kind)) {
        for (const { view, hash } of preparedIn(observation.message)) {
          sightings.push({
            height: observation.message.blockNum,
            view,
            hash: bytesToHex(hash),
            machine,
            time,
          });
        }
      }
    }
  }
  const all = decisions(record);
  let compared = 0;
  for (const sighting of sightings) {
    for (const decision of all.get(sighting.height) ?? []) {
      if (sighting.view <= decision.view) continue;
      compared++;
      if (sighting.hash !== decision.hash) {
        return fails(
          `height ${sighting.height}: ${decision.hash} was finalized in view ${decision.view}, but ${describeMachine(sighting.machine)} handled a prepared certificate for ${sighting.hash} from view ${sighting.view} at ${sighting.time} ms`,
        );
      }
    }
  }
  return holds(
    `${sightings.length} prepared certificate(s) seen; ${compared} from views after a decision, all for it`,
  );
}

/**
 * K of VIEW-LIVENESS.1: the longest run of consecutive members, in committee order and wrapping around,
 * that are faulty (so consecutive turns led by faulty members). All members faulty gives n.
 */
export function longestFaultyRun(n: number, faulty: ReadonlySet<number>): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < 2 * n; i++) {
    run = faulty.has(i % n) ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return Math.min(longest, n);
}

export interface LivenessOptions {
  /** Global stabilisation time of the run's network (Infinity if it never stabilises). */
  readonly gstMs: number;
  /** Identities not counted as correct: Byzantine ones and crash-prone ones. */
  readonly faulty: ReadonlySet<number>;
}

/** The (time, height, view) history of a machine, from its position observations. */
function positionsOf(machine: MachineRecord): { time: number; height: bigint; view: bigint }[] {
  return observationsOf(machine.observations, "position").map(({ time, observation }) => ({
    time,
    height: observation.height,
    view: observation.view,
  }));
}

/**
 * Liveness after GST (VIEW-LIVENESS.1): for every height first decided at or after GST, with y the highest
 * view of a correct machine at the moment every correct machine had reached the height (or GST, if later)
 * and x the view that decided it, TURN(x) ≤ livenessTurnBound(TURN(y), K). Correct machines are honest
 * machines whose identity is not in `faulty`; a height some correct machine never reached is left to
 * checkProgress.
 */
export function checkLivenessAfterGst(record: FbftRecord, options: LivenessOptions): CheckResult {
  const correct = honestMachines(record).filter((machine) => !options.faulty.has(machine.identity));
  const k = longestFaultyRun(record.committee.members.length, options.faulty);
  const histories = correct.map(positionsOf);
  let checked = 0;
  let worst = Number.NEGATIVE_INFINITY;
  for (const [height, list] of decisions(record)) {
    const decision = list[0]!;
    if (decision.first.time < options.gstMs) continue;
    let reachedAll = options.gstMs;
    let everyoneReached = true;
    for (const history of histories) {
      const reached = history.find((position) => position.height >= height);
      if (reached === undefined) everyoneReached = false;
      else reachedAll = Math.max(reachedAll, reached.time);
    }
    if (!everyoneReached) continue;
    let highest: bigint | null = null;
    for (const history of histories) {
      let view: bigint | null = null;
      for (const position of history) if (position.time <= reachedAll) view = position.view;
      if (view !== null && (highest === null || view > highest)) highest = view;
    }
    if (highest === null) continue;
    checked++;
    const decidedTurn = turnOf(decision.view, record.preset);
    const highestTurn = turnOf(highest, record.preset);
    const excess = decidedTurn - highestTurn;
    if (Number(excess) > worst) worst = Number(excess);
    const bound = livenessTurnBound(highestTurn, BigInt(k));
    if (decidedTurn > bound) {
      return fails(
        `height ${height} was decided in view ${decision.view} (turn ${decidedTurn}), ${excess} turns after ` +
          `view ${highest}, the highest correct view at ${reachedAll} ms; the bound is turn ${bound} (K = ${k})`,
      );
    }
  }
  if (checked === 0)
    return holds(`no height decided after GST with every correct machine present (K = ${k})`);
  return holds(`${checked} height(s) decided after GST within K + 2 = ${k + 2} turns (worst ${worst})`);
}

/** Progress: every correct machine finalized at least `blocks` blocks by `byMs`. */
export function checkProgress(
  record: FbftRecord,
  options: { readonly blocks: number; readonly byMs: number; readonly faulty: ReadonlySet<number> },
): CheckResult {
  const correct = honestMachines(record).filter((machine) => !options.faulty.has(machine.identity));
  for (const machine of correct) {
    const count = finalizedBy(machine).filter((entry) => entry.time <= options.byMs).length;
    if (count < options.blocks) {
      return fails(
        `${describeMachine(machine)} finalized ${count} of ${options.blocks} block(s) by ${options.byMs} ms`,
      );
    }
  }
  return holds(
    `${correct.length} correct machine(s) finalized ${options.blocks} block(s) by ${options.byMs} ms`,
  );
}
