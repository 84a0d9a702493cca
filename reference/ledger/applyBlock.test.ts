import { describe, expect, it } from "vitest";
import {
  addressOf,
  freshAddress,
  GAS_PRICE,
  genesis,
  nextBlock,
  transfer,
  withHeader,
  withTransactions,
} from "../../tools/testing/ledgerChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { MAINNET, MINIMAL, type Preset } from "../params/presets.ts";
import { defaultAccount } from "./account.ts";
import { applyBlock, type LedgerState } from "./applyBlock.ts";
import { buildBlock, plainProposerFields } from "./buildBlock.ts";
import { headerHash } from "./header.ts";
import { getAccount, stateFromList, stateRoot } from "./state.ts";
import { encodeTransaction } from "./transaction.ts";

const hex = bytesToHex;
const A = { shard: 0, index: 0 };
const B = { shard: 0, index: 1 };
const BALANCE = MINIMAL.genesisBalance;
/** Fee of a data-less transfer at GAS_PRICE: 21000 gas (chapter 4's base cost) × 100 gwei. */
const FEE = 21000n * GAS_PRICE;
const COLLECTOR = bytesFromHex(MINIMAL.feeCollector!);
const BURN: Preset = { ...MINIMAL, feeCollector: null };

/** A deep snapshot of a ledger, to show that a rule left its input untouched. */
function snapshot(ledger: LedgerState): string {
  const accounts = [...ledger.accounts].map(([k, a]) => [
    k,
    String(a.nonce),
    String(a.balance),
    hex(a.validator),
  ]);
  return JSON.stringify({ head: hex(headerHash(ledger.head)), accounts });
}

function ledgerWith(preset: Preset, entries: { address: Uint8Array; nonce?: bigint; balance: bigint }[]) {
  const g = genesis(preset, 0);
  const listed = stateFromList(
    entries.map((e) => ({
      address: e.address,
      account: { ...defaultAccount(), nonce: e.nonce ?? 0n, balance: e.balance },
    })),
  );
  if (!listed.ok) throw listed.error;
  return { head: { ...g.head, stateRoot: stateRoot(listed.value) }, accounts: listed.value };
}

