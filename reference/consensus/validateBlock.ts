import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import type { LedgerState } from "../ledger/applyBlock.ts";
import type { Block } from "../ledger/block.ts";
import { bytesEqual, validateHeaderOrThrow } from "../ledger/validateHeader.ts";
import { verifyHeaderCertificate } from "./certificate.ts";
import { applyChainBlock } from "./chain.ts";
import type { ConsensusConfig, Transition } from "./state.ts";

/**
 * VALIDATE-BLOCK(S, B) (L1–L3): the block with hash `hash` (its header's hash, computed by the caller) must
 * extend the node's ledger (CHAIN-APPLY: on shard 0 by the beacon rules); returns the ledger after it. A block is validated once per height: the result
 * is remembered by hash and a later call returns it without applying the block again. Raises the codes of
 * HEADER-VALIDATE.1, QC-HEADER.1 and BLOCK-APPLY.3, on shard 0 also SHARD-BEACON-BLOCK.3.
 *
 * @spec FBFT-VALIDATE-BLOCK.2
 */
export function validateBlock(
  config: ConsensusConfig,
  t: Transition,
  hash: Uint8Array,
  block: Block,
): LedgerState {
  const key = bytesToHex(hash);
  const known = t.state.validated.get(key);
  if (known !== undefined) return known.ledger;
  const ledger = t.state.ledger;
  validateHeaderOrThrow(block.header, ledger.head, config.preset); // VALIDATE-BLOCK L1
  if (!carriesHeadCertificate(t, block)) {
    unwrap(verifyHeaderCertificate(block.header, ledger.head, config.committee, config.bls)); // L2
  }
  const after = applyChainBlock(config, ledger, block); // VALIDATE-BLOCK L3
  rememberValidated(t, hash, block, after);
  return after;
}

/**
 * Records that the block with hash `hash` extends the node's ledger to `ledger`: by VALIDATE-BLOCK, or by the
 * leader that built it (BUILD-BLOCK returns only blocks that APPLY-BLOCK accepts with the same result).
 *
 * @spec FBFT-VALIDATE-BLOCK.2
 */
export function rememberValidated(t: Transition, hash: Uint8Array, block: Block, ledger: LedgerState): void {
  const validated = new Map(t.state.validated);
  validated.set(bytesToHex(hash), { block, ledger });
  t.state = { ...t.state, validated };
}

/**
 * Whether the header carries exactly the commit certificate this node finalized its head with. That
 * certificate passed QC-VERIFY for the head's COMMIT payload when the node accepted it (or was aggregated
 * from verified commits), so QC-HEADER L4 would verify it again for the same payload and committee: the
 * pairing is skipped. Block 1 always goes through QC-HEADER L1–L3.
 */
function carriesHeadCertificate(t: Transition, block: Block): boolean {
  const cert = t.state.headCert;
  if (cert === null || t.state.ledger.head.number === 0n) return false;
  return (
    bytesEqual(block.header.lastCommitSignature, cert.signature) &&
    bytesEqual(block.header.lastCommitBitmap, cert.bitmap)
  );
}
