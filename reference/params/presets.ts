/**
 * A preset fixes every protocol parameter. `minimal` keeps committees and epochs tiny so that property
 * suites and vectors run in seconds; `mainnet` uses Harmony-like sizes. The spec's parameter table
 * (spec/00-overview.md) lists the same values; a test checks the two agree.
 *
 * @spec PARAM-PRESETS.1
 */
export interface Preset {
  readonly name: PresetName;
  /** Shards including the beacon chain (shard 0). */
  readonly numShards: number;
  /** BLS key slots in each shard committee. */
  readonly slotsPerShard: number;
  readonly blocksPerEpoch: number;
  readonly blockPeriodSeconds: number;
  /** Chain id signed into Harmony-form transactions (EIP-155 style). */
  readonly harmonyChainId: bigint;
  /** Ethereum-compatible chain id of shard 0; shard s uses base + s. */
  readonly ethChainIdBase: bigint;
  /** Human-readable part of bech32 account addresses. */
  readonly bech32Prefix: string;
  /** Sequential squarings T of the randomness VDF. */
  readonly vdfIterations: bigint;
  /** Gas limit of every block (HEADER-VALIDATE.1). */
  readonly blockGasLimit: bigint;
  /**
   * Address credited with transaction fees, as 0x-prefixed lower-case hex of 20 bytes; null burns them
   * (FEE-DESTINATION.1).
   */
  readonly feeCollector: string | null;
  /** Labelled accounts funded in each shard's genesis state (GENESIS-ALLOCATION.1). */
  readonly genesisAccountsPerShard: number;
  /** Balance of each labelled genesis account, in atto. */
  readonly genesisBalance: bigint;
  /** `time` of the genesis header, seconds since the Unix epoch (GENESIS-BLOCK.1). */
  readonly genesisTime: bigint;
  /** Consecutive views led by one member before the next takes over (FBFT-LEADER.1). */
  readonly leaderTerm: number;
  /** Base view timeout in milliseconds (VIEW-TIMEOUT.1). */
  readonly viewTimeoutMs: number;
  /** Half-width, in percent of the median bid, of the band EPoS clips effective stakes to (ELECT-EPOS.1). */
  readonly eposBoundPercent: number;
  /** The election rule that turns stake into seats (ELECT-SEATS.1). */
  readonly electionRule: ElectionRule;
  /** The least self-delegation a validator may declare and must keep while active, in atto (STAKE-CREATE.1). */
  readonly minSelfDelegation: bigint;
  /** The least amount of one Delegate directive, in atto (STAKE-DELEGATE.1). */
  readonly minDelegation: bigint;
  /** The most BLS keys one validator may register (STAKE-CREATE.1). */
  readonly maxKeysPerValidator: number;
  /** Epochs an undelegated amount stays locked before it returns to the balance (STAKE-UNLOCK.1). */
  readonly undelegationLockEpochs: number;
  /** Atto minted for each finalized block and split among its signers (REWARD-BLOCK.1). */
  readonly blockReward: bigint;
  /** The supply, in atto, that the block reward is calibrated against (REWARD-ISSUANCE.1); no rule reads it. */
  readonly referenceSupply: bigint;
  /** Percent of its slashable self-delegation a double-signing validator loses (SLASH-APPLY.1). */
  readonly slashSelfPercent: number;
  /** Percent of what the validator lost that its delegators lose together (SLASH-APPLY.1). */
  readonly slashDelegatorPercent: number;
  /** Percent of the amount slashed that the beneficiary receives; the rest is burnt (SLASH-APPLY.1). */
  readonly slashBeneficiaryPercent: number;
  /** Epoch offset of the beacon block that carries the pRnd commitment (DRG-SCHEDULE.1). */
  readonly drgCommitOffset: number;
  /** Blocks from the commitment to the beacon block that reveals Rnd, k (DRG-SCHEDULE.1). */
  readonly drgRevealDelay: number;
  /** Longest time, in milliseconds, a member waits after sending its share for the commitment (DRG-COMMIT-WINDOW.2). */
  readonly drgCommitWindowMs: number;
  /**
   * Per-shard budget of resharding, in percent of the shard's power in the ending epoch: the power of the
   * persistent seats moved out of a shard and into it together stays within it (SHARD-RESHARD.1).
   */
  readonly reshardChurnPercent: number;
  /** Crosslinks one beacon block may include (XLINK-INCLUDE.2). */
  readonly maxCrossLinksPerBlock: number;
  /** Incoming entries one block may carry (CX-ENTRIES.2). */
  readonly maxIncomingEntriesPerBlock: number;
  /** Contacts per bucket of a routing table, k (ROUTE-TABLE.1). */
  readonly routingBucketSize: number;
  /** Queries a lookup keeps in flight, α (ROUTE-LOOKUP.1). */
  readonly routingParallelism: number;
}

