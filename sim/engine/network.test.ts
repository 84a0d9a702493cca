import { describe, expect, it } from "vitest";
import {
  type ChatterMessage,
  type ChatterState,
  chatterCodec,
  chatterMachines,
  type Heard,
} from "./chatter.ts";
import { DEFAULT_NETWORK, type NetworkConfig, resolveNetwork } from "./network.ts";
import { type MachineConfig, Simulation } from "./simulation.ts";

interface Reception extends Heard {
  readonly receiver: number;
  readonly at: number;
}

type ChatterSimulation = Simulation<ChatterState, ChatterMessage, ChatterState>;

function build(
  machines: readonly MachineConfig<ChatterState, ChatterMessage, ChatterState>[],
  network: Partial<NetworkConfig>,
  seed = 1,
): ChatterSimulation {
  return new Simulation({ machines, codec: chatterCodec, seed, network });
}

function receptions(simulation: ChatterSimulation): Reception[] {
  const out: Reception[] = [];
  for (let receiver = 0; receiver < simulation.machineCount; receiver++) {
    for (const { time, observation } of simulation.observations(receiver)) {
      if (typeof observation === "object" && observation !== null && "heard" in observation) {
        out.push({ ...(observation as Heard), receiver, at: time });
      }
    }
  }
  return out;
}

function runToEnd(simulation: ChatterSimulation): void {
  while (simulation.step()) {
    // every event, until none is left
  }
}

/** Six standard deviations of a binomial count: a false failure has probability below 10⁻⁸. */
const binomialTolerance = (trials: number, p: number): number => 6 * Math.sqrt(trials * p * (1 - p));

describe("network configuration", () => {
  it("fills defaults and rejects invalid values with the field named", () => {
    expect(resolveNetwork()).toEqual(DEFAULT_NETWORK);
    expect(resolveNetwork({ gstMs: Number.POSITIVE_INFINITY, dropRate: undefined }).gstMs).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(() => resolveNetwork({ dropRate: 1.5 })).toThrow(/dropRate/);
    expect(() => resolveNetwork({ baseMs: -1 })).toThrow(/baseMs/);
    expect(() => resolveNetwork({ jitterMs: 0.5 })).toThrow(/jitterMs/);
    expect(() => resolveNetwork({ deltaMs: Number.POSITIVE_INFINITY })).toThrow(/deltaMs/);
    expect(() => resolveNetwork({ latency: 3 } as Partial<NetworkConfig>)).toThrow(/latency/);
  });
});

describe("delays", () => {
  it("delivers every message baseMs + a uniform integer jitter in [0, jitterMs] after sending", () => {
    const [base, jitter] = [20, 30];
    const simulation = build(chatterMachines(10, { periodMs: 10, rounds: 100 }), {
      baseMs: base,
      jitterMs: jitter,
      deltaMs: base + jitter,
    });
    runToEnd(simulation);
    const latencies = receptions(simulation).map((r) => r.at - r.sentAt);
    expect(latencies).toHaveLength(10 * 9 * 100);
    expect(latencies.every((latency) => Number.isInteger(latency))).toBe(true);
    // Each of the 31 values has probability 1/31 per message: with 9000 messages, missing an extreme has
    // probability (30/31)^9000 ≈ e^-295.
    expect(Math.min(...latencies)).toBe(base);
    expect(Math.max(...latencies)).toBe(base + jitter);
    const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
    const jitterDeviation = Math.sqrt(((jitter + 1) ** 2 - 1) / 12);
    expect(Math.abs(mean - (base + jitter / 2))).toBeLessThan(
      (6 * jitterDeviation) / Math.sqrt(latencies.length),
    );
  });

  it("reorders messages between the same pair when jitter allows", () => {
    const simulation = build(chatterMachines(2, { periodMs: 1, rounds: 200 }), { baseMs: 0, jitterMs: 10 });
    runToEnd(simulation);
    const rounds = receptions(simulation)
      .filter((r) => r.receiver === 1)
      .map((r) => r.round);
    expect([...rounds].sort((a, b) => a - b)).toEqual(Array.from({ length: 200 }, (_, i) => i + 1));
    expect(rounds).not.toEqual([...rounds].sort((a, b) => a - b));
  });
});

describe("loss and duplication", () => {
  const machines = chatterMachines(10, { periodMs: 10, rounds: 100 });
  const sent = 10 * 9 * 100;

  it("drops about dropRate of the messages before GST", () => {
    const dropRate = 0.2;
    const simulation = build(machines, { dropRate, gstMs: Number.POSITIVE_INFINITY });
    runToEnd(simulation);
    const metrics = simulation.metrics();
    expect(metrics.messages).toBe(sent);
    expect(Math.abs(metrics.drops.network - sent * dropRate)).toBeLessThanOrEqual(
      binomialTolerance(sent, dropRate),
    );
    expect(metrics.deliveries).toBe(sent - metrics.drops.network);
    expect(receptions(simulation)).toHaveLength(metrics.deliveries);
  });

  it("duplicates about duplicateRate of the messages, and receivers see every copy", () => {
    const duplicateRate = 0.3;
    const simulation = build(machines, { duplicateRate });
    runToEnd(simulation);
    const metrics = simulation.metrics();
    expect(metrics.messages).toBe(sent);
    expect(Math.abs(metrics.duplicates - sent * duplicateRate)).toBeLessThanOrEqual(
      binomialTolerance(sent, duplicateRate),
    );
    expect(metrics.deliveries).toBe(sent + metrics.duplicates);
    const copies = new Map<string, number>();
    for (const r of receptions(simulation)) {
      const key = `${r.from}>${r.receiver}@${r.round}`;
      copies.set(key, (copies.get(key) ?? 0) + 1);
    }
    expect(copies.size).toBe(sent);
    expect([...copies.values()].filter((count) => count === 2)).toHaveLength(metrics.duplicates);
  });
});

