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
  JSON_INT_MAX,
  JsonFlag,
  JsonInt,
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

// @covers JSON-INT.1
describe("JSON-INT.1 small integers and flags", () => {
  it("accepts integral JSON numbers in [0, 2^53 − 1], whatever their textual form", () => {
    expect(JSON_INT_MAX).toBe(2 ** 53 - 1);
    for (const text of ["0", "7", "7.0", "7e0", "0.7e1", "65536", "9007199254740991"]) {
      expect(parseWith(JsonInt, JSON.parse(text)), text).toBe(Number(text));
    }
  });

  it("rejects fractions, negatives, values above 2^53 − 1 and non-numbers with JSON_SCHEMA", () => {
    // 9007199254740993 reads as 2^53 in binary64, so it is rejected as above the range, not rounded down.
    for (const text of [
      "-1",
      "-0.5",
      "1.5",
      "9007199254740992",
      "9007199254740993",
      "1e300",
      '"7"',
      "null",
      "true",
    ]) {
      expect(
        thrownCode(() => parseWith(JsonInt, JSON.parse(text))),
        text,
      ).toBe("JSON_SCHEMA");
    }
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, 7n, [7], { v: 7 }]) {
      expect(
        thrownCode(() => parseWith(JsonInt, value)),
        String(value),
      ).toBe("JSON_SCHEMA");
    }
  });

  it("a flag is true or false and nothing else", () => {
    expect(parseWith(JsonFlag, true)).toBe(true);
    expect(parseWith(JsonFlag, false)).toBe(false);
    for (const value of [0, 1, "true", "false", null, [], {}]) {
      expect(
        thrownCode(() => parseWith(JsonFlag, value)),
        JSON.stringify(value),
      ).toBe("JSON_SCHEMA");
    }
  });

  // @covers JSON-INT.1 JSON-DECODE.1
  it("its faults are type faults: a malformed byte string elsewhere in the document wins", () => {
    const schema = z.object({ size: JsonInt, data: HexBytes, secure: JsonFlag }).strict();
    expect(parseWith(schema, { size: 3, data: "0x01", secure: false })).toEqual({
      size: 3,
      data: Uint8Array.of(1),
      secure: false,
    });
    expect(thrownCode(() => parseWith(schema, { size: 1.5, data: "0x01", secure: false }))).toBe(
      "JSON_SCHEMA",
    );
    expect(thrownCode(() => parseWith(schema, { size: 1.5, data: "0xAB", secure: 1 }))).toBe(
      "JSON_HEX_MALFORMED",
    );
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

  it("rlpItemFromJson on its own also checks the whole structure before any string", () => {
    // A malformed string before the fault in the structure: the structure decides (JSON_SCHEMA).
    expect(thrownCode(() => rlpItemFromJson(["0xAB", 7]))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => rlpItemFromJson(["01", [["0x", null]]]))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => rlpItemFromJson([["0x1"], "01"]))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => rlpItemFromJson(["01", ["0x1"]]))).toBe("JSON_HEX_PREFIX");
    // The same code as through the schema, for any mix of faults.
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: "small" },
        fc.constantFrom("0x", "0x01", "0xAB", "01", "0x1"),
        fc.constantFrom(1, null, true, {}),
        fc.array(tie("v"), { maxLength: 3 }),
      ),
    })).v;
    fc.assert(
      fc.property(value, (v) => {
        const direct = thrownCode(() => rlpItemFromJson(v));
        const viaSchema = thrownCode(() => parseWith(RlpItemJson, v));
        expect(direct).toBe(viaSchema);
      }),
      { numRuns: 300 },
    );
  });
});
