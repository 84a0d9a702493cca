import { z } from "zod";
import { DecimalBigInt } from "../../reference/encoding/json.ts";
import { SpecError } from "../../reference/errors.ts";
import type { RunnerDef, ScriptCaseDef } from "../conformance/types.ts";

/**
 * A small runner used to test the vector framework itself, independent of any protocol chapter: one plain handler,
 * one stateful handler, and one handler driven by an event script.
 */
export const demoRunner: RunnerDef = {
  name: "demo",
  description: "doubles a number; rejects odd inputs",
  handlers: {
    add_to_counter: {
      description: "adds n to the counter held in the state before",
      pre: z.object({ counter: DecimalBigInt }).strict(),
      input: z.object({ n: DecimalBigInt }).strict(),
      output: z.string(),
      run(input: { n: bigint }, _preset, pre: { counter: bigint } | undefined) {
        return (pre!.counter + input.n).toString();
      },
    },
    double_even: {
      description: "returns 2n for an even n",
      input: z.object({ n: DecimalBigInt }).strict(),
      output: z.string(),
      run(input: { n: bigint }) {
        if (input.n % 2n === 1n) throw new SpecError("DEMO_ODD", "odd input");
        return (input.n * 2n).toString();
      },
    },
  },
  scripts: {
    counter_script: {
      description: "a counter that events add to or subtract from; it never goes below zero",
      pre: z.object({ counter: DecimalBigInt }).strict(),
      event: z
        .object({ add: DecimalBigInt })
        .strict()
        .or(z.object({ subtract: DecimalBigInt }).strict()),
      outputs: z.array(z.string()),
      start(pre: { counter: bigint }) {
        return { state: pre.counter, outputs: [pre.counter.toString()] };
      },
      step(counter: bigint, event: { add: bigint } | { subtract: bigint }) {
        const next = "add" in event ? counter + event.add : counter - event.subtract;
        if (next < 0n) throw new SpecError("DEMO_NEGATIVE", "below zero");
        return { state: next, outputs: next === counter ? [] : [next.toString()] };
      },
    },
  },
  scriptCases: (): ScriptCaseDef[] => [
    {
      handler: "counter_script",
      name: "rejected_step_keeps_the_count",
      description:
        "10 − 4 = 6; subtracting 7 is rejected and the count stays 6; + 0 yields nothing; 6 − 6 = 0",
      tags: ["SPEC-ERRORS.1"],
      pre: { counter: "10" },
      steps: [
        { event: { subtract: "4" } },
        { event: { subtract: "7" }, expectedError: "DEMO_NEGATIVE" },
        { event: { add: "0" } },
        { event: { subtract: "6" } },
      ],
    },
  ],
  cases: () => [
    {
      handler: "add_to_counter",
      name: "counter_plus_five",
      description: "a stateful handler: 10 + 5",
      tags: ["SPEC-ERRORS.1"],
      pre: { counter: "10" },
      input: { n: "5" },
    },
    {
      handler: "double_even",
      name: "four",
      description: "4 doubles to 8",
      tags: ["SPEC-ERRORS.1"],
      input: { n: "4" },
    },
    {
      handler: "double_even",
      name: "odd",
      description: "3 is odd",
      tags: ["SPEC-ERRORS.1"],
      input: { n: "3" },
      expectedError: "DEMO_ODD",
    },
    {
      handler: "double_even",
      name: "leading_zero",
      description: "decimal with a leading zero",
      tags: ["SPEC-ERRORS.1"],
      input: { n: "04" },
      expectedError: "JSON_DECIMAL_MALFORMED",
    },
  ],
};
