import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { oracleTrie } from "../../tools/testing/trieOracle.ts";
import { bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { type Account, defaultAccount } from "./account.ts";
import { getAccount, setAccount, stateFromList, stateRoot, stateToList } from "./state.ts";

const hex = bytesToHex;
const addr = (n: number) => Uint8Array.from({ length: 20 }, (_, i) => (i === 19 ? n : 0x11));
const withBalance = (balance: bigint): Account => ({ ...defaultAccount(), balance });
const codeOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? "(accepted)" : r.error!.code);

describe("state", () => {
  // @covers STATE-MAP.1
  it("GET yields the default account for an absent address; SET removes empty accounts", () => {
    const working = new Map<string, Account>();
    expect(getAccount(working, addr(1))).toEqual(defaultAccount());
    setAccount(working, addr(1), withBalance(5n));
    expect(getAccount(working, addr(1)).balance).toBe(5n);
    setAccount(working, addr(1), withBalance(0n));
    expect(working.size).toBe(0);
    setAccount(working, addr(2), defaultAccount());
    expect(working.size).toBe(0);
  });

  // @covers STATE-MAP.1
  it("STATE-FROM-LIST rejects in line order and writes the list sorted by address", () => {
    const good = stateFromList([
      { address: addr(9), account: withBalance(1n) },
      { address: addr(3), account: withBalance(2n) },
    ]);
    expect(good.ok).toBe(true);
    if (good.ok) expect(stateToList(good.value).map((e) => e.address[19])).toEqual([3, 9]);
    expect(codeOf(stateFromList([{ address: new Uint8Array(19), account: withBalance(1n) }]))).toBe(
      "STATE_ADDRESS_LENGTH",
    ); // L3
    expect(codeOf(stateFromList([{ address: addr(1), account: withBalance(1n << 256n) }]))).toBe(
      "ACCOUNT_FIELD_INVALID",
    ); // L4
    expect(
      codeOf(
        stateFromList([
          { address: addr(1), account: withBalance(1n) },
          { address: addr(1), account: withBalance(2n) },
        ]),
      ),
    ).toBe("STATE_DUPLICATE_ADDRESS"); // L5
    expect(codeOf(stateFromList([{ address: addr(1), account: defaultAccount() }]))).toBe(
      "STATE_EMPTY_ACCOUNT",
    ); // L6
    // L4 comes before L5 and L6: an out-of-range empty-looking account is a field fault.
    expect(codeOf(stateFromList([{ address: addr(1), account: withBalance(-1n) }]))).toBe(
      "ACCOUNT_FIELD_INVALID",
    );
  });

  // @covers STATE-ROOT.2
  it("the state root is the secure-trie root an independent trie model computes", () => {
    expect(hex(stateRoot(new Map()))).toBe(
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    );
    const accounts: [Uint8Array, Account][] = [];
    for (let i = 0; i < 40; i++) {
      accounts.push([addr(i), { ...withBalance(BigInt(i + 1) * 10n ** 18n), nonce: BigInt(i % 3) }]);
    }
    const listed = stateFromList(accounts.map(([address, account]) => ({ address, account })));
    expect(listed.ok).toBe(true);
    if (!listed.ok) return;
    // The model: keys keccak256(address), values encoded by @ethereumjs/rlp, trie built from appendix D.
    const model = oracleTrie(
      accounts.map(([address, a]) => ({
        key: keccak256(address),
        value: RLP.encode([a.nonce, a.balance, a.delegated, a.undelegating, a.rewards, a.validator]),
      })),
    );
    expect(hex(stateRoot(listed.value))).toBe(hex(model.root));
  });
});
