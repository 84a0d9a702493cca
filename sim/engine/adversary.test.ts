import { describe, expect, it } from "vitest";
import {
  type ChatterMessage,
  type ChatterState,
  chatter,
  chatterCodec,
  chatterMachines,
  type Heard,
  type Restored,
} from "./chatter.ts";
import { type NetworkConfig, resolveNetwork } from "./network.ts";
import { type MachineConfig, Simulation } from "./simulation.ts";

type ChatterSimulation = Simulation<ChatterState, ChatterMessage, ChatterState>;

function build(
  machines: readonly MachineConfig<ChatterState, ChatterMessage, ChatterState>[],
  network: Partial<NetworkConfig> = {},
): ChatterSimulation {
  return new Simulation({ machines, codec: chatterCodec, seed: 3, network });
}

const heardBy = (simulation: ChatterSimulation, machine: number): (Heard & { at: number })[] =>
  simulation
    .observations(machine)
    .filter((o) => (o.observation as Partial<Heard>).heard !== undefined)
    .map((o) => ({ ...(o.observation as Heard), at: o.time }));

function runToEnd(simulation: ChatterSimulation): void {
  while (simulation.step()) {
    // every event, until none is left
  }
}

describe("crash and restart", () => {
  const period = 10;
  const rounds = 30;

  it("loses in-flight messages and timers, drops what is sent meanwhile, restores the persisted state", () => {
    const simulation = build(chatterMachines(4, { periodMs: period, rounds }), { baseMs: 5, jitterMs: 10 });
    simulation.advance(95);
    const before = simulation.stateOf(2)!;
    const incoming = simulation.inFlight().filter((m) => m.toMachine === 2);
    expect(incoming.length).toBeGreaterThan(0);
    const receivedBefore = simulation.metrics().perMachine[2]!.received;

    expect(simulation.crash(2)).toBe(true);
    expect(simulation.crash(2)).toBe(false);
    expect(simulation.isAlive(2)).toBe(false);
    expect(simulation.stateOf(2)).toBeUndefined();
    expect(simulation.timers(2)).toEqual([]);
    expect(simulation.inFlight().filter((m) => m.toMachine === 2)).toEqual([]);
    expect(simulation.metrics().drops.crashed).toBe(incoming.length);

    // Down from 95 to 200: the others broadcast rounds 10..20, 3 senders × 11 rounds addressed to it.
    simulation.advance(105);
    expect(simulation.metrics().perMachine[2]!.received).toBe(receivedBefore);
    expect(simulation.metrics().drops.crashed).toBe(incoming.length + 3 * 11);

    expect(simulation.restart(2)).toBe(true);
    expect(simulation.restart(2)).toBe(false);
    expect(simulation.stateOf(2)).toEqual(before);
    const restored = simulation.observations(2).at(-1)!;
    expect(restored).toEqual({ time: 200, observation: { restored: before } satisfies Restored });
    expect(simulation.timers(2)).toEqual([{ name: "tick", at: 200 + period }]);

    runToEnd(simulation);
    // It resumes counting from its snapshot, and broadcasts its remaining rounds from 210 on.
    expect(simulation.stateOf(2)!.round).toBe(rounds);
    expect(simulation.stateOf(2)!.heard).toBe(
      before.heard + heardBy(simulation, 2).filter((h) => h.at > 200).length,
    );
    const fromTwo = heardBy(simulation, 0).filter((h) => h.from === 2);
    expect(fromTwo.map((h) => h.round)).toEqual(Array.from({ length: rounds }, (_, i) => i + 1));
    expect(fromTwo.filter((h) => h.round > before.round).every((h) => h.sentAt > 200)).toBe(true);
  });
});

describe("twins", () => {
  it("two machines of one identity receive the same messages, and others see both as that identity", () => {
    const behaviour = chatter({ periodMs: 10, rounds: 5, echo: true });
    const simulation = build(
      [0, 1, 1, 2].map((identity) => ({ identity, behaviour })),
      { baseMs: 1, jitterMs: 9 },
    );
    runToEnd(simulation);
    const received = (machine: number): string[] =>
      heardBy(simulation, machine)
        .map((h) => `${h.heard} from ${h.from} round ${h.round}`)
        .sort();
    expect(received(2)).toEqual(received(1));
    // Each twin hears 5 CHATs from each of identities 0 and 2, and an ECHO for each CHAT either twin sent
    // (2 twins × 5 rounds × 2 echoing identities).
    expect(received(1).filter((h) => h.startsWith("CHAT"))).toHaveLength(10);
    expect(received(1).filter((h) => h.startsWith("ECHO"))).toHaveLength(20);
    // Twins do not hear each other's broadcasts, and identity 0 hears identity 1 twice per round.
    expect(received(1).some((h) => h.includes("from 1"))).toBe(false);
    expect(received(0).filter((h) => h.startsWith("CHAT from 1"))).toHaveLength(10);
  });
});

