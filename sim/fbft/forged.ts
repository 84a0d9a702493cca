import type { Announce, ConsensusState, ViewChange } from "../../reference/consensus/index.ts";
import { m2Payload, m3Payload, preparePayload } from "../../reference/consensus/index.ts";
import { unwrap } from "../../reference/errors.ts";
import { type Block, encodeBlock } from "../../reference/ledger/block.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import type { Preset } from "../../reference/params/presets.ts";

/*
 * Messages a Byzantine key signs on its own, for the simulator's adversaries and the property suites'
 * adversary commands: payloads of FBFT-PAYLOADS.1 signed with the member's key, blocks built by the
 * reference's buildBlock. Each is well formed; whether it is timely or consistent is the adversary's gamble.
 */

/** The member whose key signs, and where. */
export interface ForgingKey {
  readonly shardId: number;
  readonly preset: Preset;
  readonly signer: number;
  readonly sign: (payload: Uint8Array) => Uint8Array;
}

/** A signed, truthless view change (a nil claim) for height `blockNum` and view `view`. */
export function forgedViewChange(key: ForgingKey, blockNum: bigint, view: bigint): ViewChange {
  return {
    type: "viewChange",
    shardId: key.shardId,
    blockNum,
    viewId: view,
    signer: key.signer,
    m3Signature: key.sign(m3Payload(blockNum, view)),
    claim: { kind: "nil", signature: key.sign(m2Payload(blockNum, view)) },
  };
}

/** How a forged proposal differs from an honest one. */
export interface ForgedBlockOptions {
  /** Marks the block, so that it never coincides with an honest proposal. */
  readonly extra?: Uint8Array;
  /** Replaces the state root, so that the block fails VALIDATE-BLOCK. */
  readonly stateRoot?: Uint8Array;
}

/**
 * A fresh block with no transactions at the state's height, proposed in view `view` at `timeSeconds` (or just
 * after its parent), announced and signed by the key.
 */
export function forgedAnnounce(
  key: ForgingKey,
  state: ConsensusState,
  view: bigint,
  timeSeconds: bigint,
  options: ForgedBlockOptions = {},
): Announce {
  const parentTime = state.ledger.head.time;
  const fields = {
    ...plainProposerFields(timeSeconds > parentTime ? timeSeconds : parentTime + 1n, view),
    ...(options.extra === undefined ? {} : { extra: options.extra }),
  };
  const headCert = state.headCert;
  const built = unwrap(
    buildBlock(
      state.ledger,
      [],
      headCert === null
        ? fields
        : { ...fields, lastCommitSignature: headCert.signature, lastCommitBitmap: headCert.bitmap },
      key.preset,
    ),
  );
  const block: Block =
    options.stateRoot === undefined
      ? built.block
      : { ...built.block, header: { ...built.block.header, stateRoot: options.stateRoot } };
  const blockHash = headerHash(block.header);
  return {
    type: "announce",
    shardId: key.shardId,
    blockNum: block.header.number,
    viewId: view,
    blockHash,
    block: encodeBlock(block),
    signature: key.sign(preparePayload(block.header.number, blockHash, view)),
  };
}
