/*
 * The public API of the distributed randomness generator (chapter 9).
 */

export { type DrgHeader, type DrgState, drgAdvance, drgEpochStart } from "./advance.ts";
export {
  buildCommitField,
  type Commitment,
  checkCommitField,
  DRG_COMMIT_FIELD_MAX_BYTES,
  DRG_PRND_TAG,
  pRndOf,
  type VerifiedShare,
} from "./commit.ts";
export { buildRevealField, checkRevealField, DRG_REVEAL_FIELD_BYTES } from "./reveal.ts";
export {
  BEACON_SHARD,
  type DrgRole,
  drgCommitHeight,
  drgFieldsExpected,
  drgRevealHeight,
  drgScheduleFits,
} from "./schedule.ts";
export { DRG_SEED_TAG, type DrgRound, drgSeed } from "./seed.ts";
export { DRG_PROOF_BYTES, makeShare, verifyShare } from "./share.ts";
export {
  DRG_TIMING_ASSUMPTIONS,
  type SquaringSpeeds,
  type TimingMargins,
  timingMargins,
} from "./timing.ts";
