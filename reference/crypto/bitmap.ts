import { attempt, type Result, SpecError } from "../errors.ts";
import type { BlsBackend } from "./bls/backend.ts";
import { nobleBls } from "./bls/noble.ts";

/**
 * Bytes of the signer bitmap of a committee of `committeeSize` members: ⌈n / 8⌉.
 *
 * @spec BITMAP-FORMAT.1
 */
export function bitmapLength(committeeSize: number): number {
  return (committeeSize + 7) >> 3;
}

/**
 * Whether committee member `index` is marked in the bitmap: bit (index & 7) of byte (index >> 3), where bit 0 is the
 * least significant bit of the byte. The caller guarantees index < 8 · bitmap.length.
 *
 * @spec BITMAP-FORMAT.1
 */
export function bitmapBit(bitmap: Uint8Array, index: number): boolean {
  return ((bitmap[index >> 3]! >> (index & 7)) & 1) === 1;
}

/**
 * Decodes a signer bitmap into the ascending list of committee indices whose bit is set.
 *
 * @spec BITMAP-DECODE.1
 */
export function decodeBitmap(bitmap: Uint8Array, committeeSize: number): Result<number[]> {
  return attempt(() => {
    const expected = bitmapLength(committeeSize);
    // BITMAP-DECODE L1
    if (bitmap.length !== expected) {
      throw new SpecError(
        "BITMAP_LENGTH",
        `bitmap of a committee of ${committeeSize} must be ${expected} bytes`,
      );
    }
    // BITMAP-DECODE L2–L3
    for (let i = committeeSize; i < 8 * expected; i++) {
      if (bitmapBit(bitmap, i))
        throw new SpecError("BITMAP_STRAY_BITS", `bit ${i} is set beyond the committee size`);
    }
    // BITMAP-DECODE L4–L5
    const signers: number[] = [];
    for (let i = 0; i < committeeSize; i++) if (bitmapBit(bitmap, i)) signers.push(i);
    return signers;
  });
}

/**
 * The number of signers a valid bitmap marks.
 *
 * @spec BITMAP-DECODE.1
 */
export function countSigners(bitmap: Uint8Array, committeeSize: number): Result<number> {
  const signers = decodeBitmap(bitmap, committeeSize);
  return signers.ok ? { ok: true, value: signers.value.length } : signers;
}

/**
 * Encodes a set of committee indices (any order) as the committee's signer bitmap.
 *
 * @spec BITMAP-ENCODE.1
 */
export function encodeBitmap(committeeSize: number, signers: readonly number[]): Result<Uint8Array> {
  return attempt(() => {
    const bitmap = new Uint8Array(bitmapLength(committeeSize)); // BITMAP-ENCODE L1
    for (const index of signers) {
      // BITMAP-ENCODE L2–L3
      if (!Number.isInteger(index) || index < 0 || index >= committeeSize) {
        throw new SpecError(
          "BITMAP_INDEX_OUT_OF_RANGE",
          `signer index ${index} is not in [0, ${committeeSize})`,
        );
      }
      // BITMAP-ENCODE L4
      if (bitmapBit(bitmap, index))
        throw new SpecError("BITMAP_INDEX_DUPLICATE", `signer index ${index} is repeated`);
      bitmap[index >> 3] = bitmap[index >> 3]! | (1 << (index & 7)); // BITMAP-ENCODE L5
    }
    return bitmap;
  });
}

/**
 * The aggregate public key of the committee members a bitmap marks, and how many they are. `committee` is
 * the committee's BLS public keys in committee order.
 *
 * @spec BITMAP-AGGREGATE-KEY.1
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
    for (const index of decoded.value) keys.push(committee[index]!); // L2
    const aggregate = bls.aggregatePublicKeys(keys); // L3 (zero signers: BLS_AGGREGATE_EMPTY)
    if (!aggregate.ok) throw aggregate.error;
    return { publicKey: aggregate.value, signers: keys.length }; // L4
  });
}
