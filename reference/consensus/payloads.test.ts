import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { commitPayload, m1Payload, m2Payload, m3Payload, preparePayload, uint64Le } from "./payloads.ts";

/** uint64_le written with DataView, independently of the module. */
function le(value: bigint): number[] {
  const view = new DataView(new ArrayBuffer(8));
  view.setBigUint64(0, value, true);
  return Array.from(new Uint8Array(view.buffer));
}

const HASH = Uint8Array.from({ length: 32 }, (_, i) => 0xa0 + i);
const H = Array.from(HASH);

describe("signed bytes", () => {
  // @covers FBFT-PAYLOADS.1
  it("writes uint64 little-endian", () => {
    expect(Array.from(uint64Le(0n))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(uint64Le(0x0102n))).toEqual([2, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(uint64Le((1n << 64n) - 1n))).toEqual([255, 255, 255, 255, 255, 255, 255, 255]);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (v) => {
        expect(Array.from(uint64Le(v))).toEqual(le(v));
      }),
    );
  });

  // @covers FBFT-PAYLOADS.1
  it("lays out each payload as the table says", () => {
    const n = 0x1234n;
    const v = 7n;
    const w = 9n;
    const p = 5n;
    const u = 3n;
    expect(Array.from(preparePayload(n, HASH, v))).toEqual([0x04, ...le(n), ...H, ...le(v)]);
    expect(Array.from(commitPayload(n, HASH, u))).toEqual([...le(n), ...H, ...le(u)]);
    expect(Array.from(m3Payload(n, w))).toEqual([...le(n), ...le(w)]);
    expect(Array.from(m2Payload(n, w))).toEqual([0x01, ...le(n), ...le(w)]);
    expect(Array.from(m1Payload(n, w, p, HASH))).toEqual([0x02, ...le(n), ...le(w), ...le(p), ...H]);
  });

  // @covers FBFT-PAYLOADS.1
  it("gives the five purposes five different lengths", () => {
    const lengths = [
      preparePayload(1n, HASH, 1n).length,
      commitPayload(1n, HASH, 1n).length,
      m3Payload(1n, 1n).length,
      m2Payload(1n, 1n).length,
      m1Payload(1n, 1n, 1n, HASH).length,
    ];
    expect(lengths).toEqual([49, 48, 16, 17, 57]);
  });

  // @covers FBFT-PAYLOADS.1
  it("refuses values outside the payload domains as a caller defect", () => {
    expect(() => uint64Le(1n << 64n)).toThrow(RangeError);
    expect(() => uint64Le(-1n)).toThrow(RangeError);
    expect(() => preparePayload(0n, HASH.slice(1), 0n)).toThrow(RangeError);
    expect(() => m1Payload(0n, 0n, 0n, new Uint8Array(33))).toThrow(RangeError);
  });
});
