import { describe, expect, it } from "vitest";
import { blstBls } from "../../../reference/crypto/bls/blst.ts";
import { nobleBls } from "../../../reference/crypto/bls/noble.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import type { MalformedPointCode } from "../../testing/blsSamples.ts";
import { expectCasePerCode, expectWellFormedCases } from "../../testing/runnerChecks.ts";
import { resultCode } from "../../testing/specErrors.ts";
import { executeHandler } from "../execute.ts";
import type { RunnerDef } from "../types.ts";
import { cryptoCases, cryptoHandlers, runner } from "./crypto.ts";
import { vdfHandlers } from "./crypto-vdf.ts";

/**
 * The error codes each handler can raise; every one must have an invalid case. The point codes are spelled
 * out rather than taken from MALFORMED_POINT_CODES (blsSamples.ts, which generates the cases), so that a code
 * dropped there fails this check.
 */
const POINT: readonly MalformedPointCode[] = [
  "BLS_POINT_LENGTH",
  "BLS_POINT_NOT_COMPRESSED",
  "BLS_POINT_INFINITY_MALFORMED",
  "BLS_POINT_X_NOT_CANONICAL",
  "BLS_POINT_NOT_ON_CURVE",
  "BLS_POINT_NOT_IN_SUBGROUP",
];
const KEY = [...POINT, "BLS_PUBKEY_IDENTITY"];
const HANDLER_CODES: Readonly<Record<string, readonly string[]>> = {
  bls_keygen: ["BLS_KEYGEN_IKM_SHORT"],
  bls_secret_to_public: ["BLS_SECRET_KEY_INVALID"],
  bls_sign: ["BLS_SECRET_KEY_INVALID"],
  bls_verify: KEY,
  bls_aggregate: ["BLS_AGGREGATE_EMPTY", ...POINT],
  bls_fast_aggregate_verify: KEY,
  bls_aggregate_verify: ["BLS_LENGTH_MISMATCH", ...KEY],
  bls_batch_verify: ["BLS_BATCH_RANDOMNESS_LENGTH", ...KEY],
  bls_pop_prove: ["BLS_SECRET_KEY_INVALID"],
  bls_pop_verify: KEY,
  bls_key_validate: KEY,
  bitmap_decode: ["BITMAP_COMMITTEE_SIZE", "BITMAP_LENGTH", "BITMAP_STRAY_BITS", "JSON_SCHEMA"],
  bitmap_encode: [
    "BITMAP_COMMITTEE_SIZE",
    "BITMAP_INDEX_OUT_OF_RANGE",
    "BITMAP_INDEX_DUPLICATE",
    "JSON_SCHEMA",
  ],
  // BITMAP_COMMITTEE_SIZE is left out: it needs a committee of more than 65536 keys (a vector of over 6 MB);
  // bitmap.test.ts checks it by calling the rule directly.
  bitmap_aggregate_key: [
    "BITMAP_LENGTH",
    "BITMAP_STRAY_BITS",
    "BLS_AGGREGATE_EMPTY",
    "BLS_AGGREGATE_IDENTITY",
    ...KEY,
  ],
  vrf_evaluate: ["BLS_SECRET_KEY_INVALID"],
  vrf_verify: ["VRF_PROOF_INVALID", ...KEY],
  ecdsa_sign: ["ECDSA_HASH_LENGTH", "ECDSA_CHAIN_ID_INVALID", "ECDSA_SECRET_KEY_INVALID"],
  ecdsa_recover: [
    "ECDSA_HASH_LENGTH",
    "ECDSA_CHAIN_ID_INVALID",
    "ECDSA_V_INVALID",
    "ECDSA_CHAIN_ID_MISMATCH",
    "ECDSA_R_OUT_OF_RANGE",
    "ECDSA_S_OUT_OF_RANGE",
    "ECDSA_S_HIGH",
    "ECDSA_RECOVERY_FAILED",
  ],
  address_to_bech32: ["ADDR_LENGTH"],
  address_from_bech32: [
    "ADDR_BECH32_MALFORMED",
    "ADDR_BECH32_MIXED_CASE",
    "ADDR_BECH32_CHECKSUM",
    "ADDR_BECH32_HRP",
    "ADDR_BECH32_LENGTH",
  ],
  address_from_hex: ["ADDR_HEX_PREFIX", "ADDR_HEX_LENGTH", "ADDR_HEX_CHARACTER", "ADDR_HEX_CHECKSUM"],
};

const blstRunner: RunnerDef = { ...runner, handlers: { ...cryptoHandlers(blstBls), ...vdfHandlers } };

for (const preset of [MINIMAL, MAINNET]) {
  describe(`crypto runner, preset ${preset.name}`, () => {
    // The chapter 2 cases; the VDF cases merged into the runner are tested with the VDF handlers.
    const cases = cryptoCases(preset);

    it("case names are unique per handler and every handler has a valid case and a case per error code", () => {
      expectWellFormedCases(runner, cases);
      expect(Object.keys(cryptoHandlers(nobleBls)).sort()).toEqual(Object.keys(HANDLER_CODES).sort());
      for (const name of Object.keys(vdfHandlers))
        expect(runner.handlers[name], name).toBe(vdfHandlers[name]);
      expectCasePerCode(cases, HANDLER_CODES);
    });

    it("every case gives its expected outcome on the reference (and, for minimal, the same outcome on blst)", () => {
      for (const c of cases) {
        const key = `${c.handler}/${c.name}`;
        const reference = executeHandler(runner, c.handler, c.input, preset);
        if (c.expectedError) {
          expect(resultCode(reference), key).toBe(c.expectedError);
        } else {
          expect(reference.ok, `${key}: ${reference.ok ? "" : reference.error.message}`).toBe(true);
          if (reference.ok)
            expect(runner.handlers[c.handler]!.output.safeParse(reference.value).success, key).toBe(true);
        }
        if (preset.name !== "minimal") continue; // the native replay is preset-independent; once is enough
        const native = executeHandler(blstRunner, c.handler, c.input, preset);
        const outcome = (r: typeof reference) => (r.ok ? { value: r.value } : { code: r.error.code });
        expect(outcome(native), key).toEqual(outcome(reference));
      }
    });
  });
}

// @covers ECDSA-SIGN.1 ECDSA-RECOVER.1
describe("published values through the runner", () => {
  it("the EIP-155 example gives v = 37 and the published r, s", () => {
    const result = executeHandler(
      runner,
      "ecdsa_sign",
      {
        hash: "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
        secretKey: `0x${"46".repeat(32)}`,
        chainId: "1",
      },
      MAINNET,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        v: "37",
        r: "18515461264373351373200002665853028612451056578545711640558177340181847433846",
        s: "46948507304638947509940763649030358759909902576025900602547168820602576006531",
      },
    });
  });

  // @covers ADDR-BECH32-ACCOUNT.1
  it("the Harmony documentation address pair", () => {
    const result = executeHandler(
      runner,
      "address_to_bech32",
      { address: "0x0b585f8daefbc68a311fbd4cb20d9174ad174016" },
      MAINNET,
    );
    expect(result).toEqual({ ok: true, value: "one1pdv9lrdwl0rg5vglh4xtyrv3wjk3wsqket7zxy" });
  });
});
