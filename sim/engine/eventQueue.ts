/** What the queue orders by: virtual time, then the order of insertion (assigned by the queue). */
export interface Scheduled {
  readonly time: number;
  seq: number;
}

/** The events due at one instant, in insertion order; `head` is the next one to leave. */
interface Bucket<E> {
  readonly items: (E | undefined)[];
  head: number;
}

/**
 * Events ordered by (time, insertion sequence), so events due at the same instant run in the order they
 * were scheduled. A simulated network has few distinct delivery times and many events per time (a
 * 1024-machine broadcast round puts a million deliveries on a few dozen instants), so events wait in one
 * FIFO bucket per instant and only the distinct instants sit in a binary heap: a push or pop costs O(1)
 * plus O(log instants), and the hot loop touches no big heap. Within a bucket, insertion order is sequence
 * order, because sequence numbers only grow.
 * Removal is left to the caller (mark an event cancelled and skip it when it surfaces).
 */
export class EventQueue<E extends Scheduled> {
  readonly #buckets = new Map<number, Bucket<E>>();
  /** The instants that have a bucket, as a binary min-heap. */
  readonly #instants: number[] = [];
  #inserted = 0;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** Every queued event, in (time, sequence) order; for scans that must see them all. */
  events(): E[] {
    const out: E[] = [];
    for (const time of [...this.#instants].sort((a, b) => a - b)) {
      const bucket = this.#buckets.get(time)!;
      for (let i = bucket.head; i < bucket.items.length; i++) out.push(bucket.items[i]!);
    }
    return out;
  }

  push(event: E): void {
    event.seq = this.#inserted++;
    this.#size++;
    const bucket = this.#buckets.get(event.time);
    if (bucket !== undefined) {
      bucket.items.push(event);
      return;
    }
    this.#buckets.set(event.time, { items: [event], head: 0 });
    this.#pushInstant(event.time);
  }

  peek(): E | undefined {
    const time = this.#instants[0];
    if (time === undefined) return undefined;
    const bucket = this.#buckets.get(time)!;
    return bucket.items[bucket.head];
  }

  pop(): E | undefined {
    const time = this.#instants[0];
    if (time === undefined) return undefined;
    const bucket = this.#buckets.get(time)!;
    const event = bucket.items[bucket.head];
    // Release the reference so a long bucket does not keep processed events alive.
    bucket.items[bucket.head++] = undefined;
    this.#size--;
    if (bucket.head === bucket.items.length) {
      this.#buckets.delete(time);
      this.#popInstant();
    }
    return event;
  }

  #pushInstant(time: number): void {
    const heap = this.#instants;
    let hole = heap.length;
    heap.push(time);
    while (hole > 0) {
      const parent = (hole - 1) >>> 1;
      const above = heap[parent]!;
      if (above <= time) break;
      heap[hole] = above;
      hole = parent;
    }
    heap[hole] = time;
  }

  #popInstant(): void {
    const heap = this.#instants;
    const last = heap.pop()!;
    const length = heap.length;
    if (length === 0) return;
    let hole = 0;
    for (;;) {
      const left = 2 * hole + 1;
      if (left >= length) break;
      const right = left + 1;
      const child = right < length && heap[right]! < heap[left]! ? right : left;
      const below = heap[child]!;
      if (below >= last) break;
      heap[hole] = below;
      hole = child;
    }
    heap[hole] = last;
  }
}
