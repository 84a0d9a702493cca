import { RLP } from "@ethereumjs/rlp";
import { describe, expect, it } from "vitest";
import { epochZeroChain, nextBeaconBlock } from "../../tools/testing/beaconChains.ts";
import { createNet, run } from "../../tools/testing/consensusNet.ts";
import { castOf, committed } from "../../tools/testing/consensusScripts.ts";
import { committeeSigners, genesisQuorum, linkedBlocks } from "../../tools/testing/crossLinks.ts";
import { genesis } from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import { beaconChainOf } from "../consensus/chain.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { headerHash } from "../ledger/header.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { applyBeaconBlock, beaconChainAt, currentShardState } from "../sharding/beacon.ts";
import { shardCommittee } from "../sharding/committees.ts";
import {
  type CrossLink,
  crossLinkOf,
  decodeCrossLinks,
  encodeCrossLinks,
  includeCrossLinks,
  selectCrossLinks,
  verifyCrossLink,
} from "./crosslink.ts";
import { EMPTY_CROSS_SHARD_STATE, finalKey } from "./crossShardState.ts";

const preset = MINIMAL;
const bls = blstBls;
/** Shard 1's blocks 1–3, each finalized by members 0–2 of its genesis committee. */
const LINKED = linkedBlocks(preset, 1, 3);
const X1 = LINKED[0]!.crossLink;
const X2 = LINKED[1]!.crossLink;
const X3 = LINKED[2]!.crossLink;

/** The RLP of a scalar, written independently of the reference's helper. */
function int(value: bigint | number): Uint8Array {
  const hex = BigInt(value).toString(16);
  return BigInt(value) === 0n
    ? new Uint8Array(0)
    : Uint8Array.from(Buffer.from(hex.padStart(hex.length + (hex.length % 2), "0"), "hex"));
}

function layout(x: CrossLink): Uint8Array[] {
  return [x.blockHash, int(x.blockNum), int(x.viewId), x.signature, x.bitmap, int(x.shardId), int(x.epoch)];
}

describe("XLINK-FORMAT", () => {
  // @covers XLINK-FORMAT.1
  it("is the RLP list of crosslinks of seven fields in mainnet's order, and the empty field for none", () => {
    expect(encodeCrossLinks([])).toEqual(new Uint8Array(0));
    const wire = encodeCrossLinks([X1, X2]);
    expect(bytesToHex(wire)).toBe(bytesToHex(RLP.encode([layout(X1), layout(X2)])));
    expect(unwrap(decodeCrossLinks(wire))).toEqual([X1, X2]);
    expect(unwrap(decodeCrossLinks(new Uint8Array(0)))).toEqual([]);
  });

  // @covers XLINK-FORMAT.1
  it("refuses an empty list, a wrong field count, fields outside their domains and RLP of the wrong shape", () => {
    const code = (items: unknown) => resultCode(decodeCrossLinks(RLP.encode(items as Uint8Array[])));
    const with_ = (at: number, value: unknown) => {
      const fields: unknown[] = layout(X1);
      fields[at] = value;
      return code([fields]);
    };
    expect(code([])).toBe("XLINK_MALFORMED");
    expect(code([layout(X1).slice(0, 6)])).toBe("XLINK_MALFORMED");
    expect(code([[...layout(X1), new Uint8Array(0)]])).toBe("XLINK_MALFORMED");
    expect(with_(0, X1.blockHash.subarray(1))).toBe("XLINK_MALFORMED");
    expect(with_(3, X1.signature.subarray(1))).toBe("XLINK_MALFORMED");
    expect(with_(4, new Uint8Array(8193))).toBe("XLINK_MALFORMED");
    expect(with_(4, new Uint8Array(8192))).toBe(ACCEPTED);
    expect(with_(1, new Uint8Array(9).fill(1))).toBe("XLINK_MALFORMED"); // ≥ 2^64
    expect(with_(5, Uint8Array.of(1, 0, 0, 0, 0))).toBe("XLINK_MALFORMED"); // 2^32
    expect(with_(6, Uint8Array.of(0, 1))).toBe("RLP_SCALAR_LEADING_ZERO");
    expect(with_(0, [X1.blockHash])).toBe("RLP_EXPECTED_BYTES");
    expect(code([X1.blockHash])).toBe("RLP_EXPECTED_LIST");
    expect(resultCode(decodeCrossLinks(Uint8Array.of(0x83, 1)))).toBe("RLP_INPUT_TOO_SHORT");
    expect(resultCode(decodeCrossLinks(RLP.encode(X1.blockHash)))).toBe("RLP_EXPECTED_LIST");
  });
});

