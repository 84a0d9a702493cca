import { sha256 } from "@noble/hashes/sha2.js";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Seat } from "../../reference/sharding/seat.ts";
import { sampleSecretKey } from "./blsSamples.ts";

/*
 * Seats for tests, properties and vectors of chapter 10: validator addresses from small numbers and valid BLS
 * public keys from labelled secret keys, so that committees built from them pass COMMITTEE-CHECK. Not a
 * protocol rule.
 */

const publicKeys = new Map<number, Uint8Array>();

/** The 20-byte address whose last two bytes are `n` (big-endian) and the rest zero. */
export function validatorAddress(n: number): Uint8Array {
  const address = new Uint8Array(20);
  address[18] = (n >> 8) & 0xff;
  address[19] = n & 0xff;
  return address;
}

/** A valid BLS public key, the n-th of a fixed list (computed once per process). */
export function sampleKey(n: number): Uint8Array {
  let key = publicKeys.get(n);
  if (key === undefined) {
    key = unwrap(blstBls.secretToPublic(sampleSecretKey(`harmony-spec sharding sample key ${n}`)));
    publicKeys.set(n, key);
  }
  return key;
}

/** Seat `index` of validator `validator`, signing with sample key `key` (default: a key of its own). */
export function sampleSeat(validator: number, index: number, power: bigint, key?: number): Seat {
  return {
    validator: validatorAddress(validator),
    index,
    key: sampleKey(key ?? validator * 16 + index),
    power,
  };
}

/** Randomness for examples and vectors, standing for an epoch's Rnd: sha256 of ASCII "harmony-spec sample randomness". */
export const SAMPLE_RANDOMNESS: Uint8Array = sha256(
  new TextEncoder().encode("harmony-spec sample randomness"),
);
