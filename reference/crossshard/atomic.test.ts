import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { atomicStage } from "../../tools/testing/crossShardFlows.ts";
import { addressOf } from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { rlpEncode } from "../encoding/rlp.ts";
import { attempt, unwrap } from "../errors.ts";
import { crossShardOf, type LedgerState } from "../ledger/applyBlock.ts";
import type { CxReceipt } from "../ledger/receipt.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import {
  ATOMIC_ADDRESS,
  type AtomicTransfer,
  atomicId,
  atomicItem,
  atomicOfItem,
  checkAtomic,
} from "./atomic.ts";
import {
  type AppliedEntries,
  applyIncomingEntries,
  type IncomingEntry,
  incomingEntryItem,
} from "./incoming.ts";

const preset = MINIMAL;
const bls = blstBls;
const DEADLINE = 4n;
const STAGE = atomicStage(preset, DEADLINE);
const A = STAGE.transfer;
const [LOCK0, LOCK1, STRAY] = STAGE.locks;
const ABORT: IncomingEntry = { kind: "abort", transfer: A };

/** Blocks of the decider (the beacon chain) at heights 2, 3, …, each with its entries; the results, or a code. */
function run(blocks: readonly (readonly IncomingEntry[])[], start: LedgerState = STAGE.decider) {
  return attempt(() => {
    let accounts = start.accounts;
    let crossShard = crossShardOf(start);
    const results: AppliedEntries[] = [];
    blocks.forEach((entries, k) => {
      const height = start.head.number + BigInt(k + 1);
      const after = applyIncomingEntries(
        accounts,
        crossShard,
        entries.map(incomingEntryItem),
        0,
        height,
        preset,
        bls,
      );
      results.push(after);
      accounts = after.accounts;
      crossShard = after.crossShard;
    });
    return results;
  });
}

/** A payment from the decider, as ATOMIC-LOCK-ENTRY's PAY builds it, written out. */
function paid(to: Uint8Array, toShard: number, amount: bigint): CxReceipt {
  return { txHash: atomicId(A), from: ATOMIC_ADDRESS, to, fromShard: 0, toShard, amount };
}

const at = (results: readonly AppliedEntries[]) => results.at(-1)!;
const record = (results: readonly AppliedEntries[]) =>
  at(results).crossShard.atomic.get(bytesToHex(atomicId(A)));

describe("ATOMIC-FORMAT", () => {
  // @covers ATOMIC-FORMAT.1
  it("is the RLP list of decider, deadline, inputs, outputs and salt; the id is its keccak256", () => {
    const part = (p: AtomicTransfer["inputs"][number]) => [p.shard, p.address, p.amount];
    const layout = RLP.encode([A.decider, A.deadline, A.inputs.map(part), A.outputs.map(part), A.salt]);
    expect(rlpEncode(atomicItem(A))).toEqual(layout);
    expect(atomicId(A)).toEqual(keccak_256(layout));
    expect(atomicOfItem(atomicItem(A))).toEqual(A);
  });

  // @covers ATOMIC-FORMAT.1
  it("refuses transfers that are not well formed", () => {
    const check = (a: AtomicTransfer) => resultCode(attempt(() => checkAtomic(a, preset)));
    const [i0, i1] = A.inputs as [AtomicTransfer["inputs"][number], AtomicTransfer["inputs"][number]];
    expect(check(A)).toBe(ACCEPTED);
    expect(check({ ...A, decider: preset.numShards })).toBe("CX_ATOMIC_MALFORMED");
    expect(check({ ...A, inputs: [] })).toBe("CX_ATOMIC_MALFORMED");
    expect(check({ ...A, outputs: new Array(17).fill(A.outputs[0]) })).toBe("CX_ATOMIC_MALFORMED");
    expect(check({ ...A, inputs: [{ ...i0, shard: 0 }, i1] })).toBe("CX_ATOMIC_MALFORMED");
    expect(check({ ...A, inputs: [i0, { ...i1, address: i0.address }] })).toBe("CX_ATOMIC_MALFORMED");
    expect(
      check({
        ...A,
        inputs: [
          { ...i0, amount: 0n },
          { ...i1, amount: i1.amount + i0.amount },
        ],
      }),
    ).toBe("CX_ATOMIC_MALFORMED");
    expect(check({ ...A, inputs: [i0, { ...i1, amount: i1.amount + 1n }] })).toBe("CX_ATOMIC_MALFORMED");
    expect(resultCode(attempt(() => atomicOfItem([new Uint8Array(0)])))).toBe("CX_ATOMIC_MALFORMED");
  });
});

