import { keccak256 } from "../encoding/keccak.ts";
import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpEncode,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { SpecError } from "../errors.ts";
import type { Preset } from "../params/presets.ts";
import { DRG_COMMIT_FIELD_MAX_BYTES } from "../randomness/commit.ts";
import { UINT64_LIMIT } from "./account.ts";

/*
 * The block header (§5.4): its 22 fields and their domains (HEADER-FIELDS.2), its encoding (HEADER-RLP.1) and
 * its hash (HEADER-HASH.1).
 */

/**
 * A block header: mainnet's v3 fields without Bloom and MixDigest, in encoding order.
 *
 * @spec HEADER-FIELDS.2
 */
export interface BlockHeader {
  readonly parentHash: Uint8Array;
  readonly coinbase: Uint8Array;
  readonly stateRoot: Uint8Array;
  readonly txRoot: Uint8Array;
  readonly receiptRoot: Uint8Array;
  readonly outgoingReceiptRoot: Uint8Array;
  readonly incomingReceiptRoot: Uint8Array;
  readonly number: bigint;
  readonly gasLimit: bigint;
  readonly gasUsed: bigint;
  readonly time: bigint;
  readonly extra: Uint8Array;
  readonly viewId: bigint;
  readonly epoch: bigint;
  readonly shardId: number;
  readonly lastCommitSignature: Uint8Array;
  readonly lastCommitBitmap: Uint8Array;
  readonly vrf: Uint8Array;
  readonly vdf: Uint8Array;
  readonly shardState: Uint8Array;
  readonly crossLinks: Uint8Array;
  readonly slashes: Uint8Array;
}

/** Field names in encoding order (HEADER-FIELDS.2). */
export const HEADER_FIELD_NAMES = [
  "parentHash",
  "coinbase",
  "stateRoot",
  "txRoot",
  "receiptRoot",
  "outgoingReceiptRoot",
  "incomingReceiptRoot",
  "number",
  "gasLimit",
  "gasUsed",
  "time",
  "extra",
  "viewId",
  "epoch",
  "shardId",
  "lastCommitSignature",
  "lastCommitBitmap",
  "vrf",
  "vdf",
  "shardState",
  "crossLinks",
  "slashes",
] as const;

export type HeaderFieldName = (typeof HEADER_FIELD_NAMES)[number];

/** Number of elements of an encoded header. */
export const HEADER_FIELD_COUNT = HEADER_FIELD_NAMES.length;

/** Maximum length of `extra`. */
export const MAX_EXTRA_BYTES = 32;
/** Length of `lastCommitSignature` (a BLS signature). */
export const COMMIT_SIGNATURE_BYTES = 96;
/** Length of a present `vdf`: the VDF result y ‖ π, 256 + 256 bytes (VDF-ENCODING.1). */
export const VDF_FIELD_BYTES = 512;

/** The domain of one field: an exact byte length, a set of allowed lengths, a maximum length, or an integer bound. */
type Domain =
  | { readonly kind: "length"; readonly lengths: readonly number[] }
  | { readonly kind: "maxLength"; readonly max: number }
  | { readonly kind: "uint"; readonly limit: bigint }
  | { readonly kind: "any" };

/**
 * The domain of each field (HEADER-FIELDS.2); `lastCommitBitmap` depends on the preset's committee size.
 *
 * @spec HEADER-FIELDS.2
 */
export function headerFieldDomain(name: HeaderFieldName, preset: Preset): Domain {
  switch (name) {
    case "parentHash":
    case "stateRoot":
    case "txRoot":
    case "receiptRoot":
    case "outgoingReceiptRoot":
    case "incomingReceiptRoot":
      return { kind: "length", lengths: [32] };
    case "coinbase":
      return { kind: "length", lengths: [20] };
    case "number":
    case "gasLimit":
    case "gasUsed":
    case "time":
    case "viewId":
    case "epoch":
      return { kind: "uint", limit: UINT64_LIMIT };
    case "shardId":
      return { kind: "uint", limit: 1n << 32n };
    case "extra":
      return { kind: "maxLength", max: MAX_EXTRA_BYTES };
    case "lastCommitSignature":
      return { kind: "length", lengths: [COMMIT_SIGNATURE_BYTES] };
    case "lastCommitBitmap":
      return { kind: "maxLength", max: Math.ceil(preset.slotsPerShard / 8) };
    case "vrf":
      return { kind: "maxLength", max: DRG_COMMIT_FIELD_MAX_BYTES };
    case "vdf":
      return { kind: "length", lengths: [0, VDF_FIELD_BYTES] };
    case "shardState":
    case "crossLinks":
    case "slashes":
      return { kind: "any" };
  }
}

