import { EventQueue } from "./eventQueue.ts";
import { type NetworkConfig, resolveNetwork } from "./network.ts";
import type { Action, Behaviour, MessageCodec, Step } from "./protocol.ts";
import { Random } from "./random.ts";
import { type TraceEntry, TraceLog } from "./trace.ts";

/** One machine: a behaviour running one identity (committee index). Several machines may share one. */
export interface MachineConfig<S, M, P> {
  readonly identity: number;
  readonly behaviour: Behaviour<S, M, P>;
  /** Honest machines are protected from adversarial drops after GST, and checkers trust them. Default true. */
  readonly honest?: boolean;
}

export interface SimulationConfig<S, M, P> {
  readonly machines: readonly MachineConfig<S, M, P>[];
  readonly codec: MessageCodec<M>;
  /** Every random choice of the run derives from this seed. */
  readonly seed: number;
  readonly network?: Partial<NetworkConfig>;
  /** How many of the most recent events the trace keeps; default 1000, 0 keeps none. */
  readonly traceCapacity?: number;
}

/** A message the network holds: sent, not yet delivered or lost. */
export interface InFlightMessage<M> {
  readonly id: number;
  /** The sender's identity. */
  readonly from: number;
  /** The sending machine; undefined for a message injected by the adversary. */
  readonly fromMachine: number | undefined;
  readonly toMachine: number;
  readonly message: M;
  readonly sentAt: number;
  readonly deliverAt: number;
}

export interface Traffic {
  readonly messages: number;
  readonly bytes: number;
}

export interface MachineTraffic extends Traffic {
  /** Messages delivered to this machine. */
  readonly received: number;
}

export interface DropCounts {
  /** Lost at random before GST (`dropRate`). */
  readonly network: number;
  /** Sender and receiver in different partition groups. */
  readonly partition: number;
  /** Addressed to a crashed machine, or in flight to it when it crashed. */
  readonly crashed: number;
  /** Removed by `drop(id)`. */
  readonly adversary: number;
}

/**
 * Traffic counts. A protocol message is counted once per receiving machine (a broadcast to n − 1 machines is
 * n − 1 point-to-point messages), when sent, whether or not it arrives. Network and adversarial copies and
 * injected messages are counted apart, so `messages` is exactly what the behaviours sent.
 */
export interface Metrics extends Traffic {
  readonly perKind: Readonly<Record<string, Traffic>>;
  /** Indexed by machine: what it sent, and how many messages it received. */
  readonly perMachine: readonly MachineTraffic[];
  readonly deliveries: number;
  readonly drops: DropCounts;
  readonly duplicates: number;
  readonly injected: number;
  readonly timersFired: number;
}

export interface Observation {
  readonly time: number;
  readonly observation: unknown;
}

export interface PendingTimer {
  readonly name: string;
  readonly at: number;
}

const DELIVERY = 0;
const TIMER = 1;
/** The sender machine of an injected message. */
const ADVERSARY = -1;
const UNPARTITIONED = -2;
/** The group of machines a partition does not list: they stay connected to one another. */
const UNLISTED = -1;

/** One queue entry: a delivery or a timer firing. A single shape keeps the hot loop monomorphic. */
interface QueuedEvent<M> {
  readonly time: number;
  seq: number;
  readonly kind: typeof DELIVERY | typeof TIMER;
  /** The receiving machine, or the timer's owner. */
  readonly machine: number;
  /** Message id; -1 for timers. */
  readonly id: number;
  readonly from: number;
  readonly fromMachine: number;
  readonly sentAt: number;
  readonly message: M | undefined;
  readonly timer: string;
  cancelled: boolean;
}

interface Counter {
  messages: number;
  bytes: number;
}

/**
 * A deterministic discrete-event simulation of machines exchanging messages over the network model of
 * `NetworkConfig`. Time is virtual; every random choice comes from streams forked off the seed, so a seed
 * replays a run exactly. Besides running on its own (`step`, `advance`, `runUntil`), the engine takes
 * adversarial commands (deliver, drop, duplicate, delay, crash, restart, early timers, injection,
 * partitions) for model-based tests, each refused (returning false) when the network model forbids it.
 */
