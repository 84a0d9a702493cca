import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hexPrefixDecode, hexPrefixEncode, keyToNibbles } from "./hexPrefix.ts";

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");
const nibbles = (digits: string): Uint8Array => Uint8Array.from(digits, (d) => Number.parseInt(d, 16));

// @covers TRIE-NIBBLES.1
describe("TRIE-NIBBLES.1", () => {
  it("splits each byte high nibble first", () => {
    expect(Array.from(keyToNibbles(Uint8Array.of(0x4f, 0x0a)))).toEqual([4, 15, 0, 10]);
    expect(keyToNibbles(new Uint8Array(0))).toHaveLength(0);
  });

  it("preserves lexicographic order (sorting keys sorts paths)", () => {
    const cmp = (a: ArrayLike<number>, b: ArrayLike<number>): number => {
      for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
      return a.length - b.length;
    };
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 6 }), fc.uint8Array({ maxLength: 6 }), (a, b) => {
        expect(Math.sign(cmp(keyToNibbles(a), keyToNibbles(b)))).toBe(Math.sign(cmp(a, b)));
      }),
    );
  });
});

// @covers TRIE-HP.1
describe("TRIE-HP.1 hex-prefix encoding", () => {
  it("matches the worked examples (Yellow Paper appendix C, spec §1.4)", () => {
    expect(hex(hexPrefixEncode(nibbles("12345"), false))).toBe("112345");
    expect(hex(hexPrefixEncode(nibbles("012345"), false))).toBe("00012345");
    expect(hex(hexPrefixEncode(nibbles("0f1cb8"), true))).toBe("200f1cb8");
    expect(hex(hexPrefixEncode(nibbles("f1cb8"), true))).toBe("3f1cb8");
    expect(hex(hexPrefixEncode(nibbles(""), true))).toBe("20");
    expect(hex(hexPrefixEncode(nibbles(""), false))).toBe("00");
  });

  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 15 }), { maxLength: 70 }),
        fc.boolean(),
        (path, leaf) => {
          const decoded = hexPrefixDecode(hexPrefixEncode(Uint8Array.from(path), leaf));
          expect(decoded).not.toBeNull();
          expect(Array.from(decoded!.nibbles)).toEqual(path);
          expect(decoded!.isLeaf).toBe(leaf);
        },
      ),
    );
  });

  it("rejects empty input, flags above 3 and a non-zero padding nibble", () => {
    expect(hexPrefixDecode(new Uint8Array(0))).toBeNull();
    for (let flag = 4; flag < 16; flag++) expect(hexPrefixDecode(Uint8Array.of(flag << 4))).toBeNull();
    expect(hexPrefixDecode(Uint8Array.of(0x01))).toBeNull();
    expect(hexPrefixDecode(Uint8Array.of(0x2f, 0x00))).toBeNull();
    expect(hexPrefixDecode(Uint8Array.of(0x1f))).not.toBeNull();
  });
});
