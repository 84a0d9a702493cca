/**
 * Every rejection in the reference is a SpecError whose `code` is a stable UPPER_SNAKE name listed in the
 * spec's error table next to the rule that raises it. Conformance vectors name these codes, so a code is
 * part of the protocol's public surface: renaming one is a spec change.
 *
 * @spec SPEC-ERRORS.1
 */
export class SpecError extends Error {
  readonly code: string;
  readonly detail: string;

  constructor(code: string, detail: string) {
    super(`${code}: ${detail}`);
    this.name = "SpecError";
    this.code = code;
    this.detail = detail;
  }
}

/** The outcome of a rule: either a value or exactly one SpecError, never both and never a partial state. */
export type Result<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: SpecError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err<T = never>(code: string, detail: string): Result<T> {
  return { ok: false, error: new SpecError(code, detail) };
}

/**
 * Runs `compute`, turning a thrown SpecError into a failed Result. Any other exception is a defect in the
 * reference and is re-thrown rather than disguised as a protocol rejection.
 */
export function attempt<T>(compute: () => T): Result<T> {
  try {
    return ok(compute());
  } catch (caught) {
    if (caught instanceof SpecError) return { ok: false, error: caught };
    throw caught;
  }
}

/** Returns the value of a successful Result or throws its SpecError; the inverse of `attempt`. */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw result.error;
}
