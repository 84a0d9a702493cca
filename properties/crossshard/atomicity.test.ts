import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ATOMIC_ADDRESS, atomicId } from "../../reference/crossshard/atomic.ts";
import type { CrossShardState } from "../../reference/crossshard/crossShardState.ts";
import {
  applyIncomingEntries,
  type IncomingEntry,
  incomingEntryItem,
  selectIncomingEntries,
} from "../../reference/crossshard/incoming.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { crossShardOf } from "../../reference/ledger/applyBlock.ts";
import { getAccount } from "../../reference/ledger/state.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { atomicStage } from "../../tools/testing/crossShardFlows.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * All or nothing (§12.6) under any schedule of the entries at the decider: for a transfer of two inputs and two
 * outputs, fast-check draws the deadline and, block after block, which entries the decider's leader is offered and
 * in which order: either lock (again and again), a stray lock, an abort, a plain transfer. The leader takes what
 * applies (CX-SELECT.2) and the decider applies its blocks (CX-ENTRIES.2). After every block:
 *   - committed: every output paid exactly once and no part refunded;
 *   - aborted: no output paid, every part taken refunded exactly once;
 *   - open: nothing paid, nothing refunded, the escrow is the parts taken;
 *   - value: what the locks brought is paid, refunded or held;
 *   - liveness: both locks taken by the deadline means committed, anything taken after it means decided.
 * A decider that forgets its atomic records (kept off the state trie and lost) loses the parts it held, or lets an
 * abort follow a commit: the suite finds such a run. PROPERTY_RUNS_SCALE multiplies the runs.
 */

const preset = MINIMAL;
const RUNS = Math.max(1, Math.round(40 * runsScale()));

interface Schedule {
  readonly deadline: bigint;
  readonly blocks: readonly (readonly number[])[];
}

const schedules: fc.Arbitrary<Schedule> = fc.record({
  deadline: fc.bigInt({ min: 2n, max: 6n }),
  blocks: fc.array(fc.array(fc.nat({ max: 4 }), { maxLength: 4 }), { minLength: 1, maxLength: 8 }),
});

/** The stage of each deadline, built once: signing and crosslinking the locks is the costly part. */
const stages = new Map<bigint, ReturnType<typeof atomicStage>>();
function stageOf(deadline: bigint) {
  let stage = stages.get(deadline);
  if (stage === undefined) {
    stage = atomicStage(preset, deadline);
    stages.set(deadline, stage);
  }
  return stage;
}

const sum = (values: Iterable<bigint>) => [...values].reduce((x, y) => x + y, 0n);

/** How a schedule ended: the first broken expectation (null if none) and the transfer's last status. */
interface Outcome {
  readonly problem: string | null;
  readonly status: string;
}

/** Runs a schedule at the decider. */
function outcome(schedule: Schedule, forgets: boolean): Outcome {
  let status = "open";
  const problem = violation(schedule, forgets, (s) => {
    status = s;
  });
  return { problem, status };
}

