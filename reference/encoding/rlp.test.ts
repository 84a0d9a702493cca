import { readFileSync } from "node:fs";
import { RLP } from "@ethereumjs/rlp";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCEPTED, resultCode, thrownCode } from "../../tools/testing/specErrors.ts";
import {
  decodeScalar,
  encodedLength,
  encodeScalar,
  expectRlpBytes,
  expectRlpList,
  isRlpList,
  type RlpItem,
  rlpDecode,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "./rlp.ts";

const DATA = new URL("../../test-data/rlp/", import.meta.url);

/** Lenient hex reader for the upstream files: optional 0x, either case (see test-data/rlp/SOURCE.md). */
function looseHex(text: string): Uint8Array {
  const body = text.startsWith("0x") ? text.slice(2) : text;
  return Uint8Array.from(Buffer.from(body, "hex"));
}

function concat(...parts: (Uint8Array | number[])[]): Uint8Array {
  return Uint8Array.from(parts.flatMap((p) => Array.from(p)));
}

/** Minimal big-endian bytes of a length, written independently of the reference. */
function be(n: number): number[] {
  const out: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return out;
}

const item: fc.Arbitrary<RlpItem> = fc.letrec<{ item: RlpItem }>((tie) => ({
  item: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(
      fc.uint8Array({ maxLength: 3 }),
      fc.uint8Array({ minLength: 50, maxLength: 60 }),
      fc.uint8Array({ maxLength: 300 }),
    ),
    fc.array(tie("item"), { maxLength: 6 }),
  ),
})).item;

describe("RLP-ENCODE.1 / RLP-DECODE.1 worked examples", () => {
  // @covers RLP-ENCODE.1 RLP-DECODE.1
  it("encodes the Yellow Paper examples", () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    expect(rlpEncode(ascii("dog"))).toEqual(looseHex("83646f67"));
    expect(rlpEncode([ascii("cat"), ascii("dog")])).toEqual(looseHex("c88363617483646f67"));
    expect(rlpEncode(new Uint8Array(0))).toEqual(looseHex("80"));
    expect(rlpEncode([])).toEqual(looseHex("c0"));
    expect(rlpEncode(Uint8Array.of(0x0f))).toEqual(looseHex("0f"));
    expect(rlpEncode(Uint8Array.of(0x04, 0x00))).toEqual(looseHex("820400"));
    expect(rlpEncode(Uint8Array.of(0x80))).toEqual(looseHex("8180"));
    // 56 bytes is the first long string: 0xb8 0x38 then the bytes.
    expect(rlpEncode(new Uint8Array(56))).toEqual(concat([0xb8, 0x38], new Uint8Array(56)));
    // [ [], [[]], [ [], [[]] ] ] — the set-theoretic representation of three (Yellow Paper / RLP wiki).
    expect(rlpEncode([[], [[]], [[], [[]]]])).toEqual(looseHex("c7c0c1c0c3c0c1c0"));
  });

  // @covers RLP-DECODE.1
  it("names the first failing check (examples in spec §1.2)", () => {
    expect(resultCode(rlpDecode(looseHex("b800")))).toBe("RLP_LEADING_ZERO_LENGTH");
    expect(resultCode(rlpDecode(looseHex("b801")))).toBe("RLP_NON_CANONICAL_SHORT_LENGTH");
    expect(resultCode(rlpDecode(looseHex("b8")))).toBe("RLP_INPUT_TOO_SHORT");
    expect(resultCode(rlpDecode(looseHex("c1b8")))).toBe("RLP_LIST_PAYLOAD_MISMATCH");
    expect(resultCode(rlpDecode(looseHex("c283646f")))).toBe("RLP_LIST_PAYLOAD_MISMATCH");
    expect(resultCode(rlpDecode(looseHex("8100")))).toBe("RLP_NON_CANONICAL_SINGLE_BYTE");
    expect(resultCode(rlpDecode(looseHex("c28100")))).toBe("RLP_NON_CANONICAL_SINGLE_BYTE");
    expect(resultCode(rlpDecode(looseHex("0000")))).toBe("RLP_TRAILING_BYTES");
    expect(resultCode(rlpDecode(new Uint8Array(0)))).toBe("RLP_EMPTY_INPUT");
    expect(resultCode(rlpDecode(looseHex("8180")))).toBe(ACCEPTED);
  });

  // @covers RLP-DECODE.1
  it("decodes nesting as deep as the input allows without recursion limits", () => {
    // Build [[[…[]…]]] of depth 20000 from the inside out: sizes first, then headers outside-in.
    const depth = 20000;
    const payloads: number[] = [0];
    for (let i = 1; i < depth; i++) {
      const inner = payloads[i - 1]!;
      payloads.push(inner + (inner <= 55 ? 1 : 1 + be(inner).length));
    }
    const outer = payloads[depth - 1]!;
    const bytes: number[] = [];
    for (let i = depth - 1; i >= 0; i--) {
      const n = payloads[i]!;
      if (n <= 55) bytes.push(0xc0 + n);
      else bytes.push(0xf7 + be(n).length, ...be(n));
    }
    expect(bytes.length).toBe(outer + (outer <= 55 ? 1 : 1 + be(outer).length));
    const decoded = rlpDecode(Uint8Array.from(bytes));
    expect(decoded.ok).toBe(true);
    let level = 0;
    let node: RlpItem = decoded.ok ? decoded.value : [];
    while (isRlpList(node) && node.length === 1) {
      node = node[0]!;
      level++;
    }
    expect(level).toBe(depth - 1);
    expect(node).toEqual([]);
  });
});

