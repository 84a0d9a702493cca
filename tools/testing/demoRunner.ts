import { z } from "zod";
import { DecimalBigInt } from "../../reference/encoding/json.ts";
import { SpecError } from "../../reference/errors.ts";
import type { RunnerDef } from "../conformance/types.ts";

/** A small runner used to test the vector framework itself, independent of any protocol chapter. */
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
