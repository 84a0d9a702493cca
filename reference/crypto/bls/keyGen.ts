import { expand, extract } from "@noble/hashes/hkdf.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { attempt, type Result, SpecError } from "../../errors.ts";
import { BLS_GROUP_ORDER } from "./ciphersuite.ts";
import { secretKeyToBytes } from "./encoding.ts";

const KEYGEN_SALT = new TextEncoder().encode("BLS-SIG-KEYGEN-SALT-");
/** L = ceil(3 · ceil(log2 r) / 16) = 48 bytes. */
const KEYGEN_OKM_LENGTH = 48;
const KEYGEN_MIN_IKM = 32;

/**
 * KeyGen of draft-irtf-cfrg-bls-signature-05 §2.3 (HKDF-SHA-256). Nodes may create keys however they like; the
 * spec fixes this derivation only so that tests and conformance vectors can name keys by a seed.
 *
 * @spec BLS-KEYGEN.1
 */
export function keyGen(ikm: Uint8Array, keyInfo: Uint8Array = new Uint8Array(0)): Result<Uint8Array> {
  return attempt(() => {
    // BLS-KEYGEN L1
    if (ikm.length < KEYGEN_MIN_IKM) {
      throw new SpecError("BLS_KEYGEN_IKM_SHORT", `IKM must be at least 32 bytes, got ${ikm.length}`);
    }
    // BLS-KEYGEN L2–L3
    let salt: Uint8Array = KEYGEN_SALT;
    let sk = 0n;
    const ikmPadded = new Uint8Array(ikm.length + 1);
    ikmPadded.set(ikm, 0); // IKM ‖ I2OSP(0, 1)
    const info = new Uint8Array(keyInfo.length + 2);
    info.set(keyInfo, 0);
    info[keyInfo.length] = 0; // I2OSP(L, 2) = 0x0030
    info[keyInfo.length + 1] = KEYGEN_OKM_LENGTH;
    while (sk === 0n) {
      salt = sha256(salt); // BLS-KEYGEN L5
      const prk = extract(sha256, ikmPadded, salt); // BLS-KEYGEN L6
      const okm = expand(sha256, prk, info, KEYGEN_OKM_LENGTH); // BLS-KEYGEN L7
      let value = 0n;
      for (let i = 0; i < okm.length; i++) value = (value << 8n) | BigInt(okm[i]!);
      sk = value % BLS_GROUP_ORDER; // BLS-KEYGEN L8
    }
    return secretKeyToBytes(sk);
  });
}
