import {
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarFromBytes,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError } from "../errors.ts";
import { UINT256_LIMIT } from "../ledger/account.ts";
import { DESCRIPTION_FIELDS, type Description, type DescriptionField } from "./record.ts";

/*
 * Staking directives (§8.5): the five messages a staker sends to the beacon chain, and their encoding.
 */

/** A key to register, with its proof of possession (BLS-POP-PROVE.1). */
export interface KeyWithProof {
  readonly key: Uint8Array;
  readonly proof: Uint8Array;
}

export interface CreateValidator {
  readonly kind: "createValidator";
  readonly description: Description;
  readonly rate: bigint;
  readonly maxRate: bigint;
  readonly maxChangeRate: bigint;
  readonly minSelfDelegation: bigint;
  readonly maxTotalDelegation: bigint;
  readonly keys: readonly KeyWithProof[];
  readonly amount: bigint;
}

/** An edit: every field left null keeps its value. */
export interface EditValidator {
  readonly kind: "editValidator";
  readonly description: Readonly<Record<DescriptionField, string | null>>;
  readonly rate: bigint | null;
  readonly minSelfDelegation: bigint | null;
  readonly maxTotalDelegation: bigint | null;
  readonly keyToRemove: Uint8Array | null;
  readonly keyToAdd: KeyWithProof | null;
  /** 1 (active) or 2 (inactive); a validator cannot ban itself. */
  readonly status: 1 | 2 | null;
}

export interface Delegate {
  readonly kind: "delegate";
  readonly validator: Uint8Array;
  readonly amount: bigint;
}

export interface Undelegate {
  readonly kind: "undelegate";
  readonly validator: Uint8Array;
  readonly amount: bigint;
}

export interface CollectRewards {
  readonly kind: "collectRewards";
}

/** @spec STAKE-DIRECTIVE-FORMAT.1 */
export type Directive = CreateValidator | EditValidator | Delegate | Undelegate | CollectRewards;

/** The number each kind is encoded with, as mainnet numbers its directives. */
export const DIRECTIVE_NUMBERS = {
  createValidator: 0,
  editValidator: 1,
  delegate: 2,
  undelegate: 3,
  collectRewards: 4,
} as const;

const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

const optional = <T>(value: T | null, item: (v: T) => RlpItem): RlpItem[] =>
  value === null ? [] : [item(value)];

function bodyItem(directive: Directive): RlpItem[] {
  switch (directive.kind) {
    case "createValidator":
      return [
        DESCRIPTION_FIELDS.map((field) => utf8.encode(directive.description[field])),
        [directive.rate, directive.maxRate, directive.maxChangeRate].map(scalarToBytes),
        scalarToBytes(directive.minSelfDelegation),
        scalarToBytes(directive.maxTotalDelegation),
        directive.keys.map(({ key }) => key),
        directive.keys.map(({ proof }) => proof),
        scalarToBytes(directive.amount),
      ];
    case "editValidator":
      return [
        DESCRIPTION_FIELDS.map((field) =>
          optional(directive.description[field], (text) => utf8.encode(text)),
        ),
        optional(directive.rate, scalarToBytes),
        optional(directive.minSelfDelegation, scalarToBytes),
        optional(directive.maxTotalDelegation, scalarToBytes),
        optional(directive.keyToRemove, (key) => key),
        directive.keyToAdd === null ? [] : [directive.keyToAdd.key, directive.keyToAdd.proof],
        optional(directive.status, (status) => scalarToBytes(BigInt(status))),
      ];
    case "delegate":
    case "undelegate":
      return [directive.validator, scalarToBytes(directive.amount)];
    case "collectRewards":
      return [];
  }
}

/**
 * The bytes of a directive: RLP([number, body]).
 *
 * @spec STAKE-DIRECTIVE-FORMAT.1
 */
export function encodeDirective(directive: Directive): Uint8Array {
  return rlpEncode([scalarToBytes(BigInt(DIRECTIVE_NUMBERS[directive.kind])), bodyItem(directive)]);
}

function malformed(what: string): SpecError {
  return new SpecError("STAKE_DIRECTIVE_INVALID", what);
}

const read = rlpShapeReader(malformed);

function amount(item: RlpItem, what: string): bigint {
  return read.scalarBelow(item, what, UINT256_LIMIT);
}

function text(item: RlpItem, what: string): string {
  try {
    return strictUtf8.decode(expectRlpBytes(item, what));
  } catch (error) {
    if (error instanceof SpecError) throw error;
    throw malformed(`${what} is not UTF-8`);
  }
}

