import { keccak256 } from "../encoding/keccak.ts";
import { attempt, type Result, SpecError } from "../errors.ts";

/*
 * Account addresses (20 bytes) in their two text forms: Ethereum hex (with optional EIP-55 checksum) and
 * Harmony's bech32 form (BIP-173) with the preset's human-readable part, e.g. one1….
 */

/** Bytes of an account address. */
export const ADDRESS_LENGTH = 20;

const HEX_DIGITS = "0123456789abcdef";

function checkAddressLength(address: Uint8Array): void {
  if (address.length !== ADDRESS_LENGTH) {
    throw new SpecError("ADDR_LENGTH", `an address is 20 bytes, got ${address.length}`);
  }
}

function lowerHexBody(address: Uint8Array): string {
  let out = "";
  for (let i = 0; i < address.length; i++) {
    out += HEX_DIGITS[address[i]! >> 4]! + HEX_DIGITS[address[i]! & 15]!;
  }
  return out;
}

/** EIP-55: upper-case the i-th hex letter when nibble i of keccak256(lower-case hex text) is 8 or more. */
function checksumBody(lowerBody: string): string {
  const digest = keccak256(new TextEncoder().encode(lowerBody));
  let out = "";
  for (let i = 0; i < lowerBody.length; i++) {
    const c = lowerBody[i]!;
    const nibble = i % 2 === 0 ? digest[i >> 1]! >> 4 : digest[i >> 1]! & 15;
    out += c >= "a" && c <= "f" && nibble >= 8 ? c.toUpperCase() : c;
  }
  return out;
}

/**
 * The canonical text form of an address: "0x" and 40 lower-case hex digits.
 *
 * @spec ADDR-HEX.1
 */
export function addressToHex(address: Uint8Array): Result<string> {
  return attempt(() => {
    checkAddressLength(address);
    return `0x${lowerHexBody(address)}`;
  });
}

/**
 * The EIP-55 mixed-case checksum form of an address (for display; never required on input).
 *
 * @spec ADDR-HEX.1
 */
export function addressToChecksumHex(address: Uint8Array): Result<string> {
  return attempt(() => {
    checkAddressLength(address);
    return `0x${checksumBody(lowerHexBody(address))}`;
  });
}

/**
 * Parses a hex address: "0x" and 40 hex digits, all lower-case, all upper-case, or mixed case matching EIP-55.
 * A character outside ASCII anywhere in the body is rejected before the length is checked, so the length is
 * a count of ASCII characters whatever encoding the text arrived in.
 *
 * @spec ADDR-HEX.1
 */
export function addressFromHex(text: string): Result<Uint8Array> {
  return attempt(() => {
    // ADDR-HEX L1
    if (!text.startsWith("0x")) throw new SpecError("ADDR_HEX_PREFIX", "a hex address starts with 0x");
    const body = text.slice(2);
    // ADDR-HEX L2: UTF-16 code units above 0x7f include both halves of a surrogate pair and lone surrogates
    for (let i = 0; i < body.length; i++) {
      const unit = body.charCodeAt(i);
      if (unit > 0x7f) {
        throw new SpecError(
          "ADDR_HEX_CHARACTER",
          `character U+${unit.toString(16).padStart(4, "0")} is not ASCII`,
        );
      }
    }
    // ADDR-HEX L3
    if (body.length !== 2 * ADDRESS_LENGTH) {
      throw new SpecError("ADDR_HEX_LENGTH", `a hex address has 40 digits, got ${body.length}`);
    }
    // ADDR-HEX L4
    let hasLower = false;
    let hasUpper = false;
    for (let i = 0; i < body.length; i++) {
      const c = body[i]!;
      if (c >= "a" && c <= "f") hasLower = true;
      else if (c >= "A" && c <= "F") hasUpper = true;
      else if (!(c >= "0" && c <= "9"))
        throw new SpecError("ADDR_HEX_CHARACTER", `'${c}' is not a hex digit`);
    }
    const lower = body.toLowerCase();
    // ADDR-HEX L5
    if (hasLower && hasUpper && checksumBody(lower) !== body) {
      throw new SpecError("ADDR_HEX_CHECKSUM", "mixed-case address does not match its EIP-55 checksum");
    }
    // ADDR-HEX L6
    const out = new Uint8Array(ADDRESS_LENGTH);
    for (let i = 0; i < ADDRESS_LENGTH; i++) {
      out[i] = HEX_DIGITS.indexOf(lower[2 * i]!) * 16 + HEX_DIGITS.indexOf(lower[2 * i + 1]!);
    }
    return out;
  });
}

/** The bech32 alphabet (BIP-173): the value of a character is its index. */
export const BECH32_CHARSET = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
const BECH32_GENERATOR = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
const BECH32_MAX_LENGTH = 90;
const BECH32_CHECKSUM_LENGTH = 6;

function polymod(values: readonly number[]): number {
  let chk = 1;
  for (const value of values) {
    const top = chk >>> 25;
    chk = (((chk & 0x1ffffff) << 5) ^ value) >>> 0;
    for (let i = 0; i < 5; i++) if (((top >>> i) & 1) === 1) chk = (chk ^ BECH32_GENERATOR[i]!) >>> 0;
  }
  return chk;
}

