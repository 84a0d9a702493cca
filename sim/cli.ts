import { parseArgs } from "node:util";
import { leaderOf } from "../reference/consensus/leader.ts";
import { bytesToHex } from "../reference/encoding/json.ts";
import { MINIMAL } from "../reference/params/presets.ts";
import { BEACON_SHARD } from "../reference/randomness/schedule.ts";
import type { TraceEntry, Traffic } from "./engine/index.ts";
import {
  type AdversarySpec,
  type ByzantineMember,
  epochRandomness,
  type FbftRecord,
  type FbftRunResult,
  type MultiShardAdversary,
  observationsOf,
  runFbft,
  runMultiShard,
} from "./fbft/index.ts";

/*
 * `npm run simulate`: one FBFT committee in the deterministic simulator, a line per finalized block, a
 * summary and the checkers' verdicts. Nothing printed depends on the wall clock, so the same flags print the
 * same bytes.
 */

const ADVERSARIES = [
  "silent",
  "equivocating-leader",
  "double-voter",
  "invalid-signatures",
  "replayer",
  "spammer",
  "twins",
  "grinding-leader",
] as const;
type AdversaryName = (typeof ADVERSARIES)[number];

/** The largest committee a signer bitmap can name (COMMITTEE-FORMAT.1). */
const MAX_VALIDATORS = 65536;
/** How many of the latest trace events a violation prints as its counterexample. */
const COUNTEREXAMPLE_EVENTS = 40;

const USAGE = `usage: npm run simulate -- [--validators N] [--byzantine F] [--adversary NAME] [--seed S]
                         [--blocks B] [--drop P] [--weights a,b,c] [--shard S] [--shards K]
                         [--cross-shard X] [--atomic-every A] [--json]

Runs one FBFT committee in the deterministic network simulator and prints a line per finalized block, a
summary and the verdict of every safety and liveness checker. The same flags always print the same output.

  --validators N    committee size (default 4, or the number of --weights)
  --byzantine F     members the adversary controls: the first F in committee order, so they lead first
                    (default 0)
  --adversary NAME  what they do (default silent):
                      silent               send nothing
                      equivocating-leader  the first proposes two blocks when it leads, the others vote
                                           for both (they are what lets two conflicting blocks finalize)
                      double-voter         vote for every block seen, conflicting ones included
                      invalid-signatures   honest, but every signature is bad (random bytes for even
                                           members, a key outside the committee for odd ones)
                      replayer             honest, and re-broadcast old messages
                      spammer              honest, and send signed messages for far-future views and heights
                      twins                two honest machines run each key
                      grinding-leader      honest, but take 5 s before a commit-height proposal (shard 0:
                                           a leader evaluating candidate randomness before it commits)
  --seed S          seed of every random choice of the run (default 1)
  --blocks B        stop once every correct member finalized B blocks (default 10)
  --drop P          probability that a message is lost, 0 ≤ P < 1; with P > 0 the network never
                    stabilises (default 0)
  --weights a,b,c   voting power of each member, positive integers (default 1 each; not on shard 0)
  --shard S         the shard the committee runs (default 1); shard 0 is the beacon chain, whose members also
                    run the randomness protocol, and the report then lists each epoch's randomness
  --shards K        run K shards at once, K ≥ 2, each a committee of --validators (of which the first
                    --byzantine run --adversary; no twins): shard 0 is the beacon chain, every other shard's
                    members relay the crosslinks of their blocks to it, beacon members relay its final headers to
                    the other shards, and every member relays its blocks' receipts to their destinations; the
                    report lists each shard's height, crosslinked height, supply and receipts sent, credited and
                    pending, and checks conservation of value and exactly-once crediting across shards
  --cross-shard X   with --shards: transfers to other shards in each proposal, besides one within the shard
                    (default 2)
  --atomic-every A  with --shards: an atomic transfer from every other shard, decided by the beacon chain, starts
                    every A heights; every fourth one misses a part and aborts (default 4; 0: none)
  --json            print one JSON document instead of the table

Exit status: 0 when every checker holds, 1 when one is violated, 2 on bad usage.`;

class UsageError extends Error {}

interface Options {
  readonly validators: number;
  readonly byzantine: number;
  readonly adversary: AdversaryName;
  readonly seed: number;
  readonly blocks: number;
  readonly drop: number;
  readonly weights: readonly bigint[] | undefined;
  readonly shard: number;
  /** More than one: the multi-shard mode. */
  readonly shards: number;
  readonly crossShard: number;
  readonly atomicEvery: number;
  readonly json: boolean;
}

