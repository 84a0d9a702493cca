import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { addressOf, createOf, PERCENT, stakerKey } from "../../tools/testing/stakingFixtures.ts";
import { rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { type Directive, decodeDirective, encodeDirective } from "./directives.ts";

describe("STAKE-DIRECTIVE-FORMAT", () => {
  const directives: Directive[] = [
    createOf(1, 50n * 10n ** 18n, 2),
    {
      kind: "editValidator",
      description: { name: "é", identity: null, website: "", securityContact: null, details: null },
      rate: 0n,
      minSelfDelegation: null,
      maxTotalDelegation: 7n,
      keyToRemove: stakerKey(1, 0).key,
      keyToAdd: stakerKey(1, 2),
      status: 2,
    },
    { kind: "delegate", validator: addressOf(3), amount: 12n * PERCENT },
    { kind: "undelegate", validator: addressOf(3), amount: 1n },
    { kind: "collectRewards" },
  ];

  // @covers STAKE-DIRECTIVE-FORMAT.1
  it("decodes what it encodes, an empty optional apart from an empty value", () => {
    for (const directive of directives)
      expect(unwrap(decodeDirective(encodeDirective(directive)))).toEqual(directive);
    // CollectRewards is [4, []]: 0xc2 0x04 0xc0.
    expect(encodeDirective({ kind: "collectRewards" })).toEqual(Uint8Array.of(0xc2, 0x04, 0xc0));
  });

  // @covers STAKE-DIRECTIVE-FORMAT.1
  it("refuses malformed bodies by name", () => {
    const invalid = [
      rlpEncode([Uint8Array.of(5), []]), // L5
      rlpEncode([Uint8Array.of(4), [Uint8Array.of(1)]]), // L3: CollectRewards has no field
      rlpEncode([Uint8Array.of(2), [addressOf(3)]]), // L3
      rlpEncode([Uint8Array.of(2), [new Uint8Array(21), Uint8Array.of(1)]]), // L3
      rlpEncode([new Uint8Array(0), [[], [], [], [], [], [], []]]), // L3: description of 0 texts
      rlpEncode([Uint8Array.of(1), [[[], [], [], [], []], [], [], [], [], [Uint8Array.of(1)], []]]), // L4: keyToAdd
      rlpEncode([Uint8Array.of(1), [[[], [], [], [], []], [], [], [], [], [], [Uint8Array.of(3)]]]), // L4: status 3
      rlpEncode([Uint8Array.of(1), [[[Uint8Array.of(0xff)], [], [], [], []], [], [], [], [], [], []]]), // L3: UTF-8
      rlpEncode([Uint8Array.of(1)]), // L1
    ];
    for (const bytes of invalid) expect(resultCode(decodeDirective(bytes))).toBe("STAKE_DIRECTIVE_INVALID");
    // Number 0 is the empty string; a zero byte is not a scalar.
    const zeroByte = rlpEncode([Uint8Array.of(0), [[], [], [], [], [], [], []]]);
    expect(resultCode(decodeDirective(zeroByte))).toBe("RLP_SCALAR_LEADING_ZERO");
  });
});
