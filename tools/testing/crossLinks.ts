import type { Committee } from "../../reference/consensus/committee.ts";
import type { Committed } from "../../reference/consensus/messages.ts";
import { commitPayload, preparePayload } from "../../reference/consensus/payloads.ts";
import { type CrossLink, crossLinkOf } from "../../reference/crossshard/crosslink.ts";
import type { CxReceipt } from "../../reference/ledger/receipt.ts";
import type { Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import { secretsOf } from "./beaconChains.ts";
import { castOf, type Proposed, proposal } from "./consensusScripts.ts";
import { certificateBy, type Signer } from "./consensusSigners.ts";
import { genesis } from "./ledgerChains.ts";

/*
 * Test support for chapter 12: a shard's first blocks, each finalized by a quorum of the committee that serves
 * its height, and their crosslinks.
 */

/** A finalized shard block and its crosslink (XLINK-OF-BLOCK.1). */
export interface LinkedBlock {
  readonly block: Proposed;
  readonly crossLink: CrossLink;
}

/** The members that sign a block, and the size of their committee (the bitmap's length). */
export interface BlockSigners {
  readonly signers: readonly Signer[];
  readonly committeeSize: number;
}

/** Every member of `committee` as a signer, with its secret key (genesis validators or labelled stakers). */
export function committeeSigners(committee: Committee, preset: Preset): BlockSigners {
  const secrets = secretsOf(committee, preset);
  return {
    signers: committee.members.map((m, index) => ({
      index,
      secretKey: secrets[index]!,
      publicKey: m.publicKey,
    })),
    committeeSize: committee.members.length,
  };
}

/**
 * Blocks 1 … `count` of shard `shard`, block n proposed in view n with the previous block's commit certificate
 * in its header, holding `transactionsAt(n)`, and finalized by `signersAt(n)`: by default the first three members
 * of four, or more generally the smallest quorum, of the shard's genesis committee.
 */
export function linkedBlocks(
  preset: Preset,
  shard: number,
  count: number,
  signersAt: (height: bigint) => BlockSigners = () => genesisQuorum(preset, shard),
  transactionsAt: (height: bigint) => readonly Transaction[] = () => [],
): LinkedBlock[] {
  const cast = castOf(preset, preset.slotsPerShard, shard);
  const out: LinkedBlock[] = [];
  let ledger = genesis(preset, shard);
  let headCert = null;
  for (let n = 1n; n <= BigInt(count); n++) {
    const block = proposal(cast, ledger, n, ledger.head.time + 2n, headCert, transactionsAt(n));
    const { signers, committeeSize } = signersAt(n);
    const certificate = certificateBy(signers, commitPayload(n, block.hash, n), committeeSize);
    const committed: Committed = {
      type: "committed",
      shardId: shard,
      blockNum: n,
      viewId: n,
      blockHash: block.hash,
      blockViewId: n,
      certificate,
      preparedCertificate: certificateBy(signers, preparePayload(n, block.hash, n), committeeSize),
    };
    out.push({ block, crossLink: crossLinkOf(block.block, committed) });
    ledger = block.after;
    headCert = certificate;
  }
  return out;
}

/** The smallest quorum of the shard's genesis committee, its first members. */
export function genesisQuorum(
  preset: Preset,
  shard: number,
  size = Math.floor((2 * preset.slotsPerShard) / 3) + 1,
): BlockSigners {
  return {
    signers: castOf(preset, preset.slotsPerShard, shard).members.slice(0, size),
    committeeSize: preset.slotsPerShard,
  };
}

/** A receipt of shard `from` bound for `to`, its fields made from `n`. */
export function sampleReceipt(n: number, from: number, to: number): CxReceipt {
  return {
    txHash: new Uint8Array(32).fill(n),
    from: new Uint8Array(20).fill(0x10 + n),
    to: new Uint8Array(20).fill(0x40 + n),
    fromShard: from,
    toShard: to,
    amount: BigInt(n) * 10n ** 18n,
  };
}
