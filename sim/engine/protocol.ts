/*
 * What a protocol gives the simulator: a Behaviour per machine and a codec for its messages. The engine knows
 * nothing else about the protocol, so honest and adversarial behaviours of any protocol run side by side.
 */

/** What a behaviour asks the engine to do after handling an input. */
export type Action<M> =
  /** Send to every live machine running identity `to` (twins included). */
  | { readonly kind: "send"; readonly to: number; readonly message: M }
  /** Send to every live machine whose identity differs from the sender's. */
  | { readonly kind: "broadcast"; readonly message: M }
  /** Arm timer `name` to fire `afterMs` from now, replacing a pending timer of the same name. */
  | { readonly kind: "timer"; readonly name: string; readonly afterMs: number }
  /** Record something for checkers and metrics; the network never sees it. */
  | { readonly kind: "observe"; readonly observation: unknown };

/** The result of every handler: the machine's next state and what it wants done. */
export interface Step<S, M> {
  readonly state: S;
  readonly actions: readonly Action<M>[];
}

/**
 * One machine's protocol logic, generic over its state `S`, message `M` and persisted snapshot `P`.
 * `now` is the virtual time in milliseconds. A behaviour must be deterministic: the same inputs give the
 * same outputs (a behaviour that needs randomness takes a seed when it is built).
 */
export interface Behaviour<S, M, P> {
  init(identity: number, now: number): Step<S, M>;
  /** `from` is the sender's identity (what a signature would prove), not its machine. */
  onMessage(state: S, from: number, message: M, now: number): Step<S, M>;
  onTimer(state: S, name: string, now: number): Step<S, M>;
  /** Durable storage: what survives a crash (called at crash time; models a store written every step). */
  persist(state: S): P;
  restore(identity: number, persisted: P, now: number): Step<S, M>;
}

/** How the engine measures and names messages without understanding them. */
export interface MessageCodec<M> {
  /** Bytes on the wire, for traffic metrics. */
  size(message: M): number;
  /** A short name for metrics per kind (e.g. "PREPARE"). */
  kind(message: M): string;
  /** Extra detail for the trace; the kind alone is printed if absent. */
  describe?(message: M): string;
}
