import { z } from "zod";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  HexBytes,
  RlpItemJson,
  RlpJsonShape,
  rlpItemToJson,
} from "../../../reference/encoding/json.ts";
import { keccak256 } from "../../../reference/encoding/keccak.ts";
import {
  encodeScalar,
  expectRlpBytes,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  scalarFromBytes,
} from "../../../reference/encoding/rlp.ts";
import type { CaseDef, Json, RunnerDef } from "../types.ts";

const ascii = (text: string): string => bytesToHex(new TextEncoder().encode(text));
const scalarHex = (n: bigint): string => bytesToHex(encodeScalar(n));

/**
 * RLP decoder rejections, one per code, shared by `rlp_decode` and `scalar_decode` (both decode first).
 * Inputs named after an ethereum/tests case are taken from RLPTests/invalidRLPTest.json.
 */
const RLP_DECODE_REJECTIONS: readonly { name: string; description: string; encoded: string; code: string }[] =
  [
    {
      name: "empty_input",
      description: "zero bytes (invalidRLPTest emptyEncoding)",
      encoded: "0x",
      code: "RLP_EMPTY_INPUT",
    },
    {
      name: "single_byte_with_header",
      description: "0x00 written as 0x8100 (invalidRLPTest bytesShouldBeSingleByte00)",
      encoded: "0x8100",
      code: "RLP_NON_CANONICAL_SINGLE_BYTE",
    },
    {
      name: "long_form_for_short_payload",
      description: "long-form header 0xb801 for a 1-byte payload (invalidRLPTest nonOptimalLongLengthArray2)",
      encoded: "0xb801ff",
      code: "RLP_NON_CANONICAL_SHORT_LENGTH",
    },
    {
      name: "long_form_list_for_short_payload",
      description:
        "long-form list header 0xf803 for a 3-byte payload (invalidRLPTest nonOptimalLongLengthList2)",
      encoded: "0xf803112233",
      code: "RLP_NON_CANONICAL_SHORT_LENGTH",
    },
    {
      name: "leading_zero_length",
      description:
        "long-form length 0x0040 with a leading zero byte (invalidRLPTest leadingZerosInLongLengthArray1)",
      encoded: `0xb90040${Array.from({ length: 64 }, (_, i) => i.toString(16).padStart(2, "0")).join("")}`,
      code: "RLP_LEADING_ZERO_LENGTH",
    },
    {
      name: "payload_past_input",
      description: "list header claims 5 bytes, 3 follow (invalidRLPTest lessThanShortLengthList1)",
      encoded: "0xc5010203",
      code: "RLP_INPUT_TOO_SHORT",
    },
    {
      name: "length_bytes_past_input",
      description: "0xb9 announces two length bytes, one follows",
      encoded: "0xb901",
      code: "RLP_INPUT_TOO_SHORT",
    },
    {
      name: "trailing_bytes",
      description: "a complete item 0x00 followed by another byte",
      encoded: "0x0000",
      code: "RLP_TRAILING_BYTES",
    },
    {
      name: "element_past_list_payload",
      description: "list payload of 2 bytes whose element 0x83… claims 3",
      encoded: "0xc283646f67",
      code: "RLP_LIST_PAYLOAD_MISMATCH",
    },
  ];

const JSON_TAGS = ["JSON-DECODE.1", "JSON-BYTES.1"];

/** Invalid cases of one handler sharing `tags`, each row being [name, description, input, expected error]. */
function invalidCases(
  handler: string,
  tags: readonly string[],
  rows: readonly (readonly [string, string, Json, string])[],
): CaseDef[] {
  return rows.map(([name, description, input, expectedError]) => ({
    handler,
    name,
    description,
    tags,
    input,
    expectedError,
  }));
}

