import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { SECP256K1_N } from "../crypto/ecdsa.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL, type Preset } from "../params/presets.ts";
import { checkTransactionStateless, MAX_TX_BYTES } from "./transactionAdmission.ts";
import { decodeTransaction, encodeTransaction } from "./transactionCodec.ts";
import type {
  HarmonyTransaction,
  Transaction,
  UnsignedEthereumTransaction,
  UnsignedHarmonyTransaction,
} from "./transactionFields.ts";
import { isCrossShard, transactionShards } from "./transactionShards.ts";
import { signTransaction } from "./transactionSign.ts";

/*
 * Stateless admission: one test per rejection code, the order of the checks, the size bound at its boundary, and
 * the outputs (sender, hash, intrinsic gas, shards) of accepted transactions of each kind.
 */

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const alice = keccak256(utf8("admission alice"));
const bob = new Uint8Array(20).fill(0xb0);
const BLOCK_GAS = 30_000_000n;

const harmony: UnsignedHarmonyTransaction = {
  kind: "harmony",
  nonce: 0n,
  gasPrice: 100_000_000_000n,
  gasLimit: 21000n,
  shardId: 0,
  toShardId: 0,
  to: bob,
  value: 10n ** 18n,
  data: new Uint8Array(0),
};
const ethereum: UnsignedEthereumTransaction = { ...harmony, kind: "ethereum" };
/** Alice's address, derived by noble directly (independent of the reference's ECDSA code). */
const aliceAddress = bytesToHex(keccak256(secp256k1.getPublicKey(alice, false).slice(1)).slice(12));
const signed = signTransaction(harmony, alice, MAINNET) as HarmonyTransaction;

function admit(tx: Transaction, preset: Preset = MAINNET, shard = 0, gas = BLOCK_GAS): string {
  return resultCode(checkTransactionStateless(tx, preset, shard, gas));
}

// @covers TX-ADMIT.1 TX-SHARDS.1
describe("accepted transactions", () => {
  it("Harmony same-shard, Harmony cross-shard and Ethereum transactions, on both shards and presets", () => {
    for (const preset of [MINIMAL, MAINNET]) {
      for (const shard of [0, 1]) {
        const kinds: [string, Transaction, boolean][] = [
          [
            "same-shard",
            signTransaction({ ...harmony, shardId: shard, toShardId: shard }, alice, preset),
            false,
          ],
          [
            "cross-shard",
            signTransaction({ ...harmony, shardId: shard, toShardId: 1 - shard }, alice, preset),
            true,
          ],
          ["ethereum", signTransaction({ ...ethereum, shardId: shard }, alice, preset), false],
        ];
        for (const [name, tx, cross] of kinds) {
          const admitted = unwrap(checkTransactionStateless(tx, preset, shard, BLOCK_GAS));
          const label = `${preset.name} shard ${shard} ${name}`;
          expect(bytesToHex(admitted.sender), label).toBe(aliceAddress);
          expect(bytesToHex(admitted.hash), label).toBe(bytesToHex(keccak256(encodeTransaction(tx))));
          expect(admitted.intrinsicGas, label).toBe(21000n);
          expect(admitted.crossShard, label).toBe(cross);
          expect(isCrossShard(tx, preset), label).toBe(cross);
          expect(admitted.fromShard, label).toBe(shard);
          expect(admitted.toShard, label).toBe(cross ? 1 - shard : shard);
          expect(transactionShards(tx, preset), label).toEqual({
            from: admitted.fromShard,
            to: admitted.toShard,
          });
        }
      }
    }
  });

  it("a gas limit equal to the intrinsic gas, and one equal to the block gas limit, are accepted", () => {
    const data = Uint8Array.from([0, 1, 2]);
    expect(admit(signTransaction({ ...harmony, data, gasLimit: 21036n }, alice, MAINNET))).toBe(ACCEPTED);
    expect(admit(signTransaction({ ...harmony, gasLimit: BLOCK_GAS }, alice, MAINNET))).toBe(ACCEPTED);
  });
});

