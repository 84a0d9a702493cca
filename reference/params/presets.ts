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
  /**
   * Per-shard budget of resharding, in percent of the shard's power in the ending epoch: the power of the
   * persistent seats moved out of a shard and into it together stays within it (SHARD-RESHARD.1).
   */
  readonly reshardChurnPercent: number;
}

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
  reshardChurnPercent: 50,
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
  reshardChurnPercent: 8,
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = { minimal: MINIMAL, mainnet: MAINNET };
