import { z } from "zod";
import { commitPayload } from "../../../reference/consensus/payloads.ts";
import {
  type CrossLink,
  CrossLinkJson,
  CrossLinkJsonOutput,
  crossLinkToJson,
  decodeCrossLinks,
  encodeCrossLinks,
  verifyCrossLink,
} from "../../../reference/crossshard/crosslink.ts";
import {
  CrossShardJson,
  CrossShardJsonOutput,
  type CrossShardState,
  crossShardFromJson,
  crossShardToJson,
  EMPTY_CROSS_SHARD_STATE,
} from "../../../reference/crossshard/crossShardState.ts";
import {
  applyIncomingEntries,
  type IncomingEntry,
  incomingEntryItem,
} from "../../../reference/crossshard/incoming.ts";
import {
  type CxReceiptProof,
  decodeCxReceiptProof,
  encodeCxReceiptProof,
  proveCxReceipt,
  verifyCxInclusion,
} from "../../../reference/crossshard/receiptProof.ts";
import { decodeBitmap } from "../../../reference/crypto/bitmap.ts";
import {
  bigintToDecimal,
  bytesToHex,
  DecimalText,
  HexBytes,
  JsonInt,
} from "../../../reference/encoding/json.ts";
import { expectRlpList, type RlpItem, rlpDecodeOrThrow, rlpEncode } from "../../../reference/encoding/rlp.ts";
import { attempt, unwrap } from "../../../reference/errors.ts";
import { crossShardOf } from "../../../reference/ledger/applyBlock.ts";
import { type BlockHeader, headerHash } from "../../../reference/ledger/header.ts";
import {
  AccountJsonOutput,
  CxReceiptJsonOutput,
  cxReceiptToJson,
  HeaderJson,
  headerToJson,
  StateJson as LedgerStateJson,
  stateToJson as ledgerStateToJson,
} from "../../../reference/ledger/ledgerJson.ts";
import { type CxShardRoot, cxReceiptRoot, encodeCxReceipt } from "../../../reference/ledger/receipt.ts";
import { type AccountState, stateFromList } from "../../../reference/ledger/state.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { currentShardState } from "../../../reference/sharding/beacon.ts";
import { shardCommittee } from "../../../reference/sharding/committees.ts";
import { epochZeroChain } from "../../testing/beaconChains.ts";
import { certificateBy } from "../../testing/consensusSigners.ts";
import { committeeSigners, genesisQuorum, linkedBlocks, sampleReceipt } from "../../testing/crossLinks.ts";
import {
  atomicStage,
  beaconEntry,
  type FinalBeaconBlock,
  finalBeaconBlocks,
  outgoingOf,
  receiptEntry,
} from "../../testing/crossShardFlows.ts";
import { freshAddress, genesis, transfer } from "../../testing/ledgerChains.ts";
import type { CaseDef, HandlerDef, Json, RunnerDef } from "../types.ts";
import { bls, Uint64Json } from "./consensus-json.ts";
import { StateJson, type StateValue, stateFrom, stateToJson } from "./sharding.ts";

/*
 * The cross-shard runner (chapter 12): the `crossLinks` header field and the check of a crosslink against the
 * committee of its shard and epoch. Their inclusion in beacon blocks is in the sharding runner's beacon_blocks.
 */

const decodeHandler: HandlerDef = {
  description: "XLINK-LIST-DECODE of a header's `crossLinks` field → the crosslinks, in order",
  input: z.strictObject({ field: HexBytes }),
  output: z.strictObject({ crossLinks: z.array(CrossLinkJsonOutput) }),
  run(input: { field: Uint8Array }): Json {
    return { crossLinks: unwrap(decodeCrossLinks(input.field)).map(crossLinkToJson) };
  },
};