describe("RLP-ENCODE.1 / RLP-DECODE.1 properties", () => {
  // @covers RLP-ENCODE.1 RLP-DECODE.1
  it("decode(encode(x)) = x for random nested items", () => {
    fc.assert(
      fc.property(item, (x) => {
        const encoded = rlpEncode(x);
        expect(encodedLength(x)).toBe(encoded.length);
        const decoded = rlpDecode(encoded);
        expect(decoded.ok && decoded.value).toEqual(x);
      }),
      { numRuns: 300 },
    );
  });

  // @covers RLP-ENCODE.1
  it("agrees byte for byte with @ethereumjs/rlp", () => {
    fc.assert(
      fc.property(item, (x) => {
        expect(rlpEncode(x)).toEqual(RLP.encode(x as never));
      }),
      { numRuns: 300 },
    );
  });

  // @covers RLP-DECODE.1
  it("every byte string that decodes re-encodes to itself (canonicity)", () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 12 }), (bytes) => {
        const decoded = rlpDecode(bytes);
        if (decoded.ok) expect(rlpEncode(decoded.value)).toEqual(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  /** Wraps `bad` between canonical encodings of `before` and `after` inside a canonical list header. */
  function embed(before: RlpItem[], bad: Uint8Array, after: RlpItem[]): Uint8Array {
    const payload = concat(...before.map(rlpEncode), bad, ...after.map(rlpEncode));
    const head =
      payload.length <= 55
        ? [0xc0 + payload.length]
        : [0xf7 + be(payload.length).length, ...be(payload.length)];
    return concat(head, payload);
  }

  const context = fc.record({
    wrap: fc.boolean(),
    before: fc.array(item, { maxLength: 3 }),
    after: fc.array(item, { maxLength: 3 }),
  });
  const place = (c: { wrap: boolean; before: RlpItem[]; after: RlpItem[] }, bad: Uint8Array) =>
    c.wrap ? embed(c.before, bad, c.after) : bad;

  // @covers RLP-DECODE.1
  it("a single byte below 0x80 behind a string header → RLP_NON_CANONICAL_SINGLE_BYTE", () => {
    fc.assert(
      fc.property(context, fc.integer({ min: 0, max: 0x7f }), (c, b) => {
        expect(resultCode(rlpDecode(place(c, Uint8Array.of(0x81, b))))).toBe("RLP_NON_CANONICAL_SINGLE_BYTE");
      }),
      { numRuns: 200 },
    );
  });

  // @covers RLP-DECODE.1
  it("long-form header for a payload of 1..55 bytes → RLP_NON_CANONICAL_SHORT_LENGTH", () => {
    fc.assert(
      fc.property(
        context,
        fc.uint8Array({ minLength: 1, maxLength: 55 }),
        fc.boolean(),
        (c, payload, asList) => {
          // A list payload must itself be well formed: use single low bytes as its elements.
          const body = asList ? payload.map((b) => b & 0x7f) : payload;
          const bad = concat([asList ? 0xf8 : 0xb8, body.length], body);
          expect(resultCode(rlpDecode(place(c, bad)))).toBe("RLP_NON_CANONICAL_SHORT_LENGTH");
        },
      ),
      { numRuns: 200 },
    );
    // Payload length 0 in long form fails earlier, at the leading-zero check (L9).
    expect(resultCode(rlpDecode(looseHex("b800")))).toBe("RLP_LEADING_ZERO_LENGTH");
  });

  // @covers RLP-DECODE.1
  it("a long-form length with a leading zero byte → RLP_LEADING_ZERO_LENGTH", () => {
    fc.assert(
      fc.property(
        context,
        fc.uint8Array({ minLength: 56, maxLength: 300 }),
        fc.boolean(),
        (c, payload, asList) => {
          const body = asList ? payload.map((b) => b & 0x7f) : payload;
          const len = be(body.length);
          const bad = concat([(asList ? 0xf7 : 0xb7) + len.length + 1, 0x00, ...len], body);
          expect(resultCode(rlpDecode(place(c, bad)))).toBe("RLP_LEADING_ZERO_LENGTH");
        },
      ),
      { numRuns: 200 },
    );
  });

  // @covers RLP-DECODE.1
  it("bytes after a complete item → RLP_TRAILING_BYTES", () => {
    fc.assert(
      fc.property(item, fc.uint8Array({ minLength: 1, maxLength: 8 }), (x, extra) => {
        expect(resultCode(rlpDecode(concat(rlpEncode(x), extra)))).toBe("RLP_TRAILING_BYTES");
      }),
      { numRuns: 200 },
    );
  });

  // @covers RLP-DECODE.1
  it("a truncated encoding → RLP_INPUT_TOO_SHORT", () => {
    fc.assert(
      fc.property(item, fc.nat(), (x, cutSeed) => {
        const encoded = rlpEncode(x);
        fc.pre(encoded.length >= 2);
        const cut = 1 + (cutSeed % (encoded.length - 1));
        expect(resultCode(rlpDecode(encoded.subarray(0, cut)))).toBe("RLP_INPUT_TOO_SHORT");
      }),
      { numRuns: 200 },
    );
  });

  // @covers RLP-DECODE.1
  it("a list whose header claims less than its elements take → RLP_LIST_PAYLOAD_MISMATCH", () => {
    fc.assert(
      fc.property(fc.array(item, { minLength: 1, maxLength: 5 }), fc.nat(), (elements, dSeed) => {
        const last = rlpEncode(elements[elements.length - 1]!);
        fc.pre(last.length >= 2);
        const payload = concat(...elements.map(rlpEncode));
        const short = payload.length - (1 + (dSeed % (last.length - 1)));
        const head = short <= 55 ? [0xc0 + short] : [0xf7 + be(short).length, ...be(short)];
        // The claimed payload is shorter than the real one, so the input also has trailing bytes; the
        // element overrunning its list is found first.
        expect(resultCode(rlpDecode(concat(head, payload)))).toBe("RLP_LIST_PAYLOAD_MISMATCH");
      }),
      { numRuns: 200 },
    );
  });
});

describe("RLP-SCALAR.1", () => {
  // @covers RLP-SCALAR.1
  it("encodes scalars as minimal big-endian strings (spec examples)", () => {
    expect(encodeScalar(0n)).toEqual(looseHex("80"));
    expect(encodeScalar(1n)).toEqual(looseHex("01"));
    expect(encodeScalar(127n)).toEqual(looseHex("7f"));
    expect(encodeScalar(128n)).toEqual(looseHex("8180"));
    expect(encodeScalar(1000n)).toEqual(looseHex("8203e8"));
    expect(scalarToBytes(0n)).toEqual(new Uint8Array(0));
  });

  // @covers RLP-SCALAR.1
  it("agrees with @ethereumjs/rlp on bigints and round-trips", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 300n }), (n) => {
        expect(encodeScalar(n)).toEqual(RLP.encode(n));
        const decoded = decodeScalar(scalarToBytes(n));
        expect(decoded.ok && decoded.value).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  // @covers RLP-SCALAR.1
  it("rejects leading zero bytes (including 0x00) and negative integers", () => {
    expect(resultCode(decodeScalar(Uint8Array.of(0)))).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(resultCode(decodeScalar(Uint8Array.of(0, 1)))).toBe("RLP_SCALAR_LEADING_ZERO");
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (rest) => {
        expect(resultCode(decodeScalar(concat([0], rest)))).toBe("RLP_SCALAR_LEADING_ZERO");
      }),
    );
    expect(thrownCode(() => scalarToBytes(-1n))).toBe("RLP_SCALAR_NEGATIVE");
    expect(thrownCode(() => encodeScalar(-(2n ** 70n)))).toBe("RLP_SCALAR_NEGATIVE");
    expect(scalarFromBytes(new Uint8Array(0))).toBe(0n);
  });
});

