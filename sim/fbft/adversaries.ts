import {
  type Certificate,
  type ConsensusMessage,
  commitPayload,
  genesisValidatorSecretKey,
  heightOf,
  leaderOf,
  MAX_HEIGHT_AHEAD,
  MAX_TURNS_AHEAD,
  m1Payload,
  m2Payload,
  m3Payload,
  preparePayload,
  turnOf,
  viewTimeoutMs,
} from "../../reference/consensus/index.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import type { Behaviour, Random, Step } from "../engine/index.ts";
import {
  clockSeconds,
  DRG_TIMER,
  type DriverOptions,
  type FbftAction,
  honestBehaviour,
  type NodeSnapshot,
  type NodeState,
  nodeOnMessage,
  nodeOnTimer,
  PROPOSE_TIMER,
  persistNode,
  proposeNow,
  restoreNode,
  SYNC_TIMER,
  startNode,
  VIEW_TIMER,
} from "./driver.ts";
import { type ForgingKey, forgedAnnounce, forgedViewChange } from "./forged.ts";
import { type FbftMessage, isConsensusMessage } from "./wire.ts";

/*
 * Byzantine behaviours. A Byzantine machine holds its member's secret key and may sign anything; most of the
 * adversaries below run the honest driver and add, withhold or alter messages, so that they keep taking
 * part (and keep the committee's turn order) while they misbehave. Blocks they make up are built with the
 * reference's buildBlock and signed with the reference's payloads: a Byzantine message is well formed unless
 * being malformed is the point.
 */

/** Which misbehaviour a faulty identity runs. */
export type AdversarySpec =
  /** Sends nothing (silentBehaviour). */
  | { readonly kind: "silent" }
  /**
   * The honest driver, crashed by the engine at `atMs` and restarted from its durable state at `restartAtMs`
   * (never, if absent). Trusted by the safety checkers, not counted as correct for liveness.
   */
  | { readonly kind: "crash"; readonly atMs: number; readonly restartAtMs?: number }
  /** Splits into two proposers at its first proposal (equivocatingLeaderBehaviour); `leak` default 1. */
  | { readonly kind: "equivocatingLeader"; readonly leak?: number }
  /** Votes for every block it sees (doubleVoterBehaviour). */
  | { readonly kind: "doubleVoter" }
  /** Every signature it sends is bad (invalidSignatureBehaviour). */
  | { readonly kind: "invalidSignatures"; readonly mode: "random" | "wrongKey" }
  /** Re-broadcasts old messages (replayerBehaviour); default every 500 ms, 4 at a time. */
  | { readonly kind: "replayer"; readonly periodMs?: number; readonly burst?: number }
  /** Sends view changes and announces from the future (futureSpammerBehaviour); default every 1000 ms. */
  | { readonly kind: "futureSpammer"; readonly periodMs?: number }
  /** A second machine runs the same identity with its clock `clockSkewMs` ahead (twinBehaviour); default 1000. */
  | { readonly kind: "twins"; readonly clockSkewMs?: number }
  /** Takes `delayMs` before a proposal due at once, a commit height's (grindingLeaderBehaviour); default 5000. */
  | { readonly kind: "grindingLeader"; readonly delayMs?: number };

/** An FBFT behaviour whose state and snapshot types are its own business. */
export type FbftBehaviour = Behaviour<unknown, FbftMessage, unknown>;

/** Forgets a behaviour's state types, so that machines with different behaviours share one simulation. */
export function anyBehaviour<S, P>(behaviour: Behaviour<S, FbftMessage, P>): FbftBehaviour {
  return behaviour as unknown as FbftBehaviour;
}

function sign(driver: DriverOptions, payload: Uint8Array): Uint8Array {
  const secretKey = driver.config.secretKey;
  if (secretKey === null) throw new Error("a Byzantine machine needs its member's secret key");
  return unwrap(driver.config.bls.sign(secretKey, payload));
}

