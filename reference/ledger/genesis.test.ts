import { secp256k1 } from "@noble/curves/secp256k1.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import {
  genesisAddress,
  genesisLedger,
  genesisSecretKey,
  genesisState,
  presetAllocation,
} from "./genesis.ts";
import { headerHash } from "./header.ts";
import { stateRoot } from "./state.ts";

const hex = bytesToHex;
const EMPTY_ROOT = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

describe("genesis", () => {
  // @covers GENESIS-KEYS.1
  it("keys are keccak256 of the label; addresses the last 20 bytes of keccak256 of the public key", () => {
    for (const [s, i] of [
      [0, 0],
      [1, 3],
      [0, 12],
    ] as const) {
      const key = keccak_256(new TextEncoder().encode(`harmony-spec genesis account ${s} ${i}`));
      expect(hex(genesisSecretKey(s, i))).toBe(hex(key));
      // noble's uncompressed public key is 0x04 ‖ x ‖ y; the address hashes x ‖ y.
      const address = keccak_256(secp256k1.getPublicKey(key, false).slice(1)).slice(12);
      expect(hex(genesisAddress(s, i))).toBe(hex(address));
    }
  });

  // @covers GENESIS-ALLOCATION.1
  it("the preset allocation funds distinct labelled accounts on each shard", () => {
    for (const preset of [MINIMAL, MAINNET]) {
      const seen = new Set<string>();
      for (let s = 0; s < preset.numShards; s++) {
        const lines = presetAllocation(s, preset);
        expect(lines).toHaveLength(preset.genesisAccountsPerShard);
        for (const line of lines) {
          expect(line.balance).toBe(preset.genesisBalance);
          seen.add(hex(line.address));
        }
      }
      expect(seen.size).toBe(preset.numShards * preset.genesisAccountsPerShard);
    }
  });

  // @covers GENESIS-ALLOCATION.1
  it("a given allocation is read through STATE-FROM-LIST; the shard must exist", () => {
    const a = genesisAddress(0, 0);
    expect(resultCode(genesisState(2, [], MINIMAL))).toBe("GENESIS_SHARD_INVALID");
    expect(resultCode(genesisLedger(2, null, MINIMAL))).toBe("GENESIS_SHARD_INVALID");
    expect(resultCode(genesisState(-1, [], MINIMAL))).toBe("GENESIS_SHARD_INVALID");
    expect(resultCode(genesisState(0, [{ address: a, balance: 0n }], MINIMAL))).toBe("STATE_EMPTY_ACCOUNT");
    expect(
      resultCode(
        genesisState(
          0,
          [
            { address: a, balance: 1n },
            { address: a, balance: 2n },
          ],
          MINIMAL,
        ),
      ),
    ).toBe("STATE_DUPLICATE_ADDRESS");
    expect(resultCode(genesisState(0, [{ address: a.slice(1), balance: 1n }], MINIMAL))).toBe(
      "STATE_ADDRESS_LENGTH",
    );
    expect(resultCode(genesisState(0, [{ address: a, balance: 1n << 256n }], MINIMAL))).toBe(
      "ACCOUNT_FIELD_INVALID",
    );
    const empty = genesisLedger(1, [], MINIMAL);
    expect(empty.ok && hex(empty.value.head.stateRoot)).toBe(EMPTY_ROOT);
  });

  // @covers GENESIS-BLOCK.1
  it("the genesis header has the fixed fields and the state root of the allocation", () => {
    for (const preset of [MINIMAL, MAINNET]) {
      const ledger = genesisLedger(1, null, preset);
      expect(ledger.ok).toBe(true);
      if (!ledger.ok) continue;
      const h = ledger.value.head;
      expect(hex(h.stateRoot)).toBe(hex(stateRoot(ledger.value.accounts)));
      expect([
        hex(h.txRoot),
        hex(h.receiptRoot),
        hex(h.outgoingReceiptRoot),
        hex(h.incomingReceiptRoot),
      ]).toEqual([EMPTY_ROOT, EMPTY_ROOT, EMPTY_ROOT, EMPTY_ROOT]);
      expect([h.number, h.gasLimit, h.gasUsed, h.time, h.viewId, h.epoch, h.shardId]).toEqual([
        0n,
        preset.blockGasLimit,
        0n,
        preset.genesisTime,
        0n,
        0n,
        1,
      ]);
      expect([hex(h.parentHash), hex(h.coinbase), hex(h.lastCommitSignature)]).toEqual([
        `0x${"00".repeat(32)}`,
        `0x${"00".repeat(20)}`,
        `0x${"00".repeat(96)}`,
      ]);
      for (const field of [
        h.extra,
        h.lastCommitBitmap,
        h.vrf,
        h.vdf,
        h.shardState,
        h.crossLinks,
        h.slashes,
      ]) {
        expect(field.length).toBe(0);
      }
    }
    // Different shards and presets have different genesis hashes.
    const hashes = new Set<string>();
    for (const preset of [MINIMAL, MAINNET]) {
      for (let s = 0; s < 2; s++) {
        const l = genesisLedger(s, null, preset);
        if (l.ok) hashes.add(hex(headerHash(l.value.head)));
      }
    }
    expect(hashes.size).toBe(4);
  });
});
