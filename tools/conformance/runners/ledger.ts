import { z } from "zod";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalBigInt,
  DecimalText,
  HexBytes,
  hexTextOfLength,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { type RlpItem, rlpDecodeOrThrow, rlpEncode, scalarToBytes } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { defaultAccount } from "../../../reference/ledger/account.ts";
import { applyBlock, type LedgerState } from "../../../reference/ledger/applyBlock.ts";
import { type Block, decodeBlock, encodeBlock } from "../../../reference/ledger/block.ts";
import { type Allocation, genesisLedger } from "../../../reference/ledger/genesis.ts";
import {
  checkHeaderFields,
  HEADER_FIELD_NAMES,
  headerHash,
  headerItem,
} from "../../../reference/ledger/header.ts";
import {
  AccountJsonOutput,
  CxReceiptJsonOutput,
  cxReceiptToJson,
  HeaderJson,
  HeaderJsonOutput,
  headerToJson,
  ReceiptJsonOutput,
  receiptToJson,
  StateJson,
  stateToJson,
} from "../../../reference/ledger/ledgerJson.ts";
import { cxReceiptRoot, incomingReceiptRoot, receiptRoot } from "../../../reference/ledger/receipt.ts";
import { stateFromList, stateRoot } from "../../../reference/ledger/state.ts";
import { encodeTransaction, type Transaction } from "../../../reference/ledger/transaction.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { encodeDirective } from "../../../reference/staking/directives.ts";
import { STAKING_ADDRESS } from "../../../reference/staking/transaction.ts";
import {
  addressOf,
  freshAddress,
  GAS_PRICE,
  type GenesisAccount,
  genesis,
  nextBlock,
  transfer,
  withHeader,
  withTransactions,
} from "../../testing/ledgerChains.ts";
import { createOf } from "../../testing/stakingFixtures.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { transactionCases, transactionHandlers } from "./ledger-transaction.ts";

/*
 * Conformance runner for chapter 5 (the shard ledger), merged with chapter 4's transaction handlers. `block`
 * applies a list of encoded blocks to a ledger given in `pre` (a head header and a state); `genesis` builds the
 * genesis block of a shard. Keys are the labelled genesis keys (GENESIS-KEYS.1); nothing is random.
 */

const hex = bytesToHex;
const dec = bigintToDecimal;

const Hash32Text = hexTextOfLength(32);

/** zod schema of the ledger before: the head header and the state. */
export const LedgerPre = z.object({ head: HeaderJson, accounts: StateJson }).strict();

/** Reads the `pre` ledger: the head's fields in their domains (HEADER-FIELDS.2), the state by STATE-FROM-LIST. */
export function ledgerFromPre(pre: z.output<typeof LedgerPre>, preset: Preset): LedgerState {
  checkHeaderFields(pre.head, preset);
  return { head: pre.head, accounts: unwrap(stateFromList(pre.accounts)) };
}

const BlockResult = z
  .object({
    hash: Hash32Text,
    stateRoot: Hash32Text,
    receiptRoot: Hash32Text,
    outgoingReceiptRoot: Hash32Text,
    gasUsed: DecimalText,
    receipts: z.array(ReceiptJsonOutput),
    outgoingReceipts: z.array(CxReceiptJsonOutput),
  })
  .strict();

const blockHandler: HandlerDef = {
  description:
    "BLOCK-DECODE and BLOCK-APPLY of each block in order, starting from the ledger in `pre` → per block its hash, " +
    "roots, gas used, receipts and outgoing cross-shard receipts, then the final head and state; or the code of " +
    "the first block that fails",
  pre: LedgerPre,
  input: z.object({ blocks: z.array(HexBytes) }).strict(),
  output: z
    .object({
      blocks: z.array(BlockResult),
      head: HeaderJsonOutput,
      stateRoot: Hash32Text,
      accounts: z.array(AccountJsonOutput),
    })
    .strict(),
  run(input: { blocks: Uint8Array[] }, preset: Preset, pre: z.output<typeof LedgerPre> | undefined): Json {
    let ledger = ledgerFromPre(pre!, preset);
    const blocks: Json[] = [];
    for (let i = 0; i < input.blocks.length; i++) {
      const block = unwrap(decodeBlock(input.blocks[i]!, preset));
      const applied = unwrap(applyBlock(ledger, block, preset));
      ledger = applied.state;
      blocks.push({
        hash: hex(headerHash(block.header)),
        stateRoot: hex(stateRoot(ledger.accounts)),
        receiptRoot: hex(receiptRoot(applied.receipts)),
        outgoingReceiptRoot: hex(cxReceiptRoot(applied.outgoingReceipts)),
        gasUsed: dec(block.header.gasUsed),
        receipts: applied.receipts.map(receiptToJson),
        outgoingReceipts: applied.outgoingReceipts.map(cxReceiptToJson),
      });
    }
    return {
      blocks,
      head: headerToJson(ledger.head),
      stateRoot: hex(stateRoot(ledger.accounts)),
      accounts: stateToJson(ledger.accounts),
    };
  },
};