function rlpEncodeCases(): CaseDef[] {
  const tags = ["RLP-ENCODE.1", "JSON-RLP.1"];
  const valid: [string, string, Json][] = [
    ["dog", "the string 'dog' (Yellow Paper appendix B; rlptest shortstring)", ascii("dog")],
    ["cat_dog", "the list ['cat', 'dog'] (Yellow Paper appendix B)", [ascii("cat"), ascii("dog")]],
    ["empty_string", "the empty string (rlptest emptystring)", "0x"],
    ["empty_list", "the empty list (rlptest emptylist)", []],
    ["byte_00", "a single byte below 0x80 is its own encoding (rlptest bytestring00)", "0x00"],
    ["byte_80", "a single byte 0x80 needs a header: 0x8180 (rlptest mediumint1)", "0x80"],
    [
      "string_55",
      "55 bytes: the longest short string (rlptest shortstring2)",
      ascii("Lorem ipsum dolor sit amet, consectetur adipisicing eli"),
    ],
    [
      "string_56",
      "56 bytes: the shortest long string (rlptest longstring)",
      ascii("Lorem ipsum dolor sit amet, consectetur adipisicing elit"),
    ],
    ["nested_lists", "[ [], [[]], [ [], [[]] ] ] (rlptest listsoflists2)", [[], [[]], [[], [[]]]]],
    [
      "long_list",
      "a list with a 64-byte payload (rlptest longList1)",
      Array.from({ length: 4 }, () => [ascii("asdf"), ascii("qwer"), ascii("zxcv")]),
    ],
  ];
  const cases: CaseDef[] = valid.map(([name, description, item]) => ({
    handler: "rlp_encode",
    name,
    description,
    tags,
    input: { item },
  }));
  cases.push(
    ...invalidCases(
      "rlp_encode",
      [...JSON_TAGS, "JSON-RLP.1"],
      [
        [
          "hex_without_prefix",
          "an element lacks the 0x prefix",
          { item: [ascii("a"), "646f67"] },
          "JSON_HEX_PREFIX",
        ],
        [
          "hex_odd_length",
          "an element has an odd number of hex digits",
          { item: ["0x646f6"] },
          "JSON_HEX_MALFORMED",
        ],
        [
          "hex_upper_case",
          "upper-case hex digits are not the JSON form",
          { item: "0xABCD" },
          "JSON_HEX_MALFORMED",
        ],
        ["number_in_list", "a JSON number is not an RLP item", { item: ["0x01", [7]] }, "JSON_SCHEMA"],
        ["missing_item", "the input has no item field", {}, "JSON_SCHEMA"],
      ],
    ),
  );
  return cases;
}

function rlpDecodeCases(): CaseDef[] {
  const tags = ["RLP-DECODE.1", "JSON-RLP.1"];
  const valid: [string, string, string][] = [
    ["dog", "0x83646f67 is 'dog' (rlptest shortstring)", "0x83646f67"],
    ["byte_80", "0x8180 is the byte 0x80 (rlptest mediumint1)", "0x8180"],
    ["single_byte", "0x7f is the byte 0x7f (rlptest bytestring7F)", "0x7f"],
    ["nested_lists", "0xc7c0c1c0c3c0c1c0 (RandomRLPTests example listsoflists2)", "0xc7c0c1c0c3c0c1c0"],
    [
      "long_string",
      "a 56-byte string in long form (rlptest longstring)",
      bytesToHex(
        rlpEncode(new TextEncoder().encode("Lorem ipsum dolor sit amet, consectetur adipisicing elit")),
      ),
    ],
    [
      "dict",
      "four key/value pairs (rlptest dictTest1)",
      "0xecca846b6579318476616c31ca846b6579328476616c32ca846b6579338476616c33ca846b6579348476616c34",
    ],
  ];
  const cases: CaseDef[] = valid.map(([name, description, encoded]) => ({
    handler: "rlp_decode",
    name,
    description,
    tags,
    input: { encoded },
  }));
  for (const r of RLP_DECODE_REJECTIONS) {
    cases.push({
      handler: "rlp_decode",
      name: r.name,
      description: r.description,
      tags: ["RLP-DECODE.1"],
      input: { encoded: r.encoded },
      expectedError: r.code,
    });
  }
  cases.push(
    ...invalidCases("rlp_decode", JSON_TAGS, [
      [
        "hex_upper_case",
        "0x817F as in invalidRLPTest bytesShouldBeSingleByte7F is not the JSON form (upper case)",
        { encoded: "0x817F" },
        "JSON_HEX_MALFORMED",
      ],
      [
        "hex_without_prefix",
        "hex without 0x, as several invalidRLPTest entries are written upstream",
        { encoded: "f800" },
        "JSON_HEX_PREFIX",
      ],
      ["not_a_string", "the encoding must be a hex string", { encoded: [1, 2] }, "JSON_SCHEMA"],
    ]),
  );
  return cases;
}