/** Runs a schedule at the decider; returns the first broken expectation, or null, and reports each status. */
function violation(schedule: Schedule, forgets: boolean, seen: (status: string) => void): string | null {
  const stage = stageOf(schedule.deadline);
  const a = stage.transfer;
  const key = (shard: number, address: Uint8Array) => `${shard} ${bytesToHex(address)}`;
  const outputs = new Set(a.outputs.map((o) => key(o.shard, o.address)));
  const owners = new Set(a.inputs.map((p) => key(p.shard, p.address)));
  const [lock0, lock1, stray] = stage.locks;
  const offered: IncomingEntry[] = [lock0, lock1, stray, { kind: "abort", transfer: a }, stage.plain];
  let accounts = stage.decider.accounts;
  let crossShard: CrossShardState = crossShardOf(stage.decider);
  const sentPaid = new Map<string, bigint>();
  const refunded = new Map<string, bigint>();
  const taken = new Map<number, bigint>();
  let brought = 0n;
  for (let k = 0; k < schedule.blocks.length; k++) {
    const height = stage.decider.head.number + BigInt(k + 1);
    if (forgets) crossShard = { ...crossShard, atomic: new Map() };
    const pool = schedule.blocks[k]!.map((i) => offered[i]!);
    const chosen = selectIncomingEntries(accounts, crossShard, pool, 0, height, preset, blstBls);
    const items = chosen.map(incomingEntryItem);
    const after = applyIncomingEntries(accounts, crossShard, items, 0, height, preset, blstBls);
    for (const entry of chosen) {
      if (entry.kind !== "lock") continue;
      taken.set(stage.locks.indexOf(entry), height);
      brought += entry.transaction.value;
    }
    for (const r of after.outgoing) {
      if (bytesToHex(r.from) !== bytesToHex(ATOMIC_ADDRESS)) return "a payment not from the atomic address";
      const target = outputs.has(key(r.toShard, r.to)) ? sentPaid : refunded;
      target.set(key(r.toShard, r.to), (target.get(key(r.toShard, r.to)) ?? 0n) + r.amount);
    }
    accounts = after.accounts;
    crossShard = after.crossShard;
    const record = crossShard.atomic.get(bytesToHex(atomicId(a)));
    const status = record?.status ?? "open";
    seen(status);
    const paid = sum(sentPaid.values()) + getAccount(accounts, a.outputs[0]!.address).balance;
    const partsBack = sum([...refunded].filter(([who]) => owners.has(who)).map(([, amount]) => amount));
    const held = record?.escrow ?? 0n;
    const at = `height ${height}, ${status}`;
    if (brought !== paid + sum(refunded.values()) + held) {
      return `${at}: locks brought ${brought}; paid ${paid}, refunded ${sum(refunded.values())}, held ${held}`;
    }
    if (paid !== 0n && paid !== sum(a.outputs.map((o) => o.amount))) return `${at}: outputs paid ${paid}`;
    if (paid !== 0n && partsBack !== 0n) return `${at}: outputs paid and ${partsBack} refunded to the owners`;
    if ((status === "committed") !== (paid !== 0n)) return `${at}: outputs paid ${paid}`;
    const takenParts = sum([...taken.keys()].filter((i) => i < 2).map((i) => a.inputs[i]!.amount));
    if (status === "aborted" && partsBack !== takenParts)
      return `${at}: refunded ${partsBack} of ${takenParts}`;
    if (status === "open" && (held !== takenParts || partsBack !== 0n)) return `${at}: holding ${held}`;
    const byDeadline = (i: number) => (taken.get(i) ?? schedule.deadline + 1n) <= schedule.deadline;
    if (byDeadline(0) && byDeadline(1) && status !== "committed") return `${at}: both locks by the deadline`;
  }
  return null;
}

describe("cross-shard property: atomic transfers are all or nothing under any schedule", () => {
  // @covers ATOMIC-LOCK-ENTRY.1 ATOMIC-ABORT-ENTRY.1 CX-SELECT.2 CX-STATE.2
  it("commits and pays every output, or aborts and refunds every part, and never both", () => {
    const ends = new Set<string>();
    fc.assert(
      fc.property(schedules, (schedule) => {
        const end = outcome(schedule, false);
        ends.add(end.status);
        if (end.problem !== null) throw new Error(end.problem);
      }),
      { numRuns: RUNS, seed: 6 },
    );
    // The runs reach every end: still open, committed and aborted.
    expect([...ends].sort()).toEqual(["aborted", "committed", "open"]);
  });

  // @covers ATOMIC-ABORT-ENTRY.1 CX-STATE.2
  it("finds the run in which a decider that forgets its atomic records loses a part or both pays and refunds", () => {
    const result = fc.check(
      fc.property(schedules, (schedule) => outcome(schedule, true).problem === null),
      { numRuns: 400, seed: 6 },
    );
    expect(result.failed).toBe(true);
    // Shrunk, it is one lock then another block: the record and the part it held are gone.
    expect(outcome(result.counterexample![0], true).problem).toMatch(
      /locks brought .* held 0|refunded|outputs paid/,
    );
  });
});