// @covers TX-ADMIT.1 TX-SHARDS.1 TX-FIELDS.1
describe("every rejection code", () => {
  const flipped = signed.v === 37n ? 38n : 37n;

  it("TX_TO_LENGTH and TX_SCALAR_RANGE for a transaction built out of bounds", () => {
    expect(admit({ ...signed, to: new Uint8Array(19) })).toBe("TX_TO_LENGTH");
    expect(admit({ ...signed, gasLimit: 1n << 64n })).toBe("TX_SCALAR_RANGE");
    expect(admit({ ...signed, shardId: -1 })).toBe("TX_SCALAR_RANGE");
  });

  it("TX_TO_MISSING: no contract creation", () => {
    expect(admit(signTransaction({ ...harmony, to: null }, alice, MAINNET))).toBe("TX_TO_MISSING");
    expect(admit(signTransaction({ ...ethereum, to: null }, alice, MAINNET))).toBe("TX_TO_MISSING");
  });

  it("TX_SHARD_OUT_OF_RANGE: a Harmony-form shard id at or above the number of shards", () => {
    expect(admit(signTransaction({ ...harmony, shardId: 2 }, alice, MAINNET))).toBe("TX_SHARD_OUT_OF_RANGE");
    expect(admit(signTransaction({ ...harmony, toShardId: 2 }, alice, MAINNET))).toBe(
      "TX_SHARD_OUT_OF_RANGE",
    );
    expect(admit(signTransaction({ ...harmony, toShardId: 2 ** 32 - 1 }, alice, MAINNET))).toBe(
      "TX_SHARD_OUT_OF_RANGE",
    );
  });

  it("TX_CHAIN_ID_UNKNOWN: an Ethereum chain id that is no shard's", () => {
    // signed for shard 2 of a 2-shard preset: chain id base + 2
    expect(admit(signTransaction({ ...ethereum, shardId: 2 }, alice, MAINNET))).toBe("TX_CHAIN_ID_UNKNOWN");
    // signed for the other preset's chain ids
    expect(admit(signTransaction(ethereum, alice, MINIMAL), MAINNET)).toBe("TX_CHAIN_ID_UNKNOWN");
    // signed for chain id base − 1
    const below: Preset = { ...MAINNET, ethChainIdBase: MAINNET.ethChainIdBase - 1n };
    expect(admit(signTransaction(ethereum, alice, below))).toBe("TX_CHAIN_ID_UNKNOWN");
    // EIP-155's published example: chain id 1
    const eip155 = unwrap(
      decodeTransaction(
        bytesFromHex(
          "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
        ),
      ),
    );
    expect(admit(eip155)).toBe("TX_CHAIN_ID_UNKNOWN");
  });

  it("ECDSA codes of the signature", () => {
    const eth = signTransaction(ethereum, alice, MAINNET);
    expect(admit({ ...eth, v: 27n })).toBe("ECDSA_V_INVALID");
    expect(admit({ ...signed, v: 28n })).toBe("ECDSA_V_INVALID");
    expect(admit(signTransaction(harmony, alice, MINIMAL), MAINNET)).toBe("ECDSA_CHAIN_ID_MISMATCH");
    expect(admit({ ...signed, r: 0n })).toBe("ECDSA_R_OUT_OF_RANGE");
    expect(admit({ ...signed, r: SECP256K1_N })).toBe("ECDSA_R_OUT_OF_RANGE");
    expect(admit({ ...signed, s: 0n })).toBe("ECDSA_S_OUT_OF_RANGE");
    expect(admit({ ...signed, v: flipped, s: SECP256K1_N - signed.s })).toBe("ECDSA_S_HIGH");
    expect(admit({ ...signed, r: 5n, s: 1n })).toBe("ECDSA_RECOVERY_FAILED");
  });

  it("TX_WRONG_SHARD: the source shard is not the admitting shard", () => {
    expect(admit(signed, MAINNET, 1)).toBe("TX_WRONG_SHARD");
    expect(admit(signTransaction({ ...harmony, shardId: 1, toShardId: 0 }, alice, MAINNET), MAINNET, 0)).toBe(
      "TX_WRONG_SHARD",
    );
    expect(admit(signTransaction({ ...ethereum, shardId: 1 }, alice, MAINNET), MAINNET, 0)).toBe(
      "TX_WRONG_SHARD",
    );
    // the destination shard does not admit a cross-shard transaction
    expect(admit(signTransaction({ ...harmony, toShardId: 1 }, alice, MAINNET), MAINNET, 1)).toBe(
      "TX_WRONG_SHARD",
    );
  });

  it("TX_INTRINSIC_GAS and TX_GAS_LIMIT_ABOVE_BLOCK", () => {
    expect(admit(signTransaction({ ...harmony, gasLimit: 20999n }, alice, MAINNET))).toBe("TX_INTRINSIC_GAS");
    const data = Uint8Array.from([0, 1, 2]); // 21036
    expect(admit(signTransaction({ ...harmony, data, gasLimit: 21035n }, alice, MAINNET))).toBe(
      "TX_INTRINSIC_GAS",
    );
    expect(admit(signTransaction({ ...harmony, gasLimit: BLOCK_GAS + 1n }, alice, MAINNET))).toBe(
      "TX_GAS_LIMIT_ABOVE_BLOCK",
    );
    expect(admit(signed, MAINNET, 0, 20999n)).toBe("TX_GAS_LIMIT_ABOVE_BLOCK");
  });

  it("TX_TOO_LARGE at exactly MAX_TX_BYTES; one byte less is accepted", () => {
    const sized = (length: number): Transaction => {
      // The encoding grows by one byte per data byte in this range (fixed 3-byte length prefixes).
      const probe = encodeTransaction(
        signTransaction({ ...harmony, data: new Uint8Array(100_000), gasLimit: 1_000_000n }, alice, MAINNET),
      );
      const data = new Uint8Array(100_000 + length - probe.length);
      const tx = signTransaction({ ...harmony, data, gasLimit: 1_000_000n }, alice, MAINNET);
      expect(encodeTransaction(tx).length).toBe(length);
      return tx;
    };
    expect(admit(sized(MAX_TX_BYTES))).toBe("TX_TOO_LARGE");
    expect(admit(sized(MAX_TX_BYTES - 1))).toBe(ACCEPTED);
  });
});

