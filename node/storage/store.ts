import { ClassicLevel } from "classic-level";
import { applyChainBlock, type ChainConfig, chainStart } from "../../reference/consensus/chain.ts";
import type { Committed } from "../../reference/consensus/messages.ts";
import { decodeMessage, encodeMessage } from "../../reference/consensus/messages.ts";
import type { PersistentConsensusState } from "../../reference/consensus/persist.ts";
import { expectRlpBytes, expectRlpList, rlpDecodeOrThrow, rlpEncode } from "../../reference/encoding/rlp.ts";
import { unwrap } from "../../reference/errors.ts";
import type { LedgerState } from "../../reference/ledger/applyBlock.ts";
import { type Block, decodeBlock, encodeBlock } from "../../reference/ledger/block.ts";
import { decodeVoteRecord, durableState, encodeVoteRecord, type VoteRecord } from "./durable.ts";

/*
 * A node's storage on LevelDB: its finalized blocks, each with the committed message that finalized it, and its
 * vote record. Finalizing a block is one atomic write batch of the block and the vote record of the next height,
 * so that a crash leaves either both or neither. On restart the node replays its blocks through the reference to
 * rebuild its ledger, and resumes from the stored votes.
 */

/** A finalized block as stored: the block and the committed message (FBFT-FINALIZE.2). */
export interface StoredEntry {
  readonly block: Block;
  readonly committed: Committed;
}

/** What a node resumes from: its stored chain and its durable consensus state (FBFT-PERSIST.3). */
export interface Resumed {
  readonly chain: readonly StoredEntry[];
  readonly durable: PersistentConsensusState | null;
}

const VOTES = "votes";

/** LevelDB hands back Node Buffers; the reference works on plain bytes. */
const plain = (bytes: Uint8Array): Uint8Array => new Uint8Array(bytes);
const blockKey = (height: bigint) => `block:${height.toString().padStart(20, "0")}`;

export class NodeStore {
  readonly #db: ClassicLevel<string, Uint8Array>;
  readonly #config: ChainConfig;

  private constructor(db: ClassicLevel<string, Uint8Array>, config: ChainConfig) {
    this.#db = db;
    this.#config = config;
  }

  /** Opens (or creates) the store at `path` for a node of `config`. */
  static async open(path: string, config: ChainConfig): Promise<NodeStore> {
    const db = new ClassicLevel<string, Uint8Array>(path, { valueEncoding: "view" });
    await db.open();
    return new NodeStore(db, config);
  }

  /** Stores a finalized block with its committed message and the vote record that follows it, atomically. */
  async finalize(entry: StoredEntry, votes: VoteRecord): Promise<void> {
    const value = rlpEncode([encodeBlock(entry.block), encodeMessage(entry.committed)]);
    await this.#db
      .batch()
      .put(blockKey(entry.block.header.number), value)
      .put(VOTES, encodeVoteRecord(votes))
      .write();
  }

  /** Stores the vote record alone: before a node sends a vote it must be on disk (FBFT-PERSIST.3). */
  async saveVotes(votes: VoteRecord): Promise<void> {
    await this.#db.put(VOTES, encodeVoteRecord(votes));
  }

  /**
   * Reads the chain in height order and replays it from `genesis` with the reference, which also checks that the
   * stored blocks form a chain; returns the chain and the durable state, null for a fresh store.
   */
  async resume(genesis: LedgerState): Promise<Resumed> {
    const preset = this.#config.preset;
    const chain: StoredEntry[] = [];
    let ledger = chainStart(this.#config, genesis);
    for await (const [key, value] of this.#db.iterator({ gte: "block:", lt: "block;" })) {
      const [blockBytes, committedBytes] = expectRlpList(rlpDecodeOrThrow(plain(value)), key);
      const block = unwrap(decodeBlock(expectRlpBytes(blockBytes!, "block"), preset));
      const committed = unwrap(decodeMessage(expectRlpBytes(committedBytes!, "committed")));
      if (committed.type !== "committed")
        throw new Error(`${key}: the stored message is not a committed message`);
      if (block.header.number !== BigInt(chain.length + 1))
        throw new Error(`${key}: a gap in the stored chain`);
      ledger = applyChainBlock(this.#config, ledger, block);
      chain.push({ block, committed });
    }
    const votes = await this.#db.get(VOTES);
    if (votes === undefined) return { chain, durable: null };
    const headCert = chain.at(-1)?.committed.certificate ?? null;
    return { chain, durable: durableState(decodeVoteRecord(plain(votes), preset), ledger, headCert) };
  }

  async close(): Promise<void> {
    await this.#db.close();
  }
}
