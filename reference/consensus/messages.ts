import { z } from "zod";
import { BITMAP_MAX_COMMITTEE_SIZE } from "../crypto/bitmap.ts";
import { BLS_SIGNATURE_LENGTH } from "../crypto/bls/ciphersuite.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  HexText,
  JsonInt,
  transformWith,
} from "../encoding/json.ts";
import {
  expectRlpList,
  isRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { UINT64_LIMIT } from "../ledger/account.ts";
import type { Certificate } from "./certificate.ts";
import { BLOCK_HASH_BYTES } from "./payloads.ts";

/*
 * Consensus messages (§6.4): the eight types, their RLP wire form (MSG-RLP.2) and their JSON form.
 */

/** The fields every message starts with. @spec MSG-FORMAT.2 */
export interface MessageBase {
  readonly shardId: number;
  readonly blockNum: bigint;
  readonly viewId: bigint;
}

/** The leader's proposal, signed with its own PREPARE vote. @spec MSG-FORMAT.2 */
export interface Announce extends MessageBase {
  readonly type: "announce";
  readonly blockHash: Uint8Array;
  readonly block: Uint8Array;
  readonly signature: Uint8Array;
}

/** A member's PREPARE(blockNum, blockHash, viewId) vote, sent to the leader. @spec MSG-FORMAT.2 */
export interface Prepare extends MessageBase {
  readonly type: "prepare";
  readonly blockHash: Uint8Array;
  readonly signer: number;
  readonly signature: Uint8Array;
}

/** The prepared certificate and its block. @spec MSG-FORMAT.2 */
export interface Prepared extends MessageBase {
  readonly type: "prepared";
  readonly blockHash: Uint8Array;
  readonly block: Uint8Array;
  readonly certificate: Certificate;
}

/** A member's COMMIT(blockNum, blockHash, blockViewId) vote, sent to the leader. @spec MSG-FORMAT.2 */
export interface Commit extends MessageBase {
  readonly type: "commit";
  readonly blockHash: Uint8Array;
  readonly blockViewId: bigint;
  readonly signer: number;
  readonly signature: Uint8Array;
}

/**
 * The commit certificate, with the prepared certificate of view `viewId` for the same block, which proves that
 * the block was prepared in the view the message names.
 *
 * @spec MSG-FORMAT.2
 */
export interface Committed extends MessageBase {
  readonly type: "committed";
  readonly blockHash: Uint8Array;
  readonly blockViewId: bigint;
  readonly certificate: Certificate;
  readonly preparedCertificate: Certificate;
}

/**
 * What a view-change request says about the sender's lock: nothing prepared (M2), or its highest prepared
 * certificate with the block (M1).
 *
 * @spec MSG-FORMAT.2
 */
export type Claim =
  | { readonly kind: "nil"; readonly signature: Uint8Array }
  | {
      readonly kind: "prepared";
      readonly preparedViewId: bigint;
      readonly preparedHash: Uint8Array;
      readonly preparedBlock: Uint8Array;
      readonly preparedCertificate: Certificate;
      readonly signature: Uint8Array;
    };

/** A request for view `viewId` at height `blockNum`. @spec MSG-FORMAT.2 */
export interface ViewChange extends MessageBase {
  readonly type: "viewChange";
  readonly signer: number;
  readonly m3Signature: Uint8Array;
  readonly claim: Claim;
}

/**
 * One prepared certificate claimed in a new view, with the aggregate of the M1 signatures of the members who
 * claimed it (`claims`, not necessarily a quorum).
 *
 * @spec MSG-FORMAT.2
 */
export interface PreparedGroup {
  readonly preparedViewId: bigint;
  readonly preparedHash: Uint8Array;
  readonly preparedCertificate: Certificate;
  readonly claims: Certificate;
}

/** The new leader's proof that a quorum asked for view `viewId`, with every member's claim. @spec MSG-FORMAT.2 */
export interface NewView extends MessageBase {
  readonly type: "newView";
  readonly m3: Certificate;
  readonly m2: Certificate | null;
  readonly m1: readonly PreparedGroup[];
}

/**
 * A member's VRF share of the randomness round `(blockNum, viewId)` of the beacon chain, sent to the leader of
 * `viewId`: its proof over DRG-SEED of the round (DRG-SHARE.2).
 *
 * @spec MSG-FORMAT.2 DRG-SHARE-FORMAT.2
 */
export interface Share extends MessageBase {
  readonly type: "share";
  readonly signer: number;
  readonly proof: Uint8Array;
}

/**
 * A consensus message, discriminated by `type`.
 *
 * @spec MSG-FORMAT.2
 */
export type ConsensusMessage =
  | Announce
  | Prepare
  | Prepared
  | Commit
  | Committed
  | ViewChange
  | NewView
  | Share;

export type MessageType = ConsensusMessage["type"];

/**
 * The wire code of each message type.
 *
 * @spec MSG-FORMAT.2
 */
export const MESSAGE_TYPE_CODES: Readonly<Record<MessageType, number>> = {
  announce: 1,
  prepare: 2,
  prepared: 3,
  commit: 4,
  committed: 5,
  viewChange: 6,
  newView: 7,
  share: 8,
};

/** The types in code order: MESSAGE_TYPES_BY_CODE[c − 1] has code c. */
const MESSAGE_TYPES_BY_CODE: readonly MessageType[] = (Object.keys(MESSAGE_TYPE_CODES) as MessageType[]).sort(
  (a, b) => MESSAGE_TYPE_CODES[a] - MESSAGE_TYPE_CODES[b],
);

/**
 * The number of elements of each type's RLP list: type, shardId, blockNum, viewId and the type's fields.
 *
 * @spec MSG-RLP.2
 */
export const MESSAGE_FIELD_COUNTS: Readonly<Record<MessageType, number>> = {
  announce: 7,
  prepare: 7,
  prepared: 7,
  commit: 8,
  committed: 8,
  viewChange: 7,
  newView: 7,
  share: 6,
};

/** Claim tags of the wire form. */
const NIL_CLAIM_TAG = 1n;
const PREPARED_CLAIM_TAG = 2n;

/** Domains of MSG-RLP.2. */
const SHARD_ID_LIMIT = 2 ** 32;
/** A bitmap of the largest committee, 65536 members (BITMAP-FORMAT.2). */
export const MAX_BITMAP_BYTES = 8192;
/** The largest block or prepared block a message carries. */
export const MAX_MESSAGE_BLOCK_BYTES = 1310720;
/** The most prepared groups a new view carries. */
export const MAX_PREPARED_GROUPS = 64;

// ---------------------------------------------------------------------------------------------------------
// Domains (MSG-RLP.2), shared by the RLP and JSON readers.

function invalid(what: string, why: string): never {
  throw new SpecError("MSG_FIELD_INVALID", `${what}: ${why}`);
}

function checkSmallInt(value: number, limit: number, what: string): void {
  if (!Number.isInteger(value) || value < 0 || value >= limit)
    invalid(what, `${value} is not in [0, ${limit})`);
}

function checkUint64(value: bigint, what: string): void {
  if (value < 0n || value >= UINT64_LIMIT) invalid(what, `${value} is not in [0, 2^64)`);
}

function checkLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.length !== length) invalid(what, `${bytes.length} bytes, expected ${length}`);
}

