import { PRESETS, type PresetName } from "../../reference/params/presets.ts";
import { executeHandler } from "./execute.ts";
import type { Json, RunnerDef, Target, TargetOutcome } from "./types.ts";

/** The in-process target: runs vectors directly against the reference through the given runners. */
export function referenceTarget(runners: readonly RunnerDef[]): Target {
  return {
    name: "reference",
    async execute(
      runnerName: string,
      handler: string,
      input: Json,
      presetName: string,
      pre?: Json,
    ): Promise<TargetOutcome> {
      const runner = runners.find((r) => r.name === runnerName);
      if (!runner) return { kind: "unsupported", reason: `no runner named ${runnerName}` };
      if (!runner.handlers[handler])
        return { kind: "unsupported", reason: `runner ${runnerName} has no handler ${handler}` };
      const preset = PRESETS[presetName as PresetName];
      if (!preset) return { kind: "unsupported", reason: `no preset named ${presetName}` };
      if ((runner.handlers[handler]!.pre === undefined) !== (pre === undefined)) {
        return {
          kind: "unsupported",
          reason: `${runnerName}/${handler}: \`pre\` given where not declared, or missing`,
        };
      }
      const result = executeHandler(runner, handler, input, preset, pre);
      return result.ok ? { kind: "result", post: result.value } : { kind: "error", code: result.error.code };
    },
  };
}
