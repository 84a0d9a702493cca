import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { identityPoint, MALFORMED_POINT_CODES, malformedPoint } from "../../../tools/testing/blsSamples.ts";
import { bytesToHex } from "../../encoding/json.ts";
import type { Result } from "../../errors.ts";
import { unwrap } from "../../errors.ts";
import type { SignatureSet } from "./backend.ts";
import { blstBls } from "./blst.ts";
import { keyGen } from "./keyGen.ts";
import { nobleBls } from "./noble.ts";

/*
 * Differential property tests: the native back end (blst) against the reference back end (noble). For random
 * keys and messages, and for corrupted inputs (flipped bits, wrong messages, identity points, random byte
 * strings, random x coordinates with valid flags), both must return the same bytes, the same verdict or the same
 * error code. Run counts are small because the reference back end takes milliseconds per pairing.
 */

/** A comparable form of a Result: the value (bytes as hex) or the error code. */
function outcome(result: Result<unknown>): string {
  if (!result.ok) return `error:${result.error.code}`;
  const value = result.value;
  if (value instanceof Uint8Array) return `bytes:${bytesToHex(value)}`;
  return `value:${String(value)}`;
}

function same(run: (bls: typeof nobleBls) => Result<unknown>): string {
  const a = outcome(run(nobleBls));
  const b = outcome(run(blstBls));
  expect(b).toBe(a);
  return a;
}

const ikm = fc.uint8Array({ minLength: 32, maxLength: 32 });
const message = fc.uint8Array({ minLength: 0, maxLength: 48 });
const secretKey = ikm.map((bytes) => unwrap(keyGen(bytes)));

function flipBit(bytes: Uint8Array, bit: number): Uint8Array {
  const out = bytes.slice();
  const index = (bit >> 3) % out.length;
  out[index] = out[index]! ^ (1 << (bit & 7));
  return out;
}

/** Random bytes of the right length with the compression flag set and the infinity flag clear: exercises x < p, on-curve and subgroup. */
function flaggedPoint(length: number) {
  return fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => {
    const out = bytes.slice();
    out[0] = 0x80 | (out[0]! & 0x3f);
    return out;
  });
}

const NUM_RUNS = 12;

