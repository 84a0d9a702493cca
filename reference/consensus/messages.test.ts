import { type NestedUint8Array, RLP } from "@ethereumjs/rlp";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { Certificate } from "./certificate.ts";
import {
  bitmapsIn,
  type Claim,
  type ConsensusMessage,
  ConsensusMessageJsonOutput,
  checkMessageFields,
  decodeMessage,
  encodeMessage,
  messageFromJson,
  messageToJson,
  type Prepare,
  type PreparedGroup,
  signersIn,
} from "./messages.ts";

type Item = Uint8Array | NestedUint8Array;

// ---------------------------------------------------------------------------------------------------------
// An independent statement of the MSG-RLP.2 layout: the table of MSG-FORMAT.2 written out as nested lists.

/** An RLP scalar: the minimal big-endian bytes, empty for zero. */
function int(value: bigint | number): Uint8Array {
  const big = BigInt(value);
  if (big === 0n) return new Uint8Array(0);
  const hex = big.toString(16);
  return Uint8Array.from(Buffer.from(hex.length % 2 === 1 ? `0${hex}` : hex, "hex"));
}

function certList(c: Certificate): Item[] {
  return [c.signature, c.bitmap];
}

function claimList(c: Claim): Item[] {
  if (c.kind === "nil") return [int(1), c.signature];
  return [
    int(2),
    int(c.preparedViewId),
    c.preparedHash,
    c.preparedBlock,
    certList(c.preparedCertificate),
    c.signature,
  ];
}

function layout(m: ConsensusMessage): Item[] {
  const codes = {
    announce: 1,
    prepare: 2,
    prepared: 3,
    commit: 4,
    committed: 5,
    viewChange: 6,
    newView: 7,
    share: 8,
  };
  const head = [int(codes[m.type]), int(m.shardId), int(m.blockNum), int(m.viewId)];
  switch (m.type) {
    case "announce":
      return [...head, m.blockHash, m.block, m.signature];
    case "prepare":
      return [...head, m.blockHash, int(m.signer), m.signature];
    case "prepared":
      return [...head, m.blockHash, m.block, certList(m.certificate)];
    case "commit":
      return [...head, m.blockHash, int(m.blockViewId), int(m.signer), m.signature];
    case "committed":
      return [
        ...head,
        m.blockHash,
        int(m.blockViewId),
        certList(m.certificate),
        certList(m.preparedCertificate),
      ];
    case "viewChange":
      return [...head, int(m.signer), m.m3Signature, claimList(m.claim)];
    case "newView":
      return [
        ...head,
        certList(m.m3),
        m.m2 === null ? [] : certList(m.m2),
        m.m1.map((g) => [
          int(g.preparedViewId),
          g.preparedHash,
          certList(g.preparedCertificate),
          certList(g.claims),
        ]),
      ];
    case "share":
      return [...head, int(m.signer), m.proof];
  }
}

// ---------------------------------------------------------------------------------------------------------
// Messages inside their domains

const U64_MAX = (1n << 64n) - 1n;
const u64 = fc.oneof(fc.bigInt({ min: 0n, max: 300n }), fc.bigInt({ min: 0n, max: U64_MAX }));
const bytesOf = (length: number) => fc.uint8Array({ minLength: length, maxLength: length });
const hash = bytesOf(32);
const sig = bytesOf(96);
const blob = fc.uint8Array({ maxLength: 80 });
const cert = fc.record({ signature: sig, bitmap: fc.uint8Array({ maxLength: 12 }) });
const base = {
  shardId: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
  blockNum: u64,
  viewId: u64,
};
const signer = fc.integer({ min: 0, max: 65535 });
const claim: fc.Arbitrary<Claim> = fc.oneof(
  fc.record({ kind: fc.constant("nil" as const), signature: sig }),
  fc.record({
    kind: fc.constant("prepared" as const),
    preparedViewId: u64,
    preparedHash: hash,
    preparedBlock: blob,
    preparedCertificate: cert,
    signature: sig,
  }),
);
const group: fc.Arbitrary<PreparedGroup> = fc.record({
  preparedViewId: u64,
  preparedHash: hash,
  preparedCertificate: cert,
  claims: cert,
});
const message: fc.Arbitrary<ConsensusMessage> = fc.oneof(
  fc.record({
    type: fc.constant("announce" as const),
    ...base,
    blockHash: hash,
    block: blob,
    signature: sig,
  }),
  fc.record({ type: fc.constant("prepare" as const), ...base, blockHash: hash, signer, signature: sig }),
  fc.record({
    type: fc.constant("prepared" as const),
    ...base,
    blockHash: hash,
    block: blob,
    certificate: cert,
  }),
  fc.record({
    type: fc.constant("commit" as const),
    ...base,
    blockHash: hash,
    blockViewId: u64,
    signer,
    signature: sig,
  }),
  fc.record({
    type: fc.constant("committed" as const),
    ...base,
    blockHash: hash,
    blockViewId: u64,
    certificate: cert,
    preparedCertificate: cert,
  }),
  fc.record({ type: fc.constant("viewChange" as const), ...base, signer, m3Signature: sig, claim }),
  fc.record({
    type: fc.constant("newView" as const),
    ...base,
    m3: cert,
    m2: fc.option(cert, { nil: null }),
    m1: fc.array(group, { maxLength: 4 }),
  }),
  fc.record({ type: fc.constant("share" as const), ...base, signer, proof: sig }),
);

