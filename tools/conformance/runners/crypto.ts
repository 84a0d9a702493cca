import { bech32 } from "@scure/base";
import { z } from "zod";
import {
  addressFromBech32,
  addressFromHex,
  addressToBech32,
  addressToChecksumHex,
  addressToHex,
  bech32Encode,
} from "../../../reference/crypto/address.ts";
import { aggregateSignerKeys, decodeBitmap, encodeBitmap } from "../../../reference/crypto/bitmap.ts";
import type { BlsBackend } from "../../../reference/crypto/bls/backend.ts";
import { BLS_GROUP_ORDER } from "../../../reference/crypto/bls/ciphersuite.ts";
import { secretKeyToBytes } from "../../../reference/crypto/bls/encoding.ts";
import { keyGen } from "../../../reference/crypto/bls/keyGen.ts";
import { nobleBls } from "../../../reference/crypto/bls/noble.ts";
import { addressOfSecretKey, recoverSigner, SECP256K1_N, signHash } from "../../../reference/crypto/ecdsa.ts";
import { vrfEvaluate, vrfVerify } from "../../../reference/crypto/vrf.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  HexBytes,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { keccak256 } from "../../../reference/encoding/keccak.ts";
import { type Result, unwrap } from "../../../reference/errors.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import {
  identityPoint,
  MALFORMED_POINT_CODES,
  malformedPoint,
  sampleSecretKey,
} from "../../testing/blsSamples.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { vdfCases, vdfHandlers } from "./crypto-vdf.ts";

/*
 * Conformance runner for chapter 2 (cryptography): BLS, signer bitmaps, the BLS VRF, secp256k1 transaction
 * signatures and addresses. Bytes are 0x hex, big integers decimal strings. Handlers are built over a BLS back
 * end so that the same cases can be replayed against the native back end; the exported runner uses the
 * reference back end.
 */

const hex = (bytes: Uint8Array): string => bytesToHex(bytes);
const HexList = z.array(HexBytes);
const Bool = z.boolean();
const HexString = z.string().regex(/^0x(?:[0-9a-f]{2})*$/);

/** A handler whose rule yields bytes: returns them as 0x hex; a failed Result is raised. */
function bytesHandler<S extends z.ZodType>(
  description: string,
  input: S,
  compute: (input: z.output<S>) => Result<Uint8Array>,
): HandlerDef<S> {
  return { description, input, output: HexString, run: (parsed) => hex(unwrap(compute(parsed))) };
}

/** A handler whose rule yields a verdict: returns true or false; a failed Result is raised. */
function verdictHandler<S extends z.ZodType>(
  description: string,
  input: S,
  compute: (input: z.output<S>) => Result<boolean>,
): HandlerDef<S> {
  return { description, input, output: Bool, run: (parsed) => unwrap(compute(parsed)) };
}