describe("transaction application", () => {
  // @covers STATE-APPLY-TX.2 STATE-TRANSFER.1 FEE-GAS.1 FEE-DESTINATION.1 ACCOUNT-NONCE.1
  it("a same-shard transfer debits value + fee, credits the recipient and the collector, bumps the nonce", () => {
    const g = genesis(MINIMAL, 0);
    const built = nextBlock(g, [transfer(MINIMAL, A, 0n, addressOf(B), 5n)], MINIMAL);
    const after = built.state.accounts;
    expect(getAccount(after, addressOf(A))).toMatchObject({ nonce: 1n, balance: BALANCE - 5n - FEE });
    expect(getAccount(after, addressOf(B))).toMatchObject({ nonce: 0n, balance: BALANCE + 5n });
    expect(getAccount(after, COLLECTOR).balance).toBe(FEE);
    expect(built.receipts).toHaveLength(1);
    expect(built.receipts[0]).toMatchObject({ status: 1, cumulativeGasUsed: 21000n, gasUsed: 21000n });
    expect(built.outgoingReceipts).toEqual([]);
  });

  // @covers FEE-GAS.1
  it("charges the intrinsic gas of the data, never the unused gas limit", () => {
    const g = genesis(BURN, 0);
    const data = Uint8Array.of(0, 0, 1, 2, 3); // 2 zero bytes × 4 + 3 non-zero × 16 = 56 gas on top of 21000
    const tx = transfer(BURN, A, 0n, addressOf(B), 1n, { data, gasLimit: 100_000n });
    const built = nextBlock(g, [tx], BURN);
    expect(built.receipts[0]!.gasUsed).toBe(21056n);
    expect(getAccount(built.state.accounts, addressOf(A)).balance).toBe(BALANCE - 1n - 21056n * GAS_PRICE);
  });

  // @covers FEE-DESTINATION.1
  it("burns the fee when the preset has no collector", () => {
    const g = genesis(BURN, 0);
    const built = nextBlock(g, [transfer(BURN, A, 0n, addressOf(B), 5n)], BURN);
    expect(built.state.accounts.has(hex(COLLECTOR))).toBe(false);
    let total = 0n;
    for (const a of built.state.accounts.values()) total += a.balance;
    expect(total).toBe(4n * BALANCE - FEE);
  });

  // @covers STATE-TRANSFER.1
  it("a transfer to oneself costs the fee alone; a zero-value transfer creates no recipient", () => {
    const g = genesis(BURN, 0);
    const built = nextBlock(
      g,
      [transfer(BURN, A, 0n, addressOf(A), 9n), transfer(BURN, A, 1n, freshAddress(1), 0n)],
      BURN,
    );
    expect(getAccount(built.state.accounts, addressOf(A))).toMatchObject({
      nonce: 2n,
      balance: BALANCE - 2n * FEE,
    });
    expect(built.state.accounts.has(hex(freshAddress(1)))).toBe(false);
  });

  // @covers STATE-CROSS-SHARD.1 RECEIPT-CX-FORMAT.1
  it("a cross-shard transfer debits the sender and emits a receipt instead of crediting", () => {
    const g = genesis(MINIMAL, 0);
    const tx = transfer(MINIMAL, A, 0n, freshAddress(7), 11n, { toShard: 1 });
    const built = nextBlock(g, [tx], MINIMAL);
    expect(getAccount(built.state.accounts, addressOf(A)).balance).toBe(BALANCE - 11n - FEE);
    expect(built.state.accounts.has(hex(freshAddress(7)))).toBe(false);
    expect(built.outgoingReceipts).toHaveLength(1);
    const cx = built.outgoingReceipts[0]!;
    expect(hex(cx.txHash)).toBe(hex(keccak256(encodeTransaction(tx))));
    expect([hex(cx.from), hex(cx.to), cx.fromShard, cx.toShard, cx.amount]).toEqual([
      hex(addressOf(A)),
      hex(freshAddress(7)),
      0,
      1,
      11n,
    ]);
  });

  // @covers ACCOUNT-NONCE.1 ACCOUNT-BALANCE.1 STATE-APPLY-TX.2
  it("rejects a wrong nonce, an exhausted nonce, a short balance and an overflowing credit", () => {
    const g = genesis(MINIMAL, 0);
    const fields = plainProposerFields(2n, 1n);
    const code = (ledger: LedgerState, txs: Parameters<typeof buildBlock>[1], preset = MINIMAL) =>
      resultCode(buildBlock(ledger, txs, fields, preset));
    expect(code(g, [transfer(MINIMAL, A, 1n, addressOf(B), 1n)])).toBe("ACCOUNT_NONCE_MISMATCH");
    expect(
      code(g, [transfer(MINIMAL, A, 0n, addressOf(B), 1n), transfer(MINIMAL, A, 0n, addressOf(B), 1n)]),
    ).toBe("ACCOUNT_NONCE_MISMATCH");
    const max = (1n << 64n) - 1n;
    const old = ledgerWith(MINIMAL, [{ address: addressOf(A), nonce: max, balance: BALANCE }]);
    expect(code(old, [transfer(MINIMAL, A, max, addressOf(B), 1n)])).toBe("ACCOUNT_NONCE_OVERFLOW");
    // Exactly the up-front cost (value + gasLimit · gasPrice) is enough; one atto less is not.
    const exact = 5n + 21000n * GAS_PRICE;
    const poor = ledgerWith(MINIMAL, [{ address: addressOf(A), balance: exact }]);
    expect(code(poor, [transfer(MINIMAL, A, 0n, addressOf(B), 5n)])).toBe("(accepted)");
    expect(code(poor, [transfer(MINIMAL, A, 0n, addressOf(B), 6n)])).toBe("ACCOUNT_INSUFFICIENT_BALANCE");
    // The up-front cost counts the whole gas limit even though only the intrinsic gas is charged.
    expect(code(poor, [transfer(MINIMAL, A, 0n, addressOf(B), 5n, { gasLimit: 21001n })])).toBe(
      "ACCOUNT_INSUFFICIENT_BALANCE",
    );
    const rich = ledgerWith(BURN, [
      { address: addressOf(A), balance: BALANCE },
      { address: addressOf(B), balance: (1n << 256n) - 3n },
    ]);
    expect(code(rich, [transfer(BURN, A, 0n, addressOf(B), 2n)], BURN)).toBe("(accepted)");
    expect(code(rich, [transfer(BURN, A, 0n, addressOf(B), 3n)], BURN)).toBe("ACCOUNT_BALANCE_OVERFLOW");
  });

  // @covers ACCOUNT-BALANCE.1 STATE-APPLY-TX.2
  it("computes the up-front cost exactly, beyond 2^256 − 1", () => {
    // gasPrice = ⌊2^256 / 21000⌋ + 1 is below 2^256, but 21000 · gasPrice exceeds 2^256 − 1, so the cost
    // exceeds every balance. A client that wraps the product modulo 2^256 sees a cost of 21000 · gasPrice −
    // 2^256 (less than 21000), which a genesis balance covers, and would accept the block.
    const g = genesis(MINIMAL, 0);
    const code = (ledger: LedgerState, txs: Parameters<typeof buildBlock>[1]) =>
      resultCode(buildBlock(ledger, txs, plainProposerFields(2n, 1n), MINIMAL));
    const M = 1n << 256n;
    const gasPrice = M / 21000n + 1n;
    expect(gasPrice < M).toBe(true);
    expect(21000n * gasPrice > M - 1n).toBe(true);
    expect((21000n * gasPrice) % M < BALANCE).toBe(true);
    const richest = ledgerWith(MINIMAL, [{ address: addressOf(A), balance: M - 1n }]);
    expect(code(g, [transfer(MINIMAL, A, 0n, addressOf(B), 0n, { gasPrice })])).toBe(
      "ACCOUNT_INSUFFICIENT_BALANCE",
    );
    expect(code(richest, [transfer(MINIMAL, A, 0n, addressOf(B), 0n, { gasPrice })])).toBe(
      "ACCOUNT_INSUFFICIENT_BALANCE",
    );
  });
});

