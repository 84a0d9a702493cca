import { parseWith } from "../../reference/encoding/json.ts";
import { attempt, ok, type Result } from "../../reference/errors.ts";
import type { Preset } from "../../reference/params/presets.ts";
import type { Json, RunnerDef } from "./types.ts";

/**
 * Executes one handler on JSON input through the reference. The generator and the in-process target both
 * use this one path, so a vector's expected result is exactly what the reference computes.
 */
export function executeHandler(
  runner: RunnerDef,
  handlerName: string,
  input: Json,
  preset: Preset,
  pre?: Json,
): Result<Json> {
  const handler = runner.handlers[handlerName];
  if (!handler) throw new Error(`runner ${runner.name} has no handler ${handlerName}`);
  if ((handler.pre === undefined) !== (pre === undefined)) {
    throw new Error(
      `${runner.name}/${handlerName}: \`pre\` must be given exactly when the handler declares it`,
    );
  }
  return attempt(() => {
    const before = handler.pre === undefined ? undefined : parseWith(handler.pre, pre);
    return handler.run(parseWith(handler.input, input), preset, before);
  });
}

/** The outputs of loading a script's `pre`, and each event's outputs or rejection, in order. */
export interface ScriptRun {
  readonly startOutputs: Json;
  readonly steps: readonly Result<Json>[];
}

/**
 * Runs an event script through the reference: loads `pre`, then feeds the events in order to one state
 * machine. A rejected event leaves the state as it was, and the script goes on from there. Fails only when
 * `pre` is rejected. Like executeHandler, this is the one path of the generator and the in-process target.
 */
export function executeScript(
  runner: RunnerDef,
  handlerName: string,
  pre: Json,
  events: readonly Json[],
  preset: Preset,
): Result<ScriptRun> {
  const handler = runner.scripts?.[handlerName];
  if (!handler) throw new Error(`runner ${runner.name} has no script handler ${handlerName}`);
  const started = attempt(() => handler.start(parseWith(handler.pre, pre), preset));
  if (!started.ok) return started;
  let state: unknown = started.value.state;
  const steps: Result<Json>[] = [];
  for (const event of events) {
    const stepped = attempt(() => handler.step(state, parseWith(handler.event, event), preset));
    if (stepped.ok) {
      state = stepped.value.state;
      steps.push(ok(stepped.value.outputs));
    } else {
      steps.push(stepped);
    }
  }
  return ok({ startOutputs: started.value.outputs, steps });
}
