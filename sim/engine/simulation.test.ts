import { describe, expect, it } from "vitest";
import { chatterCodec, chatterMachines } from "./chatter.ts";
import type { Behaviour } from "./protocol.ts";
import { Simulation } from "./simulation.ts";
import { formatTrace } from "./trace.ts";

const stormy = { baseMs: 1, jitterMs: 30, dropRate: 0.1, duplicateRate: 0.1, gstMs: 300, deltaMs: 40 };

function stormyRun(seed: number): Simulation<unknown, unknown, unknown> {
  const simulation = new Simulation({
    machines: chatterMachines(5, { periodMs: 7, rounds: 60, echo: true }),
    codec: chatterCodec,
    seed,
    network: stormy,
    traceCapacity: 1_000_000,
  });
  while (simulation.step()) {
    // run to the end
  }
  return simulation as Simulation<unknown, unknown, unknown>;
}

/** Everything a run exposes, as one string. */
function fingerprint(simulation: Simulation<unknown, unknown, unknown>): string {
  const observations = Array.from({ length: simulation.machineCount }, (_, m) => simulation.observations(m));
  return JSON.stringify({
    now: simulation.now,
    trace: simulation.trace(),
    metrics: simulation.metrics(),
    observations,
  });
}

describe("determinism", () => {
  it("replays a run byte for byte from its seed", () => {
    expect(fingerprint(stormyRun(42))).toBe(fingerprint(stormyRun(42)));
  });

  it("interleaves differently under another seed", () => {
    const order = (simulation: Simulation<unknown, unknown, unknown>): string[] =>
      simulation
        .trace()
        .filter((entry) => entry.kind === "deliver")
        .map((entry) => `${entry.machine} ${entry.summary.replace(/^#\d+ /, "")}`);
    const a = order(stormyRun(42));
    const b = order(stormyRun(43));
    expect(a.length).toBeGreaterThan(1000);
    expect(b).not.toEqual(a);
  });
});

describe("metrics", () => {
  it("counts a broadcast as one message per receiving machine, per kind and per sender", () => {
    const simulation = new Simulation({
      machines: chatterMachines(4, { periodMs: 10, rounds: 3, echo: true }),
      codec: chatterCodec,
      seed: 1,
    });
    while (simulation.step()) {
      // run to the end
    }
    const metrics = simulation.metrics();
    // 4 machines × 3 rounds CHAT to 3 others; each CHAT delivery answered by one ECHO.
    const chats = 4 * 3 * 3;
    expect(metrics.perKind).toEqual({
      CHAT: { messages: chats, bytes: chats * 17 },
      ECHO: { messages: chats, bytes: chats * 17 },
    });
    expect(metrics.messages).toBe(2 * chats);
    expect(metrics.bytes).toBe(2 * chats * 17);
    expect(metrics.deliveries).toBe(2 * chats);
    expect(metrics.timersFired).toBe(4 * 3);
    for (const machine of metrics.perMachine) {
      expect(machine).toEqual({ messages: 2 * 3 * 3, bytes: 2 * 3 * 3 * 17, received: 2 * 3 * 3 });
    }
  });
});

/** A behaviour driven by its inputs: it arms what `init` lists and observes every timer and message. */
function scripted(initialTimers: readonly [string, number][]): Behaviour<null, string, null> {
  return {
    init: () => ({
      state: null,
      actions: initialTimers.map(([name, afterMs]) => ({ kind: "timer", name, afterMs })),
    }),
    onMessage: (state, from, message) => ({
      state,
      actions:
        message === "rearm"
          ? [{ kind: "timer", name: "t", afterMs: 1000 }]
          : [{ kind: "observe", observation: `message ${message} from ${from}` }],
    }),
    onTimer: (state, name) => ({ state, actions: [{ kind: "observe", observation: `timer ${name}` }] }),
    persist: () => null,
    restore: () => ({ state: null, actions: [] }),
  };
}

const textCodec = { size: (message: string) => message.length, kind: () => "TEXT" };

describe("timers", () => {
  it("re-arming a timer replaces the pending one", () => {
    const simulation = new Simulation({
      machines: [
        {
          identity: 0,
          behaviour: scripted([
            ["t", 100],
            ["u", 50],
            ["t", 30],
          ]),
        },
      ],
      codec: textCodec,
      seed: 1,
    });
    expect(simulation.timers(0)).toEqual([
      { name: "t", at: 30 },
      { name: "u", at: 50 },
    ]);
    while (simulation.step()) {
      // run to the end
    }
    expect(simulation.observations(0)).toEqual([
      { time: 30, observation: "timer t" },
      { time: 50, observation: "timer u" },
    ]);
    expect(simulation.now).toBe(50);
    expect(simulation.metrics().timersFired).toBe(2);
  });

  it("a message handler can push a timer back", () => {
    const simulation = new Simulation({
      machines: [{ identity: 0, behaviour: scripted([["t", 100]]) }],
      codec: textCodec,
      seed: 1,
    });
    simulation.advance(60);
    expect(simulation.inject(5, 0, "rearm")).toBe(true);
    while (simulation.step()) {
      // run to the end
    }
    // Injected at 60 with the default delay of 10..20 ms, so the timer re-armed for 1000 ms later.
    const [fired] = simulation.observations(0);
    expect(fired?.observation).toBe("timer t");
    expect(fired!.time).toBeGreaterThanOrEqual(1070);
    expect(fired!.time).toBeLessThanOrEqual(1080);
  });

  it("refuses a negative or infinite timer", () => {
    for (const afterMs of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(
        () =>
          new Simulation({
            machines: [{ identity: 0, behaviour: scripted([["t", afterMs]]) }],
            codec: textCodec,
            seed: 1,
          }),
      ).toThrow(RangeError);
    }
  });
});

