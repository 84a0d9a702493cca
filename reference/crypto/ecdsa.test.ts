import { secp256k1 } from "@noble/curves/secp256k1.js";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { naivePow } from "../../tools/testing/oracles.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import type { Result } from "../errors.ts";
import { unwrap } from "../errors.ts";
import {
  addressOfPublicKey,
  addressOfSecretKey,
  recoverSigner,
  SECP256K1_HALF_N,
  SECP256K1_N,
  SECP256K1_P,
  signHash,
} from "./ecdsa.ts";

function code<T>(result: Result<T>): string {
  if (result.ok) throw new Error("expected a rejection");
  return result.error.code;
}

// Independent modular arithmetic (with naivePow from tools/testing/oracles.ts), not ecdsa.ts's own helpers.
function mod(a: bigint, m: bigint): bigint {
  const r = a % m;
  return r < 0n ? r + m : r;
}

function modInverse(a: bigint, m: bigint): bigint {
  let [oldR, r] = [mod(a, m), m];
  let [oldS, s] = [1n, 0n];
  while (r !== 0n) {
    const q = oldR / r;
    [oldR, r] = [r, oldR - q * r];
    [oldS, s] = [s, oldS - q * s];
  }
  return mod(oldS, m);
}

/** The address of a key computed by noble's own public-key derivation (independent of ecdsa.ts). */
function nobleAddress(secretKey: Uint8Array): string {
  const uncompressed = secp256k1.getPublicKey(secretKey, false);
  return bytesToHex(keccak256(uncompressed.slice(1)).slice(12));
}

describe("EIP-155 example (EIP-155 text: chain id 1, nonce 9, key 0x4646…46)", () => {
  const secretKey = new Uint8Array(32).fill(0x46);
  // The transaction fields of the example, RLP-encoded with chain id, 0, 0 (EIP-155 signing data).
  const signingData = rlpEncode([
    scalarToBytes(9n),
    scalarToBytes(20n * 10n ** 9n),
    scalarToBytes(21000n),
    bytesFromHex("0x3535353535353535353535353535353535353535"),
    scalarToBytes(10n ** 18n),
    new Uint8Array(0),
    scalarToBytes(1n),
    scalarToBytes(0n),
    scalarToBytes(0n),
  ]);
  const hash = keccak256(signingData);

  // @covers ECDSA-SIGN.1
  it("reproduces the published signing data, signing hash and (v, r, s)", () => {
    expect(bytesToHex(signingData)).toBe(
      "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
    );
    expect(bytesToHex(hash)).toBe("0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53");
    expect(unwrap(signHash(hash, secretKey, 1n))).toEqual({
      v: 37n,
      r: 18515461264373351373200002665853028612451056578545711640558177340181847433846n,
      s: 46948507304638947509940763649030358759909902576025900602547168820602576006531n,
    });
  });

  // @covers ECDSA-RECOVER.1 ECDSA-ADDRESS.1
  it("recovers the signer from the published (v, r, s)", () => {
    const address = recoverSigner(
      hash,
      37n,
      18515461264373351373200002665853028612451056578545711640558177340181847433846n,
      46948507304638947509940763649030358759909902576025900602547168820602576006531n,
      1n,
    );
    expect(bytesToHex(unwrap(address))).toBe(nobleAddress(secretKey));
    expect(bytesToHex(unwrap(addressOfSecretKey(secretKey)))).toBe(nobleAddress(secretKey));
  });
});

describe("addresses of keys", () => {
  // @covers ECDSA-ADDRESS.1
  it("the Harmony localnet key fd41…25c3 controls one1pdv9…zxy = 0x0B585F8D… (Harmony docs)", () => {
    const secretKey = bytesFromHex("0xfd416cb87dcf8ed187e85545d7734a192fc8e976f5b540e9e21e896ec2bc25c3");
    expect(bytesToHex(unwrap(addressOfSecretKey(secretKey)))).toBe(
      "0x0b585f8daefbc68a311fbd4cb20d9174ad174016",
    );
  });

  // @covers ECDSA-ADDRESS.1
  it("addressOfPublicKey hashes x ‖ y (the uncompressed key without 0x04)", () => {
    const secretKey = new Uint8Array(32).fill(7);
    const point =
      secp256k1.Point.BASE.multiply(0x0707070707070707070707070707070707070707070707070707070707070707n);
    expect(bytesToHex(addressOfPublicKey(point.x, point.y))).toBe(nobleAddress(secretKey));
    expect(code(addressOfSecretKey(new Uint8Array(32)))).toBe("ECDSA_SECRET_KEY_INVALID");
  });
});

