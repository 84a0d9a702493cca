import { z } from "zod";

/**
 * The network model, all in virtual milliseconds:
 *
 * - Each point-to-point message takes `baseMs + jitter`, jitter a uniform integer in [0, jitterMs]; messages
 *   overtake one another whenever their jitters differ.
 * - Before GST (`gstMs`) a message is lost with probability `dropRate`, and a partition drops messages
 *   between machines in different groups.
 * - At and after GST partitions no longer apply and nothing is lost between live machines.
 * - A message is copied with probability `duplicateRate` at any time (the copy has its own delay).
 * - Partial synchrony: a message sent at time t is delivered by `max(t, gstMs) + deltaMs` (if not lost); the
 *   engine clamps sampled and adversarial delays to that bound. `gstMs: Infinity` never stabilises.
 */
export interface NetworkConfig {
  readonly baseMs: number;
  readonly jitterMs: number;
  readonly dropRate: number;
  readonly duplicateRate: number;
  readonly gstMs: number;
  readonly deltaMs: number;
}

/** Synchronous from the start, Δ equal to the largest sampled delay, so the clamp never bites. */
export const DEFAULT_NETWORK: NetworkConfig = {
  baseMs: 10,
  jitterMs: 10,
  dropRate: 0,
  duplicateRate: 0,
  gstMs: 0,
  deltaMs: 20,
};

const milliseconds = z.number().int().nonnegative();
const probability = z.number().min(0).max(1);

const networkConfigSchema = z.strictObject({
  baseMs: milliseconds,
  jitterMs: milliseconds,
  dropRate: probability,
  duplicateRate: probability,
  gstMs: z.union([milliseconds, z.literal(Number.POSITIVE_INFINITY)]),
  deltaMs: milliseconds,
});

/** The defaults overridden by `overrides`; throws a RangeError naming every invalid field. */
export function resolveNetwork(overrides: Partial<NetworkConfig> = {}): NetworkConfig {
  const given = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  const parsed = networkConfigSchema.safeParse({ ...DEFAULT_NETWORK, ...given });
  if (!parsed.success) throw new RangeError(`invalid network config:\n${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
