import fc from "fast-check";
import { bytesFromHex } from "../../reference/encoding/json.ts";
import { ok, type Result, unwrap } from "../../reference/errors.ts";
import type { Account } from "../../reference/ledger/account.ts";
import { type AppliedBlock, applyBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import type { Block } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { getAccount, setAccount } from "../../reference/ledger/state.ts";
import {
  type Address,
  checkTransactionStateless,
  intrinsicGas,
  type Transaction,
} from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { addressOf, freshAddress, genesis, transfer } from "../../tools/testing/ledgerChains.ts";

/*
 * Random valid histories of shard 0 for the ledger properties. A history is a list of blocks, each a list of
 * transfer intents; the driver turns an intent into a signed transaction that the current state can pay for
 * (right nonce, affordable value), builds the block with the reference builder and applies it with the rule
 * under test. Everything derives from the fast-check seed.
 */

/** Where a transfer goes. */
export type Target =
  | { readonly kind: "genesis"; readonly index: number }
  | { readonly kind: "fresh"; readonly n: number }
  | { readonly kind: "cross"; readonly n: number }
  /** The preset's fee collector (a fresh address when fees are burnt). */
  | { readonly kind: "collector" };

export interface Intent {
  /** The sending genesis account of shard 0. */
  readonly sender: number;
  readonly target: Target;
  /** The share of what the sender can afford to send, in thousandths. */
  readonly permille: number;
  readonly dataLength: number;
  readonly ethereum: boolean;
  readonly gasPrice: bigint;
  readonly extraGas: bigint;
}

export const intentArbitrary: fc.Arbitrary<Intent> = fc.record({
  sender: fc.integer({ min: 0, max: 3 }),
  target: fc.oneof(
    fc.record({ kind: fc.constant("genesis" as const), index: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant("fresh" as const), n: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant("cross" as const), n: fc.integer({ min: 0, max: 3 }) }),
    fc.record({ kind: fc.constant("collector" as const) }),
  ),
  permille: fc.integer({ min: 0, max: 1000 }),
  dataLength: fc.integer({ min: 0, max: 3 }),
  ethereum: fc.boolean(),
  gasPrice: fc.constantFrom(0n, 1n, 100_000_000_000n, 10n ** 18n),
  extraGas: fc.constantFrom(0n, 1n, 5000n),
});

/** Up to `maxBlocks` blocks of up to `maxTxs` intents each. */
export function historyArbitrary(maxBlocks: number, maxTxs: number): fc.Arbitrary<Intent[][]> {
  return fc.array(fc.array(intentArbitrary, { maxLength: maxTxs }), { minLength: 1, maxLength: maxBlocks });
}

function targetAddress(target: Target, preset: Preset): { to: Address; toShard: number } {
  if (target.kind === "collector") {
    const to = preset.feeCollector === null ? freshAddress(99) : bytesFromHex(preset.feeCollector);
    return { to, toShard: 0 };
  }
  if (target.kind === "genesis") return { to: addressOf({ shard: 0, index: target.index }), toShard: 0 };
  if (target.kind === "fresh") return { to: freshAddress(target.n), toShard: 0 };
  return { to: freshAddress(100 + target.n), toShard: 1 };
}

/**
 * The signed transactions of one block's intents against `ledger`: each sender's nonce continues from the
 * state and from its earlier transactions in the block; the value is the intent's share of what the sender
 * can still afford after its gas. An intent the sender cannot afford is left out.
 */
export function transactionsFor(
  ledger: LedgerState,
  intents: readonly Intent[],
  preset: Preset,
): Transaction[] {
  const nonce = new Map<number, bigint>();
  const spent = new Map<number, bigint>();
  const out: Transaction[] = [];
  for (const intent of intents) {
    const from = { shard: 0, index: intent.sender };
    const account = getAccount(ledger.accounts, addressOf(from));
    const n = nonce.get(intent.sender) ?? account.nonce;
    const available = account.balance - (spent.get(intent.sender) ?? 0n);
    const { to, toShard } = targetAddress(intent.target, preset);
    const data = new Uint8Array(intent.dataLength).map((_, i) => i % 2);
    const gasLimit = 21_000n + 16n * BigInt(intent.dataLength) + intent.extraGas;
    const gasCost = gasLimit * intent.gasPrice;
    if (available < gasCost) continue;
    const value = ((available - gasCost) * BigInt(intent.permille)) / 1000n;
    const ethereum = intent.ethereum && toShard === 0;
    const tx = transfer(preset, from, n, to, value, {
      toShard,
      data,
      gasLimit,
      gasPrice: intent.gasPrice,
      ethereum,
    });
    // The sender is charged the intrinsic gas only; it keeps what it did not use.
    nonce.set(intent.sender, n + 1n);
    spent.set(intent.sender, (spent.get(intent.sender) ?? 0n) + value + intrinsicGas(tx) * intent.gasPrice);
    out.push(tx);
  }
  return out;
}

/** A rule that applies a block to a ledger: the reference's applyBlock, or a deliberately broken variant. */
export type ApplyRule = (ledger: LedgerState, block: Block, preset: Preset) => Result<AppliedBlock>;

export const referenceRule: ApplyRule = (ledger, block, preset) => applyBlock(ledger, block, preset);

/**
 * A broken rule for checking that a property can fail: the reference's applyBlock, then, for each transaction of
 * the block in order, its sender's account replaced by `patch(current, before, tx)`, where `current` is the
 * sender's account after the block and the patches so far and `before` its account in the ledger before the
 * block.
 */
export function patchSenders(
  patch: (current: Account, before: Account, tx: Transaction) => Account,
): ApplyRule {
  return (ledger, block, preset) => {
    const result = applyBlock(ledger, block, preset);
    if (!result.ok) return result;
    const accounts = new Map(result.value.state.accounts);
    for (const tx of block.transactions) {
      const admitted = checkTransactionStateless(tx, preset, block.header.shardId, block.header.gasLimit);
      if (!admitted.ok) return admitted;
      const sender = admitted.value.sender;
      setAccount(
        accounts,
        sender,
        patch(getAccount(accounts, sender), getAccount(ledger.accounts, sender), tx),
      );
    }
    return ok({ ...result.value, state: { ...result.value.state, accounts } });
  };
}

/** One step of a history: the ledger before, the block, and what the rule returned. */
export interface Step {
  readonly before: LedgerState;
  readonly block: Block;
  readonly transactions: readonly Transaction[];
  readonly applied: AppliedBlock;
}

/**
 * Runs a history from the preset's genesis of shard 0: for each block, signs its intents against the current
 * ledger, builds the block with the reference builder, and applies it with `rule`. Throws if the rule rejects
 * a block the reference built (a valid history must be accepted).
 */
export function runHistory(
  history: readonly Intent[][],
  preset: Preset,
  rule: ApplyRule = referenceRule,
): Step[] {
  let ledger = genesis(preset, 0);
  const steps: Step[] = [];
  for (let i = 0; i < history.length; i++) {
    const txs = transactionsFor(ledger, history[i]!, preset);
    const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
    const built = unwrap(buildBlock(ledger, txs, fields, preset));
    const applied = unwrap(rule(ledger, built.block, preset));
    steps.push({ before: ledger, block: built.block, transactions: txs, applied });
    ledger = applied.state;
  }
  return steps;
}