const AllocationJson = z.array(z.object({ address: HexBytes, balance: DecimalBigInt }).strict());

const genesisHandler: HandlerDef = {
  description:
    "GENESIS-ALLOCATION and GENESIS-BLOCK of shard `shardId` from `allocation` (null: the preset's) → the genesis " +
    "header, its hash, the state root and the accounts",
  input: z.object({ shardId: JsonInt, allocation: AllocationJson.nullable() }).strict(),
  output: z
    .object({
      header: HeaderJsonOutput,
      hash: Hash32Text,
      stateRoot: Hash32Text,
      accounts: z.array(AccountJsonOutput),
    })
    .strict(),
  run(input: { shardId: number; allocation: Allocation[] | null }, preset: Preset): Json {
    const ledger = unwrap(genesisLedger(input.shardId, input.allocation, preset));
    return {
      header: headerToJson(ledger.head),
      hash: hex(headerHash(ledger.head)),
      stateRoot: hex(stateRoot(ledger.accounts)),
      accounts: stateToJson(ledger.accounts),
    };
  },
};

// ---------------------------------------------------------------------------------------------------------------
// Cases

const A: GenesisAccount = { shard: 0, index: 0 };
const B: GenesisAccount = { shard: 0, index: 1 };
const C: GenesisAccount = { shard: 0, index: 2 };
const D: GenesisAccount = { shard: 0, index: 3 };
const E: GenesisAccount = { shard: 1, index: 0 };
const F: GenesisAccount = { shard: 1, index: 1 };

const APPLY_TAGS = [
  "BLOCK-FORMAT.1",
  "BLOCK-APPLY.3",
  "BLOCK-TX-ROOT.1",
  "HEADER-FIELDS.2",
  "HEADER-RLP.1",
  "HEADER-HASH.1",
  "HEADER-VALIDATE.1",
  "STATE-MAP.1",
  "STATE-ROOT.2",
  "ACCOUNT-FIELDS.1",
  "ACCOUNT-RLP.1",
  "STATE-APPLY-TX.2",
  "ACCOUNT-NONCE.1",
  "ACCOUNT-BALANCE.1",
  "FEE-GAS.1",
  "FEE-DESTINATION.1",
  "RECEIPT-FORMAT.1",
  "RECEIPT-ROOT.1",
  "RECEIPT-CX-ROOT.1",
  "RECEIPT-INCOMING-ROOT.1",
];

/** The JSON `pre` of a ledger. */
function preOf(ledger: LedgerState): Json {
  return { head: headerToJson(ledger.head), accounts: stateToJson(ledger.accounts) };
}

/** A chain of blocks built from `ledger`, each with its list of transactions. */
function chain(ledger: LedgerState, blocks: readonly (readonly Transaction[])[], preset: Preset): Block[] {
  const out: Block[] = [];
  let at = ledger;
  for (const txs of blocks) {
    const built = nextBlock(at, txs, preset);
    out.push(built.block);
    at = built.state;
  }
  return out;
}

/** A ledger with the given accounts (nonce, balance) and a head on shard 0 whose state root matches. */
function customLedger(preset: Preset, entries: readonly [Uint8Array, bigint, bigint][]): LedgerState {
  const accounts = unwrap(
    stateFromList(
      entries.map(([address, nonce, balance]) => ({
        address,
        account: { ...defaultAccount(), nonce, balance },
      })),
    ),
  );
  return { head: { ...genesis(preset, 0).head, stateRoot: stateRoot(accounts) }, accounts };
}