describe("XLINK-OF-BLOCK", () => {
  // @covers XLINK-OF-BLOCK.1
  it("takes the block's hash, height, shard and epoch, and the committed message's view and certificate", () => {
    const cast = castOf(preset, 4, 1);
    const block = LINKED[1]!.block;
    const message = committed(cast, 5n, block, cast.members.slice(1));
    const x = crossLinkOf(block.block, message);
    expect(x).toEqual({
      blockHash: headerHash(block.block.header),
      blockNum: 2n,
      viewId: 2n,
      signature: message.certificate.signature,
      bitmap: message.certificate.bitmap,
      shardId: 1,
      epoch: 0n,
    });
  });
});

describe("XLINK-VERIFY", () => {
  const verify = (x: CrossLink, epoch = 0n, p: Preset = preset) =>
    resultCode(verifyCrossLink(x, [], epoch, p, bls));

  // @covers XLINK-VERIFY.1
  it("accepts a crosslink whose certificate is a quorum of its shard's committee in its epoch", () => {
    expect(verify(X1)).toBe(ACCEPTED);
    const verified = unwrap(verifyCrossLink(X2, [], 0n, preset, bls));
    expect(verified.state).toBeNull();
    expect(verified.committee.members.map((m) => bytesToHex(m.publicKey))).toEqual(
      castOf(preset, 4, 1).members.map((s) => bytesToHex(s.publicKey)),
    );
  });

  // @covers XLINK-VERIFY.1
  it("refuses the beacon chain, an unknown shard, a genesis block, a wrong or future epoch, and a bad certificate", () => {
    expect(verify({ ...X1, shardId: 0 })).toBe("XLINK_SHARD_INVALID");
    expect(verify({ ...X1, shardId: 2 })).toBe("XLINK_SHARD_INVALID");
    expect(verify({ ...X1, blockNum: 0n })).toBe("XLINK_GENESIS");
    expect(verify({ ...X1, epoch: 1n })).toBe("XLINK_EPOCH_MISMATCH");
    expect(verify({ ...X1, blockNum: 8n, epoch: 1n })).toBe("XLINK_EPOCH_FUTURE");
    expect(verify({ ...X1, blockHash: X2.blockHash })).toBe("QC_BAD_SIGNATURE");
    expect(verify({ ...X1, viewId: 2n })).toBe("QC_BAD_SIGNATURE");
    const short = linkedBlocks(preset, 1, 1, () => genesisQuorum(preset, 1, 2))[0]!.crossLink;
    expect(verify(short)).toBe("QC_INSUFFICIENT_QUORUM");
    expect(verify({ ...X1, bitmap: new Uint8Array(2) })).toBe("BITMAP_LENGTH");
    // The order of the lines: the shard before the height before the epoch.
    expect(verify({ ...X1, shardId: 5, blockNum: 0n, epoch: 9n })).toBe("XLINK_SHARD_INVALID");
    expect(verify({ ...X1, blockNum: 0n, epoch: 9n })).toBe("XLINK_GENESIS");
  });
});

/** A block built without crosslinks, its header then given `links`: what a faulty proposer could send. */
function withCrossLinks(block: Block, links: CrossLink[]): Block {
  return { ...block, header: { ...block.header, crossLinks: encodeCrossLinks(links) } };
}

