import { describe, expect, it } from "vitest";
import { genesisSigners } from "../../tools/testing/consensusSigners.ts";
import { bitmapOf, vrfProofOf } from "../../tools/testing/drgFixtures.ts";
import { genesis, transfer } from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { createOf, ONE, stakerSecret } from "../../tools/testing/stakingFixtures.ts";
import type { Committee } from "../consensus/committee.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { plainProposerFields } from "../ledger/buildBlock.ts";
import { genesisAddress } from "../ledger/genesis.ts";
import { headerHash } from "../ledger/header.ts";
import type { Transaction } from "../ledger/transaction.ts";
import { MINIMAL } from "../params/presets.ts";
import { buildCommitField } from "../randomness/commit.ts";
import { buildRevealField } from "../randomness/reveal.ts";
import { drgFieldsExpected } from "../randomness/schedule.ts";
import { drgSeed } from "../randomness/seed.ts";
import { encodeDirective } from "../staking/directives.ts";
import { readRecord } from "../staking/record.ts";
import { STAKING_ADDRESS } from "../staking/transaction.ts";
import { applyBeaconBlock, type BeaconChain, beaconChainAt, buildBeaconBlock } from "./beacon.ts";
import { committeeOwners, shardCommittee } from "./committees.ts";
import { epochCommittee } from "./epoch.ts";
import { decodeShardState } from "./shardState.ts";

const preset = MINIMAL;
const bls = blstBls;
const [G0, G1] = [
  { shard: 0, index: 0 },
  { shard: 0, index: 1 },
];

/** The secret key of each member of `committee`: genesis validators, or the labelled stakers' keys 0–1. */
function secretsOf(committee: Committee): Uint8Array[] {
  const known = new Map<string, Uint8Array>();
  for (const signer of genesisSigners(0, preset.slotsPerShard))
    known.set(bytesToHex(signer.publicKey), signer.secretKey);
  for (const owner of [100, 101]) {
    for (const index of [0, 1]) {
      const secret = stakerSecret(owner, index);
      known.set(bytesToHex(unwrap(bls.secretToPublic(secret))), secret);
    }
  }
  return committee.members.map((m) => known.get(bytesToHex(m.publicKey))!);
}

/** The next beacon block of `txs`, with the randomness fields its height needs and every member's commit bit. */
function next(chain: BeaconChain, txs: readonly Transaction[]): Block {
  const head = chain.ledger.head;
  const number = head.number + 1n;
  const fields = { ...plainProposerFields(head.time + 2n, head.viewId + 1n) };
  const entering = number / BigInt(preset.blocksPerEpoch) > head.epoch;
  const inForce = entering ? (chain.pending ?? chain.current) : chain.current;
  const committee = unwrap(epochCommittee(inForce, 0, preset, bls));
  const role = drgFieldsExpected(0, number, preset);
  if (role === "commit") {
    const seed = drgSeed({ blockNum: number, viewId: fields.viewId, parentHash: headerHash(head) }, preset);
    const shares = secretsOf(committee).map((secret, signer) => ({
      signer,
      proof: vrfProofOf(secret, seed),
    }));
    fields.vrf = unwrap(buildCommitField(shares, committee, bls));
  }
  if (role === "reveal") fields.vdf = unwrap(buildRevealField(chain.drg.pRnd!, preset));
  if (chain.current !== null) {
    // Every member of the parent's committee signed it.
    const size = unwrap(shardCommittee(chain.current, 0, preset, bls)).members.length;
    fields.lastCommitBitmap = bitmapOf(
      size,
      Array.from({ length: size }, (_, i) => i),
    );
  }
  const { shardState: _, ...rest } = fields;
  return unwrap(buildBeaconBlock(chain, txs, rest, preset, bls)).block;
}

function extend(chain: BeaconChain, txs: readonly Transaction[] = []): BeaconChain {
  return unwrap(applyBeaconBlock(chain, next(chain, txs), preset, bls));
}

const stake = (from: typeof G0, owner: number, amount: bigint, keys: number) =>
  transfer(preset, from, 0n, STAKING_ADDRESS, 0n, {
    data: encodeDirective(createOf(owner, amount, keys)),
    gasLimit: 300_000n,
  });