/** Whether a value lies in a domain. */
function inDomain(value: Uint8Array | bigint | number, domain: Domain): boolean {
  if (domain.kind === "any") return true;
  if (domain.kind === "uint") {
    if (typeof value === "number" && !Number.isSafeInteger(value)) return false;
    if (value instanceof Uint8Array) return false;
    const big = BigInt(value);
    return big >= 0n && big < domain.limit;
  }
  if (!(value instanceof Uint8Array)) return false;
  if (domain.kind === "maxLength") return value.length <= domain.max;
  return domain.lengths.includes(value.length);
}

/**
 * CHECK-HEADER-FIELDS (HEADER-RLP L8–L9): every field, in field order, inside its domain; the first field
 * outside raises HEADER_FIELD_INVALID.
 *
 * @spec HEADER-FIELDS.2 HEADER-RLP.1
 */
export function checkHeaderFields(header: BlockHeader, preset: Preset): void {
  for (let i = 0; i < HEADER_FIELD_NAMES.length; i++) {
    const name = HEADER_FIELD_NAMES[i]!; // HEADER-RLP L8
    const value = header[name];
    if (!inDomain(value, headerFieldDomain(name, preset))) {
      const shown = value instanceof Uint8Array ? `${value.length} bytes` : String(value);
      throw new SpecError("HEADER_FIELD_INVALID", `${name} (${shown}) is outside its domain`); // HEADER-RLP L9
    }
  }
}

/**
 * The header's RLP list: its 22 fields in order, integers as scalars.
 *
 * @spec HEADER-RLP.1
 */
export function headerItem(header: BlockHeader): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < HEADER_FIELD_NAMES.length; i++) {
    const value = header[HEADER_FIELD_NAMES[i]!];
    if (value instanceof Uint8Array) out.push(value);
    else out.push(scalarToBytes(BigInt(value)));
  }
  return out;
}

/** @spec HEADER-RLP.1 */
export function encodeHeader(header: BlockHeader): Uint8Array {
  return rlpEncode(headerItem(header));
}

/**
 * HEADER-RLP (L1–L7) of an RLP item: a list of 22 byte strings, the integer fields read as scalars, every
 * field inside its domain. Throws the SpecError of the first failing check.
 *
 * @spec HEADER-RLP.1
 */
export function decodeHeaderItem(item: RlpItem, preset: Preset): BlockHeader {
  const list = expectRlpList(item, "header"); // HEADER-RLP L1
  if (list.length !== HEADER_FIELD_COUNT) {
    throw new SpecError(
      "HEADER_FIELD_COUNT",
      `a header has ${HEADER_FIELD_COUNT} fields, got ${list.length}`,
    ); // L2
  }
  const fields: Uint8Array[] = [];
  for (let i = 0; i < list.length; i++) fields.push(expectRlpBytes(list[i]!, `header field ${i}`)); // L3
  // HEADER-RLP L4: the integer fields (7–10, 12–14), in field order, as scalars
  const scalars: bigint[] = [];
  for (let i = 0; i < fields.length; i++) {
    const isInteger = (i >= 7 && i <= 10) || (i >= 12 && i <= 14);
    scalars.push(isInteger ? scalarFromBytes(fields[i]!) : 0n);
  }
  // HEADER-RLP L5. shardId becomes a number; a value too large for one is not a safe integer or is at
  // least 2^32, so L6 rejects it exactly as it would the integer.
  const header: BlockHeader = {
    parentHash: fields[0]!,
    coinbase: fields[1]!,
    stateRoot: fields[2]!,
    txRoot: fields[3]!,
    receiptRoot: fields[4]!,
    outgoingReceiptRoot: fields[5]!,
    incomingReceiptRoot: fields[6]!,
    number: scalars[7]!,
    gasLimit: scalars[8]!,
    gasUsed: scalars[9]!,
    time: scalars[10]!,
    extra: fields[11]!,
    viewId: scalars[12]!,
    epoch: scalars[13]!,
    shardId: Number(scalars[14]!),
    lastCommitSignature: fields[15]!,
    lastCommitBitmap: fields[16]!,
    vrf: fields[17]!,
    vdf: fields[18]!,
    shardState: fields[19]!,
    crossLinks: fields[20]!,
    slashes: fields[21]!,
  };
  checkHeaderFields(header, preset); // HEADER-RLP L6
  return header; // HEADER-RLP L7
}

/** The tag and version of the hash envelope, as text; their ASCII bytes are hashed. */
export const HEADER_HASH_TAG = "HmnyTgd";
export const HEADER_HASH_VERSION = "spec1";

/**
 * The header hash (the block hash): keccak256(RLP(["HmnyTgd", "spec1", header list])).
 *
 * @spec HEADER-HASH.1
 */
export function headerHash(header: BlockHeader): Uint8Array {
  const encoder = new TextEncoder();
  const envelope: RlpItem = [
    encoder.encode(HEADER_HASH_TAG),
    encoder.encode(HEADER_HASH_VERSION),
    headerItem(header),
  ];
  return keccak256(rlpEncode(envelope));
}
