import { PRESETS, type Preset, type PresetName } from "../../reference/params/presets.ts";
import { executeHandler, executeScript } from "./execute.ts";
import type { Json, RunnerDef, ScriptOutcome, Target, TargetOutcome } from "./types.ts";

/** The in-process target: runs vectors directly against the reference through the given runners. */
export function referenceTarget(runners: readonly RunnerDef[]): Target {
  const lookUp = (runnerName: string, presetName: string): { runner: RunnerDef; preset: Preset } | string => {
    const runner = runners.find((r) => r.name === runnerName);
    if (!runner) return `no runner named ${runnerName}`;
    const preset = PRESETS[presetName as PresetName];
    if (!preset) return `no preset named ${presetName}`;
    return { runner, preset };
  };
  return {
    name: "reference",
    async execute(
      runnerName: string,
      handler: string,
      input: Json,
      presetName: string,
      pre?: Json,
    ): Promise<TargetOutcome> {
      const found = lookUp(runnerName, presetName);
      if (typeof found === "string") return { kind: "unsupported", reason: found };
      const { runner, preset } = found;
      if (!runner.handlers[handler])
        return { kind: "unsupported", reason: `runner ${runnerName} has no handler ${handler}` };
      if ((runner.handlers[handler]!.pre === undefined) !== (pre === undefined)) {
        return {
          kind: "unsupported",
          reason: `${runnerName}/${handler}: \`pre\` given where not declared, or missing`,
        };
      }
      const result = executeHandler(runner, handler, input, preset, pre);
      return result.ok ? { kind: "result", post: result.value } : { kind: "error", code: result.error.code };
    },
    async executeScript(
      runnerName: string,
      handler: string,
      presetName: string,
      pre: Json,
      events: readonly Json[],
    ): Promise<ScriptOutcome> {
      const found = lookUp(runnerName, presetName);
      if (typeof found === "string") return { kind: "unsupported", reason: found };
      const { runner, preset } = found;
      if (!runner.scripts?.[handler])
        return { kind: "unsupported", reason: `runner ${runnerName} has no script handler ${handler}` };
      const run = executeScript(runner, handler, pre, events, preset);
      if (!run.ok) return { kind: "error", code: run.error.code };
      return {
        kind: "script",
        startOutputs: run.value.startOutputs,
        steps: run.value.steps.map((s) =>
          s.ok ? { kind: "result", outputs: s.value } : { kind: "error", code: s.error.code },
        ),
      };
    },
  };
}
