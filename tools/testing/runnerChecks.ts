import { expect } from "vitest";
import { z } from "zod";
import type { Preset } from "../../reference/params/presets.ts";
import { executeHandler } from "../conformance/execute.ts";
import type { CaseDef, RunnerDef } from "../conformance/types.ts";
import { resultCode } from "./specErrors.ts";

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

/** Every handler's input and output schema converts to JSON Schema, as the vector generator requires. */
export function expectSchemasConvert(runner: RunnerDef): void {
  for (const handler of Object.values(runner.handlers)) {
    expect(() => z.toJSONSchema(handler.input, { io: "input", unrepresentable: "any" })).not.toThrow();
    expect(() => z.toJSONSchema(handler.output, { io: "output", unrepresentable: "any" })).not.toThrow();
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
