import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { epochZeroChain, nextBeaconBlock } from "../../tools/testing/beaconChains.ts";
import { certificateBy } from "../../tools/testing/consensusSigners.ts";
import { committeeSigners, genesisQuorum, linkedBlocks } from "../../tools/testing/crossLinks.ts";
import {
  beaconEntry,
  finalBeaconBlocks,
  genesisCommitCertificate,
  outgoingOf,
  receiptEntry,
} from "../../tools/testing/crossShardFlows.ts";
import {
  addressOf,
  freshAddress,
  GAS_PRICE,
  genesis,
  TRANSFER_GAS,
  transfer,
} from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import { oracleTrie } from "../../tools/testing/trieOracle.ts";
import { commitPayload } from "../consensus/payloads.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { attempt, unwrap } from "../errors.ts";
import { encodeAccount } from "../ledger/account.ts";
import { applyBlock, crossShardOf, type LedgerState } from "../ledger/applyBlock.ts";
import { buildBlock, plainProposerFields } from "../ledger/buildBlock.ts";
import { type BlockHeader, headerHash, headerItem } from "../ledger/header.ts";
import { encodeCxReceipt } from "../ledger/receipt.ts";
import { getAccount, stateRoot } from "../ledger/state.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { applyBeaconBlock, currentShardState } from "../sharding/beacon.ts";
import { shardCommittee } from "../sharding/committees.ts";
import {
  CrossShardJson,
  crossShardFromJson,
  crossShardToJson,
  EMPTY_CROSS_SHARD_STATE,
  finalKey,
  spentKey,
} from "./crossShardState.ts";
import {
  applyIncomingEntries,
  decodeIncomingEntry,
  type IncomingEntry,
  incomingEntryItem,
  selectIncomingEntries,
} from "./incoming.ts";
import { cxReceiptProofItem, proveCxReceipt } from "./receiptProof.ts";

const preset = MINIMAL;
const bls = blstBls;
const VALUE = 7n * 10n ** 18n;
/** An address of shard 1 with no genesis balance whose key the tests hold. */
const KEYED = { shard: 1, index: 9 };
const TO_SHARD_1 = addressOf(KEYED);
const BEACON_SENDER = { shard: 0, index: 0 };
const TO_BEACON = freshAddress(2);

/** Beacon blocks 1–3; block 1 sends VALUE from a beacon genesis account to shard 1. */
const SEND_FROM_BEACON = transfer(preset, BEACON_SENDER, 0n, TO_SHARD_1, VALUE, { toShard: 1 });
const BEACON = finalBeaconBlocks(preset, 3, (n) => (n === 1n ? [SEND_FROM_BEACON] : []));
const B1 = BEACON[0]!;
const B2 = BEACON[1]!;
const OUT_B1 = outgoingOf(genesis(preset, 0), B1.block, preset);
const FROM_BEACON = receiptEntry(B1.block, OUT_B1, 1, 0);

/** What a block of shard `shard` with `entries` does to `ledger`: the state after them, or the error code. */
function apply(ledger: LedgerState, entries: readonly IncomingEntry[], shard = 1, p: Preset = preset) {
  return attempt(() =>
    applyIncomingEntries(
      ledger.accounts,
      crossShardOf(ledger),
      entries.map(incomingEntryItem),
      shard,
      ledger.head.number + 1n,
      p,
      bls,
    ),
  );
}
const code = (ledger: LedgerState, entries: readonly IncomingEntry[], shard = 1, p: Preset = preset) =>
  resultCode(apply(ledger, entries, shard, p));

/** Shard `shard`'s block 1 with `entries` and no transaction. */
function blockWith(ledger: LedgerState, entries: readonly IncomingEntry[]) {
  const fields = plainProposerFields(ledger.head.time + 2n, ledger.head.viewId + 1n);
  return unwrap(buildBlock(ledger, [], fields, preset, { incoming: entries, bls }));
}

