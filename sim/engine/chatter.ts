import type { Behaviour, MessageCodec, Step } from "./protocol.ts";
import type { MachineConfig } from "./simulation.ts";

/*
 * A toy protocol that exercises the engine in tests and examples; it implements no rule of the spec. Every
 * machine broadcasts a CHAT every `periodMs` for `rounds` rounds and, if asked, answers each CHAT with an
 * ECHO sent back to the sender's identity. Every delivery is observed, so tests can check the network model
 * from the receivers' side.
 */

export type ChatterMessage =
  | { readonly type: "CHAT"; readonly round: number; readonly sentAt: number }
  | { readonly type: "ECHO"; readonly round: number; readonly sentAt: number };

export interface ChatterState {
  readonly identity: number;
  /** Rounds broadcast so far. */
  readonly round: number;
  /** Messages received so far (the part a crash must not lose). */
  readonly heard: number;
}

/** What a machine observes for each message it receives. */
export interface Heard {
  readonly heard: ChatterMessage["type"];
  readonly from: number;
  readonly round: number;
  readonly sentAt: number;
}

/** What a machine observes when it restarts: the snapshot it restored. */
export interface Restored {
  readonly restored: ChatterState;
}

export interface ChatterOptions {
  readonly periodMs: number;
  readonly rounds: number;
  readonly echo?: boolean;
}

export const chatterCodec: MessageCodec<ChatterMessage> = {
  // A type byte, the round and the send time as 8-byte integers.
  size: () => 17,
  kind: (message) => message.type,
  describe: (message) => `round ${message.round} sent at ${message.sentAt}`,
};

export function chatter(options: ChatterOptions): Behaviour<ChatterState, ChatterMessage, ChatterState> {
  const tick = (state: ChatterState): Step<ChatterState, ChatterMessage> =>
    state.round < options.rounds
      ? { state, actions: [{ kind: "timer", name: "tick", afterMs: options.periodMs }] }
      : { state, actions: [] };
  return {
    init: (identity) => tick({ identity, round: 0, heard: 0 }),
    onMessage(state, from, message, now) {
      const next = { ...state, heard: state.heard + 1 };
      const heard: Heard = { heard: message.type, from, round: message.round, sentAt: message.sentAt };
      const echo =
        options.echo === true && message.type === "CHAT"
          ? [
              {
                kind: "send",
                to: from,
                message: { type: "ECHO", round: message.round, sentAt: now },
              } as const,
            ]
          : [];
      return { state: next, actions: [{ kind: "observe", observation: heard }, ...echo] };
    },
    onTimer(state, _name, now) {
      const next = { ...state, round: state.round + 1 };
      const rearm = tick(next);
      return {
        state: next,
        actions: [
          { kind: "broadcast", message: { type: "CHAT", round: next.round, sentAt: now } },
          ...rearm.actions,
        ],
      };
    },
    persist: (state) => state,
    restore(_identity, persisted) {
      const resumed = tick(persisted);
      const restored: Restored = { restored: persisted };
      return { state: persisted, actions: [{ kind: "observe", observation: restored }, ...resumed.actions] };
    },
  };
}

/** `count` honest machines running chatter, machine i with identity i. */
export function chatterMachines(
  count: number,
  options: ChatterOptions,
): MachineConfig<ChatterState, ChatterMessage, ChatterState>[] {
  const behaviour = chatter(options);
  return Array.from({ length: count }, (_, identity) => ({ identity, behaviour }));
}
