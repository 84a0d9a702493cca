import type { Announce, Prepare, Share } from "../../reference/consensus/index.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import { readCommitField } from "../../reference/randomness/commit.ts";
import { BEACON_SHARD, drgFieldsExpected } from "../../reference/randomness/schedule.ts";
import type { CheckResult, FbftRecord } from "./checkers.ts";
import { observationsOf } from "./observations.ts";

/*
 * The commit window of the randomness protocol (DRG-COMMIT-WINDOW.2) as a property of a run on the beacon
 * chain, read from what the honest machines sent and accepted.
 */

/**
 * Every prepare an honest machine sent for a fresh proposal of a commit height (a block whose header view is the
 * prepare's view) came at most drgCommitWindowMs after that machine sent its share of the round, and the block's
 * commitment counts that share. This is what bounds a leader's time to evaluate candidate commitments (§9.7);
 * a leader that takes longer gets no honest prepare. Holds vacuously off the beacon chain.
 */
export function checkCommitWindow(record: FbftRecord): CheckResult {
  if (record.genesis.head.shardId !== BEACON_SHARD) return { holds: true, detail: "not the beacon chain" };
  const windowMs = record.preset.drgCommitWindowMs;
  let checked = 0;
  for (const machine of record.machines) {
    if (!machine.honest) continue;
    const shares = new Map<string, number>();
    const announces = new Map<string, Announce>();
    for (const { observation } of observationsOf(machine.observations, "accepted")) {
      if (observation.message.type === "announce") {
        announces.set(bytesToHex(observation.message.blockHash), observation.message);
      }
    }
    for (const { time, observation } of observationsOf(machine.observations, "sent")) {
      const message = observation.message;
      if (message.type === "share") shares.set(roundKey(message), time);
      if (message.type !== "prepare") continue;
      if (drgFieldsExpected(BEACON_SHARD, message.blockNum, record.preset) !== "commit") continue;
      const announce = announces.get(bytesToHex(message.blockHash));
      const where = `machine ${machine.machine} (identity ${machine.identity}), prepare of height ${message.blockNum} in view ${message.viewId}`;
      if (announce === undefined)
        return { holds: false, detail: `${where}: no announce of the block was accepted` };
      const block = decodeBlock(announce.block, record.preset);
      if (!block.ok) return { holds: false, detail: `${where}: the announced block does not decode` };
      if (block.value.header.viewId !== message.viewId) continue; // a re-proposal: its commitment is older
      const sentAt = shares.get(roundKey(message));
      if (sentAt === undefined) return { holds: false, detail: `${where}: no share of the round was sent` };
      if (time - sentAt > windowMs) {
        return {
          holds: false,
          detail: `${where}: ${time - sentAt} ms after the share, window ${windowMs} ms`,
        };
      }
      const commitment = readCommitField(block.value.header.vrf, record.committee);
      if (!commitment.ok || !commitment.value.signers.includes(machine.identity)) {
        return { holds: false, detail: `${where}: the commitment does not count this member's share` };
      }
      checked++;
    }
  }
  return {
    holds: true,
    detail: `${checked} prepare(s) of fresh commit-height proposals inside their window`,
  };
}

function roundKey(message: Share | Prepare): string {
  return `${message.blockNum}/${message.viewId}`;
}
