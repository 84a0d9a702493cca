import {
  type Certificate,
  type Committed,
  type Committee,
  type ConsensusConfig,
  type ConsensusEvent,
  type ConsensusMessage,
  type ConsensusOutput,
  type ConsensusState,
  checkCommittee,
  type DoubleSignEvidence,
  genesisValidatorSecretKey,
  initialState,
  step,
  type ViewChange,
} from "../../reference/consensus/index.ts";
import type { CrossLink } from "../../reference/crossshard/crosslink.ts";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { type Block, encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { buildRevealField } from "../../reference/randomness/reveal.ts";

/*
 * Test support for chapters 6–7: a committee whose members' STEP functions are wired together by a FIFO queue.
 * Every output is executed at once: sends and broadcasts are queued, proposal requests are answered with an
 * empty (or given) transaction list, reveals are computed with the reference's DRG-REVEAL-BUILD, timers are
 * recorded and fired only when a test says so. No simulator,
 * no clock: the order of deliveries is the order of outputs.
 */

/** A message in flight. */
export interface Envelope {
  readonly from: number;
  readonly to: number;
  readonly message: ConsensusMessage;
}

type Queued =
  | { readonly kind: "message"; readonly envelope: Envelope }
  | { readonly kind: "event"; readonly to: number; readonly event: ConsensusEvent };

/** What a test does with an envelope before it is delivered. */
export type Verdict = "deliver" | "drop" | "hold";

export interface Finalization {
  readonly block: Block;
  readonly committed: Committed;
}

/** A delivery or event a member rejected, with the code. */
export interface Rejection {
  readonly member: number;
  readonly code: string;
  readonly what: string;
}

export interface Net {
  readonly preset: Preset;
  readonly committee: Committee;
  readonly configs: ConsensusConfig[];
  readonly states: ConsensusState[];
  readonly queue: Queued[];
  readonly held: Envelope[];
  /** Members that are crashed or silent: they receive nothing and their outputs are lost. */
  readonly down: Set<number>;
  /** Decides each envelope's fate when it is taken from the queue. */
  intercept: (envelope: Envelope) => Verdict;
  /** Proposal requests above this height are not answered. */
  maxHeight: bigint;
  /** The transactions a leader proposes at a height. */
  readonly transactionsAt: (blockNum: bigint) => readonly Transaction[];
  readonly finalized: Finalization[][];
  readonly evidence: DoubleSignEvidence[][];
  readonly syncRequests: bigint[][];
  readonly timers: ({ readonly viewId: bigint; readonly afterMs: number } | null)[];
  /** Each member's armed DRG timer (DRG-ENTER-VIEW.1), fired only when a test says so. */
  readonly drgTimers: ({ readonly viewId: bigint; readonly afterMs: number } | null)[];
  /** Whether `vdfDue` is answered (at once, with the reference's reveal); a test may withhold it. */
  answerVdf: boolean;
  /** The crosslinks every leader's proposal is offered (XLINK-SELECT.1); a test may fill it. */
  readonly crossLinkPool: CrossLink[];
  /** Every message each member sent, in order (a broadcast once). */
  readonly sent: { readonly to: number | "all"; readonly message: ConsensusMessage }[][];
  readonly rejections: Rejection[];
}

/** A committee of the given powers whose keys are the genesis validator keys of shard `shard`. */
export function labelledCommittee(
  shard: number,
  powers: readonly bigint[],
  bls: BlsBackend,
): { readonly committee: Committee; readonly secretKeys: Uint8Array[] } {
  const secretKeys: Uint8Array[] = [];
  const members = [];
  for (let i = 0; i < powers.length; i++) {
    const secretKey = genesisValidatorSecretKey(shard, i);
    secretKeys.push(secretKey);
    members.push({ publicKey: unwrap(bls.secretToPublic(secretKey)), power: powers[i]! });
  }
  return { committee: unwrap(checkCommittee(members, bls)), secretKeys };
}

export interface NetOptions {
  readonly preset: Preset;
  readonly powers: readonly bigint[];
  readonly bls: BlsBackend;
  /** Default 1; shard 0 is the beacon chain, whose blocks carry the randomness (§9.7). */
  readonly shard?: number;
  readonly maxHeight?: bigint;
  readonly ledger?: LedgerState;
  readonly transactionsAt?: (blockNum: bigint) => readonly Transaction[];
}

/** A started network: every member in its initial state, the initial outputs executed (not yet run). */
export function createNet(options: NetOptions): Net {
  const shard = options.shard ?? 1;
  const { committee, secretKeys } = labelledCommittee(shard, options.powers, options.bls);
  const ledger = options.ledger ?? unwrap(genesisLedger(shard, null, options.preset));
  const n = options.powers.length;
  const net: Net = {
    preset: options.preset,
    committee,
    configs: [],
    states: [],
    queue: [],
    held: [],
    down: new Set(),
    intercept: () => "deliver",
    maxHeight: options.maxHeight ?? 1n,
    transactionsAt: options.transactionsAt ?? (() => []),
    finalized: [],
    evidence: [],
    syncRequests: [],
    timers: [],
    drgTimers: [],
    answerVdf: true,
    crossLinkPool: [],
    sent: [],
    rejections: [],
  };
  for (let i = 0; i < n; i++) {
    const config: ConsensusConfig = {
      preset: options.preset,
      shardId: shard,
      committee,
      me: i,
      secretKey: secretKeys[i]!,
      bls: options.bls,
    };
    net.configs.push(config);
    net.finalized.push([]);
    net.evidence.push([]);
    net.syncRequests.push([]);
    net.timers.push(null);
    net.drgTimers.push(null);
    net.sent.push([]);
    const start = initialState(config, ledger, null);
    net.states.push(start.state);
    execute(net, i, start.outputs);
  }
  return net;
}

/** Executes one member's outputs. */
export function execute(net: Net, member: number, outputs: readonly ConsensusOutput[]): void {
  if (net.down.has(member)) return;
  for (const output of outputs) {
    switch (output.kind) {
      case "send":
        net.sent[member]!.push({ to: output.to, message: output.message });
        net.queue.push({
          kind: "message",
          envelope: { from: member, to: output.to, message: output.message },
        });
        break;
      case "broadcast":
        net.sent[member]!.push({ to: "all", message: output.message });
        for (let j = 0; j < net.configs.length; j++) {
          if (j === member) continue;
          net.queue.push({ kind: "message", envelope: { from: member, to: j, message: output.message } });
        }
        break;
      case "timer":
        net.timers[member] = { viewId: output.viewId, afterMs: output.afterMs };
        break;
      case "proposalDue":
        if (output.blockNum <= net.maxHeight) {
          const event: ConsensusEvent = {
            kind: "propose",
            viewId: output.viewId,
            transactions: net.transactionsAt(output.blockNum),
            crossLinks: net.crossLinkPool,
            incoming: [],
            time: 2n * output.blockNum,
          };
          net.queue.push({ kind: "event", to: member, event });
        }
        break;
      case "finalized":
        net.finalized[member]!.push({ block: output.block, committed: output.committed });
        break;
      case "evidence":
        net.evidence[member]!.push(output.evidence);
        break;
      case "syncNeeded":
        net.syncRequests[member]!.push(output.blockNum);
        break;
      case "drgTimer":
        net.drgTimers[member] = { viewId: output.viewId, afterMs: output.afterMs };
        break;
      case "vdfDue":
        if (net.answerVdf) {
          const vdf = unwrap(buildRevealField(output.pRnd, net.preset));
          net.queue.push({
            kind: "event",
            to: member,
            event: { kind: "vdfReady", epoch: output.epoch, vdf },
          });
        }
        break;
    }
  }
}

/** Runs one event at a member; a rejection is recorded and the member keeps its state. */
export function apply(net: Net, member: number, event: ConsensusEvent, what: string): string | null {
  if (net.down.has(member)) return null;
  const result = step(net.configs[member]!, net.states[member]!, event);
  if (!result.ok) {
    net.rejections.push({ member, code: result.error.code, what });
    return result.error.code;
  }
  net.states[member] = result.value.state;
  execute(net, member, result.value.outputs);
  return null;
}

/** Delivers queued messages and events in FIFO order until the queue is empty. */
export function run(net: Net, limit = 100_000): void {
  for (let count = 0; net.queue.length > 0; count++) {
    if (count >= limit) throw new Error("the network did not settle");
    const item = net.queue.shift()!;
    if (item.kind === "event") {
      apply(net, item.to, item.event, item.event.kind);
      continue;
    }
    const envelope = item.envelope;
    if (net.down.has(envelope.from) || net.down.has(envelope.to)) continue;
    const verdict = net.intercept(envelope);
    if (verdict === "drop") continue;
    if (verdict === "hold") {
      net.held.push(envelope);
      continue;
    }
    apply(net, envelope.to, { kind: "deliver", message: envelope.message }, envelope.message.type);
  }
}

/** Queues the held envelopes that match, in the order they were held, and runs the network. */
export function release(net: Net, which: (envelope: Envelope) => boolean = () => true): void {
  const keep: Envelope[] = [];
  for (const envelope of net.held.splice(0)) {
    if (which(envelope)) net.queue.push({ kind: "message", envelope });
    else keep.push(envelope);
  }
  net.held.push(...keep);
  run(net);
}

/** Fires the pending view timer of each given member, then runs the network. */
export function fireTimers(net: Net, members: readonly number[]): void {
  for (const member of members) {
    const timer = net.timers[member];
    if (timer === null || timer === undefined) throw new Error(`member ${member} has no timer`);
    net.queue.push({ kind: "event", to: member, event: { kind: "timeout", viewId: timer.viewId } });
  }
  run(net);
}

/** Fires the armed DRG timer of each given member (DRG-ON-TIMER.1), then runs the network. */
export function fireDrgTimers(net: Net, members: readonly number[]): void {
  for (const member of members) {
    const timer = net.drgTimers[member];
    if (timer === null || timer === undefined) throw new Error(`member ${member} has no DRG timer`);
    net.queue.push({ kind: "event", to: member, event: { kind: "drgTimeout", viewId: timer.viewId } });
  }
  run(net);
}

/** The live members. */
export function liveMembers(net: Net): number[] {
  const out: number[] = [];
  for (let i = 0; i < net.configs.length; i++) if (!net.down.has(i)) out.push(i);
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Signed bytes built by hand from the table of FBFT-PAYLOADS.1, for messages a test forges with the labelled
// keys (so that the expectations do not come from the code under test).

/** uint64_le(x). */
export function le64(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value, true);
  return out;
}

function join(...parts: (Uint8Array | number)[]): Uint8Array {
  const bytes: number[] = [];
  for (const part of parts) {
    if (typeof part === "number") bytes.push(part);
    else bytes.push(...part);
  }
  return Uint8Array.from(bytes);
}

export const signedBytes = {
  prepare: (blockNum: bigint, hash: Uint8Array, view: bigint) => join(0x04, le64(blockNum), hash, le64(view)),
  commit: (blockNum: bigint, hash: Uint8Array, blockView: bigint) =>
    join(le64(blockNum), hash, le64(blockView)),
  m3: (blockNum: bigint, view: bigint) => join(le64(blockNum), le64(view)),
  m2: (blockNum: bigint, view: bigint) => join(0x01, le64(blockNum), le64(view)),
  m1: (blockNum: bigint, view: bigint, preparedView: bigint, hash: Uint8Array) =>
    join(0x02, le64(blockNum), le64(view), le64(preparedView), hash),
};

/** A signer bitmap by hand: bit i is bit (i mod 8), least significant first, of byte i div 8. */
export function bitmapOf(committeeSize: number, signers: readonly number[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(committeeSize / 8));
  for (const signer of signers) out[Math.floor(signer / 8)]! |= 1 << (signer % 8);
  return out;
}

/** The members a bitmap marks, by hand. */
export function signersOfBitmap(bitmap: Uint8Array, committeeSize: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < committeeSize; i++) if ((bitmap[Math.floor(i / 8)]! >> (i % 8)) & 1) out.push(i);
  return out;
}