function checkMaxLength(bytes: Uint8Array, max: number, what: string): void {
  if (bytes.length > max) invalid(what, `${bytes.length} bytes, at most ${max}`);
}

function checkCertificate(cert: Certificate, what: string): void {
  checkLength(cert.signature, BLS_SIGNATURE_LENGTH, `${what}.signature`);
  checkMaxLength(cert.bitmap, MAX_BITMAP_BYTES, `${what}.bitmap`);
}

function checkClaim(claim: Claim): void {
  if (claim.kind === "prepared") {
    checkUint64(claim.preparedViewId, "claim.preparedViewId");
    checkLength(claim.preparedHash, BLOCK_HASH_BYTES, "claim.preparedHash");
    checkMaxLength(claim.preparedBlock, MAX_MESSAGE_BLOCK_BYTES, "claim.preparedBlock");
    checkCertificate(claim.preparedCertificate, "claim.preparedCertificate");
  }
  checkLength(claim.signature, BLS_SIGNATURE_LENGTH, "claim.signature");
}

function checkGroups(groups: readonly PreparedGroup[]): void {
  if (groups.length > MAX_PREPARED_GROUPS)
    invalid("m1", `${groups.length} groups, at most ${MAX_PREPARED_GROUPS}`);
  for (let i = 0; i < groups.length; i++) {
    const group = groups[i]!;
    checkUint64(group.preparedViewId, `m1[${i}].preparedViewId`);
    checkLength(group.preparedHash, BLOCK_HASH_BYTES, `m1[${i}].preparedHash`);
    checkCertificate(group.preparedCertificate, `m1[${i}].preparedCertificate`);
    checkCertificate(group.claims, `m1[${i}].claims`);
  }
}

