/*
 * RLP headers written by hand from the length rules of RLP-ENCODE.1, for tests and conformance cases that need
 * encodings the reference encoder never writes: a list whose header declares a wrong length, a short string in
 * the long form, a length with a leading zero byte. They share no code with reference/encoding/rlp.ts.
 */

/** The minimal big-endian bytes of a length (none for 0). */
export function lengthBytesOf(length: number): number[] {
  const out: number[] = [];
  for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) out.unshift(rest % 256);
  return out;
}

/**
 * A header in the long form for a payload of `length` bytes: `offset` + 55 + the number of length bytes, then
 * the length with `zeros` leading zero bytes. `offset` is 0x80 for a byte string, 0xc0 for a list.
 */
export function longHeader(offset: number, length: number, zeros = 0): number[] {
  const lengthBytes = lengthBytesOf(length);
  for (let i = 0; i < zeros; i++) lengthBytes.unshift(0);
  return [offset + 55 + lengthBytes.length, ...lengthBytes];
}

/** The canonical header of a list whose payload is `length` bytes (RLP-ENCODE L7–L8). */
export function listHeader(length: number): number[] {
  return length <= 55 ? [0xc0 + length] : longHeader(0xc0, length, 0);
}

/**
 * A list of already encoded elements behind a canonical header that declares `declaredLength` payload bytes; by
 * default the elements' total length, which makes the list well formed.
 */
export function listOf(elements: readonly Uint8Array[], declaredLength?: number): Uint8Array {
  let length = 0;
  for (const e of elements) length += e.length;
  const header = listHeader(declaredLength ?? length);
  const out = new Uint8Array(header.length + length);
  out.set(header, 0);
  let at = header.length;
  for (const e of elements) {
    out.set(e, at);
    at += e.length;
  }
  return out;
}
