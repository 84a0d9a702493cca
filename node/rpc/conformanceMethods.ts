import { z } from "zod";
import { referenceTarget } from "../../tools/conformance/referenceTarget.ts";
import { RUNNERS } from "../../tools/conformance/runners/index.ts";
import type { Json, RunnerDef, Target } from "../../tools/conformance/types.ts";
import type { RpcMethods } from "./envelope.ts";

/*
 * The `conformance_*` namespace (§14.3): what a client implements so that the conformance vectors run against it
 * over JSON-RPC. This node answers through the reference itself, as every rule it runs is the reference's.
 */

const JsonValue: z.ZodType<Json> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(JsonValue),
    z.record(z.string(), JsonValue),
  ]),
);

const Execute = z.strictObject({
  runner: z.string(),
  handler: z.string(),
  preset: z.string(),
  input: JsonValue,
  pre: JsonValue.optional(),
});

const ExecuteScript = z.strictObject({
  runner: z.string(),
  handler: z.string(),
  preset: z.string(),
  pre: JsonValue,
  events: z.array(JsonValue),
});

/**
 * conformance_runners, conformance_execute and conformance_executeScript, answered by `target`.
 *
 * @spec RPC-CONFORMANCE.1
 */
export function conformanceMethods(
  target: Target = referenceTarget(RUNNERS),
  runners: readonly RunnerDef[] = RUNNERS,
): RpcMethods {
  return {
    conformance_runners: {
      params: z.strictObject({}),
      run: () =>
        runners.map((r) => ({
          name: r.name,
          handlers: Object.keys(r.handlers).sort(),
          scripts: Object.keys(r.scripts ?? {}).sort(),
        })),
    },
    conformance_execute: {
      params: Execute,
      run: async (p: z.output<typeof Execute>) =>
        (await target.execute(p.runner, p.handler, p.input, p.preset, p.pre)) as unknown as Json,
    },
    conformance_executeScript: {
      params: ExecuteScript,
      run: async (p: z.output<typeof ExecuteScript>) => {
        if (target.executeScript === undefined) return { kind: "unsupported", reason: "no event scripts" };
        return (await target.executeScript(
          p.runner,
          p.handler,
          p.preset,
          p.pre,
          p.events,
        )) as unknown as Json;
      },
    },
  };
}
