import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { listOf } from "../../tools/testing/rlpHeaders.ts";
import { ACCEPTED, resultCode, thrownCode } from "../../tools/testing/specErrors.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { decodeTransaction, encodeTransaction, transactionHash } from "./transactionCodec.ts";
import type { EthereumTransaction, HarmonyTransaction, Transaction } from "./transactionFields.ts";

/*
 * Encoding, decoding and hashing of both transaction forms. Expected bytes come from published examples (the
 * EIP-155 text and the Harmony SDK's fixtures) or from an independent RLP encoder (@ethereumjs/rlp).
 */

const hex = bytesFromHex;

/** EIP-155's example transaction, signed: the raw bytes as the EIP publishes them. */
const EIP155_RAW =
  "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83";
/** keccak256 of EIP155_RAW, the transaction hash published with it (e.g. execution-spec-tests "legacy-eip155-sample"). */
const EIP155_HASH = "0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788";

/**
 * A Harmony-form transaction signed for chain id 1, from harmony-one/sdk
 * packages/harmony-transaction/test/transactions.remake.fixture.json (case "blank_000100",
 * field signedTransactionChainId1): all scalars 0, to = 0x0123…89, empty data.
 */
const SDK_BLANK_RAW =
  "0xf85f8080808080940123456789012345678901234567890123456789808025a0833e77859c2fdb255817d74e14106bb51092f01a8dda4b888860d53636f90329a0226387fff42ffc1dbf409fd5670ba9c7c1bdcd6a86d96ed649b197bf96dc0eb6";

const to = hex("0x3535353535353535353535353535353535353535");

const harmonySample: HarmonyTransaction = {
  kind: "harmony",
  nonce: 7n,
  gasPrice: 1_000_000_000n,
  gasLimit: 21000n,
  shardId: 1,
  toShardId: 0,
  to,
  value: 12345n,
  data: hex("0xdeadbeef00"),
  v: 39n,
  r: 0x28ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276n,
  s: 0x67cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83n,
};

const ethereumSample: EthereumTransaction = {
  kind: "ethereum",
  nonce: 0n,
  gasPrice: 0n,
  gasLimit: 21000n,
  to,
  value: 10n ** 18n,
  data: new Uint8Array(0),
  v: 3333200035n,
  r: 1n,
  s: 2n,
};

/** The encoded elements of a transaction (each a canonical RLP item), for byte-level mutations. */
function encodedFields(tx: Transaction): Uint8Array[] {
  const list = RLP.decode(encodeTransaction(tx)) as Uint8Array[];
  return list.map((field) => RLP.encode(field));
}

function withField(tx: Transaction, index: number, encoded: Uint8Array): Uint8Array {
  const fields = encodedFields(tx);
  fields[index] = encoded;
  return listOf(fields);
}

const decodeCode = (bytes: Uint8Array): string => resultCode(decodeTransaction(bytes));

// @covers TX-DECODE.1 TX-ENCODE.1 TX-HASH.1
describe("published transactions", () => {
  it("EIP-155's example decodes to its fields as the Ethereum form and re-encodes to the same bytes", () => {
    const tx = unwrap(decodeTransaction(hex(EIP155_RAW)));
    expect(tx).toEqual({
      kind: "ethereum",
      nonce: 9n,
      gasPrice: 20n * 10n ** 9n,
      gasLimit: 21000n,
      to,
      value: 10n ** 18n,
      data: new Uint8Array(0),
      v: 37n,
      r: 18515461264373351373200002665853028612451056578545711640558177340181847433846n,
      s: 46948507304638947509940763649030358759909902576025900602547168820602576006531n,
    });
    expect(bytesToHex(encodeTransaction(tx))).toBe(EIP155_RAW);
    expect(bytesToHex(transactionHash(tx))).toBe(EIP155_HASH);
  });

  it("the Harmony SDK's signed transaction decodes as the Harmony form and re-encodes to the same bytes", () => {
    const tx = unwrap(decodeTransaction(hex(SDK_BLANK_RAW)));
    expect(tx).toEqual({
      kind: "harmony",
      nonce: 0n,
      gasPrice: 0n,
      gasLimit: 0n,
      shardId: 0,
      toShardId: 0,
      to: hex("0x0123456789012345678901234567890123456789"),
      value: 0n,
      data: new Uint8Array(0),
      v: 37n,
      r: 0x833e77859c2fdb255817d74e14106bb51092f01a8dda4b888860d53636f90329n,
      s: 0x226387fff42ffc1dbf409fd5670ba9c7c1bdcd6a86d96ed649b197bf96dc0eb6n,
    });
    expect(bytesToHex(encodeTransaction(tx))).toBe(SDK_BLANK_RAW);
  });
});

