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

/** What loading a script's `pre` or applying one of its events yields: the next state and the step's outputs. */
export interface ScriptTransition<S> {
  readonly state: S;
  readonly outputs: Json;
}

/**
 * A state machine driven by an event script. `start` loads the configuration and state of `pre`; `step`
 * applies one event (parsed by `event`) to the current state. Both throw a SpecError to reject; a rejected
 * event leaves the state as it was, so the next event applies to the state before it. `S` is opaque to the
 * framework. Both must only call the reference.
 */
export interface ScriptHandlerDef<
  P extends z.ZodType = z.ZodType,
  E extends z.ZodType = z.ZodType,
  S = unknown,
> {
  readonly description: string;
  readonly pre: P;
  readonly event: E;
  /** Schema of the outputs of one step (and of `startOutputs`). */
  readonly outputs: z.ZodType;
  start(pre: z.output<P>, preset: Preset): ScriptTransition<S>;
  step(state: S, event: z.output<E>, preset: Preset): ScriptTransition<S>;
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

/** One event of a script case; a step that must be rejected names its code. */
export interface ScriptStepDef {
  readonly event: Json;
  readonly expectedError?: string;
}

/** A case of a script handler: the state machine's `pre` and the events fed to it in order. */
export interface ScriptCaseDef {
  readonly handler: string;
  readonly name: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly pre: Json;
  readonly steps: readonly ScriptStepDef[];
}

export interface RunnerDef {
  readonly name: string;
  readonly description: string;
  // biome-ignore lint/suspicious/noExplicitAny: each handler has its own input type
  readonly handlers: Readonly<Record<string, HandlerDef<any>>>;
  cases(preset: Preset): readonly CaseDef[];
  /** Handlers driven by event scripts; their names differ from those of `handlers`. */
  // biome-ignore lint/suspicious/noExplicitAny: each script handler has its own state type
  readonly scripts?: Readonly<Record<string, ScriptHandlerDef<any, any, any>>>;
  scriptCases?(preset: Preset): readonly ScriptCaseDef[];
}

export interface VectorMeta {
  runner: string;
  handler: string;
  case: string;
  preset: string;
  description: string;
  tags: string[];
}

/** One step of a script vector: the event and either the outputs it yields or the code it raises. */
export type ScriptStep = { event: Json; outputs: Json } | { event: Json; expectedError: string };

/** The file format of one vector (see conformance-vectors/README.md): one operation, or an event script. */
export type VectorFile =
  | { meta: VectorMeta; pre?: Json; input: Json; post?: Json; expectedError?: string }
  | { meta: VectorMeta; pre: Json; startOutputs: Json; steps: ScriptStep[] };

/**
 * What a target reports for one vector: the JSON result, the code of the SpecError it raised, or that it
 * does not implement the handler (a skip, which must say why).
 */
export type TargetOutcome =
  | { readonly kind: "result"; readonly post: Json }
  | { readonly kind: "error"; readonly code: string }
  | { readonly kind: "unsupported"; readonly reason: string };

/** What one event of a script did on the target. */
export type StepOutcome =
  | { readonly kind: "result"; readonly outputs: Json }
  | { readonly kind: "error"; readonly code: string };

/**
 * What a target reports for a script: the outputs of loading `pre` and the outcome of every event in order;
 * or the code that loading `pre` raised; or a skip.
 */
export type ScriptOutcome =
  | { readonly kind: "script"; readonly startOutputs: Json; readonly steps: readonly StepOutcome[] }
  | { readonly kind: "error"; readonly code: string }
  | { readonly kind: "unsupported"; readonly reason: string };

/**
 * Something that can execute vectors: the in-process reference, or a node over JSON-RPC. A script is handed
 * over whole (its `pre` and every event), so a remote target runs it in one call and the framework compares
 * the per-step results; a target without `executeScript` has every script vector skipped.
 */
export interface Target {
  readonly name: string;
  execute(runner: string, handler: string, input: Json, preset: string, pre?: Json): Promise<TargetOutcome>;
  executeScript?(
    runner: string,
    handler: string,
    preset: string,
    pre: Json,
    events: readonly Json[],
  ): Promise<ScriptOutcome>;
}