export class Simulation<S, M, P> {
  readonly network: NetworkConfig;
  readonly #codec: MessageCodec<M>;
  readonly #behaviours: readonly Behaviour<S, M, P>[];
  readonly #identities: readonly number[];
  readonly #honest: readonly boolean[];
  readonly #states: (S | undefined)[];
  readonly #alive: boolean[];
  readonly #persisted: (P | undefined)[];
  readonly #timers: Map<string, QueuedEvent<M>>[];
  readonly #observations: Observation[][];
  readonly #queue = new EventQueue<QueuedEvent<M>>();
  readonly #jitter: Random;
  readonly #loss: Random;
  readonly #copies: Random;
  readonly #trace: TraceLog<M>;
  /** Partition group per machine, or undefined when there is no partition. */
  #groups: Int32Array | undefined;
  #now = 0;
  #nextMessageId = 0;

  readonly #total: Counter = { messages: 0, bytes: 0 };
  readonly #perKind = new Map<string, Counter>();
  readonly #sentBy: Counter[];
  readonly #receivedBy: number[];
  readonly #drops = { network: 0, partition: 0, crashed: 0, adversary: 0 };
  #deliveries = 0;
  #duplicates = 0;
  #injected = 0;
  #timersFired = 0;

  constructor(config: SimulationConfig<S, M, P>) {
    this.network = resolveNetwork(config.network);
    this.#codec = config.codec;
    const machines = config.machines;
    for (const machine of machines) {
      if (!Number.isSafeInteger(machine.identity) || machine.identity < 0) {
        throw new RangeError(`identity must be a non-negative integer, got ${machine.identity}`);
      }
    }
    this.#behaviours = machines.map((machine) => machine.behaviour);
    this.#identities = machines.map((machine) => machine.identity);
    this.#honest = machines.map((machine) => machine.honest ?? true);
    this.#states = machines.map(() => undefined);
    this.#alive = machines.map(() => true);
    this.#persisted = machines.map(() => undefined);
    this.#timers = machines.map(() => new Map());
    this.#observations = machines.map(() => []);
    this.#sentBy = machines.map(() => ({ messages: 0, bytes: 0 }));
    this.#receivedBy = machines.map(() => 0);
    const root = Random.fromSeed(config.seed);
    this.#jitter = root.fork("network/jitter");
    this.#loss = root.fork("network/loss");
    this.#copies = root.fork("network/duplicate");
    this.#trace = new TraceLog<M>(config.traceCapacity ?? 1000, (message) => this.#summary(message));
    for (let machine = 0; machine < machines.length; machine++) {
      this.#run(machine, this.#behaviours[machine]!.init(this.#identities[machine]!, 0));
    }
  }

  // ---------------------------------------------------------------- inspection

  /** Virtual time, in milliseconds. */
  get now(): number {
    return this.#now;
  }

  get machineCount(): number {
    return this.#identities.length;
  }

  identityOf(machine: number): number {
    return this.#identities[this.#checkMachine(machine)]!;
  }

  isHonest(machine: number): boolean {
    return this.#honest[this.#checkMachine(machine)]!;
  }

  isAlive(machine: number): boolean {
    return this.#alive[this.#checkMachine(machine)]!;
  }

  /** The machine's current state; undefined while it is crashed. */
  stateOf(machine: number): S | undefined {
    return this.#states[this.#checkMachine(machine)];
  }

  /** What the machine observed, in order, with the time of each observation. */
  observations(machine: number): readonly Observation[] {
    return this.#observations[this.#checkMachine(machine)]!;
  }

