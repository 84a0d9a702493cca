import { z } from "zod";

const JsonValue: z.ZodType<unknown> = z.json();

/** The shape of one vector file; `post` and `expectedError` are mutually exclusive. */
export const VectorFileSchema = z
  .object({
    meta: z.object({
      runner: z.string().regex(/^[a-z0-9_]+$/),
      handler: z.string().regex(/^[a-z0-9_]+$/),
      case: z.string().regex(/^[a-z0-9]+(?:_[a-z0-9]+)*$/),
      preset: z.string(),
      description: z.string().min(1),
      tags: z.array(z.string().regex(/^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\.[1-9][0-9]*$/)).min(1),
    }),
    pre: JsonValue.optional(),
    input: JsonValue,
    post: JsonValue.optional(),
    expectedError: z
      .string()
      .regex(/^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/)
      .optional(),
  })
  .strict()
  .refine((file) => (file.post === undefined) !== (file.expectedError === undefined), {
    message: "a vector has exactly one of post and expectedError",
  });