function hrpExpand(hrp: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) >> 5);
  out.push(0);
  for (let i = 0; i < hrp.length; i++) out.push(hrp.charCodeAt(i) & 31);
  return out;
}

/**
 * BIP-173 bech32 encoding of a lower-case human-readable part and a list of 5-bit values.
 *
 * @spec ADDR-BECH32.1
 */
export function bech32Encode(hrp: string, data: readonly number[]): string {
  const values = [...hrpExpand(hrp), ...data, 0, 0, 0, 0, 0, 0];
  const mod = polymod(values) ^ 1;
  let out = `${hrp}1`;
  for (const value of data) out += BECH32_CHARSET[value]!;
  for (let i = 0; i < BECH32_CHECKSUM_LENGTH; i++) out += BECH32_CHARSET[(mod >>> (5 * (5 - i))) & 31]!;
  return out;
}

/**
 * BIP-173 bech32 decoding: the lower-case human-readable part and the 5-bit data values without the checksum.
 *
 * @spec ADDR-BECH32.1
 */
export function bech32Decode(text: string): Result<{ readonly hrp: string; readonly data: number[] }> {
  return attempt(() => {
    // ADDR-BECH32 L1
    if (text.length > BECH32_MAX_LENGTH) {
      throw new SpecError("ADDR_BECH32_MALFORMED", `bech32 string is longer than 90 characters`);
    }
    // ADDR-BECH32 L2–L3
    let hasLower = false;
    let hasUpper = false;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code < 33 || code > 126) {
        throw new SpecError("ADDR_BECH32_MALFORMED", `character code ${code} is outside 33..126`);
      }
      if (code >= 97 && code <= 122) hasLower = true;
      if (code >= 65 && code <= 90) hasUpper = true;
    }
    if (hasLower && hasUpper)
      throw new SpecError("ADDR_BECH32_MIXED_CASE", "bech32 string mixes upper and lower case");
    // ADDR-BECH32 L4
    const lower = text.toLowerCase();
    // ADDR-BECH32 L5
    const separator = lower.lastIndexOf("1");
    if (separator < 1)
      throw new SpecError("ADDR_BECH32_MALFORMED", "missing separator or empty human-readable part");
    if (separator + 1 + BECH32_CHECKSUM_LENGTH > lower.length) {
      throw new SpecError("ADDR_BECH32_MALFORMED", "data part is shorter than the 6-character checksum");
    }
    // ADDR-BECH32 L6
    const hrp = lower.slice(0, separator);
    const values: number[] = [];
    for (let i = separator + 1; i < lower.length; i++) {
      const value = BECH32_CHARSET.indexOf(lower[i]!);
      if (value < 0) throw new SpecError("ADDR_BECH32_MALFORMED", `'${lower[i]}' is not a bech32 character`);
      values.push(value);
    }
    // ADDR-BECH32 L7
    if (polymod([...hrpExpand(hrp), ...values]) !== 1) {
      throw new SpecError("ADDR_BECH32_CHECKSUM", "bech32 checksum does not verify");
    }
    // ADDR-BECH32 L8
    return { hrp, data: values.slice(0, values.length - BECH32_CHECKSUM_LENGTH) };
  });
}

/**
 * The bech32 form of an account address: BIP-173 with human-readable part `prefix` (the preset's
 * `bech32Prefix`) and the 20 address bytes regrouped into 32 5-bit values, most significant bit first.
 *
 * @spec ADDR-BECH32-ACCOUNT.1
 */
export function addressToBech32(address: Uint8Array, prefix: string): Result<string> {
  return attempt(() => {
    checkAddressLength(address);
    const words: number[] = [];
    let accumulator = 0;
    let bits = 0;
    for (let i = 0; i < address.length; i++) {
      accumulator = ((accumulator << 8) | address[i]!) & 0xfff;
      bits += 8;
      while (bits >= 5) {
        bits -= 5;
        words.push((accumulator >> bits) & 31);
      }
    }
    // 160 bits are exactly 32 groups of 5: no padding remains.
    return bech32Encode(prefix, words);
  });
}

/**
 * Parses a bech32 account address for the human-readable part `prefix`.
 *
 * @spec ADDR-BECH32-ACCOUNT.1
 */
export function addressFromBech32(text: string, prefix: string): Result<Uint8Array> {
  return attempt(() => {
    // ADDR-BECH32-ACCOUNT L1
    const decoded = bech32Decode(text);
    if (!decoded.ok) throw decoded.error;
    const { hrp, data } = decoded.value;
    // ADDR-BECH32-ACCOUNT L2
    if (hrp !== prefix)
      throw new SpecError("ADDR_BECH32_HRP", `human-readable part is '${hrp}', expected '${prefix}'`);
    // ADDR-BECH32-ACCOUNT L3
    if (data.length !== 32) {
      throw new SpecError("ADDR_BECH32_LENGTH", `an address has 32 five-bit groups, got ${data.length}`);
    }
    // ADDR-BECH32-ACCOUNT L4
    const out = new Uint8Array(ADDRESS_LENGTH);
    let accumulator = 0;
    let bits = 0;
    let index = 0;
    for (const value of data) {
      accumulator = ((accumulator << 5) | value) & 0xfff;
      bits += 5;
      if (bits >= 8) {
        bits -= 8;
        out[index++] = (accumulator >> bits) & 0xff;
      }
    }
    return out;
  });
}