  /** The machine's armed timers, soonest first. */
  timers(machine: number): readonly PendingTimer[] {
    const pending = [...this.#timers[this.#checkMachine(machine)]!.values()];
    pending.sort((a, b) => a.time - b.time || a.seq - b.seq);
    return pending.map((event) => ({ name: event.timer, at: event.time }));
  }

  /** Every message in flight, in the order it would be delivered. */
  inFlight(): readonly InFlightMessage<M>[] {
    const live = this.#queue.events().filter((event) => event.kind === DELIVERY && !event.cancelled);
    return live.map((event) => ({
      id: event.id,
      from: event.from,
      fromMachine: event.fromMachine === ADVERSARY ? undefined : event.fromMachine,
      toMachine: event.machine,
      message: event.message as M,
      sentAt: event.sentAt,
      deliverAt: event.time,
    }));
  }

  metrics(): Metrics {
    const perKind: Record<string, Traffic> = {};
    for (const [kind, counter] of this.#perKind) perKind[kind] = { ...counter };
    return {
      ...this.#total,
      perKind,
      perMachine: this.#sentBy.map((sent, machine) => ({ ...sent, received: this.#receivedBy[machine]! })),
      deliveries: this.#deliveries,
      drops: { ...this.#drops },
      duplicates: this.#duplicates,
      injected: this.#injected,
      timersFired: this.#timersFired,
    };
  }

  /** The most recent events (as many as `traceCapacity`), oldest first. */
  trace(): readonly TraceEntry[] {
    return this.#trace.entries();
  }

  // ---------------------------------------------------------------- running

  /** Processes the next event; false if there is none. */
  step(): boolean {
    const event = this.#nextEvent();
    if (event === undefined) return false;
    this.#queue.pop();
    this.#now = event.time;
    this.#process(event);
    return true;
  }

  /** Processes every event due up to now + ms, then sets the clock to now + ms. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`advance needs a non-negative duration, got ${ms}`);
    const until = this.#now + ms;
    for (let next = this.#nextEvent(); next !== undefined && next.time <= until; next = this.#nextEvent()) {
      this.step();
    }
    this.#now = until;
  }

  /**
   * Processes events until `predicate` holds (checked before each event), or no event is due within
   * `limitMs` of the start. Returns whether the predicate held. The clock stays at the last event processed.
   */
  runUntil(predicate: (simulation: this) => boolean, limitMs: number): boolean {
    const until = this.#now + limitMs;
    for (;;) {
      if (predicate(this)) return true;
      const next = this.#nextEvent();
      if (next === undefined || next.time > until) return false;
      this.step();
    }
  }

  // ---------------------------------------------------------------- adversarial commands

  /** Delivers a message in flight immediately. */
  deliverNow(id: number): boolean {
    const event = this.#findMessage(id);
    if (event === undefined) return false;
    event.cancelled = true;
    this.#process(event);
    return true;
  }

  /** Loses a message in flight; refused at or after GST between two honest machines. */
  drop(id: number): boolean {
    const event = this.#findMessage(id);
    if (event === undefined || (this.#synchronous() && this.#honestLink(event.fromMachine, event.machine))) {
      return false;
    }
    event.cancelled = true;
    this.#drops.adversary++;
    this.#trace.record(this.#now, event.machine, "drop", this.#describeMessage(event));
    return true;
  }

  /** Puts a second copy of a message in flight, due at the same time; returns the copy's id. */
  duplicate(id: number): number | undefined {
    const event = this.#findMessage(id);
    if (event === undefined) return undefined;
    const copy = { ...event, id: this.#nextMessageId++ };
    this.#queue.push(copy);
    this.#duplicates++;
    this.#trace.record(
      this.#now,
      event.machine,
      "duplicate",
      `${this.#describeMessage(event)} as #${copy.id}`,
    );
    return copy.id;
  }

  /** Postpones a message by `ms`, never past its partial-synchrony deadline max(sentAt, GST) + Δ. */
  delay(id: number, ms: number): boolean {
    if (!(ms >= 0)) throw new RangeError(`delay needs a non-negative duration, got ${ms}`);
    const event = this.#findMessage(id);
    if (event === undefined) return false;
    const at = Math.min(event.time + ms, this.#deadline(event.sentAt));
    this.#reschedule(event, at);
    this.#trace.record(this.#now, event.machine, "delay", `${this.#describeMessage(event)} to ${at}`);
    return true;
  }

  /**
   * Stops a machine: its state is replaced by `persist(state)`, its timers are cancelled and the messages in
   * flight to it are lost (as are those sent to it while it is down).
   */
  crash(machine: number): boolean {
    this.#checkMachine(machine);
    if (!this.#alive[machine]) return false;
    this.#persisted[machine] = this.#behaviours[machine]!.persist(this.#states[machine] as S);
    this.#alive[machine] = false;
    this.#states[machine] = undefined;
    const timers = this.#timers[machine]!;
    for (const event of timers.values()) event.cancelled = true;
    timers.clear();
    for (const event of this.#queue.events()) {
      if (event.kind === DELIVERY && event.machine === machine && !event.cancelled) {
        event.cancelled = true;
        this.#drops.crashed++;
      }
    }
    this.#trace.record(this.#now, machine, "crash", "");
    return true;
  }

  /** Starts a crashed machine again from what it persisted at the crash. */
  restart(machine: number): boolean {
    this.#checkMachine(machine);
    if (this.#alive[machine]) return false;
    this.#alive[machine] = true;
    this.#trace.record(this.#now, machine, "restart", "");
    const behaviour = this.#behaviours[machine]!;
    this.#run(
      machine,
      behaviour.restore(this.#identities[machine]!, this.#persisted[machine] as P, this.#now),
    );
    return true;
  }

  /** Fires an armed timer now, as a fast clock would; refused at or after GST, when clocks are in step. */
  fireTimerNow(machine: number, name: string): boolean {
    this.#checkMachine(machine);
    const event = this.#timers[machine]!.get(name);
    if (event === undefined || this.#synchronous()) return false;
    event.cancelled = true;
    this.#process(event);
    return true;
  }

  /**
   * Sends a message as identity `from` (to one identity, or to every machine of another identity), as a
   * Byzantine key could. Refused when every machine running `from` is honest: the adversary cannot sign for
   * an honest key. An identity no machine runs counts as the adversary's.
   */
  inject(from: number, to: number | "all", message: M): boolean {
    const runners = this.#identities.flatMap((identity, machine) => (identity === from ? [machine] : []));
    if (runners.length > 0 && runners.every((machine) => this.#honest[machine])) return false;
    this.#trace.record(
      this.#now,
      undefined,
      "inject",
      `from identity ${from} to ${to}: ${this.#summary(message)}`,
    );
    for (let machine = 0; machine < this.#identities.length; machine++) {
      const identity = this.#identities[machine]!;
      if (to === "all" ? identity === from : identity !== to) continue;
      this.#injected++;
      if (this.#alive[machine]) this.#enqueueDelivery(ADVERSARY, from, machine, message);
      else this.#drops.crashed++;
    }
    return true;
  }

  /**
   * Splits the machines into groups (by machine index; machines not listed form one more group together);
   * messages sent between groups before GST are dropped. Refused at or after GST.
   */
  partition(groups: readonly (readonly number[])[]): boolean {
    if (this.#synchronous()) return false;
    const assigned = new Int32Array(this.#identities.length).fill(UNLISTED);
    groups.forEach((group, index) => {
      for (const machine of group) {
        this.#checkMachine(machine);
        if (assigned[machine] !== UNLISTED) throw new RangeError(`machine ${machine} is in two groups`);
        assigned[machine] = index;
      }
    });
    this.#groups = assigned;
    this.#trace.record(this.#now, undefined, "partition", JSON.stringify(groups));
    return true;
  }

  heal(): void {
    this.#groups = undefined;
    this.#trace.record(this.#now, undefined, "heal", "");
  }

  // ---------------------------------------------------------------- internals

  #checkMachine(machine: number): number {
    if (!Number.isInteger(machine) || machine < 0 || machine >= this.#identities.length) {
      throw new RangeError(`no machine ${machine} (there are ${this.#identities.length})`);
    }
    return machine;
  }

  #synchronous(): boolean {
    return this.#now >= this.network.gstMs;
  }

  #honestLink(fromMachine: number, toMachine: number): boolean {
    return fromMachine !== ADVERSARY && this.#honest[fromMachine]! && this.#honest[toMachine]!;
  }

  /** The latest delivery time the partial-synchrony model allows for a message sent at `sentAt`. */
  #deadline(sentAt: number): number {
    return Math.max(sentAt, this.network.gstMs) + this.network.deltaMs;
  }

  /** The next event that was not cancelled, discarding cancelled ones on the way (left in the queue). */
  #nextEvent(): QueuedEvent<M> | undefined {
    let event = this.#queue.peek();
    while (event?.cancelled) {
      this.#queue.pop();
      event = this.#queue.peek();
    }
    return event;
  }

  #findMessage(id: number): QueuedEvent<M> | undefined {
    for (const event of this.#queue.events()) {
      if (event.id === id && event.kind === DELIVERY && !event.cancelled) return event;
    }
    return undefined;
  }

  #summary(message: M): string {
    const detail = this.#codec.describe?.(message);
    const kind = this.#codec.kind(message);
    return detail === undefined ? kind : `${kind} ${detail}`;
  }

  #describeMessage(event: QueuedEvent<M>): string {
    return `#${event.id} from identity ${event.from}: ${this.#summary(event.message as M)}`;
  }

  /** Moves a queued message to `at` (a fresh entry: heap entries cannot move). */
  #reschedule(event: QueuedEvent<M>, at: number): void {
    event.cancelled = true;
    this.#queue.push({ ...event, time: at, cancelled: false });
  }

  #process(event: QueuedEvent<M>): void {
    const machine = event.machine;
    const state = this.#states[machine] as S;
    const behaviour = this.#behaviours[machine]!;
    if (event.kind === DELIVERY) {
      this.#deliveries++;
      this.#receivedBy[machine]!++;
      this.#trace.recordDelivery(this.#now, machine, event.from, event.id, event.message as M);
      this.#run(machine, behaviour.onMessage(state, event.from, event.message as M, this.#now));
    } else {
      const timers = this.#timers[machine]!;
      if (timers.get(event.timer) === event) timers.delete(event.timer);
      this.#timersFired++;
      this.#trace.record(this.#now, machine, "timer", event.timer);
      this.#run(machine, behaviour.onTimer(state, event.timer, this.#now));
    }
  }

  #run(machine: number, step: Step<S, M>): void {
    this.#states[machine] = step.state;
    for (const action of step.actions) this.#perform(machine, action);
  }

  #perform(machine: number, action: Action<M>): void {
    switch (action.kind) {
      case "send":
      case "broadcast":
        this.#send(machine, action.kind === "send" ? action.to : undefined, action.message);
        return;
      case "timer":
        this.#arm(machine, action.name, action.afterMs);
        return;
      case "observe":
        this.#observations[machine]!.push({ time: this.#now, observation: action.observation });
        return;
    }
  }