// @covers TX-ADMIT.1
describe("the first failing check names the error", () => {
  it("follows the order of TX-ADMIT.1's lines", () => {
    // to missing and wrong shard: L2 before L5
    expect(admit(signTransaction({ ...harmony, to: null, shardId: 1 }, alice, MAINNET))).toBe(
      "TX_TO_MISSING",
    );
    // shard out of range and a broken signature: L3 before L4
    expect(admit({ ...signTransaction({ ...harmony, shardId: 5 }, alice, MAINNET), r: 0n })).toBe(
      "TX_SHARD_OUT_OF_RANGE",
    );
    // a broken signature on the wrong shard: L4 before L5
    expect(admit({ ...signed, s: 0n }, MAINNET, 1)).toBe("ECDSA_S_OUT_OF_RANGE");
    // wrong shard and too little gas: L5 before L7
    expect(admit(signTransaction({ ...harmony, gasLimit: 1n }, alice, MAINNET), MAINNET, 1)).toBe(
      "TX_WRONG_SHARD",
    );
    // too little gas and a block limit below it: L7 before L8
    expect(admit(signTransaction({ ...harmony, gasLimit: 1n }, alice, MAINNET), MAINNET, 0, 0n)).toBe(
      "TX_INTRINSIC_GAS",
    );
    // an Ethereum form with v < 35: the chain id (L3) fails before the signature (L4)
    expect(admit({ ...signTransaction(ethereum, alice, MAINNET), v: 27n, r: 0n })).toBe("ECDSA_V_INVALID");
  });
});
