import { z } from "zod";
import {
  BLOCK_HASH_BYTES,
  type Certificate,
  type Committee,
  type CommitteeMember,
  checkCommittee,
} from "../../../reference/consensus/index.ts";
import { blstBls } from "../../../reference/crypto/bls/blst.ts";
import {
  bytesToHex,
  DecimalBigInt,
  HexBytes,
  HexText,
  hexBytesOfLength,
} from "../../../reference/encoding/json.ts";
import { unwrap } from "../../../reference/errors.ts";
import type { Json } from "../types.ts";

/*
 * JSON forms shared by the consensus runner's handlers and its event scripts, and the BLS back end they use.
 *
 * Every signature is made and checked with the blst back end: generation runs inside `npm test`, and blst
 * returns the same bytes and verdicts as the pure back end for every input (BLS-BACKENDS.1, checked by the
 * crypto chapter's differential test), so the vectors are those of the pure reference.
 */

export const bls = blstBls;

const UINT64_LIMIT = 1n << 64n;
/** A JSON decimal of a uint64: larger values fail the schema (JSON_SCHEMA). */
export const Uint64Json = DecimalBigInt.refine((v) => v < UINT64_LIMIT, "must be below 2^64");
export const Hash32 = hexBytesOfLength(BLOCK_HASH_BYTES);

/** zod schema of a committee's JSON form: members in committee order, each a public key and a voting power. */
export const CommitteeJson = z.array(z.strictObject({ publicKey: HexBytes, power: DecimalBigInt }));

/** zod schema of a certificate's JSON form. */
export const CertificateJson = z.strictObject({ signature: HexBytes, bitmap: HexBytes });
export const CertificateJsonOutput = z.strictObject({ signature: HexText, bitmap: HexText });

/** COMMITTEE-CHECK of a committee read from JSON. */
export function committeeFrom(members: readonly CommitteeMember[]): Committee {
  return unwrap(checkCommittee(members, bls));
}

export function certificateToJson(cert: Certificate): Json {
  return { signature: bytesToHex(cert.signature), bitmap: bytesToHex(cert.bitmap) };
}