function scalarCases(): CaseDef[] {
  const tags = ["RLP-SCALAR.1"];
  const cases: CaseDef[] = [];
  const values: [string, string, bigint][] = [
    ["zero", "0 is the empty string, 0x80 (rlptest zero)", 0n],
    ["one_byte_max", "127 is the single byte 0x7f (rlptest smallint4)", 127n],
    ["needs_header", "128 is 0x8180 (rlptest mediumint1)", 128n],
    ["thousand", "1000 is 0x8203e8 (rlptest mediumint2)", 1000n],
    ["two_to_256", "2^256, 33 bytes (rlptest bigint)", 2n ** 256n],
  ];
  for (const [name, description, n] of values) {
    cases.push({ handler: "scalar_encode", name, description, tags, input: { value: bigintToDecimal(n) } });
    cases.push({
      handler: "scalar_decode",
      name,
      description,
      tags: [...tags, "RLP-DECODE.1"],
      input: { encoded: scalarHex(n) },
    });
  }
  cases.push(
    ...invalidCases(
      "scalar_encode",
      ["JSON-BIGINT.1", "JSON-DECODE.1"],
      [
        [
          "leading_zero_decimal",
          "a decimal with a leading zero is not the JSON form",
          { value: "0128" },
          "JSON_DECIMAL_MALFORMED",
        ],
        [
          "negative_decimal",
          "negative integers have no JSON form (and no RLP scalar form)",
          { value: "-1" },
          "JSON_DECIMAL_MALFORMED",
        ],
        [
          "json_number",
          "a big integer travels as a string, not a JSON number",
          { value: 128 },
          "JSON_SCHEMA",
        ],
      ],
    ),
    ...invalidCases("scalar_decode", tags, [
      [
        "zero_byte",
        "the byte 0x00 is a scalar with a leading zero (zero is 0x80)",
        { encoded: "0x00" },
        "RLP_SCALAR_LEADING_ZERO",
      ],
      [
        "leading_zero",
        "0x820001: the scalar 1 padded with a zero byte",
        { encoded: "0x820001" },
        "RLP_SCALAR_LEADING_ZERO",
      ],
    ]),
    ...invalidCases(
      "scalar_decode",
      ["RLP-ITEM.1", "RLP-SCALAR.1"],
      [["list_not_scalar", "the empty list 0xc0 is not a scalar", { encoded: "0xc0" }, "RLP_EXPECTED_BYTES"]],
    ),
    ...invalidCases("scalar_decode", JSON_TAGS, [
      ["hex_odd_length", "odd number of hex digits", { encoded: "0x820" }, "JSON_HEX_MALFORMED"],
      ["hex_without_prefix", "hex without 0x", { encoded: "80" }, "JSON_HEX_PREFIX"],
      ["missing_field", "the input has no encoded field", { value: "0x80" }, "JSON_SCHEMA"],
    ]),
  );
  for (const r of RLP_DECODE_REJECTIONS) {
    cases.push({
      handler: "scalar_decode",
      name: `rlp_${r.name}`,
      description: `the encoding is not canonical RLP: ${r.description}`,
      tags: ["RLP-DECODE.1", "RLP-SCALAR.1"],
      input: { encoded: r.encoded },
      expectedError: r.code,
    });
  }
  return cases;
}

