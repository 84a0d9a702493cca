import { SpecError } from "../../errors.ts";
import { VDF_ITERATIONS_MAX, VDF_ITERATIONS_MIN } from "./params.ts";

/**
 * The iteration count T must be an integer in [1, 2^64 − 1] (it is hashed as uint64_be into ℓ).
 *
 * @spec VDF-ITERATIONS.1
 */
export function checkIterations(iterations: bigint): void {
  if (iterations < VDF_ITERATIONS_MIN || iterations > VDF_ITERATIONS_MAX) {
    throw new SpecError("VDF_ITERATIONS_INVALID", `iterations must be in [1, 2^64 − 1], got ${iterations}`);
  }
}