function readOptional<T>(item: RlpItem, what: string, read: (inner: RlpItem) => T): T | null {
  const list = expectRlpList(item, what);
  if (list.length > 1) throw malformed(`${what} holds ${list.length} values, at most 1`);
  return list.length === 0 ? null : read(list[0]!);
}

const ADDRESS = 20;
const KEY = 48;
const PROOF = 96;

/**
 * STAKE-DIRECTIVE-DECODE (L1–L5): the directive a byte string encodes, or STAKE_DIRECTIVE_INVALID naming what is
 * malformed. Domains that depend on the state or the preset are the rules' to check.
 *
 * @spec STAKE-DIRECTIVE-FORMAT.1
 */
export function decodeDirective(bytes: Uint8Array): Result<Directive> {
  return attempt(() => {
    const [numberItem, body] = read.list(rlpDecodeOrThrow(bytes), "directive", 2) as [RlpItem, RlpItem]; // L1
    const number = scalarFromBytes(expectRlpBytes(numberItem, "directive number")); // L2
    switch (number) {
      case 0n: {
        const [description, rates, minSelf, maxTotal, keys, proofs, stake] = read.list(
          body,
          "createValidator",
          7,
        ); // L3
        const [rate, maxRate, maxChangeRate] = read
          .list(rates!, "rates", 3)
          .map((r, i) => amount(r, `rate ${i}`)) as [bigint, bigint, bigint];
        const keyList = expectRlpList(keys!, "keys").map((k, i) => read.bytes(k, `key ${i}`, KEY));
        const proofList = expectRlpList(proofs!, "proofs").map((p, i) => read.bytes(p, `proof ${i}`, PROOF));
        if (keyList.length !== proofList.length) throw malformed("keys and proofs differ in number"); // L4
        const texts = read.list(description!, "description", DESCRIPTION_FIELDS.length);
        return {
          kind: "createValidator",
          description: Object.fromEntries(
            DESCRIPTION_FIELDS.map((f, i) => [f, text(texts[i]!, f)]),
          ) as Description,
          rate,
          maxRate,
          maxChangeRate,
          minSelfDelegation: amount(minSelf!, "minSelfDelegation"),
          maxTotalDelegation: amount(maxTotal!, "maxTotalDelegation"),
          keys: keyList.map((key, i) => ({ key, proof: proofList[i]! })),
          amount: amount(stake!, "amount"),
        };
      }
      case 1n: {
        const [description, rate, minSelf, maxTotal, remove, add, status] = read.list(
          body,
          "editValidator",
          7,
        ); // L3
        const texts = read.list(description!, "description", DESCRIPTION_FIELDS.length);
        const addList = expectRlpList(add!, "keyToAdd");
        if (addList.length !== 0 && addList.length !== 2)
          throw malformed("keyToAdd holds a key and its proof, or nothing"); // L4
        const statusValue = readOptional(status!, "status", (s) =>
          scalarFromBytes(expectRlpBytes(s, "status")),
        );
        if (statusValue !== null && statusValue !== 1n && statusValue !== 2n) {
          throw malformed(`status ${statusValue} is not 1 (active) or 2 (inactive)`); // L4
        }
        return {
          kind: "editValidator",
          description: Object.fromEntries(
            DESCRIPTION_FIELDS.map((f, i) => [f, readOptional(texts[i]!, f, (t) => text(t, f))]),
          ) as EditValidator["description"],
          rate: readOptional(rate!, "rate", (r) => amount(r, "rate")),
          minSelfDelegation: readOptional(minSelf!, "minSelfDelegation", (m) =>
            amount(m, "minSelfDelegation"),
          ),
          maxTotalDelegation: readOptional(maxTotal!, "maxTotalDelegation", (m) =>
            amount(m, "maxTotalDelegation"),
          ),
          keyToRemove: readOptional(remove!, "keyToRemove", (k) => read.bytes(k, "keyToRemove", KEY)),
          keyToAdd:
            addList.length === 0
              ? null
              : {
                  key: read.bytes(addList[0]!, "keyToAdd", KEY),
                  proof: read.bytes(addList[1]!, "keyToAdd proof", PROOF),
                },
          status: statusValue === null ? null : (Number(statusValue) as 1 | 2),
        };
      }
      case 2n:
      case 3n: {
        const [validator, value] = read.list(body, "delegation", 2); // L3
        return {
          kind: number === 2n ? "delegate" : "undelegate",
          validator: read.bytes(validator!, "validator", ADDRESS),
          amount: amount(value!, "amount"),
        };
      }
      case 4n:
        read.list(body, "collectRewards", 0); // L3
        return { kind: "collectRewards" };
      default:
        throw malformed(`directive number ${number} is not 0–4`); // L5
    }
  });
}
