import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { thrownCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import {
  type Account,
  checkAccountFields,
  decodeAccount,
  defaultAccount,
  encodeAccount,
  isEmptyAccount,
} from "./account.ts";

const hex = bytesToHex;
const code = (bytes: Uint8Array) => {
  const r = decodeAccount(bytes);
  return r.ok ? "(accepted)" : r.error.code;
};

const sample: Account = {
  nonce: 7n,
  balance: 10n ** 24n,
  delegated: 3n,
  undelegating: 0n,
  rewards: 255n,
  validator: Uint8Array.of(1, 2, 3),
};

describe("accounts", () => {
  // @covers ACCOUNT-FIELDS.1
  it("the default account is empty; any non-default field makes an account non-empty", () => {
    expect(isEmptyAccount(defaultAccount())).toBe(true);
    const fields: Partial<Account>[] = [
      { nonce: 1n },
      { balance: 1n },
      { delegated: 1n },
      { undelegating: 1n },
      { rewards: 1n },
      { validator: Uint8Array.of(0) },
    ];
    for (const change of fields) expect(isEmptyAccount({ ...defaultAccount(), ...change })).toBe(false);
  });

  // @covers ACCOUNT-FIELDS.1
  it("domains: nonce a uint64, amounts uint256", () => {
    expect(thrownCode(() => checkAccountFields({ ...sample, nonce: (1n << 64n) - 1n }))).toBe("(accepted)");
    expect(thrownCode(() => checkAccountFields({ ...sample, nonce: 1n << 64n }))).toBe(
      "ACCOUNT_FIELD_INVALID",
    );
    expect(thrownCode(() => checkAccountFields({ ...sample, balance: (1n << 256n) - 1n }))).toBe(
      "(accepted)",
    );
    for (const field of ["balance", "delegated", "undelegating", "rewards"] as const) {
      expect(thrownCode(() => checkAccountFields({ ...sample, [field]: 1n << 256n }))).toBe(
        "ACCOUNT_FIELD_INVALID",
      );
      expect(thrownCode(() => checkAccountFields({ ...sample, [field]: -1n }))).toBe("ACCOUNT_FIELD_INVALID");
    }
  });

  // @covers ACCOUNT-RLP.1
  it("encodes as the six-element list an independent RLP encoder writes", () => {
    // Six empty strings (0x80 each) in a list with a 6-byte payload: 0xc6 ‖ 0x80 × 6.
    expect(hex(encodeAccount(defaultAccount()))).toBe("0xc6808080808080");
    // @ethereumjs/rlp writes bigints as minimal big-endian bytes and 0 as the empty string.
    const expected = RLP.encode([7n, 10n ** 24n, 3n, 0n, 255n, Uint8Array.of(1, 2, 3)]);
    expect(hex(encodeAccount(sample))).toBe(hex(expected));
  });

  // @covers ACCOUNT-RLP.1
  it("decodes what it encodes, including the empty account", () => {
    for (const account of [sample, defaultAccount(), { ...sample, nonce: (1n << 64n) - 1n }]) {
      const decoded = decodeAccount(encodeAccount(account));
      expect(decoded.ok).toBe(true);
      if (decoded.ok) expect(hex(encodeAccount(decoded.value))).toBe(hex(encodeAccount(account)));
    }
  });

  // @covers ACCOUNT-RLP.1
  it("rejects every other byte string with the code of the first failing line", () => {
    expect(code(new Uint8Array(0))).toBe("RLP_EMPTY_INPUT"); // L1
    expect(code(Uint8Array.of(0x80))).toBe("RLP_EXPECTED_LIST"); // L2
    expect(code(RLP.encode([1n, 2n, 3n, 4n, 5n]))).toBe("ACCOUNT_FIELD_COUNT"); // L3
    expect(code(RLP.encode([1n, 2n, 3n, 4n, 5n, new Uint8Array(0), 7n]))).toBe("ACCOUNT_FIELD_COUNT");
    expect(code(RLP.encode([1n, 2n, [], 4n, 5n, new Uint8Array(0)]))).toBe("RLP_EXPECTED_BYTES"); // L4
    expect(code(RLP.encode([1n, Uint8Array.of(0, 1), 3n, 4n, 5n, new Uint8Array(0)]))).toBe(
      "RLP_SCALAR_LEADING_ZERO",
    ); // L5
    expect(code(RLP.encode([1n << 64n, 1n, 0n, 0n, 0n, new Uint8Array(0)]))).toBe("ACCOUNT_FIELD_INVALID"); // L7
    expect(code(RLP.encode([0n, 1n << 256n, 0n, 0n, 0n, new Uint8Array(0)]))).toBe("ACCOUNT_FIELD_INVALID");
  });
});
