import {
  type Announce,
  applyChainBlock,
  beaconChainOf,
  type Prepare,
  type Share,
} from "../../reference/consensus/index.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import { decodeBlock } from "../../reference/ledger/block.ts";
import { readCommitField } from "../../reference/randomness/commit.ts";
import { BEACON_SHARD, drgFieldsExpected } from "../../reference/randomness/schedule.ts";
import type { CheckResult, FbftRecord } from "./checkers.ts";
import { observationsOf } from "./observations.ts";

/*
 * The randomness of a run on the beacon chain: what each epoch committed and revealed, replayed from an honest
 * machine's chain with the beacon rule, and the commit window (DRG-COMMIT-WINDOW.2) as a property of the run,
 * read from what the honest machines sent and accepted.
 */

/** One epoch's randomness as the finalized chain fixed it. */
export interface EpochRandomness {
  readonly epoch: bigint;
  readonly commitHeight: bigint;
  /** The view whose leader committed, and the members whose shares the commitment counts. */
  readonly commitView: bigint;
  readonly signers: readonly number[];
  readonly pRnd: Uint8Array;
  /** Null while the reveal block is not finalized. */
  readonly rnd: Uint8Array | null;
}

/**
 * The epochs whose commit block the first honest machine finalized, in order, from its chain replayed with the
 * beacon rule (CHAIN-APPLY); empty off the beacon chain.
 */
export function epochRandomness(record: FbftRecord): EpochRandomness[] {
  const config = { shardId: record.genesis.head.shardId, preset: record.preset, bls: record.bls };
  if (config.shardId !== BEACON_SHARD) return [];
  const machine = record.machines.find((m) => m.honest);
  if (machine === undefined) return [];
  const epochs: EpochRandomness[] = [];
  let chain = beaconChainOf(record.genesis);
  for (const { observation } of observationsOf(machine.observations, "finalized")) {
    const header = observation.block.header;
    chain = beaconChainOf(applyChainBlock(config, chain, observation.block));
    const role = drgFieldsExpected(BEACON_SHARD, header.number, record.preset);
    if (role === "commit") {
      const { signers } = unwrap(readCommitField(header.vrf, record.committee));
      epochs.push({
        epoch: chain.drg.epoch,
        commitHeight: header.number,
        commitView: header.viewId,
        signers,
        pRnd: chain.drg.pRnd!,
        rnd: null,
      });
    }
    const last = epochs.at(-1);
    if (role === "reveal" && last !== undefined && last.epoch === chain.drg.epoch) {
      epochs[epochs.length - 1] = { ...last, rnd: chain.drg.rnd };
    }
  }
  return epochs;
}

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
