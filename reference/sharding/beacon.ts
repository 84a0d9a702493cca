import type { Committee } from "../consensus/committee.ts";
import { includeCrossLinks } from "../crossshard/crosslink.ts";
import type { CrossShardState } from "../crossshard/crossShardState.ts";
import type { IncomingEntry } from "../crossshard/incoming.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import {
  checkStateRoot,
  crossShardOf,
  executeBlock,
  type LedgerState,
  ledgerAfter,
} from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import { type BuiltBlock, buildBlock, type ProposerFields } from "../ledger/buildBlock.ts";
import type { BlockHeader } from "../ledger/header.ts";
import type { AccountState } from "../ledger/state.ts";
import { stateRoot } from "../ledger/state.ts";
import { checkTransactionStateless, type Transaction } from "../ledger/transaction.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { Preset } from "../params/presets.ts";
import { type DrgState, drgAdvance, drgEpochStart } from "../randomness/advance.ts";
import { rewardBlock } from "../rewards/reward.ts";
import { slash } from "../rewards/slash.ts";
import { decodeSlashRecords } from "../rewards/slashRecords.ts";
import { committeeOwners, shardCommittee } from "./committees.ts";
import { epochCommittee, inForce } from "./epoch.ts";
import { endEpoch } from "./epochEnd.ts";
import { encodeShardState, type ShardState } from "./shardState.ts";

/*
 * The beacon chain's blocks (§10.8): a shard-0 block is a ledger block (chapter 5) followed by the randomness,
 * the reward of its parent and, in the last block of an epoch, the epoch transition, before its state root.
 */

/**
 * What a beacon node keeps besides its ledger: every elected shard state that has been in force, in epoch order
 * (the last is the one in force for the head's epoch; none while the genesis committees serve), the state the head
 * wrote for the next epoch if the head ends an epoch, and the randomness of the head's epoch.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export interface BeaconChain extends LedgerState {
  readonly elected: readonly ShardState[];
  readonly pending: ShardState | null;
  readonly drg: DrgState;
  /** Shard → the height of its last crosslinked block (XLINK-INCLUDE.2); a shard not listed has none. */
  readonly crossLinked: ReadonlyMap<number, bigint>;
}

/**
 * The beacon chain at its genesis block: genesis committees, nothing pending, epoch 0's randomness to come, no
 * crosslinks.
 */
export function beaconChainAt(ledger: LedgerState): BeaconChain {
  return {
    ...ledger,
    elected: [],
    pending: null,
    drg: drgEpochStart(ledger.head.epoch),
    crossLinked: new Map(),
  };
}

/**
 * T.current: the shard state in force for the head's epoch, the last elected one, or null while the genesis
 * committees serve.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export function currentShardState(chain: BeaconChain): ShardState | null {
  return chain.elected.at(-1) ?? null;
}

/**
 * SHARD-BEACON-BLOCK L3: the elected states a block of `epoch` sees, every state in force so far up to its own:
 * `T.elected`, with the block's state appended when the block brings a new one into force.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export function electedFor(chain: BeaconChain, epoch: bigint): readonly ShardState[] {
  const current = currentShardState(chain);
  const inForceNow = shardStateFor(chain, epoch);
  return inForceNow !== null && inForceNow !== current ? [...chain.elected, inForceNow] : chain.elected; // L3
}

/**
 * SHARD-BEACON-BLOCK L3: the shard state in force for a block of `epoch` on top of the chain's head: the one the
 * head wrote when the block enters a new epoch, else the head's.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export function shardStateFor(chain: BeaconChain, epoch: bigint): ShardState | null {
  const current = currentShardState(chain);
  return epoch > chain.head.epoch ? (chain.pending ?? current) : current;
}

const empty = new Uint8Array(0);

interface BlockEnd {
  readonly accounts: AccountState;
  readonly crossShard: CrossShardState;
  readonly chain: Omit<BeaconChain, keyof LedgerState>;
  readonly shardState: Uint8Array;
}

/**
 * BEACON-BLOCK-END (SHARD-BEACON-BLOCK L3–L11): the state and beacon data after block `header`, from the state its
 * transactions left. Shared by proposers and validators, so that both run one procedure.
 */
