import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keccak256 } from "./keccak.ts";

const DATA = new URL("../../test-data/keccak/", import.meta.url);

interface Kat {
  readonly bits: number;
  readonly msg: string;
  readonly md: string;
}

/** Parses a Keccak KAT file (`Len = <bits>`, `Msg = <hex>`, `MD = <hex>` blocks; see SOURCE.md). */
function parseKat(name: string): Kat[] {
  const text = readFileSync(new URL(name, DATA), "utf8");
  const out: Kat[] = [];
  let bits: number | null = null;
  let msg: string | null = null;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("Len = ")) bits = Number(line.slice(6));
    else if (line.startsWith("Msg = ")) msg = line.slice(6);
    else if (line.startsWith("MD = ")) {
      if (bits === null || msg === null) throw new Error(`${name}: MD without Len/Msg`);
      out.push({ bits, msg, md: line.slice(5).toLowerCase() });
      bits = null;
      msg = null;
    }
  }
  return out;
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString("hex");

/** Only byte-aligned entries apply to a byte-oriented hash; their message is the first Len/8 bytes of Msg. */
function runByteAligned(kats: readonly Kat[]): number {
  let run = 0;
  for (const kat of kats) {
    if (kat.bits % 8 !== 0) continue;
    const message = Uint8Array.from(Buffer.from(kat.msg, "hex")).subarray(0, kat.bits / 8);
    expect(hex(keccak256(message)), `Len = ${kat.bits}`).toBe(kat.md);
    run++;
  }
  return run;
}

// @covers KECCAK-256.1
describe("KECCAK-256.1 known-answer tests of the Keccak submission (test-data/keccak)", () => {
  it("ShortMsgKAT_256.txt: all 256 byte-aligned of 2048 entries", () => {
    const kats = parseKat("ShortMsgKAT_256.txt");
    expect(kats).toHaveLength(2048);
    expect(runByteAligned(kats)).toBe(256);
  });

  it("LongMsgKAT_256.txt: all 65 byte-aligned of 513 entries", () => {
    const kats = parseKat("LongMsgKAT_256.txt");
    expect(kats).toHaveLength(513);
    expect(runByteAligned(kats)).toBe(65);
  });

  // The 1 GiB message takes minutes with a pure-JS permutation; it runs only on request.
  const slow = process.env.HARMONY_SLOW_TESTS === "1";
  it.skipIf(!slow)("ExtremelyLongMsgKAT_256.txt (1 GiB input; set HARMONY_SLOW_TESTS=1 to run)", () => {
    const text = readFileSync(new URL("ExtremelyLongMsgKAT_256.txt", DATA), "utf8");
    const repeat = Number(/Repeat = (\d+)/.exec(text)![1]);
    const unit = Buffer.from(/Text = (\S+)/.exec(text)![1]!, "ascii");
    const md = /MD = ([0-9A-F]+)/.exec(text)![1]!.toLowerCase();
    const message = new Uint8Array(unit.length * repeat);
    for (let i = 0; i < repeat; i++) message.set(unit, i * unit.length);
    expect(hex(keccak256(message))).toBe(md);
  });

  it("differs from SHA3-256 (spec table: the empty input)", () => {
    expect(hex(keccak256(new Uint8Array(0)))).toBe(
      "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
    );
    // SHA3-256("") from node:crypto (OpenSSL), an independent FIPS 202 implementation.
    expect(createHash("sha3-256").update(Buffer.alloc(0)).digest("hex")).toBe(
      "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a",
    );
  });
});
