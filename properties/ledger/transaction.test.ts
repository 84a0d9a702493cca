import { RLP } from "@ethereumjs/rlp";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SECP256K1_N } from "../../reference/crypto/ecdsa.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { keccak256 } from "../../reference/encoding/keccak.ts";
import { unwrap } from "../../reference/errors.ts";
import {
  decodeTransaction,
  encodeTransaction,
  recoverSender,
  signTransaction,
  type Transaction,
  transactionHash,
  type UnsignedTransaction,
} from "../../reference/ledger/transaction.ts";
import { MAINNET, MINIMAL, type Preset } from "../../reference/params/presets.ts";
import { listHeader, longHeader } from "../../tools/testing/rlpHeaders.ts";

/*
 * Properties of chapter 4's transactions over random keys, fields and both forms:
 *   - signing then recovering gives the signer's address (derived independently by noble);
 *   - decoding inverts encoding, and the encoding is what an independent RLP encoder writes;
 *   - every non-canonical rewriting of a valid encoding is rejected, with the code of the rule it breaks;
 *   - no single-byte change of a signed transaction keeps its sender: every encoded byte is covered by the
 *     signature (a field left out of the signing hash would let a byte change keep the sender).
 */

const presetArb: fc.Arbitrary<Preset> = fc.constantFrom(MINIMAL, MAINNET);

const uint = (bits: number): fc.Arbitrary<bigint> =>
  fc.oneof(
    fc.bigInt(0n, 300n),
    fc.bigInt(0n, (1n << BigInt(bits)) - 1n),
    fc.constant((1n << BigInt(bits)) - 1n),
  );

const shardArb = fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 32 - 1 }));
const toArb = fc.option(fc.uint8Array({ minLength: 20, maxLength: 20 }), { nil: null, freq: 5 });
const dataArb = fc.uint8Array({ maxLength: 80 });

const unsignedArb: fc.Arbitrary<UnsignedTransaction> = fc.oneof(
  fc.record({
    kind: fc.constant("harmony" as const),
    nonce: uint(64),
    gasPrice: uint(256),
    gasLimit: uint(64),
    shardId: shardArb,
    toShardId: shardArb,
    to: toArb,
    value: uint(256),
    data: dataArb,
  }),
  fc.record({
    kind: fc.constant("ethereum" as const),
    nonce: uint(64),
    gasPrice: uint(256),
    gasLimit: uint(64),
    shardId: fc.integer({ min: 0, max: 1000 }),
    to: toArb,
    value: uint(256),
    data: dataArb,
  }),
);

/** A transaction with arbitrary (not necessarily valid) v, r, s: encoding does not look at the signature. */
const anyTransactionArb: fc.Arbitrary<Transaction> = fc
  .tuple(unsignedArb, uint(72), uint(256), uint(256))
  .map(([u, v, r, s]): Transaction => {
    if (u.kind === "harmony") return { ...u, v, r, s };
    const { shardId: _, ...fields } = u;
    return { ...fields, v, r, s };
  });

const secretKeyArb = fc.bigInt(1n, SECP256K1_N - 1n).map((d) => {
  const out = new Uint8Array(32);
  for (let i = 31, rest = d; i >= 0; i--, rest >>= 8n) out[i] = Number(rest & 0xffn);
  return out;
});

/** The address of a key computed by noble's own key derivation (independent of the reference's ECDSA code). */
function nobleAddress(secretKey: Uint8Array): string {
  return bytesToHex(keccak256(secp256k1.getPublicKey(secretKey, false).slice(1)).slice(12));
}

/** The fields of a transaction in encoding order, as @ethereumjs/rlp takes them. */
function fieldValues(tx: Transaction): (bigint | Uint8Array)[] {
  const to = tx.to ?? new Uint8Array(0);
  if (tx.kind === "harmony") {
    return [
      tx.nonce,
      tx.gasPrice,
      tx.gasLimit,
      BigInt(tx.shardId),
      BigInt(tx.toShardId),
      to,
      tx.value,
      tx.data,
      tx.v,
      tx.r,
      tx.s,
    ];
  }
  return [tx.nonce, tx.gasPrice, tx.gasLimit, to, tx.value, tx.data, tx.v, tx.r, tx.s];
}

// @covers TX-SIGN.1 TX-SENDER.1 TX-SIGNING-HASH.1 TX-CHAIN-ID.1
describe("sign → recover", () => {
  it("recovers the signer's address for random keys, fields, forms and presets", () => {
    fc.assert(
      fc.property(unsignedArb, secretKeyArb, presetArb, (unsigned, secretKey, preset) => {
        const tx = signTransaction(unsigned, secretKey, preset);
        expect(bytesToHex(unwrap(recoverSender(tx, preset)))).toBe(nobleAddress(secretKey));
        // and through the wire form
        const decoded = unwrap(decodeTransaction(encodeTransaction(tx)));
        expect(bytesToHex(unwrap(recoverSender(decoded, preset)))).toBe(nobleAddress(secretKey));
      }),
      { numRuns: 60 },
    );
  });
});

// @covers TX-ENCODE.1 TX-DECODE.1 TX-HASH.1
describe("encode → decode", () => {
  it("decoding inverts encoding; the encoding is an independent encoder's; the hash is keccak256 of it", () => {
    fc.assert(
      fc.property(anyTransactionArb, (tx) => {
        const encoded = encodeTransaction(tx);
        expect(encoded).toEqual(RLP.encode(fieldValues(tx)));
        expect(unwrap(decodeTransaction(encoded))).toEqual(tx);
        expect(transactionHash(tx)).toEqual(keccak256(encoded));
      }),
      { numRuns: 300 },
    );
  });
});