// ---------------------------------------------------------------------------------------------------------
// One sample of each type (and of each claim kind)

const bytes = (length: number, fill: number) => new Uint8Array(length).fill(fill);
const CERT = { signature: bytes(96, 0xc1), bitmap: Uint8Array.from([0x0b]) };
const BASE = { shardId: 1, blockNum: 12n, viewId: 300n };
const PREPARED_CLAIM: Claim = {
  kind: "prepared",
  preparedViewId: 299n,
  preparedHash: bytes(32, 0xaa),
  preparedBlock: bytes(70, 0xbb),
  preparedCertificate: CERT,
  signature: bytes(96, 0x51),
};
const GROUP: PreparedGroup = {
  preparedViewId: 298n,
  preparedHash: bytes(32, 0xab),
  preparedCertificate: CERT,
  claims: { signature: bytes(96, 0xc2), bitmap: Uint8Array.from([0x04]) },
};
const SAMPLES: readonly ConsensusMessage[] = [
  {
    type: "announce",
    ...BASE,
    blockHash: bytes(32, 0xa1),
    block: bytes(60, 0xb1),
    signature: bytes(96, 0x51),
  },
  { type: "prepare", ...BASE, blockHash: bytes(32, 0xa1), signer: 3, signature: bytes(96, 0x52) },
  { type: "prepared", ...BASE, blockHash: bytes(32, 0xa1), block: bytes(60, 0xb1), certificate: CERT },
  {
    type: "commit",
    ...BASE,
    blockHash: bytes(32, 0xa1),
    blockViewId: 298n,
    signer: 0,
    signature: bytes(96, 0x53),
  },
  {
    type: "committed",
    ...BASE,
    blockHash: bytes(32, 0xa1),
    blockViewId: 298n,
    certificate: CERT,
    preparedCertificate: { signature: bytes(96, 0x54), bitmap: Uint8Array.from([0x0e]) },
  },
  { type: "viewChange", ...BASE, signer: 2, m3Signature: bytes(96, 0x55), claim: PREPARED_CLAIM },
  {
    type: "viewChange",
    ...BASE,
    signer: 2,
    m3Signature: bytes(96, 0x55),
    claim: { kind: "nil", signature: bytes(96, 0x56) },
  },
  { type: "newView", ...BASE, m3: CERT, m2: CERT, m1: [GROUP, { ...GROUP, preparedViewId: 299n }] },
  { type: "newView", ...BASE, m3: CERT, m2: null, m1: [] },
  { type: "share", ...BASE, signer: 3, proof: bytes(96, 0x57) },
];

function decodeItems(items: Item): string {
  return resultCode(decodeMessage(RLP.encode(items)));
}

function sample(type: ConsensusMessage["type"]): ConsensusMessage {
  return SAMPLES.find((m) => m.type === type)!;
}

