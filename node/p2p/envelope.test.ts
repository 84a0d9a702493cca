import { RLP } from "@ethereumjs/rlp";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MINIMAL } from "../../reference/params/presets.ts";
import { linkedBlocks } from "../../tools/testing/crossLinks.ts";
import { beaconEntry, finalBeaconBlocks } from "../../tools/testing/crossShardFlows.ts";
import { addressOf, transfer } from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { decodeEnvelope, type Envelope, encodeEnvelope, MAX_ENVELOPE_BYTES, shardTopic } from "./envelope.ts";
import { DROP_SCORE, isDropped, MISBEHAVIOUR_PENALTY, scoreAfter } from "./score.ts";

const preset = MINIMAL;
const [linked] = linkedBlocks(preset, 1, 1);
const [b1] = finalBeaconBlocks(preset, 1);
const SAMPLES: Envelope[] = [
  { kind: "consensus", shard: 1, message: committedOf() },
  { kind: "crossLink", shard: 0, link: linked!.crossLink },
  { kind: "incoming", shard: 1, entry: beaconEntry(b1!) },
  {
    kind: "transaction",
    shard: 1,
    transaction: transfer(preset, { shard: 1, index: 0 }, 0n, addressOf({ shard: 1, index: 1 }), 1n),
  },
];

function committedOf() {
  const x = linked!.crossLink;
  return {
    type: "committed" as const,
    shardId: 1,
    blockNum: x.blockNum,
    viewId: x.viewId,
    blockHash: x.blockHash,
    blockViewId: x.viewId,
    certificate: { signature: x.signature, bitmap: x.bitmap },
    preparedCertificate: { signature: x.signature, bitmap: x.bitmap },
  };
}

describe("P2P-TOPICS and P2P-ENVELOPE", () => {
  // @covers P2P-TOPICS.1
  it("names one topic per shard and preset", () => {
    expect(shardTopic(preset, 1)).toBe("/harmony-spec/minimal/shard/1/1");
    expect(shardTopic(preset, 0)).not.toBe(shardTopic(preset, 1));
  });

  // @covers P2P-ENVELOPE.1
  it("is RLP([kind, shard, payload]) and decodes back to what it carries", () => {
    SAMPLES.forEach((envelope, kind) => {
      const bytes = encodeEnvelope(envelope);
      const [k, shard, payload] = RLP.decode(bytes) as Uint8Array[];
      expect(k).toEqual(kind === 0 ? new Uint8Array(0) : Uint8Array.of(kind));
      expect(shard).toEqual(envelope.shard === 0 ? new Uint8Array(0) : Uint8Array.of(envelope.shard));
      expect(payload!.length).toBeGreaterThan(0);
      const decoded = decodeEnvelope(bytes, envelope.shard, preset);
      if (!decoded.ok) throw decoded.error;
      expect(encodeEnvelope(decoded.value)).toEqual(bytes);
    });
  });

  // @covers P2P-ENVELOPE.1
  it("refuses each malformed envelope with its code", () => {
    const code = (bytes: Uint8Array, topic = 1) => resultCode(decodeEnvelope(bytes, topic, preset));
    const good = encodeEnvelope(SAMPLES[3]!);
    const [, , payload] = RLP.decode(good) as Uint8Array[];
    expect(code(good)).toBe(ACCEPTED);
    expect(code(new Uint8Array(MAX_ENVELOPE_BYTES + 1))).toBe("P2P_ENVELOPE_MALFORMED");
    expect(code(RLP.encode([3, 1]))).toBe("P2P_ENVELOPE_MALFORMED");
    expect(code(RLP.encode([4, 1, payload!]))).toBe("P2P_KIND_UNKNOWN");
    expect(code(good, 0)).toBe("P2P_WRONG_TOPIC");
    expect(code(RLP.encode([3, 1, [payload!]]))).toBe("RLP_EXPECTED_BYTES");
    expect(code(RLP.encode([0, 1, payload!]))).toMatch(/^(MSG|RLP)_/);
    expect(code(RLP.encode([1, 0, RLP.encode([])]), 0)).toBe("XLINK_MALFORMED");
    expect(code(Uint8Array.of(0xc1))).toBe("RLP_INPUT_TOO_SHORT");
  });

  // @covers P2P-ENVELOPE.1 P2P-SCORE.1
  it("turns 10,000 arbitrary byte strings and mutated envelopes into refusals, never into a crash", () => {
    const bodies = fc.oneof(
      fc.uint8Array({ maxLength: 300 }),
      fc
        .tuple(fc.constantFrom(...SAMPLES.map(encodeEnvelope)), fc.nat(), fc.integer({ min: 1, max: 255 }))
        .map(([bytes, at, delta]) => {
          const copy = Uint8Array.from(bytes);
          copy[at % copy.length] = (copy[at % copy.length]! + delta) % 256;
          return copy;
        }),
    );
    let score = 0;
    fc.assert(
      fc.property(bodies, fc.nat({ max: 1 }), (bytes, topic) => {
        const result = decodeEnvelope(bytes, topic, preset);
        if (!result.ok) score = scoreAfter(score, { stage: "decode", code: result.error.code });
        return result.ok || /^[A-Z0-9_]+$/.test(result.error.code);
      }),
      { numRuns: 10_000, seed: 15 },
    );
    expect(isDropped(score)).toBe(true);
  });
});

describe("P2P-SCORE", () => {
  // @covers P2P-SCORE.1
  it("costs a peer for malformed and badly signed envelopes only, and drops it at the threshold", () => {
    expect(scoreAfter(0, null)).toBe(0);
    expect(scoreAfter(0, { stage: "decode", code: "P2P_KIND_UNKNOWN" })).toBe(-MISBEHAVIOUR_PENALTY);
    expect(scoreAfter(0, { stage: "rule", code: "CONSENSUS_BAD_SIGNATURE" })).toBe(-MISBEHAVIOUR_PENALTY);
    expect(scoreAfter(0, { stage: "rule", code: "CONSENSUS_STALE_HEIGHT" })).toBe(0);
    let score = 0;
    let envelopes = 0;
    while (!isDropped(score)) {
      score = scoreAfter(score, { stage: "decode", code: "P2P_ENVELOPE_MALFORMED" });
      envelopes++;
    }
    expect(envelopes).toBe(-DROP_SCORE / MISBEHAVIOUR_PENALTY);
  });
});