function assertMessageFields(m: ConsensusMessage): void {
  checkSmallInt(m.shardId, SHARD_ID_LIMIT, "shardId");
  checkUint64(m.blockNum, "blockNum");
  checkUint64(m.viewId, "viewId");
  switch (m.type) {
    case "announce":
      checkLength(m.blockHash, BLOCK_HASH_BYTES, "blockHash");
      checkMaxLength(m.block, MAX_MESSAGE_BLOCK_BYTES, "block");
      checkLength(m.signature, BLS_SIGNATURE_LENGTH, "signature");
      return;
    case "prepare":
      checkLength(m.blockHash, BLOCK_HASH_BYTES, "blockHash");
      checkSmallInt(m.signer, BITMAP_MAX_COMMITTEE_SIZE, "signer");
      checkLength(m.signature, BLS_SIGNATURE_LENGTH, "signature");
      return;
    case "prepared":
      checkLength(m.blockHash, BLOCK_HASH_BYTES, "blockHash");
      checkMaxLength(m.block, MAX_MESSAGE_BLOCK_BYTES, "block");
      checkCertificate(m.certificate, "certificate");
      return;
    case "commit":
      checkLength(m.blockHash, BLOCK_HASH_BYTES, "blockHash");
      checkUint64(m.blockViewId, "blockViewId");
      checkSmallInt(m.signer, BITMAP_MAX_COMMITTEE_SIZE, "signer");
      checkLength(m.signature, BLS_SIGNATURE_LENGTH, "signature");
      return;
    case "committed":
      checkLength(m.blockHash, BLOCK_HASH_BYTES, "blockHash");
      checkUint64(m.blockViewId, "blockViewId");
      checkCertificate(m.certificate, "certificate");
      checkCertificate(m.preparedCertificate, "preparedCertificate");
      return;
    case "viewChange":
      checkSmallInt(m.signer, BITMAP_MAX_COMMITTEE_SIZE, "signer");
      checkLength(m.m3Signature, BLS_SIGNATURE_LENGTH, "m3Signature");
      checkClaim(m.claim);
      return;
    case "newView":
      checkCertificate(m.m3, "m3");
      if (m.m2 !== null) checkCertificate(m.m2, "m2");
      checkGroups(m.m1);
      return;
    case "share":
      checkSmallInt(m.signer, BITMAP_MAX_COMMITTEE_SIZE, "signer");
      checkLength(m.proof, BLS_SIGNATURE_LENGTH, "proof");
      return;
  }
}

/**
 * MSG-DECODE L5's domains for a message already in memory (one delivered without passing through a decoder):
 * shardId < 2^32, heights and views < 2^64, hashes of 32 bytes, signatures and proofs of 96, signer < 65536, bitmaps of at
 * most 8192 bytes, blocks of at most 1310720, at most 64 prepared groups. Raises MSG_FIELD_INVALID.
 *
 * @spec MSG-RLP.2
 */
export function checkMessageFields(m: ConsensusMessage): Result<void> {
  return attempt(() => assertMessageFields(m));
}

// ---------------------------------------------------------------------------------------------------------
// RLP (MSG-RLP.2)

function certificateItem(cert: Certificate): RlpItem {
  return [cert.signature, cert.bitmap];
}