  #arm(machine: number, name: string, afterMs: number): void {
    if (!(afterMs >= 0 && afterMs < Number.POSITIVE_INFINITY)) {
      throw new RangeError(
        `timer ${name} of machine ${machine}: afterMs must be finite and >= 0, got ${afterMs}`,
      );
    }
    const timers = this.#timers[machine]!;
    const pending = timers.get(name);
    if (pending !== undefined) pending.cancelled = true;
    const event: QueuedEvent<M> = {
      time: this.#now + afterMs,
      seq: 0,
      kind: TIMER,
      machine,
      id: -1,
      from: this.#identities[machine]!,
      fromMachine: machine,
      sentAt: this.#now,
      message: undefined,
      timer: name,
      cancelled: false,
    };
    timers.set(name, event);
    this.#queue.push(event);
  }

  /** A send to identity `to`, or a broadcast (`to` undefined), as point-to-point messages through the model. */
  #send(fromMachine: number, to: number | undefined, message: M): void {
    const from = this.#identities[fromMachine]!;
    const size = this.#codec.size(message);
    const kind = this.#codec.kind(message);
    let counter = this.#perKind.get(kind);
    if (counter === undefined) {
      counter = { messages: 0, bytes: 0 };
      this.#perKind.set(kind, counter);
    }
    const sent = this.#sentBy[fromMachine]!;
    const identities = this.#identities;
    const lossy = this.network.dropRate > 0 && !this.#synchronous();
    const groups = this.#synchronous() ? undefined : this.#groups;
    const senderGroup = groups === undefined ? UNPARTITIONED : groups[fromMachine]!;
    for (let machine = 0; machine < identities.length; machine++) {
      const identity = identities[machine]!;
      if (to === undefined ? identity === from : identity !== to) continue;
      this.#total.messages++;
      this.#total.bytes += size;
      counter.messages++;
      counter.bytes += size;
      sent.messages++;
      sent.bytes += size;
      if (!this.#alive[machine]) this.#drops.crashed++;
      else if (groups !== undefined && groups[machine] !== senderGroup) this.#drops.partition++;
      else if (lossy && this.#loss.chance(this.network.dropRate)) this.#drops.network++;
      else {
        this.#enqueueDelivery(fromMachine, from, machine, message);
        if (this.network.duplicateRate > 0 && this.#copies.chance(this.network.duplicateRate)) {
          this.#duplicates++;
          this.#enqueueDelivery(fromMachine, from, machine, message);
        }
      }
    }
  }

  #enqueueDelivery(fromMachine: number, from: number, toMachine: number, message: M): QueuedEvent<M> {
    const { baseMs, jitterMs } = this.network;
    const delay = baseMs + (jitterMs > 0 ? this.#jitter.int(0, jitterMs) : 0);
    const event: QueuedEvent<M> = {
      time: Math.min(this.#now + delay, this.#deadline(this.#now)),
      seq: 0,
      kind: DELIVERY,
      machine: toMachine,
      id: this.#nextMessageId++,
      from,
      fromMachine,
      sentAt: this.#now,
      message,
      timer: "",
      cancelled: false,
    };
    this.#queue.push(event);
    return event;
  }
}
