import { describe, expect, it } from "vitest";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import { delegation, keyOfBytes, stakingState, validatorRecord } from "../../tools/testing/stakingStates.ts";
import { bytesToHex } from "../encoding/json.ts";
import { readRecord, STATUS, type Status } from "../staking/record.ts";
import { closeAvailabilityEpoch } from "./availability.ts";

describe("REWARD-AVAILABILITY", () => {
  // @covers REWARD-AVAILABILITY.1
  it("makes inactive exactly the active validators that signed two thirds or less, and resets every counter", () => {
    // [status, toSign, signed] per validator, and whether it becomes inactive:
    const cases: [Status, bigint, bigint, boolean][] = [
      [STATUS.active, 3n, 2n, true], // 6 ≤ 6: exactly two thirds is below
      [STATUS.active, 3000n, 2001n, false], // 6003 > 6000
      [STATUS.active, 0n, 0n, false], // nothing to sign: not judged
      [STATUS.active, 5n, 0n, true],
      [STATUS.inactive, 5n, 0n, false], // already inactive: stays so, not listed
      [STATUS.banned, 5n, 0n, false], // banned stays banned
      [STATUS.active, 7n, 7n, false],
    ];
    const validators = cases.map(([status, toSign, signed], i) => ({
      address: addressOf(i + 1),
      record: validatorRecord([keyOfBytes(i + 1, 0)], [delegation(addressOf(i + 1), 10n)], {
        status,
        blocksToSign: toSign,
        blocksSigned: signed,
      }),
    }));
    const state = stakingState(validators);
    const out = closeAvailabilityEpoch(state);
    expect(out.inactive.map(bytesToHex)).toEqual(
      validators.filter((_, i) => cases[i]![3]).map((v) => bytesToHex(v.address)),
    );
    cases.forEach(([status, , , below], i) => {
      const record = readRecord(out.state, validators[i]!.address)!;
      expect([i, record.status, record.blocksToSign, record.blocksSigned]).toEqual([
        i,
        below ? STATUS.inactive : status,
        0n,
        0n,
      ]);
    });
    // Only the validator field changed.
    for (const [key, account] of out.state)
      expect({ ...account, validator: null }).toEqual({ ...state.get(key)!, validator: null });
  });
});
