export { bucketIndex, checkId, compareDistance, distance, ID_BYTES, nodeId } from "./id.ts";
export {
  type Candidate,
  type CandidateStatus,
  hopBound,
  type Lookup,
  type LookupOutput,
  type LookupStep,
  lookupFailure,
  lookupResponse,
  startLookup,
} from "./lookup.ts";
export { SHARD_KEY_TAG, shardKey } from "./shardKey.ts";
export { closest, emptyTable, type RoutingTable, type SeenResult, seen, unresponsive } from "./table.ts";