function me(driver: DriverOptions): number {
  const index = driver.config.me;
  if (index === null) throw new Error("a Byzantine machine needs its member index");
  return index;
}

function leaderOfView(driver: DriverOptions, view: bigint): number {
  return leaderOf(view, driver.config.committee, driver.config.preset);
}

// ---------------------------------------------------------------- silent

/** Never sends anything: a crashed or absent member. */
export function silentBehaviour(): FbftBehaviour {
  return anyBehaviour<null, null>({
    init: () => ({ state: null, actions: [] }),
    onMessage: () => ({ state: null, actions: [] }),
    onTimer: () => ({ state: null, actions: [] }),
    persist: () => null,
    restore: () => ({ state: null, actions: [] }),
  });
}

// ---------------------------------------------------------------- a driver with extra behaviour

/**
 * The honest driver plus `extra` state, with hooks that see every message and timer the honest node handled
 * (and its actions), and may add or replace actions. Timers the honest driver does not know go to `onTimer`.
 */
interface Decoration<X> {
  readonly init: () => { readonly extra: X; readonly actions: readonly FbftAction[] };
  readonly afterMessage?: (
    node: NodeState,
    extra: X,
    from: number,
    message: FbftMessage,
    actions: readonly FbftAction[],
    now: number,
  ) => { readonly extra: X; readonly actions: readonly FbftAction[] };
  readonly onTimer?: (
    node: NodeState,
    extra: X,
    name: string,
    now: number,
  ) => { readonly extra: X; readonly actions: readonly FbftAction[] };
  /** Rewrites every action the honest node produced. */
  readonly rewrite?: (action: FbftAction) => FbftAction;
}

interface Decorated<X> {
  readonly node: NodeState;
  readonly extra: X;
}

const HONEST_TIMERS: ReadonlySet<string> = new Set([VIEW_TIMER, PROPOSE_TIMER, SYNC_TIMER, DRG_TIMER]);

function decorated<X>(driver: DriverOptions, decoration: Decoration<X>): FbftBehaviour {
  const rewrite = (actions: readonly FbftAction[]): readonly FbftAction[] =>
    decoration.rewrite === undefined ? actions : actions.map(decoration.rewrite);
  return anyBehaviour<Decorated<X>, NodeSnapshot>({
    init: () => {
      const honest = startNode(driver);
      const { extra, actions } = decoration.init();
      return { state: { node: honest.state, extra }, actions: [...rewrite(honest.actions), ...actions] };
    },
    onMessage: (state, from, message, now) => {
      const honest = nodeOnMessage(driver, state.node, from, message, now);
      const actions = rewrite(honest.actions);
      if (decoration.afterMessage === undefined)
        return { state: { node: honest.state, extra: state.extra }, actions };
      const added = decoration.afterMessage(honest.state, state.extra, from, message, actions, now);
      return { state: { node: honest.state, extra: added.extra }, actions: [...actions, ...added.actions] };
    },
    onTimer: (state, name, now) => {
      if (HONEST_TIMERS.has(name)) {
        const honest = nodeOnTimer(driver, state.node, name, now);
        return { state: { node: honest.state, extra: state.extra }, actions: rewrite(honest.actions) };
      }
      if (decoration.onTimer === undefined) return { state, actions: [] };
      const added = decoration.onTimer(state.node, state.extra, name, now);
      return { state: { node: state.node, extra: added.extra }, actions: added.actions };
    },
    persist: (state) => persistNode(state.node),
    restore: (_identity, snapshot) => {
      const honest = restoreNode(driver, snapshot);
      const { extra, actions } = decoration.init();
      return { state: { node: honest.state, extra }, actions: [...rewrite(honest.actions), ...actions] };
    },
  });
}

// ---------------------------------------------------------------- grinding leader

