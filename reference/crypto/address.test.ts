import { bech32 } from "@scure/base";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import type { Result } from "../errors.ts";
import { unwrap } from "../errors.ts";
import { MAINNET } from "../params/presets.ts";
import {
  addressFromBech32,
  addressFromHex,
  addressToBech32,
  addressToChecksumHex,
  addressToHex,
  BECH32_CHARSET,
  bech32Decode,
  bech32Encode,
} from "./address.ts";

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error(`expected a rejection, got ${JSON.stringify(result.value)}`);
  return result.error.code;
}

const address20 = fc.uint8Array({ minLength: 20, maxLength: 20 });

describe("hex addresses (EIP-55)", () => {
  // The four checksummed addresses of the EIP-55 text.
  const EIP55 = [
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ];

  // @covers ADDR-HEX.1
  it("accepts and produces the EIP-55 examples; outputs lower case", () => {
    for (const text of EIP55) {
      const bytes = unwrap(addressFromHex(text));
      expect(unwrap(addressToChecksumHex(bytes))).toBe(text);
      expect(unwrap(addressToHex(bytes))).toBe(text.toLowerCase());
      expect(unwrap(addressFromHex(text.toLowerCase()))).toEqual(bytes);
      expect(unwrap(addressFromHex(`0x${text.slice(2).toUpperCase()}`))).toEqual(bytes);
    }
  });

  // @covers ADDR-HEX.1
  it("rejects a mixed-case address whose case pattern breaks the checksum", () => {
    // swap the case of the first letter of each example
    for (const text of EIP55) {
      const body = text.slice(2);
      const i = body.search(/[a-fA-F]/);
      const c = body[i]!;
      const flipped =
        body.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + body.slice(i + 1);
      const hasLower = /[a-f]/.test(flipped);
      const hasUpper = /[A-F]/.test(flipped);
      if (hasLower && hasUpper) expect(code(addressFromHex(`0x${flipped}`))).toBe("ADDR_HEX_CHECKSUM");
    }
  });

  // @covers ADDR-HEX.1
  it("rejects a missing prefix, a wrong length and non-hex characters", () => {
    expect(code(addressFromHex("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))).toBe("ADDR_HEX_PREFIX");
    expect(code(addressFromHex("0X5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))).toBe("ADDR_HEX_PREFIX");
    expect(code(addressFromHex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea"))).toBe("ADDR_HEX_LENGTH");
    expect(code(addressFromHex("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaxx"))).toBe("ADDR_HEX_CHARACTER");
    expect(code(addressToHex(new Uint8Array(19)))).toBe("ADDR_LENGTH");
    expect(code(addressToChecksumHex(new Uint8Array(21)))).toBe("ADDR_LENGTH");
  });

  // @covers ADDR-HEX.1
  it("rejects a non-ASCII character before the length is counted (L2 before L3)", () => {
    const body = "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"; // 40 ASCII hex digits
    const cases: [string, string][] = [
      // 39 UTF-16 units, 39 code points, 40 UTF-8 bytes: each counting gave a different first fault
      [`0x${body.slice(0, 38)}\u00e9`, "é after 38 digits"],
      // 41 units; the length would fail first if it were counted first
      [`0x${body}\u00e9`, "é after 40 digits"],
      // 40 UTF-16 units: a fullwidth digit (U+FF11, 3 UTF-8 bytes) in place of one digit
      [`0x${body.slice(0, 34)}\uff11${body.slice(35)}`, "fullwidth digit one"],
      // an astral character: 2 UTF-16 units, 1 code point, 4 UTF-8 bytes
      [`0x${body.slice(0, 38)}\u{1d7d9}`, "mathematical double-struck digit one"],
      // a lone surrogate, which a JSON string may carry as an escape
      [`0x${body.slice(0, 39)}\ud800`, "lone high surrogate"],
      // a non-ASCII character long before the end, in an otherwise too long body
      [`0x\u00e0${body}${body}`, "à first, body far too long"],
    ];
    for (const [text, label] of cases) expect(code(addressFromHex(text)), label).toBe("ADDR_HEX_CHARACTER");
    // The prefix is still checked first.
    expect(code(addressFromHex(`\u00e9x${body}`))).toBe("ADDR_HEX_PREFIX");
    // ASCII input keeps the order of the checks: length before characters.
    expect(code(addressFromHex(`0x${body.slice(0, 38)}g`))).toBe("ADDR_HEX_LENGTH");
    expect(code(addressFromHex(`0x${body.slice(0, 39)}g`))).toBe("ADDR_HEX_CHARACTER");
  });
});

describe("bech32 (BIP-173 test vectors)", () => {
  const VALID = [
    "A12UEL5L",
    "a12uel5l",
    "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",
    "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",
    "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",
    "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",
    "?1ezyfcl",
  ];
  // BIP-173's invalid strings with the reason it gives, mapped to this chapter's codes.
  const INVALID: readonly [string, string][] = [
    ["\x201nwldj5", "ADDR_BECH32_MALFORMED"], // HRP character out of range
    ["\x7f1axkwrx", "ADDR_BECH32_MALFORMED"], // HRP character out of range
    ["\x801eym55h", "ADDR_BECH32_MALFORMED"], // HRP character out of range
    [
      "an84characterslonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1569pvx",
      "ADDR_BECH32_MALFORMED",
    ], // overall max length exceeded
    ["pzry9x0s0muk", "ADDR_BECH32_MALFORMED"], // no separator character
    ["1pzry9x0s0muk", "ADDR_BECH32_MALFORMED"], // empty HRP
    ["x1b4n0q5v", "ADDR_BECH32_MALFORMED"], // invalid data character
    ["li1dgmt3", "ADDR_BECH32_MALFORMED"], // too short checksum
    ["de1lg7wt\xff", "ADDR_BECH32_MALFORMED"], // invalid character in checksum
    ["A1G7SGD8", "ADDR_BECH32_CHECKSUM"], // checksum calculated with upper-case form of HRP
    ["10a06t8", "ADDR_BECH32_MALFORMED"], // empty HRP
    ["1qzzfhee", "ADDR_BECH32_MALFORMED"], // empty HRP
    ["a12UEL5L", "ADDR_BECH32_MIXED_CASE"],
    ["A12uEL5L", "ADDR_BECH32_MIXED_CASE"],
  ];

  // @covers ADDR-BECH32.1
  it("decodes every valid string and re-encodes it to its lower-case form", () => {
    for (const text of VALID) {
      const { hrp, data } = unwrap(bech32Decode(text));
      expect(bech32Encode(hrp, data)).toBe(text.toLowerCase());
    }
    // the data part of this vector spells the alphabet in order: values 0..31
    const { data } = unwrap(bech32Decode("abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw"));
    expect(data).toEqual(Array.from({ length: 32 }, (_, i) => i));
    expect(BECH32_CHARSET.length).toBe(32);
  });

  // @covers ADDR-BECH32.1
  it("rejects every invalid string with the code of its failure", () => {
    for (const [text, expected] of INVALID)
      expect(code(bech32Decode(text)), JSON.stringify(text)).toBe(expected);
  });
});

describe("bech32 account addresses", () => {
  const prefix = MAINNET.bech32Prefix;

  // @covers ADDR-BECH32-ACCOUNT.1
  it("converts the Harmony documentation pair one1pdv9…zxy ⇔ 0x0B585F8D…4016", () => {
    const hex = "0x0B585F8DaEfBC68a311FbD4cB20d9174aD174016";
    const bytes = unwrap(addressFromHex(hex));
    expect(unwrap(addressToBech32(bytes, prefix))).toBe("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy");
    expect(bytesToHex(unwrap(addressFromBech32("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy", prefix)))).toBe(
      hex.toLowerCase(),
    );
    expect(unwrap(addressFromBech32("ONE1PDV9LRDWL0RG5VGLH4XTYRV3WJK3WSQKET7ZXY", prefix))).toEqual(bytes);
  });

  // @covers ADDR-BECH32-ACCOUNT.1 ADDR-BECH32.1
  it("round-trips random addresses and agrees with @scure/base (an independent bech32 implementation)", () => {
    fc.assert(
      fc.property(address20, (bytes) => {
        const text = unwrap(addressToBech32(bytes, prefix));
        expect(text).toBe(bech32.encode(prefix, bech32.toWords(bytes)));
        expect(unwrap(addressFromBech32(text, prefix))).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });

  // @covers ADDR-BECH32-ACCOUNT.1
  it("detects any single-character substitution (checksum) and rejects wrong HRP, length and mixed case", () => {
    const text = "one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy";
    fc.assert(
      fc.property(fc.integer({ min: 4, max: text.length - 1 }), fc.nat(31), (position, shift) => {
        const original = BECH32_CHARSET.indexOf(text[position]!);
        const replacement = BECH32_CHARSET[(original + 1 + (shift % 31)) % 32]!;
        const mutated = text.slice(0, position) + replacement + text.slice(position + 1);
        expect(code(addressFromBech32(mutated, prefix))).toBe("ADDR_BECH32_CHECKSUM");
      }),
      { numRuns: 100 },
    );
    const bytes = bytesFromHex("0x0b585f8daefbc68a311fbd4cb20d9174ad174016");
    expect(code(addressFromBech32(bech32Encode("two", bech32.toWords(bytes)), prefix))).toBe(
      "ADDR_BECH32_HRP",
    );
    expect(code(addressFromBech32(bech32Encode(prefix, bech32.toWords(bytes.slice(0, 19))), prefix))).toBe(
      "ADDR_BECH32_LENGTH",
    );
    expect(code(addressFromBech32(bech32Encode(prefix, [...bech32.toWords(bytes), 0]), prefix))).toBe(
      "ADDR_BECH32_LENGTH",
    );
    expect(code(addressFromBech32("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxY", prefix))).toBe(
      "ADDR_BECH32_MIXED_CASE",
    );
    expect(code(addressFromBech32("one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxb", prefix))).toBe(
      "ADDR_BECH32_MALFORMED",
    );
    expect(code(addressToBech32(new Uint8Array(21), prefix))).toBe("ADDR_LENGTH");
  });
});