/** Member `member`'s signature over `bytes`. */
export function signAs(net: Net, member: number, bytes: Uint8Array): Uint8Array {
  const config = net.configs[member]!;
  return unwrap(config.bls.sign(config.secretKey!, bytes));
}

/** The certificate of the given members over `bytes`. */
export function certificateOf(net: Net, signers: readonly number[], bytes: Uint8Array): Certificate {
  const signatures = signers.map((signer) => signAs(net, signer, bytes));
  const bls = net.configs[0]!.bls;
  return {
    signature: unwrap(bls.aggregateSignatures(signatures)),
    bitmap: bitmapOf(net.configs.length, signers),
  };
}

/** The messages of one type a member sent, in order. */
export function sentOfType<T extends ConsensusMessage["type"]>(
  net: Net,
  member: number,
  type: T,
): Extract<ConsensusMessage, { type: T }>[] {
  const out: Extract<ConsensusMessage, { type: T }>[] = [];
  for (const sent of net.sent[member]!) {
    if (sent.message.type === type) out.push(sent.message as Extract<ConsensusMessage, { type: T }>);
  }
  return out;
}

/** The first held message of a type addressed to a member. */
export function heldFor<T extends ConsensusMessage["type"]>(
  net: Net,
  member: number,
  type: T,
): Extract<ConsensusMessage, { type: T }> {
  const found = net.held.find((envelope) => envelope.to === member && envelope.message.type === type);
  if (found === undefined) throw new Error(`no ${type} held for member ${member}`);
  return found.message as Extract<ConsensusMessage, { type: T }>;
}