/**
 * The honest driver, except that a proposal due at once (`proposalDue` with `wait` false: the commit height of
 * the beacon chain, DRG-ENTER-VIEW.1) is answered only `delayMs` later. It stands for a leader that spends the
 * time evaluating candidate commitments before it chooses one (§9.8); against honest members the commit window
 * (DRG-COMMIT-WINDOW.2) makes the late proposal worthless.
 */
function grindingLeaderBehaviour(driver: DriverOptions, delayMs = 5000): FbftBehaviour {
  return decorated<null>(driver, {
    init: () => ({ extra: null, actions: [] }),
    rewrite: (action) =>
      action.kind === "timer" && action.name === PROPOSE_TIMER && action.afterMs === 0
        ? { ...action, afterMs: delayMs }
        : action,
  });
}

// ---------------------------------------------------------------- double voter

/**
 * Prepares every block it is announced and commits every block it sees prepared, including blocks that
 * conflict with ones it already voted for, on top of behaving honestly. Alone it only gives honest leaders
 * evidence against itself; together with an equivocating leader it lets two conflicting certificates form.
 */
export function doubleVoterBehaviour(driver: DriverOptions): FbftBehaviour {
  const self = me(driver);
  const voteKey = (kind: string, blockNum: bigint, view: bigint, hash: Uint8Array): string =>
    `${kind}/${blockNum}/${view}/${bytesToHex(hash)}`;
  return decorated<ReadonlySet<string>>(driver, {
    init: () => ({ extra: new Set(), actions: [] }),
    afterMessage: (_node, voted, _from, message, honestActions) => {
      if (!isConsensusMessage(message) || (message.type !== "announce" && message.type !== "prepared")) {
        return { extra: voted, actions: [] };
      }
      const next = new Set(voted);
      for (const action of honestActions) {
        if ((action.kind === "send" || action.kind === "broadcast") && isConsensusMessage(action.message)) {
          const sent = action.message;
          if (sent.type === "prepare")
            next.add(voteKey("prepare", sent.blockNum, sent.viewId, sent.blockHash));
          if (sent.type === "commit")
            next.add(voteKey("commit", sent.blockNum, sent.blockViewId, sent.blockHash));
        }
      }
      const actions: FbftAction[] = [];
      const leader = leaderOfView(driver, message.viewId);
      if (message.type === "announce") {
        const key = voteKey("prepare", message.blockNum, message.viewId, message.blockHash);
        if (!next.has(key) && leader !== self) {
          next.add(key);
          const payload = preparePayload(message.blockNum, message.blockHash, message.viewId);
          const signature = sign(driver, payload);
          actions.push({
            kind: "send",
            to: leader,
            message: {
              ...baseOf(message),
              type: "prepare",
              blockHash: message.blockHash,
              signer: self,
              signature,
            },
          });
        }
      } else {
        const block = decodeBlock(message.block, driver.config.preset);
        const blockViewId = block.ok ? block.value.header.viewId : message.viewId;
        const key = voteKey("commit", message.blockNum, blockViewId, message.blockHash);
        if (!next.has(key) && leader !== self) {
          next.add(key);
          const signature = sign(driver, commitPayload(message.blockNum, message.blockHash, blockViewId));
          actions.push({
            kind: "send",
            to: leader,
            message: {
              ...baseOf(message),
              type: "commit",
              blockHash: message.blockHash,
              blockViewId,
              signer: self,
              signature,
            },
          });
        }
      }
      return { extra: next, actions };
    },
  });
}

function baseOf(message: ConsensusMessage): { shardId: number; blockNum: bigint; viewId: bigint } {
  return { shardId: message.shardId, blockNum: message.blockNum, viewId: message.viewId };
}

// ---------------------------------------------------------------- invalid signatures

/**
 * Replaces every signature in `message` (individual votes, and the aggregate of each certificate) with
 * `forge(payload)`, where payload is what the signature should cover.
 */
