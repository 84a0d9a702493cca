import { createHash } from "node:crypto";
import { z } from "zod";
import { PRESETS, type Preset } from "../../reference/params/presets.ts";
import { executeHandler, executeScript } from "../conformance/execute.ts";
import type {
  CaseDef,
  Json,
  RunnerDef,
  ScriptCaseDef,
  ScriptStep,
  VectorFile,
} from "../conformance/types.ts";
import { VectorFileSchema } from "../conformance/vectorFile.ts";

/** Path (relative to conformance-vectors/) → file content. Ordered by path. */
export type FileSet = Map<string, string>;

const CASE_NAME = /^[a-z0-9]+(?:_[a-z0-9]+)*$/;

export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Generates every vector of every runner for every preset. Throws when a case does not behave as it
 * declares (a valid case that fails, an invalid case that passes or raises another code), so a broken
 * reference can never produce vectors that silently encode the breakage.
 */
export function buildVectors(runners: readonly RunnerDef[], specVersion: string): FileSet {
  const files: FileSet = new Map();
  for (const runner of runners) {
    for (const name of Object.keys(runner.scripts ?? {}))
      if (runner.handlers[name]) throw new Error(`${runner.name}: ${name} is both a handler and a script`);
  }
  for (const preset of Object.values(PRESETS)) {
    for (const runner of runners) {
      const seen = new Set<string>();
      for (const def of runner.cases(preset)) {
        checkName(runner, def.name);
        const key = `${def.handler}/${def.name}`;
        if (seen.has(key)) throw new Error(`${runner.name}: duplicate case ${key}`);
        seen.add(key);
        const outcome = executeHandler(runner, def.handler, def.input, preset, def.pre);
        const meta = {
          runner: runner.name,
          handler: def.handler,
          case: def.name,
          preset: preset.name,
          description: def.description,
          tags: [...def.tags],
        };
        let file: VectorFile;
        if (def.expectedError === undefined) {
          if (!outcome.ok)
            throw new Error(`${runner.name}/${key} (${preset.name}) should pass: ${outcome.error.message}`);
          file = { meta, ...withPre(def), input: def.input, post: outcome.value };
        } else {
          if (outcome.ok)
            throw new Error(`${runner.name}/${key} (${preset.name}) should fail with ${def.expectedError}`);
          if (outcome.error.code !== def.expectedError) {
            throw new Error(
              `${runner.name}/${key} (${preset.name}): expected ${def.expectedError}, got ${outcome.error.code}`,
            );
          }
          file = { meta, ...withPre(def), input: def.input, expectedError: def.expectedError };
        }
        VectorFileSchema.parse(file);
        files.set(`${preset.name}/${runner.name}/${def.handler}/${def.name}.json`, stableJson(file));
      }
      for (const def of runner.scriptCases?.(preset) ?? []) {
        checkName(runner, def.name);
        const key = `${def.handler}/${def.name}`;
        if (seen.has(key)) throw new Error(`${runner.name}: duplicate case ${key}`);
        seen.add(key);
        const file = scriptVector(runner, def, preset);
        VectorFileSchema.parse(file);
        files.set(`${preset.name}/${runner.name}/${def.handler}/${def.name}.json`, stableJson(file));
      }
    }
  }
  for (const [path, content] of buildSchemas(runners)) files.set(path, content);
  const manifest = {
    specVersion,
    description: "SHA-256 of every vector and schema file, keyed by path relative to this folder",
    files: Object.fromEntries([...files.keys()].sort().map((path) => [path, sha256Hex(files.get(path)!)])),
  };
  files.set("manifest.json", stableJson(manifest));
  files.set("RUNNERS.md", runnersIndex(runners, files));
  return new Map([...files.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

function checkName(runner: RunnerDef, name: string): void {
  if (!CASE_NAME.test(name)) throw new Error(`${runner.name}: case name ${name} is not snake_case`);
}

/**
 * Runs a script case on the reference and records every step's outputs. Throws when loading `pre` fails, or a
 * step does not behave as the case declares (a step that should pass fails, or one that should fail passes or
 * raises another code).
 */
function scriptVector(runner: RunnerDef, def: ScriptCaseDef, preset: Preset): VectorFile {
  const where = `${runner.name}/${def.handler}/${def.name} (${preset.name})`;
  const run = executeScript(
    runner,
    def.handler,
    def.pre,
    def.steps.map((s) => s.event),
    preset,
  );
  if (!run.ok) throw new Error(`${where}: pre should load: ${run.error.message}`);
  const steps: ScriptStep[] = def.steps.map((s, i) => {
    const got = run.value.steps[i]!;
    if (s.expectedError === undefined) {
      if (!got.ok) throw new Error(`${where}: step ${i} should pass: ${got.error.message}`);
      return { event: s.event, outputs: got.value };
    }
    if (got.ok) throw new Error(`${where}: step ${i} should fail with ${s.expectedError}`);
    if (got.error.code !== s.expectedError)
      throw new Error(`${where}: step ${i}: expected ${s.expectedError}, got ${got.error.code}`);
    return { event: s.event, expectedError: s.expectedError };
  });
  return {
    meta: {
      runner: runner.name,
      handler: def.handler,
      case: def.name,
      preset: preset.name,
      description: def.description,
      tags: [...def.tags],
    },
    pre: def.pre,
    startOutputs: run.value.startOutputs,
    steps,
  };
}

function withPre(def: CaseDef): { pre?: Json } {
  return def.pre === undefined ? {} : { pre: def.pre };
}

function buildSchemas(runners: readonly RunnerDef[]): FileSet {
  const files: FileSet = new Map();
  files.set("schema/vector.schema.json", stableJson(z.toJSONSchema(VectorFileSchema, { io: "input" })));
  for (const runner of runners) {
    for (const [name, handler] of Object.entries(runner.handlers)) {
      const base = `schema/${runner.name}/${name}`;
      const input = z.toJSONSchema(handler.input, { io: "input", unrepresentable: "any" });
      const output = z.toJSONSchema(handler.output, { io: "output", unrepresentable: "any" });
      files.set(`${base}.input.schema.json`, stableJson({ description: handler.description, ...input }));
      files.set(`${base}.output.schema.json`, stableJson(output));
      if (handler.pre !== undefined) {
        const pre = z.toJSONSchema(handler.pre, { io: "input", unrepresentable: "any" });
        files.set(`${base}.pre.schema.json`, stableJson(pre));
      }
    }
    for (const [name, script] of Object.entries(runner.scripts ?? {})) {
      const base = `schema/${runner.name}/${name}`;
      const pre = z.toJSONSchema(script.pre, { io: "input", unrepresentable: "any" });
      const event = z.toJSONSchema(script.event, { io: "input", unrepresentable: "any" });
      const outputs = z.toJSONSchema(script.outputs, { io: "output", unrepresentable: "any" });
      files.set(`${base}.pre.schema.json`, stableJson({ description: script.description, ...pre }));
      files.set(`${base}.event.schema.json`, stableJson(event));
      files.set(`${base}.output.schema.json`, stableJson(outputs));
    }
  }
  return files;
}

/** A human-readable index of the runners and handlers, with case counts, regenerated with the vectors. */
function runnersIndex(runners: readonly RunnerDef[], files: FileSet): string {
  const lines = [
    "# Runners and handlers",
    "",
    "Generated by `npm run vectors`; do not edit. Counts are vector files over both presets; an event script",
    "counts as invalid when one of its steps expects an error.",
    "",
    "| runner | handler | what it does | valid | invalid |",
    "| --- | --- | --- | --- | --- |",
  ];
  for (const runner of runners) {
    const handlers = [...Object.entries(runner.handlers), ...Object.entries(runner.scripts ?? {})];
    for (const [name, handler] of handlers) {
      let valid = 0;
      let invalid = 0;
      for (const [path, content] of files) {
        if (!path.includes(`/${runner.name}/${name}/`)) continue;
        if (content.includes('"expectedError"')) invalid++;
        else valid++;
      }
      lines.push(`| \`${runner.name}\` | \`${name}\` | ${handler.description} | ${valid} | ${invalid} |`);
    }
  }
  return `${lines.join("\n")}\n`;
}
