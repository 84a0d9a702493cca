import { readdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpcTarget } from "../../tools/conformance/rpcTarget.ts";
import { runVectors } from "../../tools/conformance/run.ts";
import { RUNNERS } from "../../tools/conformance/runners/index.ts";
import { conformanceMethods } from "./conformanceMethods.ts";
import { RPC_ERROR } from "./envelope.ts";
import { MAX_BODY_BYTES, type RpcServer, startRpcServer } from "./server.ts";

const VECTORS = join(import.meta.dirname, "..", "..", "conformance-vectors");

/** The vector files of the set, counted from the directory itself. */
function vectorFileCount(): number {
  let count = 0;
  for (const preset of ["minimal", "mainnet"]) {
    for (const runner of readdirSync(join(VECTORS, preset))) {
      for (const handler of readdirSync(join(VECTORS, preset, runner))) {
        count += readdirSync(join(VECTORS, preset, runner, handler)).filter((f) =>
          f.endsWith(".json"),
        ).length;
      }
    }
  }
  return count;
}

let server: RpcServer;
beforeAll(async () => {
  server = await startRpcServer(conformanceMethods());
});
afterAll(async () => {
  await server.close();
});

async function post(body: string, init: RequestInit = {}) {
  return fetch(server.url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body,
    ...init,
  });
}

describe("the JSON-RPC endpoint over HTTP", () => {
  // @covers RPC-ENVELOPE.1 RPC-ERRORS.1
  it("answers POST / with 200, notifications with 204, and refuses other methods and oversized bodies", async () => {
    const ok = await post(JSON.stringify({ jsonrpc: "2.0", method: "conformance_runners", id: 1 }));
    expect(ok.status).toBe(200);
    const runners = ((await ok.json()) as { result: { name: string }[] }).result.map((r) => r.name);
    expect(runners).toEqual(RUNNERS.map((r) => r.name));
    expect((await post(JSON.stringify({ jsonrpc: "2.0", method: "conformance_runners" }))).status).toBe(204);
    const get = await fetch(server.url);
    expect(get.status).toBe(405);
    expect(((await get.json()) as { error: { code: number } }).error.code).toBe(RPC_ERROR.invalidRequest);
    const big = await post(" ".repeat(MAX_BODY_BYTES + 1));
    expect(big.status).toBe(413);
    expect((await post("[")).status).toBe(200);
  });

  // @covers RPC-CONFORMANCE.1
  it("runs every conformance vector over JSON-RPC, and every one passes", async () => {
    const report = await runVectors(VECTORS, rpcTarget(server.url), {
      knownRunners: RUNNERS.map((r) => r.name),
    });
    const count = (key: "pass" | "fail" | "skipped") => report.runners.reduce((n, r) => n + r[key], 0);
    expect(report.problems).toEqual([]);
    expect(report.runners.flatMap((r) => r.failures)).toEqual([]);
    expect(count("skipped")).toBe(0);
    expect(count("pass")).toBe(vectorFileCount());
  }, 120_000);

  // @covers RPC-CONFORMANCE.1
  it("reports a refusal as the vector's error kind, an unknown handler as unsupported, and a down node as failed", async () => {
    const target = rpcTarget(server.url);
    expect(await target.execute("crossshard", "crosslinks_decode", { field: "0xc0" }, "minimal")).toEqual({
      kind: "error",
      code: "XLINK_MALFORMED",
    });
    expect((await target.execute("crossshard", "nothing", {}, "minimal")).kind).toBe("unsupported");
    const down = rpcTarget("http://127.0.0.1:9/");
    const report = await runVectors(VECTORS, down, {
      knownRunners: RUNNERS.map((r) => r.name),
      runner: "network",
      preset: "minimal",
    });
    expect(report.runners[0]!.fail).toBeGreaterThan(0);
    expect(report.runners[0]!.failures[0]!.reason).toMatch(/^the target failed/);
  });
});