function forgeSignatures(
  message: ConsensusMessage,
  forge: (payload: Uint8Array) => Uint8Array,
): ConsensusMessage {
  const forgeCertificate = (certificate: Certificate, payload: Uint8Array): Certificate => ({
    signature: forge(payload),
    bitmap: certificate.bitmap,
  });
  switch (message.type) {
    case "announce":
    case "prepare":
      return {
        ...message,
        signature: forge(preparePayload(message.blockNum, message.blockHash, message.viewId)),
      };
    case "prepared":
      return {
        ...message,
        certificate: forgeCertificate(
          message.certificate,
          preparePayload(message.blockNum, message.blockHash, message.viewId),
        ),
      };
    case "commit":
      return {
        ...message,
        signature: forge(commitPayload(message.blockNum, message.blockHash, message.blockViewId)),
      };
    case "committed":
      return {
        ...message,
        certificate: forgeCertificate(
          message.certificate,
          commitPayload(message.blockNum, message.blockHash, message.blockViewId),
        ),
        preparedCertificate: forgeCertificate(
          message.preparedCertificate,
          preparePayload(message.blockNum, message.blockHash, message.viewId),
        ),
      };
    case "viewChange": {
      const claim = message.claim;
      const claimPayload =
        claim.kind === "nil"
          ? m2Payload(message.blockNum, message.viewId)
          : m1Payload(message.blockNum, message.viewId, claim.preparedViewId, claim.preparedHash);
      return {
        ...message,
        m3Signature: forge(m3Payload(message.blockNum, message.viewId)),
        claim: { ...claim, signature: forge(claimPayload) },
      };
    }
    case "newView":
      return {
        ...message,
        m3: forgeCertificate(message.m3, m3Payload(message.blockNum, message.viewId)),
        m2:
          message.m2 === null
            ? null
            : forgeCertificate(message.m2, m2Payload(message.blockNum, message.viewId)),
        m1: message.m1.map((group) => ({
          ...group,
          claims: forgeCertificate(
            group.claims,
            m1Payload(message.blockNum, message.viewId, group.preparedViewId, group.preparedHash),
          ),
        })),
      };
    case "share":
      // The seed a share signs names the parent block, which the message does not carry: any forged proof
      // is as wrong as another.
      return { ...message, proof: forge(message.proof) };
  }
}

/**
 * Behaves honestly but every signature it sends is bad: random bytes (which rarely even decode as a point),
 * or a real signature over the right payload by a key outside the committee.
 */
export function invalidSignatureBehaviour(
  driver: DriverOptions,
  mode: "random" | "wrongKey",
  random: Random,
): FbftBehaviour {
  // A key of the genesis rule at an index past the committee: a valid key that no member holds.
  const wrongKey = genesisValidatorSecretKey(
    driver.config.shardId,
    driver.config.committee.members.length + me(driver),
  );
  const forge =
    mode === "random"
      ? () => {
          const bytes = new Uint8Array(96);
          for (let i = 0; i < bytes.length; i++) bytes[i] = random.int(0, 255);
          return bytes;
        }
      : (payload: Uint8Array) => unwrap(driver.config.bls.sign(wrongKey, payload));
  return decorated<null>(driver, {
    init: () => ({ extra: null, actions: [] }),
    rewrite: (action) =>
      (action.kind === "send" || action.kind === "broadcast") && isConsensusMessage(action.message)
        ? { ...action, message: forgeSignatures(action.message, forge) }
        : action,
  });
}

// ---------------------------------------------------------------- replayer

const REPLAY_TIMER = "replay";
/** How many of the latest messages a replayer remembers. */
const REPLAY_HISTORY = 256;

/**
 * Behaves honestly and, every `periodMs`, re-broadcasts `burst` messages picked at random among the last
 * ones it received: old votes, proposals and certificates, all correctly signed by their original senders.
 */
