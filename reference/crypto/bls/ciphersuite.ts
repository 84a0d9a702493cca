/**
 * Constants of the BLS signature scheme this protocol uses: BLS12-381 in the "minimal-pubkey-size"
 * variant (public keys in G1, signatures in G2) with the proof-of-possession ciphersuite of
 * draft-irtf-cfrg-bls-signature-05 §4.2.3, hashing to G2 with RFC 9380 (BLS12381G2_XMD:SHA-256_SSWU_RO_).
 *
 * @spec BLS-CIPHERSUITE.1
 */

/** The base field modulus p of BLS12-381. */
export const BLS_FIELD_MODULUS =
  0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaabn;

/** The prime order r of the subgroups G1 and G2 (and of the scalar field). */
export const BLS_GROUP_ORDER = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001n;

/** Bytes of a serialized secret key (big-endian integer in [1, r−1]). */
export const BLS_SECRET_KEY_LENGTH = 32;
/** Bytes of a compressed G1 point (a public key). */
export const BLS_PUBLIC_KEY_LENGTH = 48;
/** Bytes of a compressed G2 point (a signature or a proof of possession). */
export const BLS_SIGNATURE_LENGTH = 96;

/** Domain separation tag for Sign / Verify / aggregate verification (the ciphersuite ID). */
export const BLS_SIGNATURE_DST = "BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";

/** Domain separation tag for PopProve / PopVerify. */
export const BLS_POP_DST = "BLS_POP_BLS12381G2_XMD:SHA-256_SSWU_RO_POP_";
