import { sha256 } from "@noble/hashes/sha2.js";
import type { Committee } from "../../reference/consensus/committee.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { rlpEncode } from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import { type SimCommittee, weightedCommittee } from "../../sim/fbft/committees.ts";

/*
 * Test support for the randomness chapter: beacon committees with known secret keys, and the expected bytes of
 * shares and commitments assembled from the BLS and RLP primitives directly, not through the rules under test.
 */

/** A beacon committee whose member i holds GENESIS-VALIDATOR-KEY(0, i) and power powers[i]. */
export function beaconCommittee(powers: readonly bigint[]): SimCommittee {
  return weightedCommittee(0, powers, blstBls);
}

/** The VRF proof of `secretKey` on `seed`: the BLS signature on sha256(seed) (VRF-EVALUATE.1). */
export function vrfProofOf(secretKey: Uint8Array, seed: Uint8Array): Uint8Array {
  return unwrap(blstBls.sign(secretKey, sha256(seed)));
}

/** The LSB-first signer bitmap of `signers` in a committee of `size`, built bit by bit. */
export function bitmapOf(size: number, signers: readonly number[]): Uint8Array {
  const bitmap = new Uint8Array(Math.ceil(size / 8));
  for (const s of signers) bitmap[s >> 3] = bitmap[s >> 3]! | (1 << (s & 7));
  return bitmap;
}

/** The aggregate of the proofs of `signers` on `seed`. */
export function aggregateProofOf(
  sim: SimCommittee,
  signers: readonly number[],
  seed: Uint8Array,
): Uint8Array {
  return unwrap(blstBls.aggregateSignatures(signers.map((s) => vrfProofOf(sim.secretKeys[s]!, seed))));
}

/** The `vrf` field RLP([bitmap, σ]) of the proofs of `signers` on `seed`. */
export function commitFieldOf(sim: SimCommittee, signers: readonly number[], seed: Uint8Array): Uint8Array {
  const committee: Committee = sim.committee;
  return rlpEncode([bitmapOf(committee.members.length, signers), aggregateProofOf(sim, signers, seed)]);
}

/** pRnd = sha256("HARMONY-DRG-V1-PRND" ‖ σ), written out. */
export function pRndFromAggregate(aggregate: Uint8Array): Uint8Array {
  return sha256(new Uint8Array([...new TextEncoder().encode("HARMONY-DRG-V1-PRND"), ...aggregate]));
}