describe("ATOMIC-LOCK-ENTRY", () => {
  // @covers ATOMIC-LOCK-ENTRY.1 ATOMIC-LOCK.1 CX-ENTRIES.2
  it("commits when every part is locked before the deadline, and pays every output once", () => {
    const results = unwrap(run([[LOCK0], [LOCK1]]));
    const [first, second] = results as [AppliedEntries, AppliedEntries];
    expect(first.outgoing).toEqual([]);
    expect(first.crossShard.atomic.get(bytesToHex(atomicId(A)))).toEqual({
      status: "open",
      locked: [0],
      escrow: A.inputs[0]!.amount,
    });
    // The output on the decider is credited there, the other one sent as a receipt.
    expect(second.outgoing).toEqual([paid(A.outputs[1]!.address, 1, A.outputs[1]!.amount)]);
    expect(getAccount(second.accounts, A.outputs[0]!.address).balance).toBe(A.outputs[0]!.amount);
    expect(record(results)).toEqual({ status: "committed", locked: [0, 1], escrow: 0n });
    // Both locks in one block commit as well.
    expect(record(unwrap(run([[LOCK1, LOCK0]])))?.status).toBe("committed");
  });

  // @covers ATOMIC-LOCK-ENTRY.1
  it("refunds a lock that cannot serve: a stray part, a second lock, one after the decision", () => {
    // Owner 3 locked 1 ONE for the transfer, which takes no part of it: it goes back to owner 3.
    const stray = unwrap(run([[STRAY]]));
    expect(at(stray).outgoing).toEqual([paid(addressOf({ shard: 1, index: 3 }), 1, 10n ** 18n)]);
    expect(record(stray)).toBeUndefined();
    const committed = unwrap(run([[LOCK0, LOCK1]]));
    const state = {
      ...STAGE.decider,
      accounts: at(committed).accounts,
      crossShard: at(committed).crossShard,
    };
    // A lock's receipt is taken once: the same lock again is refused, not refunded twice.
    expect(resultCode(run([[LOCK0]], state))).toBe("CX_RECEIPT_SPENT");
  });

  // @covers ATOMIC-LOCK-ENTRY.1 ATOMIC-ABORT-ENTRY.1
  it("aborts when a lock arrives after the deadline, refunding every part held and the late one", () => {
    const late = new Array<readonly IncomingEntry[]>(Number(DEADLINE - STAGE.decider.head.number)).fill([]);
    const results = unwrap(run([[LOCK0], ...late.slice(1), [LOCK1]]));
    expect(at(results).outgoing).toEqual([
      paid(A.inputs[0]!.address, 1, A.inputs[0]!.amount),
      paid(A.inputs[1]!.address, 1, A.inputs[1]!.amount),
    ]);
    expect(record(results)).toEqual({ status: "aborted", locked: [0], escrow: 0n });
    expect(getAccount(at(results).accounts, A.outputs[0]!.address).balance).toBe(0n);
  });

  // @covers ATOMIC-LOCK-ENTRY.1 CX-RECEIPT-ENTRY.2
  it("refuses entries that are not locks of the transfer they name, and plain entries of a lock", () => {
    expect(resultCode(run([[{ ...LOCK0, transaction: LOCK1.transaction }]]))).toBe("CX_ATOMIC_LOCK_MISMATCH");
    const other = { ...A, salt: new Uint8Array(32) };
    expect(resultCode(run([[{ ...LOCK0, transfer: other }]]))).toBe("CX_ATOMIC_LOCK_MISMATCH");
    const plainAsLock = { ...LOCK0, proof: STAGE.plain.proof };
    expect(resultCode(run([[plainAsLock]]))).toBe("CX_ATOMIC_NOT_LOCK");
    expect(resultCode(run([[{ kind: "receipt", header: LOCK0.header, proof: LOCK0.proof }]]))).toBe(
      "CX_RECEIPT_IS_LOCK",
    );
    expect(resultCode(run([[STAGE.plain]]))).toBe(ACCEPTED);
  });
});

describe("ATOMIC-ABORT-ENTRY", () => {
  const waitPast = new Array<readonly IncomingEntry[]>(Number(DEADLINE - STAGE.decider.head.number)).fill([]);

  // @covers ATOMIC-ABORT-ENTRY.1
  it("after the deadline, any party aborts an undecided transfer and the parts held go back", () => {
    const results = unwrap(run([[LOCK0], ...waitPast.slice(1), [ABORT]]));
    expect(at(results).outgoing).toEqual([paid(A.inputs[0]!.address, 1, A.inputs[0]!.amount)]);
    expect(record(results)).toEqual({ status: "aborted", locked: [0], escrow: 0n });
    // A lock that comes after the abort goes back on arrival.
    const later = unwrap(run([[LOCK0], ...waitPast.slice(1), [ABORT], [LOCK1]]));
    expect(at(later).outgoing).toEqual([paid(A.inputs[1]!.address, 1, A.inputs[1]!.amount)]);
    expect(record(later)?.status).toBe("aborted");
  });

  // @covers ATOMIC-ABORT-ENTRY.1
  it("refuses an abort before the deadline, of a decided transfer, or at another shard", () => {
    expect(resultCode(run([[ABORT]]))).toBe("CX_ATOMIC_NOT_EXPIRED");
    expect(resultCode(run([[LOCK0, LOCK1], ...waitPast.slice(1), [ABORT]]))).toBe("CX_ATOMIC_DECIDED");
    expect(resultCode(run([...waitPast, [ABORT], [ABORT]]))).toBe("CX_ATOMIC_DECIDED");
    const elsewhere = { ...A, decider: 1, inputs: A.inputs.map((p) => ({ ...p, shard: 0 })) };
    expect(resultCode(run([...waitPast, [{ kind: "abort", transfer: elsewhere }]]))).toBe(
      "CX_ATOMIC_WRONG_DECIDER",
    );
  });
});
