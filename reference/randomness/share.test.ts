import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { malformedPoint } from "../../tools/testing/blsSamples.ts";
import { beaconCommittee, vrfProofOf } from "../../tools/testing/drgFixtures.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { decodeMessage, encodeMessage, type Share } from "../consensus/messages.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { nobleBls } from "../crypto/bls/noble.ts";
import { bytesToHex } from "../encoding/json.ts";
import { rlpEncode } from "../encoding/rlp.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL } from "../params/presets.ts";
import { drgSeed } from "./seed.ts";
import { makeShare, verifyShare } from "./share.ts";

const SIM = beaconCommittee([1n, 1n, 1n, 1n]);
const ROUND = { blockNum: 9n, viewId: 3n, parentHash: new Uint8Array(32).fill(7) };
const SEED = drgSeed(ROUND, MINIMAL);
const PROOF_2 = vrfProofOf(SIM.secretKeys[2]!, SEED);
const SHARE_2: Share = { type: "share", shardId: 0, blockNum: 9n, viewId: 3n, signer: 2, proof: PROOF_2 };

describe("DRG-SHARE-FORMAT", () => {
  // @covers DRG-SHARE-FORMAT.2
  it("is the consensus message [8, shardId, blockNum, viewId, signer, proof], with scalars", () => {
    // Items: 0x08, 0x80 (shard 0 is the empty string), 0x09, 0x03, 0x02, 0xb8 0x60 ‖ 96 bytes: a payload of
    // 5 + 98 = 103 = 0x67 bytes under the list header 0xf8 0x67.
    const expected = `0xf867088009030${"2b860"}${bytesToHex(PROOF_2).slice(2)}`;
    expect(bytesToHex(encodeMessage(SHARE_2))).toBe(expected);
    expect(unwrap(decodeMessage(encodeMessage(SHARE_2)))).toEqual(SHARE_2);
  });

  // @covers DRG-SHARE-FORMAT.2
  it("is refused with MSG-DECODE's codes when it departs from the format", () => {
    const fields = (changes: Partial<Record<number, Uint8Array | Uint8Array[]>>) => {
      const items: (Uint8Array | Uint8Array[])[] = [
        Uint8Array.of(8),
        new Uint8Array(0),
        Uint8Array.of(9),
        Uint8Array.of(3),
        Uint8Array.of(2),
        PROOF_2,
      ];
      for (const [i, v] of Object.entries(changes)) items[Number(i)] = v!;
      return rlpEncode(items);
    };
    const code = (bytes: Uint8Array) => resultCode(decodeMessage(bytes));
    expect(code(fields({}))).toBe("(accepted)");
    expect(code(rlpEncode(PROOF_2))).toBe("RLP_EXPECTED_LIST");
    expect(code(rlpEncode([Uint8Array.of(8), new Uint8Array(0)]))).toBe("MSG_FIELD_COUNT");
    expect(code(fields({ 2: Uint8Array.of(0, 9) }))).toBe("MSG_FIELD_INVALID");
    expect(code(fields({ 1: Uint8Array.of(1, 0, 0, 0, 0) }))).toBe("MSG_FIELD_INVALID"); // 2^32
    expect(code(fields({ 3: new Uint8Array(9).fill(1) }))).toBe("MSG_FIELD_INVALID"); // ≥ 2^64
    expect(code(fields({ 4: Uint8Array.of(1, 0, 0) }))).toBe("MSG_FIELD_INVALID"); // 65536
    expect(code(fields({ 4: Uint8Array.of(0xff, 0xff) }))).toBe("(accepted)"); // 65535
    expect(code(fields({ 5: PROOF_2.subarray(1) }))).toBe("MSG_FIELD_INVALID");
    expect(code(fields({ 5: [PROOF_2] }))).toBe("MSG_FIELD_INVALID");
    expect(code(new Uint8Array(0))).toBe("RLP_EMPTY_INPUT");
  });
});

describe("DRG-SHARE", () => {
  // @covers DRG-SHARE.2
  it("is the member's BLS signature on sha256(seed), sent as a beacon share of the round", () => {
    for (const bls of [blstBls, nobleBls]) {
      expect(unwrap(makeShare(SIM.secretKeys[2]!, 2, ROUND, MINIMAL, bls))).toEqual(SHARE_2);
    }
  });
});

describe("DRG-SHARE-VERIFY", () => {
  const verify = (share: Share) => verifyShare(share, ROUND, SIM.committee, MINIMAL, blstBls);

  // @covers DRG-SHARE-VERIFY.1
  it("accepts the share of the round and returns its VRF output sha256(π)", () => {
    expect(unwrap(verify(SHARE_2))).toEqual(sha256(PROOF_2));
    expect(unwrap(verifyShare(SHARE_2, ROUND, SIM.committee, MINIMAL, nobleBls))).toEqual(sha256(PROOF_2));
  });

  // @covers DRG-SHARE-VERIFY.1
  it("rejects another shard, another height or view, an unknown signer and a proof that does not verify", () => {
    expect(resultCode(verify({ ...SHARE_2, shardId: 1 }))).toBe("DRG_SHARE_WRONG_SHARD");
    expect(resultCode(verify({ ...SHARE_2, viewId: 4n }))).toBe("DRG_SHARE_WRONG_ROUND");
    expect(resultCode(verify({ ...SHARE_2, blockNum: 17n }))).toBe("DRG_SHARE_WRONG_ROUND");
    expect(resultCode(verify({ ...SHARE_2, signer: 4 }))).toBe("DRG_SHARE_UNKNOWN_SIGNER");
    expect(resultCode(verify({ ...SHARE_2, signer: 1 }))).toBe("VRF_PROOF_INVALID");
    const otherView = drgSeed({ ...ROUND, viewId: 4n }, MINIMAL);
    expect(resultCode(verify({ ...SHARE_2, proof: vrfProofOf(SIM.secretKeys[2]!, otherView) }))).toBe(
      "VRF_PROOF_INVALID",
    );
    const offCurve = malformedPoint("G2", "BLS_POINT_NOT_ON_CURVE", PROOF_2);
    expect(resultCode(verify({ ...SHARE_2, proof: offCurve }))).toBe("BLS_POINT_NOT_ON_CURVE");
  });

  // @covers DRG-SHARE-VERIFY.1
  it("checks in the order of its lines: shard before round before signer", () => {
    expect(resultCode(verify({ ...SHARE_2, shardId: 1, viewId: 4n, signer: 9 }))).toBe(
      "DRG_SHARE_WRONG_SHARD",
    );
    expect(resultCode(verify({ ...SHARE_2, viewId: 4n, signer: 9 }))).toBe("DRG_SHARE_WRONG_ROUND");
  });
});
