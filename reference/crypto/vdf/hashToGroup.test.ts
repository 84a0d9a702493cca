import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { vdfHashToGroup } from "./hashToGroup.ts";
import { VDF_HALF_MODULUS, VDF_MODULUS } from "./params.ts";

const N = VDF_MODULUS;

function sha256(...parts: (Buffer | Uint8Array)[]): Buffer {
  const hash = createHash("sha256");
  for (const part of parts) hash.update(part);
  return hash.digest();
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** H2G of spec/03-vdf.md §3.6, written again with Node's SHA-256 and Buffer arithmetic. */
function independentHashToGroup(seed: Uint8Array): bigint {
  const s = sha256(Buffer.from("HARMONY-VDF-RSA2048-SHA256-V1-HASH-TO-GROUP", "ascii"), seed);
  for (let c = 0; ; c++) {
    const blocks: Buffer[] = [];
    for (let i = 0; i < 9; i++) blocks.push(sha256(s, u32(c), u32(i)));
    const u = BigInt(`0x${Buffer.concat(blocks).toString("hex")}`) % N;
    const x = u < N - u ? u : N - u;
    if (x >= 2n) return x;
  }
}

describe("hash to group", () => {
  // @covers VDF-HASH-TO-GROUP.1
  it("matches an independent implementation of H2G on fixed and random seeds", () => {
    const fixed = [
      new Uint8Array(0),
      new Uint8Array([0]),
      new Uint8Array(32).map((_, i) => i),
      new Uint8Array(300),
    ];
    for (const seed of fixed) expect(vdfHashToGroup(seed)).toBe(independentHashToGroup(seed));
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (seed) => {
        expect(vdfHashToGroup(seed)).toBe(independentHashToGroup(seed));
      }),
      { numRuns: 100 },
    );
  });

  // @covers VDF-HASH-TO-GROUP.1 VDF-GROUP.1
  it("returns a canonical representative in [2, (N − 1) / 2], different for different seeds", () => {
    const seen = new Set<bigint>();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (seed) => {
        const x = vdfHashToGroup(seed);
        expect(x >= 2n && x <= VDF_HALF_MODULUS).toBe(true);
        expect(vdfHashToGroup(seed)).toBe(x);
        seen.add(x);
      }),
      { numRuns: 100 },
    );
    // seeds that differ only in length or order map to different elements
    const a = vdfHashToGroup(new Uint8Array([1]));
    const b = vdfHashToGroup(new Uint8Array([1, 0]));
    const c = vdfHashToGroup(new Uint8Array([0, 1]));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(seen.size).toBeGreaterThan(1);
  });
});