interface Mutation {
  readonly bytes: Uint8Array;
  readonly code: string;
}

/**
 * The non-canonical rewritings of field `index` of a valid encoding, each with the code that must reject it:
 * a scalar with a leading zero byte, a single low byte with a string header, a short string in the long form.
 */
function fieldMutations(tx: Transaction, index: number): Mutation[] {
  const values = fieldValues(tx);
  const fieldBytes = (RLP.decode(encodeTransaction(tx)) as Uint8Array[])[index]!;
  const isScalar = typeof values[index] === "bigint";
  const rewritten: [number[], string][] = [];
  if (isScalar && fieldBytes.length === 0) rewritten.push([[0x00], "RLP_SCALAR_LEADING_ZERO"]); // zero is empty
  if (isScalar && fieldBytes.length > 0 && fieldBytes.length < 55) {
    const padded = [0, ...fieldBytes];
    rewritten.push([[0x80 + padded.length, ...padded], "RLP_SCALAR_LEADING_ZERO"]);
  }
  if (fieldBytes.length === 1 && fieldBytes[0]! < 0x80) {
    rewritten.push([[0x81, fieldBytes[0]!], "RLP_NON_CANONICAL_SINGLE_BYTE"]);
  }
  if (
    fieldBytes.length >= 1 &&
    fieldBytes.length <= 55 &&
    !(fieldBytes.length === 1 && fieldBytes[0]! < 0x80)
  ) {
    rewritten.push([
      [...longHeader(0x80, fieldBytes.length, 0), ...fieldBytes],
      "RLP_NON_CANONICAL_SHORT_LENGTH",
    ]);
  }
  if (fieldBytes.length === 0) {
    // the empty string in long form: 0xb800 is a zero-length long form, whose length byte is a leading zero
    rewritten.push([[0xb8, 0x00], "RLP_LEADING_ZERO_LENGTH"]);
  }
  const fields = (RLP.decode(encodeTransaction(tx)) as Uint8Array[]).map((f) => Array.from(RLP.encode(f)));
  return rewritten.map(([encodedField, code]) => {
    const all = fields.slice();
    all[index] = encodedField;
    const payload = all.flat();
    return { bytes: Uint8Array.from([...listHeader(payload.length), ...payload]), code };
  });
}

/** Non-canonical rewritings of the outer list: long form of a short header, leading zero length, extra bytes. */
function listMutations(encoded: Uint8Array): Mutation[] {
  const decodedHeaderLength = encoded[0]! <= 0xf7 ? 1 : 1 + (encoded[0]! - 0xf7);
  const payload = Array.from(encoded.slice(decodedHeaderLength));
  const out: Mutation[] = [
    { bytes: Uint8Array.from([...encoded, 0]), code: "RLP_TRAILING_BYTES" },
    { bytes: encoded.slice(0, encoded.length - 1), code: "RLP_INPUT_TOO_SHORT" },
    {
      bytes: Uint8Array.from([...longHeader(0xc0, payload.length, 1), ...payload]),
      code: "RLP_LEADING_ZERO_LENGTH",
    },
  ];
  if (payload.length <= 55) {
    out.push({
      bytes: Uint8Array.from([...longHeader(0xc0, payload.length, 0), ...payload]),
      code: "RLP_NON_CANONICAL_SHORT_LENGTH",
    });
  }
  return out;
}

// @covers TX-DECODE.1
describe("non-canonical encodings", () => {
  it("every non-canonical rewriting of a field or of the list is rejected with the code of the rule it breaks", () => {
    fc.assert(
      fc.property(anyTransactionArb, fc.nat(), (tx, pick) => {
        const encoded = encodeTransaction(tx);
        const index = pick % (tx.kind === "harmony" ? 11 : 9);
        const mutations = [...fieldMutations(tx, index), ...listMutations(encoded)];
        for (const mutation of mutations) {
          const result = decodeTransaction(mutation.bytes);
          expect(result.ok ? "(accepted)" : result.error.code, `field ${index}`).toBe(mutation.code);
        }
      }),
      { numRuns: 300 },
    );
  });
});

// @covers TX-SIGNING-HASH.1 TX-SENDER.1 TX-HASH.1 TX-DECODE.1
describe("single-byte changes", () => {
  it("no single-byte change of a signed transaction keeps its sender (nor, a fortiori, its hash)", () => {
    fc.assert(
      fc.property(
        unsignedArb,
        secretKeyArb,
        presetArb,
        fc.nat(),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        (unsigned, secretKey, preset, fieldPick, position, delta) => {
          const tx = signTransaction(unsigned, secretKey, preset);
          const encoded = encodeTransaction(tx);
          const sender = bytesToHex(unwrap(recoverSender(tx, preset)));
          const hash = bytesToHex(transactionHash(tx));
          // pick a field uniformly, then a byte of its encoding, so that every field is hit often
          const fields = RLP.decode(encoded) as Uint8Array[];
          const field = fieldPick % fields.length;
          let start = encoded.length;
          for (let i = 0; i < fields.length; i++) start -= RLP.encode(fields[i]!).length;
          for (let i = 0; i < field; i++) start += RLP.encode(fields[i]!).length;
          const changed = encoded.slice();
          const at = start + (position % RLP.encode(fields[field]!).length);
          changed[at] = (changed[at]! + delta) % 256;
          const decoded = decodeTransaction(changed);
          if (!decoded.ok) return;
          const recovered = recoverSender(decoded.value, preset);
          if (!recovered.ok) return;
          expect(bytesToHex(recovered.value), `byte ${at}`).not.toBe(sender);
          expect(bytesToHex(transactionHash(decoded.value))).not.toBe(hash);
        },
      ),
      { numRuns: 200 },
    );
  });
});