const verifyHandler: HandlerDef = {
  description:
    "XLINK-VERIFY of `crossLink` for a beacon block of epoch `epoch`, with the elected shard states `elected` " +
    "(none while the genesis committees serve) → the epoch of the state in force (null: genesis) and the signers",
  input: z.strictObject({ crossLink: CrossLinkJson, elected: z.array(StateJson), epoch: Uint64Json }),
  output: z.strictObject({ stateEpoch: DecimalText.nullable(), signers: z.array(JsonInt) }),
  run(input: { crossLink: CrossLink; elected: StateValue[]; epoch: bigint }, preset: Preset): Json {
    const elected = input.elected.map((state) => stateFrom(state, preset));
    const verified = unwrap(verifyCrossLink(input.crossLink, elected, input.epoch, preset, bls));
    const signers = unwrap(decodeBitmap(input.crossLink.bitmap, verified.committee.members.length));
    return { stateEpoch: verified.state === null ? null : bigintToDecimal(verified.state.epoch), signers };
  },
};

function crossShardCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  const formatTags = ["XLINK-FORMAT.1", "XLINK-OF-BLOCK.1"];
  const verifyTags = ["XLINK-VERIFY.1", "QC-VERIFY.1", "SHARD-EPOCH.1"];
  const linked = linkedBlocks(preset, 1, 2).map((b) => b.crossLink);
  const [x1, x2] = linked as [CrossLink, CrossLink];
  const hex = bytesToHex;
  const decode = (name: string, description: string, field: Uint8Array, code?: string, tags = formatTags) =>
    out.push({
      handler: "crosslinks_decode",
      name,
      description,
      tags,
      input: { field: hex(field) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  decode("none", "the empty field: no crosslinks", new Uint8Array(0));
  decode("two", "the crosslinks of shard 1's blocks 1 and 2", encodeCrossLinks([x1, x2]));
  decode("empty_list", "an encoded empty list", Uint8Array.of(0xc0), "XLINK_MALFORMED");
  decode(
    "byte_string",
    "a byte string where the list belongs",
    Uint8Array.of(0x81, 0x80),
    "RLP_EXPECTED_LIST",
  );
  decode("six_fields", "a crosslink without its epoch", withoutEpoch(x1), "XLINK_MALFORMED");
  const verify = (
    name: string,
    description: string,
    x: CrossLink,
    code?: string,
    elected: Json[] = [],
    epoch = 0n,
  ) =>
    out.push({
      handler: "crosslink_verify",
      name,
      description,
      tags: verifyTags,
      input: { crossLink: crossLinkToJson(x), elected, epoch: epoch.toString() },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  verify("genesis_committee", "block 1 of shard 1 finalized by a quorum of its genesis committee", x1);
  verify("beacon_shard", "a crosslink naming the beacon chain", { ...x1, shardId: 0 }, "XLINK_SHARD_INVALID");
  verify(
    "unknown_shard",
    "a crosslink of a shard the preset does not have",
    { ...x1, shardId: preset.numShards },
    "XLINK_SHARD_INVALID",
  );
  verify("genesis_block", "a crosslink of height 0", { ...x1, blockNum: 0n }, "XLINK_GENESIS");
  verify("epoch_mismatch", "block 1 claiming epoch 1", { ...x1, epoch: 1n }, "XLINK_EPOCH_MISMATCH");
  const late = BigInt(preset.blocksPerEpoch);
  verify(
    "epoch_future",
    "a block of epoch 1 for a beacon block of epoch 0",
    { ...x1, blockNum: late, epoch: 1n },
    "XLINK_EPOCH_FUTURE",
  );
  verify(
    "other_hash",
    "block 1's certificate with block 2's hash",
    { ...x1, blockHash: x2.blockHash },
    "QC_BAD_SIGNATURE",
  );
  const thin = linkedBlocks(preset, 1, 1, () =>
    genesisQuorum(preset, 1, Math.floor((2 * preset.slotsPerShard) / 3)),
  )[0]!.crossLink;
  verify(
    "short_quorum",
    "a certificate of exactly two thirds of the members",
    thin,
    "QC_INSUFFICIENT_QUORUM",
  );
  verify(
    "bitmap_length",
    "a bitmap one byte too long",
    { ...x1, bitmap: new Uint8Array(x1.bitmap.length + 1) },
    "BITMAP_LENGTH",
  );
  if (preset.blocksPerEpoch <= 8) {
    // Epoch 1's shard-1 committee, elected by the beacon chain at the end of epoch 0, finalizes block 8.
    const state = currentShardState(epochZeroChain(preset, preset.blocksPerEpoch).chains.at(-1)!)!;
    const elected = committeeSigners(unwrap(shardCommittee(state, 1, preset, bls)), preset);
    const first = BigInt(preset.blocksPerEpoch);
    const signedByElected = linkedBlocks(preset, 1, preset.blocksPerEpoch, (n) =>
      n < first ? genesisQuorum(preset, 1) : elected,
    );
    verify(
      "elected_committee",
      "block 8 of shard 1, epoch 1, finalized by every member of its elected committee",
      signedByElected.at(-1)!.crossLink,
      undefined,
      [stateToJson(state)],
      1n,
    );
    verify(
      "genesis_signers_in_elected_epoch",
      "block 8 of shard 1 signed by the genesis committee, whose epoch is over",
      linkedBlocks(preset, 1, preset.blocksPerEpoch).at(-1)!.crossLink,
      "QC_BAD_SIGNATURE",
      [stateToJson(state)],
      1n,
    );
  }
  return out;
}

/** The `crossLinks` field of one crosslink written without its last field, the epoch. */
function withoutEpoch(x: CrossLink): Uint8Array {
  const [fields] = expectRlpList(rlpDecodeOrThrow(encodeCrossLinks([x])), "crossLinks");
  return rlpEncode([expectRlpList(fields!, "crosslink").slice(0, -1)]);
}

const inclusionHandler: HandlerDef = {
  description:
    "CX-PROOF-FORMAT decoding of `proof`, then CX-INCLUSION against the source block's `header` for shard " +
    "`destination` → the receipt",
  input: z.strictObject({ header: HeaderJson, destination: JsonInt, proof: HexBytes }),
  output: z.strictObject({ receipt: CxReceiptJsonOutput }),
  run(input: { header: BlockHeader; destination: number; proof: Uint8Array }): Json {
    const proof = unwrap(decodeCxReceiptProof(input.proof));
    return { receipt: cxReceiptToJson(unwrap(verifyCxInclusion(proof, input.header, input.destination))) };
  },
};

/**
 * Receipt proofs of a shard-1 block whose receipts are bound for shards 0, 2, 0, 3 and 0 (the proof rule holds
 * for any shard number; a preset's shards bound only which blocks can exist).
 */
function inclusionCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  const outgoing = [1, 2, 3, 4, 5].map((n) => sampleReceipt(n, 1, [0, 2, 0, 3, 0][n - 1]!));
  const header = { ...genesis(preset, 1).head, outgoingReceiptRoot: cxReceiptRoot(outgoing) };
  const tags = ["CX-INCLUSION.1", "CX-PROOF-FORMAT.1", "RECEIPT-CX-ROOT.1", "TRIE-VERIFY.2"];
  const add = (
    name: string,
    description: string,
    proof: Uint8Array,
    destination: number,
    code?: string,
    at = header,
  ) =>
    out.push({
      handler: "receipt_inclusion",
      name,
      description,
      tags,
      input: { header: headerToJson(at), destination, proof: bytesToHex(proof) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  const proof = proveCxReceipt(outgoing, 0, 1);
  add(
    "third_receipt",
    "the second receipt bound for shard 0, the block's third",
    encodeCxReceiptProof(proof),
    0,
  );
  add(
    "only_for_shard_three",
    "the one receipt bound for shard 3",
    encodeCxReceiptProof(proveCxReceipt(outgoing, 3, 0)),
    3,
  );
  const [r0, r2, r3] = proof.roots as [CxShardRoot, CxShardRoot, CxShardRoot];
  const variant = (changes: Partial<CxReceiptProof>) => encodeCxReceiptProof({ ...proof, ...changes });
  add(
    "roots_unsorted",
    "the roots of shards 2, 0 and 3",
    variant({ roots: [r2, r0, r3] }),
    0,
    "CX_ROOTS_UNSORTED",
  );
  add("root_left_out", "shard 3's root left out", variant({ roots: [r0, r2] }), 0, "CX_ROOT_MISMATCH");
  add(
    "not_for_shard",
    "a proof for shard 5, which the block sends nothing",
    encodeCxReceiptProof(proof),
    5,
    "CX_NOT_FOR_SHARD",
  );
  add(
    "other_receipt",
    "the first receipt's bytes at the second's position",
    variant({ receipt: encodeCxReceipt(outgoing[0]!) }),
    0,
    "CX_RECEIPT_NOT_PROVEN",
  );
  add("nodes_missing", "no trie nodes", variant({ nodes: [] }), 0, "TRIE_PROOF_MISSING_NODE");
  add(
    "three_fields",
    "a proof without its nodes",
    rlpEncode(expectRlpList(rlpDecodeOrThrow(encodeCxReceiptProof(proof)), "proof").slice(0, 3)),
    0,
    "CX_PROOF_MALFORMED",
  );
  const stray = [sampleReceipt(6, 2, 0)];
  add(
    "wrong_source",
    "a block of shard 1 holding a receipt that names shard 2 as its source",
    encodeCxReceiptProof(proveCxReceipt(stray, 0, 0)),
    0,
    "CX_RECEIPT_WRONG_SHARDS",
    { ...header, outgoingReceiptRoot: cxReceiptRoot(stray) },
  );
  return out;
}

const IncomingPre = z.strictObject({
  shard: JsonInt,
  height: Uint64Json,
  accounts: LedgerStateJson,
  crossShard: CrossShardJson,
});

const incomingHandler: HandlerDef = {
  description:
    "CX-ENTRIES of each block's RLP-encoded incoming entries, the blocks at heights `height` + 1, + 2, … of shard " +
    "`shard`, on the accounts and cross-shard part in `pre` → per block the receipts credited and the receipts " +
    "sent, in order, then the accounts and the cross-shard part; or the code of the first block that fails",
  pre: IncomingPre,
  input: z.strictObject({ blocks: z.array(z.array(HexBytes)) }),
  output: z.strictObject({
    blocks: z.array(
      z.strictObject({ credited: z.array(CxReceiptJsonOutput), sent: z.array(CxReceiptJsonOutput) }),
    ),
    accounts: z.array(AccountJsonOutput),
    crossShard: CrossShardJsonOutput,
  }),
  run(
    input: { blocks: Uint8Array[][] },
    preset: Preset,
    pre: z.output<typeof IncomingPre> | undefined,
  ): Json {
    let accounts: AccountState = unwrap(stateFromList(pre!.accounts));
    let crossShard = crossShardFromJson(pre!.crossShard);
    const blocks: Json[] = [];
    input.blocks.forEach((entries, k) => {
      const items = entries.map((bytes) => rlpDecodeOrThrow(bytes));
      const height = pre!.height + BigInt(k + 1);
      const after = applyIncomingEntries(accounts, crossShard, items, pre!.shard, height, preset, bls);
      blocks.push({
        credited: after.incoming.map(cxReceiptToJson),
        sent: after.outgoing.map(cxReceiptToJson),
      });
      accounts = after.accounts;
      crossShard = after.crossShard;
    });
    return { blocks, accounts: ledgerStateToJson(accounts), crossShard: crossShardToJson(crossShard) };
  },
};

/**
 * Incoming entries (§12.5) on the minimal network's two shards: beacon block 1 sends a transfer to shard 1, and
 * shard 1's block 1 sends one to the beacon chain, which crosslinks it in its block 1 of a second history.
 */
function incomingCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  const tags = ["CX-ENTRIES.2", "CX-ENTRY-FORMAT.2", "CX-STATE.2"];
  const value = 7n * 10n ** 18n;
  const toShard1 = transfer(preset, { shard: 0, index: 0 }, 0n, freshAddress(1), value, { toShard: 1 });
  const beacon = finalBeaconBlocks(preset, 2, (n) => (n === 1n ? [toShard1] : []));
  const [b1, b2] = beacon as [FinalBeaconBlock, FinalBeaconBlock];
  const fromBeacon = receiptEntry(b1.block, outgoingOf(genesis(preset, 0), b1.block, preset), 1, 0);
  const toBeacon = transfer(preset, { shard: 1, index: 0 }, 0n, freshAddress(2), value, { toShard: 0 });
  const source = linkedBlocks(preset, 1, 1, undefined, () => [toBeacon])[0]!;
  const linking = finalBeaconBlocks(preset, 1, undefined, () => [source.crossLink])[0]!;
  const fromShard1 = receiptEntry(
    source.block.block,
    outgoingOf(genesis(preset, 1), source.block.block, preset),
    0,
    0,
  );
  const g1 = genesis(preset, 1);
  const afterB1 = unwrap(
    attempt(() =>
      applyIncomingEntries(
        g1.accounts,
        EMPTY_CROSS_SHARD_STATE,
        [incomingEntryItem(beaconEntry(b1))],
        1,
        1n,
        preset,
        bls,
      ),
    ),
  );
  const credited = applyIncomingEntries(
    g1.accounts,
    EMPTY_CROSS_SHARD_STATE,
    [beaconEntry(b1), fromBeacon].map(incomingEntryItem),
    1,
    1n,
    preset,
    bls,
  );
  const preOf = (shard: number, accounts: AccountState, crossShard: CrossShardState, height = 0n) => ({
    shard,
    height: height.toString(),
    accounts: ledgerStateToJson(accounts),
    crossShard: crossShardToJson(crossShard),
  });
  const atGenesis = preOf(1, g1.accounts, EMPTY_CROSS_SHARD_STATE);
  const entryHex = (e: IncomingEntry | RlpItem) =>
    bytesToHex(rlpEncode("kind" in e ? incomingEntryItem(e) : e));
  const add = (
    name: string,
    description: string,
    entries: readonly (IncomingEntry | RlpItem)[],
    extraTags: string[],
    code?: string,
    pre: Json = atGenesis,
  ) =>
    out.push({
      handler: "incoming_entries",
      name,
      description,
      tags: [...tags, ...extraTags],
      pre,
      input: { blocks: [entries.map(entryHex)] },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  const beaconTags = ["CX-BEACON-ENTRY.1", "QC-VERIFY.1"];
  const receiptTags = ["CX-RECEIPT-ENTRY.2", "CX-INCLUSION.1"];
  add(
    "beacon_then_receipt",
    "beacon block 1, then its transfer to shard 1: the recipient is credited and the receipt spent",
    [beaconEntry(b1), fromBeacon],
    [...beaconTags, ...receiptTags],
  );
  add("two_beacon_headers", "beacon blocks 1 and 2 in order", [beaconEntry(b1), beaconEntry(b2)], beaconTags);
  add(
    "beacon_crosslinks_final",
    "a beacon block carrying shard 1's crosslink makes that block final at shard 1",
    [beaconEntry(linking)],
    [...beaconTags, "XLINK-INCLUDE.2"],
  );
  add(
    "beacon_receives",
    "the beacon chain credits a shard-1 receipt against the crosslink its block 1 included",
    [fromShard1],
    [...receiptTags, "XLINK-INCLUDE.2"],
    undefined,
    preOf(0, linking.chain.accounts, crossShardOf(linking.chain)),
  );
  add(
    "beacon_on_beacon",
    "a beacon entry in a beacon block",
    [beaconEntry(b1)],
    beaconTags,
    "CX_BEACON_ON_BEACON",
    preOf(0, genesis(preset, 0).accounts, EMPTY_CROSS_SHARD_STATE),
  );
  add(
    "not_beacon",
    "shard 1's header in a beacon entry",
    [{ ...beaconEntry(b1), header: source.block.block.header }],
    beaconTags,
    "CX_BEACON_NOT_BEACON",
  );
  add("beacon_gap", "beacon block 2 before block 1", [beaconEntry(b2)], beaconTags, "CX_BEACON_GAP");
  const afterFirst = preOf(1, afterB1.accounts, afterB1.crossShard);
  add(
    "beacon_fork",
    "a block 2 whose parent is not the accepted block 1",
    [{ ...beaconEntry(b2), header: { ...b2.block.header, parentHash: new Uint8Array(32) } }],
    beaconTags,
    "CX_BEACON_PARENT_MISMATCH",
    afterFirst,
  );
  add(
    "beacon_epoch",
    "block 2 claiming epoch 1",
    [{ ...beaconEntry(b2), header: { ...b2.block.header, epoch: 1n } }],
    beaconTags,
    "CX_BEACON_EPOCH_MISMATCH",
    afterFirst,
  );
  add(
    "forged_certificate",
    "beacon block 1 with block 2's certificate",
    [{ ...beaconEntry(b1), certificate: b2.certificate }],
    beaconTags,
    "QC_BAD_SIGNATURE",
  );
  const { signers, committeeSize } = genesisQuorum(preset, 0, Math.floor((2 * preset.slotsPerShard) / 3));
  const h1 = b1.block.header;
  const short = certificateBy(signers, commitPayload(h1.number, headerHash(h1), h1.viewId), committeeSize);
  add(
    "short_certificate",
    "beacon block 1 signed by exactly two thirds of its committee",
    [{ ...beaconEntry(b1), certificate: short }],
    beaconTags,
    "QC_INSUFFICIENT_QUORUM",
  );
  add(
    "unknown_crosslink",
    "a receipt of a block the shard does not know to be final",
    [fromBeacon],
    receiptTags,
    "CX_SOURCE_UNKNOWN",
  );
  add(
    "source_mismatch",
    "a receipt whose header is not the final one at its height",
    [beaconEntry(b1), { ...fromBeacon, header: { ...h1, extra: Uint8Array.of(1) } }],
    receiptTags,
    "CX_SOURCE_MISMATCH",
  );
  add(
    "wrong_root",
    "a proof built from other receipts than the block's",
    [beaconEntry(b1), { ...fromBeacon, proof: proveCxReceipt([sampleReceipt(9, 0, 1)], 1, 0) }],
    receiptTags,
    "CX_ROOT_MISMATCH",
  );
  add(
    "already_spent",
    "the receipt credited before",
    [fromBeacon],
    receiptTags,
    "CX_RECEIPT_SPENT",
    preOf(1, credited.accounts, credited.crossShard),
  );
  add(
    "wrong_destination",
    "shard 1 taking its own block's receipt bound for the beacon chain",
    [beaconEntry(linking), fromShard1],
    receiptTags,
    "CX_NOT_FOR_SHARD",
  );
  add("malformed", "an entry of kind 4", [[Uint8Array.of(4)]], [], "CX_ENTRY_MALFORMED");
  out.push(...atomicCases(preset, tags, entryHex));
  return out;
}

/**
 * Atomic transfers (§12.6) decided by the beacon chain after its block 1, which crosslinks a shard-1 block holding
 * the locks of owners 0 and 1, owner 2's plain transfer and owner 3's stray lock; the deadline is beacon height 4.
 * Each case is a script of decider blocks at heights 2, 3, ….
 */
function atomicCases(
  preset: Preset,
  tags: readonly string[],
  entryHex: (e: IncomingEntry | RlpItem) => string,
): CaseDef[] {
  const out: CaseDef[] = [];
  const deadline = 4n;
  const stage = atomicStage(preset, deadline);
  const [lock0, lock1, stray] = stage.locks;
  const abort: IncomingEntry = { kind: "abort", transfer: stage.transfer };
  const decider = stage.decider;
  const pre = {
    shard: 0,
    height: decider.head.number.toString(),
    accounts: ledgerStateToJson(decider.accounts),
    crossShard: crossShardToJson(crossShardOf(decider)),
  };
  const wait = (blocks: number): IncomingEntry[][] => Array.from({ length: blocks }, () => []);
  const atomicTags = ["ATOMIC-LOCK-ENTRY.1", "ATOMIC-LOCK.1", "ATOMIC-FORMAT.1", "CX-RECEIPT-ENTRY.2"];
  const script = (
    name: string,
    description: string,
    blocks: readonly (readonly (IncomingEntry | RlpItem)[])[],
    extraTags: string[],
    code?: string,
  ) =>
    out.push({
      handler: "incoming_entries",
      name,
      description,
      tags: [...tags, ...atomicTags, ...extraTags],
      pre,
      input: { blocks: blocks.map((entries) => entries.map(entryHex)) },
      ...(code === undefined ? {} : { expectedError: code }),
    });
  script(
    "atomic_commit",
    "commit path: owner 0's lock at height 2, owner 1's at 3: the transfer commits, pays 5 ONE on the beacon chain " +
      "and sends 2 ONE to shard 1",
    [[lock0], [lock1]],
    [],
  );
  script(
    "atomic_abort",
    "abort path: owner 0's lock at height 2, an abort at height 5, after the deadline: owner 0's part goes back; " +
      "owner 1's lock at height 6 goes back on arrival",
    [[lock0], ...wait(2), [abort], [lock1]],
    ["ATOMIC-ABORT-ENTRY.1"],
  );
  script(
    "atomic_timeout",
    "timeout path: owner 0's lock at height 2, owner 1's at height 5, after the deadline: the transfer aborts and " +
      "both parts go back",
    [[lock0], ...wait(2), [lock1]],
    [],
  );
  script(
    "atomic_stray_lock",
    "owner 3's lock of an amount the transfer takes from no one goes back",
    [[stray]],
    [],
  );
  script(
    "atomic_lock_mismatch",
    "owner 0's receipt with owner 1's transaction",
    [[{ ...lock0, transaction: lock1.transaction }]],
    [],
    "CX_ATOMIC_LOCK_MISMATCH",
  );
  script(
    "atomic_not_lock",
    "owner 2's plain transfer brought as a lock",
    [[{ ...lock0, proof: stage.plain.proof }]],
    [],
    "CX_ATOMIC_NOT_LOCK",
  );
  script(
    "lock_as_plain_receipt",
    "owner 0's lock brought as a plain receipt entry",
    [[{ kind: "receipt", header: lock0.header, proof: lock0.proof }]],
    [],
    "CX_RECEIPT_IS_LOCK",
  );
  script(
    "abort_early",
    "an abort at height 2, before the deadline",
    [[abort]],
    ["ATOMIC-ABORT-ENTRY.1"],
    "CX_ATOMIC_NOT_EXPIRED",
  );
  script(
    "abort_committed",
    "an abort at height 5 of a transfer committed at height 2",
    [[lock0, lock1], ...wait(2), [abort]],
    ["ATOMIC-ABORT-ENTRY.1"],
    "CX_ATOMIC_DECIDED",
  );
  const elsewhere = {
    ...stage.transfer,
    decider: 1,
    inputs: stage.transfer.inputs.map((p) => ({ ...p, shard: 0 })),
  };
  script(
    "abort_wrong_decider",
    "an abort, at the beacon chain, of a transfer shard 1 decides",
    [...wait(3), [{ kind: "abort", transfer: elsewhere }]],
    ["ATOMIC-ABORT-ENTRY.1"],
    "CX_ATOMIC_WRONG_DECIDER",
  );
  const unbalanced = { ...stage.transfer, outputs: stage.transfer.outputs.slice(0, 1) };
  script(
    "abort_unbalanced",
    "an abort of a transfer whose outputs pay less than its inputs bring",
    [...wait(3), [{ kind: "abort", transfer: unbalanced }]],
    ["ATOMIC-ABORT-ENTRY.1"],
    "CX_ATOMIC_MALFORMED",
  );
  return out;
}

export const runner: RunnerDef = {
  name: "crossshard",
  description:
    "chapter 12: the crosslinks field of a header, the check of a crosslink, receipt proofs, and the incoming " +
    "entries of a destination shard",
  handlers: {
    crosslinks_decode: decodeHandler,
    crosslink_verify: verifyHandler,
    receipt_inclusion: inclusionHandler,
    incoming_entries: incomingHandler,
  },
  cases: (preset: Preset) => [
    ...crossShardCases(preset),
    ...inclusionCases(preset),
    ...incomingCases(preset),
  ],
};