function integerFlag(
  flag: string,
  text: string | undefined,
  fallback: number,
  min: number,
  max: number,
): number {
  if (text === undefined) return fallback;
  const value = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function parseOptions(argv: readonly string[]): Options | "help" {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        validators: { type: "string" },
        byzantine: { type: "string" },
        adversary: { type: "string" },
        seed: { type: "string" },
        blocks: { type: "string" },
        drop: { type: "string" },
        weights: { type: "string" },
        shard: { type: "string" },
        shards: { type: "string" },
        "cross-shard": { type: "string" },
        "atomic-every": { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (caught) {
    throw new UsageError((caught as Error).message);
  }
  if (values.help === true) return "help";
  const text = (flag: string): string | undefined => values[flag] as string | undefined;

  let weights: bigint[] | undefined;
  const weightsText = text("weights");
  if (weightsText !== undefined) {
    const parts = weightsText.split(",");
    if (parts.some((part) => !/^\d+$/.test(part) || BigInt(part) === 0n)) {
      throw new UsageError(`--weights must be positive integers separated by commas, got "${weightsText}"`);
    }
    weights = parts.map((part) => BigInt(part));
  }
  const validators = integerFlag("validators", text("validators"), weights?.length ?? 4, 1, MAX_VALIDATORS);
  if (weights !== undefined && weights.length !== validators) {
    throw new UsageError(`--weights lists ${weights.length} powers but --validators is ${validators}`);
  }
  const byzantine = integerFlag("byzantine", text("byzantine"), 0, 0, validators - 1);
  const adversaryText = text("adversary") ?? "silent";
  const adversary = ADVERSARIES.find((name) => name === adversaryText);
  if (adversary === undefined) {
    throw new UsageError(`--adversary must be one of ${ADVERSARIES.join(", ")}, got "${adversaryText}"`);
  }
  const shard = integerFlag("shard", text("shard"), 1, 0, MINIMAL.numShards - 1);
  if (shard === BEACON_SHARD && weights !== undefined) {
    throw new UsageError(
      "--weights cannot be used with --shard 0: the beacon committee is its genesis committee",
    );
  }
  const shards = integerFlag("shards", text("shards"), 1, 1, 16);
  if (shards > 1 && (weights !== undefined || text("shard") !== undefined || adversary === "twins")) {
    throw new UsageError("--shards runs committees of equal power: it takes no --weights, --shard or twins");
  }
  if (shards === 1 && (text("cross-shard") !== undefined || text("atomic-every") !== undefined)) {
    throw new UsageError("--cross-shard and --atomic-every need --shards K with K ≥ 2");
  }
  const dropText = text("drop");
  const drop = dropText === undefined ? 0 : /^\d*\.?\d+$/.test(dropText) ? Number(dropText) : Number.NaN;
  if (!(drop >= 0 && drop < 1)) {
    throw new UsageError(`--drop must be a probability with 0 ≤ P < 1, got "${dropText}"`);
  }
  return {
    validators,
    byzantine,
    adversary,
    seed: integerFlag("seed", text("seed"), 1, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER),
    blocks: integerFlag("blocks", text("blocks"), 10, 1, 1_000_000),
    drop,
    weights,
    shard,
    shards,
    crossShard: integerFlag("cross-shard", text("cross-shard"), 2, 0, 64),
    atomicEvery: integerFlag("atomic-every", text("atomic-every"), 4, 0, 1_000_000),
    json: values.json === true,
  };
}

/** The behaviour of Byzantine member `identity` (they are members 0 … F − 1) under adversary `name`. */
function adversarySpec(name: AdversaryName, identity: number): AdversarySpec {
  switch (name) {
    case "silent":
      return { kind: "silent" };
    case "equivocating-leader":
      return identity === 0 ? { kind: "equivocatingLeader" } : { kind: "doubleVoter" };
    case "double-voter":
      return { kind: "doubleVoter" };
    case "invalid-signatures":
      return { kind: "invalidSignatures", mode: identity % 2 === 0 ? "random" : "wrongKey" };
    case "replayer":
      return { kind: "replayer" };
    case "spammer":
      return { kind: "futureSpammer" };
    case "twins":
      return { kind: "twins" };
    case "grinding-leader":
      return { kind: "grindingLeader" };
  }
}

function simulate(options: Options): FbftRunResult {
  const byzantine: ByzantineMember[] = [];
  for (let identity = 0; identity < options.byzantine; identity++) {
    byzantine.push({ identity, adversary: adversarySpec(options.adversary, identity) });
  }
  return runFbft({
    validators: options.validators,
    byzantine,
    seed: options.seed,
    blocks: options.blocks,
    drop: options.drop,
    shard: options.shard,
    ...(options.weights === undefined ? {} : { weights: options.weights }),
  });
}

// ---------------------------------------------------------------- view changes

/** Distinct (height, view) pairs honest members asked to move to by a view change. */
function honestViewChanges(record: FbftRecord): number {
  const targets = new Set<string>();
  for (const machine of record.machines) {
    if (!machine.honest) continue;
    for (const { observation } of observationsOf(machine.observations, "sent")) {
      const message = observation.message;
      if (message.type === "viewChange") targets.add(`${message.blockNum}/${message.viewId}`);
    }
  }
  return targets.size;
}

// ---------------------------------------------------------------- report

interface BlockLine {
  readonly height: number;
  readonly view: number;
  readonly leader: number;
  readonly hash: string;
  /** Virtual milliseconds from the first announce to the first finalization; null if no announce was seen. */
  readonly finalityMs: number | null;
  readonly messages: number;
  readonly bytes: number;
}

interface EpochLine {
  readonly epoch: string;
  readonly commitHeight: string;
  readonly commitView: string;
  readonly signers: readonly number[];
  readonly pRnd: string;
  readonly rnd: string | null;
}

interface Report {
  readonly options: Omit<Options, "weights" | "json"> & { readonly weights: readonly string[] | null };
  readonly blocks: readonly BlockLine[];
  /** Shard 0: each epoch's commitment and reveal, from an honest member's chain. */
  readonly randomness: readonly EpochLine[];
  readonly summary: {
    readonly blocksDecided: number;
    readonly blocksRequested: number;
    readonly highestView: number;
    readonly viewChanges: number;
    readonly viewChangeMessages: number;
    readonly messages: number;
    readonly bytes: number;
    readonly perKind: Readonly<Record<string, Traffic>>;
    readonly meanFinalityMs: number | null;
    readonly maxFinalityMs: number | null;
    readonly virtualMs: number;
    readonly errors: Readonly<Record<string, number>>;
  };
  readonly checkers: Readonly<Record<string, { readonly holds: boolean; readonly detail: string }>>;
  /** The checkers that do not hold. */
  readonly violated: readonly string[];
  /** The last events of the run when a checker is violated; empty when every checker holds. */
  readonly counterexample: readonly TraceEntry[];
}

function sortedRecord<V>(record: Readonly<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function buildReport(options: Options, result: FbftRunResult): Report {
  const { record } = result;
  const blocks: BlockLine[] = result.perBlock.map((block) => ({
    height: block.height,
    view: Number(block.view),
    leader: leaderOf(block.view, record.committee, record.preset),
    hash: block.hash,
    finalityMs: block.proposedAtMs === null ? null : block.finalizedAtMs - block.proposedAtMs,
    messages: block.messages,
    bytes: block.bytes,
  }));
  const violated = Object.entries(result.checkers).flatMap(([name, verdict]) =>
    verdict.holds ? [] : [name],
  );
  const finality = blocks.flatMap((block) => (block.finalityMs === null ? [] : [block.finalityMs]));
  return {
    options: {
      validators: options.validators,
      byzantine: options.byzantine,
      adversary: options.adversary,
      seed: options.seed,
      blocks: options.blocks,
      drop: options.drop,
      weights: options.weights === undefined ? null : options.weights.map(String),
      shard: options.shard,
      shards: options.shards,
      crossShard: options.crossShard,
      atomicEvery: options.atomicEvery,
    },
    blocks,
    randomness: epochRandomness(record).map((epoch) => ({
      epoch: String(epoch.epoch),
      commitHeight: String(epoch.commitHeight),
      commitView: String(epoch.commitView),
      signers: epoch.signers,
      pRnd: bytesToHex(epoch.pRnd),
      rnd: epoch.rnd === null ? null : bytesToHex(epoch.rnd),
    })),
    summary: {
      blocksDecided: result.decided,
      blocksRequested: options.blocks,
      highestView: Number(result.views.highest),
      viewChanges: honestViewChanges(record),
      viewChangeMessages: result.views.viewChangesSent,
      messages: result.metrics.messages,
      bytes: result.metrics.bytes,
      perKind: sortedRecord(result.metrics.perKind),
      meanFinalityMs: finality.length === 0 ? null : finality.reduce((a, b) => a + b, 0) / finality.length,
      maxFinalityMs: finality.length === 0 ? null : Math.max(...finality),
      virtualMs: result.virtualMs,
      errors: sortedRecord(result.errors),
    },
    checkers: result.checkers,
    violated,
    counterexample: violated.length === 0 ? [] : result.trace.slice(-COUNTEREXAMPLE_EVENTS),
  };
}

function milliseconds(value: number | null): string {
  return value === null ? "-" : `${Number.isInteger(value) ? value : value.toFixed(1)} ms`;
}

function printReport(report: Report): void {
  const { options, summary } = report;
  const weights = options.weights === null ? "equal power" : `powers ${options.weights.join(",")}`;
  console.log(
    `FBFT on shard ${options.shard}: ${options.validators} validators (${weights}), ${options.byzantine} byzantine ` +
      `(${options.adversary}), seed ${options.seed}, ${options.blocks} blocks, drop ${options.drop}`,
  );
  console.log(
    `${"height".padStart(6)} ${"view".padStart(5)} ${"leader".padStart(6)}  ${"hash".padEnd(12)} ` +
      `${"finality".padStart(10)} ${"messages".padStart(9)} ${"bytes".padStart(10)}`,
  );
  for (const block of report.blocks) {
    console.log(
      `${String(block.height).padStart(6)} ${String(block.view).padStart(5)} ${String(block.leader).padStart(6)}  ` +
        `${block.hash.slice(0, 10).padEnd(12)} ${milliseconds(block.finalityMs).padStart(10)} ` +
        `${String(block.messages).padStart(9)} ${String(block.bytes).padStart(10)}`,
    );
  }
  console.log(
    "(messages and bytes of a height: what honest members sent for it, each copy counted; the totals",
  );
  console.log(" below also count Byzantine members' messages and block sync)");
  const errors = Object.entries(summary.errors);
  const kinds = Object.entries(summary.perKind).map(([kind, t]) => `${kind} ${t.messages}`);
  const lines: [string, string][] = [
    ["blocks", `${summary.blocksDecided} of ${summary.blocksRequested} decided by every correct member`],
    ["views used", `0–${summary.highestView}`],
    [
      "view changes",
      `${summary.viewChanges} (${summary.viewChangeMessages} view-change messages from honest members)`,
    ],
    ["messages", `${summary.messages} (${kinds.join(", ")})`],
    ["bytes", String(summary.bytes)],
    ["finality", `mean ${milliseconds(summary.meanFinalityMs)}, max ${milliseconds(summary.maxFinalityMs)}`],
    ["virtual time", milliseconds(summary.virtualMs)],
    ["refused", errors.length === 0 ? "none" : errors.map(([code, count]) => `${code} ×${count}`).join(", ")],
  ];
  if (options.shard === BEACON_SHARD) {
    console.log("\nrandomness (§9.7: shares at the commit height, the reveal drgRevealDelay blocks later)");
    if (report.randomness.length === 0) console.log("  no commit block finalized");
    for (const epoch of report.randomness) {
      const revealed = epoch.rnd === null ? "not yet revealed" : `Rnd ${epoch.rnd.slice(0, 18)}…`;
      console.log(
        `  epoch ${epoch.epoch}: committed at height ${epoch.commitHeight} in view ${epoch.commitView} by ` +
          `members ${epoch.signers.join(",")}, pRnd ${epoch.pRnd.slice(0, 18)}…; ${revealed}`,
      );
    }
  }
  console.log("\nsummary");
  for (const [name, value] of lines) console.log(`  ${name.padEnd(14)} ${value}`);
  console.log(
    "  (refused: events STEP rejected at honest members, by code; a commit that reaches the leader after it\n" +
      "   finalized is refused as CONSENSUS_STALE_HEIGHT, once per height in an honest run)",
  );
  console.log("\ncheckers");
  for (const [name, verdict] of Object.entries(report.checkers)) {
    console.log(`  ${name.padEnd(22)} ${verdict.holds ? "holds   " : "VIOLATED"} ${verdict.detail}`);
  }
  if (report.violated.length === 0) return;
  console.log(`\nviolated: ${report.violated.join(", ")}`);
  console.log(`counterexample: the last ${report.counterexample.length} events of the run`);
  for (const entry of report.counterexample) {
    const machine = entry.machine === undefined ? "-" : `m${entry.machine}`;
    console.log(
      `  ${milliseconds(entry.time).padStart(12)} ${machine.padStart(5)} ${entry.kind.padEnd(9)} ${entry.summary}`,
    );
  }
}

/**
 * The multi-shard mode: every shard's height, crosslinked height, supply and receipts, its checkers, and the
 * conservation and exactly-once checks across shards.
 */
function multiShard(options: Options): number {
  const result = runMultiShard({
    shards: options.shards,
    validators: options.validators,
    seed: options.seed,
    blocks: options.blocks,
    crossShardTransfers: options.crossShard,
    atomicEvery: options.atomicEvery,
    byzantine: options.byzantine,
    adversaryOf: (member) => adversarySpec(options.adversary, member) as MultiShardAdversary,
  });
  const shards = result.shards.map((s) => ({
    shard: s.shard,
    height: String(s.height),
    crossLinked: s.shard === BEACON_SHARD ? null : String(result.crossLinked.get(s.shard) ?? 0n),
    supply: String(s.supply),
    receiptsSent: s.receiptsSent,
    receiptsCredited: s.receiptsCredited,
    receiptsPending: s.receiptsPending,
    agreement: s.checkers.agreement.holds,
    validity: s.checkers.validity.holds,
  }));
  const cross = result.crossShard;
  const latencies = cross.receipts.flatMap((r) => (r.credited ? [r.destinationBlocks] : []));
  const across = {
    conservation: cross.conservation,
    exactlyOnce: cross.exactlyOnce,
    atomicity: cross.atomicity,
    escrow: String([...cross.escrows.values()].reduce((x, y) => x + y, 0n)),
    inFlight: String(cross.inFlight),
    maxCreditedAfterBlocks: latencies.length === 0 ? null : Math.max(...latencies),
  };
  const holds =
    shards.every((s) => s.agreement && s.validity) &&
    cross.conservation.holds &&
    cross.exactlyOnce.holds &&
    cross.atomicity.holds;
  if (options.json) {
    console.log(JSON.stringify({ options, shards, across, virtualMs: result.virtualMs }, null, 2));
    return holds ? 0 : 1;
  }
  const faulty = options.byzantine === 0 ? "" : `, ${options.byzantine} ${options.adversary} per shard`;
  console.log(
    `FBFT on ${options.shards} shards of ${options.validators} validators${faulty}, seed ${options.seed}, ` +
      `${options.blocks} blocks each, ${options.crossShard} cross-shard transfer(s) per proposal` +
      (options.atomicEvery === 0 ? "" : `, an atomic transfer every ${options.atomicEvery} heights`),
  );
  console.log(
    `${"shard".padStart(5)} ${"height".padStart(6)} ${"crosslinked".padStart(11)} ${"supply (atto)".padStart(28)} ` +
      `${"sent".padStart(5)} ${"credited".padStart(8)} ${"pending".padStart(7)}  checkers`,
  );
  for (const s of shards) {
    const verdict = s.agreement && s.validity ? "agreement, validity hold" : "VIOLATED";
    console.log(
      `${String(s.shard).padStart(5)} ${s.height.padStart(6)} ${(s.crossLinked ?? "beacon").padStart(11)} ` +
        `${s.supply.padStart(28)} ${String(s.receiptsSent).padStart(5)} ${String(s.receiptsCredited).padStart(8)} ` +
        `${String(s.receiptsPending).padStart(7)}  ${verdict}`,
    );
  }
  console.log(
    `in flight ${across.inFlight} atto (receipts sent, not yet credited); in escrow ${across.escrow} atto`,
  );
  for (const [name, verdict] of [
    ["conservation", cross.conservation],
    ["exactlyOnce", cross.exactlyOnce],
    ["atomicity", cross.atomicity],
  ] as const) {
    console.log(`${name.padEnd(13)} ${verdict.holds ? "holds   " : "VIOLATED"} ${verdict.detail}`);
  }
  if (across.maxCreditedAfterBlocks !== null) {
    console.log(
      `credited within ${across.maxCreditedAfterBlocks} destination block(s) of the source block, at most`,
    );
  }
  console.log(
    `(crosslinked: the beacon chain's last crosslinked height of the shard; virtual time ${result.virtualMs} ms)`,
  );
  return holds ? 0 : 1;
}

function main(argv: readonly string[]): number {
  let options: Options | "help";
  try {
    options = parseOptions(argv);
  } catch (caught) {
    if (!(caught instanceof UsageError)) throw caught;
    console.error(`simulate: ${caught.message}\n\n${USAGE}`);
    return 2;
  }
  if (options === "help") {
    console.log(USAGE);
    return 0;
  }
  if (options.shards > 1) return multiShard(options);
  const result = simulate(options);
  const report = buildReport(options, result);
  if (options.json) console.log(JSON.stringify(report, null, 2));
  else printReport(report);
  return report.violated.length === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
