import { decodeBitmap } from "../crypto/bitmap.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { type Certificate, verifyCertificate } from "./certificate.ts";
import type { ConsensusConfig, Transition } from "./state.ts";

/*
 * Signing with the node's key and verifying certificates once per height, for the rules of chapters 6–7.
 */

/**
 * Sign(sk, payload) with the node's own key. Only members sign, and a member's configuration carries its key;
 * a member configured without one is a defect of the caller, not a protocol rejection.
 *
 * @spec FBFT-PAYLOADS.1
 */
export function signPayload(config: ConsensusConfig, payload: Uint8Array): Uint8Array {
  if (config.secretKey === null) throw new TypeError("a member's configuration carries its secret key");
  return unwrap(config.bls.sign(config.secretKey, payload));
}

/**
 * QC-VERIFY(Q, m, C), remembering at this height the certificates that passed. Verification depends only on
 * the certificate, the payload and the committee, so a certificate seen again (the same prepared certificate
 * in many view-change claims and in the new view) is accepted without another pairing. Returns the signers,
 * ascending; raises QC-VERIFY.1's codes.
 *
 * @spec QC-VERIFY.1
 */
export function verifyCertificateOnce(
  config: ConsensusConfig,
  t: Transition,
  cert: Certificate,
  payload: Uint8Array,
): number[] {
  const key = `${bytesToHex(payload)}${bytesToHex(cert.signature)}${bytesToHex(cert.bitmap)}`;
  if (t.state.verifiedCertificates.has(key)) {
    return unwrap(decodeBitmap(cert.bitmap, config.committee.members.length));
  }
  const signers = unwrap(verifyCertificate(cert, payload, config.committee, config.bls));
  const verified = new Set(t.state.verifiedCertificates);
  verified.add(key);
  t.state = { ...t.state, verifiedCertificates: verified };
  return signers;
}
