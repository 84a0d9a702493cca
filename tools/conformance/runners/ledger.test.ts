import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex, parseWith } from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import {
  admitIntoCache,
  cachedStatelessCheck,
  newAdmissionCache,
} from "../../../reference/ledger/admissionCache.ts";
import { applyBlock, type LedgerState } from "../../../reference/ledger/applyBlock.ts";
import { decodeBlock } from "../../../reference/ledger/block.ts";
import { HeaderJson, StateJson } from "../../../reference/ledger/ledgerJson.ts";
import { stateFromList } from "../../../reference/ledger/state.ts";
import { intrinsicGas, recoverSender, transactionShards } from "../../../reference/ledger/transaction.ts";
import { MAINNET, MINIMAL, type Preset } from "../../../reference/params/presets.ts";
import { decodeDirective } from "../../../reference/staking/directives.ts";
import { expectCasePerCode, expectSchemasConvert } from "../../testing/runnerChecks.ts";
import { resultCode } from "../../testing/specErrors.ts";
import { executeHandler } from "../execute.ts";
import type { CaseDef, Json } from "../types.ts";
import { runner } from "./ledger.ts";

const JSON_CODES = ["JSON_SCHEMA", "JSON_HEX_MALFORMED", "JSON_HEX_PREFIX", "JSON_DECIMAL_MALFORMED"];
const RLP_CODES = [
  "RLP_EMPTY_INPUT",
  "RLP_INPUT_TOO_SHORT",
  "RLP_TRAILING_BYTES",
  "RLP_LIST_PAYLOAD_MISMATCH",
  "RLP_LEADING_ZERO_LENGTH",
  "RLP_NON_CANONICAL_SHORT_LENGTH",
  "RLP_NON_CANONICAL_SINGLE_BYTE",
  "RLP_EXPECTED_LIST",
  "RLP_EXPECTED_BYTES",
  "RLP_SCALAR_LEADING_ZERO",
];

/**
 * The codes of chapter 5 each handler raises, plus the chapter 1 codes of its inputs and a sample of chapter 4's
 * (a block carries transactions; every chapter 4 code has its own vector in the `transaction` handler).
 */
const RAISES: Record<string, string[]> = {
  block: [
    ...JSON_CODES,
    ...RLP_CODES,
    "STATE_ADDRESS_LENGTH",
    "STATE_DUPLICATE_ADDRESS",
    "STATE_EMPTY_ACCOUNT",
    "ACCOUNT_FIELD_INVALID",
    "BLOCK_FIELD_COUNT",
    "HEADER_FIELD_COUNT",
    "HEADER_FIELD_INVALID",
    "HEADER_PARENT_HASH_MISMATCH",
    "HEADER_NUMBER_MISMATCH",
    "HEADER_SHARD_MISMATCH",
    "HEADER_EPOCH_MISMATCH",
    "HEADER_TIME_NOT_INCREASING",
    "HEADER_VIEW_ID_NOT_INCREASING",
    "HEADER_GAS_LIMIT_MISMATCH",
    "HEADER_GAS_USED_EXCEEDS_LIMIT",
    "BLOCK_INCOMING_TOO_MANY",
    "CX_ENTRY_MALFORMED",
    "BLOCK_TX_ROOT_MISMATCH",
    "BLOCK_INCOMING_ROOT_MISMATCH",
    "BLOCK_GAS_EXCEEDED",
    "BLOCK_GAS_USED_MISMATCH",
    "BLOCK_RECEIPT_ROOT_MISMATCH",
    "BLOCK_OUTGOING_ROOT_MISMATCH",
    "BLOCK_STATE_ROOT_MISMATCH",
    "ACCOUNT_NONCE_MISMATCH",
    "ACCOUNT_NONCE_OVERFLOW",
    "ACCOUNT_INSUFFICIENT_BALANCE",
    "ACCOUNT_BALANCE_OVERFLOW",
    "TX_FIELD_COUNT",
    "TX_WRONG_SHARD",
    "TX_INTRINSIC_GAS",
    "STAKE_VALUE_NOT_ZERO",
    "STAKE_NOT_BEACON",
    "STAKE_MIN_SELF_DELEGATION",
  ],
  genesis: [
    "GENESIS_SHARD_INVALID",
    "STATE_DUPLICATE_ADDRESS",
    "STATE_EMPTY_ACCOUNT",
    "STATE_ADDRESS_LENGTH",
    "ACCOUNT_FIELD_INVALID",
    "JSON_DECIMAL_MALFORMED",
    "JSON_HEX_MALFORMED",
    "JSON_HEX_PREFIX",
    "JSON_SCHEMA",
  ],
};

const mine = (preset: Preset): CaseDef[] =>
  runner.cases(preset).filter((c) => c.handler === "block" || c.handler === "genesis");

function outcome(c: CaseDef, preset: Preset) {
  return executeHandler(runner, c.handler, c.input, preset, c.pre);
}

interface BlockPost {
  blocks: { stateRoot: string; receipts: { gasUsed: string }[]; outgoingReceipts: { amount: string }[] }[];
  accounts: { address: string; nonce: string; balance: string }[];
}

/**
 * An independent reading of the fee and transfer rules: from the pre balances and the blocks' transactions
 * (senders and shards by chapter 4's functions), each sender pays value + intrinsic gas · gasPrice, a same-shard
 * recipient receives the value, the collector (if any) the fee; nonces count the sender's transactions. A
 * transaction to the staking address credits nobody and bonds the amount its directive names.
 */
