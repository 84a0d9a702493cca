import { sha256 } from "@noble/hashes/sha2.js";
import { genesisValidatorSecretKey } from "../../reference/consensus/committee.ts";
import { preparePayload } from "../../reference/consensus/payloads.ts";
import type { BlsBackend, SignatureSet } from "../../reference/crypto/bls/backend.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { nobleBls } from "../../reference/crypto/bls/noble.ts";
import { type Result, unwrap } from "../../reference/errors.ts";
import { encodeBlock } from "../../reference/ledger/block.ts";
import { DEFAULT_NETWORK } from "../../sim/engine/index.ts";
import { epochRandomness, type FbftRunResult, observationsOf, runFbft } from "../../sim/fbft/index.ts";
import { type PbftRunResult, runPbft } from "../../sim/pbft/index.ts";
import {
  type BenchSuite,
  type Measurement,
  type MeasureOptions,
  measure,
  type Ratio,
  ratio,
  type SuiteResult,
} from "../harness.ts";

interface Check {
  readonly name: string;
  readonly pass: boolean;
  readonly detail: string;
}

interface Part {
  readonly measurements: Measurement[];
  readonly ratios: Ratio[];
  readonly checks: Check[];
  readonly figures: Record<string, number>;
}

function checkEquals(name: string, actual: string, expected: string): Check {
  return actual === expected
    ? { name, pass: true, detail: actual }
    : { name, pass: false, detail: `got ${actual}, expected ${expected}` };
}

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
/** A simulation is timed once: its result, not its speed, is what the suite is about. */
const ONE_RUN: MeasureOptions = { warmup: 0, minIterations: 1, minMs: 0 };

// ------------------------------------------------------------------ messages and bytes per decided block

/** Committee sizes and how many blocks each protocol decides there (one run costs about n² events for PBFT). */
const COMPLEXITY_RUNS: readonly { readonly n: number; readonly blocks: number }[] = [
  { n: 16, blocks: 4 },
  { n: 64, blocks: 4 },
  { n: 256, blocks: 3 },
  { n: 1024, blocks: 2 },
];
const COMPLEXITY_SEED = 1;
/** FBFT's claim (§6): O(n) messages per block against PBFT's O(n²), at 1024 members at least a hundredfold. */
const CLAIMED_MESSAGE_RATIO_AT_1024 = 100;

/**
 * Messages per block of one PBFT normal-case round among n replicas (Castro and Liskov 1999, §4.2): the
 * primary's PRE-PREPARE to n − 1 backups, a PREPARE from each backup to the n − 1 others, and a COMMIT from
 * every replica to the n − 1 others.
 */
function pbftMessagesPerBlock(n: number): number {
  return n - 1 + (n - 1) * (n - 1) + n * (n - 1);
}

/**
 * Messages per block of one FBFT round without faults (§6.8): the leader broadcasts announce, prepared and
 * committed to the n − 1 others, and each of them sends the leader one prepare and one commit.
 */
function fbftMessagesPerBlock(n: number): number {
  return 5 * (n - 1);
}

/** The mean encoded size of the blocks an FBFT run finalized: the block size PBFT is given to carry. */
function meanBlockBytes(result: FbftRunResult): number {
  const machine = result.record.machines.find((candidate) => candidate.honest)!;
  const finalized = observationsOf(machine.observations, "finalized").slice(0, result.decided);
  let bytes = 0;
  for (const { observation } of finalized) bytes += encodeBlock(observation.block).length;
  return Math.round(bytes / finalized.length);
}

/**
 * Messages and bytes per decided block, FBFT against the PBFT baseline, for growing committees: both honest,
 * on the same network model with no loss, with the same seed, and PBFT carrying blocks of the size FBFT's
 * blocks had. Counts, not timings: they are figures, and the claim about them is a check. The wall-clock
 * time of each simulation is reported as a measurement of one run.
 */
