import { parseWith } from "../../reference/encoding/json.ts";
import { attempt, type Result } from "../../reference/errors.ts";
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
