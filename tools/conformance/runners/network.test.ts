import { sha256 } from "@noble/hashes/sha2.js";
import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex } from "../../../reference/encoding/json.ts";
import { MAINNET, MINIMAL } from "../../../reference/params/presets.ts";
import {
  caseResults,
  expectCaseAsDeclared,
  expectCasePerCodeOfEveryHandler,
  expectSchemasConvert,
  expectWellFormedCases,
} from "../../testing/runnerChecks.ts";
import { runner } from "./network.ts";

/** Every code each handler's cases expect (chapter 13's error table). */
const RAISES: Record<string, string[]> = {
  node_id: [],
  bucket: ["ROUTE_SELF", "ROUTE_ID_LENGTH"],
  table_seen: ["ROUTE_SELF"],
  closest: ["ROUTE_ID_LENGTH"],
  lookup: ["ROUTE_UNEXPECTED_RESPONSE", "ROUTE_RESPONSE_INVALID", "ROUTE_ID_LENGTH"],
  shard_key: [],
};

describe.each([MINIMAL, MAINNET])("conformance runner: network, preset $name", (preset) => {
  const cases = runner.cases(preset);
  const post = caseResults(runner, cases, preset);

  // @covers ROUTE-ID.1 ROUTE-TABLE.1 ROUTE-CLOSEST.1 ROUTE-LOOKUP.1 ROUTE-SHARD.1
  it.each(cases.map((c) => [`${c.handler}/${c.name}`, c] as const))("%s behaves as declared", (_id, c) =>
    expectCaseAsDeclared(runner, c, preset),
  );

  it("has a valid case and one invalid case per code for every handler, and schemas that convert", () => {
    expectWellFormedCases(runner, cases);
    expectCasePerCodeOfEveryHandler(runner, cases, RAISES);
    expectSchemasConvert(runner);
  });

  // @covers ROUTE-ID.1 ROUTE-SHARD.1
  it("hashes keys and shard numbers as written out by hand", () => {
    expect(post("node_id", "key")).toEqual({ id: bytesToHex(sha256(Uint8Array.of(1, 2, 3, 4, 5))) });
    const tag = [...new TextEncoder().encode("HARMONY-SHARD-V1")];
    expect(post("shard_key", "shard_1")).toEqual({
      key: bytesToHex(sha256(Uint8Array.from([...tag, 0, 0, 0, 1]))),
    });
    expect(post("bucket", "near")).toMatchObject({ bucket: 15 });
  });

  // @covers ROUTE-TABLE.1 ROUTE-LOOKUP.1
  it("pings the head of a full bucket, and a converging lookup ends with the two closest", () => {
    const full = post("table_seen", "full") as { ping: string };
    expect(bytesFromHex(full.ping)[0]).toBe(0x80);
    const { steps } = post("lookup", "converges") as { steps: { kind: string; closest?: string[] }[][] };
    expect(steps.map((s) => s.map((o) => o.kind))).toEqual([["query"], ["query"], ["query"], ["done"]]);
    expect(steps[3]![0]!.closest!.map((x) => bytesFromHex(x)[0])).toEqual([0x7f, 0x70]);
  });
});