function claimItem(claim: Claim): RlpItem {
  if (claim.kind === "nil") return [scalarToBytes(NIL_CLAIM_TAG), claim.signature];
  return [
    scalarToBytes(PREPARED_CLAIM_TAG),
    scalarToBytes(claim.preparedViewId),
    claim.preparedHash,
    claim.preparedBlock,
    certificateItem(claim.preparedCertificate),
    claim.signature,
  ];
}

function groupItem(group: PreparedGroup): RlpItem {
  return [
    scalarToBytes(group.preparedViewId),
    group.preparedHash,
    certificateItem(group.preparedCertificate),
    certificateItem(group.claims),
  ];
}

/** The fields after viewId, in table order. */
function typeFields(m: ConsensusMessage): RlpItem[] {
  switch (m.type) {
    case "announce":
      return [m.blockHash, m.block, m.signature];
    case "prepare":
      return [m.blockHash, scalarToBytes(BigInt(m.signer)), m.signature];
    case "prepared":
      return [m.blockHash, m.block, certificateItem(m.certificate)];
    case "commit":
      return [m.blockHash, scalarToBytes(m.blockViewId), scalarToBytes(BigInt(m.signer)), m.signature];
    case "committed":
      return [
        m.blockHash,
        scalarToBytes(m.blockViewId),
        certificateItem(m.certificate),
        certificateItem(m.preparedCertificate),
      ];
    case "viewChange":
      return [scalarToBytes(BigInt(m.signer)), m.m3Signature, claimItem(m.claim)];
    case "newView": {
      const groups: RlpItem[] = [];
      for (let i = 0; i < m.m1.length; i++) groups.push(groupItem(m.m1[i]!));
      return [certificateItem(m.m3), m.m2 === null ? [] : certificateItem(m.m2), groups];
    }
    case "share":
      return [scalarToBytes(BigInt(m.signer)), m.proof];
  }
}

/**
 * The wire form of a message whose fields are inside their domains: the RLP list [type, shardId, blockNum,
 * viewId, f_1, …, f_k].
 *
 * @spec MSG-RLP.2
 */
export function encodeMessage(m: ConsensusMessage): Uint8Array {
  return rlpEncode([
    scalarToBytes(BigInt(MESSAGE_TYPE_CODES[m.type])),
    scalarToBytes(BigInt(m.shardId)),
    scalarToBytes(m.blockNum),
    scalarToBytes(m.viewId),
    ...typeFields(m),
  ]);
}

/** A byte-string field. */
function bytesField(item: RlpItem, what: string): Uint8Array {
  if (isRlpList(item)) invalid(what, "a list where a byte string belongs");
  return item;
}

/** A scalar field (RLP-SCALAR.1: no leading zero byte). */
function scalarField(item: RlpItem, what: string): bigint {
  const bytes = bytesField(item, what);
  if (bytes.length > 0 && bytes[0] === 0) invalid(what, "a scalar with a leading zero byte");
  let value = 0n;
  for (let i = 0; i < bytes.length; i++) value = (value << 8n) | BigInt(bytes[i]!);
  return value;
}

/**
 * A scalar field held as a number (shardId, signer). A value too large for a number stays at least 2^53, so
 * the domain check still rejects it.
 */
function numberField(item: RlpItem, what: string): number {
  return Number(scalarField(item, what));
}

/** A list field of exactly `count` elements. */
function listField(item: RlpItem, count: number, what: string): readonly RlpItem[] {
  if (!isRlpList(item)) invalid(what, "a byte string where a list belongs");
  if (item.length !== count) invalid(what, `a list of ${item.length} elements, expected ${count}`);
  return item;
}

function certificateField(item: RlpItem, what: string): Certificate {
  const list = listField(item, 2, what);
  return {
    signature: bytesField(list[0]!, `${what}.signature`),
    bitmap: bytesField(list[1]!, `${what}.bitmap`),
  };
}

