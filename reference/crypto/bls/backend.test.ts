import { bls12_381 } from "@noble/curves/bls12-381.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import {
  identityPoint,
  MALFORMED_POINT_CODES,
  malformedPoint,
  sampleSecretKey,
} from "../../../tools/testing/blsSamples.ts";
import { bytesToHex } from "../../encoding/json.ts";
import type { Result } from "../../errors.ts";
import { unwrap } from "../../errors.ts";
import type { BlsBackend } from "./backend.ts";
import { batchScalars } from "./backend.ts";
import { blstBls } from "./blst.ts";
import { BLS_GROUP_ORDER, BLS_POP_DST, BLS_SIGNATURE_DST } from "./ciphersuite.ts";
import { secretKeyToBytes } from "./encoding.ts";
import { nobleBls } from "./noble.ts";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}

const sk1 = sampleSecretKey("backend test 1");
const sk2 = sampleSecretKey("backend test 2");
const sk3 = sampleSecretKey("backend test 3");
const message = utf8("block hash 42");
const randomness = sha256(utf8("batch seed"));

for (const bls of [nobleBls, blstBls] as BlsBackend[]) {
  describe(`BLS back end ${bls.name}`, () => {
    const pk1 = unwrap(bls.secretToPublic(sk1));
    const pk2 = unwrap(bls.secretToPublic(sk2));
    const pk3 = unwrap(bls.secretToPublic(sk3));
    const sig1 = unwrap(bls.sign(sk1, message));
    const sig2 = unwrap(bls.sign(sk2, message));
    const sig3 = unwrap(bls.sign(sk3, message));

    // @covers BLS-SK-TO-PK.1 BLS-POINT-ENCODING.1
    it("SkToPk and Sign agree with noble's own high-level API (an independent encoder and code path)", () => {
      const long = bls12_381.longSignatures;
      expect(bytesToHex(pk1)).toBe(bytesToHex(long.getPublicKey(sk1).toBytes(true)));
      const expected = long.sign(long.hash(message, BLS_SIGNATURE_DST), sk1);
      expect(bytesToHex(sig1)).toBe(bytesToHex(long.Signature.toBytes(expected)));
    });

    // @covers BLS-SECRET-KEY.1
    it("rejects secret keys that are 0, ≥ r or not 32 bytes", () => {
      expect(code(bls.sign(new Uint8Array(32), message))).toBe("BLS_SECRET_KEY_INVALID");
      expect(code(bls.sign(secretKeyToBytes(BLS_GROUP_ORDER), message))).toBe("BLS_SECRET_KEY_INVALID");
      expect(code(bls.secretToPublic(new Uint8Array(31).fill(1)))).toBe("BLS_SECRET_KEY_INVALID");
      expect(bls.secretToPublic(secretKeyToBytes(BLS_GROUP_ORDER - 1n)).ok).toBe(true);
    });

    // @covers BLS-VERIFY.1 BLS-SIGN.1
    it("Verify accepts a signature and rejects a wrong message, key or signature", () => {
      expect(bls.verify(pk1, message, sig1)).toEqual({ ok: true, value: true });
      expect(bls.verify(pk1, utf8("other"), sig1)).toEqual({ ok: true, value: false });
      expect(bls.verify(pk2, message, sig1)).toEqual({ ok: true, value: false });
      expect(bls.verify(pk1, message, sig2)).toEqual({ ok: true, value: false });
      expect(bls.verify(pk1, message, identityPoint("G2"))).toEqual({ ok: true, value: false });
    });

    // @covers BLS-VERIFY.1 BLS-KEY-VALIDATE.1 BLS-SIGNATURE-VALIDATE.1 BLS-POINT-DECODE.1
    it("Verify names the decoding failure, checking the signature before the public key", () => {
      for (const failure of MALFORMED_POINT_CODES) {
        expect(code(bls.verify(malformedPoint("G1", failure, pk1), message, sig1))).toBe(failure);
        expect(code(bls.verify(pk1, message, malformedPoint("G2", failure, sig1)))).toBe(failure);
      }
      expect(code(bls.verify(identityPoint("G1"), message, sig1))).toBe("BLS_PUBKEY_IDENTITY");
      // both malformed: the signature's code wins (BLS-VERIFY L1 precedes L2)
      expect(
        code(bls.verify(identityPoint("G1"), message, malformedPoint("G2", "BLS_POINT_LENGTH", sig1))),
      ).toBe("BLS_POINT_LENGTH");
    });

    // @covers BLS-AGGREGATE.1 BLS-AGGREGATE-KEYS.1
    it("Aggregate of zero inputs is an error; keys summing to the identity are rejected", () => {
      expect(code(bls.aggregateSignatures([]))).toBe("BLS_AGGREGATE_EMPTY");
      expect(code(bls.aggregatePublicKeys([]))).toBe("BLS_AGGREGATE_EMPTY");
      const negated = unwrap(bls.secretToPublic(secretKeyToBytes(BLS_GROUP_ORDER - 1n)));
      const one = unwrap(bls.secretToPublic(secretKeyToBytes(1n)));
      expect(code(bls.aggregatePublicKeys([one, negated]))).toBe("BLS_AGGREGATE_IDENTITY");
      expect(code(bls.aggregatePublicKeys([pk1, identityPoint("G1")]))).toBe("BLS_PUBKEY_IDENTITY");
      expect(
        code(bls.aggregateSignatures([sig1, malformedPoint("G2", "BLS_POINT_NOT_IN_SUBGROUP", sig1)])),
      ).toBe("BLS_POINT_NOT_IN_SUBGROUP");
      // a signature and its negation aggregate to the identity signature, which is a valid encoding
      const sigOne = unwrap(bls.sign(secretKeyToBytes(1n), message));
      const sigMinusOne = unwrap(bls.sign(secretKeyToBytes(BLS_GROUP_ORDER - 1n), message));
      expect(bls.aggregateSignatures([sigOne, sigMinusOne])).toEqual({
        ok: true,
        value: identityPoint("G2"),
      });
    });

    // @covers BLS-FAST-AGGREGATE-VERIFY.1
    it("FastAggregateVerify: valid aggregate, zero keys, missing signer, identity aggregate", () => {
      const aggregate = unwrap(bls.aggregateSignatures([sig1, sig2, sig3]));
      expect(bls.fastAggregateVerify([pk1, pk2, pk3], message, aggregate)).toEqual({ ok: true, value: true });
      expect(bls.fastAggregateVerify([pk1, pk2], message, aggregate)).toEqual({ ok: true, value: false });
      expect(bls.fastAggregateVerify([], message, aggregate)).toEqual({ ok: true, value: false });
      // keys (1·g1, (r−1)·g1) sum to the identity; without the identity rule the identity signature would verify
      const one = unwrap(bls.secretToPublic(secretKeyToBytes(1n)));
      const negated = unwrap(bls.secretToPublic(secretKeyToBytes(BLS_GROUP_ORDER - 1n)));
      expect(bls.fastAggregateVerify([one, negated], message, identityPoint("G2"))).toEqual({
        ok: true,
        value: false,
      });
      expect(code(bls.fastAggregateVerify([pk1, identityPoint("G1")], message, aggregate))).toBe(
        "BLS_PUBKEY_IDENTITY",
      );
    });

    // @covers BLS-AGGREGATE-VERIFY.1
    it("AggregateVerify: distinct and repeated messages, length mismatch, zero pairs", () => {
      const m2 = utf8("second");
      const aggregate = unwrap(bls.aggregateSignatures([sig1, unwrap(bls.sign(sk2, m2))]));
      expect(bls.aggregateVerify([pk1, pk2], [message, m2], aggregate)).toEqual({ ok: true, value: true });
      expect(bls.aggregateVerify([pk2, pk1], [message, m2], aggregate)).toEqual({ ok: true, value: false });
      const same = unwrap(bls.aggregateSignatures([sig1, sig2]));
      expect(bls.aggregateVerify([pk1, pk2], [message, message], same)).toEqual({ ok: true, value: true });
      expect(code(bls.aggregateVerify([pk1], [message, m2], aggregate))).toBe("BLS_LENGTH_MISMATCH");
      expect(bls.aggregateVerify([], [], identityPoint("G2"))).toEqual({ ok: true, value: false });
    });

    // @covers BLS-BATCH-VERIFY.1
    it("batch verification: same verdict as verifying each set", () => {
      const sets = [
        { publicKey: pk1, message, signature: sig1 },
        { publicKey: pk2, message: utf8("m2"), signature: unwrap(bls.sign(sk2, utf8("m2"))) },
        { publicKey: pk3, message: utf8("m3"), signature: unwrap(bls.sign(sk3, utf8("m3"))) },
      ];
      expect(bls.verifyBatch(sets, randomness)).toEqual({ ok: true, value: true });
      expect(bls.verifyBatch([], randomness)).toEqual({ ok: true, value: true });
      // two sets whose signatures are swapped: each fails alone, and their sum would pass a plain sum check
      const swapped = [
        { ...sets[1]!, signature: sets[2]!.signature },
        { ...sets[2]!, signature: sets[1]!.signature },
      ];
      expect(bls.verifyBatch(swapped, randomness)).toEqual({ ok: true, value: false });
      expect(code(bls.verifyBatch(sets, new Uint8Array(31)))).toBe("BLS_BATCH_RANDOMNESS_LENGTH");
      expect(code(bls.verifyBatch([{ ...sets[0]!, publicKey: identityPoint("G1") }], randomness))).toBe(
        "BLS_PUBKEY_IDENTITY",
      );
    });

    // @covers BLS-BATCH-VERIFY.1
    it("batch verification validates every set, in order, before any pairing (L1–L4), then gives one verdict", () => {
      const good = { publicKey: pk1, message, signature: sig1 };
      const wrong = { publicKey: pk1, message, signature: sig2 }; // well formed, does not verify
      const shortKey = { ...good, publicKey: pk2.slice(1) }; // BLS_POINT_LENGTH
      const identityKey = { ...good, publicKey: identityPoint("G1") }; // BLS_PUBKEY_IDENTITY
      const offCurve = { ...good, signature: malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", sig1) };
      expect(bls.verifyBatch([wrong], randomness)).toEqual({ ok: true, value: false });
      expect(bls.verifyBatch([good, wrong, good], randomness)).toEqual({ ok: true, value: false });
      // A set that would verify false does not end the batch early: later sets are still validated.
      expect(code(bls.verifyBatch([wrong, shortKey], randomness))).toBe("BLS_POINT_LENGTH");
      expect(code(bls.verifyBatch([wrong, good, offCurve], randomness))).toBe("BLS_POINT_NOT_ON_CURVE");
      // Sets in index order; within a set, S_i (L3) before PK_i (L4).
      expect(code(bls.verifyBatch([identityKey, offCurve], randomness))).toBe("BLS_PUBKEY_IDENTITY");
      expect(code(bls.verifyBatch([offCurve, identityKey], randomness))).toBe("BLS_POINT_NOT_ON_CURVE");
      expect(code(bls.verifyBatch([{ ...identityKey, signature: offCurve.signature }], randomness))).toBe(
        "BLS_POINT_NOT_ON_CURVE",
      );
      // The seed (L1) before every set.
      expect(code(bls.verifyBatch([offCurve, shortKey], new Uint8Array(0)))).toBe(
        "BLS_BATCH_RANDOMNESS_LENGTH",
      );
      expect(code(bls.verifyBatch([], new Uint8Array(33)))).toBe("BLS_BATCH_RANDOMNESS_LENGTH");
    });

    // @covers BLS-POP-PROVE.1 BLS-POP-VERIFY.1
    it("proof of possession: round trip, wrong key, and domain separation from signatures", () => {
      const proof = unwrap(bls.popProve(sk1));
      expect(bls.popVerify(pk1, proof)).toEqual({ ok: true, value: true });
      expect(bls.popVerify(pk2, proof)).toEqual({ ok: true, value: false });
      // a plain signature on the key bytes is not a proof (different DST)
      expect(bls.popVerify(pk1, unwrap(bls.sign(sk1, pk1)))).toEqual({ ok: true, value: false });
      expect(code(bls.popVerify(identityPoint("G1"), proof))).toBe("BLS_PUBKEY_IDENTITY");
      expect(code(bls.popProve(new Uint8Array(32)))).toBe("BLS_SECRET_KEY_INVALID");
      // independent code path: noble's high-level signer with the POP DST over the 48-byte key
      const long = bls12_381.longSignatures;
      expect(bytesToHex(proof)).toBe(
        bytesToHex(long.Signature.toBytes(long.sign(long.hash(pk1, BLS_POP_DST), sk1))),
      );
    });

    // @covers BLS-KEY-VALIDATE.1 BLS-SIGNATURE-VALIDATE.1
    it("KeyValidate rejects the identity key; the identity signature is a valid signature encoding", () => {
      expect(code(bls.validatePublicKey(identityPoint("G1")))).toBe("BLS_PUBKEY_IDENTITY");
      expect(bls.validateSignature(identityPoint("G2")).ok).toBe(true);
      expect(bls.validatePublicKey(pk1).ok).toBe(true);
      for (const failure of MALFORMED_POINT_CODES) {
        expect(code(bls.validatePublicKey(malformedPoint("G1", failure, pk1)))).toBe(failure);
        expect(code(bls.validateSignature(malformedPoint("G2", failure, sig1)))).toBe(failure);
      }
    });
  });
}

// @covers BLS-BATCH-VERIFY.1
describe("batch scalars", () => {
  it("are in [1, 2^64 − 1], distinct for distinct indices, and follow the seed", () => {
    const scalars = batchScalars(randomness, 64);
    for (const c of scalars) {
      expect(c >= 1n && c < 1n << 64n).toBe(true);
    }
    expect(new Set(scalars.map(String)).size).toBe(64);
    // c_0 by hand: 1 + (first 8 bytes of sha256(seed ‖ 00000000)) mod (2^64 − 1)
    const input = new Uint8Array(36);
    input.set(randomness, 0);
    const head = BigInt(`0x${bytesToHex(sha256(input)).slice(2, 18)}`);
    expect(scalars[0]).toBe(1n + (head % ((1n << 64n) - 1n)));
    expect(batchScalars(sha256(utf8("other seed")), 1)[0]).not.toBe(scalars[0]);
  });
});
