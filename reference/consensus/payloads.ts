import { UINT64_LIMIT } from "../ledger/account.ts";

/*
 * The bytes every consensus signature covers (§6.2). Five payloads of five different lengths, so that no
 * signature made for one purpose verifies for another.
 */

/** Bytes of a block hash (HEADER-HASH.1). */
export const BLOCK_HASH_BYTES = 32;

/** Domain tags that lead the M2, M1 and PREPARE payloads. */
const M2_TAG = 0x01;
const M1_TAG = 0x02;
const PREPARE_TAG = 0x04;

/**
 * uint64_le(x): the 8-byte little-endian form of 0 ≤ x < 2^64. Every message field that reaches a payload is
 * inside that range (MSG-RLP.2), so a value outside it is a defect of the caller and throws a RangeError.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function uint64Le(value: bigint): Uint8Array {
  if (value < 0n || value >= UINT64_LIMIT) throw new RangeError(`uint64_le of ${value}: outside [0, 2^64)`);
  const out = new Uint8Array(8);
  let rest = value;
  for (let i = 0; i < 8; i++) {
    out[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return out;
}

/** Concatenates byte-string parts; a block hash part must be 32 bytes (a RangeError otherwise, as above). */
function concat(parts: readonly (Uint8Array | number)[]): Uint8Array {
  let length = 0;
  for (const part of parts) length += typeof part === "number" ? 1 : part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    if (typeof part === "number") out[at++] = part;
    else {
      out.set(part, at);
      at += part.length;
    }
  }
  return out;
}

function checkedHash(hash: Uint8Array): Uint8Array {
  if (hash.length !== BLOCK_HASH_BYTES) throw new RangeError(`a block hash is 32 bytes, got ${hash.length}`);
  return hash;
}

/**
 * PREPARE = 0x04 ‖ uint64_le(N) ‖ h ‖ uint64_le(v): 49 bytes. The height is signed because one view number can
 * occur at two heights, where an unbound prepare would look like a double vote.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function preparePayload(blockNum: bigint, hash: Uint8Array, view: bigint): Uint8Array {
  return concat([PREPARE_TAG, uint64Le(blockNum), checkedHash(hash), uint64Le(view)]);
}

/**
 * COMMIT = uint64_le(N) ‖ h ‖ uint64_le(u), u the block header's viewId: 48 bytes, mainnet's commit payload.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function commitPayload(blockNum: bigint, hash: Uint8Array, blockViewId: bigint): Uint8Array {
  return concat([uint64Le(blockNum), checkedHash(hash), uint64Le(blockViewId)]);
}

/**
 * M3 = uint64_le(N) ‖ uint64_le(w): 16 bytes.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function m3Payload(blockNum: bigint, view: bigint): Uint8Array {
  return concat([uint64Le(blockNum), uint64Le(view)]);
}

/**
 * M2 = 0x01 ‖ uint64_le(N) ‖ uint64_le(w): 17 bytes.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function m2Payload(blockNum: bigint, view: bigint): Uint8Array {
  return concat([M2_TAG, uint64Le(blockNum), uint64Le(view)]);
}

/**
 * M1 = 0x02 ‖ uint64_le(N) ‖ uint64_le(w) ‖ uint64_le(p) ‖ h: 57 bytes.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function m1Payload(
  blockNum: bigint,
  view: bigint,
  preparedView: bigint,
  preparedHash: Uint8Array,
): Uint8Array {
  return concat([
    M1_TAG,
    uint64Le(blockNum),
    uint64Le(view),
    uint64Le(preparedView),
    checkedHash(preparedHash),
  ]);
}
