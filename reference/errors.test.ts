import { describe, expect, it } from "vitest";
import { attempt, err, ok, SpecError, unwrap } from "./errors.ts";

describe("SpecError and Result", () => {
  // @covers SPEC-ERRORS.1
  it("a rejection carries exactly one named code", () => {
    const result = attempt(() => {
      throw new SpecError("EXAMPLE_CODE", "why");
    });
    expect(result).toEqual({
      ok: false,
      error: expect.objectContaining({ code: "EXAMPLE_CODE", detail: "why" }),
    });
    expect(err("EXAMPLE_CODE", "why")).toEqual(result);
    expect(() => unwrap(result)).toThrow("EXAMPLE_CODE: why");
    expect(unwrap(ok(3))).toBe(3);
  });

  it("a defect that is not a SpecError is not disguised as a rejection", () => {
    expect(() =>
      attempt(() => {
        throw new TypeError("bug");
      }),
    ).toThrow(TypeError);
  });
});
