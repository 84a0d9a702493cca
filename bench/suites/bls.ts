import { sha256 } from "@noble/hashes/sha2.js";
import { aggregateSignerKeys, encodeBitmap } from "../../reference/crypto/bitmap.ts";
import type { BlsBackend, SignatureSet } from "../../reference/crypto/bls/backend.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { nobleBls } from "../../reference/crypto/bls/noble.ts";
import { bytesToHex } from "../../reference/encoding/json.ts";
import { type Result, unwrap } from "../../reference/errors.ts";
import { sampleSecretKey } from "../../tools/testing/blsSamples.ts";
import { type BenchSuite, type Measurement, measure, ratio, type SuiteResult } from "../harness.ts";

const COMMITTEE = 256;
const BATCH = 64;
const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

/** The consensus check of a commit: aggregate the keys the bitmap marks, then verify the aggregate signature. */
function verifyBitmapSignature(
  bls: BlsBackend,
  committee: readonly Uint8Array[],
  bitmap: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  const aggregate = unwrap(aggregateSignerKeys(committee, bitmap, bls));
  return unwrap(bls.verify(aggregate.publicKey, message, signature));
}

function verdict(result: Result<boolean>): string {
  return result.ok ? String(result.value) : result.error.code;
}

export const suite: BenchSuite = {
  name: "bls",
  description:
    "BLS back ends: single Verify, a 256-signer commit check (bitmap → aggregate key → Verify) and batch verification of 64 sets, noble (reference) vs blst (native)",
  async run(): Promise<SuiteResult> {
    // Set-up uses the native back end for speed; the checks below confirm both back ends agree on it.
    const secretKeys = Array.from({ length: COMMITTEE }, (_, i) =>
      sampleSecretKey(`bench committee member ${i}`),
    );
    const committee = secretKeys.map((sk) => unwrap(blstBls.secretToPublic(sk)));
    const message = sha256(utf8("bench block hash"));
    const signatures = secretKeys.map((sk) => unwrap(blstBls.sign(sk, message)));
    const aggregate = unwrap(blstBls.aggregateSignatures(signatures));
    const bitmap = unwrap(
      encodeBitmap(
        COMMITTEE,
        Array.from({ length: COMMITTEE }, (_, i) => i),
      ),
    );
    const tampered = unwrap(blstBls.aggregateSignatures(signatures.slice(1)));

    const sets: SignatureSet[] = secretKeys.slice(0, BATCH).map((sk, i) => {
      const m = sha256(utf8(`bench message ${i}`));
      return { publicKey: committee[i]!, message: m, signature: unwrap(blstBls.sign(sk, m)) };
    });
    const randomness = sha256(utf8("bench batch randomness"));
    const badSets = sets.map((set, i) => (i === 17 ? { ...set, signature: sets[18]!.signature } : set));

    const checks: { name: string; pass: boolean; detail: string }[] = [];
    const check = (name: string, actual: string, expected: string): void => {
      const shown = actual.length > 24 ? `${actual.slice(0, 24)}…` : actual;
      checks.push({
        name,
        pass: actual === expected,
        detail: actual === expected ? shown : `got ${actual}, expected ${expected}`,
      });
    };
    check(
      "noble and blst derive the same keys",
      bytesToHex(unwrap(nobleBls.secretToPublic(secretKeys[0]!))),
      bytesToHex(committee[0]!),
    );
    check(
      "noble and blst aggregate to the same signature",
      bytesToHex(unwrap(nobleBls.aggregateSignatures(signatures))),
      bytesToHex(aggregate),
    );
    for (const bls of [nobleBls, blstBls]) {
      check(
        `${bls.name}: single verify accepts`,
        verdict(bls.verify(committee[0]!, message, signatures[0]!)),
        "true",
      );
      check(
        `${bls.name}: single verify rejects a wrong signature`,
        verdict(bls.verify(committee[0]!, message, signatures[1]!)),
        "false",
      );
      check(
        `${bls.name}: 256-signer commit accepts`,
        String(verifyBitmapSignature(bls, committee, bitmap, message, aggregate)),
        "true",
      );
      check(
        `${bls.name}: 256-signer commit rejects a tampered aggregate`,
        String(verifyBitmapSignature(bls, committee, bitmap, message, tampered)),
        "false",
      );
      check(`${bls.name}: batch of 64 accepts`, verdict(bls.verifyBatch(sets, randomness)), "true");
      check(
        `${bls.name}: batch of 64 rejects one swapped signature`,
        verdict(bls.verifyBatch(badSets, randomness)),
        "false",
      );
    }

    const measurements: Measurement[] = [];
    const single: Record<string, Measurement> = {};
    const commit: Record<string, Measurement> = {};
    const batch: Record<string, Measurement> = {};
    for (const bls of [nobleBls, blstBls]) {
      single[bls.name] = await measure(
        `verify (${bls.name})`,
        () => bls.verify(committee[0]!, message, signatures[0]!),
        {
          minIterations: 5,
          minMs: 500,
        },
      );
      commit[bls.name] = await measure(
        `256-signer commit check (${bls.name})`,
        () => verifyBitmapSignature(bls, committee, bitmap, message, aggregate),
        { minIterations: 3, minMs: 1000 },
      );
      batch[bls.name] = await measure(
        `batch verify 64 sets (${bls.name})`,
        () => bls.verifyBatch(sets, randomness),
        {
          minIterations: 3,
          minMs: 1000,
        },
      );
      measurements.push(single[bls.name]!, commit[bls.name]!, batch[bls.name]!);
    }
    return {
      measurements,
      ratios: [
        ratio("verify noble/blst", single.noble!, single.blst!),
        ratio("256-signer commit check noble/blst", commit.noble!, commit.blst!, 10),
        ratio("batch verify 64 noble/blst", batch.noble!, batch.blst!),
      ],
      checks,
    };
  },
};