describe("message commands", () => {
  function oneMessage(): ChatterSimulation {
    const simulation = build(chatterMachines(2, { periodMs: 10, rounds: 1 }), {
      baseMs: 50,
      jitterMs: 0,
      gstMs: 1000,
      deltaMs: 100,
    });
    simulation.advance(10);
    expect(simulation.inFlight()).toHaveLength(2);
    return simulation;
  }

  it("deliverNow delivers at once and takes the message out of flight", () => {
    const simulation = oneMessage();
    const [first, second] = simulation.inFlight();
    expect(simulation.deliverNow(first!.id)).toBe(true);
    expect(simulation.deliverNow(first!.id)).toBe(false);
    expect(heardBy(simulation, first!.toMachine).map((h) => h.at)).toEqual([10]);
    expect(simulation.inFlight()).toEqual([second]);
  });

  it("drop loses a message before GST", () => {
    const simulation = oneMessage();
    const [first] = simulation.inFlight();
    expect(simulation.drop(first!.id)).toBe(true);
    runToEnd(simulation);
    expect(heardBy(simulation, first!.toMachine)).toEqual([]);
    expect(simulation.metrics().drops.adversary).toBe(1);
    expect(simulation.drop(first!.id)).toBe(false);
  });

  it("duplicate adds a copy due at the same time", () => {
    const simulation = oneMessage();
    const [first] = simulation.inFlight();
    const copy = simulation.duplicate(first!.id);
    expect(copy).toBeDefined();
    expect(simulation.inFlight().find((m) => m.id === copy)).toMatchObject({
      message: first!.message,
      toMachine: first!.toMachine,
      deliverAt: first!.deliverAt,
    });
    runToEnd(simulation);
    expect(heardBy(simulation, first!.toMachine).map((h) => h.at)).toEqual([60, 60]);
    expect(simulation.duplicate(-5)).toBeUndefined();
  });

  it("delay postpones a message, but never past max(sentAt, GST) + Δ", () => {
    const simulation = oneMessage();
    const [first, second] = simulation.inFlight();
    expect(simulation.delay(first!.id, 500)).toBe(true);
    expect(simulation.delay(second!.id, 5000)).toBe(true);
    const due = new Map(simulation.inFlight().map((m) => [m.id, m.deliverAt]));
    expect(due.get(first!.id)).toBe(560);
    expect(due.get(second!.id)).toBe(1100);
    expect(() => simulation.delay(first!.id, -1)).toThrow(RangeError);
  });
});

describe("early timers", () => {
  it("fire an armed timer now before GST, and are refused after GST or for a timer not armed", () => {
    const gst = 100;
    const simulation = build(chatterMachines(2, { periodMs: 40, rounds: 5 }), { gstMs: gst, deltaMs: 20 });
    simulation.advance(15);
    expect(simulation.fireTimerNow(0, "tick")).toBe(true);
    expect(simulation.stateOf(0)!.round).toBe(1);
    expect(simulation.inFlight().map((m) => m.sentAt)).toEqual([15]);
    // Firing re-armed the timer 40 ms after the early firing.
    expect(simulation.timers(0)).toEqual([{ name: "tick", at: 55 }]);
    expect(simulation.fireTimerNow(0, "nonexistent")).toBe(false);
    simulation.advance(gst - 15);
    expect(simulation.timers(0)).not.toEqual([]);
    expect(simulation.fireTimerNow(0, "tick")).toBe(false);
  });
});

describe("injection", () => {
  it("sends as a Byzantine or unrun identity, never as one only honest machines run", () => {
    const behaviour = chatter({ periodMs: 10, rounds: 0 });
    const simulation = build(
      [
        { identity: 0, behaviour },
        { identity: 1, behaviour },
        { identity: 1, behaviour, honest: false },
        { identity: 2, behaviour, honest: false },
      ],
      { jitterMs: 0 },
    );
    const forged: ChatterMessage = { type: "CHAT", round: 99, sentAt: 0 };
    expect(simulation.inject(0, 1, forged)).toBe(false);
    expect(simulation.inject(1, "all", forged)).toBe(true);
    expect(simulation.inject(7, 0, forged)).toBe(true);
    expect(simulation.inFlight().map((m) => [m.from, m.fromMachine, m.toMachine])).toEqual([
      [1, undefined, 0],
      [1, undefined, 3],
      [7, undefined, 0],
    ]);
    runToEnd(simulation);
    expect(heardBy(simulation, 0).map((h) => h.from)).toEqual([1, 7]);
    const metrics = simulation.metrics();
    expect(metrics.injected).toBe(3);
    expect(metrics.messages).toBe(0);
  });
});

describe("machine flags", () => {
  it("reports identity, honesty and liveness per machine", () => {
    const behaviour = chatter({ periodMs: 10, rounds: 1 });
    const simulation = build([
      { identity: 4, behaviour },
      { identity: 4, behaviour, honest: false },
    ]);
    expect([simulation.identityOf(0), simulation.identityOf(1)]).toEqual([4, 4]);
    expect([simulation.isHonest(0), simulation.isHonest(1)]).toEqual([true, false]);
    expect(simulation.isAlive(1)).toBe(true);
    expect(simulation.network).toEqual(resolveNetwork());
  });
});
