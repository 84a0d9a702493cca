import { describe, expect, it } from "vitest";
import { z } from "zod";
import { SpecError } from "../../reference/errors.ts";
import { handleRpcBody, MAX_BATCH, RPC_ERROR, type RpcMethods } from "./envelope.ts";

const METHODS: RpcMethods = {
  echo: { params: z.strictObject({ value: z.number() }), run: (p: { value: number }) => p.value },
  refuse: {
    params: z.strictObject({}),
    run: () => {
      throw new SpecError("TX_EXAMPLE_REFUSED", "a rule said no");
    },
  },
  broken: {
    params: z.strictObject({}),
    run: () => {
      throw new TypeError("a bug");
    },
  },
};

async function ask(body: unknown) {
  const text = await handleRpcBody(typeof body === "string" ? body : JSON.stringify(body), METHODS);
  return text === null ? null : JSON.parse(text);
}

const request = (method: string, params: unknown, id: unknown = 1) => ({
  jsonrpc: "2.0",
  method,
  params,
  id,
});

describe("RPC-ENVELOPE", () => {
  // @covers RPC-ENVELOPE.1
  it("answers a request with its id and the method's result, and a notification with nothing", async () => {
    expect(await ask(request("echo", { value: 7 }, "a"))).toEqual({ jsonrpc: "2.0", id: "a", result: 7 });
    expect(await ask({ jsonrpc: "2.0", method: "echo", params: { value: 7 } })).toBeNull();
    expect(await ask({ jsonrpc: "2.0", method: "nothing" })).toBeNull();
  });

  // @covers RPC-ENVELOPE.1
  it("answers a batch in order, leaving out notifications, and refuses empty and oversized batches", async () => {
    const batch = [
      request("echo", { value: 1 }, 1),
      { jsonrpc: "2.0", method: "echo" },
      request("echo", { value: 2 }, 2),
    ];
    expect(await ask(batch)).toEqual([
      { jsonrpc: "2.0", id: 1, result: 1 },
      { jsonrpc: "2.0", id: 2, result: 2 },
    ]);
    expect(await ask([{ jsonrpc: "2.0", method: "echo", params: { value: 1 } }])).toBeNull();
    expect((await ask([])).error.code).toBe(RPC_ERROR.invalidRequest);
    const big = Array.from({ length: MAX_BATCH + 1 }, (_, i) => request("echo", { value: i }, i));
    expect((await ask(big)).error.code).toBe(RPC_ERROR.invalidRequest);
    expect(await ask(big.slice(0, MAX_BATCH))).toHaveLength(MAX_BATCH);
  });
});

describe("RPC-ERRORS", () => {
  // @covers RPC-ERRORS.1
  it("gives each malformed request its code, with the request's id when it can be read", async () => {
    expect(await ask("{not json")).toEqual({
      jsonrpc: "2.0",
      id: null,
      error: { code: RPC_ERROR.parseError, message: "the body is not JSON" },
    });
    expect((await ask({ jsonrpc: "1.0", method: "echo", id: 3 })).error.code).toBe(RPC_ERROR.invalidRequest);
    expect((await ask({ jsonrpc: "1.0", method: "echo", id: 3 })).id).toBe(3);
    expect((await ask({ jsonrpc: "2.0", method: 5, id: 3 })).error.code).toBe(RPC_ERROR.invalidRequest);
    expect((await ask({ jsonrpc: "2.0", method: "echo", id: {} })).id).toBeNull();
    expect((await ask(42)).error.code).toBe(RPC_ERROR.invalidRequest);
    expect((await ask(request("nothing", {}))).error.code).toBe(RPC_ERROR.methodNotFound);
    expect((await ask(request("toString", {}))).error.code).toBe(RPC_ERROR.methodNotFound);
    expect((await ask(request("echo", { value: "7" }))).error.code).toBe(RPC_ERROR.invalidParams);
    expect((await ask(request("echo", [7]))).error.code).toBe(RPC_ERROR.invalidParams);
  });

  // @covers RPC-ERRORS.1
  it("carries a rule's refusal as −32000 with the SpecError, and anything else as an internal error", async () => {
    expect(await ask(request("refuse", {}, 9))).toEqual({
      jsonrpc: "2.0",
      id: 9,
      error: {
        code: RPC_ERROR.ruleRefused,
        message: "TX_EXAMPLE_REFUSED",
        data: { code: "TX_EXAMPLE_REFUSED", detail: "a rule said no" },
      },
    });
    expect((await ask(request("broken", {}))).error).toEqual({
      code: RPC_ERROR.internalError,
      message: "internal error",
    });
  });
});
