import { expect } from "vitest";
import { z } from "zod";
import type { Preset } from "../../reference/params/presets.ts";
import { executeHandler, executeScript, type ScriptRun } from "../conformance/execute.ts";
import type { CaseDef, RunnerDef, ScriptCaseDef } from "../conformance/types.ts";
import { ACCEPTED, resultCode } from "./specErrors.ts";

/*
 * Checks shared by the conformance runners' unit tests: each runner's cases behave as they declare, cover
 * every error code of every handler, and have schemas the vector generator can publish.
 */

/**
 * Runs one case on the reference: a valid case must succeed with a result its handler's output schema
 * accepts; an invalid case must fail with exactly its expected code.
 */
export function expectCaseAsDeclared(runner: RunnerDef, c: CaseDef, preset: Preset): void {
  const outcome = executeHandler(runner, c.handler, c.input, preset, c.pre);
  if (c.expectedError === undefined) {
    expect(outcome.ok, outcome.ok ? "" : outcome.error.message).toBe(true);
    if (outcome.ok) runner.handlers[c.handler]!.output.parse(outcome.value);
  } else {
    expect(resultCode(outcome)).toBe(c.expectedError);
  }
}

/** Case names are unique per handler, every case names a handler of the runner and lists the rules it covers. */
export function expectWellFormedCases(runner: RunnerDef, cases: readonly CaseDef[]): void {
  const seen = new Set<string>();
  for (const c of cases) {
    const key = `${c.handler}/${c.name}`;
    expect(seen.has(key), key).toBe(false);
    seen.add(key);
    expect(runner.handlers[c.handler], key).toBeDefined();
    expect(c.tags.length, key).toBeGreaterThan(0);
  }
}

/**
 * For every handler named in `raises`: at least one valid case, and invalid cases whose expected codes are
 * exactly the codes the handler can raise (each at least once).
 */
export function expectCasePerCode(
  cases: readonly CaseDef[],
  raises: Readonly<Record<string, readonly string[]>>,
): void {
  for (const [handler, codes] of Object.entries(raises)) {
    const mine = cases.filter((c) => c.handler === handler);
    expect(
      mine.some((c) => c.expectedError === undefined),
      `${handler} has a valid case`,
    ).toBe(true);
    const raised = new Set(mine.map((c) => c.expectedError).filter((e) => e !== undefined));
    expect([...raised].sort(), handler).toEqual([...codes].sort());
  }
}

/**
 * Every handler of the runner is listed in `raises`, and each has its valid case and its invalid cases, one per code
 * it can raise (expectCasePerCode).
 */
export function expectCasePerCodeOfEveryHandler(
  runner: RunnerDef,
  cases: readonly CaseDef[],
  raises: Readonly<Record<string, readonly string[]>>,
): void {
  expect(Object.keys(runner.handlers).sort()).toEqual(Object.keys(raises).sort());
  expectCasePerCode(cases, raises);
}

/** Every handler's input and output schema converts to JSON Schema, as the vector generator requires. */
export function expectSchemasConvert(runner: RunnerDef): void {
  for (const handler of Object.values(runner.handlers)) {
    expect(() => z.toJSONSchema(handler.input, { io: "input", unrepresentable: "any" })).not.toThrow();
    expect(() => z.toJSONSchema(handler.output, { io: "output", unrepresentable: "any" })).not.toThrow();
  }
  for (const script of Object.values(runner.scripts ?? {})) {
    expect(() => z.toJSONSchema(script.pre, { io: "input", unrepresentable: "any" })).not.toThrow();
    expect(() => z.toJSONSchema(script.event, { io: "input", unrepresentable: "any" })).not.toThrow();
    expect(() => z.toJSONSchema(script.outputs, { io: "output", unrepresentable: "any" })).not.toThrow();
  }
}

/**
 * Runs one script case on the reference: `pre` loads, every step passes or fails with exactly its declared
 * code, and all outputs match the script's output schema. Returns the run for further checks.
 */
export function expectScriptAsDeclared(runner: RunnerDef, c: ScriptCaseDef, preset: Preset): ScriptRun {
  const key = `${c.handler}/${c.name}`;
  const script = runner.scripts?.[c.handler];
  expect(script, key).toBeDefined();
  const run = executeScript(
    runner,
    c.handler,
    c.pre,
    c.steps.map((s) => s.event),
    preset,
  );
  if (!run.ok) throw new Error(`${key}: pre does not load: ${run.error.message}`);
  script!.outputs.parse(run.value.startOutputs);
  const declared = c.steps.map((s, i) => `${i}: ${s.expectedError ?? ACCEPTED}`);
  const got = run.value.steps.map((s, i) => `${i}: ${resultCode(s)}`);
  expect(got, key).toEqual(declared);
  for (const step of run.value.steps) if (step.ok) script!.outputs.parse(step.value);
  return run.value;
}

/** Script case names are unique per handler and differ from the runner's other cases; each case has steps and tags. */
export function expectWellFormedScriptCases(
  runner: RunnerDef,
  cases: readonly CaseDef[],
  scriptCases: readonly ScriptCaseDef[],
): void {
  const seen = new Set(cases.map((c) => `${c.handler}/${c.name}`));
  for (const name of Object.keys(runner.scripts ?? {})) expect(runner.handlers[name], name).toBeUndefined();
  for (const c of scriptCases) {
    const key = `${c.handler}/${c.name}`;
    expect(seen.has(key), key).toBe(false);
    seen.add(key);
    expect(runner.scripts?.[c.handler], key).toBeDefined();
    expect(c.tags.length, key).toBeGreaterThan(0);
    expect(c.steps.length, key).toBeGreaterThan(0);
  }
}

/**
 * For every script handler named in `raises`: the codes its cases' steps expect are exactly `codes` (each at
 * least once).
 */
export function expectScriptStepPerCode(
  scriptCases: readonly ScriptCaseDef[],
  raises: Readonly<Record<string, readonly string[]>>,
): void {
  for (const [handler, codes] of Object.entries(raises)) {
    const raised = new Set<string>();
    for (const c of scriptCases.filter((x) => x.handler === handler))
      for (const s of c.steps) if (s.expectedError !== undefined) raised.add(s.expectedError);
    expect([...raised].sort(), handler).toEqual([...codes].sort());
  }
}

/** Looks up the case `name` of `handler` among `cases`, runs it, and returns its JSON result or its code. */
export function caseResults(
  runner: RunnerDef,
  cases: readonly CaseDef[],
  preset: Preset,
): (handler: string, name: string) => unknown {
  return (handler, name) => {
    const c = cases.find((x) => x.handler === handler && x.name === name)!;
    const outcome = executeHandler(runner, handler, c.input, preset, c.pre);
    return outcome.ok ? outcome.value : outcome.error.code;
  };
}