describe("CX-ENTRY-FORMAT", () => {
  // @covers CX-ENTRY-FORMAT.2
  it("is [0, header, signature, bitmap] or [1, header, proof], and decodes back", () => {
    const beacon = incomingEntryItem(beaconEntry(B1));
    expect(RLP.encode(beacon as Uint8Array[])).toEqual(
      RLP.encode([
        new Uint8Array(0),
        headerItem(B1.block.header),
        B1.certificate.signature,
        B1.certificate.bitmap,
      ] as Uint8Array[]),
    );
    expect(unwrap(decodeIncomingEntry(beacon, preset))).toEqual(beaconEntry(B1));
    const receipt = incomingEntryItem(FROM_BEACON);
    expect(RLP.encode(receipt as Uint8Array[])).toEqual(
      RLP.encode([
        Uint8Array.of(1),
        headerItem(B1.block.header),
        cxReceiptProofItem(proveCxReceipt(OUT_B1, 1, 0)),
      ] as Uint8Array[]),
    );
    expect(unwrap(decodeIncomingEntry(receipt, preset))).toEqual(FROM_BEACON);
  });

  // @covers CX-ENTRY-FORMAT.2
  it("refuses unknown kinds and wrong shapes, and passes on the header's and the proof's codes", () => {
    const decode = (item: unknown) => resultCode(decodeIncomingEntry(item as Uint8Array, preset));
    const [kind, header, signature, bitmap] = incomingEntryItem(beaconEntry(B1)) as Uint8Array[];
    const [, , proof] = incomingEntryItem(FROM_BEACON) as Uint8Array[];
    expect(decode([kind, header, signature, bitmap])).toBe(ACCEPTED);
    expect(decode(Uint8Array.of(1))).toBe("RLP_EXPECTED_LIST");
    expect(decode([])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([Uint8Array.of(2), header, proof])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([Uint8Array.of(0, 1), header, signature, bitmap])).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(decode([kind, header, signature])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([kind, header, signature!.subarray(1), bitmap])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([kind, header, signature, new Uint8Array(8193)])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([kind, Uint8Array.of(1), signature, bitmap])).toBe("RLP_EXPECTED_LIST");
    expect(decode([Uint8Array.of(1), header, proof, proof])).toBe("CX_ENTRY_MALFORMED");
    expect(decode([Uint8Array.of(1), header, [proof]])).toBe("CX_PROOF_MALFORMED");
    expect(decode([Uint8Array.of(1), (header as unknown as Uint8Array[]).slice(1), proof])).toBe(
      "HEADER_FIELD_COUNT",
    );
  });
});