// @covers TX-ENCODE.1 TX-HASH.1
describe("encoding", () => {
  it("is the RLP list of the fields in table order, as an independent RLP encoder writes it", () => {
    // @ethereumjs/rlp writes integers as minimal big-endian bytes, 0 as the empty string.
    const s = harmonySample;
    const harmony = RLP.encode([
      s.nonce,
      s.gasPrice,
      s.gasLimit,
      s.shardId,
      s.toShardId,
      s.to!,
      s.value,
      s.data,
      s.v,
      s.r,
      s.s,
    ]);
    expect(encodeTransaction(s)).toEqual(harmony);
    const e = ethereumSample;
    const ethereum = RLP.encode([e.nonce, e.gasPrice, e.gasLimit, e.to!, e.value, e.data, e.v, e.r, e.s]);
    expect(encodeTransaction(e)).toEqual(ethereum);
  });

  it("writes an absent recipient as the empty string", () => {
    const encoded = encodeTransaction({ ...ethereumSample, to: null });
    expect(encodedFields({ ...ethereumSample, to: null })[3]).toEqual(hex("0x80"));
    expect(unwrap(decodeTransaction(encoded)).to).toBeNull();
  });

  it("the hash is keccak256 of the encoding, so it changes with every field", () => {
    const base = bytesToHex(transactionHash(harmonySample));
    expect(bytesToHex(transactionHash({ ...harmonySample, toShardId: 1 }))).not.toBe(base);
    expect(bytesToHex(transactionHash({ ...harmonySample, s: harmonySample.s + 1n }))).not.toBe(base);
  });

  // @covers TX-FIELDS.1
  it("refuses a transaction whose fields are out of bounds", () => {
    expect(thrownCode(() => encodeTransaction({ ...harmonySample, to: new Uint8Array(19) }))).toBe(
      "TX_TO_LENGTH",
    );
    expect(thrownCode(() => encodeTransaction({ ...harmonySample, nonce: -1n }))).toBe("TX_SCALAR_RANGE");
    expect(thrownCode(() => encodeTransaction({ ...harmonySample, shardId: 1.5 }))).toBe("TX_SCALAR_RANGE");
    expect(thrownCode(() => encodeTransaction({ ...harmonySample, toShardId: 2 ** 32 }))).toBe(
      "TX_SCALAR_RANGE",
    );
    expect(thrownCode(() => encodeTransaction({ ...ethereumSample, s: -5n }))).toBe("TX_SCALAR_RANGE");
  });
});

