import { RLP } from "@ethereumjs/rlp";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { describe, expect, it } from "vitest";
import { genesis, nextBlock } from "../../tools/testing/ledgerChains.ts";
import { thrownCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { rlpDecodeOrThrow } from "../encoding/rlp.ts";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import {
  type BlockHeader,
  checkHeaderFields,
  decodeHeaderItem,
  encodeHeader,
  HEADER_FIELD_NAMES,
  headerHash,
  headerItem,
} from "./header.ts";

const hex = bytesToHex;
const head = genesis(MINIMAL, 1).head;
/** A header with every field non-trivial: block 1 of shard 1, with consensus fields of their full lengths. */
const sample: BlockHeader = {
  ...nextBlock(genesis(MINIMAL, 1), [], MINIMAL).block.header,
  extra: new Uint8Array(32).fill(7),
  lastCommitBitmap: Uint8Array.of(0x0f),
  vrf: new Uint8Array(128).fill(1),
  vdf: new Uint8Array(512).fill(2),
  shardState: Uint8Array.of(0xc0),
  crossLinks: Uint8Array.of(1, 2),
  slashes: Uint8Array.of(3),
};

/** The header's fields as @ethereumjs/rlp input, in the order of HEADER-FIELDS.2. */
function modelFields(h: BlockHeader): (Uint8Array | bigint | number)[] {
  return HEADER_FIELD_NAMES.map((name) => h[name]);
}

const decodeCode = (item: Uint8Array, preset = MINIMAL) =>
  thrownCode(() => decodeHeaderItem(rlpDecodeOrThrow(item), preset));

describe("block header", () => {
  // @covers HEADER-FIELDS.2 HEADER-RLP.1
  it("encodes its 22 fields in order as an independent RLP encoder does", () => {
    expect(HEADER_FIELD_NAMES.length).toBe(22);
    expect(hex(encodeHeader(sample))).toBe(hex(RLP.encode(modelFields(sample))));
    expect(headerItem(sample).length).toBe(22);
  });

  // @covers HEADER-RLP.1
  it("decodes what it encodes", () => {
    for (const h of [sample, head, genesis(MAINNET, 0).head]) {
      const preset = h === sample || h === head ? MINIMAL : MAINNET;
      const back = decodeHeaderItem(rlpDecodeOrThrow(encodeHeader(h)), preset);
      expect(hex(encodeHeader(back))).toBe(hex(encodeHeader(h)));
      expect(back).toEqual(h);
    }
  });

  // @covers HEADER-HASH.1
  it('hashes the tagged envelope ["HmnyTgd", "spec1", header]', () => {
    const ascii = (s: string) => new TextEncoder().encode(s);
    const model = keccak_256(RLP.encode([ascii("HmnyTgd"), ascii("spec1"), modelFields(sample)]));
    expect(hex(headerHash(sample))).toBe(hex(model));
    // The envelope changes the hash: it is not keccak256 of the bare header encoding.
    expect(hex(headerHash(sample))).not.toBe(hex(keccak_256(encodeHeader(sample))));
  });

  // @covers HEADER-RLP.1
  it("rejects malformed encodings with the code of the first failing line", () => {
    const fields = modelFields(sample);
    expect(decodeCode(Uint8Array.of(0x80))).toBe("RLP_EXPECTED_LIST"); // L1
    expect(decodeCode(RLP.encode(fields.slice(0, 21)))).toBe("HEADER_FIELD_COUNT"); // L2
    expect(decodeCode(RLP.encode([...fields, 0]))).toBe("HEADER_FIELD_COUNT");
    const listAt = [...fields];
    listAt[19] = [] as unknown as Uint8Array;
    expect(decodeCode(RLP.encode(listAt as never))).toBe("RLP_EXPECTED_BYTES"); // L3
    const zeroLed = [...fields];
    zeroLed[7] = Uint8Array.of(0, 1);
    expect(decodeCode(RLP.encode(zeroLed))).toBe("RLP_SCALAR_LEADING_ZERO"); // L4
    const bigShard = [...fields];
    bigShard[14] = 1n << 32n;
    expect(decodeCode(RLP.encode(bigShard))).toBe("HEADER_FIELD_INVALID"); // L6
    const hugeShard = [...fields];
    hugeShard[14] = 1n << 80n;
    expect(decodeCode(RLP.encode(hugeShard))).toBe("HEADER_FIELD_INVALID");
  });

  // @covers HEADER-FIELDS.2
  it("checks every field's domain", () => {
    const bad: [string, Partial<BlockHeader>][] = [
      ["parentHash", { parentHash: new Uint8Array(31) }],
      ["coinbase", { coinbase: new Uint8Array(32) }],
      ["stateRoot", { stateRoot: new Uint8Array(0) }],
      ["txRoot", { txRoot: new Uint8Array(33) }],
      ["receiptRoot", { receiptRoot: new Uint8Array(20) }],
      ["outgoingReceiptRoot", { outgoingReceiptRoot: new Uint8Array(1) }],
      ["incomingReceiptRoot", { incomingReceiptRoot: new Uint8Array(64) }],
      ["number", { number: 1n << 64n }],
      ["gasLimit", { gasLimit: 1n << 64n }],
      ["gasUsed", { gasUsed: -1n }],
      ["time", { time: 1n << 64n }],
      ["extra", { extra: new Uint8Array(33) }],
      ["viewId", { viewId: 1n << 64n }],
      ["epoch", { epoch: 1n << 64n }],
      ["shardId", { shardId: 2 ** 32 }],
      ["shardId", { shardId: 1.5 }],
      ["lastCommitSignature", { lastCommitSignature: new Uint8Array(0) }],
      ["lastCommitBitmap", { lastCommitBitmap: new Uint8Array(2) }], // minimal: 4 slots → at most 1 byte
      ["vrf", { vrf: new Uint8Array(8297) }],
      ["vdf", { vdf: new Uint8Array(256) }],
    ];
    for (const [name, change] of bad) {
      expect(`${name}: ${thrownCode(() => checkHeaderFields({ ...sample, ...change }, MINIMAL))}`).toBe(
        `${name}: HEADER_FIELD_INVALID`,
      );
    }
    expect(thrownCode(() => checkHeaderFields(sample, MINIMAL))).toBe("(accepted)");
    // mainnet: 200 slots → a bitmap of up to 25 bytes.
    const wide = { ...sample, lastCommitBitmap: new Uint8Array(25) };
    expect(thrownCode(() => checkHeaderFields(wide, MAINNET))).toBe("(accepted)");
    expect(
      thrownCode(() => checkHeaderFields({ ...wide, lastCommitBitmap: new Uint8Array(26) }, MAINNET)),
    ).toBe("HEADER_FIELD_INVALID");
  });
});