export function replayerBehaviour(
  driver: DriverOptions,
  random: Random,
  periodMs = 500,
  burst = 4,
): FbftBehaviour {
  const rearm: FbftAction = { kind: "timer", name: REPLAY_TIMER, afterMs: periodMs };
  return decorated<readonly ConsensusMessage[]>(driver, {
    init: () => ({ extra: [], actions: [rearm] }),
    afterMessage: (_node, seen, _from, message) => ({
      extra: isConsensusMessage(message) ? [...seen.slice(1 - REPLAY_HISTORY), message] : seen,
      actions: [],
    }),
    onTimer: (_node, seen, name) => {
      if (name !== REPLAY_TIMER) return { extra: seen, actions: [] };
      const actions: FbftAction[] = [rearm];
      for (let i = 0; i < burst && seen.length > 0; i++)
        actions.push({ kind: "broadcast", message: random.pick(seen) });
      return { extra: seen, actions };
    },
  });
}

// ---------------------------------------------------------------- future-view spammer

const SPAM_TIMER = "spam";

/** This member's key, for the forged messages of forged.ts. */
function forgingKey(driver: DriverOptions): ForgingKey {
  return {
    shardId: driver.config.shardId,
    preset: driver.config.preset,
    signer: me(driver),
    sign: (payload) => sign(driver, payload),
  };
}

/**
 * Behaves honestly and, every `periodMs`, sends correctly signed messages from the future: view changes for
 * the next turn, the last turn inside FBFT-RECEIVE's window, the first one outside it and one far beyond;
 * view changes for the last height inside the window and the first outside; and announces of fresh blocks in
 * its own turns, the last inside the window (which correct members verify and buffer) and the first outside.
 */
export function futureSpammerBehaviour(driver: DriverOptions, periodMs = 1000): FbftBehaviour {
  const rearm: FbftAction = { kind: "timer", name: SPAM_TIMER, afterMs: periodMs };
  const self = BigInt(me(driver));
  const n = BigInt(driver.config.committee.members.length);
  const term = BigInt(driver.config.preset.leaderTerm);
  const key = forgingKey(driver);
  return decorated<null>(driver, {
    init: () => ({ extra: null, actions: [rearm] }),
    onTimer: (node, extra, name, now) => {
      if (name !== SPAM_TIMER) return { extra, actions: [] };
      const state = node.consensus;
      const seconds = clockSeconds(driver, now);
      const height = heightOf(state);
      const turn = turnOf(state.view, driver.config.preset);
      const spam: ConsensusMessage[] = [];
      for (const ahead of [1n, MAX_TURNS_AHEAD, MAX_TURNS_AHEAD + 1n, 1000n]) {
        spam.push(forgedViewChange(key, height, (turn + ahead) * term));
      }
      for (const ahead of [MAX_HEIGHT_AHEAD, MAX_HEIGHT_AHEAD + 1n]) {
        spam.push(forgedViewChange(key, height + ahead, (turn + 1n) * term));
      }
      // Own turns t ≡ self (mod n): the last within the window (if any is ahead) and the first beyond it.
      const edge = turn + MAX_TURNS_AHEAD;
      const lastWithin = edge - ((((edge - self) % n) + n) % n);
      const firstBeyond = lastWithin + n;
      if (lastWithin > turn) spam.push(forgedAnnounce(key, state, lastWithin * term, seconds));
      spam.push(forgedAnnounce(key, state, firstBeyond * term, seconds));
      return {
        extra,
        actions: [rearm, ...spam.map((message): FbftAction => ({ kind: "broadcast", message }))],
      };
    },
  });
}

// ---------------------------------------------------------------- equivocating leader

/** Timer names of the copies of a split leader: `<copy>:<driver timer>`. */
function copyTimer(copy: number, name: string): string {
  return `${copy}:${name}`;
}

interface SplitLeader {
  /** One honest node before the split, two after: copy c speaks only to side c and the colluders. */
  readonly copies: readonly NodeState[];
}

