import { RLP } from "@ethereumjs/rlp";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import { describe, expect, it } from "vitest";
import { resultCode, thrownCode } from "../../tools/testing/specErrors.ts";
import { SECP256K1_N } from "../crypto/ecdsa.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { rlpEncode, scalarToBytes } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL, type Preset } from "../params/presets.ts";
import { decodeTransaction, encodeTransaction } from "./transactionCodec.ts";
import type { UnsignedEthereumTransaction, UnsignedHarmonyTransaction } from "./transactionFields.ts";
import { recoverSender } from "./transactionSender.ts";
import { transactionChainId } from "./transactionShards.ts";
import { signTransaction } from "./transactionSign.ts";
import { signingHash, signingPreimage } from "./transactionSigningHash.ts";

/*
 * Signing hashes, signing and sender recovery of both forms, checked against published transactions (EIP-155's
 * example; the Harmony SDK's fixtures) and against preimages built by hand from the field list of mainnet's
 * EIP155Signer.Hash: [nonce, gasPrice, gas, shardID, toShardID, to, value, data, chainID, 0, 0].
 */

const hex = bytesFromHex;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The address of a secret key, derived by noble directly (independent of the reference's ECDSA code). */
function nobleAddress(secretKey: Uint8Array): string {
  return bytesToHex(keccak256(secp256k1.getPublicKey(secretKey, false).slice(1)).slice(12));
}

// @covers TX-SIGNING-HASH.1 TX-SIGN.1 TX-SENDER.1 TX-CHAIN-ID.1
describe("EIP-155's example (Ethereum form, chain id 1)", () => {
  // A preset whose shard-0 Ethereum chain id is 1, so that signing for shard 0 signs for chain id 1.
  const chainOne: Preset = { ...MAINNET, ethChainIdBase: 1n };
  const unsigned: UnsignedEthereumTransaction = {
    kind: "ethereum",
    nonce: 9n,
    gasPrice: 20n * 10n ** 9n,
    gasLimit: 21000n,
    shardId: 0,
    to: hex("0x3535353535353535353535353535353535353535"),
    value: 10n ** 18n,
    data: new Uint8Array(0),
  };
  const secretKey = new Uint8Array(32).fill(0x46);

  it("has the published signing data and signing hash", () => {
    expect(bytesToHex(signingPreimage(unsigned, chainOne))).toBe(
      "0xec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080",
    );
    expect(bytesToHex(signingHash(unsigned, chainOne))).toBe(
      "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
    );
  });

  it("signs to the published v, r, s and raw transaction", () => {
    const tx = signTransaction(unsigned, secretKey, chainOne);
    expect([tx.v, tx.r, tx.s]).toEqual([
      37n,
      18515461264373351373200002665853028612451056578545711640558177340181847433846n,
      46948507304638947509940763649030358759909902576025900602547168820602576006531n,
    ]);
    expect(bytesToHex(encodeTransaction(tx))).toBe(
      "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
    );
  });

  it("the decoded published transaction has the same signing hash and recovers the published sender under either preset", () => {
    const tx = unwrap(
      decodeTransaction(
        hex(
          "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83",
        ),
      ),
    );
    for (const preset of [MAINNET, MINIMAL]) {
      expect(transactionChainId(tx, preset)).toBe(1n); // read from v = 37
      expect(bytesToHex(signingHash(tx, preset))).toBe(
        "0xdaf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53",
      );
      // the sender published with the example (execution-spec-tests "legacy-eip155-sample")
      expect(bytesToHex(unwrap(recoverSender(tx, preset)))).toBe(
        "0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f",
      );
    }
    expect(nobleAddress(secretKey)).toBe("0x9d8a62f656a8d1615c1294fd71e9cfb3e4855a4f");
  });
});

// @covers TX-SIGNING-HASH.1 TX-SIGN.1 TX-SENDER.1
describe("the Harmony SDK's signed Harmony-form transactions (mainnet Harmony chain id 1)", () => {
  // harmony-one/sdk packages/harmony-transaction/test/transactions.remake.fixture.json, case "ethereumjs3":
  // privateKey, the transaction fields, accountAddress, unsignedTransactionChainId1 (the EIP-155 signing data)
  // and signedTransactionChainId1.
  const data = hex(
    `0x${["ad", "fafa", "0dfa", "0dfa", "ad", "0f", "0a", "df", "0a", "df", "0a", "0d"]
      .map((word) => word.padStart(64, "0"))
      .join("")}`,
  );
  const unsigned: UnsignedHarmonyTransaction = {
    kind: "harmony",
    nonce: 6n,
    gasPrice: 0x09184e72a000n,
    gasLimit: 0x0974n,
    shardId: 0,
    toShardId: 0,
    to: hex("0xbe862ad9abfe6f22bcb087716c7d89a26051f74c"),
    value: 0x016345785d8a0000n,
    data,
  };
  const secretKey = hex("0x164122e5d39e9814ca723a749253663bafb07f6af91704d9754c361eb315f0c1");
  const dataHex = bytesToHex(data).slice(2);
  const published = {
    unsigned: `0xf901b1068609184e72a000820974808094be862ad9abfe6f22bcb087716c7d89a26051f74c88016345785d8a0000b90180${dataHex}018080`,
    signed: `0xf901f1068609184e72a000820974808094be862ad9abfe6f22bcb087716c7d89a26051f74c88016345785d8a0000b90180${dataHex}26a0cfb97cbaa7dc7645bae7cb09d754a88c9308253bd14702f79ec5d12e7f0879a2a0318297bfdd751e2cd2f196e7573633695f842ad31c4f8200f02246365efb7b62`,
    sender: "0x1f36f546477cda21bf2296c50976f2740247906f",
  };

  it("the signing preimage, built by hand from mainnet's field list, is the SDK's signing data", () => {
    const byHand = rlpEncode([
      scalarToBytes(6n), // nonce
      scalarToBytes(0x09184e72a000n), // gasPrice
      scalarToBytes(0x0974n), // gas
      scalarToBytes(0n), // shardID
      scalarToBytes(0n), // toShardID
      hex("0xbe862ad9abfe6f22bcb087716c7d89a26051f74c"), // to
      scalarToBytes(0x016345785d8a0000n), // value
      data, // data
      scalarToBytes(1n), // chainID (mainnet Harmony)
      scalarToBytes(0n),
      scalarToBytes(0n),
    ]);
    expect(bytesToHex(byHand)).toBe(published.unsigned);
    expect(bytesToHex(signingPreimage(unsigned, MAINNET))).toBe(published.unsigned);
    expect(signingHash(unsigned, MAINNET)).toEqual(keccak256(byHand));
  });

  it("signing reproduces the SDK's signed bytes, and the sender is recovered", () => {
    const tx = signTransaction(unsigned, secretKey, MAINNET);
    expect(bytesToHex(encodeTransaction(tx))).toBe(published.signed);
    const decoded = unwrap(decodeTransaction(hex(published.signed)));
    expect(bytesToHex(unwrap(recoverSender(decoded, MAINNET)))).toBe(published.sender);
    expect(nobleAddress(secretKey)).toBe(published.sender);
  });

  it("the same transaction under the minimal preset (Harmony chain id 2) is another chain's: ECDSA_CHAIN_ID_MISMATCH", () => {
    const decoded = unwrap(decodeTransaction(hex(published.signed)));
    expect(resultCode(recoverSender(decoded, MINIMAL))).toBe("ECDSA_CHAIN_ID_MISMATCH");
  });
});

// @covers TX-SIGNING-HASH.1 TX-CHAIN-ID.1
describe("signing preimages with non-zero shard ids", () => {
  const unsigned: UnsignedHarmonyTransaction = {
    kind: "harmony",
    nonce: 7n,
    gasPrice: 10n ** 9n,
    gasLimit: 21000n,
    shardId: 1,
    toShardId: 0,
    to: new Uint8Array(20).fill(0x11),
    value: 12345n,
    data: hex("0xdeadbeef"),
  };

  it("the Harmony form signs both shard ids and the preset's Harmony chain id", () => {
    // The field list of mainnet's EIP155Signer.Hash, encoded by @ethereumjs/rlp (an independent encoder).
    const expected = RLP.encode([7, 10 ** 9, 21000, 1, 0, unsigned.to!, 12345, unsigned.data, 2, 0, 0]);
    expect(signingPreimage(unsigned, MINIMAL)).toEqual(expected);
    expect(signingHash(unsigned, MINIMAL)).toEqual(keccak256(expected));
    const otherShards = [
      { ...unsigned, shardId: 0 },
      { ...unsigned, toShardId: 1 },
    ];
    for (const other of otherShards) {
      expect(bytesToHex(signingHash(other, MINIMAL))).not.toBe(bytesToHex(signingHash(unsigned, MINIMAL)));
    }
  });

  it("the Ethereum form signs no shard id, only the chain id ethChainIdBase + shard", () => {
    const eth: UnsignedEthereumTransaction = { ...unsigned, kind: "ethereum", shardId: 1 };
    const expected = RLP.encode([7, 10 ** 9, 21000, unsigned.to!, 12345, unsigned.data, 1666600001, 0, 0]);
    expect(transactionChainId(eth, MAINNET)).toBe(1666600001n);
    expect(signingPreimage(eth, MAINNET)).toEqual(expected);
    // signed, the chain id moves into v and the signing hash is unchanged
    const tx = signTransaction(eth, keccak256(utf8("preimage key")), MAINNET);
    expect(tx.v === 1666600001n * 2n + 35n || tx.v === 1666600001n * 2n + 36n).toBe(true);
    expect(transactionChainId(tx, MAINNET)).toBe(1666600001n);
    expect(signingPreimage(tx, MAINNET)).toEqual(expected);
  });
});

// @covers TX-SIGN.1 TX-SENDER.1 TX-CHAIN-ID.1
describe("signing and recovery", () => {
  const secretKey = keccak256(utf8("signing and recovery"));
  const harmony: UnsignedHarmonyTransaction = {
    kind: "harmony",
    nonce: 1n,
    gasPrice: 1n,
    gasLimit: 21000n,
    shardId: 1,
    toShardId: 0,
    to: new Uint8Array(20).fill(7),
    value: 5n,
    data: new Uint8Array(0),
  };

  it("recovers the signer's address for both forms and both presets", () => {
    for (const preset of [MINIMAL, MAINNET]) {
      for (const unsigned of [harmony, { ...harmony, kind: "ethereum" as const }]) {
        const tx = signTransaction(unsigned, secretKey, preset);
        expect(bytesToHex(unwrap(recoverSender(tx, preset)))).toBe(nobleAddress(secretKey));
      }
    }
  });

  it("v carries the form's chain id", () => {
    const h = signTransaction(harmony, secretKey, MAINNET);
    expect(h.v === 37n || h.v === 38n).toBe(true); // Harmony chain id 1
    const e = signTransaction({ ...harmony, kind: "ethereum", shardId: 1 }, secretKey, MINIMAL);
    expect((e.v - 35n) / 2n).toBe(1666700001n);
  });

  it("rejects a bad secret key and out-of-bounds fields", () => {
    expect(thrownCode(() => signTransaction(harmony, new Uint8Array(32), MAINNET))).toBe(
      "ECDSA_SECRET_KEY_INVALID",
    );
    expect(thrownCode(() => signTransaction({ ...harmony, nonce: 1n << 64n }, secretKey, MAINNET))).toBe(
      "TX_SCALAR_RANGE",
    );
    expect(
      thrownCode(() => signTransaction({ ...harmony, to: new Uint8Array(21) }, secretKey, MAINNET)),
    ).toBe("TX_TO_LENGTH");
    const ethOutOfRange: UnsignedEthereumTransaction = { ...harmony, kind: "ethereum", shardId: 2 ** 32 };
    expect(thrownCode(() => signTransaction(ethOutOfRange, secretKey, MAINNET))).toBe("TX_SCALAR_RANGE");
  });

  it("recovery raises the chain id and signature codes", () => {
    const h = signTransaction(harmony, secretKey, MAINNET);
    const e = signTransaction({ ...harmony, kind: "ethereum" }, secretKey, MAINNET);
    expect(resultCode(recoverSender({ ...e, v: 27n }, MAINNET))).toBe("ECDSA_V_INVALID");
    expect(thrownCode(() => signingHash({ ...e, v: 28n }, MAINNET))).toBe("ECDSA_V_INVALID");
    expect(resultCode(recoverSender({ ...e, v: 35n }, MAINNET))).toBe("ECDSA_CHAIN_ID_INVALID");
    expect(resultCode(recoverSender({ ...h, v: 27n }, MAINNET))).toBe("ECDSA_V_INVALID");
    expect(resultCode(recoverSender({ ...h, v: h.v + 2n }, MAINNET))).toBe("ECDSA_CHAIN_ID_MISMATCH");
    expect(resultCode(recoverSender({ ...h, r: 0n }, MAINNET))).toBe("ECDSA_R_OUT_OF_RANGE");
    expect(resultCode(recoverSender({ ...h, s: SECP256K1_N }, MAINNET))).toBe("ECDSA_S_OUT_OF_RANGE");
    const flipped = h.v === 37n ? 38n : 37n;
    expect(resultCode(recoverSender({ ...h, v: flipped, s: SECP256K1_N - h.s }, MAINNET))).toBe(
      "ECDSA_S_HIGH",
    );
    expect(resultCode(recoverSender({ ...h, r: 5n, s: 1n }, MAINNET))).toBe("ECDSA_RECOVERY_FAILED");
  });

  it("an Ethereum-form signature moved into the Harmony form (or back) does not recover the signer", () => {
    const e = signTransaction({ ...harmony, kind: "ethereum", shardId: 0 }, secretKey, MAINNET);
    const asHarmony = { ...harmony, v: e.v, r: e.r, s: e.s, shardId: 0 };
    expect(resultCode(recoverSender(asHarmony, MAINNET))).toBe("ECDSA_CHAIN_ID_MISMATCH");
    const h = signTransaction(harmony, secretKey, MAINNET);
    const asEthereum = { ...e, v: h.v, r: h.r, s: h.s };
    const recovered = recoverSender(asEthereum, MAINNET);
    expect(recovered.ok && bytesToHex(recovered.value)).not.toBe(nobleAddress(secretKey));
  });
});
