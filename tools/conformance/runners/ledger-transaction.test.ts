import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCode,
  expectSchemasConvert,
  expectWellFormedCases,
} from "../../testing/runnerChecks.ts";
import type { RunnerDef } from "../types.ts";
import { transactionCases, transactionHandlers } from "./ledger-transaction.ts";

/*
 * The transaction handlers of the `ledger` runner, checked on their own (the ledger runner merges them): every
 * case behaves as declared, every code the handlers can raise has a case, and the published examples come out
 * as published.
 */

const runner: RunnerDef = {
  name: "ledger",
  description: "chapter 4 transaction handlers",
  handlers: transactionHandlers,
  cases: transactionCases,
};

/** The codes each handler can raise (spelled out here, so that a case dropped from the runner fails). */
const HANDLER_CODES: Readonly<Record<string, readonly string[]>> = {
  transaction: [
    "RLP_EMPTY_INPUT",
    "RLP_INPUT_TOO_SHORT",
    "RLP_TRAILING_BYTES",
    "RLP_NON_CANONICAL_SINGLE_BYTE",
    "RLP_NON_CANONICAL_SHORT_LENGTH",
    "RLP_LEADING_ZERO_LENGTH",
    "RLP_LIST_PAYLOAD_MISMATCH",
    "RLP_EXPECTED_LIST",
    "TX_FIELD_COUNT",
    "RLP_EXPECTED_BYTES",
    "RLP_SCALAR_LEADING_ZERO",
    "TX_TO_LENGTH",
    "TX_SCALAR_RANGE",
    "TX_TO_MISSING",
    "TX_SHARD_OUT_OF_RANGE",
    "TX_CHAIN_ID_UNKNOWN",
    "ECDSA_V_INVALID",
    "ECDSA_CHAIN_ID_MISMATCH",
    "ECDSA_R_OUT_OF_RANGE",
    "ECDSA_S_OUT_OF_RANGE",
    "ECDSA_S_HIGH",
    "ECDSA_RECOVERY_FAILED",
    "TX_WRONG_SHARD",
    "TX_INTRINSIC_GAS",
    "TX_GAS_LIMIT_ABOVE_BLOCK",
    "TX_TOO_LARGE",
    "JSON_SCHEMA",
  ],
  transaction_sign: ["ECDSA_SECRET_KEY_INVALID", "TX_SCALAR_RANGE", "JSON_BYTES_LENGTH", "JSON_SCHEMA"],
};

for (const preset of [MINIMAL, MAINNET]) {
  describe(`transaction handlers, preset ${preset.name}`, () => {
    const cases = transactionCases(preset);

    // @covers TX-ADMIT.1 TX-DECODE.1 TX-SIGN.1
    it("case names are unique, every handler has a valid case and a case per code it can raise", () => {
      expectWellFormedCases(runner, cases);
      expect(Object.keys(transactionHandlers).sort()).toEqual(Object.keys(HANDLER_CODES).sort());
      expectCasePerCode(cases, HANDLER_CODES);
    });

    // @covers TX-ADMIT.1 TX-SHARDS.1 TX-SENDER.1 TX-SIGN.1 TX-JSON.1
    it("every case gives its expected outcome", () => {
      for (const c of cases) expectCaseAsDeclared(runner, c, preset);
    });

    it("the cases are deterministic", () => {
      expect(JSON.stringify(transactionCases(preset))).toBe(JSON.stringify(cases));
    });

    // @covers TX-SHARDS.1 TX-INTRINSIC-GAS.1
    it("the valid cases report their kind, shards and intrinsic gas", () => {
      const result = caseResults(runner, cases, preset);
      expect(result("transaction", "harmony_same_shard")).toMatchObject({
        kind: "harmony",
        fromShard: 0,
        toShard: 0,
        crossShard: false,
        intrinsicGas: "21000",
      });
      expect(result("transaction", "harmony_cross_shard")).toMatchObject({
        fromShard: 0,
        toShard: 1,
        crossShard: true,
      });
      expect(result("transaction", "ethereum_shard_1")).toMatchObject({
        kind: "ethereum",
        fromShard: 1,
        toShard: 1,
        crossShard: false,
      });
      expect(result("transaction", "data_exact_intrinsic_gas")).toMatchObject({ intrinsicGas: "21056" });
    });

    // @covers TX-SIGN.1 TX-DECODE.1
    it("what transaction_sign produces, transaction admits with the same hash", () => {
      const result = caseResults(runner, cases, preset);
      for (const name of ["harmony", "harmony_cross_shard_with_data", "ethereum_shard_1"]) {
        const signed = result("transaction_sign", name) as { raw: string; hash: string };
        const c = cases.find((x) => x.handler === "transaction_sign" && x.name === name)!;
        const shardId = (c.input as { transaction: { shardId: number } }).transaction.shardId;
        const admitted = runner.handlers.transaction!.run(
          runner.handlers.transaction!.input.parse({ raw: signed.raw, shardId, blockGasLimit: "30000" }),
          preset,
          undefined,
        ) as { hash: string };
        expect(admitted.hash, name).toBe(signed.hash);
      }
    });

    it("schemas convert to JSON Schema", () => {
      expectSchemasConvert(runner);
    });
  });
}

// @covers TX-HASH.1 TX-SIGNING-HASH.1
describe("published example through the handler", () => {
  it("EIP-155's example decodes with its published hash and signing hash, and is rejected only for its chain id", () => {
    const cases = transactionCases(MAINNET);
    const c = cases.find((x) => x.name === "ethereum_unknown_chain_id")!;
    expect((c.input as { raw: string }).raw).toBe(
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
    );
    expect(c.expectedError).toBe("TX_CHAIN_ID_UNKNOWN");
  });
});
