/*
 * The public API of FBFT consensus and view change (chapters 6 and 7).
 */

// State machine
// Building blocks
export {
  aggregateCertificate,
  type Certificate,
  type SignerSignature,
  verifyCertificate,
  verifyClaimAggregate,
  verifyHeaderCertificate,
  verifyVoteSignature,
} from "./certificate.ts";
export { applyChainBlock, beaconChainOf, buildChainBlock, type ChainConfig, chainStart } from "./chain.ts";
export {
  type Committee,
  type CommitteeMember,
  checkCommittee,
  genesisCommittee,
  genesisValidatorSecretKey,
  isBlocking,
  isQuorum,
  powerOf,
  publicKeysOf,
} from "./committee.ts";
export {
  type DoubleSignEvidence,
  DoubleSignEvidenceJson,
  DoubleSignEvidenceJsonOutput,
  type DoubleSignEvidenceJsonValue,
  evidenceFromJson,
  evidenceToJson,
  type SignedVote,
  signedVoteOf,
  signedVoteOfCertificate,
  verifyEvidence,
} from "./evidence.ts";
export { initialState } from "./finalize.ts";
export { accountableOffenders, livenessTurnBound } from "./guarantees.ts";
export { leaderOf, nextView, turnOf, viewTimeoutMs } from "./leader.ts";
export {
  type Announce,
  bitmapsIn,
  type Claim,
  type Commit,
  type Committed,
  type ConsensusMessage,
  ConsensusMessageJson,
  ConsensusMessageJsonOutput,
  type ConsensusMessageJsonValue,
  checkMessageFields,
  decodeMessage,
  encodeMessage,
  MAX_BITMAP_BYTES,
  MAX_MESSAGE_BLOCK_BYTES,
  MAX_PREPARED_GROUPS,
  MESSAGE_FIELD_COUNTS,
  MESSAGE_TYPE_CODES,
  type MessageBase,
  type MessageType,
  messageFromJson,
  messageToJson,
  type NewView,
  type Prepare,
  type Prepared,
  type PreparedGroup,
  type Share,
  signersIn,
  type ViewChange,
} from "./messages.ts";
export { verifyNewView } from "./newView.ts";
export {
  BLOCK_HASH_BYTES,
  commitPayload,
  m1Payload,
  m2Payload,
  m3Payload,
  preparePayload,
  uint64Le,
} from "./payloads.ts";
export { type PersistentConsensusState, persistentState, restoreState } from "./persist.ts";
export {
  type CommitVoteRecord,
  type ConsensusConfig,
  type ConsensusEvent,
  type ConsensusMode,
  type ConsensusOutput,
  type ConsensusState,
  heightOf,
  type Lock,
  type Proposal,
  type ValidatedBlock,
  type ViewChangeList,
  type ViewChangeRecord,
} from "./state.ts";
export { MAX_HEIGHT_AHEAD, MAX_TURNS_AHEAD, step } from "./step.ts";
export { addVote, emptyVoteKeeper, powerFor, type Vote, type VoteKeeper, votesFor } from "./voteKeeper.ts";
