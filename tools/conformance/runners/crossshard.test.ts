import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { bytesFromHex } from "../../../reference/encoding/json.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
  expectWellFormedCases,
} from "../../testing/runnerChecks.ts";
import { runner } from "./crossshard.ts";

/** Every code each handler's cases expect (chapter 12's error table and the codes of the rules called). */
const RAISES: Record<string, string[]> = {
  crosslinks_decode: ["XLINK_MALFORMED", "RLP_EXPECTED_LIST"],
  crosslink_verify: [
    "XLINK_SHARD_INVALID",
    "XLINK_GENESIS",
    "XLINK_EPOCH_MISMATCH",
    "XLINK_EPOCH_FUTURE",
    "QC_BAD_SIGNATURE",
    "QC_INSUFFICIENT_QUORUM",
    "BITMAP_LENGTH",
  ],
  receipt_inclusion: [
    "CX_ROOTS_UNSORTED",
    "CX_ROOT_MISMATCH",
    "CX_NOT_FOR_SHARD",
    "CX_RECEIPT_NOT_PROVEN",
    "CX_RECEIPT_WRONG_SHARDS",
    "CX_PROOF_MALFORMED",
    "TRIE_PROOF_MISSING_NODE",
  ],
  incoming_entries: [
    "CX_BEACON_ON_BEACON",
    "CX_BEACON_NOT_BEACON",
    "CX_BEACON_GAP",
    "CX_BEACON_PARENT_MISMATCH",
    "CX_BEACON_EPOCH_MISMATCH",
    "QC_BAD_SIGNATURE",
    "QC_INSUFFICIENT_QUORUM",
    "CX_SOURCE_UNKNOWN",
    "CX_SOURCE_MISMATCH",
    "CX_ROOT_MISMATCH",
    "CX_RECEIPT_SPENT",
    "CX_NOT_FOR_SHARD",
    "CX_ENTRY_MALFORMED",
    "CX_ATOMIC_LOCK_MISMATCH",
    "CX_ATOMIC_NOT_LOCK",
    "CX_RECEIPT_IS_LOCK",
    "CX_ATOMIC_NOT_EXPIRED",
    "CX_ATOMIC_DECIDED",
    "CX_ATOMIC_WRONG_DECIDER",
    "CX_ATOMIC_MALFORMED",
  ],
};

type CrossLinkJson = { blockHash: string; blockNum: string; viewId: string; shardId: number; epoch: string };