/**
 * An equivocating leader. It runs the honest driver until its first fresh proposal; there it splits into two
 * honest copies of itself that propose two different valid blocks (the second copy's clock runs a second
 * ahead, so its block's time differs) to two halves of the honest members. From then on copy c talks only to
 * half c and to the colluding Byzantine members, and hears half c; a colluder's vote goes to the copy whose
 * block it names. Each copy is an honest leader towards its half, so each half can gather a certificate with
 * the colluders' votes: with Byzantine power of a third or more, two conflicting blocks are finalized.
 *
 * `leak` members of each half also receive the other half's announce, as gossip would relay it, and turn
 * the two signed announces into evidence against the leader (FBFT-ON-ANNOUNCE L5).
 */
export function equivocatingLeaderBehaviour(
  driver: DriverOptions,
  colluders: ReadonlySet<number>,
  leak = 1,
): FbftBehaviour {
  const self = me(driver);
  const second: DriverOptions = {
    ...driver,
    clockSkewMs: driver.clockSkewMs + 1000,
    random: driver.random.fork("second copy"),
  };
  const drivers = [driver, second] as const;
  const honestOthers: number[] = [];
  for (let i = 0; i < driver.config.committee.members.length; i++) {
    if (i !== self && !colluders.has(i)) honestOthers.push(i);
  }
  const half = Math.floor(honestOthers.length / 2);
  const sides = [honestOthers.slice(0, half), honestOthers.slice(half)] as const;
  const sideOf = new Map<number, number>();
  sides.forEach((members, side) => {
    for (const member of members) sideOf.set(member, side);
  });
  const audiences = sides.map((members) => [...members, ...[...colluders].filter((c) => c !== self)]);

  /** Copy `copy`'s actions as the engine should carry them: timers renamed, messages kept to its audience. */
  const route = (copy: number, split: boolean, actions: readonly FbftAction[]): FbftAction[] => {
    const out: FbftAction[] = [];
    const audience = audiences[copy]!;
    for (const action of actions) {
      if (action.kind === "timer") out.push({ ...action, name: copyTimer(copy, action.name) });
      else if (!split || action.kind === "observe") out.push(action);
      else if (action.kind === "send") {
        if (audience.includes(action.to)) out.push(action);
      } else {
        for (const to of audience) out.push({ kind: "send", to, message: action.message });
      }
    }
    return out;
  };

  /** The copies a message from `from` is for. */
  const targets = (state: SplitLeader, from: number, message: FbftMessage): number[] => {
    if (state.copies.length === 1) return [0];
    if (message.type === "syncResponse") return [0, 1];
    const side = sideOf.get(from);
    if (side !== undefined) return [side];
    if (message.type === "syncRequest") return [0];
    if ("blockHash" in message) {
      const hash = bytesToHex(message.blockHash);
      const named = [0, 1].filter((copy) => {
        const consensus = state.copies[copy]!.consensus;
        return (
          (consensus.proposal !== null && bytesToHex(consensus.proposal.hash) === hash) ||
          (consensus.lock !== null && bytesToHex(consensus.lock.hash) === hash)
        );
      });
      if (named.length > 0) return named;
    }
    return [0, 1];
  };

  const announceIn = (actions: readonly FbftAction[]): FbftMessage | undefined => {
    for (const action of actions) {
      if (action.kind === "broadcast" && action.message.type === "announce") return action.message;
    }
    return undefined;
  };

  /** The first fresh proposal: both copies propose, each to its half. */
  const split = (pre: NodeState, now: number): Step<SplitLeader, FbftMessage> | undefined => {
    const due = pre.due;
    if (due === null || pre.consensus.proposal !== null) return undefined;
    const first = proposeNow(drivers[0], pre, now, due);
    const other = proposeNow(drivers[1], pre, now, due);
    const firstAnnounce = announceIn(first.actions);
    const otherAnnounce = announceIn(other.actions);
    if (firstAnnounce === undefined || otherAnnounce === undefined) return undefined;
    const copy = other.state.consensus;
    const actions: FbftAction[] = [
      ...route(0, true, first.actions),
      ...route(1, true, other.actions),
      // The second copy inherits the view timer the engine armed for the first.
      {
        kind: "timer",
        name: copyTimer(1, VIEW_TIMER),
        afterMs: viewTimeoutMs(copy.view, copy.heightView, driver.config.preset),
      },
    ];
    for (const to of sides[0].slice(0, leak)) actions.push({ kind: "send", to, message: otherAnnounce });
    for (const to of sides[1].slice(0, leak)) actions.push({ kind: "send", to, message: firstAnnounce });
    return { state: { copies: [first.state, other.state] }, actions };
  };

  return anyBehaviour<SplitLeader, readonly NodeSnapshot[]>({
    init: () => {
      const honest = startNode(driver);
      return { state: { copies: [honest.state] }, actions: route(0, false, honest.actions) };
    },
    onMessage: (state, from, message, now) => {
      const copies = [...state.copies];
      const actions: FbftAction[] = [];
      for (const copy of targets(state, from, message)) {
        const result = nodeOnMessage(drivers[copy]!, copies[copy]!, from, message, now);
        copies[copy] = result.state;
        actions.push(...route(copy, state.copies.length === 2, result.actions));
      }
      return { state: { copies }, actions };
    },
    onTimer: (state, name, now) => {
      const separator = name.indexOf(":");
      const copy = Number(name.slice(0, separator));
      const timer = name.slice(separator + 1);
      const node = state.copies[copy];
      if (node === undefined) return { state, actions: [] };
      if (state.copies.length === 1 && timer === PROPOSE_TIMER) {
        const forked = split(node, now);
        if (forked !== undefined) return forked;
      }
      const result = nodeOnTimer(drivers[copy]!, node, timer, now);
      const copies = [...state.copies];
      copies[copy] = result.state;
      return { state: { copies }, actions: route(copy, state.copies.length === 2, result.actions) };
    },
    persist: (state) => state.copies.map(persistNode),
    restore: (_identity, snapshots) => {
      const restored = snapshots.map((snapshot, copy) => restoreNode(drivers[copy]!, snapshot));
      return {
        state: { copies: restored.map((result) => result.state) },
        actions: restored.flatMap((result, copy) => route(copy, restored.length === 2, result.actions)),
      };
    },
  });
}

