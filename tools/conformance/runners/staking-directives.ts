import { z } from "zod";
import { blstBls } from "../../../reference/crypto/bls/blst.ts";
import { bytesToHex, DecimalBigInt, HexBytes, HexText } from "../../../reference/encoding/json.ts";
import { rlpEncode } from "../../../reference/encoding/rlp.ts";
import { unwrap } from "../../../reference/errors.ts";
import { StateJson, stateToJson } from "../../../reference/ledger/ledgerJson.ts";
import { type AccountState, stateFromList } from "../../../reference/ledger/state.ts";
import type { Preset } from "../../../reference/params/presets.ts";
import { applyDirective, unlockUndelegations } from "../../../reference/staking/apply.ts";
import { type Directive, decodeDirective, encodeDirective } from "../../../reference/staking/directives.ts";
import { STATUS } from "../../../reference/staking/record.ts";
import {
  addressOf,
  createOf,
  fundedState,
  NO_EDIT,
  PERCENT,
  stakerKey,
  withStatus,
} from "../../testing/stakingFixtures.ts";
import type { CaseDef, HandlerDef, Json } from "../types.ts";

/*
 * Staking directives of chapter 8 (§8.5–§8.6): their decoding, STAKE-APPLY on a beacon state, and STAKE-UNLOCK.
 */

const StateOutput = z.array(z.looseObject({ address: HexText }));

export const decodeDirectiveHandler: HandlerDef = {
  description:
    "STAKE-DIRECTIVE-DECODE of `bytes` → the directive's kind and its encoding again (which equals `bytes`)",
  input: z.strictObject({ bytes: HexBytes }),
  output: z.strictObject({ kind: z.string(), encoding: HexText }),
  run(input: { bytes: Uint8Array }): Json {
    const directive = unwrap(decodeDirective(input.bytes));
    return { kind: directive.kind, encoding: bytesToHex(encodeDirective(directive)) };
  },
};

export const applyDirectiveHandler: HandlerDef = {
  description:
    "STAKE-APPLY of the directive encoded in `directive`, sent by `sender` in `epoch`, to the beacon state " +
    "`accounts` → the state after it",
  input: z.strictObject({ epoch: DecimalBigInt, sender: HexBytes, directive: HexBytes, accounts: StateJson }),
  output: z.strictObject({ accounts: StateOutput }),
  run(
    input: { epoch: bigint; sender: Uint8Array; directive: Uint8Array; accounts: z.output<typeof StateJson> },
    preset: Preset,
  ): Json {
    const state = unwrap(stateFromList(input.accounts));
    const directive = unwrap(decodeDirective(input.directive));
    const after = unwrap(
      applyDirective(state, input.sender, directive, { epoch: input.epoch, preset, bls: blstBls }),
    );
    return { accounts: stateToJson(after) };
  },
};

export const unlockHandler: HandlerDef = {
  description: "STAKE-UNLOCK at the end of `epoch` of the beacon state `accounts` → the state after it",
  input: z.strictObject({ epoch: DecimalBigInt, accounts: StateJson }),
  output: z.strictObject({ accounts: StateOutput }),
  run(input: { epoch: bigint; accounts: z.output<typeof StateJson> }, preset: Preset): Json {
    return {
      accounts: stateToJson(unlockUndelegations(unwrap(stateFromList(input.accounts)), input.epoch, preset)),
    };
  },
};

const V = 1;
const D = 2;

