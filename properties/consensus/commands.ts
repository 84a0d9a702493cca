import fc from "fast-check";
import { z } from "zod";

/*
 * The adversary's commands over a running committee. A command names what it acts on by small numbers that
 * are read modulo what exists when it runs (the n-th message in flight, the n-th machine, the n-th Byzantine
 * key), so every command list is runnable, a shrunk list stays meaningful, and a list is plain JSON that a
 * regression file can hold.
 */

/** A message a Byzantine key can put on the wire (see forgery.ts for how each one is built). */
export type Forgery =
  /** Re-sends the n-th distinct message seen in flight so far: old, for another view, or for another member. */
  | { readonly kind: "replay"; readonly pick: number }
  /** Votes (prepare or commit) for the block of the n-th proposal seen so far, in the view it was seen in. */
  | { readonly kind: "vote"; readonly phase: "prepare" | "commit"; readonly pick: number }
  /**
   * Asks, at the height of the `at`-th honest member that is up, for the view it is changing to (or else the
   * next one it would ask for) plus `turnsAhead` turns, claiming nothing (M2).
   */
  | { readonly kind: "viewChange"; readonly at: number; readonly turnsAhead: number }
  /**
   * Announces a fresh block of its own at the height of the `at`-th honest member that is up, in the first
   * view it leads from that member's view on, `turnsAhead` of its own turns later.
   */
  | { readonly kind: "announce"; readonly at: number; readonly turnsAhead: number }
  /** As `announce`, but the block's state root is wrong: it fails validation (mainnet #4307). */
  | { readonly kind: "invalidBlock"; readonly at: number; readonly turnsAhead: number }
  /**
   * Re-sends the n-th message seen so far that carries a certificate, its first bitmap one byte longer or
   * shorter than the committee's (mainnet #4330, #4317, #1353).
   */
  | { readonly kind: "badBitmap"; readonly pick: number; readonly longer: boolean }
  /**
   * A view change at the `at`-th honest member's height and view (as `viewChange`) claiming the n-th proposal
   * seen at that height as prepared, with a "certificate" only the Byzantine key signed (mainnet #1924).
   */
  | { readonly kind: "weakClaim"; readonly at: number; readonly pick: number };

export type Command =
  | { readonly kind: "deliver"; readonly pick: number }
  | { readonly kind: "drop"; readonly pick: number }
  | { readonly kind: "duplicate"; readonly pick: number }
  | { readonly kind: "delay"; readonly pick: number; readonly ms: number }
  /** `groupOf[machine]` is the machine's group; machines beyond the list share the last group. */
  | { readonly kind: "partition"; readonly groupOf: readonly number[] }
  | { readonly kind: "heal" }
  | { readonly kind: "crash"; readonly machine: number }
  | { readonly kind: "restart"; readonly machine: number }
  | { readonly kind: "advance"; readonly ms: number }
  /** Fires the machine's view timer now, as a fast clock would (refused by the engine after GST). */
  | { readonly kind: "fireTimeout"; readonly machine: number }
  /** `to` null sends to every member. `from` picks among the Byzantine keys. */
  | { readonly kind: "inject"; readonly from: number; readonly to: number | null; readonly forgery: Forgery }
  /** Jumps to GST: from then on the network is timely and the engine refuses drops, partitions and skew. */
  | { readonly kind: "gst" };

const count = z.number().int().nonnegative();

export const ForgerySchema: z.ZodType<Forgery> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("replay"), pick: count }),
  z.strictObject({ kind: z.literal("vote"), phase: z.enum(["prepare", "commit"]), pick: count }),
  z.strictObject({ kind: z.literal("viewChange"), at: count, turnsAhead: count }),
  z.strictObject({ kind: z.literal("announce"), at: count, turnsAhead: count }),
  z.strictObject({ kind: z.literal("invalidBlock"), at: count, turnsAhead: count }),
  z.strictObject({ kind: z.literal("badBitmap"), pick: count, longer: z.boolean() }),
  z.strictObject({ kind: z.literal("weakClaim"), at: count, pick: count }),
]);

