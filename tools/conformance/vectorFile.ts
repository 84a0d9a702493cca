import { z } from "zod";

const JsonValue: z.ZodType<unknown> = z.json();
const ErrorCode = z.string().regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/);

const Meta = z
  .object({
    runner: z.string().regex(/^[a-z0-9_]+$/),
    handler: z.string().regex(/^[a-z0-9_]+$/),
    case: z.string().regex(/^[a-z0-9]+(?:_[a-z0-9]+)*$/),
    preset: z.string(),
    description: z.string().min(1),
    tags: z.array(z.string().regex(/^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\.[1-9][0-9]*$/)).min(1),
  })
  .strict();

/** A vector of one operation: `input` (and `pre` for a stateful handler), then `post` or `expectedError`. */
const OperationVector = z
  .object({
    meta: Meta,
    pre: JsonValue.optional(),
    input: JsonValue,
    post: JsonValue.optional(),
    expectedError: ErrorCode.optional(),
  })
  .strict()
  .refine((file) => (file.post === undefined) !== (file.expectedError === undefined), {
    message: "a vector has exactly one of post and expectedError",
  });

const ScriptStep = z.union([
  z.object({ event: JsonValue, outputs: JsonValue }).strict(),
  z.object({ event: JsonValue, expectedError: ErrorCode }).strict(),
]);

/** An event script: the state machine's `pre`, the outputs of loading it, and the events in order. */
const ScriptVector = z
  .object({ meta: Meta, pre: JsonValue, startOutputs: JsonValue, steps: z.array(ScriptStep).min(1) })
  .strict();

/** The shape of one vector file. */
export const VectorFileSchema = z.union([OperationVector, ScriptVector]);
