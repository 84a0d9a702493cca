import { type Hex, parseTransaction, recoverTransactionAddress, keccak256 as viemKeccak256 } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { keccak256 } from "../encoding/keccak.ts";
import { unwrap } from "../errors.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { checkTransactionStateless } from "./transactionAdmission.ts";
import { decodeTransaction, encodeTransaction, transactionHash } from "./transactionCodec.ts";
import type { UnsignedEthereumTransaction } from "./transactionFields.ts";
import { recoverSender } from "./transactionSender.ts";
import { transactionShards } from "./transactionShards.ts";
import { signTransaction } from "./transactionSign.ts";

/*
 * Interoperability of the Ethereum form with viem, an independent Ethereum implementation: a legacy EIP-155
 * transaction signed by viem for a shard's Ethereum chain id is decoded, recovered, hashed and admitted by the
 * reference, and a transaction signed by the reference is parsed and recovered by viem with the same fields.
 */

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

interface Sample {
  readonly label: string;
  readonly shard: number;
  readonly nonce: number;
  readonly gasPrice: bigint;
  readonly gas: bigint;
  readonly to: Hex;
  readonly value: bigint;
  readonly data: Hex;
}

const samples: Sample[] = [
  {
    label: "plain transfer on shard 0",
    shard: 0,
    nonce: 0,
    gasPrice: 100_000_000_000n,
    gas: 21000n,
    to: "0x3535353535353535353535353535353535353535",
    value: 10n ** 18n,
    data: "0x",
  },
  {
    label: "transfer with data on shard 1",
    shard: 1,
    nonce: 41,
    gasPrice: 1n,
    gas: 50_000n,
    to: "0x00000000000000000000000000000000000000ff",
    value: 0n,
    data: "0x00ff00a9059cbb",
  },
  {
    label: "large nonce and value",
    shard: 1,
    nonce: 2 ** 40,
    gasPrice: 2n ** 70n,
    gas: 30_000_000n,
    to: "0xabcdefabcdefabcdefabcdefabcdefabcdefabcd",
    value: 2n ** 200n,
    data: "0x01",
  },
];

const keyOf = (label: string): Hex => bytesToHex(keccak256(utf8(`viem ${label}`))) as Hex;

/** viem's serialized legacy (EIP-155) transaction of a sample, signed with `key` for `chainId`. */
function viemSign(key: Hex, sample: Sample, chainId: number): Promise<Hex> {
  return privateKeyToAccount(key).signTransaction({
    type: "legacy",
    chainId,
    nonce: sample.nonce,
    gasPrice: sample.gasPrice,
    gas: sample.gas,
    to: sample.to,
    value: sample.value,
    data: sample.data,
  });
}

// @covers TX-DECODE.1 TX-SENDER.1 TX-HASH.1 TX-SIGNING-HASH.1 TX-SHARDS.1 TX-ADMIT.1
describe("viem signs, the reference reads", () => {
  for (const preset of [MAINNET, MINIMAL]) {
    for (const sample of samples) {
      it(`${preset.name}: ${sample.label}`, async () => {
        const key = keyOf(sample.label);
        const account = privateKeyToAccount(key);
        const chainId = Number(preset.ethChainIdBase) + sample.shard;
        const serialized = await viemSign(key, sample, chainId);
        const tx = unwrap(decodeTransaction(bytesFromHex(serialized)));
        expect(tx.kind).toBe("ethereum");
        expect(tx).toMatchObject({
          nonce: BigInt(sample.nonce),
          gasPrice: sample.gasPrice,
          gasLimit: sample.gas,
          to: bytesFromHex(sample.to),
          value: sample.value,
          data: bytesFromHex(sample.data),
        });
        expect(bytesToHex(unwrap(recoverSender(tx, preset)))).toBe(account.address.toLowerCase());
        expect(bytesToHex(transactionHash(tx))).toBe(viemKeccak256(serialized));
        expect(transactionShards(tx, preset)).toEqual({ from: sample.shard, to: sample.shard });
        const admitted = unwrap(checkTransactionStateless(tx, preset, sample.shard, 30_000_000n));
        expect(bytesToHex(admitted.sender)).toBe(account.address.toLowerCase());
        expect(admitted.crossShard).toBe(false);
      });
    }
  }
});

// @covers TX-SIGN.1 TX-ENCODE.1 TX-SIGNING-HASH.1
describe("the reference signs, viem reads", () => {
  for (const sample of samples) {
    it(`mainnet: ${sample.label}`, async () => {
      const key = keyOf(sample.label);
      const unsigned: UnsignedEthereumTransaction = {
        kind: "ethereum",
        nonce: BigInt(sample.nonce),
        gasPrice: sample.gasPrice,
        gasLimit: sample.gas,
        shardId: sample.shard,
        to: bytesFromHex(sample.to),
        value: sample.value,
        data: bytesFromHex(sample.data),
      };
      const tx = signTransaction(unsigned, bytesFromHex(key), MAINNET);
      const serialized = bytesToHex(encodeTransaction(tx)) as Hex;
      const parsed = parseTransaction(serialized);
      expect(parsed.type).toBe("legacy");
      expect(parsed.chainId).toBe(1666600000 + sample.shard);
      expect(parsed.nonce ?? 0).toBe(sample.nonce);
      expect(parsed.gasPrice ?? 0n).toBe(sample.gasPrice);
      expect(parsed.gas).toBe(sample.gas);
      expect(parsed.to).toBe(sample.to);
      expect(parsed.value ?? 0n).toBe(sample.value);
      expect(parsed.data ?? "0x").toBe(sample.data);
      expect(parsed.v).toBe(tx.v);
      expect(BigInt(parsed.r!)).toBe(tx.r);
      expect(BigInt(parsed.s!)).toBe(tx.s);
      const recovered = await recoverTransactionAddress({ serializedTransaction: serialized as never });
      expect(recovered.toLowerCase()).toBe(bytesToHex(unwrap(recoverSender(tx, MAINNET))));
      expect(recovered).toBe(privateKeyToAccount(key).address);
      // Both sign with RFC 6979 and low s, so viem's own signature is byte for byte the reference's.
      const viemSigned = await viemSign(key, sample, 1666600000 + sample.shard);
      expect(viemSigned).toBe(serialized);
    });
  }
});