describe("message wire form", () => {
  // @covers MSG-RLP.2 MSG-FORMAT.2
  it("encodes the table's list layout and decodes it back, for any message in its domains", () => {
    fc.assert(
      fc.property(message, (m) => {
        const wire = encodeMessage(m);
        expect(bytesToHex(wire)).toBe(bytesToHex(RLP.encode(layout(m))));
        expect(unwrap(decodeMessage(wire))).toEqual(m);
        expect(resultCode(checkMessageFields(m))).toBe(ACCEPTED);
      }),
      { numRuns: 400 },
    );
  });

  // @covers MSG-RLP.2
  it("rejects what is not a list of a known type", () => {
    expect(resultCode(decodeMessage(new Uint8Array(0)))).toBe("RLP_EMPTY_INPUT");
    expect(resultCode(decodeMessage(RLP.encode(int(2))))).toBe("RLP_EXPECTED_LIST");
    expect(resultCode(decodeMessage(Uint8Array.from([...encodeMessage(SAMPLES[0]!), 0x00])))).toBe(
      "RLP_TRAILING_BYTES",
    );
    const rest = layout(sample("prepare")).slice(1);
    const unknown: readonly Item[] = [
      [],
      [new Uint8Array(0), ...rest],
      [int(9), ...rest],
      [int(257), ...rest],
      [Uint8Array.from([0, 2]), ...rest],
      [[int(2)], ...rest],
    ];
    for (const items of unknown) expect(decodeItems(items)).toBe("MSG_UNKNOWN_TYPE");
  });

  // @covers MSG-RLP.2
  it("rejects a list with the wrong number of fields for its type", () => {
    for (const m of SAMPLES) {
      const items = layout(m);
      expect(decodeItems(items)).toBe(ACCEPTED);
      expect(decodeItems(items.slice(0, -1))).toBe("MSG_FIELD_COUNT");
      expect(decodeItems([...items, new Uint8Array(0)])).toBe("MSG_FIELD_COUNT");
      expect(decodeItems(items.slice(0, 1))).toBe("MSG_FIELD_COUNT");
    }
  });

  // @covers MSG-RLP.2
  it("rejects a list where bytes belong and bytes where a list belongs, in every field", () => {
    for (const m of SAMPLES) {
      const items = layout(m);
      for (let i = 1; i < items.length; i++) {
        const swapped = [...items];
        swapped[i] = items[i] instanceof Uint8Array ? [items[i] as Uint8Array] : Uint8Array.from([1]);
        expect(decodeItems(swapped)).toBe("MSG_FIELD_INVALID");
      }
    }
  });

  /** The sample of `type` with some fields replaced, encoded by the independent layout. */
  function variant(type: ConsensusMessage["type"], patch: Record<string, unknown>): string {
    return decodeItems(layout({ ...sample(type), ...patch } as ConsensusMessage));
  }

  // @covers MSG-RLP.2
  it("accepts every field at the edge of its domain and rejects it one step beyond", () => {
    const big = (length: number) => new Uint8Array(length);
    const cases: readonly [string, ConsensusMessage["type"], Record<string, unknown>][] = [
      [ACCEPTED, "prepare", { shardId: 2 ** 32 - 1, blockNum: U64_MAX, viewId: U64_MAX, signer: 65535 }],
      ["MSG_FIELD_INVALID", "prepare", { shardId: 2 ** 32 }],
      ["MSG_FIELD_INVALID", "prepare", { blockNum: 1n << 64n }],
      ["MSG_FIELD_INVALID", "prepare", { viewId: 1n << 64n }],
      ["MSG_FIELD_INVALID", "prepare", { signer: 65536 }],
      ["MSG_FIELD_INVALID", "prepare", { blockHash: big(31) }],
      ["MSG_FIELD_INVALID", "prepare", { blockHash: big(33) }],
      ["MSG_FIELD_INVALID", "prepare", { signature: big(95) }],
      ["MSG_FIELD_INVALID", "announce", { signature: big(97) }],
      [ACCEPTED, "announce", { block: big(1310720) }],
      ["MSG_FIELD_INVALID", "announce", { block: big(1310721) }],
      [ACCEPTED, "commit", { blockViewId: U64_MAX }],
      ["MSG_FIELD_INVALID", "commit", { blockViewId: 1n << 64n }],
      ["MSG_FIELD_INVALID", "committed", { blockViewId: 1n << 64n }],
      [ACCEPTED, "prepared", { certificate: { signature: big(96), bitmap: big(8192) } }],
      ["MSG_FIELD_INVALID", "prepared", { certificate: { signature: big(96), bitmap: big(8193) } }],
      ["MSG_FIELD_INVALID", "committed", { certificate: { signature: big(95), bitmap: big(1) } }],
      ["MSG_FIELD_INVALID", "committed", { preparedCertificate: { signature: big(96), bitmap: big(8193) } }],
      ["MSG_FIELD_INVALID", "viewChange", { m3Signature: big(0) }],
      [ACCEPTED, "share", { signer: 65535 }],
      ["MSG_FIELD_INVALID", "share", { signer: 65536 }],
      ["MSG_FIELD_INVALID", "share", { proof: big(95) }],
      ["MSG_FIELD_INVALID", "share", { proof: big(97) }],
      [
        ACCEPTED,
        "viewChange",
        { claim: { ...PREPARED_CLAIM, preparedViewId: U64_MAX, preparedBlock: big(1310720) } },
      ],
      ["MSG_FIELD_INVALID", "viewChange", { claim: { ...PREPARED_CLAIM, preparedViewId: 1n << 64n } }],
      ["MSG_FIELD_INVALID", "viewChange", { claim: { ...PREPARED_CLAIM, preparedBlock: big(1310721) } }],
      ["MSG_FIELD_INVALID", "viewChange", { claim: { ...PREPARED_CLAIM, preparedHash: big(0) } }],
      ["MSG_FIELD_INVALID", "viewChange", { claim: { ...PREPARED_CLAIM, signature: big(1) } }],
      ["MSG_FIELD_INVALID", "viewChange", { claim: { kind: "nil", signature: big(48) } }],
      [ACCEPTED, "newView", { m1: new Array(64).fill(GROUP) }],
      ["MSG_FIELD_INVALID", "newView", { m1: new Array(65).fill(GROUP) }],
      ["MSG_FIELD_INVALID", "newView", { m1: [{ ...GROUP, preparedViewId: 1n << 64n }] }],
      ["MSG_FIELD_INVALID", "newView", { m1: [{ ...GROUP, preparedHash: big(31) }] }],
      [
        "MSG_FIELD_INVALID",
        "newView",
        { m1: [{ ...GROUP, claims: { signature: big(96), bitmap: big(8193) } }] },
      ],
      ["MSG_FIELD_INVALID", "newView", { m2: { signature: big(0), bitmap: big(0) } }],
      ["MSG_FIELD_INVALID", "newView", { m3: { signature: big(96), bitmap: big(8193) } }],
    ];
    for (const [expected, type, patch] of cases) expect(variant(type, patch)).toBe(expected);
  });

  // @covers MSG-RLP.2
  it("rejects malformed scalars, claims, certificates and groups", () => {
    const at = (m: ConsensusMessage, index: number, item: Item): Item[] => {
      const items = layout(m);
      items[index] = item;
      return items;
    };
    const prepare = sample("prepare");
    const viewChange = sample("viewChange");
    const newView = SAMPLES.find((m) => m.type === "newView" && m.m2 !== null)!;
    const claim = claimList(PREPARED_CLAIM);
    const malformed: readonly Item[][] = [
      at(prepare, 2, Uint8Array.from([0, 12])), // blockNum with a leading zero
      at(prepare, 3, Uint8Array.from([0])), // zero written as 0x00
      at(prepare, 5, Uint8Array.from([0, 3])), // signer with a leading zero
      at(viewChange, 6, []),
      at(viewChange, 6, [int(3), bytes(96, 1)]),
      at(viewChange, 6, [int(1), bytes(96, 1), bytes(1, 1)]),
      at(viewChange, 6, [int(1)]),
      at(viewChange, 6, claim.slice(0, 5)),
      at(viewChange, 6, [int(2), ...claim.slice(1), bytes(1, 1)]),
      at(viewChange, 6, [[int(1)], bytes(96, 1)]),
      at(viewChange, 6, [Uint8Array.from([0, 1]), bytes(96, 1)]),
      at(viewChange, 6, [int(2), int(5), bytes(32, 1), bytes(9, 1), bytes(96, 1), bytes(96, 1)]),
      at(newView, 4, [CERT.signature]),
      at(newView, 4, [CERT.signature, CERT.bitmap, CERT.bitmap]),
      at(newView, 4, [CERT.signature, [CERT.bitmap]]),
      at(newView, 5, [CERT.signature]),
      at(newView, 6, [[int(1), bytes(32, 1), certList(CERT)]]),
      at(newView, 6, [bytes(4, 1)]),
      at(newView, 6, [[int(1), bytes(32, 1), certList(CERT), bytes(96, 1)]]),
    ];
    for (const items of malformed) expect(decodeItems(items)).toBe("MSG_FIELD_INVALID");
  });

  // @covers MSG-RLP.2
  it("reads an empty m2 list as no M2 aggregate", () => {
    const decoded = unwrap(decodeMessage(encodeMessage(SAMPLES[8]!)));
    expect(decoded.type === "newView" && decoded.m2).toBeNull();
  });
});

