import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { naivePow } from "../../../tools/testing/oracles.ts";
import { ACCEPTED, thrownCode } from "../../../tools/testing/specErrors.ts";
import {
  bytesToBigint,
  canonicalize,
  decodeElement,
  doublePowMod,
  encodeElement,
  mulMod,
  powMod,
  sameClass,
} from "./group.ts";
import { VDF_HALF_MODULUS, VDF_MODULUS } from "./params.ts";

const N = VDF_MODULUS;

const residue = fc.bigInt({ min: 1n, max: N - 1n });

describe("canonical representatives of Z_N^* / {±1}", () => {
  // @covers VDF-GROUP.1
  it("canon(v) is min(v, N − v), lies in [1, (N − 1) / 2] and names the class of v", () => {
    fc.assert(
      fc.property(residue, (v) => {
        const c = canonicalize(v);
        expect(c >= 1n && c <= VDF_HALF_MODULUS).toBe(true);
        expect(c === v || c === N - v).toBe(true);
        expect(sameClass(c, v)).toBe(true);
        expect(canonicalize(N - v)).toBe(c);
      }),
      { numRuns: 200 },
    );
    expect(canonicalize(1n)).toBe(1n);
    expect(canonicalize(N - 1n)).toBe(1n);
    expect(canonicalize(VDF_HALF_MODULUS)).toBe(VDF_HALF_MODULUS);
    expect(canonicalize(VDF_HALF_MODULUS + 1n)).toBe(VDF_HALF_MODULUS);
  });

  // @covers VDF-GROUP.1
  it("is compatible with multiplication: canon(a · b) = canon(canon(a) · canon(b))", () => {
    fc.assert(
      fc.property(residue, residue, (a, b) => {
        expect(canonicalize(mulMod(canonicalize(a), canonicalize(b)))).toBe(canonicalize(a * b));
      }),
      { numRuns: 100 },
    );
  });

  // @covers VDF-GROUP.1
  it("sameClass holds exactly for v and N − v", () => {
    fc.assert(
      fc.property(residue, residue, (a, b) => {
        expect(sameClass(a, b)).toBe(a === b || a + b === N);
        expect(sameClass(a, N - a)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

describe("modular exponentiation", () => {
  it("powMod agrees with an independent square-and-multiply and with ** on small numbers", () => {
    fc.assert(
      fc.property(residue, fc.bigInt({ min: 0n, max: (1n << 300n) - 1n }), (b, e) => {
        expect(powMod(b, e, N)).toBe(naivePow(b, e, N));
      }),
      { numRuns: 20 },
    );
    for (let b = 0n; b < 12n; b++) {
      for (let e = 0n; e < 40n; e++) expect(powMod(b, e, 1000003n)).toBe(b ** e % 1000003n);
    }
  });

  it("doublePowMod(a, e, b, f) = a^e · b^f mod N for exponents of any lengths", () => {
    fc.assert(
      fc.property(
        residue,
        fc.bigInt({ min: 0n, max: (1n << 257n) - 1n }),
        residue,
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        (a, e, b, f) => {
          const expected = (naivePow(a, e, N) * naivePow(b, f, N)) % N;
          expect(doublePowMod(a, e, b, f)).toBe(expected);
          expect(doublePowMod(b, f, a, e)).toBe(expected);
        },
      ),
      { numRuns: 10 },
    );
    expect(doublePowMod(5n, 0n, 7n, 0n)).toBe(1n);
    expect(doublePowMod(5n, 3n, 7n, 0n)).toBe(125n);
    expect(doublePowMod(5n, 1n, 7n, 2n)).toBe(245n);
  });
});

describe("element encoding", () => {
  // @covers VDF-ENCODING.1
  it("I2OSP(v, 256) is 256 bytes, big-endian, and decodes back to v for canonical v", () => {
    expect(encodeElement(1n)).toEqual(new Uint8Array([...new Array<number>(255).fill(0), 1]));
    expect(encodeElement(0x0102n).slice(254)).toEqual(new Uint8Array([1, 2]));
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: VDF_HALF_MODULUS }), (v) => {
        const bytes = encodeElement(v);
        expect(bytes.length).toBe(256);
        expect(BigInt(`0x${Buffer.from(bytes).toString("hex")}`)).toBe(v);
        expect(bytesToBigint(bytes)).toBe(v);
        expect(decodeElement(bytes, "v")).toBe(v);
      }),
      { numRuns: 100 },
    );
  });

  // @covers VDF-ENCODING.1
  it("rejects a wrong length, 0, values ≥ N, and non-canonical representatives, with the named codes", () => {
    const decode = (bytes: Uint8Array) => thrownCode(() => decodeElement(bytes, "v"));
    expect(decode(new Uint8Array(255).fill(1))).toBe("VDF_ENCODING_LENGTH");
    expect(decode(new Uint8Array(257).fill(0))).toBe("VDF_ENCODING_LENGTH");
    expect(decode(new Uint8Array(0))).toBe("VDF_ENCODING_LENGTH");
    expect(decode(new Uint8Array(32).fill(1))).toBe("VDF_ENCODING_LENGTH");
    expect(decode(new Uint8Array(256))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(decode(encodeElement(N))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(decode(new Uint8Array(256).fill(0xff))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
    expect(decode(encodeElement(N - 1n))).toBe("VDF_ELEMENT_NOT_CANONICAL");
    expect(decode(encodeElement(VDF_HALF_MODULUS + 1n))).toBe("VDF_ELEMENT_NOT_CANONICAL");
    expect(decode(encodeElement(VDF_HALF_MODULUS))).toBe(ACCEPTED);
    expect(decode(encodeElement(1n))).toBe(ACCEPTED);
    fc.assert(
      fc.property(fc.bigInt({ min: VDF_HALF_MODULUS + 1n, max: N - 1n }), (v) => {
        expect(decode(encodeElement(v))).toBe("VDF_ELEMENT_NOT_CANONICAL");
      }),
      { numRuns: 50 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: N, max: (1n << 2048n) - 1n }), (v) => {
        expect(decode(encodeElement(v))).toBe("VDF_ELEMENT_OUT_OF_RANGE");
      }),
      { numRuns: 50 },
    );
  });
});