describe("running", () => {
  function fresh(): Simulation<null, string, null> {
    return new Simulation({
      machines: [
        {
          identity: 0,
          behaviour: scripted([
            ["a", 10],
            ["b", 20],
            ["c", 30],
          ]),
        },
      ],
      codec: textCodec,
      seed: 1,
    });
  }
  const fired = (simulation: Simulation<null, string, null>): unknown[] =>
    simulation.observations(0).map((o) => o.observation);

  it("step processes one event at a time and reports when none is left", () => {
    const simulation = fresh();
    expect(simulation.step()).toBe(true);
    expect(simulation.now).toBe(10);
    expect(fired(simulation)).toEqual(["timer a"]);
    expect(simulation.step()).toBe(true);
    expect(simulation.step()).toBe(true);
    expect(simulation.step()).toBe(false);
    expect(simulation.now).toBe(30);
  });

  it("advance processes events due up to now + ms, inclusive, and moves the clock there", () => {
    const simulation = fresh();
    simulation.advance(20);
    expect(fired(simulation)).toEqual(["timer a", "timer b"]);
    expect(simulation.now).toBe(20);
    simulation.advance(5);
    expect(simulation.now).toBe(25);
    expect(fired(simulation)).toHaveLength(2);
    expect(() => simulation.advance(-1)).toThrow(RangeError);
  });

  it("runUntil stops as soon as the predicate holds, or when no event is due within the limit", () => {
    const simulation = fresh();
    expect(simulation.runUntil((s) => s.observations(0).length === 2, 1000)).toBe(true);
    expect(simulation.now).toBe(20);
    expect(simulation.runUntil((s) => s.observations(0).length === 4, 5)).toBe(false);
    expect(simulation.now).toBe(20);
    expect(simulation.runUntil((s) => s.observations(0).length === 4, 1000)).toBe(false);
    expect(fired(simulation)).toEqual(["timer a", "timer b", "timer c"]);
  });

  it("refuses machine indices that do not exist", () => {
    const simulation = fresh();
    expect(() => simulation.crash(1)).toThrow(RangeError);
    expect(() => simulation.stateOf(-1)).toThrow(RangeError);
    expect(
      () =>
        new Simulation({ machines: [{ identity: -1, behaviour: scripted([]) }], codec: textCodec, seed: 1 }),
    ).toThrow(RangeError);
  });
});

describe("trace", () => {
  it("keeps the most recent events, formatted with the codec", () => {
    const simulation = new Simulation({
      machines: chatterMachines(3, { periodMs: 10, rounds: 4 }),
      codec: chatterCodec,
      seed: 1,
      network: { baseMs: 5, jitterMs: 0, deltaMs: 5 },
      traceCapacity: 4,
    });
    while (simulation.step()) {
      // run to the end
    }
    // The last round: the timers fire at 40 in machine order (as they were first armed), and each
    // broadcast reaches the other machines in index order, all at 45. The six deliveries go in sending
    // order: m1 and m2 (from 0), m0 and m2 (from 1), m0 and m1 (from 2); the trace keeps the last four.
    const trace = simulation.trace();
    expect(trace.map((entry) => [entry.time, entry.machine, entry.kind])).toEqual([
      [45, 0, "deliver"],
      [45, 2, "deliver"],
      [45, 0, "deliver"],
      [45, 1, "deliver"],
    ]);
    expect(trace[3]!.summary).toMatch(/^#\d+ from identity 2: CHAT round 4 sent at 40$/);
    expect(formatTrace(trace).split("\n")).toHaveLength(4);
    expect(formatTrace(trace)).toContain("m1    deliver   #");
  });

  it("keeps nothing with capacity 0", () => {
    const simulation = new Simulation({
      machines: chatterMachines(2, { periodMs: 10, rounds: 2 }),
      codec: chatterCodec,
      seed: 1,
      traceCapacity: 0,
    });
    while (simulation.step()) {
      // run to the end
    }
    expect(simulation.trace()).toEqual([]);
  });
});