describe("message JSON form", () => {
  // @covers MSG-RLP.2
  it("writes bytes as hex, integers as decimal strings, signer and shardId as numbers, m2 as null", () => {
    expect(messageToJson(sample("commit"))).toEqual({
      type: "commit",
      shardId: 1,
      blockNum: "12",
      viewId: "300",
      blockHash: bytesToHex(bytes(32, 0xa1)),
      blockViewId: "298",
      signer: 0,
      signature: bytesToHex(bytes(96, 0x53)),
    });
    const json = messageToJson(SAMPLES[8]!);
    expect(json).toMatchObject({ type: "newView", m2: null, m1: [], m3: { bitmap: "0x0b" } });
    expect(messageToJson(sample("committed"))).toMatchObject({
      certificate: { bitmap: "0x0b" },
      preparedCertificate: { signature: bytesToHex(bytes(96, 0x54)), bitmap: "0x0e" },
    });
    expect(messageToJson(sample("committed"))).not.toHaveProperty("signature");
  });

  // @covers MSG-RLP.2
  it("round-trips any message through JSON text", () => {
    fc.assert(
      fc.property(message, (m) => {
        const json = JSON.parse(JSON.stringify(messageToJson(m)));
        expect(ConsensusMessageJsonOutput.safeParse(json).success).toBe(true);
        expect(unwrap(messageFromJson(json))).toEqual(m);
      }),
      { numRuns: 300 },
    );
  });

  // @covers MSG-RLP.2
  it("rejects an unknown type and every other malformed form", () => {
    const prepare = messageToJson(sample("prepare"));
    const newView = messageToJson(SAMPLES[7]!);
    const viewChange = messageToJson(sample("viewChange"));
    const { m2: _, ...withoutM2 } = newView as Record<string, unknown>;
    const cases: readonly [string, unknown][] = [
      ["MSG_UNKNOWN_TYPE", { ...prepare, type: "vote" }],
      ["MSG_UNKNOWN_TYPE", { ...prepare, type: 2 }],
      ["MSG_UNKNOWN_TYPE", { ...prepare, type: "constructor" }],
      ["MSG_UNKNOWN_TYPE", { ...prepare, type: undefined }],
      ["MSG_FIELD_INVALID", null],
      ["MSG_FIELD_INVALID", [prepare]],
      ["MSG_FIELD_INVALID", "prepare"],
      ["MSG_FIELD_INVALID", { ...prepare, extra: "0x" }],
      ["MSG_FIELD_INVALID", { ...prepare, type: "commit" }],
      ["MSG_FIELD_INVALID", { ...prepare, blockNum: 12 }],
      ["MSG_FIELD_INVALID", { ...prepare, blockNum: "012" }],
      ["MSG_FIELD_INVALID", { ...prepare, viewId: "18446744073709551616" }],
      [ACCEPTED, { ...prepare, viewId: "18446744073709551615" }],
      ["MSG_FIELD_INVALID", { ...prepare, signer: "3" }],
      ["MSG_FIELD_INVALID", { ...prepare, signer: 65536 }],
      ["MSG_FIELD_INVALID", { ...prepare, signer: 1.5 }],
      ["MSG_FIELD_INVALID", { ...prepare, shardId: 4294967296 }],
      ["MSG_FIELD_INVALID", { ...prepare, blockHash: bytesToHex(bytes(31, 1)) }],
      ["MSG_FIELD_INVALID", { ...prepare, blockHash: bytesToHex(bytes(32, 0xab)).toUpperCase() }],
      ["MSG_FIELD_INVALID", withoutM2],
      ["MSG_FIELD_INVALID", { ...newView, m1: new Array(65).fill((newView as { m1: unknown[] }).m1[0]) }],
      ["MSG_FIELD_INVALID", { ...viewChange, claim: { kind: "maybe", signature: bytesToHex(bytes(96, 1)) } }],
      ["MSG_FIELD_INVALID", { ...viewChange, claim: { kind: "nil" } }],
    ];
    for (const [expected, json] of cases) expect(resultCode(messageFromJson(json))).toBe(expected);
  });

  // @covers MSG-RLP.2
  it("applies the same domains to a message already in memory", () => {
    const prepare = sample("prepare") as Prepare;
    const outside: readonly ConsensusMessage[] = [
      { ...prepare, shardId: -1 },
      { ...prepare, shardId: 0.5 },
      { ...prepare, blockNum: -1n },
      { ...prepare, signer: Number.NaN },
    ];
    for (const m of outside) expect(resultCode(checkMessageFields(m))).toBe("MSG_FIELD_INVALID");
  });
});

describe("what the receive checks look at", () => {
  // @covers FBFT-RECEIVE.3
  it("lists the signer and every bitmap of a message", () => {
    const signers = SAMPLES.map((m) => signersIn(m));
    expect(signers).toEqual([[], [3], [], [0], [], [2], [2], [], [], [3]]);
    const bitmaps = SAMPLES.map((m) => bitmapsIn(m).map(bytesToHex));
    expect(bitmaps).toEqual([
      [],
      [],
      ["0x0b"],
      [],
      ["0x0b", "0x0e"],
      ["0x0b"],
      [],
      ["0x0b", "0x0b", "0x0b", "0x04", "0x0b", "0x04"],
      ["0x0b"],
      [],
    ]);
  });
});