/** The handlers of the crypto runner over a given BLS back end. */
export function cryptoHandlers(bls: BlsBackend): Record<string, HandlerDef> {
  return {
    bls_keygen: bytesHandler(
      "KeyGen(IKM, key_info) → secret key (draft-irtf-cfrg-bls-signature-05 §2.3)",
      z.object({ ikm: HexBytes, keyInfo: HexBytes }).strict(),
      (input) => keyGen(input.ikm, input.keyInfo),
    ),
    bls_secret_to_public: bytesHandler(
      "SkToPk(secret key) → 48-byte public key",
      z.object({ secretKey: HexBytes }).strict(),
      (input) => bls.secretToPublic(input.secretKey),
    ),
    bls_sign: bytesHandler(
      "Sign(secret key, message) → 96-byte signature",
      z.object({ secretKey: HexBytes, message: HexBytes }).strict(),
      (input) => bls.sign(input.secretKey, input.message),
    ),
    bls_verify: verdictHandler(
      "Verify(public key, message, signature) → verdict",
      z.object({ publicKey: HexBytes, message: HexBytes, signature: HexBytes }).strict(),
      (input) => bls.verify(input.publicKey, input.message, input.signature),
    ),
    bls_aggregate: bytesHandler(
      "Aggregate(signatures) → 96-byte signature",
      z.object({ signatures: HexList }).strict(),
      (input) => bls.aggregateSignatures(input.signatures),
    ),
    bls_fast_aggregate_verify: verdictHandler(
      "FastAggregateVerify(public keys, message, signature) → verdict",
      z.object({ publicKeys: HexList, message: HexBytes, signature: HexBytes }).strict(),
      (input) => bls.fastAggregateVerify(input.publicKeys, input.message, input.signature),
    ),
    bls_aggregate_verify: verdictHandler(
      "AggregateVerify(public keys, messages, signature) → verdict",
      z.object({ publicKeys: HexList, messages: HexList, signature: HexBytes }).strict(),
      (input) => bls.aggregateVerify(input.publicKeys, input.messages, input.signature),
    ),
    bls_batch_verify: verdictHandler(
      "batch verification of (public key, message, signature) sets with a 32-byte randomness seed",
      z
        .object({
          sets: z.array(z.object({ publicKey: HexBytes, message: HexBytes, signature: HexBytes }).strict()),
          randomness: HexBytes,
        })
        .strict(),
      (input) => bls.verifyBatch(input.sets, input.randomness),
    ),
    bls_pop_prove: bytesHandler(
      "PopProve(secret key) → 96-byte proof of possession",
      z.object({ secretKey: HexBytes }).strict(),
      (input) => bls.popProve(input.secretKey),
    ),
    bls_pop_verify: verdictHandler(
      "PopVerify(public key, proof) → verdict",
      z.object({ publicKey: HexBytes, proof: HexBytes }).strict(),
      (input) => bls.popVerify(input.publicKey, input.proof),
    ),
    bls_key_validate: {
      description: "KeyValidate(public key): true, or the code of the failed check",
      input: z.object({ publicKey: HexBytes }).strict(),
      output: z.literal(true),
      run: (input: { publicKey: Uint8Array }) => {
        unwrap(bls.validatePublicKey(input.publicKey));
        return true;
      },
    },
    bitmap_decode: {
      description: "signer bitmap of a committee of n → ascending signer indices and their count",
      input: z.object({ bitmap: HexBytes, committeeSize: JsonInt }).strict(),
      output: z.object({ signers: z.array(JsonInt), count: JsonInt }),
      run: (input: { bitmap: Uint8Array; committeeSize: number }) => {
        const signers = unwrap(decodeBitmap(input.bitmap, input.committeeSize));
        return { signers, count: signers.length };
      },
    },
    bitmap_encode: bytesHandler(
      "signer indices of a committee of n → signer bitmap",
      z.object({ committeeSize: JsonInt, signers: z.array(JsonInt) }).strict(),
      (input) => encodeBitmap(input.committeeSize, input.signers),
    ),
    bitmap_aggregate_key: {
      description:
        "committee public keys and a signer bitmap → aggregate public key of the signers and their count",
      input: z.object({ committee: HexList, bitmap: HexBytes }).strict(),
      output: z.object({ publicKey: HexString, signers: JsonInt }),
      run: (input: { committee: Uint8Array[]; bitmap: Uint8Array }) => {
        const result = unwrap(aggregateSignerKeys(input.committee, input.bitmap, bls));
        return { publicKey: hex(result.publicKey), signers: result.signers };
      },
    },
    vrf_evaluate: {
      description: "VRF evaluation: proof π = Sign(SK, sha256(seed)), output β = sha256(π)",
      input: z.object({ secretKey: HexBytes, seed: HexBytes }).strict(),
      output: z.object({ output: HexString, proof: HexString }),
      run: (input: { secretKey: Uint8Array; seed: Uint8Array }) => {
        const result = unwrap(vrfEvaluate(input.secretKey, input.seed, bls));
        return { output: hex(result.output), proof: hex(result.proof) };
      },
    },
    vrf_verify: {
      description: "VRF verification → output β",
      input: z.object({ publicKey: HexBytes, seed: HexBytes, proof: HexBytes }).strict(),
      output: z.object({ output: HexString }),
      run: (input: { publicKey: Uint8Array; seed: Uint8Array; proof: Uint8Array }) => ({
        output: hex(unwrap(vrfVerify(input.publicKey, input.seed, input.proof, bls))),
      }),
    },
    ecdsa_sign: {
      description: "signHash(hash, secret key, chain id) → EIP-155 (v, r, s), RFC 6979 nonce",
      input: z.object({ hash: HexBytes, secretKey: HexBytes, chainId: DecimalBigInt }).strict(),
      output: z.object({ v: z.string(), r: z.string(), s: z.string() }),
      run: (input: { hash: Uint8Array; secretKey: Uint8Array; chainId: bigint }) => {
        const signature = unwrap(signHash(input.hash, input.secretKey, input.chainId));
        return {
          v: bigintToDecimal(signature.v),
          r: bigintToDecimal(signature.r),
          s: bigintToDecimal(signature.s),
        };
      },
    },
    ecdsa_recover: {
      description: "recoverSigner(hash, v, r, s, chain id) → sender address",
      input: z
        .object({
          hash: HexBytes,
          v: DecimalBigInt,
          r: DecimalBigInt,
          s: DecimalBigInt,
          chainId: DecimalBigInt,
        })
        .strict(),
      output: z.object({ address: HexString }),
      run: (input: { hash: Uint8Array; v: bigint; r: bigint; s: bigint; chainId: bigint }) => ({
        address: hex(unwrap(recoverSigner(input.hash, input.v, input.r, input.s, input.chainId))),
      }),
    },
    address_to_bech32: {
      description: "20-byte address → bech32 text with the preset's human-readable part",
      input: z.object({ address: HexBytes }).strict(),
      output: z.string(),
      run: (input: { address: Uint8Array }, preset: Preset) =>
        unwrap(addressToBech32(input.address, preset.bech32Prefix)),
    },
    address_from_bech32: {
      description: "bech32 text → 20-byte address (lower-case hex) for the preset's human-readable part",
      input: z.object({ text: z.string() }).strict(),
      output: z.object({ address: HexString }),
      run: (input: { text: string }, preset: Preset) => ({
        address: hex(unwrap(addressFromBech32(input.text, preset.bech32Prefix))),
      }),
    },
    address_from_hex: {
      description:
        "hex text (lower, upper or EIP-55 mixed case) → address, its canonical and checksummed forms",
      input: z.object({ text: z.string() }).strict(),
      output: z.object({ address: HexString, checksum: z.string() }),
      run: (input: { text: string }) => {
        const address = unwrap(addressFromHex(input.text));
        return { address: unwrap(addressToHex(address)), checksum: unwrap(addressToChecksumHex(address)) };
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Cases. Every key is derived from a fixed label; nothing is random.
// ---------------------------------------------------------------------------------------------------------------

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const snake = (code: string): string => code.toLowerCase();

const BLS_TAGS = {
  keygen: ["BLS-KEYGEN.1"],
  sk: ["BLS-SECRET-KEY.1", "BLS-SK-TO-PK.1", "BLS-POINT-ENCODING.1"],
  sign: ["BLS-SIGN.1", "BLS-HASH-TO-G2.1", "BLS-CIPHERSUITE.1", "BLS-POINT-ENCODING.1"],
  verify: ["BLS-VERIFY.1", "BLS-SIGNATURE-VALIDATE.1", "BLS-KEY-VALIDATE.1", "BLS-POINT-DECODE.1"],
  aggregate: ["BLS-AGGREGATE.1", "BLS-SIGNATURE-VALIDATE.1", "BLS-POINT-DECODE.1"],
  fav: ["BLS-FAST-AGGREGATE-VERIFY.1", "BLS-KEY-VALIDATE.1", "BLS-POINT-DECODE.1"],
  av: ["BLS-AGGREGATE-VERIFY.1", "BLS-KEY-VALIDATE.1", "BLS-POINT-DECODE.1"],
  batch: ["BLS-BATCH-VERIFY.1", "BLS-KEY-VALIDATE.1", "BLS-POINT-DECODE.1"],
  pop: ["BLS-POP-PROVE.1", "BLS-POP-VERIFY.1", "BLS-KEY-VALIDATE.1"],
  keyValidate: ["BLS-KEY-VALIDATE.1", "BLS-POINT-DECODE.1"],
} as const;

/** For a point-taking handler: one invalid case per decoding code, with the point in the given input field. */
function malformedPointCases(
  handler: string,
  tags: readonly string[],
  group: "G1" | "G2",
  valid: Uint8Array,
  build: (bad: Uint8Array) => Json,
  field: string,
): CaseDef[] {
  const out: CaseDef[] = [];
  for (const failure of MALFORMED_POINT_CODES) {
    out.push({
      handler,
      name: `${field}_${snake(failure)}`,
      description: `${field} fails decoding: ${failure}`,
      tags,
      input: build(malformedPoint(group, failure, valid)),
      expectedError: failure,
    });
  }
  if (group === "G1") {
    out.push({
      handler,
      name: `${field}_identity`,
      description: `${field} is the identity (KeyValidate rejects it)`,
      tags,
      input: build(identityPoint("G1")),
      expectedError: "BLS_PUBKEY_IDENTITY",
    });
  }
  return out;
}

function blsCases(): CaseDef[] {
  const bls = nobleBls;
  const sks = [0, 1, 2, 3].map((i) => sampleSecretKey(`conformance bls key ${i}`));
  const pks = sks.map((sk) => unwrap(bls.secretToPublic(sk)));
  const message = utf8("harmony conformance message");
  const other = utf8("another message");
  const sigs = sks.map((sk) => unwrap(bls.sign(sk, message)));
  const aggregate = unwrap(bls.aggregateSignatures(sigs));
  const one = secretKeyToBytes(1n);
  const minusOne = secretKeyToBytes(BLS_GROUP_ORDER - 1n);
  const out: CaseDef[] = [];

  // KeyGen
  out.push(
    {
      handler: "bls_keygen",
      name: "ikm_32_bytes",
      description: "KeyGen over 32 bytes of IKM, empty key_info",
      tags: BLS_TAGS.keygen,
      input: { ikm: hex(keccak256(utf8("ikm"))), keyInfo: "0x" },
    },
    {
      handler: "bls_keygen",
      name: "with_key_info",
      description: "KeyGen with a key_info",
      tags: BLS_TAGS.keygen,
      input: { ikm: hex(keccak256(utf8("ikm"))), keyInfo: hex(utf8("harmony")) },
    },
    {
      handler: "bls_keygen",
      name: "ikm_too_short",
      description: "IKM of 31 bytes",
      tags: BLS_TAGS.keygen,
      input: { ikm: hex(new Uint8Array(31)), keyInfo: "0x" },
      expectedError: "BLS_KEYGEN_IKM_SHORT",
    },
  );

  // SkToPk and Sign
  const badSecretKeys: [string, Uint8Array][] = [
    ["zero", new Uint8Array(32)],
    ["group_order", secretKeyToBytes(BLS_GROUP_ORDER)],
    ["short", new Uint8Array(31).fill(1)],
  ];
  for (const [i, sk] of sks.entries()) {
    out.push({
      handler: "bls_secret_to_public",
      name: `key_${i}`,
      description: `public key of sample key ${i}`,
      tags: BLS_TAGS.sk,
      input: { secretKey: hex(sk) },
    });
  }
  out.push(
    {
      handler: "bls_secret_to_public",
      name: "key_one",
      description: "SK = 1 gives the compressed generator of G1",
      tags: BLS_TAGS.sk,
      input: { secretKey: hex(one) },
    },
    {
      handler: "bls_secret_to_public",
      name: "key_r_minus_one",
      description: "SK = r − 1 gives the negated generator",
      tags: BLS_TAGS.sk,
      input: { secretKey: hex(minusOne) },
    },
  );
  for (const [name, sk] of badSecretKeys) {
    out.push({
      handler: "bls_secret_to_public",
      name: `secret_key_${name}`,
      description: `secret key ${name} is rejected`,
      tags: BLS_TAGS.sk,
      input: { secretKey: hex(sk) },
      expectedError: "BLS_SECRET_KEY_INVALID",
    });
    out.push({
      handler: "bls_sign",
      name: `secret_key_${name}`,
      description: `secret key ${name} is rejected`,
      tags: ["BLS-SIGN.1", "BLS-SECRET-KEY.1"],
      input: { secretKey: hex(sk), message: hex(message) },
      expectedError: "BLS_SECRET_KEY_INVALID",
    });
  }
  for (const [name, m] of [
    ["empty_message", new Uint8Array(0)],
    ["short_message", message],
    ["hash_message", keccak256(message)],
  ] as const) {
    out.push({
      handler: "bls_sign",
      name,
      description: `signature of sample key 0 on the ${name.replace("_", " ")}`,
      tags: BLS_TAGS.sign,
      input: { secretKey: hex(sks[0]!), message: hex(m) },
    });
  }
  out.push({
    handler: "bls_sign",
    name: "secret_key_one_is_hash_to_point",
    description: "with SK = 1 the signature is hash_to_point(message) itself",
    tags: BLS_TAGS.sign,
    input: { secretKey: hex(one), message: hex(message) },
  });

  // Verify
  const verifyInput = (publicKey: Uint8Array, m: Uint8Array, signature: Uint8Array): Json => ({
    publicKey: hex(publicKey),
    message: hex(m),
    signature: hex(signature),
  });
  out.push(
    {
      handler: "bls_verify",
      name: "valid",
      description: "a signature verifies",
      tags: BLS_TAGS.verify,
      input: verifyInput(pks[0]!, message, sigs[0]!),
    },
    {
      handler: "bls_verify",
      name: "wrong_message",
      description: "the signature is for another message",
      tags: BLS_TAGS.verify,
      input: verifyInput(pks[0]!, other, sigs[0]!),
    },
    {
      handler: "bls_verify",
      name: "wrong_public_key",
      description: "the signature is by another key",
      tags: BLS_TAGS.verify,
      input: verifyInput(pks[1]!, message, sigs[0]!),
    },
    {
      handler: "bls_verify",
      name: "identity_signature",
      description: "the identity signature is well formed and does not verify",
      tags: BLS_TAGS.verify,
      input: verifyInput(pks[0]!, message, identityPoint("G2")),
    },
    {
      handler: "bls_verify",
      name: "signature_checked_first",
      description: "both inputs malformed: the signature's code is reported (BLS-VERIFY L1 before L2)",
      tags: BLS_TAGS.verify,
      input: verifyInput(identityPoint("G1"), message, malformedPoint("G2", "BLS_POINT_LENGTH", sigs[0]!)),
      expectedError: "BLS_POINT_LENGTH",
    },
  );
  out.push(
    ...malformedPointCases(
      "bls_verify",
      BLS_TAGS.verify,
      "G1",
      pks[0]!,
      (bad) => verifyInput(bad, message, sigs[0]!),
      "public_key",
    ),
    ...malformedPointCases(
      "bls_verify",
      BLS_TAGS.verify,
      "G2",
      sigs[0]!,
      (bad) => verifyInput(pks[0]!, message, bad),
      "signature",
    ),
  );

  // Aggregate
  const sigOne = unwrap(bls.sign(one, message));
  const sigMinusOne = unwrap(bls.sign(minusOne, message));
  out.push(
    {
      handler: "bls_aggregate",
      name: "four_signatures",
      description: "aggregate of four signatures on one message",
      tags: BLS_TAGS.aggregate,
      input: { signatures: sigs.map(hex) },
    },
    {
      handler: "bls_aggregate",
      name: "single_signature",
      description: "aggregate of one signature is that signature",
      tags: BLS_TAGS.aggregate,
      input: { signatures: [hex(sigs[0]!)] },
    },
    {
      handler: "bls_aggregate",
      name: "sum_is_identity",
      description: "a signature and its negation aggregate to the identity signature",
      tags: BLS_TAGS.aggregate,
      input: { signatures: [hex(sigOne), hex(sigMinusOne)] },
    },
    {
      handler: "bls_aggregate",
      name: "empty",
      description: "aggregate of zero signatures is an error",
      tags: BLS_TAGS.aggregate,
      input: { signatures: [] },
      expectedError: "BLS_AGGREGATE_EMPTY",
    },
    ...malformedPointCases(
      "bls_aggregate",
      BLS_TAGS.aggregate,
      "G2",
      sigs[1]!,
      (bad) => ({ signatures: [hex(sigs[0]!), hex(bad)] }),
      "signature",
    ),
  );

  // FastAggregateVerify
  const favInput = (publicKeys: Uint8Array[], signature: Uint8Array): Json => ({
    publicKeys: publicKeys.map(hex),
    message: hex(message),
    signature: hex(signature),
  });
  const pkOne = unwrap(bls.secretToPublic(one));
  const pkMinusOne = unwrap(bls.secretToPublic(minusOne));
  out.push(
    {
      handler: "bls_fast_aggregate_verify",
      name: "valid",
      description: "four signers of one message",
      tags: BLS_TAGS.fav,
      input: favInput(pks, aggregate),
    },
    {
      handler: "bls_fast_aggregate_verify",
      name: "missing_signer",
      description: "the aggregate includes a signer whose key is not listed",
      tags: BLS_TAGS.fav,
      input: favInput(pks.slice(0, 3), aggregate),
    },
    {
      handler: "bls_fast_aggregate_verify",
      name: "no_public_keys",
      description: "zero public keys: false",
      tags: BLS_TAGS.fav,
      input: favInput([], identityPoint("G2")),
    },
    {
      handler: "bls_fast_aggregate_verify",
      name: "keys_sum_to_identity",
      description: "keys 1·g1 and (r−1)·g1 sum to the identity: false, even for the identity signature",
      tags: BLS_TAGS.fav,
      input: favInput([pkOne, pkMinusOne], identityPoint("G2")),
    },
    ...malformedPointCases(
      "bls_fast_aggregate_verify",
      BLS_TAGS.fav,
      "G1",
      pks[1]!,
      (bad) => favInput([pks[0]!, bad], aggregate),
      "public_key",
    ),
    ...malformedPointCases(
      "bls_fast_aggregate_verify",
      BLS_TAGS.fav,
      "G2",
      aggregate,
      (bad) => favInput(pks, bad),
      "signature",
    ),
  );

  // AggregateVerify
  const messages = [0, 1, 2].map((i) => utf8(`distinct message ${i}`));
  const distinct = unwrap(bls.aggregateSignatures(messages.map((m, i) => unwrap(bls.sign(sks[i]!, m)))));
  const avInput = (publicKeys: Uint8Array[], msgs: Uint8Array[], signature: Uint8Array): Json => ({
    publicKeys: publicKeys.map(hex),
    messages: msgs.map(hex),
    signature: hex(signature),
  });
  out.push(
    {
      handler: "bls_aggregate_verify",
      name: "valid_distinct_messages",
      description: "three signers, three distinct messages",
      tags: BLS_TAGS.av,
      input: avInput(pks.slice(0, 3), messages, distinct),
    },
    {
      handler: "bls_aggregate_verify",
      name: "swapped_messages",
      description: "messages assigned to the wrong keys",
      tags: BLS_TAGS.av,
      input: avInput(pks.slice(0, 3), [messages[1]!, messages[0]!, messages[2]!], distinct),
    },
    {
      handler: "bls_aggregate_verify",
      name: "repeated_message_allowed",
      description: "the proof-of-possession scheme does not require distinct messages",
      tags: BLS_TAGS.av,
      input: avInput(pks, [message, message, message, message], aggregate),
    },
    {
      handler: "bls_aggregate_verify",
      name: "no_pairs",
      description: "zero pairs: false",
      tags: BLS_TAGS.av,
      input: avInput([], [], identityPoint("G2")),
    },
    {
      handler: "bls_aggregate_verify",
      name: "length_mismatch",
      description: "three keys, two messages",
      tags: BLS_TAGS.av,
      input: avInput(pks.slice(0, 3), messages.slice(0, 2), distinct),
      expectedError: "BLS_LENGTH_MISMATCH",
    },
    ...malformedPointCases(
      "bls_aggregate_verify",
      BLS_TAGS.av,
      "G1",
      pks[2]!,
      (bad) => avInput([pks[0]!, pks[1]!, bad], messages, distinct),
      "public_key",
    ),
    ...malformedPointCases(
      "bls_aggregate_verify",
      BLS_TAGS.av,
      "G2",
      distinct,
      (bad) => avInput(pks.slice(0, 3), messages, bad),
      "signature",
    ),
  );

  // Batch verification
  const randomness = hex(keccak256(utf8("batch randomness")));
  const sets = messages.map((m, i) => ({
    publicKey: pks[i]!,
    message: m,
    signature: unwrap(bls.sign(sks[i]!, m)),
  }));
  const setsJson = (list: typeof sets): Json =>
    list.map((set) => ({
      publicKey: hex(set.publicKey),
      message: hex(set.message),
      signature: hex(set.signature),
    }));
  const swapped = [
    { ...sets[0]!, signature: sets[1]!.signature },
    { ...sets[1]!, signature: sets[0]!.signature },
  ];
  out.push(
    {
      handler: "bls_batch_verify",
      name: "valid",
      description: "three valid sets",
      tags: BLS_TAGS.batch,
      input: { sets: setsJson(sets), randomness },
    },
    {
      handler: "bls_batch_verify",
      name: "swapped_signatures",
      description: "two sets with swapped signatures (their sum would pass an unblinded check)",
      tags: BLS_TAGS.batch,
      input: { sets: setsJson(swapped), randomness },
    },
    {
      handler: "bls_batch_verify",
      name: "empty",
      description: "an empty batch is valid (the conjunction of no verdicts)",
      tags: BLS_TAGS.batch,
      input: { sets: [], randomness },
    },
    {
      handler: "bls_batch_verify",
      name: "randomness_length",
      description: "randomness must be 32 bytes",
      tags: BLS_TAGS.batch,
      input: { sets: setsJson(sets), randomness: hex(new Uint8Array(16)) },
      expectedError: "BLS_BATCH_RANDOMNESS_LENGTH",
    },
    {
      handler: "bls_batch_verify",
      name: "order_false_set_then_malformed_key",
      description:
        "set 0 is well formed but does not verify, set 1's public key is 47 bytes: every input is validated before any pairing, so the key's code is raised, not false",
      tags: BLS_TAGS.batch,
      input: {
        sets: setsJson([swapped[0]!, { ...sets[1]!, publicKey: pks[1]!.slice(1) }]),
        randomness,
      },
      expectedError: "BLS_POINT_LENGTH",
    },
    {
      handler: "bls_batch_verify",
      name: "order_earlier_set_first",
      description:
        "set 0's public key is the identity, set 1's signature is 95 bytes: set 0 is validated first",
      tags: BLS_TAGS.batch,
      input: {
        sets: setsJson([
          { ...sets[0]!, publicKey: identityPoint("G1") },
          { ...sets[1]!, signature: sets[1]!.signature.slice(1) },
        ]),
        randomness,
      },
      expectedError: "BLS_PUBKEY_IDENTITY",
    },
    {
      handler: "bls_batch_verify",
      name: "order_signature_before_key",
      description:
        "set 0's signature is 95 bytes and its public key the identity: S_0 is validated before PK_0",
      tags: BLS_TAGS.batch,
      input: {
        sets: setsJson([
          { ...sets[0]!, publicKey: identityPoint("G1"), signature: sets[0]!.signature.slice(1) },
        ]),
        randomness,
      },
      expectedError: "BLS_POINT_LENGTH",
    },
    {
      handler: "bls_batch_verify",
      name: "order_randomness_first",
      description: "a 16-byte seed and a malformed public key: the seed is checked first (L1)",
      tags: BLS_TAGS.batch,
      input: {
        sets: setsJson([{ ...sets[0]!, publicKey: identityPoint("G1") }]),
        randomness: hex(new Uint8Array(16)),
      },
      expectedError: "BLS_BATCH_RANDOMNESS_LENGTH",
    },
    ...malformedPointCases(
      "bls_batch_verify",
      BLS_TAGS.batch,
      "G1",
      pks[0]!,
      (bad) => ({ sets: setsJson([{ ...sets[0]!, publicKey: bad }]), randomness }),
      "public_key",
    ),
    ...malformedPointCases(
      "bls_batch_verify",
      BLS_TAGS.batch,
      "G2",
      sets[0]!.signature,
      (bad) => ({ sets: setsJson([{ ...sets[0]!, signature: bad }]), randomness }),
      "signature",
    ),
  );

  // Proof of possession
  const proof = unwrap(bls.popProve(sks[0]!));
  out.push(
    {
      handler: "bls_pop_prove",
      name: "key_0",
      description: "proof of possession of sample key 0",
      tags: BLS_TAGS.pop,
      input: { secretKey: hex(sks[0]!) },
    },
    {
      handler: "bls_pop_prove",
      name: "secret_key_zero",
      description: "SK = 0 is rejected",
      tags: BLS_TAGS.pop,
      input: { secretKey: hex(new Uint8Array(32)) },
      expectedError: "BLS_SECRET_KEY_INVALID",
    },
    {
      handler: "bls_pop_verify",
      name: "valid",
      description: "the proof of sample key 0",
      tags: BLS_TAGS.pop,
      input: { publicKey: hex(pks[0]!), proof: hex(proof) },
    },
    {
      handler: "bls_pop_verify",
      name: "other_key",
      description: "the proof of key 0 presented for key 1",
      tags: BLS_TAGS.pop,
      input: { publicKey: hex(pks[1]!), proof: hex(proof) },
    },
    {
      handler: "bls_pop_verify",
      name: "signature_is_not_a_proof",
      description: "a signature (signature DST) over the key bytes is not a proof (POP DST)",
      tags: BLS_TAGS.pop,
      input: { publicKey: hex(pks[0]!), proof: hex(unwrap(bls.sign(sks[0]!, pks[0]!))) },
    },
    ...malformedPointCases(
      "bls_pop_verify",
      BLS_TAGS.pop,
      "G1",
      pks[0]!,
      (bad) => ({ publicKey: hex(bad), proof: hex(proof) }),
      "public_key",
    ),
    ...malformedPointCases(
      "bls_pop_verify",
      BLS_TAGS.pop,
      "G2",
      proof,
      (bad) => ({ publicKey: hex(pks[0]!), proof: hex(bad) }),
      "proof",
    ),
  );

  // KeyValidate
  out.push(
    {
      handler: "bls_key_validate",
      name: "valid",
      description: "a public key derived from a secret key",
      tags: BLS_TAGS.keyValidate,
      input: { publicKey: hex(pks[0]!) },
    },
    ...malformedPointCases(
      "bls_key_validate",
      BLS_TAGS.keyValidate,
      "G1",
      pks[0]!,
      (bad) => ({ publicKey: hex(bad) }),
      "public_key",
    ),
  );
  return out;
}

function bitmapCases(): CaseDef[] {
  const committee = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) =>
    unwrap(nobleBls.secretToPublic(sampleSecretKey(`conformance committee member ${i}`))),
  );
  const members = committee.map(hex);
  const tags = ["BITMAP-FORMAT.2", "BITMAP-DECODE.2"];
  const encodeTags = ["BITMAP-FORMAT.2", "BITMAP-ENCODE.2"];
  const aggTags = ["BITMAP-AGGREGATE-KEY.2", "BLS-AGGREGATE-KEYS.1", "BITMAP-DECODE.2"];
  const jsonTags = ["JSON-INT.1", "JSON-DECODE.1"];
  const bitmap = unwrap(encodeBitmap(10, [0, 3, 8, 9]));
  const largest = unwrap(encodeBitmap(65536, [65535, 0]));
  const out: CaseDef[] = [
    {
      handler: "bitmap_decode",
      name: "committee_of_10",
      description: "signers 0, 3, 8, 9 of 10: bytes 0x09 0x03",
      tags,
      input: { bitmap: "0x0903", committeeSize: 10 },
    },
    {
      handler: "bitmap_decode",
      name: "full_byte",
      description: "all 8 members of a committee of 8",
      tags,
      input: { bitmap: "0xff", committeeSize: 8 },
    },
    {
      handler: "bitmap_decode",
      name: "empty_committee",
      description: "n = 0",
      tags,
      input: { bitmap: "0x", committeeSize: 0 },
    },
    {
      handler: "bitmap_decode",
      name: "largest_committee",
      description: "n = 65536 (the largest committee): 8192 bytes, members 0 and 65535 sign",
      tags,
      input: { bitmap: hex(largest), committeeSize: 65536 },
    },
    {
      handler: "bitmap_decode",
      name: "committee_too_large",
      description: "n = 65537 exceeds the bound of 65536, even with a bitmap of the matching 8193 bytes",
      tags,
      input: { bitmap: hex(new Uint8Array(8193)), committeeSize: 65537 },
      expectedError: "BITMAP_COMMITTEE_SIZE",
    },
    {
      handler: "bitmap_decode",
      name: "committee_size_2_pow_32",
      description: "n = 2^32 with an empty bitmap: 32-bit arithmetic would take ⌈n/8⌉ for 0 bytes",
      tags,
      input: { bitmap: "0x", committeeSize: 4294967296 },
      expectedError: "BITMAP_COMMITTEE_SIZE",
    },
    {
      handler: "bitmap_decode",
      name: "committee_size_fraction",
      description: "n = 2.5 is not a JSON-INT.1 integer",
      tags: jsonTags,
      input: { bitmap: "0x00", committeeSize: 2.5 },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "bitmap_decode",
      name: "committee_size_string",
      description: 'n written as the string "10" is not a JSON-INT.1 integer',
      tags: jsonTags,
      input: { bitmap: "0x0903", committeeSize: "10" },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "bitmap_decode",
      name: "wrong_length",
      description: "two bytes for a committee of 8",
      tags,
      input: { bitmap: "0xff00", committeeSize: 8 },
      expectedError: "BITMAP_LENGTH",
    },
    {
      handler: "bitmap_decode",
      name: "stray_bit",
      description: "bit 10 set in the bitmap of a committee of 10",
      tags,
      input: { bitmap: "0x0004", committeeSize: 10 },
      expectedError: "BITMAP_STRAY_BITS",
    },
    {
      handler: "bitmap_encode",
      name: "committee_of_10",
      description: "signers 9, 0, 8, 3 (any order)",
      tags: encodeTags,
      input: { committeeSize: 10, signers: [9, 0, 8, 3] },
    },
    {
      handler: "bitmap_encode",
      name: "no_signers",
      description: "no signers of 17",
      tags: encodeTags,
      input: { committeeSize: 17, signers: [] },
    },
    {
      handler: "bitmap_encode",
      name: "index_out_of_range",
      description: "index 10 in a committee of 10",
      tags: encodeTags,
      input: { committeeSize: 10, signers: [10] },
      expectedError: "BITMAP_INDEX_OUT_OF_RANGE",
    },
    {
      handler: "bitmap_encode",
      name: "index_2_pow_32_plus_1",
      description:
        "index 2^32 + 1 in a committee of 10: truncated to 32 bits it would read as index 1, which is in range",
      tags: encodeTags,
      input: { committeeSize: 10, signers: [4294967297] },
      expectedError: "BITMAP_INDEX_OUT_OF_RANGE",
    },
    {
      handler: "bitmap_encode",
      name: "committee_too_large",
      description: "n = 65537 exceeds the bound of 65536",
      tags: encodeTags,
      input: { committeeSize: 65537, signers: [0] },
      expectedError: "BITMAP_COMMITTEE_SIZE",
    },
    {
      handler: "bitmap_encode",
      name: "committee_size_max_json_int",
      description: "n = 2^53 − 1, the largest JSON-INT.1 integer, reaches the rule and exceeds its bound",
      tags: encodeTags,
      input: { committeeSize: 9007199254740991, signers: [] },
      expectedError: "BITMAP_COMMITTEE_SIZE",
    },
    {
      handler: "bitmap_encode",
      name: "committee_size_2_pow_53",
      description: "n = 2^53 is above the JSON-INT.1 range",
      tags: jsonTags,
      input: { committeeSize: 9007199254740992, signers: [] },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "bitmap_encode",
      name: "negative_index",
      description: "index −1 is not a JSON-INT.1 integer",
      tags: jsonTags,
      input: { committeeSize: 10, signers: [-1] },
      expectedError: "JSON_SCHEMA",
    },
    {
      handler: "bitmap_encode",
      name: "duplicate_index",
      description: "index 3 twice",
      tags: encodeTags,
      input: { committeeSize: 10, signers: [3, 3] },
      expectedError: "BITMAP_INDEX_DUPLICATE",
    },
    {
      handler: "bitmap_aggregate_key",
      name: "four_of_ten",
      description: "aggregate key of members 0, 3, 8, 9",
      tags: aggTags,
      input: { committee: members, bitmap: hex(bitmap) },
    },
    {
      handler: "bitmap_aggregate_key",
      name: "no_signers",
      description: "no bit set",
      tags: aggTags,
      input: { committee: members, bitmap: "0x0000" },
      expectedError: "BLS_AGGREGATE_EMPTY",
    },
    {
      handler: "bitmap_aggregate_key",
      name: "wrong_length",
      description: "one byte for ten members",
      tags: aggTags,
      input: { committee: members, bitmap: "0x09" },
      expectedError: "BITMAP_LENGTH",
    },
    {
      handler: "bitmap_aggregate_key",
      name: "stray_bit",
      description: "bit 15 set",
      tags: aggTags,
      input: { committee: members, bitmap: "0x0980" },
      expectedError: "BITMAP_STRAY_BITS",
    },
    {
      handler: "bitmap_aggregate_key",
      name: "keys_sum_to_identity",
      description: "members 1·g1 and (r−1)·g1 both sign",
      tags: aggTags,
      input: {
        committee: [
          hex(unwrap(nobleBls.secretToPublic(secretKeyToBytes(1n)))),
          hex(unwrap(nobleBls.secretToPublic(secretKeyToBytes(BLS_GROUP_ORDER - 1n)))),
        ],
        bitmap: "0x03",
      },
      expectedError: "BLS_AGGREGATE_IDENTITY",
    },
    ...malformedPointCases(
      "bitmap_aggregate_key",
      aggTags,
      "G1",
      committee[3]!,
      (bad) => ({ committee: members.map((m, i) => (i === 3 ? hex(bad) : m)), bitmap: hex(bitmap) }),
      "member",
    ),
  ];
  return out;
}

function vrfCases(): CaseDef[] {
  const sk = sampleSecretKey("conformance vrf key");
  const pk = unwrap(nobleBls.secretToPublic(sk));
  const seed = keccak256(utf8("previous block"));
  const { proof } = unwrap(vrfEvaluate(sk, seed));
  const tampered = unwrap(vrfEvaluate(sk, keccak256(utf8("another block")))).proof;
  const evalTags = ["VRF-EVALUATE.1"];
  const verifyTags = ["VRF-VERIFY.1"];
  return [
    {
      handler: "vrf_evaluate",
      name: "block_seed",
      description: "evaluation on a 32-byte seed",
      tags: evalTags,
      input: { secretKey: hex(sk), seed: hex(seed) },
    },
    {
      handler: "vrf_evaluate",
      name: "empty_seed",
      description: "evaluation on the empty seed",
      tags: evalTags,
      input: { secretKey: hex(sk), seed: "0x" },
    },
    {
      handler: "vrf_evaluate",
      name: "secret_key_zero",
      description: "SK = 0",
      tags: evalTags,
      input: { secretKey: hex(new Uint8Array(32)), seed: hex(seed) },
      expectedError: "BLS_SECRET_KEY_INVALID",
    },
    {
      handler: "vrf_verify",
      name: "valid",
      description: "a proof verifies and yields the output",
      tags: verifyTags,
      input: { publicKey: hex(pk), seed: hex(seed), proof: hex(proof) },
    },
    {
      handler: "vrf_verify",
      name: "proof_for_other_seed",
      description: "a valid proof for another seed",
      tags: verifyTags,
      input: { publicKey: hex(pk), seed: hex(seed), proof: hex(tampered) },
      expectedError: "VRF_PROOF_INVALID",
    },
    ...malformedPointCases(
      "vrf_verify",
      verifyTags,
      "G1",
      pk,
      (bad) => ({ publicKey: hex(bad), seed: hex(seed), proof: hex(proof) }),
      "public_key",
    ),
    ...malformedPointCases(
      "vrf_verify",
      verifyTags,
      "G2",
      proof,
      (bad) => ({ publicKey: hex(pk), seed: hex(seed), proof: hex(bad) }),
      "proof",
    ),
  ];
}

function ecdsaCases(preset: Preset): CaseDef[] {
  const dec = (value: bigint): string => bigintToDecimal(value);
  const secretKey = keccak256(utf8("conformance ecdsa key"));
  const hash = keccak256(utf8("conformance transaction"));
  const chainId = preset.harmonyChainId;
  const ethChainId = preset.ethChainIdBase;
  const signature = unwrap(signHash(hash, secretKey, chainId));
  const recover = (v: bigint, r: bigint, s: bigint, id: bigint, h: Uint8Array = hash): Json => ({
    hash: hex(h),
    v: dec(v),
    r: dec(r),
    s: dec(s),
    chainId: dec(id),
  });
  const signTags = ["ECDSA-SIGN.1"];
  const recTags = ["ECDSA-RECOVER.1", "ECDSA-ADDRESS.1"];
  const flippedV = signature.v % 2n === 0n ? signature.v - 1n : signature.v + 1n;
  // The EIP-155 example (chain id 1, key 0x46…46) with its published signing hash.
  const eip155Hash = "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53";
  return [
    {
      handler: "ecdsa_sign",
      name: "harmony_chain_id",
      description: `signature for the preset's Harmony chain id ${chainId}`,
      tags: signTags,
      input: { hash: hex(hash), secretKey: hex(secretKey), chainId: dec(chainId) },
    },
    {
      handler: "ecdsa_sign",
      name: "eth_chain_id",
      description: `signature for the preset's Ethereum-compatible chain id ${ethChainId}`,
      tags: signTags,
      input: { hash: hex(hash), secretKey: hex(secretKey), chainId: dec(ethChainId) },
    },
    {
      handler: "ecdsa_sign",
      name: "eip155_example",
      description: "the EIP-155 example: v = 37 and the published r, s",
      tags: signTags,
      input: { hash: eip155Hash, secretKey: hex(new Uint8Array(32).fill(0x46)), chainId: "1" },
    },
    {
      handler: "ecdsa_sign",
      name: "hash_length",
      description: "a 31-byte hash",
      tags: signTags,
      input: { hash: hex(hash.slice(1)), secretKey: hex(secretKey), chainId: dec(chainId) },
      expectedError: "ECDSA_HASH_LENGTH",
    },
    {
      handler: "ecdsa_sign",
      name: "chain_id_zero",
      description: "chain id 0",
      tags: signTags,
      input: { hash: hex(hash), secretKey: hex(secretKey), chainId: "0" },
      expectedError: "ECDSA_CHAIN_ID_INVALID",
    },
    {
      handler: "ecdsa_sign",
      name: "secret_key_zero",
      description: "secret key 0",
      tags: signTags,
      input: { hash: hex(hash), secretKey: hex(new Uint8Array(32)), chainId: dec(chainId) },
      expectedError: "ECDSA_SECRET_KEY_INVALID",
    },
    {
      handler: "ecdsa_recover",
      name: "valid",
      description: "recovers the signer",
      tags: recTags,
      input: recover(signature.v, signature.r, signature.s, chainId),
    },
    {
      handler: "ecdsa_recover",
      name: "eip155_example",
      description: "the EIP-155 example's published (v, r, s)",
      tags: recTags,
      input: {
        hash: eip155Hash,
        v: "37",
        r: "18515461264373351373200002665853028612451056578545711640558177340181847433846",
        s: "46948507304638947509940763649030358759909902576025900602547168820602576006531",
        chainId: "1",
      },
    },
    {
      handler: "ecdsa_recover",
      name: "hash_length",
      description: "a 33-byte hash",
      tags: recTags,
      input: recover(signature.v, signature.r, signature.s, chainId, new Uint8Array(33)),
      expectedError: "ECDSA_HASH_LENGTH",
    },
    {
      handler: "ecdsa_recover",
      name: "chain_id_zero",
      description: "chain id 0",
      tags: recTags,
      input: recover(signature.v, signature.r, signature.s, 0n),
      expectedError: "ECDSA_CHAIN_ID_INVALID",
    },
    {
      handler: "ecdsa_recover",
      name: "legacy_v_27",
      description: "pre-EIP-155 v = 27 is not accepted",
      tags: recTags,
      input: recover(27n, signature.r, signature.s, chainId),
      expectedError: "ECDSA_V_INVALID",
    },
    {
      handler: "ecdsa_recover",
      name: "wrong_chain_id",
      description: "v encodes another chain id",
      tags: recTags,
      input: recover(signature.v + 2n, signature.r, signature.s, chainId),
      expectedError: "ECDSA_CHAIN_ID_MISMATCH",
    },
    {
      handler: "ecdsa_recover",
      name: "r_zero",
      description: "r = 0",
      tags: recTags,
      input: recover(signature.v, 0n, signature.s, chainId),
      expectedError: "ECDSA_R_OUT_OF_RANGE",
    },
    {
      handler: "ecdsa_recover",
      name: "s_equals_n",
      description: "s = n",
      tags: recTags,
      input: recover(signature.v, signature.r, SECP256K1_N, chainId),
      expectedError: "ECDSA_S_OUT_OF_RANGE",
    },
    {
      handler: "ecdsa_recover",
      name: "high_s",
      description: "(n − s) with flipped parity: the same ECDSA signature, rejected by EIP-2",
      tags: recTags,
      input: recover(flippedV, signature.r, SECP256K1_N - signature.s, chainId),
      expectedError: "ECDSA_S_HIGH",
    },
    {
      handler: "ecdsa_recover",
      name: "r_not_on_curve",
      description: "r = 5 is not the x coordinate of any point (5³ + 7 is not a square mod p)",
      tags: recTags,
      input: recover(chainId * 2n + 35n, 5n, 1n, chainId),
      expectedError: "ECDSA_RECOVERY_FAILED",
    },
  ];
}

function addressCases(preset: Preset): CaseDef[] {
  const prefix = preset.bech32Prefix;
  const sample = unwrap(addressOfSecretKey(keccak256(utf8("conformance ecdsa key"))));
  const hexTags = ["ADDR-HEX.1"];
  const b32Tags = ["ADDR-BECH32-ACCOUNT.1", "ADDR-BECH32.1"];
  const good = unwrap(addressToBech32(sample, prefix));
  const flipped = good.slice(0, -1) + (good.endsWith("q") ? "p" : "q");
  return [
    {
      handler: "address_to_bech32",
      name: "sample",
      description: "a 20-byte address",
      tags: b32Tags,
      input: { address: hex(sample) },
    },
    {
      handler: "address_to_bech32",
      name: "harmony_docs_pair",
      description: "0x0B585F8D…4016 (Harmony documentation)",
      tags: b32Tags,
      input: { address: "0x0b585f8daefbc68a311fbd4cb20d9174ad174016" },
    },
    {
      handler: "address_to_bech32",
      name: "wrong_length",
      description: "19 bytes",
      tags: b32Tags,
      input: { address: hex(sample.slice(1)) },
      expectedError: "ADDR_LENGTH",
    },
    {
      handler: "address_from_bech32",
      name: "sample",
      description: "lower case",
      tags: b32Tags,
      input: { text: good },
    },
    {
      handler: "address_from_bech32",
      name: "upper_case",
      description: "all upper case is accepted",
      tags: b32Tags,
      input: { text: good.toUpperCase() },
    },
    {
      handler: "address_from_bech32",
      name: "mixed_case",
      description: "upper-case human-readable part, lower-case data",
      tags: b32Tags,
      input: { text: prefix.toUpperCase() + good.slice(prefix.length) },
      expectedError: "ADDR_BECH32_MIXED_CASE",
    },
    {
      handler: "address_from_bech32",
      name: "bad_checksum",
      description: "last character changed",
      tags: b32Tags,
      input: { text: flipped },
      expectedError: "ADDR_BECH32_CHECKSUM",
    },
    {
      handler: "address_from_bech32",
      name: "wrong_hrp",
      description: "a valid bech32 string with another human-readable part",
      tags: b32Tags,
      input: { text: unwrap(addressToBech32(sample, prefix === "two" ? "three" : "two")) },
      expectedError: "ADDR_BECH32_HRP",
    },
    {
      handler: "address_from_bech32",
      name: "wrong_length",
      description: "a valid bech32 string carrying 19 bytes",
      tags: b32Tags,
      input: { text: bech32Encode(prefix, bech32.toWords(sample.slice(1))) },
      expectedError: "ADDR_BECH32_LENGTH",
    },
    {
      handler: "address_from_bech32",
      name: "no_separator",
      description: "no '1' separator",
      tags: b32Tags,
      input: { text: "onepdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy" },
      expectedError: "ADDR_BECH32_MALFORMED",
    },
    {
      handler: "address_from_bech32",
      name: "invalid_character",
      description: "'b' is not in the bech32 alphabet",
      tags: b32Tags,
      input: { text: "one1bdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy" },
      expectedError: "ADDR_BECH32_MALFORMED",
    },
    {
      handler: "address_from_hex",
      name: "eip55_example",
      description: "the first EIP-55 example",
      tags: hexTags,
      input: { text: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
    },
    {
      handler: "address_from_hex",
      name: "lower_case",
      description: "no checksum",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" },
    },
    {
      handler: "address_from_hex",
      name: "upper_case",
      description: "no checksum",
      tags: hexTags,
      input: { text: "0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED" },
    },
    {
      handler: "address_from_hex",
      name: "bad_checksum",
      description: "mixed case not matching EIP-55",
      tags: hexTags,
      input: { text: "0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed" },
      expectedError: "ADDR_HEX_CHECKSUM",
    },
    {
      handler: "address_from_hex",
      name: "no_prefix",
      description: "missing 0x",
      tags: hexTags,
      input: { text: "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed" },
      expectedError: "ADDR_HEX_PREFIX",
    },
    {
      handler: "address_from_hex",
      name: "short",
      description: "39 digits",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae" },
      expectedError: "ADDR_HEX_LENGTH",
    },
    {
      handler: "address_from_hex",
      name: "non_hex",
      description: "a 'g'",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaeg" },
      expectedError: "ADDR_HEX_CHARACTER",
    },
    {
      handler: "address_from_hex",
      name: "non_ascii_39_characters",
      description:
        "38 hex digits and 'é' (U+00E9): 39 characters but 40 UTF-8 bytes; non-ASCII is rejected before the length",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1bea\u00e9" },
      expectedError: "ADDR_HEX_CHARACTER",
    },
    {
      handler: "address_from_hex",
      name: "non_ascii_41_characters",
      description:
        "40 hex digits and 'é': 41 characters, but the non-ASCII character is reported, not the length",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed\u00e9" },
      expectedError: "ADDR_HEX_CHARACTER",
    },
    {
      handler: "address_from_hex",
      name: "non_ascii_fullwidth_digit",
      description: "a fullwidth digit '１' (U+FF11) in place of the last '1' of a lower-case address",
      tags: hexTags,
      input: { text: "0x5aaeb6053f3e94c9b9a09f33669435e7ef\uff11beaed" },
      expectedError: "ADDR_HEX_CHARACTER",
    },
  ];
}

/** The cases of the chapter 2 handlers (without the VDF handlers of chapter 3). */
export function cryptoCases(preset: Preset): CaseDef[] {
  return [...blsCases(), ...bitmapCases(), ...vrfCases(), ...ecdsaCases(preset), ...addressCases(preset)];
}

/**
 * The crypto conformance runner, on the reference BLS back end: the handlers of chapter 2 and the VDF handlers
 * of chapter 3 (crypto-vdf.ts).
 */
export const runner: RunnerDef = {
  name: "crypto",
  description:
    "chapters 2 and 3: BLS signatures, signer bitmaps, BLS VRF, secp256k1 transaction signatures, addresses, VDF",
  handlers: { ...cryptoHandlers(nobleBls), ...vdfHandlers },
  cases: (preset: Preset) => [...cryptoCases(preset), ...vdfCases(preset)],
};