describe("fee collector that is also a party to the transaction", () => {
  // The preset's collector is genesis account A of shard 0. Every expected balance below is the genesis
  // balance plus or minus the value and FEE (21000 gas × 100 gwei), worked out per account by hand.
  const P: Preset = { ...MINIMAL, feeCollector: hex(addressOf(A)) };
  const g = genesis(P, 0);
  const balance = (built: ReturnType<typeof nextBlock>, who: Uint8Array) =>
    getAccount(built.state.accounts, who).balance;

  // @covers FEE-DESTINATION.1 STATE-APPLY-TX.2 STATE-TRANSFER.1
  it("collector = sender: pays value + fee, gets the fee back", () => {
    const built = nextBlock(g, [transfer(P, A, 0n, addressOf(B), 5n)], P);
    // A: BALANCE − 5 − FEE (debit) + FEE (collector credit) = BALANCE − 5.
    expect(balance(built, addressOf(A))).toBe(BALANCE - 5n);
    expect(getAccount(built.state.accounts, addressOf(A)).nonce).toBe(1n);
    // B: BALANCE + 5.
    expect(balance(built, addressOf(B))).toBe(BALANCE + 5n);
  });

  // @covers FEE-DESTINATION.1 STATE-APPLY-TX.2 STATE-TRANSFER.1
  it("collector = recipient: receives value and fee", () => {
    const built = nextBlock(g, [transfer(P, B, 0n, addressOf(A), 5n)], P);
    // B: BALANCE − 5 − FEE; A: BALANCE + 5 (transfer) + FEE (collector).
    expect(balance(built, addressOf(B))).toBe(BALANCE - 5n - FEE);
    expect(balance(built, addressOf(A))).toBe(BALANCE + 5n + FEE);
  });

  // @covers FEE-DESTINATION.1 STATE-APPLY-TX.2 STATE-TRANSFER.1
  it("collector = sender = recipient: only the nonce changes", () => {
    const built = nextBlock(g, [transfer(P, A, 0n, addressOf(A), 5n)], P);
    // A: BALANCE − 5 − FEE + 5 (transfer to itself) + FEE (collector) = BALANCE.
    expect(getAccount(built.state.accounts, addressOf(A))).toMatchObject({ nonce: 1n, balance: BALANCE });
    expect(applyBlock(g, built.block, P).ok).toBe(true);
  });

  // @covers FEE-DESTINATION.1 STATE-CROSS-SHARD.1
  it("cross-shard with collector = sender: the value leaves, the fee comes back", () => {
    const built = nextBlock(g, [transfer(P, A, 0n, freshAddress(9), 5n, { toShard: 1 })], P);
    // A: BALANCE − 5 − FEE + FEE = BALANCE − 5; the 5 is in flight in the receipt.
    expect(balance(built, addressOf(A))).toBe(BALANCE - 5n);
    expect(built.outgoingReceipts.map((cx) => cx.amount)).toEqual([5n]);
    expect(built.state.accounts.has(hex(freshAddress(9)))).toBe(false);
  });
});

