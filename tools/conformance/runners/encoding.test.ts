import { describe, expect, it } from "vitest";
import { MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
} from "../../testing/runnerChecks.ts";
import { runner } from "./encoding.ts";

const RLP_DECODE_CODES = [
  "RLP_EMPTY_INPUT",
  "RLP_NON_CANONICAL_SINGLE_BYTE",
  "RLP_NON_CANONICAL_SHORT_LENGTH",
  "RLP_LEADING_ZERO_LENGTH",
  "RLP_INPUT_TOO_SHORT",
  "RLP_TRAILING_BYTES",
  "RLP_LIST_PAYLOAD_MISMATCH",
];

/** Every code each handler can raise (spec §1.1–§1.3); each must have at least one invalid case. */
const RAISES: Record<string, string[]> = {
  rlp_encode: ["JSON_HEX_PREFIX", "JSON_HEX_MALFORMED", "JSON_SCHEMA"],
  rlp_decode: [...RLP_DECODE_CODES, "JSON_HEX_PREFIX", "JSON_HEX_MALFORMED", "JSON_SCHEMA"],
  scalar_encode: ["JSON_DECIMAL_MALFORMED", "JSON_SCHEMA"],
  scalar_decode: [
    ...RLP_DECODE_CODES,
    "RLP_EXPECTED_BYTES",
    "RLP_SCALAR_LEADING_ZERO",
    "JSON_HEX_PREFIX",
    "JSON_HEX_MALFORMED",
    "JSON_SCHEMA",
  ],
  keccak256: ["JSON_HEX_PREFIX", "JSON_HEX_MALFORMED", "JSON_SCHEMA"],
};

describe("conformance runner: encoding", () => {
  const cases = runner.cases(MINIMAL);

  // @covers RLP-ENCODE.1 RLP-DECODE.1 RLP-SCALAR.1 KECCAK-256.1 JSON-RLP.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, MINIMAL),
  );

  it("has a valid case and one invalid case per code for every handler", () => {
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
  });

  it("results agree with the published values cited in the case descriptions", () => {
    const post = caseResults(runner, cases, MINIMAL);
    // ethereum/tests RLPTests/rlptest.json and the Keccak KAT (test-data/keccak/ShortMsgKAT_256.txt).
    expect(post("rlp_encode", "dog")).toBe("0x83646f67");
    expect(post("rlp_encode", "nested_lists")).toBe("0xc7c0c1c0c3c0c1c0");
    expect(post("rlp_encode", "byte_80")).toBe("0x8180");
    expect(post("scalar_encode", "two_to_256")).toBe(
      "0xa1010000000000000000000000000000000000000000000000000000000000000000",
    );
    expect(post("scalar_encode", "thousand")).toBe("0x8203e8");
    expect(post("keccak256", "one_byte")).toBe(
      "0xeead6dbfc7340a56caedc044696a168870549a6a7f6f56961e84a54bd9970b8a",
    );
    expect(post("keccak256", "one_full_block")).toBe(
      "0xe717a7769448abbe5fef8187954a88ac56ded1d22e63940ab80d029585a21921",
    );
    expect(post("keccak256", "block_plus_one")).toBe(
      "0xa95d50b50b4545f0947441df74a1e9d74622eb3baa49c1bbfc3a0cce6619c1aa",
    );
    expect(post("keccak256", "rlp_empty_string")).toBe(
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    );
  });

  it("handler schemas convert to JSON Schema", () => {
    expectSchemasConvert(runner);
  });
});
