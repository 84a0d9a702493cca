import { createPublicClient, defineChain, http, parseGwei } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { genesisAddress, genesisSecretKey } from "../../reference/ledger/genesis.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { MemoryChain } from "../chain/memoryChain.ts";
import { RPC_ERROR } from "./envelope.ts";
import { ethMethods } from "./ethMethods.ts";
import { type RpcServer, startRpcServer } from "./server.ts";

/*
 * The eth_* subset against viem, an independent Ethereum client library: a transfer it signs is admitted by the
 * node, included in the next block, and followed through eth_getTransactionReceipt.
 */

const SHARD = 1;
const CHAIN_ID = Number(MINIMAL.ethChainIdBase) + SHARD;
const chain = new MemoryChain(MINIMAL, SHARD);
const account = privateKeyToAccount(bytesToHex(genesisSecretKey(SHARD, 0)) as `0x${string}`);
const RECIPIENT = "0x00000000000000000000000000000000000a11ce";
let server: RpcServer;
let client: ReturnType<typeof clientFor>;

function clientFor(url: string) {
  const harmony = defineChain({
    id: CHAIN_ID,
    name: "harmony-spec minimal shard 1",
    nativeCurrency: { name: "ONE", symbol: "ONE", decimals: 18 },
    rpcUrls: { default: { http: [url] } },
  });
  return createPublicClient({ chain: harmony, transport: http(url) });
}

beforeAll(async () => {
  server = await startRpcServer(ethMethods(chain));
  client = clientFor(server.url);
});
afterAll(async () => {
  await server.close();
});

describe("eth_* with viem", () => {
  // @covers RPC-ETH.1
  it("reads the chain id, the height and genesis balances", async () => {
    expect(await client.getChainId()).toBe(CHAIN_ID);
    expect(await client.getBlockNumber()).toBe(0n);
    expect(account.address.toLowerCase()).toBe(bytesToHex(genesisAddress(SHARD, 0)));
    expect(await client.getBalance({ address: account.address })).toBe(MINIMAL.genesisBalance);
    expect(await client.getGasPrice()).toBe(parseGwei("100"));
  });

  // @covers RPC-ETH.1
  it("admits a transfer viem signs, and follows it into a block and a receipt", async () => {
    const nonce = await client.getTransactionCount({ address: account.address });
    const gas = await client.estimateGas({ account: account.address, to: RECIPIENT, value: 5n });
    expect(gas).toBe(21000n);
    const serializedTransaction = await account.signTransaction({
      type: "legacy",
      chainId: CHAIN_ID,
      nonce,
      gas,
      gasPrice: parseGwei("100"),
      to: RECIPIENT,
      value: 5n,
    });
    const hash = await client.sendRawTransaction({ serializedTransaction });
    await expect(client.sendRawTransaction({ serializedTransaction })).rejects.toThrow(/POOL_KNOWN/);
    expect(await client.getTransactionReceipt({ hash }).catch(() => null)).toBeNull();
    chain.produce(10n);
    const receipt = await client.getTransactionReceipt({ hash });
    expect(receipt.status).toBe("success");
    expect(receipt.blockNumber).toBe(1n);
    expect(receipt.gasUsed).toBe(21000n);
    expect(receipt.from).toBe(account.address.toLowerCase());
    const tx = await client.getTransaction({ hash });
    expect(tx.value).toBe(5n);
    expect(tx.nonce).toBe(nonce);
    const block = await client.getBlock({ blockNumber: 1n });
    expect(block.transactions).toEqual([hash]);
    expect(block.hash).toBe(receipt.blockHash);
    expect((await client.getBlock({ blockHash: block.hash! })).number).toBe(1n);
    expect(await client.getBalance({ address: RECIPIENT })).toBe(5n);
    expect(await client.getBalance({ address: RECIPIENT, blockNumber: 0n })).toBe(0n);
    expect(await client.getTransactionCount({ address: account.address })).toBe(nonce + 1);
    expect(await client.getBlockNumber({ cacheTime: 0 })).toBe(1n);
  });

  // @covers RPC-ETH.1 RPC-ERRORS.1
  it("refuses bad transactions and params with their codes", async () => {
    const call = async (method: string, params: unknown[]) => {
      const response = await fetch(server.url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
      });
      return ((await response.json()) as { error?: { code: number; data?: { code: string } } }).error;
    };
    expect((await call("eth_sendRawTransaction", ["0xc0"]))?.data?.code).toMatch(/^(TX|RLP)_/);
    const otherChain = await account.signTransaction({
      type: "legacy",
      chainId: CHAIN_ID + 1,
      nonce: 0,
      gas: 21000n,
      gasPrice: 1n,
      to: RECIPIENT,
      value: 1n,
    });
    expect((await call("eth_sendRawTransaction", [otherChain]))?.code).toBe(RPC_ERROR.ruleRefused);
    expect((await call("eth_getBalance", ["0x12", "latest"]))?.code).toBe(RPC_ERROR.invalidParams);
    expect((await call("eth_getBalance", [RECIPIENT, "0x99"]))?.data?.code).toBe("RPC_BLOCK_UNKNOWN");
    expect(await call("eth_chainId", [])).toBeUndefined();
  });
});
