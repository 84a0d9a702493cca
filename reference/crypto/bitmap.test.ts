import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleSecretKey } from "../../tools/testing/blsSamples.ts";
import type { Result } from "../errors.ts";
import { unwrap } from "../errors.ts";
import { aggregateSignerKeys, bitmapLength, countSigners, decodeBitmap, encodeBitmap } from "./bitmap.ts";
import { blstBls } from "./bls/blst.ts";
import { nobleBls } from "./bls/noble.ts";

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}

describe("signer bitmaps", () => {
  // @covers BITMAP-FORMAT.1 BITMAP-ENCODE.1 BITMAP-DECODE.1
  it("is LSB-first in committee order (hand-derived example)", () => {
    // committee of 10, signers {0, 3, 8}: byte 0 = bits 0 and 3 = 0b00001001, byte 1 = bit 0 = 0b00000001
    expect(Array.from(unwrap(encodeBitmap(10, [8, 0, 3])))).toEqual([0x09, 0x01]);
    expect(unwrap(decodeBitmap(Uint8Array.from([0x09, 0x01]), 10))).toEqual([0, 3, 8]);
    expect(unwrap(countSigners(Uint8Array.from([0x09, 0x01]), 10))).toBe(3);
    expect([0, 1, 8, 9, 16].map(bitmapLength)).toEqual([0, 1, 1, 2, 2]);
  });

  // @covers BITMAP-ENCODE.1 BITMAP-DECODE.1
  it("round-trips any set of signers", () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 0, max: 300 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.uniqueArray(fc.integer({ min: 0, max: Math.max(0, n - 1) }), { maxLength: n }),
            ),
          ),
        ([n, signers]) => {
          const bitmap = unwrap(encodeBitmap(n, signers));
          expect(bitmap.length).toBe(Math.ceil(n / 8));
          expect(unwrap(decodeBitmap(bitmap, n))).toEqual([...signers].sort((a, b) => a - b));
          expect(unwrap(countSigners(bitmap, n))).toBe(signers.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  // @covers BITMAP-DECODE.1
  it("rejects a wrong length and any set bit at or beyond n", () => {
    expect(code(decodeBitmap(new Uint8Array(2), 17))).toBe("BITMAP_LENGTH");
    expect(code(decodeBitmap(new Uint8Array(3), 16))).toBe("BITMAP_LENGTH");
    expect(code(decodeBitmap(new Uint8Array(1), 0))).toBe("BITMAP_LENGTH");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 63 }), fc.nat(7), (n, extra) => {
        const length = bitmapLength(n);
        const stray = n + (extra % (8 * length - n || 1));
        if (stray >= 8 * length) return; // n is a multiple of 8: no unused bits exist
        const bitmap = new Uint8Array(length);
        bitmap[stray >> 3] = 1 << (stray & 7);
        expect(code(decodeBitmap(bitmap, n))).toBe("BITMAP_STRAY_BITS");
      }),
      { numRuns: 100 },
    );
  });

  // @covers BITMAP-ENCODE.1
  it("rejects out-of-range and repeated indices", () => {
    expect(code(encodeBitmap(4, [4]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [-1]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [1.5]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [2, 2]))).toBe("BITMAP_INDEX_DUPLICATE");
  });
});

describe("aggregate key over a bitmap", () => {
  const committee = [0, 1, 2, 3, 4].map((i) =>
    unwrap(nobleBls.secretToPublic(sampleSecretKey(`bitmap member ${i}`))),
  );

  // @covers BITMAP-AGGREGATE-KEY.1
  it("is the aggregate of the marked members, on both back ends", () => {
    const bitmap = unwrap(encodeBitmap(5, [1, 3, 4]));
    const expected = unwrap(nobleBls.aggregatePublicKeys([committee[1]!, committee[3]!, committee[4]!]));
    for (const bls of [nobleBls, blstBls]) {
      expect(unwrap(aggregateSignerKeys(committee, bitmap, bls))).toEqual({
        publicKey: expected,
        signers: 3,
      });
    }
    expect(code(aggregateSignerKeys(committee, new Uint8Array(1)))).toBe("BLS_AGGREGATE_EMPTY");
    expect(code(aggregateSignerKeys(committee, new Uint8Array(2)))).toBe("BITMAP_LENGTH");
    expect(code(aggregateSignerKeys(committee, Uint8Array.from([0x20])))).toBe("BITMAP_STRAY_BITS");
  });
});
