import type { NetworkConfig } from "../engine/network.ts";
import { type Metrics, Simulation, type Traffic } from "../engine/simulation.ts";
import { type PbftMessage, pbftCodec } from "./messages.ts";
import { type PbftDecision, type PbftState, pbftReplica } from "./replica.ts";

export interface PbftRunOptions {
  readonly replicas: number;
  readonly blocks: number;
  readonly blockBytes: number;
  readonly seed: number;
  readonly network?: Partial<NetworkConfig>;
}

export interface PbftRunResult {
  /** Sequences decided by every replica. */
  readonly decided: number;
  readonly messages: number;
  readonly bytes: number;
  /** Per decided block; NaN when nothing was decided. */
  readonly messagesPerBlock: number;
  readonly bytesPerBlock: number;
  /** Virtual time until the last replica decided the last of those blocks, per block. */
  readonly virtualMsPerBlock: number;
  readonly perKind: Record<string, Traffic>;
}

export type PbftSimulation = Simulation<PbftState, PbftMessage, PbftState>;

/** n honest replicas, replica i on machine i with identity i. */
export function createPbftSimulation(options: PbftRunOptions): PbftSimulation {
  const { replicas, blocks, blockBytes, seed } = options;
  if (!Number.isSafeInteger(replicas) || replicas < 1)
    throw new RangeError(`replicas must be >= 1, got ${replicas}`);
  if (!Number.isSafeInteger(blocks) || blocks < 0) throw new RangeError(`blocks must be >= 0, got ${blocks}`);
  if (!Number.isSafeInteger(blockBytes) || blockBytes < 0) {
    throw new RangeError(`blockBytes must be >= 0, got ${blockBytes}`);
  }
  const behaviour = pbftReplica({ replicas, blocks, blockBytes, seed });
  return new Simulation({
    machines: Array.from({ length: replicas }, (_, identity) => ({ identity, behaviour })),
    codec: pbftCodec,
    seed,
    network: options.network,
    traceCapacity: 0,
  });
}

/** Each replica's decisions, in the order it made them. */
export function pbftDecisions(simulation: PbftSimulation): { time: number; decision: PbftDecision }[][] {
  return Array.from({ length: simulation.machineCount }, (_, machine) =>
    simulation.observations(machine).map(({ time, observation }) => ({
      time,
      decision: observation as PbftDecision,
    })),
  );
}

/**
 * Runs the PBFT baseline until the network falls silent (the protocol has no timers, so every message it
 * will ever send has been sent and counted), and measures what the decided blocks cost. Throws if two
 * replicas decided different digests for one sequence: a measurement of a broken run is void.
 */
export function runPbft(options: PbftRunOptions): PbftRunResult {
  const simulation = createPbftSimulation(options);
  while (simulation.step()) {
    // until no message is left in flight
  }
  const decisions = pbftDecisions(simulation);
  const decided = Math.min(...decisions.map((list) => list.length));
  let lastDecisionAt = 0;
  for (let k = 0; k < decided; k++) {
    const digest = decisions[0]![k]!.decision.digest;
    for (const list of decisions) {
      const entry = list[k]!;
      if (entry.decision.sequence !== k + 1 || entry.decision.digest !== digest) {
        throw new Error(`PBFT replicas disagree at sequence ${k + 1}`);
      }
      lastDecisionAt = Math.max(lastDecisionAt, entry.time);
    }
  }
  const metrics: Metrics = simulation.metrics();
  const perBlock = (total: number): number => (decided === 0 ? Number.NaN : total / decided);
  return {
    decided,
    messages: metrics.messages,
    bytes: metrics.bytes,
    messagesPerBlock: perBlock(metrics.messages),
    bytesPerBlock: perBlock(metrics.bytes),
    virtualMsPerBlock: perBlock(lastDecisionAt),
    perKind: { ...metrics.perKind },
  };
}