/** STEP at a member without executing the outputs: the result, for a test to inspect. */
export function tryStep(net: Net, member: number, event: ConsensusEvent) {
  return step(net.configs[member]!, net.states[member]!, event);
}

/**
 * Four members; the leader of view 1 (member 0) proposes block 1, its prepared certificate reaches member 2
 * only, no commit reaches it, and it crashes. Members 1–3 time out: member 2 claims the certificate (M1), the
 * others claim nothing (M2), and the leader of view 2 (member 1) re-proposes the block. `viewChange` decides
 * the fate of each message from the timeouts on (all delivered unless given). Returns the network after the
 * run and the hash of the block of view 1.
 */
export function leaderCrashedAfterPrepared(
  bls: BlsBackend,
  preset: Preset,
  maxHeight = 1n,
  viewChange: (envelope: Envelope) => Verdict = () => "deliver",
): { net: Net; hash: Uint8Array } {
  const net = createNet({ preset, powers: [1n, 1n, 1n, 1n], bls, maxHeight });
  net.intercept = (e) => {
    if (e.message.type === "prepared" && e.to !== 2) return "drop";
    return e.message.type === "commit" ? "drop" : "deliver";
  };
  run(net);
  const hash = sentOfType(net, 0, "announce")[0]!.blockHash;
  net.down.add(0);
  net.intercept = viewChange;
  fireTimers(net, [1, 2, 3]);
  return { net, hash };
}

