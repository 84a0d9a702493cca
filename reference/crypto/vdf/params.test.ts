import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MAINNET, MINIMAL } from "../../params/presets.ts";
import {
  VDF_DST_HASH_TO_GROUP,
  VDF_DST_HASH_TO_PRIME,
  VDF_DST_OUTPUT,
  VDF_ELEMENT_BYTES,
  VDF_HALF_MODULUS,
  VDF_HASH_TO_GROUP_BLOCKS,
  VDF_ITERATIONS_MAX,
  VDF_ITERATIONS_MIN,
  VDF_MODULUS,
  VDF_MODULUS_BITS,
  VDF_PRIME_BITS,
} from "./params.ts";
import { TRIAL_DIVISION_BOUND, TRIAL_PRIMES } from "./primality.ts";

const chapter = readFileSync(fileURLToPath(new URL("../../../spec/03-vdf.md", import.meta.url)), "utf8");

/** The fenced code blocks of a chapter section, in order. */
function codeBlocks(section: string): string[] {
  const start = chapter.indexOf(section);
  const end = chapter.indexOf("\n## ", start + 1);
  const text = chapter.slice(start, end);
  return [...text.matchAll(/```\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

/** Rows of the parameter table of §3.2: name → value cell. */
function parameterTable(): Map<string, string> {
  const start = chapter.indexOf("## 3.2 Parameters");
  const end = chapter.indexOf("\n## ", start + 1);
  const rows = new Map<string, string>();
  for (const line of chapter.slice(start, end).split("\n")) {
    const cells = line.split("|").map((c) => c.trim());
    const name = /^`([A-Z0-9_]+)`$/.exec(cells[1] ?? "");
    if (name) rows.set(name[1]!, cells[2]!);
    const preset = /^T, preset `(\w+)`$/.exec(cells[1] ?? "");
    if (preset) rows.set(`T:${preset[1]}`, cells[2]!);
  }
  return rows;
}

describe("the RSA-2048 modulus", () => {
  // @covers VDF-MODULUS.1
  it("has exactly 2048 bits and 617 decimal digits, is odd, and has no prime factor below 100000", () => {
    expect(VDF_MODULUS.toString(2).length).toBe(2048);
    expect(VDF_MODULUS > 1n << 2047n && VDF_MODULUS < 1n << 2048n).toBe(true);
    expect(VDF_MODULUS.toString(10).length).toBe(617);
    expect(VDF_MODULUS % 2n).toBe(1n);
    // every odd d < 100000, prime or not: a composite d cannot divide N unless a smaller prime does
    for (let d = 3n; d < 100000n; d += 2n) {
      if (VDF_MODULUS % d === 0n) throw new Error(`N is divisible by ${d}`);
    }
  });

  // @covers VDF-MODULUS.1
  it("has the digit sum 2738 published with the challenge number", () => {
    let sum = 0;
    for (const digit of VDF_MODULUS.toString(10)) sum += Number(digit);
    expect(sum).toBe(2738);
  });

  // @covers VDF-MODULUS.1
  it("matches the decimal and hexadecimal forms written in spec/03-vdf.md §3.3", () => {
    const [decimal, hex] = codeBlocks("## 3.3 The modulus");
    const decimalLines = decimal!.trim().split("\n");
    expect(decimalLines.length).toBe(13);
    for (const line of decimalLines.slice(0, 12)) expect(line).toMatch(/^[0-9]{50}$/);
    expect(BigInt(decimalLines.join(""))).toBe(VDF_MODULUS);
    const hexLines = hex!.trim().split("\n");
    expect(hexLines.length).toBe(8);
    for (const line of hexLines) expect(line).toMatch(/^[0-9a-f]{64}$/);
    expect(BigInt(`0x${hexLines.join("")}`)).toBe(VDF_MODULUS);
  });
});

describe("the VDF parameters", () => {
  // @covers VDF-PARAMS.1
  it("agree with the parameter table of spec/03-vdf.md §3.2", () => {
    const table = parameterTable();
    expect(table.get("VDF_MODULUS_BITS")).toBe(String(VDF_MODULUS_BITS));
    expect(table.get("VDF_ELEMENT_BYTES")).toBe(String(VDF_ELEMENT_BYTES));
    expect(table.get("VDF_PRIME_BITS")).toBe(String(VDF_PRIME_BITS));
    expect(table.get("VDF_ITERATIONS_MIN")).toBe(String(VDF_ITERATIONS_MIN));
    expect(table.get("VDF_ITERATIONS_MAX")).toBe(`2^64 − 1 = ${VDF_ITERATIONS_MAX}`);
    expect(table.get("VDF_HASH_TO_GROUP_BLOCKS")).toBe(String(VDF_HASH_TO_GROUP_BLOCKS));
    expect(table.get("TRIAL_DIVISION_BOUND")).toBe(`${TRIAL_DIVISION_BOUND} = 2^14`);
    expect(table.get("DST_H2G")).toBe(`\`"${VDF_DST_HASH_TO_GROUP}"\``);
    expect(table.get("DST_H2P")).toBe(`\`"${VDF_DST_HASH_TO_PRIME}"\``);
    expect(table.get("DST_OUT")).toBe(`\`"${VDF_DST_OUTPUT}"\``);
    // the iteration counts quoted from the presets (§0.7) are the presets' values
    expect(table.get("T:minimal")?.split(" ")[0]).toBe(String(MINIMAL.vdfIterations));
    expect(table.get("T:mainnet")?.split(" ")[0]).toBe(String(MAINNET.vdfIterations));
  });

  // @covers VDF-PARAMS.1
  it("are consistent with one another", () => {
    expect(VDF_ELEMENT_BYTES * 8).toBe(VDF_MODULUS_BITS);
    expect(2n * VDF_HALF_MODULUS + 1n).toBe(VDF_MODULUS);
    expect(VDF_ITERATIONS_MAX).toBe(18446744073709551615n);
    // 9 SHA-256 blocks exceed the modulus by 256 bits, so the reduction bias is below 2^-255
    expect(VDF_HASH_TO_GROUP_BLOCKS * 256 - VDF_MODULUS_BITS).toBe(256);
    expect(TRIAL_DIVISION_BOUND).toBe(2 ** 14);
    // π(2^14) = 1900 primes below 16384, 1899 of them odd (the chapter's count)
    expect(TRIAL_PRIMES.length).toBe(1899);
    expect(TRIAL_PRIMES[0]).toBe(3);
    expect(TRIAL_PRIMES[TRIAL_PRIMES.length - 1]).toBe(16381);
    expect(new Set([VDF_DST_HASH_TO_GROUP, VDF_DST_HASH_TO_PRIME, VDF_DST_OUTPUT]).size).toBe(3);
    expect([VDF_DST_HASH_TO_GROUP.length, VDF_DST_HASH_TO_PRIME.length, VDF_DST_OUTPUT.length]).toEqual([
      43, 43, 36,
    ]);
    for (const dst of [VDF_DST_HASH_TO_GROUP, VDF_DST_HASH_TO_PRIME, VDF_DST_OUTPUT])
      expect(dst).toMatch(/^[ -~]+$/);
  });
});