describe("block application", () => {
  const g = genesis(MINIMAL, 0);
  const txs = [
    transfer(MINIMAL, A, 0n, addressOf(B), 5n),
    transfer(MINIMAL, B, 0n, freshAddress(1), 6n, { toShard: 1 }),
    transfer(MINIMAL, { shard: 0, index: 2 }, 0n, addressOf(A), 7n, { ethereum: true }),
  ];
  const built = nextBlock(g, txs, MINIMAL);
  const block = built.block;
  const apply = (b: typeof block, ledger: LedgerState = g) => resultCode(applyBlock(ledger, b, MINIMAL));

  // @covers BLOCK-APPLY.3
  it("applies a built block to the same result the builder computed", () => {
    const applied = applyBlock(g, block, MINIMAL);
    expect(applied.ok).toBe(true);
    if (!applied.ok) return;
    expect(hex(stateRoot(applied.value.state.accounts))).toBe(hex(block.header.stateRoot));
    expect(applied.value.state.head).toBe(block.header);
    expect(applied.value.receipts).toEqual(built.receipts);
    expect(applied.value.outgoingReceipts).toEqual(built.outgoingReceipts);
    expect(applied.value.receipts.map((r) => r.cumulativeGasUsed)).toEqual([21000n, 42000n, 63000n]);
  });

  // @covers BLOCK-APPLY.3 BLOCK-TX-ROOT.1 RECEIPT-ROOT.1 RECEIPT-CX-ROOT.1 RECEIPT-INCOMING-ROOT.1 STATE-ROOT.2
  it("rejects each inconsistency with its code and leaves the ledger untouched", () => {
    const before = snapshot(g);
    const zero = new Uint8Array(32);
    expect(apply(withHeader(block, { time: 0n }))).toBe("HEADER_TIME_NOT_INCREASING"); // L1
    const tooMany = new Array(MINIMAL.maxIncomingEntriesPerBlock + 1).fill([Uint8Array.of(1)]);
    expect(apply({ ...block, incomingReceipts: tooMany })).toBe("BLOCK_INCOMING_TOO_MANY"); // L2
    expect(apply({ ...block, incomingReceipts: [[Uint8Array.of(1)]] })).toBe("BLOCK_INCOMING_ROOT_MISMATCH"); // L4
    expect(apply(withHeader(block, { txRoot: zero }))).toBe("BLOCK_TX_ROOT_MISMATCH"); // L3
    expect(apply(withHeader(block, { incomingReceiptRoot: zero }))).toBe("BLOCK_INCOMING_ROOT_MISMATCH"); // L4
    expect(apply(withHeader(block, { gasUsed: 1n }))).toBe("BLOCK_GAS_USED_MISMATCH"); // L13
    expect(apply(withHeader(block, { receiptRoot: zero }))).toBe("BLOCK_RECEIPT_ROOT_MISMATCH"); // L14
    expect(apply(withHeader(block, { outgoingReceiptRoot: zero }))).toBe("BLOCK_OUTGOING_ROOT_MISMATCH"); // L15
    expect(apply(withHeader(block, { stateRoot: zero }))).toBe("BLOCK_STATE_ROOT_MISMATCH"); // L16
    // A transaction fault after two good transactions: the whole block is rejected.
    const replay = withTransactions(block, [...txs, txs[0]!]);
    expect(apply(replay)).toBe("ACCOUNT_NONCE_MISMATCH"); // L9
    // A chapter 4 fault (a transaction of the other shard) at L7.
    const foreign = transfer(MINIMAL, { shard: 1, index: 0 }, 0n, addressOf(A), 1n);
    expect(apply(withTransactions(block, [foreign]))).toBe("TX_WRONG_SHARD");
    expect(snapshot(g)).toBe(before);
  });

  // @covers BLOCK-APPLY.3 FEE-GAS.1
  it("a transaction may not ask for more gas than the block has left", () => {
    const limit = MINIMAL.blockGasLimit;
    const first = transfer(MINIMAL, A, 0n, addressOf(B), 1n);
    const whole = transfer(MINIMAL, B, 0n, addressOf(A), 1n, { gasLimit: limit });
    // Alone, a transaction may ask for the whole block.
    expect(resultCode(buildBlock(g, [whole], plainProposerFields(2n, 1n), MINIMAL))).toBe("(accepted)");
    // After 21000 gas is used, only limit − 21000 is left.
    expect(apply(withTransactions(block, [first, whole]))).toBe("BLOCK_GAS_EXCEEDED");
    const fits = transfer(MINIMAL, B, 0n, addressOf(A), 1n, { gasLimit: limit - 21000n });
    expect(resultCode(buildBlock(g, [first, fits], plainProposerFields(2n, 1n), MINIMAL))).toBe("(accepted)");
  });

  // @covers BLOCK-APPLY.3 HEADER-VALIDATE.1
  it("the builder checks the proposer's fields before the transactions, as applyBlock does (L1 before L3)", () => {
    // A transaction whose nonce is 2^64 is outside TX-FIELDS.1 (encoding it for the root raises
    // TX_SCALAR_RANGE); a 19-byte coinbase is outside HEADER-FIELDS.2 (HEADER_FIELD_INVALID).
    const outOfRange = { ...txs[0]!, nonce: 1n << 64n };
    const badFields = { ...plainProposerFields(2n, 1n), coinbase: new Uint8Array(19) };
    expect(resultCode(buildBlock(g, [outOfRange], badFields, MINIMAL))).toBe("HEADER_FIELD_INVALID");
    const bad = {
      ...block,
      header: { ...block.header, coinbase: new Uint8Array(19) },
      transactions: [outOfRange],
    };
    expect(apply(bad)).toBe("HEADER_FIELD_INVALID");
    // With good fields both report the transaction's own code.
    expect(resultCode(buildBlock(g, [outOfRange], plainProposerFields(2n, 1n), MINIMAL))).toBe(
      "TX_SCALAR_RANGE",
    );
    expect(apply({ ...block, transactions: [outOfRange] })).toBe("TX_SCALAR_RANGE");
  });

  // @covers BLOCK-APPLY.3
  it("chains: block 2 applies on the ledger block 1 produced, on both presets", () => {
    for (const preset of [MINIMAL, MAINNET]) {
      const g0 = genesis(preset, 1);
      const b1 = nextBlock(g0, [transfer(preset, { shard: 1, index: 0 }, 0n, freshAddress(3), 10n)], preset);
      const b2 = nextBlock(
        b1.state,
        [transfer(preset, { shard: 1, index: 0 }, 1n, freshAddress(3), 10n)],
        preset,
      );
      const r1 = applyBlock(g0, b1.block, preset);
      expect(r1.ok).toBe(true);
      if (!r1.ok) continue;
      const r2 = applyBlock(r1.value.state, b2.block, preset);
      expect(r2.ok).toBe(true);
      if (r2.ok) expect(getAccount(r2.value.state.accounts, freshAddress(3)).balance).toBe(20n);
      // Block 2 does not apply on genesis.
      expect(resultCode(applyBlock(g0, b2.block, preset))).toBe("HEADER_PARENT_HASH_MISMATCH");
    }
  });
});
