import { attempt, type Result, SpecError } from "../errors.ts";

/**
 * An RLP item: a byte string, or a list of items (Yellow Paper appendix B, the set 𝕋 = 𝔹 ∪ 𝕃).
 *
 * @spec RLP-ITEM.1
 */
export type RlpItem = Uint8Array | readonly RlpItem[];

/**
 * True when the item is a list (and not a byte string).
 *
 * @spec RLP-ITEM.1
 */
export function isRlpList(item: RlpItem): item is readonly RlpItem[] {
  return !(item instanceof Uint8Array);
}

/**
 * Returns the item when it is a byte string; a rule that expects a byte string and finds a list rejects.
 *
 * @spec RLP-ITEM.1
 */
export function expectRlpBytes(item: RlpItem, what: string): Uint8Array {
  if (item instanceof Uint8Array) return item;
  throw new SpecError("RLP_EXPECTED_BYTES", `${what}: expected a byte string, found a list`);
}

/**
 * Returns the item when it is a list; a rule that expects a list and finds a byte string rejects.
 *
 * @spec RLP-ITEM.1
 */
export function expectRlpList(item: RlpItem, what: string): readonly RlpItem[] {
  if (item instanceof Uint8Array)
    throw new SpecError("RLP_EXPECTED_LIST", `${what}: expected a list, found bytes`);
  return item;
}

/** Number of bytes of the minimal big-endian form of a length (0 for 0). */
function lengthOfLength(length: number): number {
  let count = 0;
  let rest = length;
  while (rest > 0) {
    count++;
    rest = Math.floor(rest / 256);
  }
  return count;
}

/** Size of a header for a payload of `length` bytes. */
function headerSize(length: number): number {
  return length <= 55 ? 1 : 1 + lengthOfLength(length);
}

/** Length of the payload of a list: the sum of its elements' encodings. */
function listPayloadLength(list: readonly RlpItem[]): number {
  let total = 0;
  for (let i = 0; i < list.length; i++) total += encodedLength(list[i]!);
  return total;
}

/**
 * Length of `rlpEncode(item)`, computed without encoding.
 *
 * @spec RLP-ENCODE.1
 */
export function encodedLength(item: RlpItem): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) return 1;
    return headerSize(item.length) + item.length;
  }
  const payload = listPayloadLength(item);
  return headerSize(payload) + payload;
}