function claimField(item: RlpItem): Claim {
  if (!isRlpList(item) || item.length === 0) invalid("claim", "not a non-empty list");
  const tag = scalarField(item[0]!, "claim tag");
  if (tag === NIL_CLAIM_TAG) {
    const list = listField(item, 2, "nil claim");
    return { kind: "nil", signature: bytesField(list[1]!, "claim.signature") };
  }
  if (tag === PREPARED_CLAIM_TAG) {
    const list = listField(item, 6, "prepared claim");
    return {
      kind: "prepared",
      preparedViewId: scalarField(list[1]!, "claim.preparedViewId"),
      preparedHash: bytesField(list[2]!, "claim.preparedHash"),
      preparedBlock: bytesField(list[3]!, "claim.preparedBlock"),
      preparedCertificate: certificateField(list[4]!, "claim.preparedCertificate"),
      signature: bytesField(list[5]!, "claim.signature"),
    };
  }
  return invalid("claim tag", `${tag} is neither 1 (nil) nor 2 (prepared)`);
}

function optionalCertificateField(item: RlpItem, what: string): Certificate | null {
  if (isRlpList(item) && item.length === 0) return null;
  return certificateField(item, what);
}

function groupsField(item: RlpItem): PreparedGroup[] {
  if (!isRlpList(item)) invalid("m1", "a byte string where a list belongs");
  const groups: PreparedGroup[] = [];
  for (let i = 0; i < item.length; i++) {
    const what = `m1[${i}]`;
    const list = listField(item[i]!, 4, what);
    groups.push({
      preparedViewId: scalarField(list[0]!, `${what}.preparedViewId`),
      preparedHash: bytesField(list[1]!, `${what}.preparedHash`),
      preparedCertificate: certificateField(list[2]!, `${what}.preparedCertificate`),
      claims: certificateField(list[3]!, `${what}.claims`),
    });
  }
  return groups;
}

/** MSG-DECODE L3: the type, a scalar in 1 … 8. */
function messageTypeOf(list: readonly RlpItem[]): MessageType {
  const first = list[0];
  if (first === undefined) throw new SpecError("MSG_UNKNOWN_TYPE", "an empty list has no type");
  const type =
    first instanceof Uint8Array && first.length === 1 ? MESSAGE_TYPES_BY_CODE[first[0]! - 1] : undefined;
  if (type === undefined) throw new SpecError("MSG_UNKNOWN_TYPE", "the type is not a scalar in 1 … 8");
  return type;
}

/** The message of a list of the right length for its type, every field of the right shape. */
function messageOfFields(type: MessageType, f: readonly RlpItem[]): ConsensusMessage {
  const base = {
    shardId: numberField(f[1]!, "shardId"),
    blockNum: scalarField(f[2]!, "blockNum"),
    viewId: scalarField(f[3]!, "viewId"),
  };
  switch (type) {
    case "announce":
      return {
        type,
        ...base,
        blockHash: bytesField(f[4]!, "blockHash"),
        block: bytesField(f[5]!, "block"),
        signature: bytesField(f[6]!, "signature"),
      };
    case "prepare":
      return {
        type,
        ...base,
        blockHash: bytesField(f[4]!, "blockHash"),
        signer: numberField(f[5]!, "signer"),
        signature: bytesField(f[6]!, "signature"),
      };
    case "prepared":
      return {
        type,
        ...base,
        blockHash: bytesField(f[4]!, "blockHash"),
        block: bytesField(f[5]!, "block"),
        certificate: certificateField(f[6]!, "certificate"),
      };
    case "commit":
      return {
        type,
        ...base,
        blockHash: bytesField(f[4]!, "blockHash"),
        blockViewId: scalarField(f[5]!, "blockViewId"),
        signer: numberField(f[6]!, "signer"),
        signature: bytesField(f[7]!, "signature"),
      };
    case "committed":
      return {
        type,
        ...base,
        blockHash: bytesField(f[4]!, "blockHash"),
        blockViewId: scalarField(f[5]!, "blockViewId"),
        certificate: certificateField(f[6]!, "certificate"),
        preparedCertificate: certificateField(f[7]!, "preparedCertificate"),
      };
    case "viewChange":
      return {
        type,
        ...base,
        signer: numberField(f[4]!, "signer"),
        m3Signature: bytesField(f[5]!, "m3Signature"),
        claim: claimField(f[6]!),
      };
    case "newView":
      return {
        type,
        ...base,
        m3: certificateField(f[4]!, "m3"),
        m2: optionalCertificateField(f[5]!, "m2"),
        m1: groupsField(f[6]!),
      };
    case "share":
      return {
        type,
        ...base,
        signer: numberField(f[4]!, "signer"),
        proof: bytesField(f[5]!, "proof"),
      };
  }
}

