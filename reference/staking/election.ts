import { bytesToHex } from "../encoding/json.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { compareBytes } from "../trie/trieNode.ts";

/*
 * The election of the next epoch's BLS keys (§8.1): who takes the slots, and with what voting power.
 */

const ADDRESS_BYTES = 20;
const BLS_PUBLIC_KEY_BYTES = 48;

/**
 * A validator standing for election: its address, its BLS keys in its own order, and its total stake in atto.
 *
 * @spec ELECT-CANDIDATES.1
 */
export interface Candidate {
  readonly address: Uint8Array;
  readonly keys: readonly Uint8Array[];
  readonly stake: bigint;
}

/**
 * One elected key: its validator, its bid (`rawStake`, the validator's stake split evenly over its keys) and
 * its voting power (`effectiveStake`, the bid clipped to the band around the median).
 *
 * @spec ELECT-EPOS.1
 */
export interface ElectedSlot {
  readonly address: Uint8Array;
  readonly key: Uint8Array;
  readonly rawStake: bigint;
  readonly effectiveStake: bigint;
}

/**
 * CHECK-CANDIDATES(V) (L1–L5): domains, at least one key per candidate, no address or key twice.
 *
 * @spec ELECT-CANDIDATES.1
 */
export function checkCandidates(candidates: readonly Candidate[]): void {
  const addresses = new Set<string>();
  const keys = new Set<string>();
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i]!; // CHECK-CANDIDATES L1
    if (
      candidate.address.length !== ADDRESS_BYTES ||
      candidate.stake < 0n ||
      candidate.keys.some((key) => key.length !== BLS_PUBLIC_KEY_BYTES)
    ) {
      throw new SpecError("ELECT_FIELD_INVALID", `candidate ${i}: address, stake or key out of its domain`); // L2
    }
    if (candidate.keys.length === 0) throw new SpecError("ELECT_NO_KEYS", `candidate ${i} has no key`); // L3
    const address = bytesToHex(candidate.address);
    if (addresses.has(address)) {
      throw new SpecError("ELECT_DUPLICATE_VALIDATOR", `candidate ${i} repeats validator ${address}`); // L4
    }
    addresses.add(address);
    for (const key of candidate.keys) {
      const hex = bytesToHex(key);
      if (keys.has(hex)) throw new SpecError("ELECT_DUPLICATE_KEY", `candidate ${i} repeats key ${hex}`); // L5
      keys.add(hex);
    }
  }
}

/**
 * MEDIAN of ELECT-EPOS L9: the middle value, or the mean of the two middle values rounded down.
 *
 * @spec ELECT-EPOS.1
 */
export function median(values: readonly bigint[]): bigint {
  if (values.length === 0) throw new RangeError("the median of no values");
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2]! : (sorted[n / 2 - 1]! + sorted[n / 2]!) / 2n; // L9
}

/**
 * ELECT-EPOS(V, slots) (L1–L8): every key bids its validator's stake divided by the validator's key count;
 * the `slots` highest bids win, in order; each winner's voting power is its bid clipped to
 * [(100 − b)%, (100 + b)%] of the winners' median bid, with b the preset's `eposBoundPercent`.
 *
 * @spec ELECT-EPOS.1
 */
export function electEpos(
  candidates: readonly Candidate[],
  slots: number,
  preset: Preset,
): Result<readonly ElectedSlot[]> {
  return attempt(() => {
    if (!Number.isInteger(slots) || slots < 0)
      throw new RangeError(`slots must be an integer ≥ 0, got ${slots}`);
    checkCandidates(candidates); // ELECT-EPOS L1
    const ordered = [...candidates].sort((a, b) => compareBytes(a.address, b.address)); // L1
    const bids: { address: Uint8Array; key: Uint8Array; raw: bigint }[] = [];
    for (const candidate of ordered) {
      const raw = candidate.stake / BigInt(candidate.keys.length);
      for (const key of candidate.keys) bids.push({ address: candidate.address, key, raw }); // L2
    }
    bids.sort((a, b) => (a.raw > b.raw ? -1 : a.raw < b.raw ? 1 : 0)); // L3: Array.prototype.sort is stable
    const winners = bids.slice(0, Math.min(slots, bids.length)); // L4
    if (winners.length === 0) return [];
    const middle = median(winners.map((bid) => bid.raw)); // L5
    const band = BigInt(preset.eposBoundPercent);
    const lo = (middle * (100n - band)) / 100n; // L6
    const hi = (middle * (100n + band)) / 100n; // L6
    return winners.map((bid) => ({
      address: bid.address,
      key: bid.key,
      rawStake: bid.raw,
      effectiveStake: bid.raw < lo ? lo : bid.raw > hi ? hi : bid.raw, // L7
    })); // L8
  });
}
