import type { z } from "zod";
import type { Preset } from "../../reference/params/presets.ts";

/** A JSON value as it appears in a vector file. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * One operation a runner exposes. `run` receives the input (and, for a stateful handler, the state before,
 * `pre`) already parsed by their schemas and returns the JSON form of the result (`post`); it throws a
 * SpecError to reject. It must only call the reference.
 */
export interface HandlerDef<I extends z.ZodType = z.ZodType, P extends z.ZodType = z.ZodType> {
  readonly description: string;
  /** Schema of the state before, for a stateful handler; such a handler's cases must all carry `pre`. */
  readonly pre?: P;
  readonly input: I;
  readonly output: z.ZodType;
  run(input: z.output<I>, preset: Preset, pre: z.output<P> | undefined): Json;
}

/** A case the generator turns into a vector file; an invalid case names the error code it must raise. */
export interface CaseDef {
  readonly handler: string;
  readonly name: string;
  readonly description: string;
  /** Rule tags this case exercises; they are listed in the vector's `meta.tags` and count as coverage. */
  readonly tags: readonly string[];
  /** The state before, for a stateful handler. */
  readonly pre?: Json;
  readonly input: Json;
  readonly expectedError?: string;
}

export interface RunnerDef {
  readonly name: string;
  readonly description: string;
  // biome-ignore lint/suspicious/noExplicitAny: each handler has its own input type
  readonly handlers: Readonly<Record<string, HandlerDef<any>>>;
  cases(preset: Preset): readonly CaseDef[];
}

/** The file format of one vector (see conformance-vectors/README.md). */
export interface VectorFile {
  meta: {
    runner: string;
    handler: string;
    case: string;
    preset: string;
    description: string;
    tags: string[];
  };
  pre?: Json;
  input: Json;
  post?: Json;
  expectedError?: string;
}

/**
 * What a target reports for one vector: the JSON result, the code of the SpecError it raised, or that it
 * does not implement the handler (a skip, which must say why).
 */
export type TargetOutcome =
  | { readonly kind: "result"; readonly post: Json }
  | { readonly kind: "error"; readonly code: string }
  | { readonly kind: "unsupported"; readonly reason: string };

/** Something that can execute vectors: the in-process reference, or a node over JSON-RPC. */
export interface Target {
  readonly name: string;
  execute(runner: string, handler: string, input: Json, preset: string, pre?: Json): Promise<TargetOutcome>;
}
