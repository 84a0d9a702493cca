import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { handleRpcBody, RPC_ERROR, type RpcMethods } from "./envelope.ts";

/*
 * The JSON-RPC endpoint over HTTP (§14.2): POST / with a JSON body of at most maxBodyBytes. Everything else gets
 * an HTTP error with a JSON-RPC error body; nothing a client sends stops the server.
 */

/** The largest request body the endpoint reads. @spec RPC-ENVELOPE.1 */
export const MAX_BODY_BYTES = 1 << 20;

export interface RpcServer {
  readonly url: string;
  close(): Promise<void>;
}

function send(response: ServerResponse, status: number, body: string | null): void {
  if (body === null) {
    response.writeHead(204).end();
    return;
  }
  response.writeHead(status, { "content-type": "application/json" }).end(body);
}

function httpError(response: ServerResponse, status: number, code: number, message: string): void {
  send(response, status, JSON.stringify({ jsonrpc: "2.0", id: null, error: { code, message } }));
}

/** Reads the body, up to `limit` bytes; null when it is longer. */
function readBody(request: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else if (!over) chunks.push(chunk);
    });
    request.on("end", () => resolve(over ? null : Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/**
 * Serves `methods` on `host:port` (port 0: any free port) and resolves once listening.
 *
 * @spec RPC-ENVELOPE.1
 */
export function startRpcServer(methods: RpcMethods, port = 0, host = "127.0.0.1"): Promise<RpcServer> {
  const server = createServer((request, response) => {
    if (request.method !== "POST" || (request.url ?? "/") !== "/") {
      httpError(response, 405, RPC_ERROR.invalidRequest, "POST a JSON-RPC request to /");
      request.resume();
      return;
    }
    readBody(request, MAX_BODY_BYTES).then(
      async (body) => {
        if (body === null) {
          httpError(response, 413, RPC_ERROR.invalidRequest, `the body exceeds ${MAX_BODY_BYTES} bytes`);
          return;
        }
        send(response, 200, await handleRpcBody(body, methods));
      },
      () => httpError(response, 400, RPC_ERROR.parseError, "the body could not be read"),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({
        url: `http://${host}:${address.port}/`,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