async function messageComplexity(): Promise<Part> {
  const part: Part = { measurements: [], ratios: [], checks: [], figures: {} };
  const rows: string[] = [];
  for (const { n, blocks } of COMPLEXITY_RUNS) {
    let fbft: FbftRunResult | undefined;
    let pbft: PbftRunResult | undefined;
    part.measurements.push(
      await measure(
        `simulate FBFT, n=${n}, ${blocks} blocks`,
        () => {
          fbft = runFbft({
            validators: n,
            blocks,
            seed: COMPLEXITY_SEED,
            network: DEFAULT_NETWORK,
            traceCapacity: 0,
          });
        },
        ONE_RUN,
      ),
    );
    const fbftRun = fbft!;
    const blockBytes = meanBlockBytes(fbftRun);
    part.measurements.push(
      await measure(
        `simulate PBFT, n=${n}, ${blocks} blocks`,
        () => {
          pbft = runPbft({
            replicas: n,
            blocks,
            blockBytes,
            seed: COMPLEXITY_SEED,
            network: DEFAULT_NETWORK,
          });
        },
        ONE_RUN,
      ),
    );
    const pbftRun = pbft!;
    const failed = Object.entries(fbftRun.checkers).filter(([, verdict]) => !verdict.holds);
    part.checks.push(
      checkEquals(`n=${n}: FBFT decided ${blocks} blocks`, String(fbftRun.decided), String(blocks)),
      checkEquals(`n=${n}: PBFT decided ${blocks} blocks`, String(pbftRun.decided), String(blocks)),
      checkEquals(
        `n=${n}: every FBFT checker holds`,
        failed.map(([name, verdict]) => `${name}: ${verdict.detail}`).join("; "),
        "",
      ),
      checkEquals(
        `n=${n}: FBFT messages per block = 5(n − 1)`,
        String(fbftRun.metrics.messagesPerBlock),
        String(fbftMessagesPerBlock(n)),
      ),
      checkEquals(
        `n=${n}: PBFT messages per block = (n − 1) + (n − 1)² + n(n − 1)`,
        String(pbftRun.messagesPerBlock),
        String(pbftMessagesPerBlock(n)),
      ),
    );
    const messageRatio = pbftRun.messagesPerBlock / fbftRun.metrics.messagesPerBlock;
    const byteRatio = pbftRun.bytesPerBlock / fbftRun.metrics.bytesPerBlock;
    Object.assign(part.figures, {
      [`n=${n} block bytes`]: blockBytes,
      [`n=${n} FBFT messages per block`]: fbftRun.metrics.messagesPerBlock,
      [`n=${n} PBFT messages per block`]: pbftRun.messagesPerBlock,
      [`n=${n} FBFT bytes per block`]: Math.round(fbftRun.metrics.bytesPerBlock),
      [`n=${n} PBFT bytes per block`]: Math.round(pbftRun.bytesPerBlock),
      [`n=${n} messages per block PBFT/FBFT`]: messageRatio,
      [`n=${n} bytes per block PBFT/FBFT`]: byteRatio,
    });
    if (n === 1024) {
      part.checks.push({
        name: `n=1024: messages per block PBFT/FBFT ≥ ${CLAIMED_MESSAGE_RATIO_AT_1024}`,
        pass: messageRatio >= CLAIMED_MESSAGE_RATIO_AT_1024,
        detail: times(messageRatio),
      });
    }
    rows.push(
      `  ${String(n).padStart(5)} ${String(blocks).padStart(6)} ${String(blockBytes).padStart(8)} ` +
        `${count(pbftRun.messagesPerBlock).padStart(12)} ${count(fbftRun.metrics.messagesPerBlock).padStart(10)} ` +
        `${times(messageRatio).padStart(8)} ${count(pbftRun.bytesPerBlock).padStart(14)} ` +
        `${count(fbftRun.metrics.bytesPerBlock).padStart(12)} ${times(byteRatio).padStart(8)}`,
    );
  }
  console.log("\n  messages and bytes per decided block (honest committee, no loss, same network and seed)");
  console.log(
    `  ${"n".padStart(5)} ${"blocks".padStart(6)} ${"block B".padStart(8)} ${"PBFT msgs".padStart(12)} ` +
      `${"FBFT msgs".padStart(10)} ${"ratio".padStart(8)} ${"PBFT bytes".padStart(14)} ${"FBFT bytes".padStart(12)} ` +
      `${"ratio".padStart(8)}`,
  );
  for (const row of rows) console.log(row);
  return part;
}

// ------------------------------------------------------------------ leader CPU per round of votes

/**
 * Committee sizes for the vote-verification timings, and how long to time each back end. The pure back end
 * takes tens of milliseconds per pairing, so its 1024-vote round (about a minute) is timed twice, untimed
 * warm-up skipped: its own first few hundred verifications warm it up.
 */
