import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ACCEPTED, thrownCode } from "../../tools/testing/specErrors.ts";
import { parseWith } from "../encoding/json.ts";
import type { Transaction, UnsignedTransaction } from "./transactionFields.ts";
import {
  TransactionJson,
  TransactionJsonOutput,
  transactionToJson,
  UnsignedTransactionJson,
  unsignedTransactionToJson,
} from "./transactionJson.ts";

/*
 * The JSON form of transactions: exact documents for both forms, round trips, and the codes of malformed input
 * (JSON forms first, then the field bounds of TX-FIELDS.1).
 */

const harmony: Transaction = {
  kind: "harmony",
  nonce: 18446744073709551615n,
  gasPrice: 100000000000n,
  gasLimit: 21000n,
  shardId: 1,
  toShardId: 0,
  to: new Uint8Array(20).fill(0xab),
  value: 10n ** 30n,
  data: Uint8Array.from([0, 1, 0xff]),
  v: 38n,
  r: 1n,
  s: 2n,
};

const harmonyJson = {
  kind: "harmony",
  nonce: "18446744073709551615",
  gasPrice: "100000000000",
  gasLimit: "21000",
  shardId: 1,
  toShardId: 0,
  to: `0x${"ab".repeat(20)}`,
  value: "1000000000000000000000000000000",
  data: "0x0001ff",
  v: "38",
  r: "1",
  s: "2",
};

const ethereum: Transaction = {
  kind: "ethereum",
  nonce: 0n,
  gasPrice: 0n,
  gasLimit: 0n,
  to: null,
  value: 0n,
  data: new Uint8Array(0),
  v: 3333200035n,
  r: 3n,
  s: 4n,
};

const ethereumJson = {
  kind: "ethereum",
  nonce: "0",
  gasPrice: "0",
  gasLimit: "0",
  to: null,
  value: "0",
  data: "0x",
  v: "3333200035",
  r: "3",
  s: "4",
};

const read = (json: unknown): Transaction => parseWith(TransactionJson, json);
const readUnsigned = (json: unknown): UnsignedTransaction => parseWith(UnsignedTransactionJson, json);

// @covers TX-JSON.1
describe("JSON form of transactions", () => {
  it("writes the documented form for both kinds, which the output schema accepts", () => {
    expect(transactionToJson(harmony)).toEqual(harmonyJson);
    expect(transactionToJson(ethereum)).toEqual(ethereumJson);
    expect(TransactionJsonOutput.safeParse(harmonyJson).success).toBe(true);
    expect(TransactionJsonOutput.safeParse(ethereumJson).success).toBe(true);
  });

  it("reads what it writes", () => {
    expect(read(harmonyJson)).toEqual(harmony);
    expect(read(ethereumJson)).toEqual(ethereum);
    expect(read(JSON.parse(JSON.stringify(transactionToJson(harmony))))).toEqual(harmony);
  });

  it("unsigned forms: the Ethereum form carries the shard it is signed for", () => {
    const unsigned: UnsignedTransaction = {
      kind: "ethereum",
      nonce: 1n,
      gasPrice: 2n,
      gasLimit: 3n,
      shardId: 1,
      to: null,
      value: 4n,
      data: new Uint8Array(0),
    };
    const json = unsignedTransactionToJson(unsigned);
    expect(json).toEqual({
      kind: "ethereum",
      nonce: "1",
      gasPrice: "2",
      gasLimit: "3",
      shardId: 1,
      to: null,
      value: "4",
      data: "0x",
    });
    expect(readUnsigned(json)).toEqual(unsigned);
    const { v: _v, r: _r, s: _s, ...unsignedHarmony } = harmonyJson;
    const { v: _hv, r: _hr, s: _hs, ...harmonyFields } = harmony;
    const back = readUnsigned(unsignedHarmony);
    expect(back).toStrictEqual(harmonyFields);
    expect("v" in back).toBe(false);
  });

  it("rejects malformed documents with the JSON codes", () => {
    expect(thrownCode(() => read({ ...harmonyJson, kind: "legacy" }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...harmonyJson, extra: 1 }))).toBe("JSON_SCHEMA");
    const { toShardId: _, ...missing } = harmonyJson;
    expect(thrownCode(() => read(missing))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...ethereumJson, shardId: 0 }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...harmonyJson, shardId: -1 }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...harmonyJson, shardId: "1" }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...harmonyJson, nonce: 1 }))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => read({ ...harmonyJson, nonce: "01" }))).toBe("JSON_DECIMAL_MALFORMED");
    expect(thrownCode(() => read({ ...harmonyJson, to: `0x${"ab".repeat(19)}` }))).toBe("JSON_BYTES_LENGTH");
    expect(thrownCode(() => read({ ...harmonyJson, data: "0xABCD" }))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => read({ ...harmonyJson, data: "abcd" }))).toBe("JSON_HEX_PREFIX");
  });

  it("then applies the field bounds (TX_SCALAR_RANGE)", () => {
    expect(thrownCode(() => read({ ...harmonyJson, nonce: "18446744073709551616" }))).toBe("TX_SCALAR_RANGE");
    expect(thrownCode(() => read({ ...harmonyJson, toShardId: 4294967296 }))).toBe("TX_SCALAR_RANGE");
    expect(thrownCode(() => read({ ...ethereumJson, value: (1n << 256n).toString() }))).toBe(
      "TX_SCALAR_RANGE",
    );
    const { v: _v, r: _r, s: _s, ...unsignedEthereum } = ethereumJson;
    expect(thrownCode(() => readUnsigned({ ...unsignedEthereum, shardId: 4294967296 }))).toBe(
      "TX_SCALAR_RANGE",
    );
    expect(thrownCode(() => readUnsigned({ ...unsignedEthereum, shardId: 4294967295 }))).toBe(ACCEPTED);
  });

  it("converts to JSON Schema, as the vector generator needs", () => {
    for (const schema of [TransactionJson, UnsignedTransactionJson]) {
      expect(() => z.toJSONSchema(schema, { io: "input", unrepresentable: "any" })).not.toThrow();
    }
    expect(() => z.toJSONSchema(TransactionJsonOutput, { io: "output" })).not.toThrow();
  });
});
