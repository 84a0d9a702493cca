import { bytesToHex } from "../encoding/json.ts";
import { SpecError, unwrap } from "../errors.ts";
import { checkBodyRoots } from "../ledger/applyBlock.ts";
import { type Block, decodeBlock } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import type { ConsensusConfig } from "./state.ts";

/*
 * A block a message carries, and the hash the message names it by (FBFT-BLOCK-NAMED.1).
 */

/** The code a mismatch raises: chapter 6's for normal-case messages and sync, chapter 7's for claims. */
export type BlockMismatchCode = "CONSENSUS_BLOCK_MISMATCH" | "VIEW_BLOCK_MISMATCH";

/**
 * BLOCK-NAMED(B, h, N, code) (L1–L2): `block` is the block of height `blockNum` named by `hash`, body
 * included, so that a block remembered by its hash is the block that is stored.
 *
 * @spec FBFT-BLOCK-NAMED.1
 */
export function checkNamedBlock(
  block: Block,
  hash: Uint8Array,
  blockNum: bigint,
  code: BlockMismatchCode,
): void {
  if (!bytesEqual(headerHash(block.header), hash) || block.header.number !== blockNum) {
    const detail = `the block does not hash to ${bytesToHex(hash)} or is not at height ${blockNum}`;
    throw code === "VIEW_BLOCK_MISMATCH"
      ? new SpecError("VIEW_BLOCK_MISMATCH", detail)
      : new SpecError("CONSENSUS_BLOCK_MISMATCH", detail); // BLOCK-NAMED L1
  }
  checkBodyRoots(block); // BLOCK-NAMED L2
}

/**
 * BLOCK-DECODE then BLOCK-NAMED: the block a message carries, checked against the hash and height it names
 * (FBFT-ON-ANNOUNCE L1–L2, FBFT-ON-PREPARED L1, VIEW-CHECK-VIEWCHANGE L6–L7).
 *
 * @spec FBFT-BLOCK-NAMED.1
 */
export function decodeNamedBlock(
  config: ConsensusConfig,
  bytes: Uint8Array,
  hash: Uint8Array,
  blockNum: bigint,
  code: BlockMismatchCode,
): Block {
  const block = unwrap(decodeBlock(bytes, config.preset));
  checkNamedBlock(block, hash, blockNum, code);
  return block;
}
