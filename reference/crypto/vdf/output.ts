import { sha256 } from "@noble/hashes/sha2.js";
import { asciiBytes, concat } from "./bytes.ts";
import { encodeElement } from "./group.ts";
import { VDF_DST_OUTPUT } from "./params.ts";

/**
 * The 32-byte VDF output: SHA-256(DST_OUT ‖ I2OSP(y, 256)) of the canonical result y.
 *
 * @spec VDF-OUTPUT.1
 */
export function vdfOutput(y: bigint): Uint8Array {
  return sha256(concat(asciiBytes(VDF_DST_OUTPUT), encodeElement(y)));
}
