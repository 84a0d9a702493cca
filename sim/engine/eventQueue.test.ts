import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "./eventQueue.ts";

interface Item {
  readonly time: number;
  seq: number;
  readonly label: number;
}

describe("EventQueue", () => {
  it("pops in (time, insertion order), like a stable sort by time, under interleaved pushes and pops", () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 20 }), fc.constant("pop" as const)), { maxLength: 300 }),
        (script) => {
          const queue = new EventQueue<Item>();
          // The oracle: a list kept in insertion order; the next event is the first one with the least time.
          const model: Item[] = [];
          let label = 0;
          for (const step of script) {
            if (step === "pop") {
              let best = -1;
              for (let i = 0; i < model.length; i++)
                if (best < 0 || model[i]!.time < model[best]!.time) best = i;
              const expected = best < 0 ? undefined : model.splice(best, 1)[0];
              expect(queue.pop()?.label).toBe(expected?.label);
            } else {
              const item = { time: step, seq: -1, label: label++ };
              queue.push(item);
              model.push(item);
            }
            expect(queue.size).toBe(model.length);
          }
          const sorted = [...model].sort((a, b) => a.time - b.time).map((item) => item.label);
          expect(queue.events().map((item) => item.label)).toEqual(sorted);
          const rest: number[] = [];
          for (let item = queue.pop(); item !== undefined; item = queue.pop()) rest.push(item.label);
          expect(rest).toEqual(sorted);
        },
      ),
    );
  });

  it("peeks without removing and lists every queued event in order", () => {
    const queue = new EventQueue<Item>();
    expect(queue.peek()).toBeUndefined();
    expect(queue.pop()).toBeUndefined();
    for (const [time, label] of [
      [5, 0],
      [1, 1],
      [5, 2],
    ] as const) {
      queue.push({ time, seq: -1, label });
    }
    expect(queue.peek()?.label).toBe(1);
    expect(queue.size).toBe(3);
    expect(queue.events().map((item) => item.label)).toEqual([1, 0, 2]);
  });
});
