import { createHash } from "node:crypto";
import type { Action, Behaviour, Step } from "../engine/protocol.ts";
import { Random } from "../engine/random.ts";
import type { Commit, PbftMessage, PrePrepare, Prepare } from "./messages.ts";

/*
 * A textbook PBFT normal case (Castro and Liskov, OSDI 1999, §4.2), kept as a message-complexity baseline for
 * FBFT. It is not a secure implementation: there is no view change, checkpointing, state transfer or request
 * handling, signatures are modelled by size only, and it is deliberately kept apart from `reference/`. The
 * quorum checks are nonetheless honest, so a run that decides has really gathered its certificates.
 */

export interface PbftConfig {
  /** n, the number of replicas; identities 0..n−1, the primary of view v is v mod n. */
  readonly replicas: number;
  /** How many blocks the primary proposes, one after the other. */
  readonly blocks: number;
  /** The size of each opaque block payload. */
  readonly blockBytes: number;
  /** Block contents derive from this seed, so digests are reproducible. */
  readonly seed: number;
}

/** Votes for one digest: who voted (by replica index) and how many. */
interface Tally {
  readonly voters: Uint8Array;
  count: number;
}

/** The log entry of one sequence number in the current view. */
interface Slot {
  /** The digest of the accepted PRE-PREPARE, if any. */
  digest: string | undefined;
  readonly prepares: Map<string, Tally>;
  readonly commits: Map<string, Tally>;
  prepared: boolean;
  committedLocal: boolean;
}

/**
 * A replica's state. Handlers update it in place and return it: copying a 1024-replica vote log on every
 * message would make large runs quadratic per message. `persist` takes a deep copy.
 */
export interface PbftState {
  readonly replica: number;
  readonly view: number;
  /** Undecided sequence numbers with anything logged. */
  readonly slots: Map<number, Slot>;
  /** Decided digests in sequence order: entry k is sequence k + 1. */
  readonly decided: string[];
  /** The last sequence this replica proposed (as primary). */
  proposed: number;
}

/** What a replica observes when it decides (executes) a sequence, in order. */
export interface PbftDecision {
  readonly sequence: number;
  readonly digest: string;
}

/** f = ⌊(n − 1)/3⌋, the number of faults n replicas tolerate. */
export function faultTolerance(replicas: number): number {
  return Math.floor((replicas - 1) / 3);
}

/**
 * The certificate size n − f: 2f + 1 when n = 3f + 1 as in the paper, and still enough for any two
 * certificates to share an honest replica (2(n − f) − n ≥ f + 1) when n is not of that form.
 */
export function quorumSize(replicas: number): number {
  return replicas - faultTolerance(replicas);
}

export const primaryOf = (view: number, replicas: number): number => view % replicas;

/** The deterministic payload of block `sequence`. */
export function pbftBlock(seed: number, sequence: number, bytes: number): Uint8Array {
  const random = Random.fromSeed(seed).fork(`pbft block ${sequence}`);
  const block = new Uint8Array(bytes);
  for (let i = 0; i < bytes; i += 4) {
    const word = random.nextUint32();
    for (let k = 0; k < 4 && i + k < bytes; k++) block[i + k] = (word >>> (8 * k)) & 0xff;
  }
  return block;
}

export function pbftDigest(block: Uint8Array): string {
  return createHash("sha256").update(block).digest("hex");
}

const NOTHING: readonly Action<PbftMessage>[] = Object.freeze([]);

function tallyOf(tallies: Map<string, Tally>, digest: string, replicas: number): Tally {
  let tally = tallies.get(digest);
  if (tally === undefined) {
    tally = { voters: new Uint8Array(replicas), count: 0 };
    tallies.set(digest, tally);
  }
  return tally;
}

/** Counts `replica`'s vote once, however often its message arrives. */
function vote(tallies: Map<string, Tally>, digest: string, replica: number, replicas: number): void {
  const tally = tallyOf(tallies, digest, replicas);
  if (tally.voters[replica] === 0) {
    tally.voters[replica] = 1;
    tally.count++;
  }
}

function votes(tallies: Map<string, Tally>, digest: string): number {
  return tallies.get(digest)?.count ?? 0;
}

