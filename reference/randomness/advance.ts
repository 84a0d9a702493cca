import type { Committee } from "../consensus/committee.ts";
import type { BlsBackend } from "../crypto/bls/backend.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { BlockHeader } from "../ledger/header.ts";
import type { Preset } from "../params/presets.ts";
import { checkCommitField } from "./commit.ts";
import { checkRevealField } from "./reveal.ts";
import { drgFieldsExpected } from "./schedule.ts";
import { drgSeed } from "./seed.ts";

/*
 * The randomness of one epoch as the beacon chain's headers build it up (§9.5).
 */

/**
 * What the headers of an epoch have fixed so far: the epoch, its pRnd once committed and its Rnd once revealed.
 *
 * @spec DRG-ADVANCE.1
 */
export interface DrgState {
  readonly epoch: bigint;
  readonly pRnd: Uint8Array | null;
  readonly rnd: Uint8Array | null;
}

/** The header fields the randomness rules read. */
export type DrgHeader = Pick<BlockHeader, "shardId" | "number" | "viewId" | "parentHash" | "vrf" | "vdf">;

/**
 * The state before the first block of `epoch`: nothing committed, nothing revealed.
 *
 * @spec DRG-ADVANCE.1
 */
export function drgEpochStart(epoch: bigint): DrgState {
  return { epoch, pRnd: null, rnd: null };
}

function unexpected(header: DrgHeader, field: string): never {
  throw new SpecError(
    "DRG_FIELD_UNEXPECTED",
    `block ${header.number} of shard ${header.shardId} must not carry ${field}`,
  );
}

/**
 * DRG-ADVANCE(D, H, C) (L1–L14): checks the `vrf` and `vdf` fields of header H against the schedule and, at the
 * commitment and the reveal, against the epoch's beacon committee C; returns the state after H. The input state
 * is never changed; a rejected header leaves it as it was.
 *
 * @spec DRG-ADVANCE.1
 */
export function drgAdvance(
  state: DrgState,
  header: DrgHeader,
  committee: Committee,
  preset: Preset,
  bls: BlsBackend = nobleBls,
): Result<DrgState> {
  return attempt(() => {
    const epoch = header.number / BigInt(preset.blocksPerEpoch); // DRG-ADVANCE L1
    const before = state.epoch === epoch ? state : drgEpochStart(epoch); // DRG-ADVANCE L2
    const role = drgFieldsExpected(header.shardId, header.number, preset); // DRG-ADVANCE L3
    if (role === "none") {
      if (header.vrf.length > 0) unexpected(header, "a commitment"); // DRG-ADVANCE L4
      if (header.vdf.length > 0) unexpected(header, "a reveal"); // DRG-ADVANCE L5
      return before; // DRG-ADVANCE L6
    }
    if (role === "commit") {
      if (header.vdf.length > 0) unexpected(header, "a reveal"); // DRG-ADVANCE L7
      if (header.vrf.length === 0) {
        throw new SpecError("DRG_COMMIT_MISSING", `beacon block ${header.number} must carry the commitment`); // L8
      }
      const seed = drgSeed(
        { blockNum: header.number, viewId: header.viewId, parentHash: header.parentHash },
        preset,
      ); // DRG-ADVANCE L9
      const commitment = unwrap(checkCommitField(header.vrf, committee, seed, bls)); // DRG-ADVANCE L10
      return { epoch, pRnd: commitment.pRnd, rnd: null };
    }
    if (header.vrf.length > 0) unexpected(header, "a commitment"); // DRG-ADVANCE L11
    if (header.vdf.length === 0) {
      throw new SpecError("DRG_REVEAL_MISSING", `beacon block ${header.number} must carry the reveal`); // L12
    }
    if (before.pRnd === null) {
      throw new SpecError(
        "DRG_NO_COMMITMENT",
        `no commitment of epoch ${epoch} precedes block ${header.number}`,
      ); // L13
    }
    const rnd = unwrap(checkRevealField(header.vdf, before.pRnd, preset)); // DRG-ADVANCE L14
    return { epoch, pRnd: before.pRnd, rnd };
  });
}