/** A block a test proposes on `ledger`: no transactions, the given time and view, and the given commit certificate. */
export function blockOn(
  net: Net,
  ledger: LedgerState,
  time: bigint,
  viewId: bigint,
  lastCommit: Certificate | null = null,
): { readonly block: Block; readonly bytes: Uint8Array; readonly hash: Uint8Array } {
  const fields = {
    ...plainProposerFields(time, viewId),
    lastCommitSignature: lastCommit === null ? new Uint8Array(96) : lastCommit.signature,
    lastCommitBitmap: lastCommit === null ? new Uint8Array(0) : lastCommit.bitmap,
  };
  const block = unwrap(buildBlock(ledger, [], fields, net.preset)).block;
  return { block, bytes: encodeBlock(block), hash: headerHash(block.header) };
}

/** Member `from`'s request for view `view` at height `blockNum` with a nil claim (M2), signed with its key. */
export function nilRequest(net: Net, from: number, blockNum: bigint, view: bigint): ViewChange {
  return {
    type: "viewChange",
    shardId: net.configs[0]!.shardId,
    blockNum,
    viewId: view,
    signer: from,
    m3Signature: signAs(net, from, signedBytes.m3(blockNum, view)),
    claim: { kind: "nil", signature: signAs(net, from, signedBytes.m2(blockNum, view)) },
  };
}

/** An announce of `block` for view `view`, signed by member `leader`. */
export function announceOf(
  net: Net,
  leader: number,
  view: bigint,
  proposed: { readonly block: Block; readonly bytes: Uint8Array; readonly hash: Uint8Array },
): Extract<ConsensusMessage, { type: "announce" }> {
  return {
    type: "announce",
    shardId: net.configs[0]!.shardId,
    blockNum: proposed.block.header.number,
    viewId: view,
    blockHash: proposed.hash,
    block: proposed.bytes,
    signature: signAs(net, leader, signedBytes.prepare(proposed.block.header.number, proposed.hash, view)),
  };
}
