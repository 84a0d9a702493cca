import { describe, expect, it } from "vitest";
import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import { unwrap } from "../../reference/errors.ts";
import { memoizedBls } from "./blsCache.ts";

// @covers BLS-BACKENDS.1

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const secretKeys = [1, 2, 3].map((i) => new Uint8Array(32).fill(i));
const publicKeys = secretKeys.map((sk) => unwrap(blstBls.secretToPublic(sk)));
const message = utf8("payload");
const signatures = secretKeys.map((sk) => unwrap(blstBls.sign(sk, message)));
const aggregate = unwrap(blstBls.aggregateSignatures(signatures));

/** blst, counting the verifications that reach it. */
function counting(): { backend: BlsBackend; calls: () => number } {
  let calls = 0;
  return {
    backend: {
      ...blstBls,
      verify: (...args) => {
        calls++;
        return blstBls.verify(...args);
      },
      fastAggregateVerify: (...args) => {
        calls++;
        return blstBls.fastAggregateVerify(...args);
      },
    },
    calls: () => calls,
  };
}

describe("memoizedBls", () => {
  it("returns what blst returns: valid, invalid and malformed inputs", () => {
    const cached = memoizedBls();
    const malformed = new Uint8Array(96).fill(0xff);
    const cases: [Uint8Array, Uint8Array, Uint8Array][] = [
      [publicKeys[0]!, message, signatures[0]!],
      [publicKeys[0]!, utf8("other"), signatures[0]!],
      [publicKeys[1]!, message, signatures[0]!],
      [publicKeys[0]!, message, malformed],
    ];
    for (const [publicKey, payload, signature] of cases) {
      const expected = blstBls.verify(publicKey, payload, signature);
      expect(cached.verify(publicKey, payload, signature)).toEqual(expected);
      expect(cached.verify(publicKey, payload, signature)).toEqual(expected);
    }
    expect(cached.verify(publicKeys[0]!, message, malformed).ok).toBe(false);
    expect(cached.fastAggregateVerify(publicKeys, message, aggregate)).toEqual({ ok: true, value: true });
    expect(cached.fastAggregateVerify(publicKeys.slice(1), message, aggregate)).toEqual({
      ok: true,
      value: false,
    });
  });

  it("asks the inner back end once per distinct question, recognising keys by content", () => {
    const inner = counting();
    const cached = memoizedBls(inner.backend);
    cached.fastAggregateVerify(publicKeys, message, aggregate);
    cached.fastAggregateVerify(
      publicKeys.map((key) => key.slice()),
      message,
      aggregate,
    );
    expect(inner.calls()).toBe(1);
    cached.fastAggregateVerify(publicKeys.slice(0, 2), message, aggregate);
    cached.verify(publicKeys[0]!, message, signatures[0]!);
    cached.verify(publicKeys[0]!, message.slice(), signatures[0]!.slice());
    expect(inner.calls()).toBe(3);
  });

  it("forgets the oldest verdict beyond its capacity", () => {
    const inner = counting();
    const cached = memoizedBls(inner.backend, 1);
    cached.verify(publicKeys[0]!, message, signatures[0]!);
    cached.verify(publicKeys[1]!, message, signatures[1]!);
    cached.verify(publicKeys[0]!, message, signatures[0]!);
    expect(inner.calls()).toBe(3);
  });
});