/** The block's encoding with one header field replaced by a raw RLP byte string or list. */
function withRawHeaderField(
  block: Block,
  field: (typeof HEADER_FIELD_NAMES)[number],
  raw: Uint8Array | [],
): string {
  const items = headerItem(block.header) as (Uint8Array | [])[];
  items[HEADER_FIELD_NAMES.indexOf(field)] = raw;
  const txs = block.transactions.map((tx) => rlpDecodeOrThrow(encodeTransaction(tx)));
  return hex(rlpEncode([items, txs, []]));
}

function blockCases(preset: Preset): CaseDef[] {
  const g0 = genesis(preset, 0);
  const g1 = genesis(preset, 1);
  const pre0 = preOf(g0);
  const cases: CaseDef[] = [];
  const valid = (
    name: string,
    description: string,
    pre: Json,
    blocks: readonly Block[],
    tags: string[] = [],
  ) =>
    cases.push({
      handler: "block",
      name,
      description,
      tags: [...APPLY_TAGS, ...tags],
      pre,
      input: { blocks: blocks.map((b) => hex(encodeBlock(b))) },
    });
  const invalid = (
    name: string,
    description: string,
    expectedError: string,
    blocks: readonly string[],
    tags: readonly string[],
    pre: Json = pre0,
  ) =>
    cases.push({
      handler: "block",
      name,
      description,
      tags,
      pre,
      input: { blocks: [...blocks] },
      expectedError,
    });
  const enc = (b: Block) => hex(encodeBlock(b));

  // --- valid chains
  valid("empty_block", "one block without transactions on shard 0", pre0, chain(g0, [[]], preset));
  const to = (x: GenesisAccount) => addressOf(x);
  valid(
    "same_shard_transfers",
    "three blocks of same-shard transfers in both forms, with data, to labelled and fresh addresses",
    pre0,
    chain(
      g0,
      [
        [transfer(preset, A, 0n, to(B), 10n ** 18n), transfer(preset, B, 0n, to(C), 2n * 10n ** 18n)],
        [
          transfer(preset, A, 1n, freshAddress(1), 5n, { ethereum: true }),
          transfer(preset, C, 0n, to(A), 7n, { data: Uint8Array.of(0, 1, 0, 2), gasLimit: 30_000n }),
          transfer(preset, A, 2n, to(D), 0n),
        ],
        [transfer(preset, D, 0n, freshAddress(2), 1n, { gasPrice: 0n })],
      ],
      preset,
    ),
    ["STATE-TRANSFER.1"],
  );
  valid(
    "cross_shard_debits",
    "shard 0 sends to shard 1: senders are debited, outgoing receipts emitted, nothing credited on shard 0",
    pre0,
    chain(
      g0,
      [
        [
          transfer(preset, A, 0n, to(E), 3n * 10n ** 18n, { toShard: 1 }),
          transfer(preset, B, 0n, to(C), 1n),
          transfer(preset, B, 1n, freshAddress(3), 4n, { toShard: 1 }),
        ],
        [transfer(preset, A, 1n, to(F), 1n, { toShard: 1 })],
      ],
      preset,
    ),
    ["STATE-CROSS-SHARD.1", "RECEIPT-CX-FORMAT.1"],
  );
  valid(
    "shard_1_chain",
    "a chain on shard 1 with a cross-shard transfer to shard 0",
    preOf(g1),
    chain(
      g1,
      [[transfer(preset, E, 0n, to(F), 1n)], [transfer(preset, F, 0n, to(A), 2n, { toShard: 0 })]],
      preset,
    ),
    ["STATE-CROSS-SHARD.1", "RECEIPT-CX-FORMAT.1"],
  );
  valid(
    "self_transfer",
    "a transfer to its own sender costs the fee alone; a zero-value transfer creates no account",
    pre0,
    chain(g0, [[transfer(preset, A, 0n, to(A), 9n), transfer(preset, A, 1n, freshAddress(4), 0n)]], preset),
    ["STATE-TRANSFER.1"],
  );
  const exact = customLedger(preset, [[to(A), 0n, 5n + 21_000n * GAS_PRICE]]);
  valid(
    "spend_everything",
    "the sender has exactly value + gasLimit · gasPrice and ends empty, so it leaves the state",
    preOf(exact),
    chain(exact, [[transfer(preset, A, 0n, to(B), 5n)]], preset),
  );
  const lastOfEpoch: LedgerState = {
    ...g0,
    head: { ...g0.head, number: BigInt(preset.blocksPerEpoch) - 1n, time: 1000n, viewId: 5000n },
  };
  valid(
    "epoch_boundary",
    "the head is the last block of epoch 0; the next block is number blocksPerEpoch in epoch 1",
    preOf(lastOfEpoch),
    chain(lastOfEpoch, [[transfer(preset, A, 0n, to(B), 1n)]], preset),
  );
  const whole = transfer(preset, A, 0n, to(B), 1n, { gasLimit: preset.blockGasLimit });
  valid(
    "whole_block_gas",
    "one transaction asking for the whole block gas limit",
    pre0,
    chain(g0, [[whole]], preset),
  );

  // --- staking directives (chapter 8) carried by transactions to STAKING_ADDRESS
  const stake = (
    from: GenesisAccount,
    options: { value?: bigint; toShard?: number; minSelf?: bigint } = {},
  ) =>
    transfer(preset, from, 0n, STAKING_ADDRESS, options.value ?? 0n, {
      data: encodeDirective(
        createOf(7, preset.minSelfDelegation * 2n, 1, {
          minSelfDelegation: options.minSelf ?? preset.minSelfDelegation,
          maxTotalDelegation: preset.minSelfDelegation * 10n,
        }),
      ),
      gasLimit: 300_000n,
      ...(options.toShard === undefined ? {} : { toShard: options.toShard }),
    });
  const STAKE_TAGS = ["STAKE-TRANSACTION.1", "STATE-APPLY-TX.2", "STAKE-CREATE.1"];
  valid(
    "staking_directive",
    "a beacon-chain transaction to the staking address creates a validator bonding twice the minimum self-delegation",
    pre0,
    chain(g0, [[stake(A)]], preset),
    STAKE_TAGS,
  );
  const [emptyOn0] = chain(g0, [[]], preset) as [Block];
  const [emptyOn1] = chain(g1, [[]], preset) as [Block];
  invalid(
    "staking_value",
    "a directive transaction carrying 1 atto",
    "STAKE_VALUE_NOT_ZERO",
    [enc(withTransactions(emptyOn0, [stake(A, { value: 1n })]))],
    STAKE_TAGS,
  );
  invalid(
    "staking_cross_shard",
    "a directive sent from shard 0 to shard 1",
    "STAKE_NOT_BEACON",
    [enc(withTransactions(emptyOn0, [stake(A, { toShard: 1 })]))],
    STAKE_TAGS,
  );
  invalid(
    "staking_off_beacon",
    "a directive on shard 1",
    "STAKE_NOT_BEACON",
    [enc(withTransactions(emptyOn1, [stake(E)]))],
    STAKE_TAGS,
    preOf(g1),
  );
  invalid(
    "staking_directive_fails",
    "a CreateValidator whose minimum self-delegation is below the preset's: the block is invalid",
    "STAKE_MIN_SELF_DELEGATION",
    [enc(withTransactions(emptyOn0, [stake(A, { minSelf: preset.minSelfDelegation - 1n })]))],
    STAKE_TAGS,
  );

  // --- the ledger in pre
  const accountsJson = pre0 as { head: Json; accounts: Json[] };
  const acct0 = accountsJson.accounts[0] as { [k: string]: Json };
  const oneBlock = enc(chain(g0, [[]], preset)[0]!);
  const withAccounts = (accounts: Json[]): Json => ({ head: accountsJson.head, accounts });
  invalid(
    "pre_duplicate_address",
    "the state lists an address twice",
    "STATE_DUPLICATE_ADDRESS",
    [oneBlock],
    ["STATE-MAP.1"],
    withAccounts([...accountsJson.accounts, acct0]),
  );
  invalid(
    "pre_empty_account",
    "the state lists an empty account",
    "STATE_EMPTY_ACCOUNT",
    [oneBlock],
    ["STATE-MAP.1"],
    withAccounts([...accountsJson.accounts, { ...acct0, address: hex(freshAddress(9)), balance: "0" }]),
  );
  invalid(
    "pre_address_length",
    "an address of 19 bytes",
    "STATE_ADDRESS_LENGTH",
    [oneBlock],
    ["STATE-MAP.1"],
    withAccounts([{ ...acct0, address: (acct0.address as string).slice(0, 40) }]),
  );
  invalid(
    "pre_nonce_too_large",
    "an account nonce of 2^64",
    "ACCOUNT_FIELD_INVALID",
    [oneBlock],
    ["ACCOUNT-FIELDS.1", "STATE-MAP.1"],
    withAccounts([{ ...acct0, nonce: dec(1n << 64n) }]),
  );
  invalid(
    "pre_balance_malformed",
    "a balance with a leading zero",
    "JSON_DECIMAL_MALFORMED",
    [oneBlock],
    ["JSON-BIGINT.1"],
    withAccounts([{ ...acct0, balance: "01" }]),
  );
  invalid(
    "pre_head_field",
    "the head header's parentHash has 31 bytes",
    "HEADER_FIELD_INVALID",
    [oneBlock],
    ["HEADER-FIELDS.2"],
    {
      head: { ...(accountsJson.head as { [k: string]: Json }), parentHash: hex(new Uint8Array(31)) },
      accounts: accountsJson.accounts,
    },
  );
  invalid("pre_missing_accounts", "pre has no accounts field", "JSON_SCHEMA", [oneBlock], ["JSON-DECODE.1"], {
    head: accountsJson.head,
  });

  // --- encodings
  const good = chain(g0, [[transfer(preset, A, 0n, to(B), 1n)]], preset)[0]!;
  const goodHex = enc(good);
  const rlp: [string, string, string][] = [
    ["RLP_EMPTY_INPUT", "empty", "0x"],
    ["RLP_INPUT_TOO_SHORT", "a list header announcing one byte that is missing", "0xc1"],
    ["RLP_TRAILING_BYTES", "a valid block followed by one byte", `${goodHex}00`],
    ["RLP_LIST_PAYLOAD_MISMATCH", "an element running past its list's payload", "0xc2830102"],
    ["RLP_LEADING_ZERO_LENGTH", "a long-form length starting with a zero byte", "0xb800"],
    ["RLP_NON_CANONICAL_SHORT_LENGTH", "a long-form header for a one-byte payload", "0xb80101"],
    ["RLP_NON_CANONICAL_SINGLE_BYTE", "a single low byte with a string header", "0x8100"],
    ["RLP_EXPECTED_LIST", "a byte string instead of a block", "0x80"],
  ];
  for (const [code, description, bytes] of rlp) {
    invalid(
      `rlp_${code.slice(4).toLowerCase()}`,
      description,
      code,
      [bytes],
      ["RLP-DECODE.1", "BLOCK-FORMAT.1"],
    );
  }
  invalid(
    "block_hex_malformed",
    "upper-case hex digits",
    "JSON_HEX_MALFORMED",
    [goodHex.toUpperCase().replace("0X", "0x")],
    ["JSON-BYTES.1"],
  );
  invalid("block_hex_prefix", "no 0x prefix", "JSON_HEX_PREFIX", [goodHex.slice(2)], ["JSON-BYTES.1"]);
  invalid(
    "block_field_count",
    "a block of two elements",
    "BLOCK_FIELD_COUNT",
    [hex(rlpEncode([headerItem(good.header), []]))],
    ["BLOCK-FORMAT.1"],
  );
  invalid(
    "header_field_count",
    "a header of 24 fields (mainnet's v3 count)",
    "HEADER_FIELD_COUNT",
    [hex(rlpEncode([[...headerItem(good.header), new Uint8Array(0), new Uint8Array(0)], [], []]))],
    ["HEADER-RLP.1"],
  );
  invalid(
    "header_field_is_list",
    "the header's extra field is a list",
    "RLP_EXPECTED_BYTES",
    [withRawHeaderField(good, "extra", [])],
    ["HEADER-RLP.1"],
  );
  invalid(
    "header_scalar_leading_zero",
    "the header's number is written 0x0001",
    "RLP_SCALAR_LEADING_ZERO",
    [withRawHeaderField(good, "number", Uint8Array.of(0, 1))],
    ["HEADER-RLP.1", "RLP-SCALAR.1"],
  );
  invalid(
    "header_extra_too_long",
    "extra of 33 bytes",
    "HEADER_FIELD_INVALID",
    [enc(withHeader(good, { extra: new Uint8Array(33) }))],
    ["HEADER-FIELDS.2"],
  );
  invalid(
    "header_vrf_length",
    "a vrf field of 8297 bytes, one beyond the longest commitment",
    "HEADER_FIELD_INVALID",
    [enc(withHeader(good, { vrf: new Uint8Array(8297) }))],
    ["HEADER-FIELDS.2"],
  );
  invalid(
    "transaction_field_count",
    "a transaction item of one field",
    "TX_FIELD_COUNT",
    [hex(rlpEncode([headerItem(good.header), [[scalarToBytes(1n)]], []]))],
    ["BLOCK-FORMAT.1", "TX-DECODE.1"],
  );

  // --- header against the head (each after a valid first block where it helps)
  const [b1, b2] = chain(
    g0,
    [[transfer(preset, A, 0n, to(B), 1n)], [transfer(preset, A, 1n, to(B), 1n)]],
    preset,
  ) as [Block, Block];
  const second = (name: string, description: string, code: string, bad: Block) =>
    invalid(
      name,
      `${description} (in the second block; the first is valid)`,
      code,
      [enc(b1), enc(bad)],
      ["HEADER-VALIDATE.1", "BLOCK-APPLY.3"],
    );
  second(
    "parent_hash",
    "parentHash is not the head's hash",
    "HEADER_PARENT_HASH_MISMATCH",
    withHeader(b2, { parentHash: b1.header.parentHash }),
  );
  second("number_skips", "number skips a height", "HEADER_NUMBER_MISMATCH", withHeader(b2, { number: 3n }));
  second(
    "wrong_shard",
    "shardId 1 on shard 0's chain",
    "HEADER_SHARD_MISMATCH",
    withHeader(b2, { shardId: 1 }),
  );
  second("wrong_epoch", "epoch 1 at height 2", "HEADER_EPOCH_MISMATCH", withHeader(b2, { epoch: 1n }));
  second(
    "time_not_later",
    "the same time as the head",
    "HEADER_TIME_NOT_INCREASING",
    withHeader(b2, { time: b1.header.time }),
  );
  second(
    "view_not_later",
    "the same view id as the head",
    "HEADER_VIEW_ID_NOT_INCREASING",
    withHeader(b2, { viewId: b1.header.viewId }),
  );
  second(
    "gas_limit",
    "a gas limit one above the preset's",
    "HEADER_GAS_LIMIT_MISMATCH",
    withHeader(b2, { gasLimit: preset.blockGasLimit + 1n }),
  );
  second(
    "gas_used_above_limit",
    "gas used above the gas limit",
    "HEADER_GAS_USED_EXCEEDS_LIMIT",
    withHeader(b2, { gasUsed: preset.blockGasLimit + 1n }),
  );

  // --- body and results
  const zero = new Uint8Array(32);
  const body = (name: string, description: string, code: string, bad: Block | string, tags: string[]) =>
    invalid(name, description, code, [typeof bad === "string" ? bad : enc(bad)], ["BLOCK-APPLY.3", ...tags]);
  const junkEntries: RlpItem[] = new Array(preset.maxIncomingEntriesPerBlock + 1).fill([Uint8Array.of(1)]);
  body(
    "incoming_too_many",
    "one incoming entry more than the preset allows, before the roots are checked",
    "BLOCK_INCOMING_TOO_MANY",
    { ...good, incomingReceipts: junkEntries },
    [],
  );
  const malformedEntry: RlpItem[] = [[Uint8Array.of(1)]];
  body(
    "incoming_entry_malformed",
    "an incoming entry of kind 1 without its header and proof, committed by the incoming root",
    "CX_ENTRY_MALFORMED",
    withHeader(
      { ...good, incomingReceipts: malformedEntry },
      { incomingReceiptRoot: incomingReceiptRoot(malformedEntry) },
    ),
    ["CX-ENTRY-FORMAT.2", "CX-ENTRIES.2"],
  );
  body("tx_root", "txRoot of zeros", "BLOCK_TX_ROOT_MISMATCH", withHeader(good, { txRoot: zero }), [
    "BLOCK-TX-ROOT.1",
  ]);
  body(
    "incoming_root",
    "incomingReceiptRoot of zeros",
    "BLOCK_INCOMING_ROOT_MISMATCH",
    withHeader(good, { incomingReceiptRoot: zero }),
    ["RECEIPT-INCOMING-ROOT.1"],
  );
  body(
    "gas_used",
    "gasUsed one below the transactions' gas",
    "BLOCK_GAS_USED_MISMATCH",
    withHeader(good, { gasUsed: good.header.gasUsed - 1n }),
    [],
  );
  body(
    "receipt_root",
    "receiptRoot of zeros",
    "BLOCK_RECEIPT_ROOT_MISMATCH",
    withHeader(good, { receiptRoot: zero }),
    ["RECEIPT-ROOT.1"],
  );
  body(
    "outgoing_root",
    "outgoingReceiptRoot of zeros",
    "BLOCK_OUTGOING_ROOT_MISMATCH",
    withHeader(good, { outgoingReceiptRoot: zero }),
    ["RECEIPT-CX-ROOT.1"],
  );
  body(
    "state_root",
    "stateRoot of zeros",
    "BLOCK_STATE_ROOT_MISMATCH",
    withHeader(good, { stateRoot: zero }),
    ["STATE-ROOT.2"],
  );
  const first = transfer(preset, A, 0n, to(B), 1n);
  body(
    "gas_exceeded",
    "after a transfer, a transaction asks for the whole block gas limit",
    "BLOCK_GAS_EXCEEDED",
    withTransactions(good, [first, transfer(preset, B, 0n, to(A), 1n, { gasLimit: preset.blockGasLimit })]),
    ["FEE-GAS.1"],
  );

  // --- transactions against the state (the header's txRoot matches; the rule fails before the other roots)
  body(
    "nonce_replayed",
    "the same transaction twice",
    "ACCOUNT_NONCE_MISMATCH",
    withTransactions(good, [first, first]),
    ["ACCOUNT-NONCE.1", "STATE-APPLY-TX.2"],
  );
  body(
    "nonce_ahead",
    "a nonce one ahead of the account's",
    "ACCOUNT_NONCE_MISMATCH",
    withTransactions(good, [transfer(preset, A, 1n, to(B), 1n)]),
    ["ACCOUNT-NONCE.1"],
  );
  const max = (1n << 64n) - 1n;
  const old = customLedger(preset, [[to(A), max, 10n ** 24n]]);
  const oldBlock = chain(old, [[]], preset)[0]!;
  invalid(
    "nonce_overflow",
    "the sender's nonce is 2^64 − 1",
    "ACCOUNT_NONCE_OVERFLOW",
    [enc(withTransactions(oldBlock, [transfer(preset, A, max, to(B), 1n)]))],
    ["ACCOUNT-NONCE.1", "STATE-APPLY-TX.2"],
    preOf(old),
  );
  invalid(
    "insufficient_balance",
    "value + gasLimit · gasPrice exceeds the balance by one",
    "ACCOUNT_INSUFFICIENT_BALANCE",
    [enc(withTransactions(chain(exact, [[]], preset)[0]!, [transfer(preset, A, 0n, to(B), 6n)]))],
    ["ACCOUNT-BALANCE.1", "STATE-APPLY-TX.2"],
    preOf(exact),
  );
  // gasPrice = ⌊2^256 / 21000⌋ + 1 < 2^256, so 21000 · gasPrice exceeds 2^256 − 1 and every balance; a client
  // that wraps the product modulo 2^256 sees a cost below 21000 and would accept the block.
  const hugePrice = (1n << 256n) / 21000n + 1n;
  body(
    "upfront_cost_above_2_256",
    "gasPrice ⌊2^256/21000⌋ + 1, gasLimit 21000, value 0: the up-front cost exceeds 2^256 − 1",
    "ACCOUNT_INSUFFICIENT_BALANCE",
    withTransactions(good, [transfer(preset, A, 0n, to(B), 0n, { gasPrice: hugePrice })]),
    ["ACCOUNT-BALANCE.1", "STATE-APPLY-TX.2"],
  );
  const full = customLedger(preset, [
    [to(A), 0n, 10n ** 24n],
    [to(B), 0n, (1n << 256n) - 1n],
  ]);
  invalid(
    "balance_overflow",
    "the recipient's balance would exceed 2^256 − 1",
    "ACCOUNT_BALANCE_OVERFLOW",
    [enc(withTransactions(chain(full, [[]], preset)[0]!, [transfer(preset, A, 0n, to(B), 1n)]))],
    ["ACCOUNT-BALANCE.1", "STATE-APPLY-TX.2"],
    preOf(full),
  );
  body(
    "tx_wrong_shard",
    "a transaction of shard 1 in a block of shard 0",
    "TX_WRONG_SHARD",
    withTransactions(good, [transfer(preset, E, 0n, to(A), 1n)]),
    ["TX-ADMIT.1"],
  );
  body(
    "tx_intrinsic_gas",
    "a transaction with data and a gas limit of 21000",
    "TX_INTRINSIC_GAS",
    withTransactions(good, [transfer(preset, A, 0n, to(B), 1n, { data: Uint8Array.of(1) })]),
    ["TX-ADMIT.1"],
  );
  return cases;
}

