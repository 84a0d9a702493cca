/**
 * The nibble path of a key: each byte becomes two nibbles, high nibble first (Yellow Paper appendix D).
 *
 * @spec TRIE-NIBBLES.1
 */
export function keyToNibbles(key: Uint8Array): Uint8Array {
  const out = new Uint8Array(key.length * 2);
  for (let i = 0; i < key.length; i++) {
    out[2 * i] = key[i]! >> 4;
    out[2 * i + 1] = key[i]! & 0x0f;
  }
  return out;
}

/**
 * Hex-prefix encoding HP(x, t) of a nibble sequence `x` with the leaf flag `t` (Yellow Paper appendix C).
 * The first nibble is 2·t + (|x| mod 2); an odd-length path puts its first nibble next to the flag, an
 * even-length one pads the flag nibble with a zero nibble.
 *
 * @spec TRIE-HP.1
 */
export function hexPrefixEncode(nibbles: Uint8Array, isLeaf: boolean): Uint8Array {
  const flag = isLeaf ? 2 : 0; // TRIE-HP L1
  const odd = nibbles.length % 2; // TRIE-HP L2
  const out = new Uint8Array(1 + (nibbles.length - odd) / 2);
  let from: number;
  if (odd === 1) {
    out[0] = ((flag + 1) << 4) | nibbles[0]!; // TRIE-HP L3
    from = 1;
  } else {
    out[0] = flag << 4; // TRIE-HP L4
    from = 0;
  }
  for (let i = from, o = 1; i < nibbles.length; i += 2, o++) out[o] = (nibbles[i]! << 4) | nibbles[i + 1]!; // TRIE-HP L5
  return out;
}

/**
 * Inverse of `hexPrefixEncode`. Returns null when the bytes are not a hex-prefix encoding: empty input, a
 * flag nibble above 3, or an even-length form whose padding nibble is not zero.
 *
 * @spec TRIE-HP.1
 */
export function hexPrefixDecode(
  encoded: Uint8Array,
): { readonly nibbles: Uint8Array; readonly isLeaf: boolean } | null {
  if (encoded.length === 0) return null; // TRIE-HP L6
  const flag = encoded[0]! >> 4;
  if (flag > 3) return null; // TRIE-HP L7
  const odd = flag & 1;
  if (odd === 0 && (encoded[0]! & 0x0f) !== 0) return null; // TRIE-HP L8
  const nibbles = new Uint8Array(2 * (encoded.length - 1) + odd);
  let o = 0;
  if (odd === 1) nibbles[o++] = encoded[0]! & 0x0f;
  for (let i = 1; i < encoded.length; i++) {
    nibbles[o++] = encoded[i]! >> 4;
    nibbles[o++] = encoded[i]! & 0x0f;
  }
  return { nibbles, isLeaf: flag >= 2 }; // TRIE-HP L9
}
