import type { InFlightMessage } from "../../sim/engine/index.ts";
import type { NodeState } from "../../sim/fbft/driver.ts";
import type { FbftMessage } from "../../sim/fbft/wire.ts";
import type { Command, Forgery } from "./commands.ts";
import { createWorld, type Scenario, type World, type WorldOptions } from "./world.ts";

/*
 * Writing a deterministic scenario by watching the run: each helper decides what to do from the world's
 * current state and records it as ordinary commands, so the schedule it produces is a plain command list
 * that runScenario (and a regression file) replays exactly.
 */

/** A schedule under construction, over a live world. */
export interface ScheduleWriter {
  readonly world: World;
  /** Runs and records one command. */
  run(command: Command): string;
  /** Advances in steps of `stepMs` until `done` holds; false if `limitMs` passes first. */
  advanceUntil(done: (world: World) => boolean, limitMs: number, stepMs?: number): boolean;
  /** Drops (or delivers now) every message in flight that `matches`, one command each. */
  dropWhere(matches: (message: InFlightMessage<FbftMessage>) => boolean): number;
  deliverWhere(matches: (message: InFlightMessage<FbftMessage>) => boolean): number;
  /** Injects a forgery of the `from`-th Byzantine key, to machine `to` (null: everyone). */
  inject(from: number, to: number | null, forgery: Forgery): string;
  /** The driver state of a machine, if it is up and runs the honest driver. */
  node(machine: number): NodeState | undefined;
  /** The commands so far, consecutive advances merged (which replays identically). */
  scenario(): Scenario;
}

export function writeSchedule(base: Omit<Scenario, "commands">, options: WorldOptions): ScheduleWriter {
  const world = createWorld({ ...base, commands: [] }, options);
  const commands: Command[] = [];
  const run = (command: Command): string => {
    commands.push(command);
    return world.apply(command);
  };
  const actOnEach = (
    kind: "drop" | "deliver",
    matches: (message: InFlightMessage<FbftMessage>) => boolean,
  ): number => {
    let count = 0;
    for (;;) {
      const pick = world.simulation.inFlight().findIndex(matches);
      if (pick < 0) return count;
      run({ kind, pick });
      count++;
    }
  };
  return {
    world,
    run,
    advanceUntil(done, limitMs, stepMs = 10) {
      const end = world.simulation.now + limitMs;
      while (!done(world)) {
        if (world.simulation.now >= end) return false;
        run({ kind: "advance", ms: stepMs });
      }
      return true;
    },
    dropWhere: (matches) => actOnEach("drop", matches),
    deliverWhere: (matches) => actOnEach("deliver", matches),
    inject: (from, to, forgery) => run({ kind: "inject", from, to, forgery }),
    node(machine) {
      const info = world.machines[machine];
      if (info === undefined || !info.honest) return undefined;
      return world.simulation.stateOf(machine) as NodeState | undefined;
    },
    scenario() {
      const merged: Command[] = [];
      for (const command of commands) {
        const last = merged.at(-1);
        if (command.kind === "advance" && last?.kind === "advance") {
          merged[merged.length - 1] = { kind: "advance", ms: last.ms + command.ms };
        } else {
          merged.push(command);
        }
      }
      return { ...base, commands: merged };
    },
  };
}
