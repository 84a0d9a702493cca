/** The Wesolowski VDF over the RSA-2048 challenge modulus (spec/03-vdf.md). */
export { type VdfEvaluation, vdfEvaluate } from "./evaluate.ts";
export { canonicalize, decodeElement, encodeElement } from "./group.ts";
export { vdfHashToGroup } from "./hashToGroup.ts";
export { vdfHashToPrime } from "./hashToPrime.ts";
export { checkIterations } from "./iterations.ts";
export { vdfOutput } from "./output.ts";
export * from "./params.ts";
export { isProbablePrime } from "./primality.ts";
export { vdfVerify } from "./verify.ts";
