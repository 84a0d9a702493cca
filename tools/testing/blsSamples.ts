import { sha256 } from "@noble/hashes/sha2.js";
import { BLS_FIELD_MODULUS } from "../../reference/crypto/bls/ciphersuite.ts";
import { keyGen } from "../../reference/crypto/bls/keyGen.ts";
import { unwrap } from "../../reference/errors.ts";

/*
 * Deterministic sample inputs for tests, conformance vectors and benchmarks. Not a protocol rule: nothing here
 * is normative, and nodes never call it.
 */

/** A secret key named by a label: KeyGen(sha256(utf8(label))). */
export function sampleSecretKey(label: string): Uint8Array {
  return unwrap(keyGen(sha256(new TextEncoder().encode(label))));
}

function compressedX(group: "G1" | "G2", x0: bigint, x1: bigint): Uint8Array {
  const out = new Uint8Array(group === "G1" ? 48 : 96);
  const write = (value: bigint, start: number): void => {
    let rest = value;
    for (let i = start + 47; i >= start; i--) {
      out[i] = Number(rest & 0xffn);
      rest >>= 8n;
    }
  };
  if (group === "G1") write(x0, 0);
  else {
    write(x1, 0);
    write(x0, 48);
  }
  out[0] = out[0]! | 0x80;
  return out;
}

/** The decoding failures a public key or signature encoding can provoke, each with one sample encoding. */
export type MalformedPointCode =
  | "BLS_POINT_LENGTH"
  | "BLS_POINT_NOT_COMPRESSED"
  | "BLS_POINT_INFINITY_MALFORMED"
  | "BLS_POINT_X_NOT_CANONICAL"
  | "BLS_POINT_NOT_ON_CURVE"
  | "BLS_POINT_NOT_IN_SUBGROUP";

export const MALFORMED_POINT_CODES: readonly MalformedPointCode[] = [
  "BLS_POINT_LENGTH",
  "BLS_POINT_NOT_COMPRESSED",
  "BLS_POINT_INFINITY_MALFORMED",
  "BLS_POINT_X_NOT_CANONICAL",
  "BLS_POINT_NOT_ON_CURVE",
  "BLS_POINT_NOT_IN_SUBGROUP",
];

/**
 * A sample encoding that fails decoding (or the subgroup check) with the given code. `valid` is a valid
 * encoding of the same group, used for the variants derived from a real point.
 *
 *  - G1 x = 1: 1 + 4 = 5 is not a square mod p, so no point has x = 1.
 *  - G1 x = 4: 4³ + 4 is a square, and the point is not in the order-r subgroup (the cofactor is ≈ 2^125).
 *  - G2 x = 1: 1 + 4(1 + u) is not a square in Fp2; G2 x = 2: on the twist but outside the subgroup.
 * Both back ends agree on these verdicts (see backend.test.ts and differential.test.ts).
 */
export function malformedPoint(group: "G1" | "G2", code: MalformedPointCode, valid: Uint8Array): Uint8Array {
  switch (code) {
    case "BLS_POINT_LENGTH":
      return valid.slice(0, valid.length - 1);
    case "BLS_POINT_NOT_COMPRESSED": {
      const out = valid.slice();
      out[0] = out[0]! & 0x7f;
      return out;
    }
    case "BLS_POINT_INFINITY_MALFORMED": {
      const out = new Uint8Array(valid.length);
      out[0] = 0xc0;
      out[out.length - 1] = 1;
      return out;
    }
    case "BLS_POINT_X_NOT_CANONICAL":
      return compressedX(
        group,
        group === "G1" ? BLS_FIELD_MODULUS : 0n,
        group === "G1" ? 0n : BLS_FIELD_MODULUS,
      );
    case "BLS_POINT_NOT_ON_CURVE":
      return compressedX(group, 1n, 0n);
    case "BLS_POINT_NOT_IN_SUBGROUP":
      return compressedX(group, group === "G1" ? 4n : 2n, 0n);
  }
}

/** The compressed encoding of the identity (0xc0 then zero bytes). */
export function identityPoint(group: "G1" | "G2"): Uint8Array {
  const out = new Uint8Array(group === "G1" ? 48 : 96);
  out[0] = 0xc0;
  return out;
}