function keccakCases(): CaseDef[] {
  const tags = ["KECCAK-256.1"];
  const valid: [string, string, string][] = [
    ["empty", "the empty input; differs from SHA3-256 (ShortMsgKAT_256 Len = 0)", "0x"],
    ["one_byte", "the byte 0xcc (ShortMsgKAT_256 Len = 8)", "0xcc"],
    [
      "one_full_block",
      "136 bytes, exactly the rate: padding fills a second block (ShortMsgKAT_256 Len = 1088)",
      "0xb32d95b0b9aad2a8816de6d06d1f86008505bd8c14124f6e9a163b5a2ade55f835d0ec3880ef50700d3b25e42cc0af050ccd1be5e555b23087e04d7bf9813622780c7313a1954f8740b6ee2d3f71f768dd417f520482bd3a08d4f222b4ee9dbd015447b33507dd50f3ab4247c5de9a8abd62a8decea01e3b87c8b927f5b08beb37674c6f8e380c04",
    ],
    [
      "block_plus_one",
      "137 bytes (ShortMsgKAT_256 Len = 1096)",
      "0x04410e31082a47584b406f051398a6abe74e4da59bb6f85e6b49e8a1f7f2ca00dfba5462c2cd2bfde8b64fb21d70c083f11318b56a52d03b81cac5eec29eb31bd0078b6156786da3d6d8c33098c5c47bb67ac64db14165af65b44544d806dde5f487d5373c7f9792c299e9686b7e5821e7c8e2458315b996b5677d926dac57b3f22da873c601016a0d",
    ],
    ["rlp_empty_string", "keccak256(0x80), the empty-trie root", "0x80"],
  ];
  const cases: CaseDef[] = valid.map(([name, description, data]) => ({
    handler: "keccak256",
    name,
    description,
    tags,
    input: { data },
  }));
  cases.push(
    ...invalidCases("keccak256", JSON_TAGS, [
      ["hex_odd_length", "odd number of hex digits", { data: "0xabc" }, "JSON_HEX_MALFORMED"],
      ["hex_without_prefix", "hex without 0x", { data: "cc" }, "JSON_HEX_PREFIX"],
      ["unknown_field", "an unknown field next to data", { data: "0xcc", extra: true }, "JSON_SCHEMA"],
    ]),
  );
  return cases;
}

const encodedInput = z.object({ encoded: HexBytes }).strict();

export const runner: RunnerDef = {
  name: "encoding",
  description: "RLP encoding and canonical decoding, RLP scalars, Keccak-256 (spec chapter 1, §1.2–§1.3)",
  handlers: {
    rlp_encode: {
      description: "RLP-ENCODE.1: encodes an item given in the JSON-RLP.1 form; returns the encoding as hex",
      input: z.object({ item: RlpItemJson }).strict(),
      output: z.string(),
      run(input: { item: RlpItem }): Json {
        return bytesToHex(rlpEncode(input.item));
      },
    },
    rlp_decode: {
      description: "RLP-DECODE.1: decodes one canonical RLP item; returns it in the JSON-RLP.1 form",
      input: encodedInput,
      output: RlpJsonShape,
      run(input: { encoded: Uint8Array }): Json {
        return rlpItemToJson(rlpDecodeOrThrow(input.encoded)) as Json;
      },
    },
    scalar_encode: {
      description: "RLP-SCALAR.1: the RLP of a non-negative integer given as a decimal string",
      input: z.object({ value: DecimalBigInt }).strict(),
      output: z.string(),
      run(input: { value: bigint }): Json {
        return bytesToHex(encodeScalar(input.value));
      },
    },
    scalar_decode: {
      description:
        "RLP-SCALAR.1: decodes one RLP byte string and reads it as a scalar; returns a decimal string",
      input: encodedInput,
      output: z.string(),
      run(input: { encoded: Uint8Array }): Json {
        const bytes = expectRlpBytes(rlpDecodeOrThrow(input.encoded), "scalar");
        return bigintToDecimal(scalarFromBytes(bytes));
      },
    },
    keccak256: {
      description: "KECCAK-256.1: the 32-byte Keccak-256 digest of the data",
      input: z.object({ data: HexBytes }).strict(),
      output: z.string(),
      run(input: { data: Uint8Array }): Json {
        return bytesToHex(keccak256(input.data));
      },
    },
  },
  cases: () => [...rlpEncodeCases(), ...rlpDecodeCases(), ...scalarCases(), ...keccakCases()],
};