describe("RLP-ITEM.1 shape expectations", () => {
  // @covers RLP-ITEM.1
  it("expectRlpBytes / expectRlpList accept their kind and name the other", () => {
    const bytes = Uint8Array.of(1);
    expect(expectRlpBytes(bytes, "field")).toBe(bytes);
    expect(expectRlpList([bytes], "tx")).toEqual([bytes]);
    expect(thrownCode(() => expectRlpBytes([], "nonce"))).toBe("RLP_EXPECTED_BYTES");
    expect(thrownCode(() => expectRlpList(bytes, "tx"))).toBe("RLP_EXPECTED_LIST");
    expect(isRlpList([])).toBe(true);
    expect(isRlpList(new Uint8Array(0))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------------
// ethereum/tests RLPTests (test-data/rlp, see SOURCE.md). Loaded at import time: a missing folder fails
// the whole file.

type Cases = Record<string, { in: unknown; out: string }>;
const load = (name: string): Cases => JSON.parse(readFileSync(new URL(name, DATA), "utf8")) as Cases;
const valid = load("rlptest.json");
const invalid = load("invalidRLPTest.json");
const random = load("RandomRLPTests/example.json");

/**
 * The upstream input convention (SOURCE.md): "#digits" is a big integer, a JSON number an integer, a
 * "0x…" string hex bytes, any other string its own (ASCII) bytes, an array a list. Integers become their
 * RLP-SCALAR.1 byte string; `scalars` collects them so their decoding can be checked too.
 */
function fromUpstream(value: unknown, scalars: { bytes: Uint8Array; n: bigint }[]): RlpItem {
  if (Array.isArray(value)) return value.map((v) => fromUpstream(v, scalars));
  if (typeof value === "number" || (typeof value === "string" && value.startsWith("#"))) {
    const n = typeof value === "number" ? BigInt(value) : BigInt(value.slice(1));
    const bytes = scalarToBytes(n);
    scalars.push({ bytes, n });
    return bytes;
  }
  if (typeof value === "string") {
    if (value.startsWith("0x")) return looseHex(value);
    return Uint8Array.from(value, (ch) => ch.charCodeAt(0));
  }
  throw new Error(`unexpected upstream input ${JSON.stringify(value)}`);
}

/**
 * Expected code for each invalid upstream case, derived by hand from the decoder's line order
 * (spec §1.2, RLP-DECODE L1–L15, the HEADER procedure):
 * - int32Overflow(2): 0xbf / 0xff with 8 length bytes 0x0f00…02: length ≫ input → L13 overrun.
 * - wrongSizeList(2), nonOptimalLongLength*: long form (0xb8 / 0xf8) with length ≤ 55 → L11.
 * - incorrectLengthInArray, leadingZerosInLongLength*: first length byte 0x00 → L9 (this includes
 *   0xb800 / 0xf800, whose one length byte is zero).
 * - randomRLP: outer 0xf861 and inner 0xf83e fit, then 0xb90021 has a zero first length byte → L9.
 * - bytesShouldBeSingleByte*: 0x81 followed by a byte < 0x80 → L14.
 * - emptyEncoding: no bytes → L16.
 * - lessThan*: the declared payload (or its length bytes) runs past the input at top level → L8 / L13.
 */
const EXPECTED_INVALID: Record<string, string> = {
  int32Overflow: "RLP_INPUT_TOO_SHORT",
  int32Overflow2: "RLP_INPUT_TOO_SHORT",
  wrongSizeList: "RLP_NON_CANONICAL_SHORT_LENGTH",
  wrongSizeList2: "RLP_NON_CANONICAL_SHORT_LENGTH",
  incorrectLengthInArray: "RLP_LEADING_ZERO_LENGTH",
  randomRLP: "RLP_LEADING_ZERO_LENGTH",
  bytesShouldBeSingleByte00: "RLP_NON_CANONICAL_SINGLE_BYTE",
  bytesShouldBeSingleByte01: "RLP_NON_CANONICAL_SINGLE_BYTE",
  bytesShouldBeSingleByte7F: "RLP_NON_CANONICAL_SINGLE_BYTE",
  leadingZerosInLongLengthArray1: "RLP_LEADING_ZERO_LENGTH",
  leadingZerosInLongLengthArray2: "RLP_LEADING_ZERO_LENGTH",
  leadingZerosInLongLengthList1: "RLP_LEADING_ZERO_LENGTH",
  leadingZerosInLongLengthList2: "RLP_LEADING_ZERO_LENGTH",
  nonOptimalLongLengthArray1: "RLP_NON_CANONICAL_SHORT_LENGTH",
  nonOptimalLongLengthArray2: "RLP_NON_CANONICAL_SHORT_LENGTH",
  nonOptimalLongLengthList1: "RLP_NON_CANONICAL_SHORT_LENGTH",
  nonOptimalLongLengthList2: "RLP_NON_CANONICAL_SHORT_LENGTH",
  emptyEncoding: "RLP_EMPTY_INPUT",
  lessThanShortLengthArray1: "RLP_INPUT_TOO_SHORT",
  lessThanShortLengthArray2: "RLP_INPUT_TOO_SHORT",
  lessThanShortLengthList1: "RLP_INPUT_TOO_SHORT",
  lessThanShortLengthList2: "RLP_INPUT_TOO_SHORT",
  lessThanLongLengthArray1: "RLP_INPUT_TOO_SHORT",
  lessThanLongLengthArray2: "RLP_INPUT_TOO_SHORT",
  lessThanLongLengthList1: "RLP_INPUT_TOO_SHORT",
  lessThanLongLengthList2: "RLP_INPUT_TOO_SHORT",
};

describe("ethereum/tests RLPTests", () => {
  // @covers RLP-ENCODE.1 RLP-DECODE.1 RLP-SCALAR.1
  it("has every case of the vendored files (28 valid, 26 invalid, 1 random; SOURCE.md)", () => {
    expect(Object.keys(valid)).toHaveLength(28);
    expect(Object.keys(invalid)).toHaveLength(26);
    expect(Object.keys(random)).toHaveLength(1);
    expect(Object.keys(EXPECTED_INVALID).sort()).toEqual(Object.keys(invalid).sort());
  });

  // Every encoding in rlptest.json is canonical, integers included (zero is 0x80, no integer has a
  // leading zero byte), so each case is checked in both directions with no per-case exception: encode
  // the input, decode the output back to the same item, and read every integer back with decodeScalar.
  // @covers RLP-ENCODE.1 RLP-DECODE.1 RLP-SCALAR.1
  it.each(Object.entries(valid))("rlptest.json %s", (_name, testCase) => {
    const scalars: { bytes: Uint8Array; n: bigint }[] = [];
    const input = fromUpstream(testCase.in, scalars);
    const out = looseHex(testCase.out);
    expect(rlpEncode(input)).toEqual(out);
    const decoded = rlpDecode(out);
    expect(decoded.ok && decoded.value).toEqual(input);
    for (const { bytes, n } of scalars) {
      const read = decodeScalar(bytes);
      expect(read.ok && read.value).toBe(n);
    }
  });

  // @covers RLP-DECODE.1
  it.each(Object.entries(invalid))("invalidRLPTest.json %s", (name, testCase) => {
    expect(testCase.in).toBe("INVALID");
    expect(resultCode(rlpDecode(looseHex(testCase.out)))).toBe(EXPECTED_INVALID[name]);
  });

  // @covers RLP-DECODE.1
  it.each(Object.entries(random))("RandomRLPTests/example.json %s", (_name, testCase) => {
    expect(testCase.in).toBe("VALID");
    const out = looseHex(testCase.out);
    const decoded = rlpDecode(out);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(rlpEncode(decoded.value)).toEqual(out);
  });
});