describe("sign and recover", () => {
  const key = fc.uint8Array({ minLength: 32, maxLength: 32 }).filter((bytes) => {
    const value = BigInt(bytesToHex(bytes));
    return value > 0n && value < SECP256K1_N;
  });
  const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });
  const chainId = fc.bigInt({ min: 1n, max: 1n << 64n });

  // @covers ECDSA-SIGN.1 ECDSA-RECOVER.1
  it("recoverSigner(signHash(h)) is the signer's address; s is low; v encodes the chain id; noble recovers the same key", () => {
    fc.assert(
      fc.property(key, hash32, chainId, (secretKey, hash, id) => {
        const signature = unwrap(signHash(hash, secretKey, id));
        expect(signature.s <= SECP256K1_HALF_N).toBe(true);
        const recid = signature.v - id * 2n - 35n;
        expect(recid === 0n || recid === 1n).toBe(true);
        const recovered = bytesToHex(unwrap(recoverSigner(hash, signature.v, signature.r, signature.s, id)));
        expect(recovered).toBe(nobleAddress(secretKey));
        // independent recovery by noble from (r, s, recid)
        const nobleSig = new secp256k1.Signature(signature.r, signature.s, Number(recid));
        const point = nobleSig.recoverPublicKey(hash);
        expect(bytesToHex(addressOfPublicKey(point.x, point.y))).toBe(recovered);
        // a different chain id is rejected
        expect(code(recoverSigner(hash, signature.v, signature.r, signature.s, id + 1n))).toBe(
          "ECDSA_CHAIN_ID_MISMATCH",
        );
      }),
      { numRuns: 40 },
    );
  });

  const secretKey = new Uint8Array(32).fill(0x11);
  const hash = keccak256(new TextEncoder().encode("transfer"));
  const good = unwrap(signHash(hash, secretKey, 2n));

  // @covers ECDSA-RECOVER.1
  it("rejects high s (EIP-2), even though (n − s) with flipped parity is the same ECDSA signature", () => {
    const flippedV = good.v % 2n === 0n ? good.v - 1n : good.v + 1n;
    expect(code(recoverSigner(hash, flippedV, good.r, SECP256K1_N - good.s, 2n))).toBe("ECDSA_S_HIGH");
    expect(unwrap(recoverSigner(hash, good.v, good.r, good.s, 2n)).length).toBe(20);
  });

  // @covers ECDSA-RECOVER.1
  it("rejects r and s outside [1, n − 1], legacy and malformed v, wrong lengths and chain ids", () => {
    expect(code(recoverSigner(hash, good.v, 0n, good.s, 2n))).toBe("ECDSA_R_OUT_OF_RANGE");
    expect(code(recoverSigner(hash, good.v, SECP256K1_N, good.s, 2n))).toBe("ECDSA_R_OUT_OF_RANGE");
    expect(code(recoverSigner(hash, good.v, good.r, 0n, 2n))).toBe("ECDSA_S_OUT_OF_RANGE");
    expect(code(recoverSigner(hash, good.v, good.r, SECP256K1_N, 2n))).toBe("ECDSA_S_OUT_OF_RANGE");
    expect(code(recoverSigner(hash, 27n, good.r, good.s, 2n))).toBe("ECDSA_V_INVALID");
    expect(code(recoverSigner(hash, 28n, good.r, good.s, 2n))).toBe("ECDSA_V_INVALID");
    expect(code(recoverSigner(hash, 0n, good.r, good.s, 2n))).toBe("ECDSA_V_INVALID");
    expect(code(recoverSigner(hash, 37n, good.r, good.s, 2n))).toBe("ECDSA_CHAIN_ID_MISMATCH");
    expect(code(recoverSigner(hash.slice(1), good.v, good.r, good.s, 2n))).toBe("ECDSA_HASH_LENGTH");
    expect(code(recoverSigner(hash, good.v, good.r, good.s, 0n))).toBe("ECDSA_CHAIN_ID_INVALID");
    expect(code(signHash(hash, secretKey, 0n))).toBe("ECDSA_CHAIN_ID_INVALID");
    expect(code(signHash(hash.slice(1), secretKey, 2n))).toBe("ECDSA_HASH_LENGTH");
    expect(code(signHash(hash, new Uint8Array(32), 2n))).toBe("ECDSA_SECRET_KEY_INVALID");
    expect(code(signHash(hash, bytesFromHex(`0x${SECP256K1_N.toString(16)}`), 2n))).toBe(
      "ECDSA_SECRET_KEY_INVALID",
    );
  });

  // @covers ECDSA-RECOVER.1
  it("fails recovery when r is no x coordinate, or when the recovered key is the point at infinity", () => {
    // r = 5: 5³ + 7 = 132 is not a quadratic residue mod p (Euler's criterion, checked here)
    expect(naivePow(132n, (SECP256K1_P - 1n) / 2n, SECP256K1_P)).toBe(SECP256K1_P - 1n);
    expect(code(recoverSigner(hash, 39n, 5n, 1n, 2n))).toBe("ECDSA_RECOVERY_FAILED");
    // Q = r⁻¹(s·R − e·G) = O when s·R = e·G: take R = k·G, r = x(R), s = e·k⁻¹ (negated with R if s is high)
    const k = 123456789n;
    const e = mod(BigInt(bytesToHex(hash)), SECP256K1_N);
    const bigR = secp256k1.Point.BASE.multiply(k);
    let s = mod(e * modInverse(k, SECP256K1_N), SECP256K1_N);
    let y = bigR.y;
    if (s > SECP256K1_HALF_N) {
      s = SECP256K1_N - s;
      y = SECP256K1_P - y;
    }
    const v = 2n * 2n + 35n + (y % 2n);
    expect(code(recoverSigner(hash, v, bigR.x, s, 2n))).toBe("ECDSA_RECOVERY_FAILED");
  });
});
