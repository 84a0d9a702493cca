import { ATOMIC_LOCK_GAS, type AtomicTransfer, atomicLock } from "../../reference/crossshard/atomic.ts";
import { genesisAddress } from "../../reference/ledger/genesis.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * The atomic transfers of a multi-shard run (§12.6): transfer k is started at every shard's height k · every. The
 * beacon chain decides it; each other shard gives one part, from genesis account k mod A, and the outputs pay a
 * recipient on every shard. In every fourth transfer the last shard withholds its part, so the transfer can only
 * abort. Deterministic, so that the workload, the relay and the checks name the same transfers.
 */

/** The decider of every transfer of the runs: the beacon chain. */
const DECIDER = 0;
/** Parts are this many atto times the transfer's number and the shard's. */
const UNIT = 10n ** 14n;
/** Beacon heights between the start of a transfer and its deadline, in units of `every`. */
const DEADLINE_PERIODS = 3;

/** Transfer k of a run that starts one every `every` heights. */
export function atomicTransferAt(k: number, every: number, preset: Preset): AtomicTransfer {
  const inputs = [];
  const outputs = [];
  const owner = k % preset.genesisAccountsPerShard;
  let total = 0n;
  for (let shard = 1; shard < preset.numShards; shard++) {
    const amount = BigInt(k) * BigInt(shard) * UNIT;
    inputs.push({ shard, address: genesisAddress(shard, owner), amount });
    total += amount;
  }
  const each = total / BigInt(preset.numShards);
  for (let shard = 0; shard < preset.numShards; shard++) {
    const amount = shard === 0 ? total - each * BigInt(preset.numShards - 1) : each;
    outputs.push({ shard, address: recipient(k, shard), amount });
  }
  const salt = new Uint8Array(32);
  new DataView(salt.buffer).setUint32(28, k);
  return { decider: DECIDER, deadline: BigInt((k + DEADLINE_PERIODS) * every), inputs, outputs, salt };
}

/** The recipient of transfer k on a shard: an address no genesis account has. */
function recipient(k: number, shard: number): Uint8Array {
  const address = new Uint8Array(20);
  address[0] = 0xa7;
  new DataView(address.buffer).setUint32(12, k);
  address[19] = shard;
  return address;
}

/** Whether the last shard withholds its part of transfer k, which must then abort. */
export function withheld(k: number, shard: number, preset: Preset): boolean {
  return k % 4 === 3 && shard === preset.numShards - 1;
}

/**
 * The lock a shard's proposal at `blockNum` carries, if a transfer starts there and the shard gives a part of it:
 * the unsigned transaction and the index of its sender among the shard's genesis accounts.
 */
export function lockAt(
  shard: number,
  blockNum: bigint,
  every: number,
  preset: Preset,
  nonceOf: (owner: number) => bigint,
) {
  const k = startingAt(blockNum, every);
  if (shard === DECIDER || k === null || withheld(k, shard, preset)) return null;
  const transfer = atomicTransferAt(k, every, preset);
  const owner = k % preset.genesisAccountsPerShard;
  return { owner, unsigned: atomicLock(transfer, shard - 1, nonceOf(owner), 1n, ATOMIC_LOCK_GAS) };
}

/** The transfer a lock sent in a block at `height` is for: the one that starts there, or null if none does. */
export function transferStartedAt(height: bigint, every: number, preset: Preset): AtomicTransfer | null {
  const k = startingAt(height, every);
  return k === null ? null : atomicTransferAt(k, every, preset);
}

/** The transfer whose deadline the beacon block at `height` is the first block after, or null if none is. */
export function transferExpiringAt(height: bigint, every: number, preset: Preset): AtomicTransfer | null {
  const k = startingAt(height - 1n, every); // deadline = (k + DEADLINE_PERIODS) · every
  return k === null || k - DEADLINE_PERIODS < 1
    ? null
    : atomicTransferAt(k - DEADLINE_PERIODS, every, preset);
}

/** The number of the transfer that starts at `height`, or null when none does. */
function startingAt(height: bigint, every: number): number | null {
  return height <= 0n || height % BigInt(every) !== 0n ? null : Number(height / BigInt(every));
}
