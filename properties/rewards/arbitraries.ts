import fc from "fast-check";
import type { Committee } from "../../reference/consensus/committee.ts";
import { isQuorum } from "../../reference/consensus/committee.ts";
import type { AccountState } from "../../reference/ledger/state.ts";
import { RATE_ONE, STATUS, type Status, type ValidatorRecord } from "../../reference/staking/record.ts";
import { addressOf } from "../../tools/testing/stakingFixtures.ts";
import {
  delegation,
  keyOfBytes,
  plainCommittee,
  stakingState,
  validatorRecord,
} from "../../tools/testing/stakingStates.ts";

/*
 * Random beacon states for the rewards properties: up to four validators (addresses 0x01–0x04) with one to three
 * keys each, delegations from a small pool of delegators that also includes the validators themselves (so one
 * account holds entries in several records), undelegations of several epochs, any commission and status; and
 * committees of some of their keys with random powers and a signer set that is a quorum.
 */

/** Amounts from dust to far above any real stake, so that every rounding shows. */
const amount = fc.oneof(fc.bigInt({ min: 0n, max: 1000n }), fc.bigInt({ min: 0n, max: 10n ** 27n }));

/** Undelegated amounts: the staking rules never lock zero (STAKE_AMOUNT_ZERO). */
const positive = amount.map((a) => a + 1n);

const DELEGATORS = [0x01, 0x02, 0x03, 0x04, 0xd1, 0xd2, 0xd3];

interface ValidatorSpec {
  readonly byte: number;
  readonly keyCount: number;
  readonly record: ValidatorRecord;
}

function validatorArbitrary(byte: number): fc.Arbitrary<ValidatorSpec> {
  const entry = (delegator: number) =>
    fc
      .tuple(
        amount,
        amount,
        fc.uniqueArray(fc.tuple(positive, fc.bigInt({ min: 0n, max: 12n })), {
          maxLength: 3,
          selector: ([, epoch]) => epoch,
        }),
      )
      .map(([bonded, reward, locked]) =>
        delegation(
          addressOf(delegator),
          bonded,
          reward,
          [...locked].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0)),
        ),
      );
  return fc
    .record({
      keyCount: fc.integer({ min: 1, max: 3 }),
      rate: fc.oneof(fc.constant(0n), fc.constant(RATE_ONE), fc.bigInt({ min: 0n, max: RATE_ONE })),
      status: fc.constantFrom<Status>(STATUS.active, STATUS.active, STATUS.inactive, STATUS.banned),
      own: entry(byte),
      others: fc.uniqueArray(fc.constantFrom(...DELEGATORS.filter((d) => d !== byte)), { maxLength: 3 }),
      counters: fc.tuple(fc.bigInt({ min: 0n, max: 50n }), fc.bigInt({ min: 0n, max: 50n })),
    })
    .chain((spec) =>
      fc.tuple(...spec.others.map(entry)).map((others) => ({
        byte,
        keyCount: spec.keyCount,
        record: validatorRecord(
          Array.from({ length: spec.keyCount }, (_, i) => keyOfBytes(byte, i)),
          [spec.own, ...others],
          {
            rate: spec.rate,
            status: spec.status,
            blocksToSign: spec.counters[0] + spec.counters[1],
            blocksSigned: spec.counters[1],
          },
        ),
      })),
    );
}

/** A beacon state of one to four validators, with their specs. */
export const validatorsArbitrary: fc.Arbitrary<ValidatorSpec[]> = fc
  .integer({ min: 1, max: 4 })
  .chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => validatorArbitrary(i + 1))));

export function stateOfSpecs(specs: readonly ValidatorSpec[]): AccountState {
  return stakingState(
    specs.map((s) => ({ address: addressOf(s.byte), record: s.record })),
    [{ address: addressOf(0xd1), balance: 5n }],
  );
}

/** A committee of some of the validators' keys, its owners, and a signer set that holds a quorum. */
export interface CommitteeCase {
  readonly committee: Committee;
  readonly owners: Uint8Array[];
  readonly signers: number[];
}

export function committeeArbitrary(specs: readonly ValidatorSpec[]): fc.Arbitrary<CommitteeCase> {
  const keys = specs.flatMap((s) =>
    Array.from({ length: s.keyCount }, (_, i) => ({ key: keyOfBytes(s.byte, i), owner: addressOf(s.byte) })),
  );
  return fc
    .record({
      chosen: fc.subarray(keys, { minLength: 1 }),
      powers: fc.array(fc.oneof(fc.bigInt({ min: 1n, max: 5n }), fc.bigInt({ min: 1n, max: 10n ** 20n })), {
        minLength: keys.length,
        maxLength: keys.length,
      }),
      signing: fc.array(fc.boolean(), { minLength: keys.length, maxLength: keys.length }),
    })
    .map(({ chosen, powers, signing }) => {
      const committee = plainCommittee(chosen.map((k, i) => [k.key, powers[i]!] as const));
      const signers = chosen.map((_, i) => i).filter((i) => signing[i]);
      let power = 0n;
      for (const i of signers) power += committee.members[i]!.power;
      // Add members in committee order until the signers hold a quorum, as a finalized block's do.
      for (let i = 0; i < chosen.length && !isQuorum(power, committee.totalPower); i++) {
        if (!signers.includes(i)) {
          signers.push(i);
          power += committee.members[i]!.power;
        }
      }
      signers.sort((a, b) => a - b);
      return { committee, owners: chosen.map((k) => k.owner), signers };
    });
}
