import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { SpecError } from "../../reference/errors.ts";
import { applyBlock } from "../../reference/ledger/applyBlock.ts";
import { decodeBlock, encodeBlock } from "../../reference/ledger/block.ts";
import { MINIMAL } from "../../reference/params/presets.ts";
import { addressOf, freshAddress, genesis, nextBlock, transfer } from "../../tools/testing/ledgerChains.ts";

/*
 * Bad input gets a named SpecError and nothing else: any byte string obtained by mutating a valid block's
 * encoding either decodes and applies, or fails with a SpecError (never another exception), and a failure
 * leaves the ledger as it was.
 */

const g = genesis(MINIMAL, 0);
const valid = encodeBlock(
  nextBlock(
    g,
    [
      transfer(MINIMAL, { shard: 0, index: 0 }, 0n, addressOf({ shard: 0, index: 1 }), 5n),
      transfer(MINIMAL, { shard: 0, index: 1 }, 0n, freshAddress(1), 6n, { toShard: 1 }),
    ],
    MINIMAL,
  ).block,
);

interface Mutation {
  readonly kind: "set" | "delete" | "insert" | "truncate";
  readonly at: number;
  readonly byte?: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("set" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("delete" as const), at: fc.nat() }),
  fc.record({ kind: fc.constant("insert" as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }),
);

function mutate(bytes: Uint8Array, m: Mutation): Uint8Array {
  const at = m.at % (bytes.length + 1);
  const list = [...bytes];
  if (m.kind === "set" && at < list.length) list[at] = m.byte ?? 0;
  if (m.kind === "delete") list.splice(at, 1);
  if (m.kind === "insert") list.splice(at, 0, m.byte ?? 0);
  if (m.kind === "truncate") list.length = at;
  return Uint8Array.from(list);
}

describe("ledger property: malformed blocks are named rejections", () => {
  // @covers BLOCK-FORMAT.1 BLOCK-APPLY.3 HEADER-RLP.1
  it("a mutated block decodes and applies, or fails with a SpecError; the ledger is untouched", () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        let bytes = valid;
        for (const m of mutations) bytes = mutate(bytes, m);
        const accountsBefore = new Map(g.accounts);
        const decoded = decodeBlock(bytes, MINIMAL);
        if (!decoded.ok) {
          expect(decoded.error).toBeInstanceOf(SpecError);
          return;
        }
        const applied = applyBlock(g, decoded.value, MINIMAL);
        if (!applied.ok) expect(applied.error).toBeInstanceOf(SpecError);
        expect(g.accounts).toEqual(accountsBefore);
      }),
      { seed: 5701, numRuns: 300 },
    );
  });
});
