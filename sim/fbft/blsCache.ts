import type { BlsBackend } from "../../reference/crypto/bls/backend.ts";
import { blstBls } from "../../reference/crypto/bls/blst.ts";
import type { Result } from "../../reference/errors.ts";

/** How many verdicts a cache keeps before it forgets the oldest (insertion order). */
const DEFAULT_CAPACITY = 200_000;

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
}

/**
 * A BlsBackend that remembers the verdicts of `verify` and `fastAggregateVerify` (the result, a verdict or
 * the SpecError of a malformed input, exactly as the inner back end returned it), keyed by the public keys,
 * the message and the signature bytes. Every other operation goes straight to the inner back end.
 *
 * In a simulated committee every member checks the same announce signature and the same certificates, so
 * all but the first check of each are answered from memory: a faster path behind the BlsBackend interface,
 * legitimate because a verdict is a function of its inputs alone. Public keys are interned to small numbers
 * (by object identity first, then by content) so that the key of a 1000-signer certificate stays short; a
 * caller must therefore not modify a public key's bytes after passing it in.
 */
export function memoizedBls(inner: BlsBackend = blstBls, capacity = DEFAULT_CAPACITY): BlsBackend {
  const keyIdsByObject = new WeakMap<Uint8Array, number>();
  const keyIdsByContent = new Map<string, number>();
  const verdicts = new Map<string, Result<boolean>>();

  const keyId = (publicKey: Uint8Array): number => {
    const known = keyIdsByObject.get(publicKey);
    if (known !== undefined) return known;
    const content = hex(publicKey);
    let id = keyIdsByContent.get(content);
    if (id === undefined) {
      id = keyIdsByContent.size;
      keyIdsByContent.set(content, id);
    }
    keyIdsByObject.set(publicKey, id);
    return id;
  };

  const remember = (key: string, compute: () => Result<boolean>): Result<boolean> => {
    const known = verdicts.get(key);
    if (known !== undefined) return known;
    const verdict = compute();
    if (verdicts.size >= capacity) {
      const oldest = verdicts.keys().next();
      if (oldest.done !== true) verdicts.delete(oldest.value);
    }
    verdicts.set(key, verdict);
    return verdict;
  };

  return {
    ...inner,
    name: `${inner.name}+memo`,
    verify: (publicKey, message, signature) =>
      remember(`v${keyId(publicKey)}|${hex(message)}|${hex(signature)}`, () =>
        inner.verify(publicKey, message, signature),
      ),
    fastAggregateVerify: (publicKeys, message, signature) => {
      let ids = "";
      for (const publicKey of publicKeys) ids += `${keyId(publicKey)},`;
      return remember(`f${ids}|${hex(message)}|${hex(signature)}`, () =>
        inner.fastAggregateVerify(publicKeys, message, signature),
      );
    },
  };
}