/** Writes the header of a payload of `length` bytes at `at`; `offset` is 0x80 (bytes) or 0xc0 (list). */
function writeHeader(out: Uint8Array, at: number, length: number, offset: number): number {
  if (length <= 55) {
    out[at] = offset + length; // RLP-ENCODE L3 / L7
    return at + 1;
  }
  const count = lengthOfLength(length);
  out[at] = offset + 55 + count; // RLP-ENCODE L4 / L8
  let rest = length;
  for (let i = count; i >= 1; i--) {
    out[at + i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return at + 1 + count;
}

/** Writes `rlpEncode(item)` at `at` and returns the index after it. */
function writeItem(item: RlpItem, out: Uint8Array, at: number): number {
  if (item instanceof Uint8Array) {
    if (item.length === 1 && item[0]! < 0x80) {
      out[at] = item[0]!; // RLP-ENCODE L2
      return at + 1;
    }
    const start = writeHeader(out, at, item.length, 0x80);
    out.set(item, start);
    return start + item.length;
  }
  let pos = writeHeader(out, at, listPayloadLength(item), 0xc0);
  for (let i = 0; i < item.length; i++) pos = writeItem(item[i]!, out, pos); // RLP-ENCODE L6
  return pos;
}

/**
 * Encodes an item in the one canonical RLP form. Total: every item has exactly one encoding.
 *
 * @spec RLP-ENCODE.1
 */
export function rlpEncode(item: RlpItem): Uint8Array {
  const out = new Uint8Array(encodedLength(item));
  writeItem(item, out, 0);
  return out;
}

interface Header {
  readonly isList: boolean;
  /** Index of the first payload byte. */
  readonly start: number;
  /** Payload length in bytes. */
  readonly length: number;
}

/**
 * RLP-DECODE L1–L15 (HEADER): reads the header of the item at `pos`, which must end at or before `limit`. An item
 * that would run past `limit` raises RLP_INPUT_TOO_SHORT at top level and RLP_LIST_PAYLOAD_MISMATCH inside
 * a list (`inList`).
 */
function readHeader(input: Uint8Array, pos: number, limit: number, inList: boolean): Header {
  const b = input[pos]!; // RLP-DECODE L1
  if (b < 0x80) return { isList: false, start: pos, length: 1 }; // RLP-DECODE L2
  const isList = b >= 0xc0; // RLP-DECODE L3
  const base = isList ? 0xc0 : 0x80;
  let length: number;
  let start: number;
  if (b - base <= 55) {
    length = b - base; // RLP-DECODE L5
    start = pos + 1;
  } else {
    const lengthOfLength = b - base - 55; // RLP-DECODE L7: 1..8 length bytes
    if (pos + 1 + lengthOfLength > limit) overrun(inList, "length bytes"); // RLP-DECODE L8
    if (input[pos + 1] === 0) {
      throw new SpecError("RLP_LEADING_ZERO_LENGTH", `length at offset ${pos + 1} starts with a zero byte`); // RLP-DECODE L9
    }
    length = 0; // RLP-DECODE L10: big-endian; above 2^53 the value is inexact but still exceeds any input length
    for (let i = 0; i < lengthOfLength; i++) length = length * 256 + input[pos + 1 + i]!;
    if (length <= 55) {
      throw new SpecError("RLP_NON_CANONICAL_SHORT_LENGTH", `long form used for a ${length}-byte payload`); // RLP-DECODE L11
    }
    start = pos + 1 + lengthOfLength; // RLP-DECODE L12
  }
  if (start + length > limit) overrun(inList, `${length}-byte payload at offset ${start}`); // RLP-DECODE L13
  if (!isList && length === 1 && input[start]! < 0x80) {
    throw new SpecError(
      "RLP_NON_CANONICAL_SINGLE_BYTE",
      `byte 0x${hex2(input[start]!)} must be encoded as itself`,
    ); // RLP-DECODE L14
  }
  return { isList, start, length }; // RLP-DECODE L15
}

function overrun(inList: boolean, what: string): never {
  if (inList)
    throw new SpecError("RLP_LIST_PAYLOAD_MISMATCH", `${what} runs past the end of its list payload`);
  throw new SpecError("RLP_INPUT_TOO_SHORT", `${what} runs past the end of the input`);
}

function hex2(byte: number): string {
  return byte.toString(16).padStart(2, "0");
}

interface OpenList {
  readonly items: RlpItem[];
  /** Index one past the last byte of the list's payload. */
  readonly end: number;
}

/**
 * Decodes exactly one canonical RLP item that spans the whole input, rejecting every other byte string.
 * The decoder keeps an explicit stack of open lists instead of recursing, so nesting depth is bounded by
 * the input length only.
 *
 * @spec RLP-DECODE.1
 */
export function rlpDecode(input: Uint8Array): Result<RlpItem> {
  return attempt(() => decodeOrThrow(input));
}

/**
 * Like `rlpDecode`, throwing the SpecError instead of returning it (for use inside other rules).
 *
 * @spec RLP-DECODE.1
 */
export function rlpDecodeOrThrow(input: Uint8Array): RlpItem {
  return decodeOrThrow(input);
}

function decodeOrThrow(input: Uint8Array): RlpItem {
  if (input.length === 0) throw new SpecError("RLP_EMPTY_INPUT", "no bytes to decode"); // RLP-DECODE L16
  const open: OpenList[] = []; // RLP-DECODE L17
  let pos = 0; // RLP-DECODE L18
  for (;;) {
    // RLP-DECODE L19
    const top = open.length > 0 ? open[open.length - 1]! : null;
    const limit = top === null ? input.length : top.end; // RLP-DECODE L20, L21
    const h = readHeader(input, pos, limit, top !== null); // RLP-DECODE L22
    let item: RlpItem;
    if (h.isList) {
      // RLP-DECODE L23
      if (h.length > 0) {
        open.push({ items: [], end: h.start + h.length }); // RLP-DECODE L24
        pos = h.start;
        continue; // RLP-DECODE L25
      }
      item = []; // RLP-DECODE L26
      pos = h.start;
    } else {
      item = input.slice(h.start, h.start + h.length); // RLP-DECODE L27
      pos = h.start + h.length;
    }
    let readNext = false;
    while (open.length > 0) {
      // RLP-DECODE L28
      const list = open[open.length - 1]!;
      list.items.push(item); // RLP-DECODE L29
      if (pos < list.end) {
        readNext = true; // RLP-DECODE L30
        break;
      }
      open.pop(); // RLP-DECODE L31: pos = list.end, since every element was read within the list payload
      item = list.items;
    }
    if (readNext) continue;
    if (pos !== input.length) {
      throw new SpecError("RLP_TRAILING_BYTES", `${input.length - pos} byte(s) after the item`); // RLP-DECODE L32
    }
    return item; // RLP-DECODE L33
  }
}

/**
 * The byte string of a scalar: its minimal big-endian form, empty for zero.
 *
 * @spec RLP-SCALAR.1
 */
export function scalarToBytes(value: bigint): Uint8Array {
  if (value < 0n) throw new SpecError("RLP_SCALAR_NEGATIVE", "RLP scalars are non-negative");
  const out: number[] = [];
  let rest = value;
  while (rest > 0n) {
    out.unshift(Number(rest & 0xffn));
    rest >>= 8n;
  }
  return Uint8Array.from(out);
}

/**
 * RLP of a scalar: `rlpEncode(scalarToBytes(value))`.
 *
 * @spec RLP-SCALAR.1
 */
export function encodeScalar(value: bigint): Uint8Array {
  return rlpEncode(scalarToBytes(value));
}

/**
 * Reads a scalar from the byte string of a decoded item, rejecting a leading zero byte (which includes the
 * one-byte string 0x00: zero is the empty string).
 *
 * @spec RLP-SCALAR.1
 */
export function decodeScalar(bytes: Uint8Array): Result<bigint> {
  return attempt(() => scalarFromBytes(bytes));
}

/**
 * Like `decodeScalar`, throwing the SpecError instead of returning it.
 *
 * @spec RLP-SCALAR.1
 */
export function scalarFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length > 0 && bytes[0] === 0) {
    throw new SpecError(
      "RLP_SCALAR_LEADING_ZERO",
      `scalar of ${bytes.length} byte(s) starts with a zero byte`,
    );
  }
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * Readers of an RLP structure's shape for one rule: a list of a given length, a byte string of a given size, a
 * scalar below a bound. Each raises the rule's own error, made by `fail`, when the shape is wrong; an item of
 * the wrong kind raises RLP_EXPECTED_LIST or RLP_EXPECTED_BYTES, and a scalar with a leading zero
 * RLP_SCALAR_LEADING_ZERO.
 *
 * @spec RLP-ITEM.1 RLP-SCALAR.1
 */
export function rlpShapeReader(fail: (what: string) => SpecError) {
  return {
    list(item: RlpItem, what: string, count: number): readonly RlpItem[] {
      const list = expectRlpList(item, what);
      if (list.length !== count) throw fail(`${what} has ${list.length} fields, not ${count}`);
      return list;
    },
    bytes(item: RlpItem, what: string, length: number): Uint8Array {
      const bytes = expectRlpBytes(item, what);
      if (bytes.length !== length) throw fail(`${what} is ${bytes.length} bytes, not ${length}`);
      return bytes;
    },
    scalarBelow(item: RlpItem, what: string, limit: bigint): bigint {
      const value = scalarFromBytes(expectRlpBytes(item, what));
      if (value >= limit) throw fail(`${what} = ${value} is not below ${limit}`);
      return value;
    },
  };
}