function modelBalances(c: CaseDef, preset: Preset): Map<string, { nonce: bigint; balance: bigint }> {
  const pre = c.pre as { accounts: { address: string; nonce: string; balance: string }[] };
  const model = new Map<string, { nonce: bigint; balance: bigint }>();
  for (const a of pre.accounts) model.set(a.address, { nonce: BigInt(a.nonce), balance: BigInt(a.balance) });
  const get = (k: string) => model.get(k) ?? { nonce: 0n, balance: 0n };
  for (const raw of (c.input as { blocks: string[] }).blocks) {
    const block = decodeBlock(bytesFromHex(raw), preset);
    if (!block.ok) throw block.error;
    for (const tx of block.value.transactions) {
      const sender = recoverSender(tx, preset);
      if (!sender.ok) throw sender.error;
      const from = bytesToHex(sender.value);
      const fee = intrinsicGas(tx) * tx.gasPrice;
      const s = get(from);
      model.set(from, { nonce: s.nonce + 1n, balance: s.balance - tx.value - fee });
      const shards = transactionShards(tx, preset);
      if (bytesToHex(tx.to!) === "0x00000000000000000000000000000000000000fc") {
        // A directive (chapter 8): CreateValidator and Delegate bond their amount out of the balance.
        const directive = decodeDirective(tx.data);
        if (!directive.ok) throw directive.error;
        const d = directive.value;
        const bonded = d.kind === "createValidator" || d.kind === "delegate" ? d.amount : 0n;
        model.set(from, { ...get(from), balance: get(from).balance - bonded });
      } else if (shards.from === shards.to) {
        const to = bytesToHex(tx.to!);
        model.set(to, { ...get(to), balance: get(to).balance + tx.value });
      }
      if (preset.feeCollector !== null) {
        const k = preset.feeCollector;
        model.set(k, { ...get(k), balance: get(k).balance + fee });
      }
    }
  }
  for (const [k, v] of model) if (v.nonce === 0n && v.balance === 0n) model.delete(k);
  return model;
}

describe("conformance runner: ledger (block, genesis)", () => {
  for (const preset of [MINIMAL, MAINNET]) {
    const cases = mine(preset);

    // @covers BLOCK-APPLY.3 HEADER-VALIDATE.1 STATE-APPLY-TX.2 GENESIS-BLOCK.1
    it(`${preset.name}: every case behaves as declared`, () => {
      for (const c of cases) {
        const result = outcome(c, preset);
        if (c.expectedError === undefined) {
          expect(result.ok, `${c.name}: ${result.ok ? "" : result.error.message}`).toBe(true);
          if (result.ok) runner.handlers[c.handler]!.output.parse(result.value);
        } else {
          expect(`${c.name}: ${resultCode(result)}`).toBe(`${c.name}: ${c.expectedError}`);
        }
      }
    });

    // @covers FEE-GAS.1 FEE-DESTINATION.1 STATE-TRANSFER.1 STATE-CROSS-SHARD.1 ACCOUNT-NONCE.1
    it(`${preset.name}: final accounts of every valid block case agree with a model of the fee rules`, () => {
      for (const c of cases.filter((x) => x.handler === "block" && x.expectedError === undefined)) {
        const result = outcome(c, preset);
        if (!result.ok) throw result.error;
        const post = result.value as unknown as BlockPost;
        const got = new Map(
          post.accounts.map((a) => [a.address, { nonce: BigInt(a.nonce), balance: BigInt(a.balance) }]),
        );
        expect(got, c.name).toEqual(modelBalances(c, preset));
      }
    });
  }

  it("has a valid case and one invalid case per code for the block and genesis handlers", () => {
    expectCasePerCode(mine(MINIMAL), RAISES);
    expectCasePerCode(mine(MAINNET), RAISES);
    expectSchemasConvert(runner);
    for (const c of mine(MINIMAL)) expect(c.tags.length, c.name).toBeGreaterThan(0);
  });

  // @covers GENESIS-ALLOCATION.1 GENESIS-BLOCK.1
  it("genesis: the preset cases are the heads the block cases start from", () => {
    const g = mine(MINIMAL).find((c) => c.name === "preset_shard_0")!;
    const result = outcome(g, MINIMAL);
    const empty = mine(MINIMAL).find((c) => c.name === "empty_block")!;
    expect(result.ok && (result.value as { header: Json }).header).toEqual(
      (empty.pre as { head: Json }).head,
    );
  });

  // @covers BLOCK-APPLY.3
  it("the admission cache passes the same block vectors as the pure check", () => {
    for (const c of mine(MINIMAL).filter((x) => x.handler === "block")) {
      const pre = c.pre as { head: unknown; accounts: unknown };
      let start: LedgerState;
      try {
        const head = parseWith(HeaderJson, pre.head);
        start = { head, accounts: unwrap(stateFromList(parseWith(StateJson, pre.accounts))) };
      } catch {
        continue; // a malformed pre never reaches the check
      }
      const head = start.head;
      let pure: LedgerState = start;
      let fast: LedgerState = pure;
      const cache = newAdmissionCache({
        preset: MINIMAL,
        shardId: head.shardId,
        blockGasLimit: MINIMAL.blockGasLimit,
      });
      for (const raw of (c.input as { blocks: string[] }).blocks) {
        let bytes: Uint8Array;
        try {
          bytes = bytesFromHex(raw);
        } catch {
          break;
        }
        const block = decodeBlock(bytes, MINIMAL);
        if (!block.ok) break;
        for (const tx of block.value.transactions) admitIntoCache(cache, tx);
        const a = applyBlock(pure, block.value, MINIMAL);
        const b = applyBlock(fast, block.value, MINIMAL, cachedStatelessCheck(cache));
        expect(resultCode(b), c.name).toBe(resultCode(a));
        if (!a.ok || !b.ok) break;
        expect(b.value, c.name).toEqual(a.value);
        pure = a.value.state;
        fast = b.value.state;
      }
    }
  });
});
