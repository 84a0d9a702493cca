import { z } from "zod";
import { bytesFromHex, bytesToHex } from "../../reference/encoding/json.ts";
import { SpecError, unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { getAccount } from "../../reference/ledger/state.ts";
import {
  checkTransactionStateless,
  decodeTransaction,
  encodeTransaction,
  type Transaction,
} from "../../reference/ledger/transaction.ts";
import { intrinsicGas } from "../../reference/ledger/transactionIntrinsicGas.ts";
import type { Json } from "../../tools/conformance/types.ts";
import type { ChainView, StoredBlock } from "../chain/chainView.ts";
import type { RpcMethods } from "./envelope.ts";

/*
 * The Ethereum-compatible subset (§14.4): enough of `eth_*` for wallets and libraries such as viem to read balances,
 * send signed transfers and follow them into blocks. Every answer is read from the chain view, every transaction
 * admitted by the reference.
 */

/** The least gas price the pool takes, in atto (mainnet's 100 gwei). @spec RPC-ETH.1 */
export const GAS_PRICE = 100_000_000_000n;

const quantity = (value: bigint | number): string => `0x${BigInt(value).toString(16)}`;
const data = bytesToHex;
const ZERO_HASH = data(new Uint8Array(32));
const EMPTY_BLOOM = data(new Uint8Array(256));

const Address = z.string().regex(/^0x[0-9a-fA-F]{40}$/, "a 20-byte address");
const Hash = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "a 32-byte hash");
const HexData = z.string().regex(/^0x(?:[0-9a-fA-F]{2})*$/, "0x-prefixed bytes");
const Tag = z.union([
  z.enum(["latest", "earliest", "pending", "safe", "finalized"]),
  z.string().regex(/^0x(?:0|[1-9a-f][0-9a-f]*)$/, "a block tag or a quantity"),
]);

/**
 * The ledger a block tag names: every tag but `earliest` is the head (blocks are final when stored); a number is the
 * ledger after that block.
 */
function ledgerAt(chain: ChainView, tag: string): LedgerState {
  if (tag === "earliest" || tag === "0x0") return chain.genesis();
  if (!tag.startsWith("0x")) return chain.head();
  const stored = chain.blockAt(BigInt(tag));
  if (stored === null) throw new SpecError("RPC_BLOCK_UNKNOWN", `no block ${tag}`);
  return stored.applied.state;
}

function transactionJson(chain: ChainView, tx: Transaction, stored: StoredBlock | null, index: number): Json {
  const admitted = unwrap(
    checkTransactionStateless(tx, chain.preset, chain.shard, chain.preset.blockGasLimit),
  );
  return {
    hash: data(admitted.hash),
    nonce: quantity(tx.nonce),
    blockHash: stored === null ? null : data(stored.hash),
    blockNumber: stored === null ? null : quantity(stored.block.header.number),
    transactionIndex: stored === null ? null : quantity(index),
    from: data(admitted.sender),
    to: tx.to === null ? null : data(tx.to),
    value: quantity(tx.value),
    gas: quantity(tx.gasLimit),
    gasPrice: quantity(tx.gasPrice),
    input: data(tx.data),
    type: "0x0",
    chainId: quantity(chain.preset.ethChainIdBase + BigInt(chain.shard)),
    v: quantity(tx.v),
    r: quantity(tx.r),
    s: quantity(tx.s),
  };
}

function blockJson(chain: ChainView, stored: StoredBlock, full: boolean): Json {
  const h = stored.block.header;
  return {
    number: quantity(h.number),
    hash: data(stored.hash),
    parentHash: data(h.parentHash),
    nonce: "0x0000000000000000",
    sha3Uncles: ZERO_HASH,
    logsBloom: EMPTY_BLOOM,
    transactionsRoot: data(h.txRoot),
    stateRoot: data(h.stateRoot),
    receiptsRoot: data(h.receiptRoot),
    miner: data(h.coinbase),
    difficulty: "0x0",
    totalDifficulty: "0x0",
    extraData: data(h.extra),
    size: quantity(encodeTransactionsSize(stored)),
    gasLimit: quantity(h.gasLimit),
    gasUsed: quantity(h.gasUsed),
    timestamp: quantity(h.time),
    transactions: stored.block.transactions.map((tx, i) =>
      full ? transactionJson(chain, tx, stored, i) : data(stored.applied.receipts[i]!.txHash),
    ),
    uncles: [],
    mixHash: ZERO_HASH,
  };
}

function encodeTransactionsSize(stored: StoredBlock): number {
  let size = 0;
  for (const tx of stored.block.transactions) size += encodeTransaction(tx).length;
  return size;
}