// ---------------------------------------------------------------- twins

/** The second machine of a twin pair: the honest driver for the same identity with a clock ahead. */
export function twinBehaviour(driver: DriverOptions, clockSkewMs = 1000): FbftBehaviour {
  return anyBehaviour(
    honestBehaviour({
      ...driver,
      clockSkewMs: driver.clockSkewMs + clockSkewMs,
      random: driver.random.fork("twin"),
    }),
  );
}

/**
 * The behaviour of the machine that runs a faulty member's identity, for every adversary that is a
 * behaviour (a crash is an engine fault on an honest machine, so the caller handles it). For twins this is
 * the first of the two machines; the caller adds the second with twinBehaviour.
 */
export function adversaryBehaviour(
  spec: Exclude<AdversarySpec, { readonly kind: "crash" }>,
  driver: DriverOptions,
  colluders: ReadonlySet<number>,
  random: Random,
): FbftBehaviour {
  switch (spec.kind) {
    case "silent":
      return silentBehaviour();
    case "equivocatingLeader":
      return equivocatingLeaderBehaviour(driver, colluders, spec.leak);
    case "doubleVoter":
      return doubleVoterBehaviour(driver);
    case "invalidSignatures":
      return invalidSignatureBehaviour(driver, spec.mode, random);
    case "replayer":
      return replayerBehaviour(driver, random, spec.periodMs, spec.burst);
    case "futureSpammer":
      return futureSpammerBehaviour(driver, spec.periodMs);
    case "twins":
      return anyBehaviour(honestBehaviour(driver));
    case "grindingLeader":
      return grindingLeaderBehaviour(driver, spec.delayMs);
  }
}