/**
 * MSG-DECODE (L1–L6): one RLP list whose first element is a type code in 1 … 8, with the type's number of
 * elements, every field of its shape and inside its domain. Raises the RLP-DECODE.1 codes, RLP_EXPECTED_LIST,
 * MSG_UNKNOWN_TYPE, MSG_FIELD_COUNT or MSG_FIELD_INVALID. The blocks it carries stay undecoded bytes.
 *
 * @spec MSG-RLP.2
 */
export function decodeMessage(bytes: Uint8Array): Result<ConsensusMessage> {
  return attempt(() => {
    const list = expectRlpList(rlpDecodeOrThrow(bytes), "consensus message"); // MSG-DECODE L1–L2
    const type = messageTypeOf(list); // MSG-DECODE L3
    const count = MESSAGE_FIELD_COUNTS[type];
    if (list.length !== count) {
      throw new SpecError("MSG_FIELD_COUNT", `a ${type} message has ${count} elements, got ${list.length}`); // L4
    }
    const m = messageOfFields(type, list); // MSG-DECODE L5: shapes
    assertMessageFields(m); // MSG-DECODE L5: domains
    return m; // MSG-DECODE L6
  });
}

// ---------------------------------------------------------------------------------------------------------
// JSON (§6.4: bytes as 0x hex, integers as decimal strings, shardId and signer as JSON numbers, m2 null)

const CertificateJson = z.strictObject({ signature: HexBytes, bitmap: HexBytes });
const BaseJson = { shardId: JsonInt, blockNum: DecimalBigInt, viewId: DecimalBigInt };
const ClaimJson = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("nil"), signature: HexBytes }),
  z.strictObject({
    kind: z.literal("prepared"),
    preparedViewId: DecimalBigInt,
    preparedHash: HexBytes,
    preparedBlock: HexBytes,
    preparedCertificate: CertificateJson,
    signature: HexBytes,
  }),
]);
const PreparedGroupJson = z.strictObject({
  preparedViewId: DecimalBigInt,
  preparedHash: HexBytes,
  preparedCertificate: CertificateJson,
  claims: CertificateJson,
});

/**
 * zod schema: the JSON form of a consensus message → ConsensusMessage, with the domains of MSG-RLP.2.
 *
 * @spec MSG-RLP.2
 */
export const ConsensusMessageJson = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("announce"),
      ...BaseJson,
      blockHash: HexBytes,
      block: HexBytes,
      signature: HexBytes,
    }),
    z.strictObject({
      type: z.literal("prepare"),
      ...BaseJson,
      blockHash: HexBytes,
      signer: JsonInt,
      signature: HexBytes,
    }),
    z.strictObject({
      type: z.literal("prepared"),
      ...BaseJson,
      blockHash: HexBytes,
      block: HexBytes,
      certificate: CertificateJson,
    }),
    z.strictObject({
      type: z.literal("commit"),
      ...BaseJson,
      blockHash: HexBytes,
      blockViewId: DecimalBigInt,
      signer: JsonInt,
      signature: HexBytes,
    }),
    z.strictObject({
      type: z.literal("committed"),
      ...BaseJson,
      blockHash: HexBytes,
      blockViewId: DecimalBigInt,
      certificate: CertificateJson,
      preparedCertificate: CertificateJson,
    }),
    z.strictObject({
      type: z.literal("viewChange"),
      ...BaseJson,
      signer: JsonInt,
      m3Signature: HexBytes,
      claim: ClaimJson,
    }),
    z.strictObject({
      type: z.literal("newView"),
      ...BaseJson,
      m3: CertificateJson,
      m2: CertificateJson.nullable(),
      m1: z.array(PreparedGroupJson),
    }),
    z.strictObject({ type: z.literal("share"), ...BaseJson, signer: JsonInt, proof: HexBytes }),
  ])
  .transform(
    transformWith((m): ConsensusMessage => {
      assertMessageFields(m);
      return m;
    }),
  );

