import type { MessageCodec } from "../engine/protocol.ts";

/*
 * PBFT normal-case messages (Castro and Liskov, OSDI 1999, §4.2). Signatures are modelled by their size only:
 * each message carries one 96-byte signature, the size of a BLS12-381 signature, so that byte counts compare
 * like for like with FBFT. Nothing is actually signed; the engine's sender identity stands in for the
 * signature check.
 */

export interface PrePrepare {
  readonly type: "PRE-PREPARE";
  readonly view: number;
  readonly sequence: number;
  /** SHA-256 of the block, as 64 hex digits. */
  readonly digest: string;
  readonly replica: number;
  readonly block: Uint8Array;
}

export interface Prepare {
  readonly type: "PREPARE";
  readonly view: number;
  readonly sequence: number;
  readonly digest: string;
  readonly replica: number;
}

export interface Commit {
  readonly type: "COMMIT";
  readonly view: number;
  readonly sequence: number;
  readonly digest: string;
  readonly replica: number;
}

export type PbftMessage = PrePrepare | Prepare | Commit;

/** The fixed layout shared by every message, in bytes. */
export const PBFT_LAYOUT = {
  type: 1,
  view: 8,
  sequence: 8,
  digest: 32,
  replica: 4,
  signature: 96,
} as const;

/** 149 bytes: type, view, sequence, digest, replica and signature. */
export const PBFT_HEADER_BYTES = Object.values(PBFT_LAYOUT).reduce((sum, bytes) => sum + bytes, 0);

/**
 * Sizes follow the fixed layout; a PRE-PREPARE appends the block's bytes (its length is the frame's, as the
 * transport delimits messages).
 */
export const pbftCodec: MessageCodec<PbftMessage> = {
  size: (message) => PBFT_HEADER_BYTES + (message.type === "PRE-PREPARE" ? message.block.length : 0),
  kind: (message) => message.type,
  describe: (message) =>
    `v${message.view} n${message.sequence} d${message.digest.slice(0, 8)} r${message.replica}`,
};
