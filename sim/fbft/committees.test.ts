import { describe, expect, it } from "vitest";
import { genesisCommittee } from "../../reference/consensus/index.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { SpecError } from "../../reference/errors.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { equalCommittee, presetCommittee, SKEWED_POWERS, weightedCommittee } from "./committees.ts";

// @covers COMMITTEE-GENESIS.1 COMMITTEE-FORMAT.1

describe("simulation committees", () => {
  it("generalise the genesis committee: the first slotsPerShard members are the preset's", () => {
    const genesis = genesisCommittee(1, MINIMAL, blstBls);
    const stretched = equalCommittee(1, MINIMAL.slotsPerShard + 3, blstBls);
    expect(stretched.committee.members.slice(0, MINIMAL.slotsPerShard)).toEqual(genesis.members);
    expect(presetCommittee(1, MINIMAL, blstBls).committee).toEqual(genesis);
  });

  it("hold each member's secret key", () => {
    const { committee, secretKeys } = equalCommittee(0, 5, blstBls);
    secretKeys.forEach((secretKey, i) => {
      expect(blstBls.secretToPublic(secretKey)).toEqual({ ok: true, value: committee.members[i]!.publicKey });
    });
  });

  it("carry the given powers and their total", () => {
    const { committee } = weightedCommittee(0, SKEWED_POWERS, blstBls);
    expect(committee.members.map((member) => member.power)).toEqual([...SKEWED_POWERS]);
    expect(committee.totalPower).toBe(5n + 3n + 2n + 2n + 1n + 1n + 1n);
  });

  it("refuse a power below 1 with COMMITTEE-CHECK's code", () => {
    expect(() => weightedCommittee(0, [1n, 0n], blstBls)).toThrow(SpecError);
    expect(() => weightedCommittee(0, [1n, 0n], blstBls)).toThrow(/COMMITTEE_POWER_INVALID/);
  });
});
