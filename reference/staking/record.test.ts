import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { type RlpItem, rlpDecodeOrThrow, rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { decodeRecord, encodeRecord, RATE_ONE, stakeTotalsOf, type ValidatorRecord } from "./record.ts";

const arbitraryAmount = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n });
const arbitraryEpoch = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const arbitraryRate = fc.bigInt({ min: 0n, max: RATE_ONE });
const arbitraryText = (max: number) =>
  fc
    .string({ unit: "grapheme", maxLength: max / 4 })
    .filter((t) => new TextEncoder().encode(t).length <= max);

const arbitraryRecord: fc.Arbitrary<ValidatorRecord> = fc.record({
  keys: fc.array(fc.uint8Array({ minLength: 48, maxLength: 48 }), { maxLength: 3 }),
  rate: arbitraryRate,
  maxRate: arbitraryRate,
  maxChangeRate: arbitraryRate,
  rateAtEpochStart: arbitraryRate,
  rateEpoch: arbitraryEpoch,
  minSelfDelegation: arbitraryAmount,
  maxTotalDelegation: arbitraryAmount,
  description: fc.record({
    name: arbitraryText(140),
    identity: arbitraryText(140),
    website: arbitraryText(140),
    securityContact: arbitraryText(140),
    details: arbitraryText(280),
  }),
  status: fc.constantFrom(1 as const, 2 as const, 3 as const),
  creationEpoch: arbitraryEpoch,
  blocksToSign: arbitraryEpoch,
  blocksSigned: arbitraryEpoch,
  delegations: fc.array(
    fc.record({
      delegator: fc.uint8Array({ minLength: 20, maxLength: 20 }),
      amount: arbitraryAmount,
      reward: arbitraryAmount,
      undelegations: fc.array(fc.record({ amount: arbitraryAmount, epoch: arbitraryEpoch }), {
        maxLength: 2,
      }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
});

/** The record's RLP item, edited at `path` (indices into nested lists), re-encoded. */
function edited(record: ValidatorRecord, path: readonly number[], value: RlpItem): Uint8Array {
  const root = rlpDecodeOrThrow(encodeRecord(record)) as RlpItem[];
  let list: RlpItem[] = root;
  for (const index of path.slice(0, -1)) list = list[index] as RlpItem[];
  list[path.at(-1)!] = value;
  return rlpEncode(root);
}

describe("STAKE-RECORD", () => {
  // @covers STAKE-RECORD.1
  it("decodes what it encodes", () => {
    fc.assert(
      fc.property(arbitraryRecord, (record) => {
        expect(unwrap(decodeRecord(encodeRecord(record)))).toEqual(record);
      }),
      { numRuns: 200 },
    );
  });

  // @covers STAKE-RECORD.1
  it("refuses every field outside its domain by name", () => {
    const record = fc.sample(arbitraryRecord, { numRuns: 1, seed: 7 })[0]!;
    const over = (value: bigint) => scalarToBytes(value);
    const cases: [string, Uint8Array][] = [
      ["13 fields", rlpEncode((rlpDecodeOrThrow(encodeRecord(record)) as RlpItem[]).slice(0, 13))], // L1
      ["a 47-byte key", edited(record, [0], [new Uint8Array(47)])], // L2
      ["a rate above 100 %", edited(record, [1], over(RATE_ONE + 1n))], // L3
      ["a name of 141 bytes", edited(record, [8, 0], new Uint8Array(141).fill(0x61))], // L4
      ["a name that is not UTF-8", edited(record, [8, 0], Uint8Array.of(0xff))], // L4
      ["status 4", edited(record, [9], Uint8Array.of(4))], // L4
      ["status 0", edited(record, [9], new Uint8Array(0))], // L4
      ["a 19-byte delegator", edited(record, [13, 0, 0], new Uint8Array(19))], // L5
      ["an epoch of 2^64", edited(record, [10], over(1n << 64n))], // L5
      ["no delegation", edited(record, [13], [])], // L6
    ];
    for (const [what, bytes] of cases)
      expect([what, resultCode(decodeRecord(bytes))]).toEqual([what, "STAKE_RECORD_INVALID"]);
    expect(resultCode(decodeRecord(edited(record, [1], Uint8Array.of(0, 1))))).toBe(
      "RLP_SCALAR_LEADING_ZERO",
    );
    expect(resultCode(decodeRecord(Uint8Array.of(0x80)))).toBe("RLP_EXPECTED_LIST");
    expect(resultCode(decodeRecord(edited(record, [0], new Uint8Array(0))))).toBe("RLP_EXPECTED_LIST");
    expect(resultCode(decodeRecord(edited(record, [1], [])))).toBe("RLP_EXPECTED_BYTES");
  });
});

describe("STAKE-TOTALS", () => {
  // @covers STAKE-TOTALS.1
  it("sums a delegator's entries over every record", () => {
    const [v1, v2, d] = [1, 2, 9].map((byte) => new Uint8Array(20).fill(byte)) as [
      Uint8Array,
      Uint8Array,
      Uint8Array,
    ];
    const base = fc.sample(arbitraryRecord, { numRuns: 1, seed: 3 })[0]!;
    const entry = (delegator: Uint8Array, amount: bigint, reward: bigint, locked: bigint[]) => ({
      delegator,
      amount,
      reward,
      undelegations: locked.map((amount, epoch) => ({ amount, epoch: BigInt(epoch) })),
    });
    const account = (record: ValidatorRecord) => ({
      nonce: 0n,
      balance: 0n,
      delegated: 0n,
      undelegating: 0n,
      rewards: 0n,
      validator: encodeRecord(record),
    });
    const state = new Map([
      [
        bytesToHex(v1),
        account({ ...base, delegations: [entry(v1, 10n, 1n, []), entry(d, 5n, 2n, [3n, 4n])] }),
      ],
      [bytesToHex(v2), account({ ...base, delegations: [entry(v2, 20n, 0n, [1n]), entry(d, 7n, 0n, [])] })],
    ]);
    expect(stakeTotalsOf(state)).toEqual(
      new Map([
        [bytesToHex(v1), { delegated: 10n, undelegating: 0n, rewards: 1n }],
        [bytesToHex(d), { delegated: 12n, undelegating: 7n, rewards: 2n }],
        [bytesToHex(v2), { delegated: 20n, undelegating: 1n, rewards: 0n }],
      ]),
    );
  });
});
