import { bls12_381 } from "@noble/curves/bls12-381.js";
import { describe, expect, it } from "vitest";
import { thrownCode } from "../../../tools/testing/specErrors.ts";
import { bytesToHex } from "../../encoding/json.ts";
import { BLS_FIELD_MODULUS, BLS_GROUP_ORDER } from "./ciphersuite.ts";
import {
  encodeCompressedPoint,
  fieldSign,
  parseCompressedPoint,
  parseSecretKey,
  secretKeyToBytes,
} from "./encoding.ts";

describe("compressed point encoding", () => {
  // @covers BLS-POINT-ENCODING.1
  it("matches noble's own serializer on multiples of the generators (independent encoder)", () => {
    for (const k of [1n, 2n, 3n, 12345n, BLS_GROUP_ORDER - 1n]) {
      const p1 = bls12_381.G1.Point.BASE.multiply(k);
      const a1 = p1.toAffine();
      expect(bytesToHex(encodeCompressedPoint("G1", { x0: a1.x, x1: 0n, y0: a1.y, y1: 0n }))).toBe(
        bytesToHex(p1.toBytes(true)),
      );
      const p2 = bls12_381.G2.Point.BASE.multiply(k);
      const a2 = p2.toAffine();
      expect(
        bytesToHex(encodeCompressedPoint("G2", { x0: a2.x.c0, x1: a2.x.c1, y0: a2.y.c0, y1: a2.y.c1 })),
      ).toBe(bytesToHex(bls12_381.longSignatures.Signature.toBytes(p2)));
    }
    expect(bytesToHex(encodeCompressedPoint("G1", null))).toBe(`0xc0${"00".repeat(47)}`);
  });

  // @covers BLS-POINT-ENCODING.1
  it("the sign of y is 'larger than (p − 1)/2', taken from the imaginary part first", () => {
    const half = (BLS_FIELD_MODULUS - 1n) / 2n;
    expect(fieldSign(half, 0n)).toBe(false);
    expect(fieldSign(half + 1n, 0n)).toBe(true);
    expect(fieldSign(half + 1n, 1n)).toBe(false);
    expect(fieldSign(0n, half + 1n)).toBe(true);
  });

  // @covers BLS-POINT-DECODE.1
  it("decodes the flags and rejects each malformed header with its code, in pseudo-code order", () => {
    const g1 = bls12_381.G1.Point.BASE.toBytes(true);
    expect(parseCompressedPoint(g1, "G1")).toMatchObject({ infinity: false, yFlag: (g1[0]! & 0x20) !== 0 });
    expect(thrownCode(() => parseCompressedPoint(g1.slice(0, 47), "G1"))).toBe("BLS_POINT_LENGTH");
    expect(thrownCode(() => parseCompressedPoint(new Uint8Array(96), "G1"))).toBe("BLS_POINT_LENGTH");
    const uncompressed = g1.slice();
    uncompressed[0] = uncompressed[0]! & 0x7f;
    expect(thrownCode(() => parseCompressedPoint(uncompressed, "G1"))).toBe("BLS_POINT_NOT_COMPRESSED");
    const infinity = new Uint8Array(48);
    infinity[0] = 0xc0;
    expect(parseCompressedPoint(infinity, "G1")).toEqual({ infinity: true });
    const infinitySign = infinity.slice();
    infinitySign[0] = 0xe0;
    expect(thrownCode(() => parseCompressedPoint(infinitySign, "G1"))).toBe("BLS_POINT_INFINITY_MALFORMED");
    const infinityBits = infinity.slice();
    infinityBits[0] = 0xc1;
    expect(thrownCode(() => parseCompressedPoint(infinityBits, "G1"))).toBe("BLS_POINT_INFINITY_MALFORMED");
    // x = p − 1 passes the canonical check; x = p does not
    const below = encodeCompressedPoint("G1", { x0: BLS_FIELD_MODULUS - 1n, x1: 0n, y0: 0n, y1: 0n });
    expect(parseCompressedPoint(below, "G1")).toMatchObject({ infinity: false, x0: BLS_FIELD_MODULUS - 1n });
    const atP = encodeCompressedPoint("G1", { x0: BLS_FIELD_MODULUS, x1: 0n, y0: 0n, y1: 0n });
    expect(thrownCode(() => parseCompressedPoint(atP, "G1"))).toBe("BLS_POINT_X_NOT_CANONICAL");
    const realAtP = encodeCompressedPoint("G2", { x0: BLS_FIELD_MODULUS, x1: 0n, y0: 0n, y1: 0n });
    expect(thrownCode(() => parseCompressedPoint(realAtP, "G2"))).toBe("BLS_POINT_X_NOT_CANONICAL");
  });
});

describe("secret keys", () => {
  // @covers BLS-SECRET-KEY.1
  it("accept exactly [1, r − 1] in 32 big-endian bytes", () => {
    expect(parseSecretKey(secretKeyToBytes(1n))).toBe(1n);
    expect(parseSecretKey(secretKeyToBytes(BLS_GROUP_ORDER - 1n))).toBe(BLS_GROUP_ORDER - 1n);
    expect(thrownCode(() => parseSecretKey(secretKeyToBytes(0n)))).toBe("BLS_SECRET_KEY_INVALID");
    expect(thrownCode(() => parseSecretKey(secretKeyToBytes(BLS_GROUP_ORDER)))).toBe(
      "BLS_SECRET_KEY_INVALID",
    );
    expect(thrownCode(() => parseSecretKey(new Uint8Array(33)))).toBe("BLS_SECRET_KEY_INVALID");
  });
});
