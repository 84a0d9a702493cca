import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EMPTY_CROSS_SHARD_STATE } from "../../reference/crossshard/crossShardState.ts";
import { applyIncomingEntries, incomingEntryItem } from "../../reference/crossshard/incoming.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { rlpDecode, rlpEncode } from "../../reference/encoding/rlp.ts";
import { attempt } from "../../reference/errors.ts";
import { stateToList } from "../../reference/ledger/state.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import {
  beaconEntry,
  finalBeaconBlocks,
  outgoingOf,
  receiptEntry,
} from "../../tools/testing/crossShardFlows.ts";
import { addressOf, genesis, transfer } from "../../tools/testing/ledgerChains.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * Forged and replayed entries (§12.5) are refused and change nothing: any one-byte change to the encoding of a
 * beacon entry or a receipt entry that shard 1 would accept makes the block refuse it, whatever the byte (the
 * kind, a header field, the certificate, a root, the index, the receipt, a trie node), and a receipt credited once
 * is refused in every later block, alone or behind its beacon entry again. PROPERTY_RUNS_SCALE multiplies the
 * runs.
 */

const preset = MINIMAL;
const RUNS = Math.max(1, Math.round(150 * runsScale()));
const send = transfer(preset, { shard: 0, index: 0 }, 0n, addressOf({ shard: 1, index: 9 }), 10n ** 18n, {
  toShard: 1,
});
const [B1] = finalBeaconBlocks(preset, 1, () => [send]);
const ENTRIES = [
  beaconEntry(B1!),
  receiptEntry(B1!.block, outgoingOf(genesis(preset, 0), B1!.block, preset), 1, 0),
];
const ENCODED = ENTRIES.map((e) => rlpEncode(incomingEntryItem(e)));
const G1 = genesis(preset, 1);

/** Shard 1's block 1 with these encoded entries: the result of CX-ENTRIES, or its refusal. */
function apply(encoded: readonly Uint8Array[], crossShard = EMPTY_CROSS_SHARD_STATE) {
  return attempt(() => {
    const items = encoded.map((bytes) => {
      const item = rlpDecode(bytes);
      if (!item.ok) throw item.error;
      return item.value;
    });
    return applyIncomingEntries(G1.accounts, crossShard, items, 1, 1n, preset, blstBls);
  });
}

describe("cross-shard property: forged and replayed entries are refused", () => {
  it("the unforged entries credit the receipt", () => {
    expect(apply(ENCODED).ok).toBe(true);
  });

  // @covers CX-BEACON-ENTRY.1 CX-RECEIPT-ENTRY.2 CX-ENTRY-FORMAT.2 CX-INCLUSION.1
  it("any one-byte change to either entry is refused, and the ledger is as it was", () => {
    const before = stateToList(G1.accounts);
    const sizes = ENCODED.map((e) => e.length);
    fc.assert(
      fc.property(
        fc
          .nat({ max: 1 })
          .chain((which) =>
            fc.tuple(
              fc.constant(which),
              fc.nat({ max: sizes[which]! - 1 }),
              fc.integer({ min: 1, max: 255 }),
            ),
          ),
        ([which, at, delta]) => {
          const forged = ENCODED.map((e) => Uint8Array.from(e));
          forged[which]![at] = (forged[which]![at]! + delta) % 256;
          const result = apply(forged);
          expect(result.ok, `byte ${at} of entry ${which}`).toBe(false);
          expect(stateToList(G1.accounts)).toEqual(before);
        },
      ),
      { numRuns: RUNS, seed: 12 },
    );
  });

  // @covers CX-RECEIPT-ENTRY.2
  it("a credited receipt is refused in any later block, whatever comes with it", () => {
    const once = apply(ENCODED);
    if (!once.ok) throw once.error;
    const later = once.value.crossShard;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ENCODED), { minLength: 1, maxLength: 4 }), (entries) => {
        fc.pre(entries.includes(ENCODED[1]!));
        const result = apply(entries, later);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(["CX_RECEIPT_SPENT", "CX_BEACON_GAP"]).toContain(result.error.code);
      }),
      { numRuns: Math.max(20, Math.round(RUNS / 5)), seed: 13 },
    );
  });
});
