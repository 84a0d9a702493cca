import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex } from "../../../reference/encoding/json.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import { aggregateProofOf, beaconCommittee, pRndFromAggregate } from "../../testing/drgFixtures.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
} from "../../testing/runnerChecks.ts";
import { runner } from "./randomness.ts";

/** Every code each handler can raise (§9, and the codes of the rules it calls); each has an invalid case. */
const RAISES: Record<string, string[]> = {
  schedule: ["JSON_SCHEMA"],
  epoch_schedule: [],
  seed: [],
  share_verify: [
    "RLP_EMPTY_INPUT",
    "MSG_FIELD_COUNT",
    "MSG_FIELD_INVALID",
    "MSG_UNKNOWN_TYPE",
    "DRG_SHARE_WRONG_SHARD",
    "DRG_SHARE_WRONG_ROUND",
    "DRG_SHARE_UNKNOWN_SIGNER",
    "VRF_PROOF_INVALID",
    "BLS_POINT_NOT_ON_CURVE",
    "JSON_HEX_MALFORMED",
  ],
  commit_build: ["DRG_INSUFFICIENT_POWER", "DRG_SHARE_DUPLICATE", "DRG_SHARE_UNKNOWN_SIGNER"],
  commit_check: [
    "DRG_COMMIT_MALFORMED",
    "BITMAP_LENGTH",
    "BITMAP_STRAY_BITS",
    "DRG_INSUFFICIENT_POWER",
    "DRG_BAD_AGGREGATE",
    "BLS_POINT_NOT_ON_CURVE",
  ],
  reveal_check: ["DRG_REVEAL_MALFORMED", "VDF_PROOF_INVALID", "VDF_ELEMENT_OUT_OF_RANGE"],
  advance: ["DRG_FIELD_UNEXPECTED", "DRG_COMMIT_MISSING", "DRG_REVEAL_MISSING", "DRG_NO_COMMITMENT"],
};

describe.each([MINIMAL, MAINNET])("conformance runner: randomness, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const post = caseResults(runner, cases, preset);

  // @covers DRG-SCHEDULE.1 DRG-SEED.1 DRG-SHARE-FORMAT.2 DRG-SHARE-VERIFY.1 DRG-COMMIT-BUILD.1 DRG-COMMIT-CHECK.1 DRG-REVEAL-CHECK.1 DRG-ADVANCE.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers DRG-SCHEDULE.1
  it("places the commitment at offset drgCommitOffset and the reveal k blocks later, by hand", () => {
    const role = (name: string) => (post("schedule", name) as { role: string }).role;
    expect(["genesis", "commit_epoch_0", "after_commit", "reveal_epoch_0", "last_block"].map(role)).toEqual([
      "none",
      "commit",
      "none",
      "reveal",
      "none",
    ]);
    expect(role("other_shard")).toBe("none");
    // Epoch 7: 7 · blocksPerEpoch + 1 and that + k (minimal: 57 and 60; mainnet: 229377 and 230401).
    const heights = post("epoch_schedule", "epoch_7") as { commitHeight: string; revealHeight: string };
    const expected = preset.name === "minimal" ? ["57", "60"] : ["229377", "230401"];
    expect([heights.commitHeight, heights.revealHeight]).toEqual(expected);
  });

  // @covers DRG-SHARE-VERIFY.1 DRG-COMMIT-CHECK.1
  it("returns the share's output sha256(π) and the pRnd of the aggregate, derived from the BLS primitives", () => {
    const share = post("share_verify", "valid") as {
      share: { proof: string; signer: number };
      output: string;
    };
    expect(share.share.signer).toBe(2);
    expect(share.output).toBe(bytesToHex(sha256(bytesFromHex(share.share.proof))));
    const commitCase = cases.find((c) => c.handler === "commit_check" && c.name === "valid")!;
    const input = commitCase.input as { blockNum: string; viewId: string; parentHash: string };
    const tag = new TextEncoder().encode("HARMONY-DRG-V1-SHARE");
    const seed = new Uint8Array(68);
    seed.set(tag, 0);
    new DataView(seed.buffer).setBigUint64(20, BigInt(input.blockNum) / BigInt(preset.blocksPerEpoch));
    new DataView(seed.buffer).setBigUint64(28, BigInt(input.viewId));
    seed.set(bytesFromHex(input.parentHash), 36);
    const sim = beaconCommittee([5n, 3n, 2n, 2n, 1n, 1n, 1n]);
    const commitment = post("commit_check", "valid") as { pRnd: string; signers: number[]; power: string };
    expect(commitment).toEqual({
      pRnd: bytesToHex(pRndFromAggregate(aggregateProofOf(sim, [0, 4], seed))),
      signers: [0, 4],
      power: "6",
    });
    expect((post("commit_build", "members_0_4") as { vrf: string }).vrf).toBe(
      (commitCase.input as { vrf: string }).vrf,
    );
  });

  // @covers DRG-ADVANCE.1 DRG-REVEAL-CHECK.1
  it("folds the reveal into Rnd, the VDF output of pRnd, and keeps the state between the two", () => {
    const reveal = post("advance", "reveal") as { pRnd: string; rnd: string };
    expect(reveal.rnd).toBe((post("reveal_check", "valid") as { rnd: string }).rnd);
    const quiet = post("advance", "quiet_block") as { pRnd: string | null; rnd: string | null };
    expect(quiet.rnd).toBeNull();
    expect(quiet.pRnd).toBe(reveal.pRnd);
    expect(post("advance", "new_epoch")).toEqual({ epoch: "2", pRnd: null, rnd: null });
  });
});
