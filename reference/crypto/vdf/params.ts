/**
 * Parameters of the Wesolowski VDF (spec/03-vdf.md §3.2). Every constant here appears with the same value
 * in the chapter's parameter table.
 */

/**
 * The RSA-2048 factoring-challenge modulus (RSA Laboratories, published 2001): 617 decimal digits, 2048
 * bits, product of two primes that nobody is known to hold. Written in the chapter in the same 50-digit
 * groups; `params.test.ts` checks its size, parity, the absence of small factors, and its hexadecimal form.
 *
 * @spec VDF-MODULUS.1
 */
export const VDF_MODULUS: bigint = BigInt(
  "25195908475657893494027183240048398571429282126204" +
    "03202777713783604366202070759555626401852588078440" +
    "69182906412495150821892985591491761845028084891200" +
    "72844992687392807287776735971418347270261896375014" +
    "97182469116507761337985909570009733045974880842840" +
    "17974291006424586918171951187461215151726546322822" +
    "16869987549182422433637259085141865462043576798423" +
    "38718477444792073993423658482382428119816381501067" +
    "48104516603773060562016196762561338441436038339044" +
    "14952634432190114657544454178424020924616515723350" +
    "77870774981712577246796292638635637328991215483143" +
    "81678998850404453640235273819513786365643912120103" +
    "97122822120720357",
);

/** @spec VDF-PARAMS.1 */
export const VDF_MODULUS_BITS = 2048;

/** Bytes of an encoded group element: ⌈2048 / 8⌉. @spec VDF-PARAMS.1 */
export const VDF_ELEMENT_BYTES = 256;

/** (N − 1) / 2: the largest canonical representative of a class {v, N − v}. @spec VDF-PARAMS.1 */
export const VDF_HALF_MODULUS: bigint = (VDF_MODULUS - 1n) / 2n;

/** Bits of the challenge prime ℓ (top bit set). @spec VDF-PARAMS.1 */
export const VDF_PRIME_BITS = 256;

/** Smallest and largest admissible iteration count T. @spec VDF-PARAMS.1 */
export const VDF_ITERATIONS_MIN = 1n;
/** @spec VDF-PARAMS.1 */
export const VDF_ITERATIONS_MAX: bigint = (1n << 64n) - 1n;

/** SHA-256 blocks expanded by hash-to-group: 9 × 256 = 2304 = 2048 + 256 bits. @spec VDF-PARAMS.1 */
export const VDF_HASH_TO_GROUP_BLOCKS = 9;

/** Domain-separation tags (ASCII). @spec VDF-PARAMS.1 */
export const VDF_DST_HASH_TO_GROUP = "HARMONY-VDF-RSA2048-SHA256-V1-HASH-TO-GROUP";
/** @spec VDF-PARAMS.1 */
export const VDF_DST_HASH_TO_PRIME = "HARMONY-VDF-RSA2048-SHA256-V1-HASH-TO-PRIME";
/** @spec VDF-PARAMS.1 */
export const VDF_DST_OUTPUT = "HARMONY-VDF-RSA2048-SHA256-V1-OUTPUT";
