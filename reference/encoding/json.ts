import { z } from "zod";
import { SpecError } from "../errors.ts";
import type { RlpItem } from "./rlp.ts";

const HEX_BODY = /^(?:[0-9a-f]{2})*$/;
const DECIMAL = /^(?:0|[1-9][0-9]*)$/;

/**
 * Bytes travel in JSON as a lower-case `0x`-prefixed string with an even number of hex digits.
 *
 * @spec JSON-BYTES.1
 */
export function bytesFromHex(text: string): Uint8Array {
  if (!text.startsWith("0x"))
    throw new SpecError("JSON_HEX_PREFIX", `hex string must start with 0x: ${clip(text)}`);
  const body = text.slice(2);
  if (!HEX_BODY.test(body)) {
    throw new SpecError("JSON_HEX_MALFORMED", `hex must be lower-case digit pairs: ${clip(text)}`);
  }
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** @spec JSON-BYTES.1 */
export function bytesToHex(bytes: Uint8Array): string {
  let out = "0x";
  for (let i = 0; i < bytes.length; i++) out += bytes[i]!.toString(16).padStart(2, "0");
  return out;
}

/**
 * Integers that may exceed 2^53 travel as base-10 strings without sign, leading zeros or exponent.
 *
 * @spec JSON-BIGINT.1
 */
export function bigintFromDecimal(text: string): bigint {
  if (!DECIMAL.test(text))
    throw new SpecError("JSON_DECIMAL_MALFORMED", `not a canonical decimal: ${clip(text)}`);
  return BigInt(text);
}

/** @spec JSON-BIGINT.1 */
export function bigintToDecimal(value: bigint): string {
  if (value < 0n) throw new SpecError("JSON_DECIMAL_MALFORMED", "negative integers have no JSON form");
  return value.toString(10);
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * Turns a parse function that throws SpecError into a zod transform: the SpecError's code travels in the
 * zod issue, where `parseWith` finds it and raises it unchanged.
 */
export function transformWith<In, T>(parse: (input: In) => T) {
  return (input: In, ctx: z.RefinementCtx): T => {
    try {
      return parse(input);
    } catch (caught) {
      if (!(caught instanceof SpecError)) throw caught;
      ctx.addIssue({ code: "custom", message: caught.message, params: { specCode: caught.code } });
      return z.NEVER;
    }
  };
}

/** zod schema: JSON hex string → Uint8Array. */
export const HexBytes = z.string().transform(transformWith(bytesFromHex));

/**
 * zod schema: JSON hex string of exactly `length` bytes → Uint8Array.
 *
 * @spec JSON-BYTES.1
 */
export function hexBytesOfLength(length: number) {
  return z.string().transform(
    transformWith((text) => {
      const bytes = bytesFromHex(text);
      if (bytes.length !== length) {
        throw new SpecError("JSON_BYTES_LENGTH", `expected ${length} bytes, got ${bytes.length}`);
      }
      return bytes;
    }),
  );
}

/**
 * zod schema of JSON bytes as written, kept as the string (no conversion): for output schemas.
 *
 * @spec JSON-BYTES.1
 */
export const HexText = z.string().regex(/^0x(?:[0-9a-f]{2})*$/);

/**
 * zod schema of JSON bytes of exactly `length` bytes as written, kept as the string: for output schemas.
 *
 * @spec JSON-BYTES.1
 */
export function hexTextOfLength(length: number) {
  return z.string().regex(new RegExp(`^0x[0-9a-f]{${2 * length}}$`));
}

/** zod schema: JSON decimal string → bigint. */
export const DecimalBigInt = z.string().transform(transformWith(bigintFromDecimal));

/**
 * zod schema of a JSON big integer as written, kept as the decimal string: for output schemas.
 *
 * @spec JSON-BIGINT.1
 */
export const DecimalText = z.string().regex(/^(?:0|[1-9][0-9]*)$/);

/** The largest integer of the JSON-INT.1 form, 2^53 − 1: every integer up to it is exact in binary64. */
export const JSON_INT_MAX = 9007199254740991;

/**
 * zod schema of a small non-negative integer (a committee size, an index, a count): a JSON number whose
 * value is an integer in [0, 2^53 − 1]. A fraction, a negative or larger number, and any non-number fail
 * the schema (JSON_SCHEMA through `parseWith`). A rule that accepts a narrower range checks it itself.
 *
 * @spec JSON-INT.1
 */
export const JsonInt = z.number().int().min(0).max(JSON_INT_MAX);

/**
 * zod schema of a flag: the JSON literal true or false, nothing else (not 0, 1, "true" or null).
 *
 * @spec JSON-INT.1
 */
export const JsonFlag = z.boolean();

/**
 * Parses untrusted JSON-shaped data with a zod schema. A failure becomes one SpecError: the SpecError
 * code found inside the schema (malformed hex, wrong length...) when there is one, else `JSON_SCHEMA`.
 *
 * @spec JSON-DECODE.1
 */
export function parseWith<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    const specCode = (issue as { params?: { specCode?: unknown } }).params?.specCode;
    if (typeof specCode === "string") {
      throw new SpecError(specCode, `${issue.path.join(".") || "(root)"}: ${issue.message}`);
    }
  }
  const first = parsed.error.issues[0];
  throw new SpecError("JSON_SCHEMA", `${first?.path.join(".") || "(root)"}: ${first?.message ?? "invalid"}`);
}

