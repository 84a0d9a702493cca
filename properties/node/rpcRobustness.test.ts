import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MemoryChain } from "../../node/chain/memoryChain.ts";
import { conformanceMethods } from "../../node/rpc/conformanceMethods.ts";
import { handleRpcBody, RPC_ERROR } from "../../node/rpc/envelope.ts";
import { ethMethods } from "../../node/rpc/ethMethods.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { runsScale } from "../consensus/harness.ts";

/*
 * Malformed JSON-RPC (§14.1, RPC-ERRORS.1): 10,000 bodies of every kind (text that is not JSON, JSON that is not a
 * request, requests with wrong fields, conformance and eth_* calls with arbitrary params) reach the node's
 * dispatcher over a chain in memory.
 * None makes it throw, every answer is a JSON-RPC response, and none is an internal error: each is refused with the
 * code that says why, or answered, and no transaction reaches the pool. PROPERTY_RUNS_SCALE multiplies the bodies.
 */

const BODIES = Math.max(1, Math.round(10_000 * runsScale()));
const CHAIN = new MemoryChain(MINIMAL, 1);
const METHODS = { ...conformanceMethods(), ...ethMethods(CHAIN) };
const KNOWN_CODES = new Set<number>([
  RPC_ERROR.parseError,
  RPC_ERROR.invalidRequest,
  RPC_ERROR.methodNotFound,
  RPC_ERROR.invalidParams,
  RPC_ERROR.ruleRefused,
]);

const methodName = fc.oneof(
  fc.constantFrom(
    "conformance_runners",
    "conformance_execute",
    "conformance_executeScript",
    "eth_chainId",
    "eth_getBalance",
    "eth_getBlockByNumber",
    "eth_sendRawTransaction",
    "eth_getTransactionReceipt",
    "eth_estimateGas",
  ),
  fc.string(),
);
const params = fc.oneof(
  fc.jsonValue(),
  fc.array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }).map((b) => `0x${Buffer.from(b).toString("hex")}`),
      fc.constantFrom("latest", "0x0", "0x1"),
      fc.boolean(),
    ),
    {
      maxLength: 3,
    },
  ),
  fc.record({
    runner: fc.constantFrom("crossshard", "ledger", "encoding", "consensus", "nope"),
    handler: fc.constantFrom("crosslinks_decode", "block", "rlp_decode", "script", "incoming_entries", "x"),
    preset: fc.constantFrom("minimal", "mainnet", "other"),
    input: fc.jsonValue(),
    pre: fc.option(fc.jsonValue(), { nil: undefined }),
    events: fc.option(fc.array(fc.jsonValue(), { maxLength: 3 }), { nil: undefined }),
  }),
);
const requestLike = fc.record(
  {
    jsonrpc: fc.oneof(fc.constant("2.0"), fc.jsonValue()),
    method: fc.oneof(methodName, fc.jsonValue()),
    params,
    id: fc.oneof(fc.integer(), fc.string(), fc.constant(null), fc.jsonValue()),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  fc.string(),
  fc.jsonValue().map((v) => JSON.stringify(v)),
  requestLike.map((r) => JSON.stringify(r)),
  fc.array(requestLike, { maxLength: 4 }).map((r) => JSON.stringify(r)),
);

function checkResponse(response: unknown): void {
  expect(response).toMatchObject({ jsonrpc: "2.0" });
  const r = response as { result?: unknown; error?: { code: number; message: string } };
  expect("result" in r !== "error" in r).toBe(true);
  if (r.error !== undefined) {
    expect(KNOWN_CODES.has(r.error.code), `code ${r.error.code}: ${r.error.message}`).toBe(true);
  }
}

describe("node property: malformed JSON-RPC crashes nothing", () => {
  // @covers RPC-ENVELOPE.1 RPC-ERRORS.1 RPC-CONFORMANCE.1
  it(`answers ${BODIES} arbitrary bodies with well-formed responses and no internal error`, async () => {
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const answer = await handleRpcBody(text, METHODS);
        if (answer === null) return;
        const parsed = JSON.parse(answer) as unknown;
        for (const response of Array.isArray(parsed) ? parsed : [parsed]) checkResponse(response);
      }),
      { numRuns: BODIES, seed: 14 },
    );
    // Nothing reached the chain: no block, and the head is the genesis ledger.
    expect(CHAIN.head()).toBe(CHAIN.genesis());
    expect(CHAIN.produce(2n).block.transactions).toEqual([]);
  }, 600_000);
});
