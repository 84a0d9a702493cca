import type { Json, ScriptOutcome, Target, TargetOutcome } from "./types.ts";

/*
 * A target over JSON-RPC (§14.3): any node that implements the conformance_* namespace.
 */

let nextId = 1;

async function call(url: string, method: string, params: Json): Promise<Json> {
  const id = nextId++;
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id, method, params }),
  });
  const body = (await response.json()) as { result?: Json; error?: { code: number; message: string } };
  if (body.error !== undefined)
    throw new Error(`${method}: JSON-RPC error ${body.error.code}: ${body.error.message}`);
  return body.result ?? null;
}

/** The target at `url`, running each vector with conformance_execute or conformance_executeScript. */
export function rpcTarget(url: string): Target {
  return {
    name: `rpc:${url}`,
    async execute(runner, handler, input, preset, pre): Promise<TargetOutcome> {
      const params: Json = { runner, handler, preset, input, ...(pre === undefined ? {} : { pre }) };
      return (await call(url, "conformance_execute", params)) as unknown as TargetOutcome;
    },
    async executeScript(runner, handler, preset, pre, events): Promise<ScriptOutcome> {
      const params: Json = { runner, handler, preset, pre, events: [...events] };
      return (await call(url, "conformance_executeScript", params)) as unknown as ScriptOutcome;
    },
  };
}