describe("XLINK-INCLUDE", () => {
  const accounts = genesis(preset, 0).accounts;
  const include = (links: CrossLink[], last: ReadonlyMap<number, bigint> = new Map(), p: Preset = preset) =>
    includeCrossLinks(encodeCrossLinks(links), 0n, accounts, EMPTY_CROSS_SHARD_STATE, last, [], p, bls);

  // @covers XLINK-INCLUDE.2
  it("takes each shard's next heights in order, records the last one, and knows each block as final", () => {
    const included = unwrap(include([X1, X2]));
    expect(included.crossLinked.get(1)).toBe(2n);
    expect(included.crossShard.final).toEqual(
      new Map([
        [finalKey({ shard: 1, number: 1n }), X1.blockHash],
        [finalKey({ shard: 1, number: 2n }), X2.blockHash],
      ]),
    );
    // Blocks signed by a genesis committee mint nothing.
    expect(included.accounts).toBe(accounts);
    expect(unwrap(include([X3], included.crossLinked)).crossLinked.get(1)).toBe(3n);
    expect(unwrap(include([])).crossLinked).toEqual(new Map());
  });

  // @covers XLINK-INCLUDE.2
  it("refuses too many, out of order, already crosslinked and skipped heights, before any pairing", () => {
    expect(resultCode(include([X1, X2, X3], new Map(), { ...preset, maxCrossLinksPerBlock: 2 }))).toBe(
      "XLINK_TOO_MANY",
    );
    expect(resultCode(include([X1, X1]))).toBe("XLINK_UNSORTED");
    expect(resultCode(include([X1, X2, X1]))).toBe("XLINK_UNSORTED");
    expect(resultCode(include([X1], new Map([[1, 1n]])))).toBe("XLINK_DUPLICATE");
    expect(resultCode(include([X2]))).toBe("XLINK_GAP");
    // A forged certificate behind a duplicate is never checked: the cheap rule names the failure.
    expect(resultCode(include([{ ...X1, signature: X2.signature }], new Map([[1, 1n]])))).toBe(
      "XLINK_DUPLICATE",
    );
    expect(resultCode(include([X1, { ...X2, signature: X1.signature }]))).toBe("QC_BAD_SIGNATURE");
  });

  // @covers XLINK-INCLUDE.2 SHARD-BEACON-BLOCK.3 REWARD-BLOCK.1
  it("mints a shard block's reward when its epoch's elected committee signed it, once per block", () => {
    // The beacon chain elects epoch 1 at block 7; block 8 of shard 1 is the first its elected committee signs.
    const { chains } = epochZeroChain(preset, 8);
    const beacon = chains[8]!;
    const elected = committeeSigners(
      unwrap(shardCommittee(currentShardState(beacon)!, 1, preset, bls)),
      preset,
    );
    const linked = linkedBlocks(preset, 1, 8, (n) => (n < 8n ? genesisQuorum(preset, 1) : elected));
    const links = linked.map((b) => b.crossLink);
    const x8 = links[7]!;
    const block = nextBeaconBlock(beacon, [], preset, new Uint8Array(0), encodeCrossLinks(links));
    const after = unwrap(applyBeaconBlock(beacon, block, preset, bls));
    expect(after.crossLinked.get(1)).toBe(8n);
    // The parent beacon block's reward and shard 1's block 8: two block rewards; blocks 1–7 mint nothing.
    expect(supplyOf(after.accounts) - supplyOf(beacon.accounts)).toBe(2n * preset.blockReward);
    // The same crosslink again in the next block is a duplicate.
    expect(
      resultCode(
        applyBeaconBlock(after, withCrossLinks(nextBeaconBlock(after, [], preset), [x8]), preset, bls),
      ),
    ).toBe("XLINK_DUPLICATE");
    expect(getAccount(after.accounts, new Uint8Array(20)).balance).toBe(
      getAccount(beacon.accounts, new Uint8Array(20)).balance,
    );
  });

  // @covers XLINK-INCLUDE.2 SHARD-BEACON-BLOCK.3
  it("is part of the beacon rule: a block with a bad crosslink is refused and changes nothing", () => {
    const chain = beaconChainAt(genesis(preset, 0));
    const good = nextBeaconBlock(chain, [], preset, new Uint8Array(0), encodeCrossLinks([X1]));
    expect(unwrap(applyBeaconBlock(chain, good, preset, bls)).crossLinked.get(1)).toBe(1n);
    const bad = withCrossLinks(nextBeaconBlock(chain, [], preset), [X2]);
    expect(resultCode(applyBeaconBlock(chain, bad, preset, bls))).toBe("XLINK_GAP");
    expect(chain.crossLinked).toEqual(new Map());
  });
});

describe("XLINK-SELECT", () => {
  const select = (pool: CrossLink[], last: ReadonlyMap<number, bigint> = new Map(), max = 8) =>
    selectCrossLinks(pool, last, [], 0n, { ...preset, maxCrossLinksPerBlock: max }, bls);
  const forged = { ...X1, signature: X2.signature };

  // @covers XLINK-SELECT.1
  it("takes each shard's next verified heights in order from a pool in any order, up to the limit", () => {
    expect(select([forged, X3, X2, X1, X1])).toEqual([X1, X2, X3]);
    expect(select([X3, X2, X1], new Map(), 2)).toEqual([X1, X2]);
    expect(select([X3, X2, X1], new Map([[1, 1n]]))).toEqual([X2, X3]);
    expect(select([forged, X2])).toEqual([]);
    expect(select([X2, X3])).toEqual([]);
    expect(select([{ ...X1, shardId: 0 }])).toEqual([]);
  });

  // @covers XLINK-SELECT.1 FBFT-PROPOSE.4
  it("is what a beacon leader proposes: the block carries the chosen crosslinks and the chain records them", () => {
    const net = createNet({ preset, powers: [1n, 1n, 1n, 1n], bls, shard: 0, maxHeight: 2n });
    net.crossLinkPool.push(forged, X2, X1);
    run(net);
    const [first, second] = net.finalized[0]!;
    expect(unwrap(decodeCrossLinks(first!.block.header.crossLinks))).toEqual([X1, X2]);
    // The second leader holds the same pool; blocks 1 and 2 of shard 1 are already crosslinked.
    expect(second!.block.header.crossLinks).toEqual(new Uint8Array(0));
    expect(beaconChainOf(net.states[0]!.ledger).crossLinked.get(1)).toBe(2n);
  });
});
