import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sampleSecretKey } from "../../tools/testing/blsSamples.ts";
import type { Result } from "../errors.ts";
import { unwrap } from "../errors.ts";
import { PRESETS } from "../params/presets.ts";
import {
  aggregateSignerKeys,
  BITMAP_MAX_COMMITTEE_SIZE,
  bitmapLength,
  countSigners,
  decodeBitmap,
  encodeBitmap,
} from "./bitmap.ts";
import { blstBls } from "./bls/blst.ts";
import { nobleBls } from "./bls/noble.ts";

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}

describe("signer bitmaps", () => {
  // @covers BITMAP-FORMAT.2 BITMAP-ENCODE.2 BITMAP-DECODE.2
  it("is LSB-first in committee order (hand-derived example)", () => {
    // committee of 10, signers {0, 3, 8}: byte 0 = bits 0 and 3 = 0b00001001, byte 1 = bit 0 = 0b00000001
    expect(Array.from(unwrap(encodeBitmap(10, [8, 0, 3])))).toEqual([0x09, 0x01]);
    expect(unwrap(decodeBitmap(Uint8Array.from([0x09, 0x01]), 10))).toEqual([0, 3, 8]);
    expect(unwrap(countSigners(Uint8Array.from([0x09, 0x01]), 10))).toBe(3);
    expect([0, 1, 8, 9, 16].map((n) => unwrap(bitmapLength(n)))).toEqual([0, 1, 1, 2, 2]);
  });

  // @covers BITMAP-ENCODE.2 BITMAP-DECODE.2
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

  // @covers BITMAP-DECODE.2
  it("rejects a wrong length and any set bit at or beyond n", () => {
    expect(code(decodeBitmap(new Uint8Array(2), 17))).toBe("BITMAP_LENGTH");
    expect(code(decodeBitmap(new Uint8Array(3), 16))).toBe("BITMAP_LENGTH");
    expect(code(decodeBitmap(new Uint8Array(1), 0))).toBe("BITMAP_LENGTH");
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 63 }), fc.nat(7), (n, extra) => {
        const length = unwrap(bitmapLength(n));
        const stray = n + (extra % (8 * length - n || 1));
        if (stray >= 8 * length) return; // n is a multiple of 8: no unused bits exist
        const bitmap = new Uint8Array(length);
        bitmap[Math.floor(stray / 8)] = 2 ** (stray % 8);
        expect(code(decodeBitmap(bitmap, n))).toBe("BITMAP_STRAY_BITS");
      }),
      { numRuns: 100 },
    );
  });

  // @covers BITMAP-ENCODE.2
  it("rejects out-of-range and repeated indices", () => {
    expect(code(encodeBitmap(4, [4]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [-1]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [1.5]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(4, [2, 2]))).toBe("BITMAP_INDEX_DUPLICATE");
    // Indices that 32-bit shifts would fold onto a small index: 2^32 + 1 >> 3 is 0 and & 7 is 1.
    expect(code(encodeBitmap(10, [2 ** 32 + 1]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(65536, [2 ** 32 + 1]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(10, [Number.NaN]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    expect(code(encodeBitmap(10, [Number.POSITIVE_INFINITY]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
    // The index check comes after the committee-size check (L1 before L4).
    expect(code(encodeBitmap(65537, [70000]))).toBe("BITMAP_COMMITTEE_SIZE");
  });
});

describe("the committee-size bound of BITMAP-FORMAT.2", () => {
  /** Sizes outside [0, 65536], including those that broke 32-bit arithmetic before the bound existed. */
  const outside = [
    65537,
    100000,
    2 ** 31, // (n + 7) >> 3 is negative: new Uint8Array(...) threw a RangeError
    2 ** 32, // (n + 7) >> 3 is 0: a committee of 2^32 took the empty bitmap
    2 ** 32 + 8, // (n + 7) >> 3 is 1: index 2^32 + 1 then folded onto bit 1 of byte 0
    2 ** 53 - 1, // the largest JSON-INT.1 integer
    -1,
    -8,
    1.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ];

  // @covers BITMAP-FORMAT.2 BITMAP-DECODE.2 BITMAP-ENCODE.2
  it("every rule rejects a size outside [0, 65536] with BITMAP_COMMITTEE_SIZE, before anything else", () => {
    for (const n of outside) {
      expect(code(bitmapLength(n)), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
      expect(code(encodeBitmap(n, [])), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
      expect(code(encodeBitmap(n, [2 ** 32 + 1])), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
      // L1 precedes L2: the empty bitmap, a one-byte one, and one of the length ⌈n/8⌉ would have
      expect(code(decodeBitmap(new Uint8Array(0), n)), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
      expect(code(decodeBitmap(Uint8Array.of(0x02), n)), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
      expect(code(countSigners(new Uint8Array(0), n)), String(n)).toBe("BITMAP_COMMITTEE_SIZE");
    }
    expect(code(decodeBitmap(new Uint8Array(8193), 65537))).toBe("BITMAP_COMMITTEE_SIZE");
  });

  // @covers BITMAP-FORMAT.2 BITMAP-DECODE.2 BITMAP-ENCODE.2
  it("accepts the extremes 0 and 65536", () => {
    expect(BITMAP_MAX_COMMITTEE_SIZE).toBe(65536);
    expect(unwrap(bitmapLength(0))).toBe(0);
    expect(unwrap(encodeBitmap(0, []))).toEqual(new Uint8Array(0));
    expect(unwrap(decodeBitmap(new Uint8Array(0), 0))).toEqual([]);
    expect(unwrap(bitmapLength(65536))).toBe(8192);
    // Members 0, 65535 and 8 · 4096 + 5 = 32773 of 65536: byte 0 bit 0, byte 8191 bit 7, byte 4096 bit 5.
    const bitmap = unwrap(encodeBitmap(65536, [65535, 32773, 0]));
    expect(bitmap.length).toBe(8192);
    expect([bitmap[0], bitmap[4096], bitmap[8191]]).toEqual([0x01, 0x20, 0x80]);
    expect(bitmap.reduce((sum, byte) => sum + byte, 0)).toBe(0x01 + 0x20 + 0x80);
    expect(unwrap(decodeBitmap(bitmap, 65536))).toEqual([0, 32773, 65535]);
    expect(code(encodeBitmap(65536, [65536]))).toBe("BITMAP_INDEX_OUT_OF_RANGE");
  });

  // @covers BITMAP-FORMAT.2
  it("the bound is above the committee size of every preset", () => {
    for (const preset of Object.values(PRESETS)) {
      expect(preset.slotsPerShard).toBeLessThanOrEqual(BITMAP_MAX_COMMITTEE_SIZE);
    }
  });

  // @covers BITMAP-FORMAT.2 BITMAP-DECODE.2
  it("decodes like a bit-by-bit reading written with plain division, for any n up to the bound", () => {
    // Independent reading: bit i is floor(byte / 2^(i mod 8)) mod 2 of byte floor(i / 8).
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: BITMAP_MAX_COMMITTEE_SIZE }),
        fc.array(fc.nat(), { maxLength: 40 }),
        (n, seeds) => {
          const indices = n === 0 ? [] : [...new Set(seeds.map((x) => x % n))];
          const bitmap = unwrap(encodeBitmap(n, indices));
          expect(bitmap.length).toBe(Math.ceil(n / 8));
          const marked: number[] = [];
          for (let i = 0; i < n; i++) {
            if (Math.floor(bitmap[Math.floor(i / 8)]! / 2 ** (i % 8)) % 2 === 1) marked.push(i);
          }
          expect(marked).toEqual([...indices].sort((a, b) => a - b));
          expect(unwrap(decodeBitmap(bitmap, n))).toEqual(marked);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("aggregate key over a bitmap", () => {
  const committee = [0, 1, 2, 3, 4].map((i) =>
    unwrap(nobleBls.secretToPublic(sampleSecretKey(`bitmap member ${i}`))),
  );

  // @covers BITMAP-AGGREGATE-KEY.2
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

  // @covers BITMAP-AGGREGATE-KEY.2 BITMAP-FORMAT.2
  it("rejects a committee of more than 65536 keys with BITMAP_COMMITTEE_SIZE, on both back ends", () => {
    const huge = new Array<Uint8Array>(65537).fill(committee[0]!);
    const bitmap = new Uint8Array(8193);
    bitmap[0] = 1;
    for (const bls of [nobleBls, blstBls]) {
      expect(code(aggregateSignerKeys(huge, bitmap, bls))).toBe("BITMAP_COMMITTEE_SIZE");
    }
    // 65536 keys is allowed: the same key twice aggregates to 2·PK.
    const largest = huge.slice(0, 65536);
    const two = new Uint8Array(8192);
    two[0] = 0x03;
    expect(unwrap(aggregateSignerKeys(largest, two))).toEqual({
      publicKey: unwrap(nobleBls.aggregatePublicKeys([committee[0]!, committee[0]!])),
      signers: 2,
    });
  });
});
