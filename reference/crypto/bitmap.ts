import { attempt, ok, type Result, SpecError } from "../errors.ts";
import type { BlsBackend } from "./bls/backend.ts";
import { nobleBls } from "./bls/noble.ts";

/**
 * The largest committee a signer bitmap describes: 2^16 = 65536 members, a bitmap of 8192 bytes. Every bit
 * position is then below 2^16, so the byte and bit arithmetic below is exact in any integer type of 32 bits or more.
 *
 * @spec BITMAP-FORMAT.2
 */
export const BITMAP_MAX_COMMITTEE_SIZE = 65536;

/** BITMAP-DECODE L1 / BITMAP-ENCODE L1: n is an integer with 0 ≤ n ≤ 65536. */
function checkCommitteeSize(committeeSize: number): void {
  if (!Number.isInteger(committeeSize) || committeeSize < 0 || committeeSize > BITMAP_MAX_COMMITTEE_SIZE) {
    throw new SpecError(
      "BITMAP_COMMITTEE_SIZE",
      `a committee size is an integer in [0, ${BITMAP_MAX_COMMITTEE_SIZE}], got ${committeeSize}`,
    );
  }
}

/** ⌈n / 8⌉ = (n + 7) div 8, for a committee size already checked. */
function byteLength(committeeSize: number): number {
  return Math.floor((committeeSize + 7) / 8);
}

/**
 * BIT(bitmap, i): bit (i mod 8) of byte (i div 8), where bit 0 is the least significant bit of the byte.
 * The callers keep 0 ≤ i < 8 · bitmap.length ≤ 2^16.
 */
function bit(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[Math.floor(index / 8)]! >> (index % 8)) & 1) === 1;
}

/**
 * Bytes of the signer bitmap of a committee of `committeeSize` members: ⌈n / 8⌉. Rejects a committee size
 * that is not an integer in [0, 65536] with BITMAP_COMMITTEE_SIZE.
 *
 * @spec BITMAP-FORMAT.2
 */
export function bitmapLength(committeeSize: number): Result<number> {
  return attempt(() => {
    checkCommitteeSize(committeeSize);
    return byteLength(committeeSize);
  });
}

/**
 * Decodes a signer bitmap into the ascending list of committee indices whose bit is set.
 *
 * @spec BITMAP-DECODE.2
 */
export function decodeBitmap(bitmap: Uint8Array, committeeSize: number): Result<number[]> {
  return attempt(() => {
    checkCommitteeSize(committeeSize); // BITMAP-DECODE L1
    const expected = byteLength(committeeSize);
    // BITMAP-DECODE L2
    if (bitmap.length !== expected) {
      throw new SpecError(
        "BITMAP_LENGTH",
        `bitmap of a committee of ${committeeSize} must be ${expected} bytes, got ${bitmap.length}`,
      );
    }
    // BITMAP-DECODE L3–L4
    for (let i = committeeSize; i < 8 * expected; i++) {
      if (bit(bitmap, i))
        throw new SpecError("BITMAP_STRAY_BITS", `bit ${i} is set beyond the committee size`);
    }
    // BITMAP-DECODE L5–L6
    const signers: number[] = [];
    for (let i = 0; i < committeeSize; i++) if (bit(bitmap, i)) signers.push(i);
    return signers;
  });
}

/**
 * The number of signers a valid bitmap marks.
 *
 * @spec BITMAP-DECODE.2
 */
export function countSigners(bitmap: Uint8Array, committeeSize: number): Result<number> {
  const signers = decodeBitmap(bitmap, committeeSize);
  return signers.ok ? ok(signers.value.length) : signers;
}

/**
 * Encodes a set of committee indices (any order) as the committee's signer bitmap.
 *
 * @spec BITMAP-ENCODE.2
 */
export function encodeBitmap(committeeSize: number, signers: readonly number[]): Result<Uint8Array> {
  return attempt(() => {
    checkCommitteeSize(committeeSize); // BITMAP-ENCODE L1
    const bitmap = new Uint8Array(byteLength(committeeSize)); // BITMAP-ENCODE L2
    for (const index of signers) {
      // BITMAP-ENCODE L3–L4
      if (!Number.isInteger(index) || index < 0 || index >= committeeSize) {
        throw new SpecError(
          "BITMAP_INDEX_OUT_OF_RANGE",
          `signer index ${index} is not an integer in [0, ${committeeSize})`,
        );
      }
      // BITMAP-ENCODE L5
      if (bit(bitmap, index))
        throw new SpecError("BITMAP_INDEX_DUPLICATE", `signer index ${index} is repeated`);
      const at = Math.floor(index / 8);
      bitmap[at] = bitmap[at]! | (1 << (index % 8)); // BITMAP-ENCODE L6
    }
    return bitmap; // BITMAP-ENCODE L7
  });
}

/**
 * The aggregate public key of the committee members a bitmap marks, and how many they are. `committee` is
 * the committee's BLS public keys in committee order.
 *
 * @spec BITMAP-AGGREGATE-KEY.2
 */
export function aggregateSignerKeys(
  committee: readonly Uint8Array[],
  bitmap: Uint8Array,
  bls: BlsBackend = nobleBls,
): Result<{ readonly publicKey: Uint8Array; readonly signers: number }> {
  return attempt(() => {
    const decoded = decodeBitmap(bitmap, committee.length); // BITMAP-AGGREGATE-KEY L1
    if (!decoded.ok) throw decoded.error;
    const keys: Uint8Array[] = [];
    for (const index of decoded.value) keys.push(committee[index]!); // BITMAP-AGGREGATE-KEY L2
    const aggregate = bls.aggregatePublicKeys(keys); // BITMAP-AGGREGATE-KEY L3 (zero signers: BLS_AGGREGATE_EMPTY)
    if (!aggregate.ok) throw aggregate.error;
    return { publicKey: aggregate.value, signers: keys.length }; // BITMAP-AGGREGATE-KEY L4
  });
}
