import { z } from "zod";
import { SpecError } from "../../reference/errors.ts";
import type { Json } from "../../tools/conformance/types.ts";

/*
 * JSON-RPC 2.0 (§14.2): the request envelope, batches, notifications and the error codes, around a table of
 * methods. A method validates its params with zod and raises SpecError for a refusal; nothing a client sends makes
 * the dispatcher throw.
 */

/** One method: its params schema and what it does with valid params. */
export interface RpcMethod<P extends z.ZodType = z.ZodType> {
  readonly params: P;
  run(params: z.output<P>): Promise<Json> | Json;
}

export type RpcMethods = Readonly<Record<string, RpcMethod>>;

/**
 * The JSON-RPC error codes of RPC-ERRORS.1: the specification's five, and one for a request a rule refused.
 *
 * @spec RPC-ERRORS.1
 */
export const RPC_ERROR = {
  parseError: -32700,
  invalidRequest: -32600,
  methodNotFound: -32601,
  invalidParams: -32602,
  internalError: -32603,
  ruleRefused: -32000,
} as const;

/** The most requests one batch may hold. @spec RPC-ENVELOPE.1 */
export const MAX_BATCH = 100;

type Id = string | number | null;

interface RpcError {
  readonly code: number;
  readonly message: string;
  readonly data?: Json;
}

function failure(id: Id, error: RpcError): Json {
  return { jsonrpc: "2.0", id, error: error as unknown as Json };
}

const Request = z.strictObject({
  jsonrpc: z.literal("2.0"),
  method: z.string().min(1),
  params: z.union([z.array(z.unknown()), z.record(z.string(), z.unknown())]).optional(),
  id: z.union([z.string(), z.number(), z.null()]).optional(),
});

/** The id a response to a malformed request carries: the request's own when it can be read, else null. */
function idOf(request: unknown): Id {
  if (typeof request !== "object" || request === null || Array.isArray(request)) return null;
  const id = (request as { id?: unknown }).id;
  return typeof id === "string" || typeof id === "number" ? id : null;
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "params"}: ${issue.message}`)
    .join("; ");
}

/**
 * Answers one request object (RPC-ENVELOPE L3–L9): null for a notification (no id), else the response.
 *
 * @spec RPC-ENVELOPE.1 RPC-ERRORS.1
 */
async function answer(request: unknown, methods: RpcMethods): Promise<Json | null> {
  const parsed = Request.safeParse(request);
  if (!parsed.success) {
    return failure(idOf(request), {
      code: RPC_ERROR.invalidRequest,
      message: `invalid request: ${describe(parsed.error)}`,
    }); // RPC-ENVELOPE L4
  }
  const { method, params, id } = parsed.data;
  const notification = id === undefined; // RPC-ENVELOPE L5
  const reply = (response: Json) => (notification ? null : response);
  const entry = Object.hasOwn(methods, method) ? methods[method] : undefined;
  if (entry === undefined) {
    return reply(failure(id ?? null, { code: RPC_ERROR.methodNotFound, message: `no method ${method}` })); // L6
  }
  // Absent params are empty: positional for a method whose params are a tuple, named otherwise.
  const checked = entry.params.safeParse(params ?? (entry.params instanceof z.ZodTuple ? [] : {}));
  if (!checked.success) {
    return reply(
      failure(id ?? null, {
        code: RPC_ERROR.invalidParams,
        message: `invalid params: ${describe(checked.error)}`,
      }),
    ); // RPC-ENVELOPE L7
  }
  try {
    const result = await entry.run(checked.data);
    return reply({ jsonrpc: "2.0", id: id ?? null, result }); // RPC-ENVELOPE L8
  } catch (caught) {
    if (caught instanceof SpecError) {
      const data = { code: caught.code, detail: caught.detail };
      return reply(failure(id ?? null, { code: RPC_ERROR.ruleRefused, message: caught.code, data })); // L9
    }
    return reply(failure(id ?? null, { code: RPC_ERROR.internalError, message: "internal error" })); // L9
  }
}

/**
 * RPC-ENVELOPE (L1–L10): the response text to a request body, or null when the body held only notifications.
 * A body that is not JSON is a parse error; an array is a batch of 1 to MAX_BATCH requests answered in order.
 *
 * @spec RPC-ENVELOPE.1 RPC-ERRORS.1
 */
export async function handleRpcBody(body: string, methods: RpcMethods): Promise<string | null> {
  let request: unknown;
  try {
    request = JSON.parse(body); // RPC-ENVELOPE L1
  } catch {
    return JSON.stringify(failure(null, { code: RPC_ERROR.parseError, message: "the body is not JSON" })); // L1
  }
  if (!Array.isArray(request)) {
    const response = await answer(request, methods); // RPC-ENVELOPE L3
    return response === null ? null : JSON.stringify(response);
  }
  if (request.length === 0 || request.length > MAX_BATCH) {
    const message = `a batch holds 1 to ${MAX_BATCH} requests, not ${request.length}`;
    return JSON.stringify(failure(null, { code: RPC_ERROR.invalidRequest, message })); // RPC-ENVELOPE L2
  }
  const responses: Json[] = [];
  for (const item of request) {
    const response = await answer(item, methods); // RPC-ENVELOPE L3
    if (response !== null) responses.push(response);
  }
  return responses.length === 0 ? null : JSON.stringify(responses); // RPC-ENVELOPE L10
}
