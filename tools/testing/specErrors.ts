import { attempt, type Result } from "../../reference/errors.ts";

/*
 * Test support: reading the outcome of a rule as the code of its SpecError, so that an assertion states the
 * expected code, or that nothing was rejected, in one comparison.
 */

/** The outcome of an accepted input; never a SpecError code, which is UPPER_SNAKE. */
export const ACCEPTED = "(accepted)";

/** The code of a failed Result, or ACCEPTED for a successful one. */
export function resultCode(result: Result<unknown>): string {
  return result.ok ? ACCEPTED : result.error.code;
}

/**
 * Runs `run` and returns the code of the SpecError it throws, or ACCEPTED when it returns. Any other exception
 * propagates, so a crash never passes for a named rejection.
 */
export function thrownCode(run: () => unknown): string {
  return resultCode(attempt(run));
}