export function pbftReplica(config: PbftConfig): Behaviour<PbftState, PbftMessage, PbftState> {
  const n = config.replicas;
  const quorum = quorumSize(n);

  const slotOf = (state: PbftState, sequence: number): Slot => {
    let slot = state.slots.get(sequence);
    if (slot === undefined) {
      slot = {
        digest: undefined,
        prepares: new Map(),
        commits: new Map(),
        prepared: false,
        committedLocal: false,
      };
      state.slots.set(sequence, slot);
    }
    return slot;
  };

  /** The primary proposes the next block once every earlier one is decided here. */
  const propose = (state: PbftState, actions: Action<PbftMessage>[]): void => {
    if (state.replica !== primaryOf(state.view, n)) return;
    const sequence = state.proposed + 1;
    if (sequence > config.blocks || state.decided.length < state.proposed) return;
    state.proposed = sequence;
    const block = pbftBlock(config.seed, sequence, config.blockBytes);
    const digest = pbftDigest(block);
    const prePrepare: PrePrepare = {
      type: "PRE-PREPARE",
      view: state.view,
      sequence,
      digest,
      replica: state.replica,
      block,
    };
    actions.push({ kind: "broadcast", message: prePrepare });
    slotOf(state, sequence).digest = digest;
    advance(state, sequence, actions);
  };

  /** Executes committed sequences in order, then lets the primary propose the next. */
  const execute = (state: PbftState, actions: Action<PbftMessage>[]): void => {
    for (;;) {
      const sequence = state.decided.length + 1;
      const slot = state.slots.get(sequence);
      if (slot === undefined || !slot.committedLocal || slot.digest === undefined) break;
      state.decided.push(slot.digest);
      state.slots.delete(sequence);
      const decision: PbftDecision = { sequence, digest: slot.digest };
      actions.push({ kind: "observe", observation: decision });
    }
    propose(state, actions);
  };

  /** Moves a slot forward as far as its log allows: prepared, then committed-local. */
  const advance = (state: PbftState, sequence: number, actions: Action<PbftMessage>[]): void => {
    const slot = state.slots.get(sequence);
    if (slot?.digest === undefined) return;
    const digest = slot.digest;
    // prepared(m, v, n, i): the PRE-PREPARE and matching PREPAREs from quorum − 1 = 2f distinct backups.
    if (!slot.prepared && votes(slot.prepares, digest) >= quorum - 1) {
      slot.prepared = true;
      const commit: Commit = { type: "COMMIT", view: state.view, sequence, digest, replica: state.replica };
      actions.push({ kind: "broadcast", message: commit });
      vote(slot.commits, digest, state.replica, n);
    }
    // committed-local(m, v, n, i): prepared, and matching COMMITs from quorum = 2f + 1 distinct replicas.
    if (slot.prepared && !slot.committedLocal && votes(slot.commits, digest) >= quorum) {
      slot.committedLocal = true;
      execute(state, actions);
    }
  };

  const onPrePrepare = (state: PbftState, message: PrePrepare, actions: Action<PbftMessage>[]): void => {
    if (message.replica !== primaryOf(state.view, n)) return;
    if (pbftDigest(message.block) !== message.digest) return;
    const slot = slotOf(state, message.sequence);
    // One PRE-PREPARE per (view, sequence): a second one, conflicting or not, changes nothing.
    if (slot.digest !== undefined) return;
    slot.digest = message.digest;
    const prepare: Prepare = {
      type: "PREPARE",
      view: state.view,
      sequence: message.sequence,
      digest: message.digest,
      replica: state.replica,
    };
    actions.push({ kind: "broadcast", message: prepare });
    vote(slot.prepares, message.digest, state.replica, n);
    advance(state, message.sequence, actions);
  };

  return {
    init(identity) {
      const state: PbftState = { replica: identity, view: 0, slots: new Map(), decided: [], proposed: 0 };
      const actions: Action<PbftMessage>[] = [];
      propose(state, actions);
      return { state, actions };
    },

    onMessage(state, from, message): Step<PbftState, PbftMessage> {
      // The sender's identity stands in for the signature over the replica field; stale and foreign-view
      // messages are ignored.
      const acceptable =
        message.replica === from &&
        from >= 0 &&
        from < n &&
        message.view === state.view &&
        Number.isSafeInteger(message.sequence) &&
        message.sequence > state.decided.length;
      if (!acceptable) return { state, actions: NOTHING };
      const actions: Action<PbftMessage>[] = [];
      switch (message.type) {
        case "PRE-PREPARE":
          onPrePrepare(state, message, actions);
          break;
        case "PREPARE":
          // Only backups prepare: the PRE-PREPARE is the primary's vote.
          if (from === primaryOf(state.view, n)) break;
          vote(slotOf(state, message.sequence).prepares, message.digest, from, n);
          advance(state, message.sequence, actions);
          break;
        case "COMMIT":
          vote(slotOf(state, message.sequence).commits, message.digest, from, n);
          advance(state, message.sequence, actions);
          break;
      }
      return { state, actions: actions.length === 0 ? NOTHING : actions };
    },

    onTimer: (state) => ({ state, actions: NOTHING }),

    persist: (state) => structuredClone(state),

    restore: (_identity, persisted) => ({ state: structuredClone(persisted), actions: NOTHING }),
  };
}