const VOTE_ROUNDS: readonly {
  readonly n: number;
  readonly noble: MeasureOptions;
  readonly blst: MeasureOptions;
}[] = [
  {
    n: 256,
    noble: { warmup: 0, minIterations: 3, minMs: 0, clock: "cpu" },
    blst: { minIterations: 5, minMs: 1000, clock: "cpu" },
  },
  {
    n: 1024,
    noble: { warmup: 0, minIterations: 2, minMs: 0, clock: "cpu" },
    blst: { minIterations: 3, minMs: 1000, clock: "cpu" },
  },
];

/** The height, block hash and view every vote of the timed round is for. */
const ROUND_HEIGHT = 3n;
const ROUND_HASH = sha256(utf8("bench consensus round block"));
const ROUND_VIEW = 7n;
/** Fixed batch-verification seed, so a run is repeatable (blst draws its own scalars; noble would use it). */
const BATCH_RANDOMNESS = sha256(utf8("bench consensus batch randomness"));

/** One PREPARE vote per member of an n-member genesis committee of shard 0: real keys, real signatures. */
function prepareRound(n: number): SignatureSet[] {
  const message = preparePayload(ROUND_HEIGHT, ROUND_HASH, ROUND_VIEW);
  const votes: SignatureSet[] = [];
  for (let i = 0; i < n; i++) {
    const secretKey = genesisValidatorSecretKey(0, i);
    votes.push({
      publicKey: unwrap(blstBls.secretToPublic(secretKey)),
      message,
      signature: unwrap(blstBls.sign(secretKey, message)),
    });
  }
  return votes;
}

/** What a leader does without batching: check each vote on its own; the indices of the votes that fail. */
function rejectedOneByOne(bls: BlsBackend, votes: readonly SignatureSet[]): number[] {
  const rejected: number[] = [];
  for (let i = 0; i < votes.length; i++) {
    const vote = votes[i]!;
    const verdict = bls.verify(vote.publicKey, vote.message, vote.signature);
    if (!verdict.ok || !verdict.value) rejected.push(i);
  }
  return rejected;
}

function verdictOf(result: Result<boolean>): string {
  return result.ok ? String(result.value) : result.error.code;
}

/**
 * Leader CPU time to verify one round of PREPARE votes (FBFT-PAYLOADS.1 payload, one signature per member):
 * the pure back end one verification per vote, blst one verification per vote, and blst one batch over the
 * round. Signing happens once, before any timing. Every method is first checked to accept the round and to
 * single out one vote signed by the wrong member.
 */
async function leaderVerification(): Promise<Part> {
  const part: Part = { measurements: [], ratios: [], checks: [], figures: {} };
  const rows: string[] = [];
  for (const round of VOTE_ROUNDS) {
    const { n } = round;
    const votes = prepareRound(n);
    const forgedAt = Math.floor(n / 2);
    // The forged vote carries the next member's valid signature: well formed, but not by the claimed key.
    const forged = votes.map((vote, i) =>
      i === forgedAt ? { ...vote, signature: votes[i + 1]!.signature } : vote,
    );
    part.checks.push(
      checkEquals(
        `n=${n}: blst batch accepts the round`,
        verdictOf(blstBls.verifyBatch(votes, BATCH_RANDOMNESS)),
        "true",
      ),
      checkEquals(
        `n=${n}: blst batch rejects a round with one forged vote`,
        verdictOf(blstBls.verifyBatch(forged, BATCH_RANDOMNESS)),
        "false",
      ),
      checkEquals(`n=${n}: blst per vote accepts the round`, rejectedOneByOne(blstBls, votes).join(","), ""),
      checkEquals(
        `n=${n}: blst per vote finds the forged vote`,
        rejectedOneByOne(blstBls, forged).join(","),
        String(forgedAt),
      ),
    );
    // The pure back end accepts the whole round in its timed runs below; a full forged round would double its
    // cost, so it is shown the forged vote after eight honest ones.
    part.checks.push(
      checkEquals(
        `n=${n}: noble per vote singles out the forged vote after 8 honest ones`,
        rejectedOneByOne(nobleBls, [...forged.slice(0, 8), forged[forgedAt]!]).join(","),
        "8",
      ),
    );
    let nobleRejected: number[] = [];
    const noble = await measure(
      `verify ${n} votes one by one, CPU (noble)`,
      () => {
        nobleRejected = rejectedOneByOne(nobleBls, votes);
      },
      round.noble,
    );
    part.checks.push(checkEquals(`n=${n}: noble per vote accepts the round`, nobleRejected.join(","), ""));
    const blstSingle = await measure(
      `verify ${n} votes one by one, CPU (blst)`,
      () => rejectedOneByOne(blstBls, votes),
      round.blst,
    );
    const blstBatch = await measure(
      `verify ${n} votes as one batch, CPU (blst)`,
      () => blstBls.verifyBatch(votes, BATCH_RANDOMNESS),
      round.blst,
    );
    part.measurements.push(noble, blstSingle, blstBatch);
    const nobleOverBatch = ratio(`n=${n} leader vote check noble per vote / blst batch`, noble, blstBatch);
    const singleOverBatch = ratio(
      `n=${n} leader vote check blst per vote / blst batch`,
      blstSingle,
      blstBatch,
    );
    part.ratios.push(nobleOverBatch, singleOverBatch);
    rows.push(
      `  ${String(n).padStart(5)} ${ms(noble.meanMs).padStart(14)} ${ms(blstSingle.meanMs).padStart(14)} ` +
        `${ms(blstBatch.meanMs).padStart(14)} ${times(nobleOverBatch.value).padStart(12)} ${times(singleOverBatch.value).padStart(12)}`,
    );
  }
  console.log("\n  leader CPU time to verify one round of PREPARE votes");
  console.log(
    `  ${"n".padStart(5)} ${"noble/vote".padStart(14)} ${"blst/vote".padStart(14)} ${"blst batch".padStart(14)} ` +
      `${"noble/batch".padStart(12)} ${"vote/batch".padStart(12)}`,
  );
  for (const row of rows) console.log(row);
  return part;
}

