import { bytesToHex } from "../../reference/encoding/json.ts";
import { SpecError, unwrap } from "../../reference/errors.ts";
import { applyBlock, type LedgerState } from "../../reference/ledger/applyBlock.ts";
import { buildBlock, plainProposerFields } from "../../reference/ledger/buildBlock.ts";
import { genesisLedger } from "../../reference/ledger/genesis.ts";
import { headerHash } from "../../reference/ledger/header.ts";
import { checkTransactionStateless, type Transaction } from "../../reference/ledger/transaction.ts";
import type { Preset } from "../../reference/params/presets.ts";
import type { ChainView, StoredBlock } from "./chainView.ts";

/*
 * A chain held in memory: the preset's genesis of one shard, blocks a single proposer builds from its pool with the
 * reference, each applied with the reference. It stands in for consensus and storage where a test needs a chain
 * behind the JSON-RPC; the node's own chain is finalized by FBFT and kept on disk.
 */
export class MemoryChain implements ChainView {
  readonly preset: Preset;
  readonly shard: number;
  readonly #genesis: LedgerState;
  #ledger: LedgerState;
  readonly #blocks: StoredBlock[] = [];
  #pool: { readonly tx: Transaction; readonly hash: string }[] = [];

  constructor(preset: Preset, shard: number) {
    this.preset = preset;
    this.shard = shard;
    this.#genesis = unwrap(genesisLedger(shard, null, preset));
    this.#ledger = this.#genesis;
  }

  genesis(): LedgerState {
    return this.#genesis;
  }

  head(): LedgerState {
    return this.#ledger;
  }

  blockAt(number: bigint): StoredBlock | null {
    return number >= 1n ? (this.#blocks[Number(number) - 1] ?? null) : null;
  }

  blockByHash(hash: string): StoredBlock | null {
    return this.#blocks.find((b) => bytesToHex(b.hash) === hash.toLowerCase()) ?? null;
  }

  transaction(hash: string): { readonly stored: StoredBlock; readonly index: number } | null {
    for (const stored of this.#blocks) {
      const index = stored.applied.receipts.findIndex((r) => bytesToHex(r.txHash) === hash.toLowerCase());
      if (index >= 0) return { stored, index };
    }
    return null;
  }

  submit(tx: Transaction): Uint8Array {
    const admitted = checkTransactionStateless(tx, this.preset, this.shard, this.preset.blockGasLimit);
    if (!admitted.ok) throw admitted.error;
    const hash = bytesToHex(admitted.value.hash);
    if (this.#pool.some((p) => p.hash === hash) || this.transaction(hash) !== null) {
      throw new SpecError("POOL_KNOWN", `transaction ${hash} is known`);
    }
    this.#pool.push({ tx, hash });
    return admitted.value.hash;
  }

  /**
   * Builds and applies the next block from the pool at header time `time`: the pooled transactions that apply, in
   * pool order; the others stay in the pool.
   */
  produce(time: bigint): StoredBlock {
    const fields = plainProposerFields(time, this.#ledger.head.viewId + 1n);
    let chosen: Transaction[] = [];
    const left: { readonly tx: Transaction; readonly hash: string }[] = [];
    for (const pooled of this.#pool) {
      const tried = [...chosen, pooled.tx];
      if (buildBlock(this.#ledger, tried, fields, this.preset).ok) chosen = tried;
      else left.push(pooled);
    }
    const built = unwrap(buildBlock(this.#ledger, chosen, fields, this.preset));
    const applied = unwrap(applyBlock(this.#ledger, built.block, this.preset));
    const stored = { block: built.block, hash: headerHash(built.block.header), applied };
    this.#blocks.push(stored);
    this.#ledger = applied.state;
    this.#pool = left;
    return stored;
  }
}
