import { describe, expect, it } from "vitest";
import { SAMPLE_RANDOMNESS } from "../../tools/testing/shardSeats.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { addressOf, createOf, fundedState, ONE } from "../../tools/testing/stakingFixtures.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { type AccountState, getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { applyDirective } from "../staking/apply.ts";
import { candidatesOf } from "../staking/candidates.ts";
import type { Directive } from "../staking/directives.ts";
import { readRecord, STATUS, writeRecord } from "../staking/record.ts";
import { endEpoch } from "./epochEnd.ts";

const [V1, V2, V3, D] = [1, 2, 3, 9];

function step(state: AccountState, sender: number, directive: Directive, epoch: bigint): AccountState {
  return unwrap(
    applyDirective(state, addressOf(sender), directive, { epoch, preset: MINIMAL, bls: blstBls }),
  );
}

/**
 * Epoch 1: V1 bonds 50 ONE on two keys, V2 30 ONE and V3 20 ONE on one each; D delegates 10 ONE to V2 and
 * takes 5 back. V3 signed 2 of the 3 blocks it was due in epoch 3.
 */
function beaconAtEndOfEpoch3(): AccountState {
  let state = fundedState([V1, V2, V3, D].map((byte) => [byte, 1000n * ONE] as [number, bigint]));
  state = step(state, V1, createOf(V1, 50n * ONE, 2), 1n);
  state = step(state, V2, createOf(V2, 30n * ONE), 1n);
  state = step(state, V3, createOf(V3, 20n * ONE), 1n);
  state = step(state, D, { kind: "delegate", validator: addressOf(V2), amount: 10n * ONE }, 1n);
  state = step(state, D, { kind: "undelegate", validator: addressOf(V2), amount: 5n * ONE }, 1n);
  const working = new Map(state);
  writeRecord(working, addressOf(V3), {
    ...readRecord(state, addressOf(V3))!,
    blocksToSign: 3n,
    blocksSigned: 2n,
  });
  return working;
}

describe("STAKE-CANDIDATES", () => {
  // @covers STAKE-CANDIDATES.1
  it("stands every active validator with its keys and whole bonded stake, in address order", () => {
    const state = beaconAtEndOfEpoch3();
    const inactive = new Map(state);
    writeRecord(inactive, addressOf(V1), { ...readRecord(state, addressOf(V1))!, status: STATUS.inactive });
    const summary = (s: AccountState) => candidatesOf(s).map((c) => [c.address[0], c.keys.length, c.stake]);
    expect(summary(state)).toEqual([
      [V1, 2, 50n * ONE],
      [V2, 1, 35n * ONE],
      [V3, 1, 20n * ONE],
    ]);
    expect(summary(inactive)).toEqual([
      [V2, 1, 35n * ONE],
      [V3, 1, 20n * ONE],
    ]);
  });
});

describe("SHARD-EPOCH-END", () => {
  const revealed = { epoch: 3n, pRnd: new Uint8Array(32), rnd: SAMPLE_RANDOMNESS };

  // @covers SHARD-EPOCH-END.1 SHARD-RANDOMNESS.1
  it("closes availability, unlocks, elects the active validators and assigns their seats for the next epoch", () => {
    const before = beaconAtEndOfEpoch3();
    const end = unwrap(endEpoch(before, null, 3n, revealed, MINIMAL));
    // V3 signed 2 of 3 (3 · 2 ≤ 2 · 3): inactive, and its counters start again.
    expect(end.inactive.map(bytesToHex)).toEqual([bytesToHex(addressOf(V3))]);
    expect(readRecord(end.state, addressOf(V3))).toMatchObject({ status: STATUS.inactive, blocksToSign: 0n });
    // D's 5 ONE undelegated in epoch 1 is 2 epochs old: back in its balance.
    expect(getAccount(end.state, addressOf(D))).toMatchObject({ balance: 995n * ONE, undelegating: 0n });
    // Candidates V1 (50 ONE) and V2 (35 ONE) for 8 seats: λ = ⌈85/8⌉ = 10.625 ONE; V1 takes 4 shares, V2 3.
    const next = end.next!;
    expect(next.epoch).toBe(4n);
    expect(next.rnd).toEqual(SAMPLE_RANDOMNESS);
    const seats = next.seats.map((seat) => `${seat.validator[0]}#${seat.index}`).sort();
    expect(seats).toEqual(["1#0", "1#1", "1#2", "1#3", "2#0", "2#1", "2#2"]);
    // A fresh assignment deals 7 seats to 2 shards: 4 and 3.
    const sizes = [0, 1].map((shard) => next.seats.filter((seat) => seat.shard === shard).length).sort();
    expect(sizes).toEqual([3, 4]);
  });

  // @covers SHARD-EPOCH-END.1
  it("refuses to end an epoch whose randomness is not revealed", () => {
    const before = beaconAtEndOfEpoch3();
    expect(resultCode(endEpoch(before, null, 3n, { ...revealed, rnd: null }, MINIMAL))).toBe(
      "SHARD_NO_RANDOMNESS",
    );
    expect(resultCode(endEpoch(before, null, 3n, { ...revealed, epoch: 2n }, MINIMAL))).toBe(
      "SHARD_NO_RANDOMNESS",
    );
  });
});