function blockEnd(
  chain: BeaconChain,
  header: BlockHeader,
  accounts: AccountState,
  crossShard: CrossShardState,
  preset: Preset,
  bls: BlsBackend,
): BlockEnd {
  const current = currentShardState(chain);
  const inForceNow = shardStateFor(chain, header.epoch); // L3
  const elected = electedFor(chain, header.epoch); // L3
  const committee: Committee = unwrap(epochCommittee(inForceNow, 0, preset, bls));
  const drg = unwrap(drgAdvance(chain.drg, header, committee, preset, bls)); // L4
  let after = accounts;
  for (const record of unwrap(decodeSlashRecords(header.slashes))) {
    // L5
    const then = inForce(elected, record.epoch);
    if (then === null) {
      throw new SpecError("SHARD_SLASH_UNELECTED", `no elected committee served epoch ${record.epoch}`); // L6
    }
    const accused = unwrap(shardCommittee(then, record.shard, preset, bls));
    const owners = committeeOwners(then, accused);
    after = unwrap(slash(after, record, accused, owners, header.epoch, header.coinbase, preset, bls)).state; // L7
  }
  if (chain.head.number >= 1n && current !== null) {
    // Within an epoch the parent's committee is the block's own, already built for L4.
    const signers = current === inForceNow ? committee : unwrap(shardCommittee(current, 0, preset, bls)); // L8
    const owners = committeeOwners(current, signers);
    after = unwrap(rewardBlock(after, signers, owners, header.lastCommitBitmap, preset)).state; // L9
  }
  const links = unwrap(
    includeCrossLinks(
      header.crossLinks,
      header.epoch,
      after,
      crossShard,
      chain.crossLinked,
      elected,
      preset,
      bls,
    ),
  ); // L10
  after = links.accounts;
  const known = links.crossShard;
  const crossLinked = links.crossLinked;
  const last = (header.number + 1n) % BigInt(preset.blocksPerEpoch) === 0n;
  if (!last)
    return {
      accounts: after,
      crossShard: known,
      chain: { elected, pending: null, drg, crossLinked },
      shardState: empty,
    }; // L11
  const end = unwrap(endEpoch(after, inForceNow, header.epoch, drg, preset)); // L11
  const shardState = end.next === null ? empty : encodeShardState(end.next);
  return {
    accounts: end.state,
    crossShard: known,
    chain: { elected, pending: end.next, drg, crossLinked },
    shardState,
  }; // L11
}

/**
 * SHARD-BEACON-BLOCK(T, B) (L1–L14): applies a beacon-chain block: every ledger check but the state root, then
 * the randomness, the slash records, its parent's reward, the crosslinks and, at the end of an epoch, the epoch
 * transition; then the shard-state field and the state root against what they give. The commit certificate in the header has been verified by
 * FBFT's block validation (QC-HEADER.1) before.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export function applyBeaconBlock(
  chain: BeaconChain,
  block: Block,
  preset: Preset,
  bls: BlsBackend = nobleBls,
): Result<BeaconChain> {
  return attempt(() => {
    if (block.header.shardId !== 0) {
      throw new SpecError("SHARD_NOT_BEACON", `block of shard ${block.header.shardId} is not a beacon block`); // L1
    }
    const executed = executeBlock(chain, block, preset, checkTransactionStateless, bls); // L2
    const end = blockEnd(chain, block.header, executed.accounts, executed.crossShard, preset, bls); // L3–L11
    if (!bytesEqual(block.header.shardState, end.shardState)) {
      throw new SpecError("SHARD_STATE_MISMATCH", "the shardState field is not the epoch transition's state"); // L12
    }
    checkStateRoot(block.header, end.accounts, end.crossShard); // L13
    return { ...ledgerAfter(block.header, end.accounts, end.crossShard), ...end.chain }; // L14
  });
}

/**
 * The proposer's side of SHARD-BEACON-BLOCK: the ledger block of `transactions` with `fields`, completed with the
 * shard-state field and the state root the beacon rules give, and the beacon chain after it.
 *
 * @spec SHARD-BEACON-BLOCK.3
 */
export function buildBeaconBlock(
  chain: BeaconChain,
  transactions: readonly Transaction[],
  fields: Omit<ProposerFields, "shardState">,
  preset: Preset,
  bls: BlsBackend = nobleBls,
  incoming: readonly IncomingEntry[] = [],
): Result<BuiltBlock & { readonly state: BeaconChain }> {
  return attempt(() => {
    const options = { incoming, bls };
    const built = unwrap(buildBlock(chain, transactions, { ...fields, shardState: empty }, preset, options));
    const end = blockEnd(
      chain,
      built.block.header,
      built.state.accounts,
      crossShardOf(built.state),
      preset,
      bls,
    );
    const header = {
      ...built.block.header,
      shardState: end.shardState,
      stateRoot: stateRoot(end.accounts, end.crossShard),
    };
    return {
      ...built,
      block: { ...built.block, header },
      state: { ...ledgerAfter(header, end.accounts, end.crossShard), ...end.chain },
    };
  });
}
