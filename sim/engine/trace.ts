/** What happened, for printing a counterexample. */
export type TraceKind =
  | "deliver"
  | "timer"
  | "crash"
  | "restart"
  | "drop"
  | "duplicate"
  | "delay"
  | "inject"
  | "partition"
  | "heal";

export interface TraceEntry {
  readonly time: number;
  /** The machine the event happened at; undefined for network-wide events (partition, heal, inject). */
  readonly machine: number | undefined;
  readonly kind: TraceKind;
  readonly summary: string;
}

const NO_MACHINE = -1;

/**
 * The most recent `capacity` events in a ring. Deliveries are stored as their parts and only formatted when
 * read, because a large run processes millions of them and reads the trace once, if ever.
 */
export class TraceLog<M> {
  readonly #capacity: number;
  readonly #describe: (message: M) => string;
  readonly #times: Float64Array;
  readonly #machines: Int32Array;
  readonly #kinds: TraceKind[];
  /** The sender identity of a delivery; unused otherwise. */
  readonly #senders: Int32Array;
  /** The message id of a delivery; unused otherwise. */
  readonly #ids: Float64Array;
  /** A delivery's message, or another event's ready-made summary. */
  readonly #subjects: (M | string)[];
  #recorded = 0;

  constructor(capacity: number, describe: (message: M) => string) {
    if (!Number.isSafeInteger(capacity) || capacity < 0) {
      throw new RangeError(`trace capacity must be a non-negative integer, got ${capacity}`);
    }
    this.#capacity = capacity;
    this.#describe = describe;
    this.#times = new Float64Array(capacity);
    this.#machines = new Int32Array(capacity);
    this.#kinds = new Array<TraceKind>(capacity);
    this.#senders = new Int32Array(capacity);
    this.#ids = new Float64Array(capacity);
    this.#subjects = new Array<M | string>(capacity);
  }

  /** How many events were recorded since the start, including those the ring has forgotten. */
  get recorded(): number {
    return this.#recorded;
  }

  recordDelivery(time: number, machine: number, from: number, id: number, message: M): void {
    if (this.#capacity === 0) return;
    const slot = this.#recorded++ % this.#capacity;
    this.#times[slot] = time;
    this.#machines[slot] = machine;
    this.#kinds[slot] = "deliver";
    this.#senders[slot] = from;
    this.#ids[slot] = id;
    this.#subjects[slot] = message;
  }

  record(
    time: number,
    machine: number | undefined,
    kind: Exclude<TraceKind, "deliver">,
    summary: string,
  ): void {
    if (this.#capacity === 0) return;
    const slot = this.#recorded++ % this.#capacity;
    this.#times[slot] = time;
    this.#machines[slot] = machine ?? NO_MACHINE;
    this.#kinds[slot] = kind;
    this.#subjects[slot] = summary;
  }

  /** The kept events, oldest first. */
  entries(): TraceEntry[] {
    const kept = Math.min(this.#recorded, this.#capacity);
    const out: TraceEntry[] = [];
    for (let i = this.#recorded - kept; i < this.#recorded; i++) {
      const slot = i % this.#capacity;
      const kind = this.#kinds[slot]!;
      const machine = this.#machines[slot]!;
      const subject = this.#subjects[slot]!;
      const summary =
        kind === "deliver"
          ? `#${this.#ids[slot]} from identity ${this.#senders[slot]}: ${this.#describe(subject as M)}`
          : (subject as string);
      out.push({
        time: this.#times[slot]!,
        machine: machine === NO_MACHINE ? undefined : machine,
        kind,
        summary,
      });
    }
    return out;
  }
}

/** One line per entry: `time  machine  kind  summary`. */
export function formatTrace(entries: readonly TraceEntry[]): string {
  return entries
    .map((entry) => {
      const where = entry.machine === undefined ? "-" : `m${entry.machine}`;
      return `${String(entry.time).padStart(8)}  ${where.padEnd(6)}${entry.kind.padEnd(10)}${entry.summary}`;
    })
    .join("\n");
}
