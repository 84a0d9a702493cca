import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
} from "../../testing/runnerChecks.ts";
import { executeHandler } from "../execute.ts";
import { runner } from "./trie.ts";

const JSON_CODES = ["JSON_HEX_PREFIX", "JSON_HEX_MALFORMED", "JSON_SCHEMA"];

/** Every code each handler can raise (spec §1.1, §1.4); each must have at least one invalid case. */
const RAISES: Record<string, string[]> = {
  root: ["TRIE_DUPLICATE_KEY", "TRIE_EMPTY_VALUE", ...JSON_CODES],
  ordered_list_root: ["TRIE_EMPTY_VALUE", "JSON_HEX_MALFORMED", "JSON_SCHEMA"],
  prove: ["TRIE_DUPLICATE_KEY", "TRIE_EMPTY_VALUE", ...JSON_CODES],
  verify_proof: [
    "TRIE_PROOF_MISSING_NODE",
    "TRIE_PROOF_HASH_MISMATCH",
    "TRIE_PROOF_MALFORMED_NODE",
    "TRIE_PROOF_EXTRA_NODE",
    "JSON_BYTES_LENGTH",
    ...JSON_CODES,
  ],
};

describe("conformance runner: trie", () => {
  const cases = runner.cases(MINIMAL);
  const post = caseResults(runner, cases, MINIMAL);

  // @covers TRIE-ROOT.1 TRIE-SECURE.1 TRIE-ORDERED.1 TRIE-PROOF.1 TRIE-VERIFY.2
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, MINIMAL),
  );

  it("has a valid case and one invalid case per code for every handler", () => {
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
  });

  // @covers TRIE-ROOT.1 TRIE-SECURE.1
  it("roots agree with the ethereum/tests cases cited in the descriptions (test-data/trie)", () => {
    const load = (file: string) =>
      JSON.parse(readFileSync(new URL(`../../../test-data/trie/${file}`, import.meta.url), "utf8")) as Record<
        string,
        { root: string }
      >;
    const anyorder = load("trieanyorder.json");
    const secure = load("trieanyorder_secureTrie.json");
    const hexSecure = load("hex_encoded_securetrie_test.json");
    expect(post("root", "puppy")).toBe(anyorder.puppy!.root);
    expect(post("root", "dogs")).toBe(anyorder.dogs!.root);
    expect(post("root", "hex_keys")).toBe(anyorder.hex!.root);
    expect(post("root", "single_item")).toBe(anyorder.singleItem!.root);
    expect(post("root", "secure_puppy")).toBe(secure.puppy!.root);
    expect(post("root", "secure_accounts")).toBe(hexSecure.test1!.root);
    expect(post("root", "empty")).toBe("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");
    expect(post("ordered_list_root", "empty")).toBe(
      "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421",
    );
    // Every abbreviated root quoted in a description matches the computed one.
    for (const c of cases.filter((x) => x.handler === "root" && x.expectedError === undefined)) {
      const quoted = /root (0x[0-9a-f]{8})…([0-9a-f]{4})/.exec(c.description);
      if (!quoted) continue;
      const root = post("root", c.name) as string;
      expect(root.startsWith(quoted[1]!) && root.endsWith(quoted[2]!), c.name).toBe(true);
    }
  });

  // @covers TRIE-PROOF.1 TRIE-VERIFY.2
  it("proofs from prove verify with verify_proof", () => {
    for (const c of cases.filter((x) => x.handler === "prove" && x.expectedError === undefined)) {
      const input = c.input as { entries: [string, string][]; secure: boolean; key: string };
      const proved = executeHandler(runner, "prove", c.input, MINIMAL);
      const root = executeHandler(runner, "root", { entries: input.entries, secure: input.secure }, MINIMAL);
      expect(proved.ok && root.ok).toBe(true);
      if (!proved.ok || !root.ok) continue;
      const verified = executeHandler(
        runner,
        "verify_proof",
        {
          root: root.value,
          key: input.key,
          proof: (proved.value as { proof: string[] }).proof,
          secure: input.secure,
        },
        MINIMAL,
      );
      const expected = input.entries.find(([k]) => k === input.key)?.[1] ?? null;
      expect(verified.ok && verified.value, c.name).toEqual({ value: expected });
    }
  });

  it("handler schemas convert to JSON Schema", () => {
    expectSchemasConvert(runner);
  });
});