const CertificateJsonOutput = z.strictObject({ signature: HexText, bitmap: HexText });
const BaseJsonOutput = { shardId: JsonInt, blockNum: DecimalText, viewId: DecimalText };

/**
 * zod schema of the JSON form of a consensus message as written: the output schema of handlers that return
 * messages.
 *
 * @spec MSG-RLP.2
 */
export const ConsensusMessageJsonOutput = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("announce"),
    ...BaseJsonOutput,
    blockHash: HexText,
    block: HexText,
    signature: HexText,
  }),
  z.strictObject({
    type: z.literal("prepare"),
    ...BaseJsonOutput,
    blockHash: HexText,
    signer: JsonInt,
    signature: HexText,
  }),
  z.strictObject({
    type: z.literal("prepared"),
    ...BaseJsonOutput,
    blockHash: HexText,
    block: HexText,
    certificate: CertificateJsonOutput,
  }),
  z.strictObject({
    type: z.literal("commit"),
    ...BaseJsonOutput,
    blockHash: HexText,
    blockViewId: DecimalText,
    signer: JsonInt,
    signature: HexText,
  }),
  z.strictObject({
    type: z.literal("committed"),
    ...BaseJsonOutput,
    blockHash: HexText,
    blockViewId: DecimalText,
    certificate: CertificateJsonOutput,
    preparedCertificate: CertificateJsonOutput,
  }),
  z.strictObject({
    type: z.literal("viewChange"),
    ...BaseJsonOutput,
    signer: JsonInt,
    m3Signature: HexText,
    claim: z.discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("nil"), signature: HexText }),
      z.strictObject({
        kind: z.literal("prepared"),
        preparedViewId: DecimalText,
        preparedHash: HexText,
        preparedBlock: HexText,
        preparedCertificate: CertificateJsonOutput,
        signature: HexText,
      }),
    ]),
  }),
  z.strictObject({
    type: z.literal("newView"),
    ...BaseJsonOutput,
    m3: CertificateJsonOutput,
    m2: CertificateJsonOutput.nullable(),
    m1: z.array(
      z.strictObject({
        preparedViewId: DecimalText,
        preparedHash: HexText,
        preparedCertificate: CertificateJsonOutput,
        claims: CertificateJsonOutput,
      }),
    ),
  }),
  z.strictObject({ type: z.literal("share"), ...BaseJsonOutput, signer: JsonInt, proof: HexText }),
]);

/** The JSON form of a consensus message. */
export type ConsensusMessageJsonValue = z.output<typeof ConsensusMessageJsonOutput>;

/**
 * Reads the JSON form of a consensus message: a `type` that is not one of the eight raises MSG_UNKNOWN_TYPE,
 * any other departure from the form or the domains MSG_FIELD_INVALID.
 *
 * @spec MSG-RLP.2
 */
export function messageFromJson(json: unknown): Result<ConsensusMessage> {
  return attempt(() => {
    if (typeof json !== "object" || json === null || Array.isArray(json))
      invalid("message", "not a JSON object");
    const type = (json as { readonly type?: unknown }).type;
    if (typeof type !== "string" || !Object.hasOwn(MESSAGE_TYPE_CODES, type)) {
      throw new SpecError(
        "MSG_UNKNOWN_TYPE",
        `type ${JSON.stringify(type) ?? "(missing)"} is not one of the eight`,
      );
    }
    const parsed = ConsensusMessageJson.safeParse(json);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    return invalid(issue?.path.join(".") || "message", issue?.message ?? "invalid");
  });
}

function certificateToJson(cert: Certificate) {
  return { signature: bytesToHex(cert.signature), bitmap: bytesToHex(cert.bitmap) };
}

function claimToJson(claim: Claim) {
  if (claim.kind === "nil") return { kind: "nil" as const, signature: bytesToHex(claim.signature) };
  return {
    kind: "prepared" as const,
    preparedViewId: bigintToDecimal(claim.preparedViewId),
    preparedHash: bytesToHex(claim.preparedHash),
    preparedBlock: bytesToHex(claim.preparedBlock),
    preparedCertificate: certificateToJson(claim.preparedCertificate),
    signature: bytesToHex(claim.signature),
  };
}

