import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import type { Result } from "../../reference/errors.ts";
import { type AccountState, addressKey, getAccount } from "../../reference/ledger/state.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { applyDirective, unlockUndelegations } from "../../reference/staking/apply.ts";
import type { Directive } from "../../reference/staking/directives.ts";
import {
  addressOf,
  createOf,
  fundedState,
  NO_EDIT,
  ONE,
  PERCENT,
} from "../../tools/testing/stakingFixtures.ts";
import { supplyOf, totalsMismatches } from "../../tools/testing/stakingStates.ts";

/*
 * Staking directives under random schedules of four stakers: the supply is constant, every account's totals
 * equal its entries in the records (STAKE-TOTALS.1), and a refused directive leaves the state as it was. Two
 * deliberately broken rules show the suite finds each kind of violation.
 */

type DirectiveRule = (
  state: AccountState,
  sender: Uint8Array,
  directive: Directive,
  epoch: bigint,
) => Result<AccountState>;

const referenceRule: DirectiveRule = (state, sender, directive, epoch) =>
  applyDirective(state, sender, directive, { epoch, preset: MINIMAL, bls: blstBls });

/** A broken rule: an undelegation moves the entry into the lock but leaves the account's `delegated` total. */
const totalsForgotten: DirectiveRule = (state, sender, directive, epoch) => {
  const result = referenceRule(state, sender, directive, epoch);
  if (!result.ok || directive.kind !== "undelegate") return result;
  const working = new Map(result.value);
  const account = getAccount(result.value, sender);
  working.set(addressKey(sender), {
    ...account,
    delegated: account.delegated + directive.amount,
    undelegating: account.undelegating - directive.amount,
  });
  return { ok: true, value: working };
};

/** A broken rule: a delegation bonds the amount without taking it from the balance. */
const mintingDelegation: DirectiveRule = (state, sender, directive, epoch) => {
  const result = referenceRule(state, sender, directive, epoch);
  if (!result.ok || directive.kind !== "delegate") return result;
  const working = new Map(result.value);
  const account = getAccount(result.value, sender);
  working.set(addressKey(sender), { ...account, balance: account.balance + directive.amount });
  return { ok: true, value: working };
};

const ACTORS = [1, 2, 3, 4];

const arbitraryStep = fc.record({
  actor: fc.constantFrom(...ACTORS),
  endsEpoch: fc.boolean(),
  directive: fc.oneof(
    fc
      .bigInt({ min: 0n, max: 120n })
      .chain((amount) =>
        fc.constantFrom(...ACTORS).map((owner) => createOf(owner, amount * ONE) as Directive),
      ),
    fc
      .record({
        validator: fc.constantFrom(...ACTORS),
        amount: fc.bigInt({ min: 0n, max: 60n }),
        undo: fc.boolean(),
      })
      .map(
        ({ validator, amount, undo }) =>
          ({
            kind: undo ? "undelegate" : "delegate",
            validator: addressOf(validator),
            amount: amount * ONE,
          }) as Directive,
      ),
    fc.bigInt({ min: 0n, max: 25n }).map((rate) => ({ ...NO_EDIT, rate: rate * PERCENT }) as Directive),
    fc.constant({ kind: "collectRewards" } as Directive),
  ),
});

/** Runs a schedule under `rule` and checks the three invariants after every step. */
function invariantsHold(rule: DirectiveRule) {
  return fc.property(fc.array(arbitraryStep, { maxLength: 25 }), (steps) => {
    let state = fundedState(ACTORS.map((byte) => [byte, 200n * ONE] as [number, bigint]));
    const supply = supplyOf(state);
    let epoch = 1n;
    for (const { actor, directive, endsEpoch } of steps) {
      // A CreateValidator is only ever sent by its own validator.
      const sender =
        directive.kind === "createValidator"
          ? addressOf(Number(directive.description.name.split(" ")[1]))
          : addressOf(actor);
      const before = state;
      const result = rule(state, sender, directive, epoch);
      if (result.ok) state = result.value;
      else expect(state).toBe(before);
      if (endsEpoch) state = unlockUndelegations(state, epoch++, MINIMAL);
      expect(supplyOf(state), "supply").toBe(supply);
      expect(totalsMismatches(state), "STAKE-TOTALS").toEqual([]);
    }
  });
}

describe("staking directives under random schedules", () => {
  // @covers STAKE-APPLY.1 STAKE-TOTALS.1 STAKE-UNLOCK.1 STAKE-DELEGATE.1 STAKE-UNDELEGATE.1 STAKE-COLLECT.1
  it("conserve supply and keep every account's totals equal to its entries", () => {
    fc.assert(invariantsHold(referenceRule), { numRuns: 60, seed: 5101 });
  });

  it("find an undelegation that forgets the account's totals", () => {
    const run = fc.check(invariantsHold(totalsForgotten), { numRuns: 200, seed: 5102 });
    expect(run.failed).toBe(true);
    expect(String(run.errorInstance)).toMatch(/^AssertionError: STAKE-TOTALS/);
  });

  it("find a delegation that mints what it bonds", () => {
    const run = fc.check(invariantsHold(mintingDelegation), { numRuns: 200, seed: 5103 });
    expect(run.failed).toBe(true);
    expect(String(run.errorInstance)).toMatch(/^AssertionError: supply/);
  });
});
