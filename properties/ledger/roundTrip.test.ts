import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { rlpDecodeOrThrow } from "../../reference/encoding/rlp.ts";
import { attempt, type Result, unwrap } from "../../reference/errors.ts";
import { type Account, decodeAccount, encodeAccount } from "../../reference/ledger/account.ts";
import { type Block, decodeBlock, encodeBlock } from "../../reference/ledger/block.ts";
import { type BlockHeader, decodeHeaderItem, encodeHeader } from "../../reference/ledger/header.ts";
import {
  type CxReceipt,
  decodeCxReceipt,
  decodeReceipt,
  encodeCxReceipt,
  encodeReceipt,
  type Receipt,
} from "../../reference/ledger/receipt.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { addressOf, transfer } from "../../tools/testing/ledgerChains.ts";

/*
 * Encode/decode round trips over the whole domain of each type: decode(encode(x)) = x, and the decoded value
 * encodes to the same bytes. Values are drawn up to the edges of their domains (2^64 − 1, 2^256 − 1, byte
 * fields of every allowed length).
 */

const uint = (bits: number) =>
  fc.oneof(
    fc.bigInt({ min: 0n, max: (1n << BigInt(bits)) - 1n }),
    fc.constantFrom(0n, (1n << BigInt(bits)) - 1n),
  );
const bytes = (min: number, max: number) => fc.uint8Array({ minLength: min, maxLength: max });
const fixed = (n: number) => bytes(n, n);

const account: fc.Arbitrary<Account> = fc.record({
  nonce: uint(64),
  balance: uint(256),
  delegated: uint(256),
  undelegating: uint(256),
  rewards: uint(256),
  validator: bytes(0, 40),
});

const receipt: fc.Arbitrary<Receipt> = fc.record({
  status: fc.constantFrom(0, 1),
  cumulativeGasUsed: uint(64),
  gasUsed: uint(64),
  txHash: fixed(32),
});

const cxReceipt: fc.Arbitrary<CxReceipt> = fc.record({
  txHash: fixed(32),
  from: fixed(20),
  to: fixed(20),
  fromShard: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  toShard: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  amount: uint(256),
});

const header: fc.Arbitrary<BlockHeader> = fc.record({
  parentHash: fixed(32),
  coinbase: fixed(20),
  stateRoot: fixed(32),
  txRoot: fixed(32),
  receiptRoot: fixed(32),
  outgoingReceiptRoot: fixed(32),
  incomingReceiptRoot: fixed(32),
  number: uint(64),
  gasLimit: uint(64),
  gasUsed: uint(64),
  time: uint(64),
  extra: bytes(0, 32),
  viewId: uint(64),
  epoch: uint(64),
  shardId: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  lastCommitSignature: fixed(96),
  lastCommitBitmap: bytes(0, 1), // minimal preset: 4 slots
  vrf: fc.oneof(fixed(0), fixed(128)),
  vdf: fc.oneof(fixed(0), fixed(512)),
  shardState: bytes(0, 64),
  crossLinks: bytes(0, 64),
  slashes: bytes(0, 64),
});

/** A few signed transactions of both forms to draw block bodies from. */
const TXS = [0, 1, 2, 3].map((i) =>
  transfer(
    MINIMAL,
    { shard: 0, index: i },
    BigInt(i),
    addressOf({ shard: 0, index: (i + 1) % 4 }),
    BigInt(i) * 7n,
    {
      ethereum: i % 2 === 1,
      data: Uint8Array.of(i),
      gasLimit: 30_000n,
    },
  ),
);
const incomingItem = fc.oneof(bytes(0, 4), fc.array(bytes(0, 4), { maxLength: 3 })) as fc.Arbitrary<
  Block["incomingReceipts"][number]
>;
const block: fc.Arbitrary<Block> = fc.record({
  header,
  transactions: fc.array(fc.constantFrom(...TXS), { maxLength: 4 }),
  incomingReceipts: fc.array(incomingItem, { maxLength: 2 }),
});

function roundTrips<T>(
  arb: fc.Arbitrary<T>,
  encode: (x: T) => Uint8Array,
  decode: (b: Uint8Array) => Result<T>,
) {
  return fc.property(arb, (x) => {
    const encoded = encode(x);
    const back = unwrap(decode(encoded));
    expect(back).toEqual(x);
    expect(bytesToHex(encode(back))).toBe(bytesToHex(encoded));
  });
}

/** A broken decoder that keeps 64 bits of each amount, as a client with 64-bit balances would. */
function decodeAccount64(bytes: Uint8Array): Result<Account> {
  const r = decodeAccount(bytes);
  if (!r.ok) return r;
  return { ok: true, value: { ...r.value, balance: BigInt.asUintN(64, r.value.balance) } };
}

const decodeHeader = (b: Uint8Array): Result<BlockHeader> =>
  attempt(() => decodeHeaderItem(rlpDecodeOrThrow(b), MINIMAL));

describe("ledger property: encode/decode round trips", () => {
  // @covers ACCOUNT-RLP.1 ACCOUNT-FIELDS.1
  it("accounts", () =>
    fc.assert(roundTrips(account, encodeAccount, decodeAccount), { seed: 5501, numRuns: 200 }));

  // @covers RECEIPT-FORMAT.1
  it("receipts", () =>
    fc.assert(roundTrips(receipt, encodeReceipt, decodeReceipt), { seed: 5502, numRuns: 200 }));

  // @covers RECEIPT-CX-FORMAT.1
  it("cross-shard receipts", () =>
    fc.assert(roundTrips(cxReceipt, encodeCxReceipt, decodeCxReceipt), { seed: 5503, numRuns: 200 }));

  // @covers HEADER-RLP.1 HEADER-FIELDS.2
  it("headers", () =>
    fc.assert(roundTrips(header, encodeHeader, decodeHeader), { seed: 5504, numRuns: 200 }));

  // @covers BLOCK-FORMAT.1
  it("blocks", () =>
    fc.assert(
      roundTrips(block, encodeBlock, (b) => decodeBlock(b, MINIMAL)),
      { seed: 5505, numRuns: 100 },
    ));

  it("fails for a decoder that truncates balances to 64 bits (the check is not vacuous)", () => {
    expect(
      fc.check(roundTrips(account, encodeAccount, decodeAccount64), { seed: 5506, numRuns: 100 }).failed,
    ).toBe(true);
  });
});