function groupToJson(group: PreparedGroup) {
  return {
    preparedViewId: bigintToDecimal(group.preparedViewId),
    preparedHash: bytesToHex(group.preparedHash),
    preparedCertificate: certificateToJson(group.preparedCertificate),
    claims: certificateToJson(group.claims),
  };
}

/**
 * Writes the JSON form of a consensus message.
 *
 * @spec MSG-RLP.2
 */
export function messageToJson(m: ConsensusMessage): ConsensusMessageJsonValue {
  const base = {
    shardId: m.shardId,
    blockNum: bigintToDecimal(m.blockNum),
    viewId: bigintToDecimal(m.viewId),
  };
  switch (m.type) {
    case "announce":
      return {
        type: m.type,
        ...base,
        blockHash: bytesToHex(m.blockHash),
        block: bytesToHex(m.block),
        signature: bytesToHex(m.signature),
      };
    case "prepare":
      return {
        type: m.type,
        ...base,
        blockHash: bytesToHex(m.blockHash),
        signer: m.signer,
        signature: bytesToHex(m.signature),
      };
    case "prepared":
      return {
        type: m.type,
        ...base,
        blockHash: bytesToHex(m.blockHash),
        block: bytesToHex(m.block),
        certificate: certificateToJson(m.certificate),
      };
    case "commit":
      return {
        type: m.type,
        ...base,
        blockHash: bytesToHex(m.blockHash),
        blockViewId: bigintToDecimal(m.blockViewId),
        signer: m.signer,
        signature: bytesToHex(m.signature),
      };
    case "committed":
      return {
        type: m.type,
        ...base,
        blockHash: bytesToHex(m.blockHash),
        blockViewId: bigintToDecimal(m.blockViewId),
        certificate: certificateToJson(m.certificate),
        preparedCertificate: certificateToJson(m.preparedCertificate),
      };
    case "viewChange":
      return {
        type: m.type,
        ...base,
        signer: m.signer,
        m3Signature: bytesToHex(m.m3Signature),
        claim: claimToJson(m.claim),
      };
    case "newView":
      return {
        type: m.type,
        ...base,
        m3: certificateToJson(m.m3),
        m2: m.m2 === null ? null : certificateToJson(m.m2),
        m1: m.m1.map(groupToJson),
      };
    case "share":
      return { type: m.type, ...base, signer: m.signer, proof: bytesToHex(m.proof) };
  }
}

// ---------------------------------------------------------------------------------------------------------
// What FBFT-RECEIVE L2–L3 check before any pairing

/**
 * The signer index a message names (prepare, commit, viewChange, share): FBFT-RECEIVE L2 checks it against the
 * committee. Empty for the leader's messages.
 *
 * @spec FBFT-RECEIVE.3
 */
export function signersIn(m: ConsensusMessage): number[] {
  return m.type === "prepare" || m.type === "commit" || m.type === "viewChange" || m.type === "share"
    ? [m.signer]
    : [];
}

/**
 * Every signer bitmap a message carries (certificates, the claim's certificate, m3, m2, each group's
 * certificate and claims), in field order: FBFT-RECEIVE L3 checks their lengths.
 *
 * @spec FBFT-RECEIVE.3
 */
export function bitmapsIn(m: ConsensusMessage): Uint8Array[] {
  switch (m.type) {
    case "prepared":
      return [m.certificate.bitmap];
    case "committed":
      return [m.certificate.bitmap, m.preparedCertificate.bitmap];
    case "viewChange":
      return m.claim.kind === "prepared" ? [m.claim.preparedCertificate.bitmap] : [];
    case "newView": {
      const out = [m.m3.bitmap];
      if (m.m2 !== null) out.push(m.m2.bitmap);
      for (const group of m.m1) out.push(group.preparedCertificate.bitmap, group.claims.bitmap);
      return out;
    }
    default:
      return [];
  }
}
