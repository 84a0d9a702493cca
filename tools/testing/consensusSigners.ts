import {
  aggregateCertificate,
  type Certificate,
  genesisValidatorSecretKey,
} from "../../reference/consensus/index.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { unwrap } from "../../reference/errors.ts";
import type { Json } from "../conformance/types.ts";

/*
 * Test support for chapters 6–7: the genesis validators of a shard as signers, and certificates they sign.
 * Everything goes through blst, which gives the same bytes as the pure back end (the crypto chapter's
 * differential test), so vectors and tests built here are deterministic and fast.
 */

/** A committee member who can sign: its index, secret key (COMMITTEE-GENESIS.1) and public key. */
export interface Signer {
  readonly index: number;
  readonly secretKey: Uint8Array;
  readonly publicKey: Uint8Array;
}

/** The first `count` genesis validators of `shard`, in committee order. */
export function genesisSigners(shard: number, count: number): Signer[] {
  const out: Signer[] = [];
  for (let index = 0; index < count; index++) {
    const secretKey = genesisValidatorSecretKey(shard, index);
    out.push({ index, secretKey, publicKey: unwrap(blstBls.secretToPublic(secretKey)) });
  }
  return out;
}

export function signBy(signer: Signer, payload: Uint8Array): Uint8Array {
  return unwrap(blstBls.sign(signer.secretKey, payload));
}

/** The certificate of `signers` over `payload` for a committee of `committeeSize` (QC-AGGREGATE). */
export function certificateBy(
  signers: readonly Signer[],
  payload: Uint8Array,
  committeeSize: number,
): Certificate {
  const votes = signers.map((s) => ({ signer: s.index, signature: signBy(s, payload) }));
  return unwrap(aggregateCertificate(votes, committeeSize, blstBls));
}

export function certificateJson(cert: Certificate): Json {
  return { signature: bytesToHex(cert.signature), bitmap: bytesToHex(cert.bitmap) };
}

/** The JSON form of a committee of these signers with the given powers (1 each by default). */
export function committeeJson(signers: readonly Signer[], powers?: readonly bigint[]): Json {
  return signers.map((s, i) => ({ publicKey: bytesToHex(s.publicKey), power: String(powers?.[i] ?? 1n) }));
}
