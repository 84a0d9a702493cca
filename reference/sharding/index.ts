export { assignFresh } from "./assign.ts";
export { shardCommittee } from "./committees.ts";
export { checkHeaderShardState, epochCommittee, nextShardState } from "./epoch.ts";
export { type MoveReason, type Resharding, reshard, type SeatMove } from "./reshard.ts";
export { canonicalOrder, checkSeats, compareSeatIds, type Seat, seatId } from "./seat.ts";
export {
  checkShardState,
  decodeShardState,
  encodeShardState,
  type PlacedSeat,
  placeSeat,
  type ShardState,
} from "./shardState.ts";
export { permute, RANDOMNESS_BYTES, shuffle, shuffleLabel } from "./shuffle.ts";
