import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL } from "../params/presets.ts";
import { issuance, SECONDS_PER_YEAR, stakerReturn } from "./economics.ts";

/** A fraction as a number of basis points (1/100 of a percent), rounded down. */
const basisPoints = (f: { numerator: bigint; denominator: bigint }) => (f.numerator * 10000n) / f.denominator;

describe("REWARD-ISSUANCE", () => {
  // @covers REWARD-ISSUANCE.1
  it("counts a year of 365.25 days of blocks in every shard", () => {
    expect(SECONDS_PER_YEAR).toBe((36525n * 24n * 3600n) / 100n);
    // 2-second blocks: 15778800 per shard; 2 shards · 24 ONE each.
    expect(issuance(MAINNET).blocksPerShardPerYear).toBe(15778800n);
    expect(issuance(MAINNET).annualIssuance).toBe(757382400n * 10n ** 18n);
  });

  // @covers REWARD-ISSUANCE.1
  it("calibrates both presets to about 6 % inflation and 15 % return at 40 % staked", () => {
    // The targets come from the seeds, not from the code: inflation in [5.9 %, 6.1 %] and a return in
    // [14.75 %, 15.25 %] at 40 % staked, which is the inflation divided by 0.4.
    for (const preset of [MAINNET, MINIMAL]) {
      const inflation = basisPoints(issuance(preset).inflation);
      expect([preset.name, inflation >= 590n && inflation <= 610n]).toEqual([preset.name, true]);
      const atForty = basisPoints(stakerReturn(preset, { numerator: 2n, denominator: 5n }));
      expect([preset.name, atForty >= 1475n && atForty <= 1525n]).toEqual([preset.name, true]);
    }
    // Mainnet by hand: 757382400 / 12600000000 = 6.0110 %; / 0.4 = 15.027 %.
    expect(basisPoints(issuance(MAINNET).inflation)).toBe(601n);
    expect(basisPoints(stakerReturn(MAINNET, { numerator: 2n, denominator: 5n }))).toBe(1502n);
  });

  // @covers REWARD-ISSUANCE.1
  it("takes the minimal preset's supply basis from its own genesis allocation", () => {
    expect(MINIMAL.referenceSupply).toBe(
      BigInt(MINIMAL.numShards * MINIMAL.genesisAccountsPerShard) * MINIMAL.genesisBalance,
    );
    expect(MAINNET.referenceSupply).toBe(12600000000n * 10n ** 18n); // GenesisONEToken, core/genesis.go
  });
});