describe("CX-STATE", () => {
  // @covers CX-STATE.2 STATE-ROOT.2
  it("puts the beacon view, the final headers and the spent receipts in the state trie beside the accounts", () => {
    const after = unwrap(apply(genesis(preset, 1), [beaconEntry(B1), FROM_BEACON]));
    const x = after.crossShard;
    const hash = headerHash(B1.block.header);
    // The trie entries, keyed and encoded by hand.
    const finalKeyBytes = Uint8Array.from([2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    const spentKeyBytes = Uint8Array.from([3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    const beaconValue = RLP.encode([1, hash, 0, [], []]);
    const entries = [
      { key: Uint8Array.of(1), value: beaconValue },
      { key: finalKeyBytes, value: hash },
      { key: spentKeyBytes, value: Uint8Array.of(1) },
    ];
    for (const [address, account] of after.accounts) {
      entries.push({ key: Buffer.from(address.slice(2), "hex"), value: encodeAccount(account) });
    }
    const secure = entries.map((e) => ({ key: keccak_256(e.key), value: e.value }));
    expect(stateRoot(after.accounts, x)).toEqual(oracleTrie(secure).root);
    // Without a cross-shard part, the root is the accounts' alone (STATE-ROOT.1's).
    expect(stateRoot(after.accounts, EMPTY_CROSS_SHARD_STATE)).toEqual(stateRoot(after.accounts));
    expect(stateRoot(after.accounts, x)).not.toEqual(stateRoot(after.accounts));
    expect(crossShardFromJson(CrossShardJson.parse(crossShardToJson(x)))).toEqual(x);
  });
});

describe("CX-BEACON-ENTRY", () => {
  // @covers CX-BEACON-ENTRY.1
  it("accepts the beacon chain's final headers in order and learns the headers they make final", () => {
    const after = unwrap(apply(genesis(preset, 1), [beaconEntry(B1), beaconEntry(B2)]));
    const x = after.crossShard;
    expect(x.beacon.number).toBe(2n);
    expect(x.beacon.hash).toEqual(headerHash(B2.block.header));
    expect(x.final.get(finalKey({ shard: 0, number: 1n }))).toEqual(headerHash(B1.block.header));
    expect(x.final.get(finalKey({ shard: 0, number: 2n }))).toEqual(headerHash(B2.block.header));
    expect(after.incoming).toEqual([]);
    expect(after.accounts).toEqual(genesis(preset, 1).accounts);
  });

  // @covers CX-BEACON-ENTRY.1
  it("takes the crosslinks of a final beacon header as final without checking their certificates again", () => {
    const linked = linkedBlocks(preset, 1, 2);
    const beacon = finalBeaconBlocks(preset, 1, undefined, () => linked.map((l) => l.crossLink));
    const x = unwrap(apply(genesis(preset, 1), [beaconEntry(beacon[0]!)])).crossShard;
    for (const l of linked) {
      expect(x.final.get(finalKey({ shard: 1, number: l.block.number }))).toEqual(l.block.hash);
    }
  });

  // @covers CX-BEACON-ENTRY.1
  it("refuses entries on the beacon chain, other shards' headers, gaps, forks and wrong epochs", () => {
    const g = genesis(preset, 1);
    const after1 = { ...g, crossShard: unwrap(apply(g, [beaconEntry(B1)])).crossShard };
    const other = linkedBlocks(preset, 1, 1)[0]!;
    const reheader = (changes: Partial<BlockHeader>) => ({
      ...beaconEntry(B2),
      header: { ...B2.block.header, ...changes },
    });
    expect(code(genesis(preset, 0), [beaconEntry(B1)], 0)).toBe("CX_BEACON_ON_BEACON");
    expect(code(g, [{ ...beaconEntry(B1), header: other.block.block.header }])).toBe("CX_BEACON_NOT_BEACON");
    expect(code(g, [beaconEntry(B2)])).toBe("CX_BEACON_GAP");
    expect(code(after1, [beaconEntry(B1)])).toBe("CX_BEACON_GAP");
    expect(code(after1, [reheader({ parentHash: new Uint8Array(32) })])).toBe("CX_BEACON_PARENT_MISMATCH");
    expect(code(after1, [reheader({ epoch: 1n })])).toBe("CX_BEACON_EPOCH_MISMATCH");
    expect(code(after1, [beaconEntry(B2)])).toBe(ACCEPTED);
  });

  // @covers CX-BEACON-ENTRY.1
  it("refuses a forged or short certificate", () => {
    const g = genesis(preset, 1);
    const forged = { ...beaconEntry(B1), certificate: B2.certificate };
    const { signers, committeeSize } = genesisQuorum(preset, 0, 2);
    const header = B1.block.header;
    const short = certificateBy(signers, commitPayload(1n, headerHash(header), header.viewId), committeeSize);
    expect(code(g, [forged])).toBe("QC_BAD_SIGNATURE");
    expect(code(g, [{ ...beaconEntry(B1), certificate: short }])).toBe("QC_INSUFFICIENT_QUORUM");
  });

  // @covers CX-BEACON-ENTRY.1
  it("follows the beacon committee into the next epoch from the shard state of the epoch's last header", () => {
    const { chains, blocks } = epochZeroChain(preset, preset.blocksPerEpoch);
    const elected = currentShardState(chains.at(-1)!)!;
    expect(elected).not.toBeNull();
    const next = unwrap(shardCommittee(elected, 0, preset, bls));
    const everyone = committeeSigners(next, preset);
    const certified = blocks.map((block) => {
      const h = block.header;
      const payload = commitPayload(h.number, headerHash(h), h.viewId);
      const certificate =
        h.epoch === 0n
          ? genesisCommitCertificate(preset, block)
          : certificateBy(everyone.signers, payload, everyone.committeeSize);
      return { kind: "beacon" as const, header: h, certificate };
    });
    const g = genesis(preset, 1);
    const before = unwrap(apply(g, certified.slice(0, -1))).crossShard;
    expect(before.beacon.current).toBeNull();
    expect(before.beacon.pending).toEqual(next);
    const after = unwrap(apply({ ...g, crossShard: before }, certified.slice(-1))).crossShard;
    expect(after.beacon.current).toEqual(next);
    expect(after.beacon.pending).toBeNull();
    // The genesis committee no longer signs for the beacon chain.
    const stale = { ...certified.at(-1)!, certificate: genesisCommitCertificate(preset, blocks.at(-1)!) };
    expect(code({ ...g, crossShard: before }, [stale])).toMatch(
      /^(QC_BAD_SIGNATURE|BITMAP_LENGTH_MISMATCH)$/,
    );
  });
});

describe("CX-RECEIPT-ENTRY", () => {
  // @covers CX-RECEIPT-ENTRY.2 CX-ENTRIES.2
  it("credits a receipt of a known final block once, the amount the source debited", () => {
    const g1 = genesis(preset, 1);
    const after = unwrap(apply(g1, [beaconEntry(B1), FROM_BEACON]));
    expect(getAccount(after.accounts, TO_SHARD_1).balance).toBe(VALUE);
    expect(after.incoming.map(encodeCxReceipt)).toEqual([encodeCxReceipt(OUT_B1[0]!)]);
    expect(after.crossShard.spent).toEqual(new Set([spentKey({ shard: 0, number: 1n, index: 0 })]));
    // Conservation: what the beacon chain lost beyond the fee, shard 1 gained.
    const g0 = genesis(preset, 0);
    const lost = supplyOf(g0.accounts) - supplyOf(B1.chain.accounts);
    expect(lost).toBe(VALUE);
    expect(supplyOf(after.accounts) - supplyOf(g1.accounts)).toBe(VALUE);
    const sender = addressOf(BEACON_SENDER);
    expect(getAccount(B1.chain.accounts, sender).balance).toBe(
      getAccount(g0.accounts, sender).balance - VALUE - TRANSFER_GAS * GAS_PRICE,
    );
  });

  // @covers CX-RECEIPT-ENTRY.2
  it("refuses a receipt already credited, in the same block or a later one", () => {
    const g1 = genesis(preset, 1);
    expect(code(g1, [beaconEntry(B1), FROM_BEACON, FROM_BEACON])).toBe("CX_RECEIPT_SPENT");
    const once = unwrap(apply(g1, [beaconEntry(B1), FROM_BEACON]));
    const ledger = { ...g1, accounts: once.accounts, crossShard: once.crossShard };
    expect(code(ledger, [FROM_BEACON])).toBe("CX_RECEIPT_SPENT");
  });

  // @covers CX-RECEIPT-ENTRY.2
  it("refuses unknown and mismatched source headers, wrong roots and receipts for another shard", () => {
    const g1 = genesis(preset, 1);
    expect(code(g1, [FROM_BEACON])).toBe("CX_SOURCE_UNKNOWN");
    const altered = { ...FROM_BEACON, header: { ...B1.block.header, extra: Uint8Array.of(1) } };
    expect(code(g1, [beaconEntry(B1), altered])).toBe("CX_SOURCE_MISMATCH");
    const otherRoots = proveCxReceipt([{ ...OUT_B1[0]!, amount: VALUE + 1n }], 1, 0);
    expect(code(g1, [beaconEntry(B1), { ...FROM_BEACON, proof: otherRoots }])).toBe("CX_ROOT_MISMATCH");
    // Shard 2 of a three-shard network knows the block but has no receipt in it.
    const three = { ...preset, numShards: 3 };
    expect(code(genesis(three, 2), [beaconEntry(B1), FROM_BEACON], 2, three)).toBe("CX_NOT_FOR_SHARD");
  });

  // @covers CX-RECEIPT-ENTRY.2 XLINK-INCLUDE.2
  it("credits on the beacon chain a receipt of a crosslinked shard block", () => {
    const send = transfer(preset, { shard: 1, index: 0 }, 0n, TO_BEACON, VALUE, { toShard: 0 });
    const linked = linkedBlocks(preset, 1, 1, undefined, (n) => (n === 1n ? [send] : []));
    const source = linked[0]!.block;
    const beacon = finalBeaconBlocks(preset, 1, undefined, () => [linked[0]!.crossLink]);
    const entry = receiptEntry(source.block, outgoingOf(genesis(preset, 1), source.block, preset), 0, 0);
    const chain = beacon[0]!.chain;
    const block = nextBeaconBlock(chain, [], preset, undefined, undefined, [entry]);
    const after = unwrap(applyBeaconBlock(chain, block, preset, bls));
    expect(getAccount(after.accounts, TO_BEACON).balance).toBe(VALUE);
    expect(resultCode(applyBeaconBlock(after, nextBeaconBlock(after, [], preset), preset, bls))).toBe(
      ACCEPTED,
    );
    expect(code(after, [entry], 0)).toBe("CX_RECEIPT_SPENT");
  });
});

describe("CX-ENTRIES in a block", () => {
  // @covers CX-ENTRIES.2 BLOCK-APPLY.3
  it("applies entries before the transactions, so a credited amount is spent in the same block", () => {
    const g1 = genesis(preset, 1);
    const fields = plainProposerFields(g1.head.time + 2n, 1n);
    // The recipient had nothing before the credit; it spends all of it, the fee included.
    const spendAll = transfer(preset, KEYED, 0n, freshAddress(9), VALUE - TRANSFER_GAS * GAS_PRICE);
    expect(resultCode(buildBlock(g1, [spendAll], fields, preset))).toBe("ACCOUNT_INSUFFICIENT_BALANCE");
    const entries = [beaconEntry(B1), FROM_BEACON];
    const built = unwrap(buildBlock(g1, [spendAll], fields, preset, { incoming: entries, bls }));
    expect(getAccount(built.state.accounts, TO_SHARD_1).balance).toBe(0n);
    const applied = unwrap(applyBlock(g1, built.block, preset, undefined, bls));
    expect(applied.state).toEqual(built.state);
    expect(applied.incomingReceipts).toHaveLength(1);
    expect(built.block.header.incomingReceiptRoot).not.toEqual(g1.head.incomingReceiptRoot);
    // Any change to an entry breaks the block: the incoming root commits to them.
    const tampered = { ...built.block, incomingReceipts: [built.block.incomingReceipts[0]!] };
    expect(resultCode(applyBlock(g1, tampered, preset, undefined, bls))).toBe("BLOCK_INCOMING_ROOT_MISMATCH");
    const tooMany = { ...preset, maxIncomingEntriesPerBlock: 1 };
    expect(resultCode(applyBlock(g1, built.block, tooMany, undefined, bls))).toBe("BLOCK_INCOMING_TOO_MANY");
  });
});

describe("CX-SELECT", () => {
  // @covers CX-SELECT.2
  it("takes the next beacon headers in order, then the receipts that credit, and skips the rest", () => {
    const g1 = genesis(preset, 1);
    const garbage = { ...FROM_BEACON, proof: { ...FROM_BEACON.proof, index: 1 } };
    const pool = [garbage, FROM_BEACON, beaconEntry(B2), beaconEntry(B1), FROM_BEACON, beaconEntry(B1)];
    const chosen = selectIncomingEntries(g1.accounts, crossShardOf(g1), pool, 1, 1n, preset, bls);
    expect(chosen).toEqual([beaconEntry(B1), beaconEntry(B2), FROM_BEACON]);
    expect(resultCode(applyBlock(g1, blockWith(g1, chosen).block, preset, undefined, bls))).toBe(ACCEPTED);
    const one = { ...preset, maxIncomingEntriesPerBlock: 1 };
    expect(selectIncomingEntries(g1.accounts, crossShardOf(g1), pool, 1, 1n, one, bls)).toEqual([
      beaconEntry(B1),
    ]);
    expect(selectIncomingEntries(g1.accounts, crossShardOf(g1), [FROM_BEACON], 1, 1n, preset, bls)).toEqual(
      [],
    );
  });
});
