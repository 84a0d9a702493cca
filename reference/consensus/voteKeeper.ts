import { bytesToHex } from "../encoding/json.ts";
import { err, ok, type Result } from "../errors.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Committee } from "./committee.ts";
import { type DoubleSignEvidence, signedVoteOf } from "./evidence.ts";

/*
 * The leader's vote keeper (§6.5): the votes of one kind and one view key, at most one per signer, and the
 * power each block hash has gathered.
 */

/**
 * A vote whose signature has been verified. `viewId` is the view its payload names: the view of a prepare,
 * the block's header view (`blockViewId`) of a commit. Both payloads name the height `blockNum`.
 *
 * @spec VOTE-KEEPER.1
 */
export interface Vote {
  readonly kind: "prepare" | "commit";
  readonly blockNum: bigint;
  readonly viewId: bigint;
  readonly blockHash: Uint8Array;
  readonly signer: number;
  readonly signature: Uint8Array;
}

/**
 * The votes of one kind and one view key `(blockNum, viewId)`, where a commits keeper's `viewId` is the header
 * view of the block being committed, by signer, and the power gathered per block hash (keyed by the hash's 0x
 * hex).
 *
 * @spec VOTE-KEEPER.1
 */
export interface VoteKeeper {
  readonly kind: "prepare" | "commit";
  readonly blockNum: bigint;
  readonly viewId: bigint;
  readonly votes: ReadonlyMap<number, Vote>;
  readonly power: ReadonlyMap<string, bigint>;
}

/**
 * A keeper with no votes for the given kind and view key.
 *
 * @spec VOTE-KEEPER.1
 */
export function emptyVoteKeeper(kind: "prepare" | "commit", blockNum: bigint, viewId: bigint): VoteKeeper {
  return { kind, blockNum, viewId, votes: new Map(), power: new Map() };
}

/** Whether a vote carries the keeper's kind and view key. */
function hasKeepersKey(keeper: VoteKeeper, vote: Vote): boolean {
  return vote.kind === keeper.kind && vote.blockNum === keeper.blockNum && vote.viewId === keeper.viewId;
}

/**
 * VOTE-ADD(K, vote, C) (L1–L5) for a vote whose signature has been verified. A signer's first vote counts; a
 * second one for the same block raises VOTE_DUPLICATE, and one for another block is not counted and comes
 * back as double-sign evidence. The vote must carry the keeper's kind and view key, and its signer must be a
 * member, as FBFT-RECEIVE L2 and AUTHENTICATE make sure: a vote signed over another payload would spoil the
 * keeper's certificate, so adding one is a defect of the caller and throws a RangeError.
 *
 * @spec VOTE-KEEPER.1
 */
export function addVote(
  keeper: VoteKeeper,
  vote: Vote,
  committee: Committee,
): Result<{ readonly keeper: VoteKeeper; readonly evidence: DoubleSignEvidence | null }> {
  if (!hasKeepersKey(keeper, vote)) {
    throw new RangeError(
      `a ${vote.kind} vote for (${vote.blockNum}, ${vote.viewId}) added to the ${keeper.kind} keeper of ` +
        `(${keeper.blockNum}, ${keeper.viewId})`,
    );
  }
  const member = committee.members[vote.signer];
  if (member === undefined) {
    throw new RangeError(`signer ${vote.signer} of a verified vote is not a member of the committee`);
  }
  const earlier = keeper.votes.get(vote.signer);
  if (earlier !== undefined) {
    // VOTE-ADD L1
    if (bytesEqual(earlier.blockHash, vote.blockHash)) {
      return err("VOTE_DUPLICATE", `signer ${vote.signer} already voted for this block`); // VOTE-ADD L2
    }
    const size = committee.members.length;
    return ok({ keeper, evidence: { first: signedVoteOf(earlier, size), second: signedVoteOf(vote, size) } }); // L3
  }
  const votes = new Map(keeper.votes);
  votes.set(vote.signer, vote);
  const hash = bytesToHex(vote.blockHash);
  const power = new Map(keeper.power);
  power.set(hash, (keeper.power.get(hash) ?? 0n) + member.power); // VOTE-ADD L4
  return ok({ keeper: { ...keeper, votes, power }, evidence: null }); // VOTE-ADD L5
}

/**
 * K.power[hash]: the power of the members whose counted vote is for `hash`.
 *
 * @spec VOTE-KEEPER.1
 */
export function powerFor(keeper: VoteKeeper, hash: Uint8Array): bigint {
  return keeper.power.get(bytesToHex(hash)) ?? 0n;
}

/**
 * The counted votes for `hash`, by ascending signer: what QC-AGGREGATE takes.
 *
 * @spec VOTE-KEEPER.1
 */
export function votesFor(keeper: VoteKeeper, hash: Uint8Array): Vote[] {
  const out: Vote[] = [];
  for (const vote of keeper.votes.values()) if (bytesEqual(vote.blockHash, hash)) out.push(vote);
  out.sort((a, b) => a.signer - b.signer);
  return out;
}