/** Epoch 0 of the minimal preset: two validators register in block 2; the epoch ends at block 7. */
function throughEpoch0(): BeaconChain[] {
  const chains = [beaconChainAt(genesis(preset, 0))];
  for (let n = 1; n <= 7; n++) {
    const txs = n === 2 ? [stake(G0, 100, 50n * ONE, 2), stake(G1, 101, 30n * ONE, 1)] : [];
    chains.push(extend(chains.at(-1)!, txs));
  }
  return chains;
}

describe("SHARD-BEACON-BLOCK", () => {
  // @covers SHARD-BEACON-BLOCK.1 SHARD-EPOCH-END.1 SHARD-OWNERS.1 STAKE-TRANSACTION.1
  it("runs epoch 0's randomness, elects at its last block, and rewards the first elected committee's blocks", () => {
    const chains = throughEpoch0();
    // Block 1 commits pRnd, block 4 reveals Rnd_0 (offset 1 + delay 3).
    expect(chains[1]!.drg.pRnd).not.toBeNull();
    expect(chains[4]!.drg.rnd).not.toBeNull();
    const last = chains[7]!;
    // 80 ONE over 8 seats: λ = 10 ONE; validator G0 (50 ONE) takes 5 shares, G1 (30 ONE) 3.
    const written = unwrap(decodeShardState(last.ledger.head.shardState, preset));
    expect(last.pending).toEqual(written);
    expect(written.epoch).toBe(1n);
    expect(written.rnd).toEqual(chains[4]!.drg.rnd);
    const count = (g: number) =>
      written.seats.filter((seat) => bytesToHex(seat.validator) === bytesToHex(genesisAddress(0, g))).length;
    expect([count(0), count(1)]).toEqual([5, 3]);
    // Block 8 enters epoch 1; its parent was signed by a genesis committee, so nothing is minted.
    const supply = (c: BeaconChain) =>
      [...c.ledger.accounts.values()].reduce(
        (sum, a) => sum + a.balance + a.delegated + a.undelegating + a.rewards,
        0n,
      );
    const eight = extend(last);
    expect(eight.current).toEqual(written);
    expect(supply(eight)).toBe(supply(last));
    // Block 9 carries the certificate of block 8, signed by epoch 1's committee: exactly one reward is minted.
    const nine = extend(eight);
    expect(supply(nine) - supply(eight)).toBe(preset.blockReward);
    const committee = unwrap(shardCommittee(written, 0, preset, bls));
    const owners = new Set(committeeOwners(written, committee).map(bytesToHex));
    const earned = [...owners].map(
      (owner) => readRecord(nine.ledger.accounts, bytesFromHex(owner))!.delegations[0]!.reward,
    );
    expect(earned.reduce((a, b) => a + b, 0n)).toBe(preset.blockReward);
  });

  // @covers SHARD-BEACON-BLOCK.1
  it("refuses a wrong shard state, unsupported fields, another shard's block and a missing commitment", () => {
    const chains = throughEpoch0();
    const before = chains[6]!;
    const last = next(before, []);
    const tamper = (changes: Partial<Block["header"]>): Block => ({
      ...last,
      header: { ...last.header, ...changes },
    });
    expect(resultCode(applyBeaconBlock(before, tamper({ shardState: new Uint8Array(0) }), preset, bls))).toBe(
      "SHARD_STATE_MISMATCH",
    );
    expect(resultCode(applyBeaconBlock(before, tamper({ slashes: Uint8Array.of(0xc0) }), preset, bls))).toBe(
      "SHARD_FIELD_UNSUPPORTED",
    );
    expect(resultCode(applyBeaconBlock(before, tamper({ shardId: 1 }), preset, bls))).toBe(
      "SHARD_NOT_BEACON",
    );
    const first = next(chains[0]!, []);
    expect(
      resultCode(
        applyBeaconBlock(
          chains[0]!,
          { ...first, header: { ...first.header, vrf: new Uint8Array(0) } },
          preset,
          bls,
        ),
      ),
    ).toBe("DRG_COMMIT_MISSING");
  });
});