// @covers BLS-BACKENDS.1
describe("blst agrees with the reference back end", () => {
  it("SkToPk, Sign and Verify on random keys and messages", () => {
    fc.assert(
      fc.property(secretKey, message, message, (sk, m, other) => {
        const pk = same((bls) => bls.secretToPublic(sk));
        const signature = same((bls) => bls.sign(sk, m));
        expect(pk.startsWith("bytes:")).toBe(true);
        const pkBytes = unwrap(nobleBls.secretToPublic(sk));
        const sigBytes = unwrap(nobleBls.sign(sk, m));
        expect(signature).toBe(`bytes:${bytesToHex(sigBytes)}`);
        expect(same((bls) => bls.verify(pkBytes, m, sigBytes))).toBe("value:true");
        const onOther = same((bls) => bls.verify(pkBytes, other, sigBytes));
        expect(onOther).toBe(bytesToHex(other) === bytesToHex(m) ? "value:true" : "value:false");
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("Verify with a flipped bit in the signature or the key", () => {
    fc.assert(
      fc.property(secretKey, message, fc.nat(96 * 8 - 1), fc.boolean(), (sk, m, bit, inKey) => {
        const pk = unwrap(nobleBls.secretToPublic(sk));
        const sig = unwrap(nobleBls.sign(sk, m));
        const badPk = inKey ? flipBit(pk, bit) : pk;
        const badSig = inKey ? sig : flipBit(sig, bit);
        const verdict = same((bls) => bls.verify(badPk, m, badSig));
        expect(verdict).not.toBe("value:true");
      }),
      { numRuns: 3 * NUM_RUNS },
    );
  });

  it("KeyValidate and signature validation on random and flag-valid byte strings", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 100 }),
          flaggedPoint(48),
          fc.constant(identityPoint("G1")),
        ),
        fc.oneof(
          fc.uint8Array({ minLength: 0, maxLength: 100 }),
          flaggedPoint(96),
          fc.constant(identityPoint("G2")),
        ),
        (pk, sig) => {
          same((bls) => bls.validatePublicKey(pk));
          same((bls) => bls.validateSignature(sig));
        },
      ),
      { numRuns: 20 * NUM_RUNS },
    );
  });

  it("aggregation and FastAggregateVerify over random committees, with optional corruption", () => {
    fc.assert(
      fc.property(
        fc.array(secretKey, { minLength: 0, maxLength: 4 }),
        message,
        fc.constantFrom("none", "drop-key", "identity-key", "identity-signature", "flip-signature"),
        fc.nat(96 * 8 - 1),
        (keys, m, corruption, bit) => {
          const pks = keys.map((sk) => unwrap(nobleBls.secretToPublic(sk)));
          const sigs = keys.map((sk) => unwrap(nobleBls.sign(sk, m)));
          same((bls) => bls.aggregatePublicKeys(pks));
          const aggregate = same((bls) => bls.aggregateSignatures(sigs));
          let signature = aggregate.startsWith("bytes:")
            ? unwrap(nobleBls.aggregateSignatures(sigs))
            : identityPoint("G2");
          let keysUsed = pks;
          if (corruption === "drop-key") keysUsed = pks.slice(1);
          if (corruption === "identity-key") keysUsed = [...pks, identityPoint("G1")];
          if (corruption === "identity-signature") signature = identityPoint("G2");
          if (corruption === "flip-signature") signature = flipBit(signature, bit);
          const verdict = same((bls) => bls.fastAggregateVerify(keysUsed, m, signature));
          if (corruption === "none") expect(verdict).toBe(keys.length > 0 ? "value:true" : "value:false");
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("AggregateVerify and batch verification over distinct messages; batch = conjunction of single verdicts", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(secretKey, message, fc.constantFrom("good", "tampered", "identity")), {
          minLength: 1,
          maxLength: 3,
        }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (entries, randomness) => {
          const sets: SignatureSet[] = entries.map(([sk, m, mode], i) => {
            let signature = unwrap(nobleBls.sign(sk, m));
            if (mode === "tampered") signature = unwrap(nobleBls.sign(sk, new Uint8Array([...m, i])));
            if (mode === "identity") signature = identityPoint("G2");
            return { publicKey: unwrap(nobleBls.secretToPublic(sk)), message: m, signature };
          });
          const batch = same((bls) => bls.verifyBatch(sets, randomness));
          const each = sets.every((set) =>
            unwrap(nobleBls.verify(set.publicKey, set.message, set.signature)),
          );
          expect(batch).toBe(`value:${each}`);
          const aggregate = unwrap(nobleBls.aggregateSignatures(sets.map((set) => set.signature)));
          same((bls) =>
            bls.aggregateVerify(
              sets.map((set) => set.publicKey),
              sets.map((set) => set.message),
              aggregate,
            ),
          );
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  // @covers BLS-BATCH-VERIFY.1
  it("batch verification with malformed sets: the first failing check in input order, else one verdict", () => {
    const corruption = fc.constantFrom("good", "tampered", "bad-key", "bad-signature", "bad-both");
    fc.assert(
      fc.property(
        fc.array(fc.tuple(secretKey, message, corruption, fc.constantFrom(...MALFORMED_POINT_CODES)), {
          minLength: 0,
          maxLength: 3,
        }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (entries, randomness) => {
          const sets: SignatureSet[] = entries.map(([sk, m, mode, failure], i) => {
            const publicKey = unwrap(nobleBls.secretToPublic(sk));
            let signature = unwrap(nobleBls.sign(sk, m));
            if (mode === "tampered") signature = unwrap(nobleBls.sign(sk, new Uint8Array([...m, i])));
            const badKey = mode === "bad-key" || mode === "bad-both";
            const badSignature = mode === "bad-signature" || mode === "bad-both";
            return {
              publicKey: badKey ? malformedPoint("G1", failure, publicKey) : publicKey,
              message: m,
              signature: badSignature ? malformedPoint("G2", failure, signature) : signature,
            };
          });
          // The model of BLS-BATCH-VERIFY.1 L2–L8, from the single-input rules: S_0, PK_0, S_1, PK_1, …
          // validated in order (the first failure decides); otherwise the conjunction of the verdicts.
          let expected: string | undefined;
          for (const set of sets) {
            const s = nobleBls.validateSignature(set.signature);
            if (!s.ok) expected ??= `error:${s.error.code}`;
            const k = nobleBls.validatePublicKey(set.publicKey);
            if (!k.ok) expected ??= `error:${k.error.code}`;
            if (expected !== undefined) break;
          }
          expected ??= `value:${sets.every((set) => unwrap(nobleBls.verify(set.publicKey, set.message, set.signature)))}`;
          expect(same((bls) => bls.verifyBatch(sets, randomness))).toBe(expected);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });
});
