import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { unwrap } from "../errors.ts";
import { type Committee, checkCommittee, genesisValidatorSecretKey } from "./committee.ts";
import { verifyEvidence } from "./evidence.ts";
import { commitPayload, preparePayload } from "./payloads.ts";
import { addVote, emptyVoteKeeper, powerFor, type Vote, type VoteKeeper, votesFor } from "./voteKeeper.ts";

const SECRET_KEYS = Array.from({ length: 5 }, (_, i) => genesisValidatorSecretKey(0, i));
const POWERS = [4n, 1n, 2n, 1n, 3n];
const COMMITTEE: Committee = unwrap(
  checkCommittee(
    POWERS.map((power, i) => ({ publicKey: unwrap(blstBls.secretToPublic(SECRET_KEYS[i]!)), power })),
    blstBls,
  ),
);
const HASHES = [0x11, 0x22, 0x33].map((b) => new Uint8Array(32).fill(b));

function prepare(signer: number, hash: Uint8Array, view = 6n): Vote {
  const signature = unwrap(blstBls.sign(SECRET_KEYS[signer]!, preparePayload(3n, hash, view)));
  return { kind: "prepare", blockNum: 3n, viewId: view, blockHash: hash, signer, signature };
}

function commit(signer: number, hash: Uint8Array, blockNum = 3n, blockViewId = 2n): Vote {
  const signature = unwrap(blstBls.sign(SECRET_KEYS[signer]!, commitPayload(blockNum, hash, blockViewId)));
  return { kind: "commit", blockNum, viewId: blockViewId, blockHash: hash, signer, signature };
}

function add(keeper: VoteKeeper, vote: Vote): VoteKeeper {
  const added = unwrap(addVote(keeper, vote, COMMITTEE));
  expect(added.evidence).toBeNull();
  return added.keeper;
}

describe("vote keeper", () => {
  // @covers VOTE-KEEPER.1
  it("counts each signer's power for the block it voted for", () => {
    let keeper = emptyVoteKeeper("prepare", 3n, 6n);
    keeper = add(keeper, prepare(4, HASHES[0]!));
    keeper = add(keeper, prepare(1, HASHES[1]!));
    keeper = add(keeper, prepare(0, HASHES[0]!));
    expect(powerFor(keeper, HASHES[0]!)).toBe(7n);
    expect(powerFor(keeper, HASHES[1]!)).toBe(1n);
    expect(powerFor(keeper, HASHES[2]!)).toBe(0n);
    expect(votesFor(keeper, HASHES[0]!).map((v) => v.signer)).toEqual([0, 4]);
    expect(votesFor(keeper, HASHES[2]!)).toEqual([]);
  });

  // @covers VOTE-KEEPER.1
  it("leaves the keeper it was given unchanged", () => {
    const empty = emptyVoteKeeper("prepare", 3n, 6n);
    const one = add(empty, prepare(2, HASHES[0]!));
    add(one, prepare(3, HASHES[0]!));
    expect(empty.votes.size).toBe(0);
    expect(powerFor(empty, HASHES[0]!)).toBe(0n);
    expect(one.votes.size).toBe(1);
    expect(powerFor(one, HASHES[0]!)).toBe(2n);
  });

  // @covers VOTE-KEEPER.1
  it("refuses a second vote for the same block", () => {
    const keeper = add(emptyVoteKeeper("commit", 3n, 2n), commit(1, HASHES[0]!));
    expect(resultCode(addVote(keeper, commit(1, HASHES[0]!), COMMITTEE))).toBe("VOTE_DUPLICATE");
  });

  // @covers VOTE-KEEPER.1 EVIDENCE-FORMAT.1
  it("turns a conflicting vote into evidence that verifies, without counting it", () => {
    for (const [first, second] of [
      [prepare(2, HASHES[0]!), prepare(2, HASHES[1]!)],
      [commit(4, HASHES[1]!), commit(4, HASHES[2]!)],
    ] as const) {
      const keeper = add(emptyVoteKeeper(first.kind, first.blockNum, first.viewId), first);
      const result = unwrap(addVote(keeper, second, COMMITTEE));
      expect(result.keeper).toBe(keeper);
      expect(powerFor(result.keeper, second.blockHash)).toBe(0n);
      const evidence = result.evidence!;
      expect(evidence.first.blockHash).toEqual(first.blockHash);
      expect(evidence.second.blockHash).toEqual(second.blockHash);
      expect(evidence.first.signature).toEqual(first.signature);
      expect(unwrap(verifyEvidence(evidence, COMMITTEE, blstBls))).toEqual([first.signer]);
    }
  });

  // @covers VOTE-KEEPER.1
  it("refuses an unknown signer, and a vote of another kind or view key, as caller defects", () => {
    const prepares = emptyVoteKeeper("prepare", 3n, 6n);
    const commits = emptyVoteKeeper("commit", 3n, 2n);
    expect(() => addVote(prepares, { ...prepare(0, HASHES[0]!), signer: 5 }, COMMITTEE)).toThrow(RangeError);
    const misplaced: readonly [VoteKeeper, Vote][] = [
      [prepares, commit(0, HASHES[0]!, 3n, 6n)],
      [prepares, prepare(0, HASHES[0]!, 7n)],
      [prepares, { ...prepare(0, HASHES[0]!), blockNum: 9n }],
      [commits, commit(0, HASHES[0]!, 3n, 1n)],
      [commits, commit(0, HASHES[0]!, 4n, 2n)],
      [commits, prepare(0, HASHES[0]!, 2n)],
    ];
    for (const [keeper, vote] of misplaced)
      expect(() => addVote(keeper, vote, COMMITTEE)).toThrow(RangeError);
  });

  // @covers VOTE-KEEPER.1
  it("agrees with a first-vote-counts tally over any sequence of votes", () => {
    const votes = [0, 1, 2, 3, 4].flatMap((signer) => HASHES.map((hash) => prepare(signer, hash)));
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: votes.length - 1 }), { maxLength: 30 }), (picks) => {
        let keeper = emptyVoteKeeper("prepare", 3n, 6n);
        const firstVote = new Map<number, number>(); // signer → hash index
        for (const pick of picks) {
          const vote = votes[pick]!;
          const hashIndex = pick % HASHES.length;
          const earlier = firstVote.get(vote.signer);
          const outcome = addVote(keeper, vote, COMMITTEE);
          if (earlier === undefined) {
            firstVote.set(vote.signer, hashIndex);
            keeper = unwrap(outcome).keeper;
          } else if (earlier === hashIndex) expect(resultCode(outcome)).toBe("VOTE_DUPLICATE");
          else expect(unwrap(outcome).evidence).not.toBeNull();
        }
        for (let h = 0; h < HASHES.length; h++) {
          let power = 0n;
          const signers: number[] = [];
          for (let s = 0; s < POWERS.length; s++) {
            if (firstVote.get(s) === h) {
              power += POWERS[s]!;
              signers.push(s);
            }
          }
          expect(powerFor(keeper, HASHES[h]!)).toBe(power);
          expect(votesFor(keeper, HASHES[h]!).map((v) => v.signer)).toEqual(signers);
        }
      }),
      { numRuns: 200 },
    );
  });
});
