import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { thrownCode } from "../../tools/testing/specErrors.ts";
import {
  bigintFromDecimal,
  bigintToDecimal,
  bytesFromHex,
  bytesToHex,
  DecimalBigInt,
  HexBytes,
  hexBytesOfLength,
  parseWith,
  RlpItemJson,
  rlpItemFromJson,
  rlpItemToJson,
} from "./json.ts";
import type { RlpItem } from "./rlp.ts";

// @covers JSON-BYTES.1
describe("JSON-BYTES.1 hex form of bytes", () => {
  it("reads and writes lower-case 0x hex", () => {
    expect(bytesFromHex("0x")).toEqual(new Uint8Array(0));
    expect(bytesFromHex("0x00ff10")).toEqual(Uint8Array.of(0x00, 0xff, 0x10));
    expect(bytesToHex(Uint8Array.of(0xde, 0xad, 0x01))).toBe("0xdead01");
    expect(bytesToHex(new Uint8Array(0))).toBe("0x");
  });

  it("round-trips every byte string, and the written form is the Node Buffer hex form", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = bytesToHex(bytes);
        expect(text).toBe(`0x${Buffer.from(bytes).toString("hex")}`);
        expect(bytesFromHex(text)).toEqual(bytes);
      }),
    );
  });

  it("rejects a missing prefix, odd length, upper case and non-hex characters", () => {
    expect(thrownCode(() => bytesFromHex("00"))).toBe("JSON_HEX_PREFIX");
    expect(thrownCode(() => bytesFromHex(""))).toBe("JSON_HEX_PREFIX");
    expect(thrownCode(() => bytesFromHex("0X00"))).toBe("JSON_HEX_PREFIX");
    expect(thrownCode(() => bytesFromHex("0x0"))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => bytesFromHex("0xAB"))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => bytesFromHex("0x0g"))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => bytesFromHex("0x 0"))).toBe("JSON_HEX_MALFORMED");
  });

  it("fixed-length fields reject other lengths with JSON_BYTES_LENGTH", () => {
    const schema = hexBytesOfLength(2);
    expect(parseWith(schema, "0x0102")).toEqual(Uint8Array.of(1, 2));
    expect(thrownCode(() => parseWith(schema, "0x01"))).toBe("JSON_BYTES_LENGTH");
    expect(thrownCode(() => parseWith(schema, "0x010203"))).toBe("JSON_BYTES_LENGTH");
    expect(thrownCode(() => parseWith(schema, "0x0"))).toBe("JSON_HEX_MALFORMED");
  });
});

// @covers JSON-BIGINT.1
describe("JSON-BIGINT.1 decimal form of big integers", () => {
  it("reads and writes canonical decimals beyond 2^53", () => {
    expect(bigintFromDecimal("0")).toBe(0n);
    expect(
      bigintFromDecimal("115792089237316195423570985008687907853269984665640564039457584007913129639936"),
    ).toBe(2n ** 256n);
    expect(bigintToDecimal(2n ** 64n)).toBe("18446744073709551616");
  });

  it("round-trips every non-negative integer", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 300n }), (n) => {
        expect(bigintFromDecimal(bigintToDecimal(n))).toBe(n);
      }),
    );
  });

  it("rejects signs, leading zeros, exponents, spaces and negatives", () => {
    for (const bad of ["", "-1", "+1", "01", "00", "1e3", " 1", "1 ", "0x10", "1.0"]) {
      expect(thrownCode(() => bigintFromDecimal(bad))).toBe("JSON_DECIMAL_MALFORMED");
    }
    expect(thrownCode(() => bigintToDecimal(-1n))).toBe("JSON_DECIMAL_MALFORMED");
  });
});

// @covers JSON-DECODE.1
describe("JSON-DECODE.1 schema check before any rule", () => {
  const schema = z.object({ data: HexBytes, amount: DecimalBigInt }).strict();

  it("passes a well-formed document", () => {
    expect(parseWith(schema, { data: "0x01", amount: "7" })).toEqual({ data: Uint8Array.of(1), amount: 7n });
  });

  it("raises the field-form code when a field fails its form", () => {
    expect(thrownCode(() => parseWith(schema, { data: "01", amount: "7" }))).toBe("JSON_HEX_PREFIX");
    expect(thrownCode(() => parseWith(schema, { data: "0x1", amount: "7" }))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => parseWith(schema, { data: "0x01", amount: "07" }))).toBe(
      "JSON_DECIMAL_MALFORMED",
    );
  });

  it("raises JSON_SCHEMA for missing, unknown and mistyped fields", () => {
    expect(thrownCode(() => parseWith(schema, { data: "0x01" }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => parseWith(schema, { data: "0x01", amount: "7", extra: 1 }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => parseWith(schema, { data: 1, amount: "7" }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => parseWith(schema, null))).toBe("JSON_SCHEMA");
  });

  it("a field that has its JSON type but fails its form wins over a structural fault elsewhere", () => {
    expect(thrownCode(() => parseWith(schema, { data: 1, amount: "07" }))).toBe("JSON_DECIMAL_MALFORMED");
    expect(thrownCode(() => parseWith(schema, { data: "0xAB" }))).toBe("JSON_HEX_MALFORMED");
    // Schema order: `data` is declared before `amount`.
    expect(thrownCode(() => parseWith(schema, { amount: "07", data: "0x1" }))).toBe("JSON_HEX_MALFORMED");
  });
});

// @covers JSON-RLP.1
describe("JSON-RLP.1 JSON form of RLP items", () => {
  it("maps strings to bytes and arrays to lists", () => {
    expect(rlpItemFromJson(["0x646f67", [], "0x"])).toEqual([
      Uint8Array.of(0x64, 0x6f, 0x67),
      [],
      new Uint8Array(0),
    ]);
    expect(rlpItemToJson([Uint8Array.of(1), [[new Uint8Array(0)]]])).toEqual(["0x01", [["0x"]]]);
  });

  it("round-trips random nested items", () => {
    const { item } = fc.letrec<{ item: RlpItem }>((tie) => ({
      item: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        fc.uint8Array({ maxLength: 8 }),
        fc.array(tie("item"), { maxLength: 4 }),
      ),
    }));
    fc.assert(
      fc.property(item, (x) => {
        expect(rlpItemFromJson(rlpItemToJson(x))).toEqual(x);
        expect(parseWith(RlpItemJson, rlpItemToJson(x))).toEqual(x);
      }),
    );
  });

  it("rejects non-string, non-array values with JSON_SCHEMA and bad hex with its code", () => {
    for (const bad of [1, null, true, { a: "0x" }, ["0x01", [2]], [[null]]]) {
      expect(thrownCode(() => rlpItemFromJson(bad))).toBe("JSON_SCHEMA");
      expect(thrownCode(() => parseWith(RlpItemJson, bad))).toBe("JSON_SCHEMA");
    }
    expect(thrownCode(() => parseWith(RlpItemJson, ["0x01", ["0xAB"]]))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => parseWith(RlpItemJson, [["01"]]))).toBe("JSON_HEX_PREFIX");
    // The structure is checked as a whole before any string: a number anywhere makes it JSON_SCHEMA.
    expect(thrownCode(() => parseWith(RlpItemJson, ["0xAB", 7]))).toBe("JSON_SCHEMA");
    // Depth-first order: the first malformed string decides.
    expect(thrownCode(() => parseWith(RlpItemJson, [["0x1"], "01"]))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => parseWith(RlpItemJson, ["01", ["0x1"]]))).toBe("JSON_HEX_PREFIX");
  });
});