/** The whitepaper's adaptive threshold (ELECT-ADAPTIVE.1) or mainnet's effective proof of stake (ELECT-EPOS.1). */
export type ElectionRule = "adaptive" | "epos";

export type PresetName = "minimal" | "mainnet";

export const MINIMAL: Preset = {
  name: "minimal",
  numShards: 2,
  slotsPerShard: 4,
  blocksPerEpoch: 8,
  blockPeriodSeconds: 2,
  harmonyChainId: 2n,
  ethChainIdBase: 1666700000n,
  bech32Prefix: "one",
  vdfIterations: 1024n,
  blockGasLimit: 1000000n,
  feeCollector: "0x0000000000000000000000000000000000000fee",
  genesisAccountsPerShard: 4,
  genesisBalance: 1000000000000000000000000n,
  genesisTime: 0n,
  leaderTerm: 2,
  viewTimeoutMs: 8000,
  eposBoundPercent: 35,
  electionRule: "adaptive",
  minSelfDelegation: 10000000000000000000n,
  minDelegation: 1000000000000000000n,
  maxKeysPerValidator: 4,
  undelegationLockEpochs: 2,
  blockReward: 15210000000000000n,
  referenceSupply: 8000000000000000000000000n,
  slashSelfPercent: 50,
  slashDelegatorPercent: 80,
  slashBeneficiaryPercent: 50,
  drgCommitOffset: 1,
  drgRevealDelay: 3,
  drgCommitWindowMs: 2000,
  reshardChurnPercent: 50,
  maxCrossLinksPerBlock: 8,
  maxIncomingEntriesPerBlock: 16,
  routingBucketSize: 20,
  routingParallelism: 3,
};

export const MAINNET: Preset = {
  name: "mainnet",
  numShards: 2,
  slotsPerShard: 200,
  blocksPerEpoch: 32768,
  blockPeriodSeconds: 2,
  harmonyChainId: 1n,
  ethChainIdBase: 1666600000n,
  bech32Prefix: "one",
  vdfIterations: 268435456n,
  blockGasLimit: 30000000n,
  feeCollector: null,
  genesisAccountsPerShard: 4,
  genesisBalance: 1000000000000000000000000n,
  genesisTime: 1561734000n,
  leaderTerm: 163,
  viewTimeoutMs: 27000,
  eposBoundPercent: 35,
  electionRule: "epos",
  minSelfDelegation: 10000000000000000000000n,
  minDelegation: 100000000000000000000n,
  maxKeysPerValidator: 106,
  undelegationLockEpochs: 7,
  blockReward: 24000000000000000000n,
  referenceSupply: 12600000000000000000000000000n,
  slashSelfPercent: 50,
  slashDelegatorPercent: 80,
  slashBeneficiaryPercent: 50,
  drgCommitOffset: 1,
  drgRevealDelay: 1024,
  drgCommitWindowMs: 1000,
  reshardChurnPercent: 8,
  maxCrossLinksPerBlock: 16,
  maxIncomingEntriesPerBlock: 64,
  routingBucketSize: 20,
  routingParallelism: 3,
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = { minimal: MINIMAL, mainnet: MAINNET };
