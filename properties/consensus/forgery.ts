import {
  aggregateCertificate,
  type ConsensusMessage,
  commitPayload,
  m1Payload,
  m3Payload,
  preparePayload,
  turnOf,
} from "../../reference/consensus/index.ts";
import { unwrap } from "../../reference/errors.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import type { NodeState } from "../../sim/fbft/driver.ts";
import { type ForgingKey, forgedAnnounce, forgedViewChange } from "../../sim/fbft/forged.ts";
import type { Forgery } from "./commands.ts";
import type { World } from "./world.ts";

/*
 * The adversary commands' messages, signed by a Byzantine key: forged.ts's view changes and proposals aimed
 * at an honest member's position, votes for and replays of what the network carried, and claims and bitmaps
 * that break a rule.
 */

/** Marks the blocks the adversary builds, so they never coincide with an honest proposal. */
const FORGED_EXTRA = new TextEncoder().encode("forged by a byzantine key");

/** The `at`-th honest machine that is up (picks wrap around): the position a forged message aims at. */
function targetState(world: World, at: number): NodeState | undefined {
  const states = world.honestStates();
  return states.length === 0 ? undefined : states[at % states.length]!.state;
}

/** The view a member is changing to, or else the next one it would ask for (VIEW-NEXT.1), plus some turns. */
function askedView(world: World, state: NodeState, turnsAhead: number): bigint {
  const next = state.consensus.mode === "viewChanging" ? 0n : 1n;
  const turn = turnOf(state.consensus.view, world.preset) + next + BigInt(turnsAhead);
  return turn * BigInt(world.preset.leaderTerm);
}

function sign(world: World, signer: number, payload: Uint8Array): Uint8Array {
  return unwrap(world.bls.sign(world.committee.secretKeys[signer]!, payload));
}

function keyOf(world: World, signer: number): ForgingKey {
  return {
    shardId: world.committee.shard,
    preset: world.preset,
    signer,
    sign: (payload) => sign(world, signer, payload),
  };
}

/** Any 32 bytes that are not the root of the state after an empty block. */
const WRONG_STATE_ROOT = new Uint8Array(32).fill(0x5a);

/**
 * The message `forgery` describes, signed by member `signer`; undefined when there is nothing to base it on
 * (no message seen yet, no honest member up).
 */
export function forge(world: World, signer: number, forgery: Forgery): ConsensusMessage | undefined {
  const shardId = world.committee.shard;
  const term = BigInt(world.preset.leaderTerm);
  switch (forgery.kind) {
    case "replay":
      return world.seen.length === 0 ? undefined : world.seen[forgery.pick % world.seen.length];
    case "vote": {
      const proposals = world.seen.filter((m) => m.type === "announce" || m.type === "prepared");
      const proposal = proposals[forgery.pick % Math.max(proposals.length, 1)];
      if (proposal === undefined || (proposal.type !== "announce" && proposal.type !== "prepared")) {
        return undefined;
      }
      const base = { shardId, blockNum: proposal.blockNum, viewId: proposal.viewId };
      if (forgery.phase === "prepare") {
        const signature = sign(
          world,
          signer,
          preparePayload(proposal.blockNum, proposal.blockHash, proposal.viewId),
        );
        return { ...base, type: "prepare", blockHash: proposal.blockHash, signer, signature };
      }
      const block = decodeBlock(proposal.block, world.preset);
      if (!block.ok) return undefined;
      const blockViewId = block.value.header.viewId;
      const signature = sign(
        world,
        signer,
        commitPayload(proposal.blockNum, proposal.blockHash, blockViewId),
      );
      return { ...base, type: "commit", blockHash: proposal.blockHash, blockViewId, signer, signature };
    }
    case "viewChange": {
      const state = targetState(world, forgery.at);
      if (state === undefined) return undefined;
      const height = state.consensus.ledger.head.number + 1n;
      return forgedViewChange(keyOf(world, signer), height, askedView(world, state, forgery.turnsAhead));
    }
    case "announce":
    case "invalidBlock": {
      const state = targetState(world, forgery.at);
      if (state === undefined) return undefined;
      const n = BigInt(world.committee.committee.members.length);
      const current = turnOf(state.consensus.view, world.preset);
      const untilOwn = (((BigInt(signer) - current) % n) + n) % n;
      const turn = current + untilOwn + BigInt(forgery.turnsAhead) * n;
      // Within the current turn, the current view: a header's view must be above the head's (HEADER-VALIDATE).
      const view = turn === current ? state.consensus.view : turn * term;
      const clock = BigInt(Math.floor(world.simulation.now / 1000)) + world.preset.genesisTime;
      return forgedAnnounce(keyOf(world, signer), state.consensus, view, clock, {
        extra: FORGED_EXTRA,
        ...(forgery.kind === "invalidBlock" ? { stateRoot: WRONG_STATE_ROOT } : {}),
      });
    }
    case "badBitmap": {
      const carriers = world.seen.filter(
        (m) => m.type === "prepared" || m.type === "committed" || m.type === "newView",
      );
      const message = carriers[forgery.pick % Math.max(carriers.length, 1)];
      if (message === undefined) return undefined;
      const resize = (bitmap: Uint8Array): Uint8Array =>
        forgery.longer ? Uint8Array.of(...bitmap, 0) : bitmap.subarray(0, Math.max(bitmap.length - 1, 0));
      if (message.type === "newView")
        return { ...message, m3: { ...message.m3, bitmap: resize(message.m3.bitmap) } };
      if (message.type === "prepared" || message.type === "committed") {
        return {
          ...message,
          certificate: { ...message.certificate, bitmap: resize(message.certificate.bitmap) },
        };
      }
      return undefined;
    }
    case "weakClaim": {
      const state = targetState(world, forgery.at);
      if (state === undefined) return undefined;
      const height = state.consensus.ledger.head.number + 1n;
      const proposals = world.seen.filter((m) => m.type === "announce" && m.blockNum === height);
      const claimed = proposals[forgery.pick % Math.max(proposals.length, 1)];
      if (claimed === undefined || claimed.type !== "announce") return undefined;
      const view = askedView(world, state, 0);
      if (claimed.viewId >= view) return undefined;
      const vote = sign(world, signer, preparePayload(height, claimed.blockHash, claimed.viewId));
      const members = world.committee.committee.members.length;
      const certificate = unwrap(aggregateCertificate([{ signer, signature: vote }], members, world.bls));
      return {
        type: "viewChange",
        shardId,
        blockNum: height,
        viewId: view,
        signer,
        m3Signature: sign(world, signer, m3Payload(height, view)),
        claim: {
          kind: "prepared",
          preparedViewId: claimed.viewId,
          preparedHash: claimed.blockHash,
          preparedBlock: claimed.block,
          preparedCertificate: certificate,
          signature: sign(world, signer, m1Payload(height, view, claimed.viewId, claimed.blockHash)),
        },
      };
    }
  }
}