// @covers TX-DECODE.1 TX-FIELDS.1
describe("decoding rejects every non-transaction", () => {
  it("passes RLP-DECODE.1's codes through", () => {
    const raw = encodeTransaction(harmonySample);
    expect(decodeCode(new Uint8Array(0))).toBe("RLP_EMPTY_INPUT");
    expect(decodeCode(raw.slice(0, raw.length - 1))).toBe("RLP_INPUT_TOO_SHORT");
    expect(decodeCode(Uint8Array.from([...raw, 0]))).toBe("RLP_TRAILING_BYTES");
    // nonce 7 written with a string header: 0x8107 instead of 0x07
    expect(decodeCode(withField(harmonySample, 0, hex("0x8107")))).toBe("RLP_NON_CANONICAL_SINGLE_BYTE");
    // 5 bytes of data in the long form: 0xb805… instead of 0x85…
    expect(decodeCode(withField(harmonySample, 7, hex("0xb805deadbeef00")))).toBe(
      "RLP_NON_CANONICAL_SHORT_LENGTH",
    );
    // the list header in long form with a leading zero length byte
    const payload = raw.slice(2); // raw = 0xf8 <len> payload (a payload of 56 … 255 bytes)
    expect(raw[0]).toBe(0xf8);
    expect(decodeCode(Uint8Array.from([0xf9, 0, raw[1]!, ...payload]))).toBe("RLP_LEADING_ZERO_LENGTH");
    // a list header one byte short of the elements: the last element runs past the list payload
    expect(decodeCode(Uint8Array.from([0xf8, raw[1]! - 1, ...payload]))).toBe("RLP_LIST_PAYLOAD_MISMATCH");
  });

  it("a byte string is not a transaction (RLP_EXPECTED_LIST)", () => {
    expect(decodeCode(rlpEncode(hex("0x010203")))).toBe("RLP_EXPECTED_LIST");
  });

  it("a list of neither 11 nor 9 elements is TX_FIELD_COUNT, whatever the elements hold", () => {
    const fields = encodedFields(harmonySample);
    for (const count of [0, 1, 8, 10, 12]) {
      const elements: Uint8Array[] = [];
      for (let i = 0; i < count; i++) elements.push(fields[i % fields.length]!);
      expect(decodeCode(listOf(elements)), `${count} fields`).toBe("TX_FIELD_COUNT");
    }
    // ten elements, one of them a list: still the field count first (TX-DECODE L5 before L6)
    expect(decodeCode(listOf([...fields.slice(0, 9), hex("0xc0")]))).toBe("TX_FIELD_COUNT");
  });

  it("a field that is a list is RLP_EXPECTED_BYTES", () => {
    expect(decodeCode(withField(harmonySample, 7, hex("0xc0")))).toBe("RLP_EXPECTED_BYTES");
    expect(decodeCode(withField(ethereumSample, 3, hex("0xc180")))).toBe("RLP_EXPECTED_BYTES");
  });

  it("a scalar with a leading zero byte is RLP_SCALAR_LEADING_ZERO, `to` and `data` are not scalars", () => {
    expect(decodeCode(withField(harmonySample, 0, hex("0x00")))).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(decodeCode(withField(harmonySample, 3, hex("0x820001")))).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(decodeCode(withField(ethereumSample, 8, hex("0x820002")))).toBe("RLP_SCALAR_LEADING_ZERO");
    const zeroTo = rlpEncode(hex("0x0000000000000000000000000000000000000001"));
    expect(decodeCode(withField(harmonySample, 5, zeroTo))).toBe(ACCEPTED);
    expect(decodeCode(withField(harmonySample, 7, hex("0x00")))).toBe(ACCEPTED);
  });

  it("a `to` of neither 0 nor 20 bytes is TX_TO_LENGTH", () => {
    for (const length of [1, 19, 21, 32]) {
      const encoded = rlpEncode(new Uint8Array(length).fill(0x11));
      expect(decodeCode(withField(harmonySample, 5, encoded)), `${length} bytes`).toBe("TX_TO_LENGTH");
      expect(decodeCode(withField(ethereumSample, 3, encoded)), `${length} bytes`).toBe("TX_TO_LENGTH");
    }
  });

  it("scalars at their bound are TX_SCALAR_RANGE, one below is accepted", () => {
    const scalar = (n: bigint): Uint8Array => RLP.encode(n);
    const cases: [Transaction, number, bigint][] = [
      [harmonySample, 0, 1n << 64n], // nonce
      [harmonySample, 1, 1n << 256n], // gasPrice
      [harmonySample, 2, 1n << 64n], // gasLimit
      [harmonySample, 3, 1n << 32n], // shardID
      [harmonySample, 4, 1n << 32n], // toShardID
      [harmonySample, 6, 1n << 256n], // value
      [ethereumSample, 0, 1n << 64n],
      [ethereumSample, 1, 1n << 256n],
      [ethereumSample, 2, 1n << 64n],
      [ethereumSample, 4, 1n << 256n],
    ];
    for (const [tx, index, bound] of cases) {
      expect(decodeCode(withField(tx, index, scalar(bound))), `${tx.kind} field ${index}`).toBe(
        "TX_SCALAR_RANGE",
      );
      expect(decodeCode(withField(tx, index, scalar(bound - 1n))), `${tx.kind} field ${index}`).toBe(
        ACCEPTED,
      );
    }
    // v, r and s are bounded by the signature rules, not here
    expect(decodeCode(withField(harmonySample, 9, scalar(1n << 300n)))).toBe(ACCEPTED);
  });

  it("decodes the shard ids of the Harmony form as numbers up to 2^32 − 1", () => {
    const tx = unwrap(decodeTransaction(withField(harmonySample, 3, RLP.encode(2n ** 32n - 1n))));
    expect(tx.kind === "harmony" && tx.shardId).toBe(4294967295);
  });

  it("checks run in the order of the lines: to length before scalar bounds, bounds in field order", () => {
    const fields = encodedFields(harmonySample);
    fields[0] = RLP.encode(1n << 64n); // nonce out of range
    fields[5] = rlpEncode(new Uint8Array(19)); // to of 19 bytes
    expect(decodeCode(listOf(fields))).toBe("TX_TO_LENGTH");
    fields[5] = rlpEncode(to);
    fields[2] = hex("0x00"); // gasLimit with a leading zero: L7 comes before L8
    expect(decodeCode(listOf(fields))).toBe("RLP_SCALAR_LEADING_ZERO");
    fields[2] = RLP.encode(21000n);
    fields[10] = hex("0xc0"); // s is a list: L6 comes before L7 and L8
    expect(decodeCode(listOf(fields))).toBe("RLP_EXPECTED_BYTES");
  });
});