function genesisCases(): CaseDef[] {
  const tags = ["GENESIS-KEYS.1", "GENESIS-ALLOCATION.1", "GENESIS-BLOCK.1", "STATE-ROOT.2", "HEADER-HASH.1"];
  const a = hex(addressOf(A));
  const b = hex(addressOf(B));
  const mk = (name: string, description: string, input: Json, expectedError?: string): CaseDef => ({
    handler: "genesis",
    name,
    description,
    tags,
    input,
    ...(expectedError === undefined ? {} : { expectedError }),
  });
  return [
    mk("preset_shard_0", "the preset's allocation on shard 0", { shardId: 0, allocation: null }),
    mk("preset_shard_1", "the preset's allocation on shard 1", { shardId: 1, allocation: null }),
    mk("given_allocation", "two accounts given in the input, out of address order", {
      shardId: 0,
      allocation: [
        { address: b, balance: "5" },
        { address: a, balance: dec(1n << 255n) },
      ],
    }),
    mk("empty_allocation", "no accounts: the empty state root", { shardId: 1, allocation: [] }),
    mk(
      "shard_out_of_range",
      "shard 2 of a two-shard preset",
      { shardId: 2, allocation: null },
      "GENESIS_SHARD_INVALID",
    ),
    mk(
      "duplicate_address",
      "an address listed twice",
      {
        shardId: 0,
        allocation: [
          { address: a, balance: "1" },
          { address: a, balance: "2" },
        ],
      },
      "STATE_DUPLICATE_ADDRESS",
    ),
    mk(
      "zero_balance",
      "a zero balance (an empty account)",
      { shardId: 0, allocation: [{ address: a, balance: "0" }] },
      "STATE_EMPTY_ACCOUNT",
    ),
    mk(
      "address_length",
      "an address of 21 bytes",
      { shardId: 0, allocation: [{ address: `${a}00`, balance: "1" }] },
      "STATE_ADDRESS_LENGTH",
    ),
    mk(
      "balance_too_large",
      "a balance of 2^256",
      { shardId: 0, allocation: [{ address: a, balance: dec(1n << 256n) }] },
      "ACCOUNT_FIELD_INVALID",
    ),
    mk(
      "balance_malformed",
      "a balance with a sign",
      { shardId: 0, allocation: [{ address: a, balance: "+1" }] },
      "JSON_DECIMAL_MALFORMED",
    ),
    mk(
      "address_malformed",
      "an address with an odd number of digits",
      { shardId: 0, allocation: [{ address: "0x123", balance: "1" }] },
      "JSON_HEX_MALFORMED",
    ),
    mk(
      "address_prefix",
      "an address without 0x",
      { shardId: 0, allocation: [{ address: a.slice(2), balance: "1" }] },
      "JSON_HEX_PREFIX",
    ),
    mk("missing_allocation", "no allocation field", { shardId: 0 }, "JSON_SCHEMA"),
  ];
}

export const runner: RunnerDef = {
  name: "ledger",
  description:
    "chapter 4 (transactions: decoding, admission, signing) and chapter 5 (the shard ledger: block application, genesis)",
  handlers: { ...transactionHandlers, block: blockHandler, genesis: genesisHandler },
  cases: (preset) => [...transactionCases(preset), ...blockCases(preset), ...genesisCases()],
};