/** The JSON form of an RLP item: a hex string for a byte string, an array for a list. */
export type RlpJson = string | readonly RlpJson[];

/**
 * Whether `value` is made of JSON arrays and strings alone, at any depth (the structure JSON-RLP.1 checks
 * before any string). Walks with an explicit stack instead of recursing.
 */
function isRlpJsonStructure(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const next = pending.pop();
    if (typeof next === "string") continue;
    if (!Array.isArray(next)) return false;
    for (let i = 0; i < next.length; i++) pending.push(next[i]);
  }
  return true;
}

/** Converts a value already known to be a JSON-RLP.1 structure; strings are read in depth-first order. */
function rlpItemFromStructure(value: unknown): RlpItem {
  if (typeof value === "string") return bytesFromHex(value);
  const list = value as readonly unknown[];
  const out: RlpItem[] = [];
  for (let i = 0; i < list.length; i++) out.push(rlpItemFromStructure(list[i]));
  return out;
}

/**
 * Reads the JSON form of an RLP item: hex strings become byte strings, arrays become lists. The whole
 * structure is checked first: any JSON value other than an array or a string, at any depth, is
 * JSON_SCHEMA even when a malformed string comes before it; only then is each string read, and the first
 * malformed one in depth-first order raises its JSON-BYTES.1 code.
 *
 * @spec JSON-RLP.1
 */
export function rlpItemFromJson(value: unknown): RlpItem {
  if (!isRlpJsonStructure(value)) {
    throw new SpecError("JSON_SCHEMA", "an RLP item holds JSON arrays and hex strings only, at every depth");
  }
  return rlpItemFromStructure(value);
}

/**
 * Writes the JSON form of an RLP item.
 *
 * @spec JSON-RLP.1
 */
export function rlpItemToJson(item: RlpItem): RlpJson {
  if (item instanceof Uint8Array) return bytesToHex(item);
  const out: RlpJson[] = [];
  for (let i = 0; i < item.length; i++) out.push(rlpItemToJson(item[i]!));
  return out;
}

/** zod schema of the JSON shape of an RLP item (nested arrays of strings), before hex is checked. */
export const RlpJsonShape: z.ZodType<RlpJson> = z.lazy(() => z.union([z.string(), z.array(RlpJsonShape)]));

/** zod schema: JSON form of an RLP item → RlpItem. */
export const RlpItemJson = RlpJsonShape.transform(transformWith(rlpItemFromJson));