function ms(value: number): string {
  return `${value.toFixed(value >= 100 ? 0 : 2)} ms`;
}

function count(value: number): string {
  return Math.round(value).toLocaleString("en-US");
}

function times(value: number): string {
  return `${value.toFixed(1)}×`;
}

// ------------------------------------------------------------------ the randomness protocol's cost (§9.7)

const BEACON_RUN = { validators: 4, seed: 1, blocks: 17, workload: 1 } as const;

/**
 * The same committee deciding two epochs and a commit height of the minimal preset, on the beacon chain (shares,
 * commitments, reveals and the beacon rule) and on shard 1 (plain ledger blocks): the ratio is what the
 * randomness protocol and the beacon rule cost the simulation, measured in one run on one machine.
 */
async function beaconRandomness(): Promise<Part> {
  const runs = new Map<number, FbftRunResult>();
  const options = { warmup: 1, minIterations: 3, minMs: 0, clock: "cpu" as const };
  const beacon = await measure(
    "FBFT n=4, 17 blocks, beacon chain",
    () => runs.set(0, runFbft({ ...BEACON_RUN, shard: 0 })),
    options,
  );
  const shard = await measure(
    "FBFT n=4, 17 blocks, shard 1",
    () => runs.set(1, runFbft({ ...BEACON_RUN, shard: 1 })),
    options,
  );
  const epochs = epochRandomness(runs.get(0)!.record);
  const holds = (result: FbftRunResult) => Object.values(result.checkers).every((verdict) => verdict.holds);
  return {
    measurements: [beacon, shard],
    ratios: [ratio("beacon chain run / shard run", beacon, shard)],
    checks: [
      {
        name: "every checker holds on both chains",
        pass: holds(runs.get(0)!) && holds(runs.get(1)!),
        detail: "",
      },
      checkEquals("epochs committed and revealed", String(epochs.filter((e) => e.rnd !== null).length), "2"),
    ],
    figures: {
      "share messages of the beacon run": runs.get(0)!.metrics.perKind.share?.messages ?? 0,
      "messages per block, beacon chain": runs.get(0)!.metrics.messagesPerBlock,
      "messages per block, shard 1": runs.get(1)!.metrics.messagesPerBlock,
    },
  };
}

export const suite: BenchSuite = {
  name: "consensus",
  description:
    "FBFT vs PBFT messages and bytes per decided block for n = 16 … 1024 on the simulator, the leader's CPU to verify one round of PREPARE votes (noble per vote, blst per vote, blst batch) at n = 256 and 1024, and what the randomness protocol costs a beacon committee's run",
  async run(): Promise<SuiteResult> {
    const parts = [await messageComplexity(), await leaderVerification(), await beaconRandomness()];
    return {
      measurements: parts.flatMap((part) => part.measurements),
      ratios: parts.flatMap((part) => part.ratios),
      checks: parts.flatMap((part) => part.checks),
      figures: Object.assign({}, ...parts.map((part) => part.figures)),
    };
  },
};
