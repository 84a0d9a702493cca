import { describe, expect, it } from "vitest";
import {
  doubleSignRecord,
  epochZeroChain,
  nextBeaconBlock,
  STAKERS,
} from "../../tools/testing/beaconChains.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { supplyOf } from "../../tools/testing/stakingStates.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesFromHex, bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { Block } from "../ledger/block.ts";
import { genesisAddress } from "../ledger/genesis.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { encodeSlashRecords } from "../rewards/slashRecords.ts";
import { readRecord, STATUS } from "../staking/record.ts";
import { applyBeaconBlock, type BeaconChain, currentShardState } from "./beacon.ts";
import { committeeOwners, shardCommittee } from "./committees.ts";
import { decodeShardState } from "./shardState.ts";

const preset = MINIMAL;
const bls = blstBls;

const supply = (c: BeaconChain) => supplyOf(c.accounts);

describe("SHARD-BEACON-BLOCK", () => {
  // @covers SHARD-BEACON-BLOCK.3 SHARD-EPOCH-END.1 SHARD-OWNERS.1 STAKE-TRANSACTION.1
  it("runs epoch 0's randomness, elects at its last block, and rewards the first elected committee's blocks", () => {
    const { chains } = epochZeroChain(preset, 9);
    // Block 1 commits pRnd, block 4 reveals Rnd_0 (offset 1 + delay 3).
    expect(chains[1]!.drg.pRnd).not.toBeNull();
    expect(chains[4]!.drg.rnd).not.toBeNull();
    const last = chains[7]!;
    // 5 + 3 = 8 units of 10 ONE over 8 seats: λ = 10 ONE; the first staker takes 5 shares, the second 3.
    expect(STAKERS.map((s) => s.units)).toEqual([5n, 3n]);
    const written = unwrap(decodeShardState(last.head.shardState, preset));
    expect(last.pending).toEqual(written);
    expect(written.epoch).toBe(1n);
    expect(written.rnd).toEqual(chains[4]!.drg.rnd);
    const count = (g: number) =>
      written.seats.filter((seat) => bytesToHex(seat.validator) === bytesToHex(genesisAddress(0, g))).length;
    expect([count(0), count(1)]).toEqual([5, 3]);
    // Block 8 enters epoch 1; its parent was signed by a genesis committee, so nothing is minted.
    expect(currentShardState(chains[8]!)).toEqual(written);
    expect(supply(chains[8]!)).toBe(supply(last));
    // Block 9 carries the certificate of block 8, signed by epoch 1's committee: exactly one reward is minted.
    expect(supply(chains[9]!) - supply(chains[8]!)).toBe(preset.blockReward);
    const committee = unwrap(shardCommittee(written, 0, preset, bls));
    const owners = [...new Set(committeeOwners(written, committee).map(bytesToHex))];
    const earned = owners.map(
      (owner) => readRecord(chains[9]!.accounts, bytesFromHex(owner))!.delegations[0]!.reward,
    );
    expect(earned.reduce((a, b) => a + b, 0n)).toBe(preset.blockReward);
  });

  // @covers SHARD-BEACON-BLOCK.3
  it("refuses a wrong shard state, unsupported or malformed fields, another shard's block and a missing commitment", () => {
    const { chains } = epochZeroChain(preset, 6);
    const before = chains[6]!;
    const last = nextBeaconBlock(before, [], preset);
    const tamper = (changes: Partial<Block["header"]>): Block => ({
      ...last,
      header: { ...last.header, ...changes },
    });
    const code = (chain: BeaconChain, block: Block) =>
      resultCode(applyBeaconBlock(chain, block, preset, bls));
    expect(code(before, tamper({ shardState: new Uint8Array(0) }))).toBe("SHARD_STATE_MISMATCH");
    expect(code(before, tamper({ crossLinks: Uint8Array.of(0xc0) }))).toBe("XLINK_MALFORMED");
    expect(code(before, tamper({ slashes: Uint8Array.of(0x80) }))).toBe("RLP_EXPECTED_LIST");
    expect(code(before, tamper({ shardId: 1 }))).toBe("SHARD_NOT_BEACON");
    const first = nextBeaconBlock(chains[0]!, [], preset);
    expect(code(chains[0]!, { ...first, header: { ...first.header, vrf: new Uint8Array(0) } })).toBe(
      "DRG_COMMIT_MISSING",
    );
  });

  // @covers SHARD-BEACON-BLOCK.3 SLASH-RECORD.1
  it("slashes a member of an elected committee for a double sign, bans it, and pays the coinbase", () => {
    const { chains } = epochZeroChain(preset, 9);
    const nine = chains[9]!;
    const record = doubleSignRecord(currentShardState(nine)!, preset);
    const offender = record.offender;
    const ten = unwrap(
      applyBeaconBlock(nine, nextBeaconBlock(nine, [], preset, encodeSlashRecords([record])), preset, bls),
    );
    // Its own 5 units of 10 ONE are its whole slashable stake; half is slashed, half of that paid to the
    // coinbase (20 zero bytes in these blocks) and the rest burnt.
    const slashed = (STAKERS[0].units * preset.minSelfDelegation) / 2n;
    const convicted = readRecord(ten.accounts, offender)!;
    expect(convicted.status).toBe(STATUS.banned);
    expect(convicted.delegations[0]!.amount).toBe(STAKERS[0].units * preset.minSelfDelegation - slashed);
    expect(getAccount(ten.accounts, new Uint8Array(20)).balance).toBe(slashed / 2n);
    // The same record again is refused: the offender is banned already. Evidence of epoch 0, served by the
    // genesis committees, names no elected committee.
    // Blocks that carry the records are built plain and given the field, since a proposer refuses to build them.
    const plain = nextBeaconBlock(ten, [], preset);
    const carrying = (records: (typeof record)[]): Block => ({
      ...plain,
      header: { ...plain.header, slashes: encodeSlashRecords(records) },
    });
    expect(resultCode(applyBeaconBlock(ten, carrying([record]), preset, bls))).toBe("SLASH_ALREADY_BANNED");
    expect(resultCode(applyBeaconBlock(ten, carrying([{ ...record, epoch: 0n }]), preset, bls))).toBe(
      "SHARD_SLASH_UNELECTED",
    );
  });
});