/** Cases of the three handlers; amounts are chosen to sit between the two presets' minimums where it matters. */
export function directiveCases(preset: Preset): CaseDef[] {
  const out: CaseDef[] = [];
  const selfStake = preset.minSelfDelegation * 5n;
  const funded = fundedState([
    [V, selfStake * 20n],
    [D, selfStake * 10n],
  ]);
  const limits = { minSelfDelegation: preset.minSelfDelegation, maxTotalDelegation: selfStake * 10n };
  const create = createOf(V, selfStake, 2, limits);
  const withValidator = unwrap(
    applyDirective(funded, addressOf(V), create, { epoch: 3n, preset, bls: blstBls }),
  );
  const step = (state: AccountState, sender: number, directive: Directive, epoch = 3n) =>
    unwrap(applyDirective(state, addressOf(sender), directive, { epoch, preset, bls: blstBls }));
  const delegation = preset.minDelegation * 3n;
  const delegated = step(withValidator, D, { kind: "delegate", validator: addressOf(V), amount: delegation });
  const undelegated = step(delegated, D, {
    kind: "undelegate",
    validator: addressOf(V),
    amount: preset.minDelegation,
  });
  const banned = withStatus(withValidator, V, STATUS.banned);

  const apply = (
    name: string,
    description: string,
    tags: string[],
    state: AccountState,
    sender: number,
    directive: Directive,
    expectedError?: string,
    epoch = 3n,
  ) =>
    out.push({
      handler: "apply_directive",
      name,
      description,
      tags: ["STAKE-APPLY.1", "STAKE-TOTALS.1", "STAKE-DIRECTIVE-FORMAT.1", ...tags],
      input: {
        epoch: epoch.toString(),
        sender: bytesToHex(addressOf(sender)),
        directive: bytesToHex(encodeDirective(directive)),
        accounts: stateToJson(state) as Json,
      },
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  const C = ["STAKE-CREATE.1"];
  apply(
    "create",
    "a validator with two keys bonds five times the minimum self-delegation",
    C,
    funded,
    V,
    create,
  );
  apply(
    "create_exists",
    "the sender is already a validator",
    C,
    withValidator,
    V,
    create,
    "STAKE_VALIDATOR_EXISTS",
  );
  apply(
    "create_rate_above_max",
    "a rate above its ceiling",
    C,
    funded,
    D,
    createOf(D, selfStake, 1, { ...limits, rate: 21n * PERCENT }),
    "STAKE_RATE_INVALID",
  );
  apply("create_no_key", "no key", C, funded, D, createOf(D, selfStake, 0, limits), "STAKE_KEY_COUNT");
  apply(
    "create_key_in_use",
    "a key of another validator",
    C,
    withValidator,
    D,
    { ...createOf(D, selfStake, 1, limits), keys: [stakerKey(V, 0)] },
    "STAKE_KEY_IN_USE",
  );
  apply(
    "create_bad_proof",
    "a proof of possession made for another key",
    C,
    funded,
    D,
    { ...createOf(D, selfStake, 1, limits), keys: [{ ...stakerKey(D, 0), proof: stakerKey(D, 1).proof }] },
    "STAKE_POP_INVALID",
  );
  apply(
    "create_min_below_preset",
    "a minimum self-delegation below the preset's",
    C,
    funded,
    D,
    createOf(D, selfStake, 1, { ...limits, minSelfDelegation: preset.minSelfDelegation - 1n }),
    "STAKE_MIN_SELF_DELEGATION",
  );
  apply(
    "create_self_too_low",
    "a self-delegation below the declared minimum",
    C,
    funded,
    D,
    createOf(D, preset.minSelfDelegation - 1n, 1, limits),
    "STAKE_SELF_DELEGATION_TOO_LOW",
  );
  apply(
    "create_broke",
    "more than the balance",
    C,
    funded,
    D,
    createOf(D, selfStake * 10n + 1n, 1, { ...limits, maxTotalDelegation: selfStake * 20n }),
    "STAKE_INSUFFICIENT_BALANCE",
  );
  apply(
    "create_long_name",
    "a name of 141 bytes",
    C,
    funded,
    D,
    { ...createOf(D, selfStake, 1, limits), description: { ...create.description, name: "n".repeat(141) } },
    "STAKE_DESCRIPTION_TOO_LONG",
  );
  const E = ["STAKE-EDIT.1"];
  apply("edit_rate", "the rate moves 5 points, its per-epoch limit", E, withValidator, V, {
    ...NO_EDIT,
    rate: 15n * PERCENT,
  });
  apply(
    "edit_rate_too_fast",
    "the rate moves 6 points within one epoch",
    E,
    withValidator,
    V,
    { ...NO_EDIT, rate: 16n * PERCENT },
    "STAKE_RATE_CHANGE_TOO_FAST",
  );
  apply("edit_swap_key", "a key is replaced by a new one with its proof", E, withValidator, V, {
    ...NO_EDIT,
    keyToRemove: stakerKey(V, 0).key,
    keyToAdd: stakerKey(V, 2),
  });
  apply(
    "edit_unknown_key",
    "the key to remove is another's",
    E,
    withValidator,
    V,
    { ...NO_EDIT, keyToRemove: stakerKey(D, 0).key },
    "STAKE_KEY_NOT_FOUND",
  );
  apply("edit_banned", "a banned validator edits", E, banned, V, NO_EDIT, "STAKE_BANNED");
  apply(
    "edit_not_validator",
    "the sender is no validator",
    E,
    withValidator,
    D,
    NO_EDIT,
    "STAKE_NO_VALIDATOR",
  );
  const G = ["STAKE-DELEGATE.1"];
  apply("delegate", "three times the minimum delegation", G, withValidator, D, {
    kind: "delegate",
    validator: addressOf(V),
    amount: delegation,
  });
  apply(
    "delegate_too_small",
    "one atto below the minimum delegation",
    G,
    withValidator,
    D,
    { kind: "delegate", validator: addressOf(V), amount: preset.minDelegation - 1n },
    "STAKE_DELEGATION_TOO_SMALL",
  );
  apply(
    "delegate_over_cap",
    "beyond the validator's maximum total delegation",
    G,
    withValidator,
    D,
    { kind: "delegate", validator: addressOf(V), amount: selfStake * 9n + 1n },
    "STAKE_DELEGATION_CAP",
  );
  apply(
    "delegate_banned",
    "to a banned validator",
    G,
    banned,
    D,
    { kind: "delegate", validator: addressOf(V), amount: delegation },
    "STAKE_BANNED",
  );
  const U = ["STAKE-UNDELEGATE.1"];
  apply("undelegate", "a third of the delegation into the lock", U, delegated, D, {
    kind: "undelegate",
    validator: addressOf(V),
    amount: preset.minDelegation,
  });
  apply(
    "undelegate_too_much",
    "more than delegated",
    U,
    delegated,
    D,
    { kind: "undelegate", validator: addressOf(V), amount: delegation + 1n },
    "STAKE_UNDELEGATE_TOO_MUCH",
  );
  apply(
    "undelegate_zero",
    "nothing",
    U,
    delegated,
    D,
    { kind: "undelegate", validator: addressOf(V), amount: 0n },
    "STAKE_AMOUNT_ZERO",
  );
  apply(
    "self_below_minimum",
    "the validator undelegates below its minimum and becomes inactive",
    U,
    withValidator,
    V,
    { kind: "undelegate", validator: addressOf(V), amount: selfStake - preset.minSelfDelegation + 1n },
  );
  apply(
    "collect_nothing",
    "no reward to collect",
    ["STAKE-COLLECT.1"],
    delegated,
    D,
    { kind: "collectRewards" },
    "STAKE_NO_REWARDS",
  );

  const lock = BigInt(preset.undelegationLockEpochs);
  for (const [name, epoch, what] of [
    ["unlock_early", 3n + lock - 1n, "one epoch before the lock ends: nothing moves"],
    ["unlock_due", 3n + lock, "the lock ends: the amount returns to the balance and the entry goes"],
  ] as const) {
    out.push({
      handler: "unlock",
      name,
      description: `an amount undelegated in epoch 3; ${what}`,
      tags: ["STAKE-UNLOCK.1", "STAKE-TOTALS.1"],
      input: { epoch: epoch.toString(), accounts: stateToJson(undelegated) as Json },
    });
  }

  const decode = (name: string, description: string, bytes: Uint8Array, expectedError?: string) =>
    out.push({
      handler: "decode_directive",
      name,
      description,
      tags: ["STAKE-DIRECTIVE-FORMAT.1"],
      input: { bytes: bytesToHex(bytes) },
      ...(expectedError === undefined ? {} : { expectedError }),
    });
  decode("create", "a CreateValidator with two keys", encodeDirective(create));
  decode(
    "edit",
    "an EditValidator that sets the rate and the website only",
    encodeDirective({
      ...NO_EDIT,
      rate: 12n * PERCENT,
      description: { ...NO_EDIT.description, website: "https://example.org" },
    }),
  );
  decode("collect", "a CollectRewards", encodeDirective({ kind: "collectRewards" }));
  decode(
    "unknown_number",
    "directive number 5",
    rlpEncode([Uint8Array.of(5), []]),
    "STAKE_DIRECTIVE_INVALID",
  );
  decode(
    "short_address",
    "a Delegate to a 19-byte address",
    rlpEncode([Uint8Array.of(2), [new Uint8Array(19), Uint8Array.of(1)]]),
    "STAKE_DIRECTIVE_INVALID",
  );
  decode(
    "two_statuses",
    "an EditValidator whose status holds two values",
    rlpEncode([
      Uint8Array.of(1),
      [[[], [], [], [], []], [], [], [], [], [], [Uint8Array.of(1), Uint8Array.of(2)]],
    ]),
    "STAKE_DIRECTIVE_INVALID",
  );
  decode("not_a_list", "a byte string", Uint8Array.of(0x82, 0x01, 0x02), "RLP_EXPECTED_LIST");
  decode(
    "amount_leading_zero",
    "an Undelegate whose amount starts with a zero byte",
    rlpEncode([Uint8Array.of(3), [new Uint8Array(20), Uint8Array.of(0, 1)]]),
    "RLP_SCALAR_LEADING_ZERO",
  );
  return out;
}