describe.each([MINIMAL, MAINNET])("conformance runner: crossshard, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const post = caseResults(runner, cases, preset);

  // @covers XLINK-FORMAT.1 XLINK-VERIFY.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectWellFormedCases(runner, cases);
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers XLINK-FORMAT.1 XLINK-OF-BLOCK.1
  it("decodes crosslinks whose fields an independent RLP reader finds in mainnet's order", () => {
    const input = cases.find((c) => c.name === "two")!.input as { field: string };
    const raw = RLP.decode(bytesFromHex(input.field)) as Uint8Array[][];
    const { crossLinks } = post("crosslinks_decode", "two") as { crossLinks: CrossLinkJson[] };
    expect(crossLinks.map((x) => [x.blockNum, x.viewId, x.shardId, x.epoch])).toEqual([
      ["1", "1", 1, "0"],
      ["2", "2", 1, "0"],
    ]);
    for (let i = 0; i < 2; i++) {
      expect(raw[i]!).toHaveLength(7);
      expect(bytesFromHex(crossLinks[i]!.blockHash)).toEqual(raw[i]![0]);
      expect(raw[i]![5]).toEqual(Uint8Array.of(1));
    }
    expect(post("crosslinks_decode", "none")).toEqual({ crossLinks: [] });
  });

  // @covers CX-INCLUSION.1
  it("proves the receipts at their positions: the block's third receipt is the second bound for shard 0", () => {
    const { receipt } = post("receipt_inclusion", "third_receipt") as {
      receipt: { txHash: string; toShard: number };
    };
    expect(receipt.txHash).toBe(`0x${"03".repeat(32)}`);
    expect(receipt.toShard).toBe(0);
    const only = post("receipt_inclusion", "only_for_shard_three") as { receipt: { txHash: string } };
    expect(only.receipt.txHash).toBe(`0x${"04".repeat(32)}`);
  });

  // @covers XLINK-VERIFY.1
  it("checks a crosslink against the genesis committee, and in the minimal preset against an elected one", () => {
    const quorum = Math.floor((2 * preset.slotsPerShard) / 3) + 1;
    expect(post("crosslink_verify", "genesis_committee")).toEqual({
      stateEpoch: null,
      signers: Array.from({ length: quorum }, (_, i) => i),
    });
    if (preset === MINIMAL) {
      expect((post("crosslink_verify", "elected_committee") as { stateEpoch: string }).stateEpoch).toBe("1");
    }
  });

  // @covers CX-RECEIPT-ENTRY.2 CX-BEACON-ENTRY.1
  it("credits the transfer of beacon block 1 once, to the address it names, and records it as spent", () => {
    const input = cases.find((c) => c.name === "beacon_then_receipt")!.input as { blocks: string[][] };
    const [, receiptEntry] = input.blocks[0]!.map(
      (e) => RLP.decode(bytesFromHex(e)) as unknown as Uint8Array[],
    );
    const proofFields = receiptEntry![2] as unknown as Uint8Array[];
    const receipt = RLP.decode(proofFields[2]!) as Uint8Array[];
    const out = post("incoming_entries", "beacon_then_receipt") as {
      accounts: { address: string; balance: string }[];
      blocks: { credited: { to: string; amount: string }[] }[];
      crossShard: { spent: unknown[]; beacon: { number: string } };
    };
    const to = `0x${Buffer.from(receipt[2]!).toString("hex")}`;
    const amount = BigInt(`0x${Buffer.from(receipt[5]!).toString("hex")}`).toString();
    expect(out.blocks[0]!.credited).toEqual([expect.objectContaining({ to, amount })]);
    expect(out.accounts.find((a) => a.address === to)?.balance).toBe(amount);
    expect(out.crossShard.spent).toEqual([{ shard: 0, number: "1", index: 0 }]);
    expect(out.crossShard.beacon.number).toBe("1");
  });

  // @covers ATOMIC-LOCK-ENTRY.1 ATOMIC-FORMAT.1
  it("commits the atomic transfer its locks name, paying what its encoded outputs say", () => {
    const input = cases.find((c) => c.name === "atomic_commit")!.input as { blocks: string[][] };
    const lock = RLP.decode(bytesFromHex(input.blocks[1]![0]!)) as unknown as Uint8Array[][];
    const [, , , outputs] = lock[4] as unknown as [Uint8Array, Uint8Array, Uint8Array[][], Uint8Array[][]];
    const hex = (b: Uint8Array) => `0x${Buffer.from(b).toString("hex")}`;
    const amount = (b: Uint8Array) => BigInt(hex(b)).toString();
    const [local, remote] = outputs as [Uint8Array[], Uint8Array[]];
    const out = post("incoming_entries", "atomic_commit") as {
      accounts: { address: string; balance: string }[];
      blocks: { sent: { to: string; toShard: number; amount: string }[] }[];
      crossShard: { atomic: { status: string }[] };
    };
    expect(out.blocks[0]!.sent).toEqual([]);
    expect(out.blocks[1]!.sent).toEqual([
      expect.objectContaining({ to: hex(remote[1]!), amount: amount(remote[2]!) }),
    ]);
    expect(out.accounts.find((a) => a.address === hex(local[1]!))?.balance).toBe(amount(local[2]!));
    expect(out.crossShard.atomic.map((a) => a.status)).toEqual(["committed"]);
  });
});
