import type { Committee } from "../../reference/consensus/committee.ts";
import { preparePayload } from "../../reference/consensus/payloads.ts";
import type { IncomingEntry } from "../../reference/crossshard/incoming.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { genesisAddress } from "../../reference/ledger/genesis.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { buildCommitField } from "../../reference/randomness/commit.ts";
import { buildRevealField } from "../../reference/randomness/reveal.ts";
import { drgFieldsExpected } from "../../reference/randomness/schedule.ts";
import { drgSeed } from "../../reference/randomness/seed.ts";
import type { SlashRecord } from "../../reference/rewards/slash.ts";
import {
  applyBeaconBlock,
  type BeaconChain,
  beaconChainAt,
  buildBeaconBlock,
  currentShardState,
  shardStateFor,
} from "../../reference/sharding/beacon.ts";
import { shardCommittee } from "../../reference/sharding/committees.ts";
import { epochCommittee } from "../../reference/sharding/epoch.ts";
import type { ShardState } from "../../reference/sharding/shardState.ts";
import { encodeDirective } from "../../reference/staking/directives.ts";
import { STAKING_ADDRESS } from "../../reference/staking/transaction.ts";
import { genesisSigners } from "./consensusSigners.ts";
import { bitmapOf, vrfProofOf } from "./drgFixtures.ts";
import { type GenesisAccount, genesis, transfer } from "./ledgerChains.ts";
import { createOf, stakerSecret } from "./stakingFixtures.ts";

/*
 * Beacon chains for tests and vectors: blocks whose randomness fields are made from every member's share, whose
 * commit bitmap names every member of the parent's committee, and whose validators register by transaction.
 */

const bls = blstBls;

/** The labelled stakers that register in `epochZeroChain`, and their genesis accounts. */
export const STAKERS = [
  { account: { shard: 0, index: 0 }, owner: 100, keys: 2, units: 5n },
  { account: { shard: 0, index: 1 }, owner: 101, keys: 1, units: 3n },
] as const;

/** The secret key of each member of `committee`: genesis validators of any shard, or the stakers' keys. */
export function secretsOf(committee: Committee, preset: Preset): Uint8Array[] {
  const known = new Map<string, Uint8Array>();
  for (let shard = 0; shard < preset.numShards; shard++) {
    for (const signer of genesisSigners(shard, preset.slotsPerShard)) {
      known.set(bytesToHex(signer.publicKey), signer.secretKey);
    }
  }
  for (const { owner, keys } of STAKERS) {
    for (let index = 0; index < keys; index++) {
      const secret = stakerSecret(owner, index);
      known.set(bytesToHex(unwrap(bls.secretToPublic(secret))), secret);
    }
  }
  return committee.members.map((m) => known.get(bytesToHex(m.publicKey))!);
}

/**
 * The next beacon block of `txs` (and `slashes` and `crossLinks`, encoded header fields, and incoming entries), with the randomness
 * fields its height needs and every member's commit bit.
 */
export function nextBeaconBlock(
  chain: BeaconChain,
  txs: readonly Transaction[],
  preset: Preset,
  slashes: Uint8Array = new Uint8Array(0),
  crossLinks: Uint8Array = new Uint8Array(0),
  incoming: readonly IncomingEntry[] = [],
): Block {
  const head = chain.head;
  const number = head.number + 1n;
  const { shardState: _, ...plain } = plainProposerFields(head.time + 2n, head.viewId + 1n);
  const fields = { ...plain, slashes, crossLinks };
  const inForce = shardStateFor(chain, number / BigInt(preset.blocksPerEpoch));
  const committee = unwrap(epochCommittee(inForce, 0, preset, bls));
  const role = drgFieldsExpected(0, number, preset);
  if (role === "commit") {
    const seed = drgSeed({ blockNum: number, viewId: fields.viewId, parentHash: headerHash(head) }, preset);
    const shares = secretsOf(committee, preset).map((secret, signer) => ({
      signer,
      proof: vrfProofOf(secret, seed),
    }));
    fields.vrf = unwrap(buildCommitField(shares, committee, bls));
  }
  if (role === "reveal") fields.vdf = unwrap(buildRevealField(chain.drg.pRnd!, preset));
  const current = currentShardState(chain);
  if (current !== null) {
    // Every member of the parent's committee signed it.
    const size = unwrap(shardCommittee(current, 0, preset, bls)).members.length;
    fields.lastCommitBitmap = bitmapOf(
      size,
      Array.from({ length: size }, (_, i) => i),
    );
  }
  return unwrap(buildBeaconBlock(chain, txs, fields, preset, bls, incoming)).block;
}

/** The CreateValidator transaction of a staker, bonding `units` minimum self-delegations. */
export function stakeTransaction(
  preset: Preset,
  account: GenesisAccount,
  owner: number,
  keys: number,
  units: bigint,
): Transaction {
  return transfer(preset, account, 0n, STAKING_ADDRESS, 0n, {
    data: encodeDirective(
      createOf(owner, units * preset.minSelfDelegation, keys, {
        minSelfDelegation: preset.minSelfDelegation,
        maxTotalDelegation: preset.minSelfDelegation * 100n,
      }),
    ),
    gasLimit: 300_000n,
  });
}

/**
 * The blocks of a beacon chain from genesis through `blocks` blocks: the stakers register in block 2, and every
 * other block is empty. Returns every chain state, genesis first, and the blocks.
 */
export function epochZeroChain(preset: Preset, blocks: number): { chains: BeaconChain[]; blocks: Block[] } {
  const chains = [beaconChainAt(genesis(preset, 0))];
  const out: Block[] = [];
  for (let n = 1; n <= blocks; n++) {
    const txs =
      n === 2 ? STAKERS.map((s) => stakeTransaction(preset, s.account, s.owner, s.keys, s.units)) : [];
    const block = nextBeaconBlock(chains.at(-1)!, txs, preset);
    out.push(block);
    chains.push(unwrap(applyBeaconBlock(chains.at(-1)!, block, preset, bls)));
  }
  return { chains, blocks: out };
}

/**
 * A slash record against the first staker: its key 0, in the shard it serves in under `state`, signs two
 * prepares for different blocks at one height and view.
 */
export function doubleSignRecord(state: ShardState, preset: Preset): SlashRecord {
  const secret = stakerSecret(STAKERS[0].owner, 0);
  const key = unwrap(bls.secretToPublic(secret));
  const shard = state.seats.find((seat) => bytesToHex(seat.key) === bytesToHex(key))!.shard;
  const committee = unwrap(shardCommittee(state, shard, preset, bls));
  const member = committee.members.findIndex((m) => bytesToHex(m.publicKey) === bytesToHex(key));
  const vote = (hashByte: number) => {
    const blockHash = new Uint8Array(32).fill(hashByte);
    return {
      kind: "prepare" as const,
      blockNum: 20n,
      viewId: 3n,
      blockHash,
      bitmap: bitmapOf(committee.members.length, [member]),
      signature: unwrap(bls.sign(secret, preparePayload(20n, blockHash, 3n))),
    };
  };
  return {
    epoch: state.epoch,
    shard,
    offender: genesisAddress(0, STAKERS[0].account.index),
    evidence: { first: vote(1), second: vote(2) },
  };
}