describe("global stabilisation time", () => {
  const gst = 1000;
  const delta = 50;
  const period = 37;
  const rounds = 60;
  const byzantine = 4;

  function stabilising(): ChatterSimulation {
    const machines = chatterMachines(5, { periodMs: period, rounds }).map((machine) =>
      machine.identity === byzantine ? { ...machine, honest: false } : machine,
    );
    return build(machines, {
      baseMs: 0,
      jitterMs: 400,
      dropRate: 0.3,
      duplicateRate: 0.1,
      gstMs: gst,
      deltaMs: delta,
    });
  }

  it("after GST: nothing lost between honest machines, everything within Δ, no partition, no adversarial drop", () => {
    const simulation = stabilising();
    expect(
      simulation.partition([
        [0, 1],
        [2, 3, byzantine],
      ]),
    ).toBe(true);
    simulation.advance(gst);
    expect(simulation.partition([[0], [1, 2, 3, byzantine]])).toBe(false);

    for (const message of simulation.inFlight()) {
      const honestLink = message.fromMachine !== byzantine && message.toMachine !== byzantine;
      expect(simulation.drop(message.id)).toBe(!honestLink);
    }
    for (const message of simulation.inFlight()) expect(simulation.delay(message.id, 1e6)).toBe(true);
    for (const message of simulation.inFlight()) {
      expect(message.deliverAt).toBeLessThanOrEqual(Math.max(message.sentAt, gst) + delta);
    }
    runToEnd(simulation);

    const all = receptions(simulation);
    for (const r of all) expect(r.at).toBeLessThanOrEqual(Math.max(r.sentAt, gst) + delta);
    const delivered = new Set(all.map((r) => `${r.from}>${r.receiver}@${r.round}`));
    // Machine i sends round k at k · period (its timer starts at 0); honest pairs after GST must all connect.
    for (let sender = 0; sender < 5; sender++) {
      for (let receiver = 0; receiver < 5; receiver++) {
        if (sender === receiver || sender === byzantine || receiver === byzantine) continue;
        for (let round = 1; round <= rounds; round++) {
          if (round * period >= gst) expect(delivered).toContain(`${sender}>${receiver}@${round}`);
        }
      }
    }
    // Not vacuous: before GST the network did lose, cut and hold back messages past GST.
    const { drops } = simulation.metrics();
    expect(drops.network).toBeGreaterThan(0);
    expect(drops.partition).toBeGreaterThan(0);
    expect(drops.adversary).toBeGreaterThan(0);
    expect(all.some((r) => r.sentAt < gst && r.at > gst)).toBe(true);
  });

  it("clamps a pre-GST message to GST + Δ even when its sampled delay was longer", () => {
    const simulation = build(chatterMachines(2, { periodMs: 10, rounds: 1 }), {
      baseMs: 500,
      jitterMs: 0,
      gstMs: 100,
      deltaMs: 30,
    });
    runToEnd(simulation);
    expect(receptions(simulation).map((r) => r.at)).toEqual([130, 130]);
  });
});

describe("partitions", () => {
  it("cut messages between groups (unlisted machines form one more) until healed", () => {
    const period = 10;
    const rounds = 50;
    const simulation = build(chatterMachines(5, { periodMs: period, rounds }), {
      baseMs: 1,
      jitterMs: 3,
      gstMs: Number.POSITIVE_INFINITY,
    });
    const group = [0, 0, 1, 1, -1];
    const [cutAt, healAt] = [105, 305];
    simulation.advance(cutAt);
    expect(
      simulation.partition([
        [0, 1],
        [2, 3],
      ]),
    ).toBe(true);
    simulation.advance(healAt - cutAt);
    simulation.heal();
    runToEnd(simulation);

    // Sends are decided when made: a send at time t crosses only if t is outside (cutAt, healAt].
    const cut = (sentAt: number): boolean => sentAt > cutAt && sentAt <= healAt;
    const delivered = new Set(receptions(simulation).map((r) => `${r.from}>${r.receiver}@${r.round}`));
    let expectedDrops = 0;
    for (let sender = 0; sender < 5; sender++) {
      for (let receiver = 0; receiver < 5; receiver++) {
        if (sender === receiver) continue;
        for (let round = 1; round <= rounds; round++) {
          const blocked = group[sender] !== group[receiver] && cut(round * period);
          if (blocked) expectedDrops++;
          expect(delivered.has(`${sender}>${receiver}@${round}`)).toBe(!blocked);
        }
      }
    }
    expect(simulation.metrics().drops.partition).toBe(expectedDrops);
    expect(() => simulation.partition([[0, 1], [1]])).toThrow(/two groups/);
    expect(() => simulation.partition([[7]])).toThrow(RangeError);
  });
});

describe("default network", () => {
  it("is synchronous from the start with Δ covering every sampled delay", () => {
    expect(DEFAULT_NETWORK.gstMs).toBe(0);
    expect(DEFAULT_NETWORK.deltaMs).toBe(DEFAULT_NETWORK.baseMs + DEFAULT_NETWORK.jitterMs);
  });
});