/**
 * eth_chainId, eth_blockNumber, eth_getBalance, eth_getTransactionCount, eth_gasPrice, eth_estimateGas,
 * eth_sendRawTransaction, eth_getBlockByNumber, eth_getBlockByHash, eth_getTransactionByHash and
 * eth_getTransactionReceipt over `chain`.
 *
 * @spec RPC-ETH.1
 */
export function ethMethods(chain: ChainView): RpcMethods {
  const chainId = chain.preset.ethChainIdBase + BigInt(chain.shard);
  const byNumber = (tag: string): StoredBlock | null => {
    if (!tag.startsWith("0x")) return chain.blockAt(chain.head().head.number);
    return chain.blockAt(BigInt(tag));
  };
  return {
    eth_chainId: { params: z.tuple([]), run: () => quantity(chainId) },
    eth_blockNumber: { params: z.tuple([]), run: () => quantity(chain.head().head.number) },
    eth_gasPrice: { params: z.tuple([]), run: () => quantity(GAS_PRICE) },
    eth_getBalance: {
      params: z.tuple([Address, Tag.optional()]),
      run: ([address, tag]: [string, string?]) =>
        quantity(
          getAccount(ledgerAt(chain, tag ?? "latest").accounts, bytesFromHex(address.toLowerCase())).balance,
        ),
    },
    eth_getTransactionCount: {
      params: z.tuple([Address, Tag.optional()]),
      run: ([address, tag]: [string, string?]) =>
        quantity(
          getAccount(ledgerAt(chain, tag ?? "latest").accounts, bytesFromHex(address.toLowerCase())).nonce,
        ),
    },
    eth_estimateGas: {
      params: z.tuple([
        z.object({ data: HexData.optional(), input: HexData.optional() }).loose(),
        Tag.optional(),
      ]),
      run: ([call]: [{ data?: string; input?: string }, string?]) => {
        const bytes = bytesFromHex((call.input ?? call.data ?? "0x").toLowerCase());
        const transfer = {
          kind: "harmony" as const,
          nonce: 0n,
          gasPrice: 0n,
          gasLimit: 0n,
          value: 0n,
          to: null,
        };
        return quantity(
          intrinsicGas({ ...transfer, shardId: chain.shard, toShardId: chain.shard, data: bytes }),
        );
      },
    },
    eth_sendRawTransaction: {
      params: z.tuple([HexData]),
      run: ([raw]: [string]) =>
        data(chain.submit(unwrap(decodeTransaction(bytesFromHex(raw.toLowerCase()))))),
    },
    eth_getBlockByNumber: {
      params: z.tuple([Tag, z.boolean()]),
      run: ([tag, full]: [string, boolean]) => {
        const stored = byNumber(tag);
        return stored === null ? null : blockJson(chain, stored, full);
      },
    },
    eth_getBlockByHash: {
      params: z.tuple([Hash, z.boolean()]),
      run: ([hash, full]: [string, boolean]) => {
        const stored = chain.blockByHash(hash);
        return stored === null ? null : blockJson(chain, stored, full);
      },
    },
    eth_getTransactionByHash: {
      params: z.tuple([Hash]),
      run: ([hash]: [string]) => {
        const found = chain.transaction(hash);
        if (found === null) return null;
        return transactionJson(
          chain,
          found.stored.block.transactions[found.index]!,
          found.stored,
          found.index,
        );
      },
    },
    eth_getTransactionReceipt: {
      params: z.tuple([Hash]),
      run: ([hash]: [string]) => {
        const found = chain.transaction(hash);
        if (found === null) return null;
        const { stored, index } = found;
        const tx = stored.block.transactions[index]!;
        const receipt = stored.applied.receipts[index]!;
        const sender = unwrap(
          checkTransactionStateless(tx, chain.preset, chain.shard, chain.preset.blockGasLimit),
        );
        return {
          transactionHash: data(receipt.txHash),
          transactionIndex: quantity(index),
          blockHash: data(stored.hash),
          blockNumber: quantity(stored.block.header.number),
          from: data(sender.sender),
          to: tx.to === null ? null : data(tx.to),
          cumulativeGasUsed: quantity(receipt.cumulativeGasUsed),
          gasUsed: quantity(receipt.gasUsed),
          effectiveGasPrice: quantity(tx.gasPrice),
          contractAddress: null,
          logs: [],
          logsBloom: EMPTY_BLOOM,
          status: quantity(receipt.status),
          type: "0x0",
        };
      },
    },
  };
}