export const CommandSchema: z.ZodType<Command> = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("deliver"), pick: count }),
  z.strictObject({ kind: z.literal("drop"), pick: count }),
  z.strictObject({ kind: z.literal("duplicate"), pick: count }),
  z.strictObject({ kind: z.literal("delay"), pick: count, ms: count }),
  z.strictObject({ kind: z.literal("partition"), groupOf: z.array(count) }),
  z.strictObject({ kind: z.literal("heal") }),
  z.strictObject({ kind: z.literal("crash"), machine: count }),
  z.strictObject({ kind: z.literal("restart"), machine: count }),
  z.strictObject({ kind: z.literal("advance"), ms: count }),
  z.strictObject({ kind: z.literal("fireTimeout"), machine: count }),
  z.strictObject({ kind: z.literal("inject"), from: count, to: count.nullable(), forgery: ForgerySchema }),
  z.strictObject({ kind: z.literal("gst") }),
]);

/** Bounds of generated commands; picks are small because they are taken modulo what exists. */
export interface CommandBounds {
  readonly machines: number;
  /** Longest single `advance`, in virtual milliseconds. */
  readonly maxAdvanceMs: number;
  /** Whether the configuration has Byzantine keys to inject with. */
  readonly canInject: boolean;
}

const pick = fc.nat({ max: 63 });

export function forgeryArbitrary(): fc.Arbitrary<Forgery> {
  return fc.oneof(
    fc.record({ kind: fc.constant("replay" as const), pick }),
    fc.record({ kind: fc.constant("vote" as const), phase: fc.constantFrom("prepare", "commit"), pick }),
    fc.record({ kind: fc.constant("viewChange" as const), at: pick, turnsAhead: fc.nat({ max: 3 }) }),
    fc.record({ kind: fc.constant("announce" as const), at: pick, turnsAhead: fc.nat({ max: 3 }) }),
    fc.record({ kind: fc.constant("invalidBlock" as const), at: pick, turnsAhead: fc.nat({ max: 3 }) }),
    fc.record({ kind: fc.constant("badBitmap" as const), pick, longer: fc.boolean() }),
    fc.record({ kind: fc.constant("weakClaim" as const), at: pick, pick }),
  );
}

/**
 * One command. Weights favour the network-order commands and time, so that rounds make progress between
 * the faults; a generated list is a schedule, not a storm.
 */
export function commandArbitrary(bounds: CommandBounds): fc.Arbitrary<Command> {
  const machine = fc.nat({ max: bounds.machines - 1 });
  const options: fc.WeightedArbitrary<Command>[] = [
    { weight: 8, arbitrary: fc.record({ kind: fc.constant("deliver" as const), pick }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant("drop" as const), pick }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("duplicate" as const), pick }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("delay" as const),
        pick,
        ms: fc.integer({ min: 1, max: bounds.maxAdvanceMs }),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("partition" as const),
        groupOf: fc.array(fc.nat({ max: 2 }), { minLength: bounds.machines, maxLength: bounds.machines }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: "heal" as const }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("crash" as const), machine }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant("restart" as const), machine }) },
    {
      weight: 6,
      arbitrary: fc.record({
        kind: fc.constant("advance" as const),
        ms: fc.integer({ min: 1, max: bounds.maxAdvanceMs }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant("fireTimeout" as const), machine }) },
  ];
  if (bounds.canInject) {
    options.push({
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant("inject" as const),
        from: fc.nat({ max: 7 }),
        to: fc.option(machine, { nil: null }),
        forgery: forgeryArbitrary(),
      }),
    });
  }
  return fc.oneof(...options);
}

/** A schedule; `gst` may appear in it (after which the engine refuses what the model forbids). */
export function commandsArbitrary(bounds: CommandBounds, maxLength: number): fc.Arbitrary<Command[]> {
  return fc.array(
    fc.oneof(
      { weight: 40, arbitrary: commandArbitrary(bounds) },
      { weight: 1, arbitrary: fc.constant({ kind: "gst" as const }) },
    ),
    // "max": lengths spread over the whole range, not fast-check's default small sizes.
    { maxLength, size: "max" },
  );
}

/** A one-line rendering for counterexample reports. */
export function describeCommand(command: Command): string {
  switch (command.kind) {
    case "heal":
    case "gst":
      return command.kind;
    case "partition":
      return `partition groups ${JSON.stringify(command.groupOf)}`;
    case "inject":
      return `inject from byzantine#${command.from} to ${command.to ?? "all"}: ${JSON.stringify(command.forgery)}`;
    default: {
      const { kind, ...rest } = command;
      return `${kind} ${JSON.stringify(rest)}`;
    }
  }
}
