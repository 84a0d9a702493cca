import {
  encodeScalar,
  expectRlpBytes,
  expectRlpList,
  type RlpItem,
  rlpDecodeOrThrow,
  rlpEncode,
  rlpShapeReader,
  scalarToBytes,
} from "../encoding/rlp.ts";
import { attempt, type Result, SpecError, unwrap } from "../errors.ts";
import type { BlockHeader } from "../ledger/header.ts";
import {
  type CxReceipt,
  type CxShardRoot,
  cxReceiptsTo,
  cxRootOfShardRoots,
  cxShardRoots,
  decodeCxReceipt,
  encodeCxReceipt,
} from "../ledger/receipt.ts";
import { UINT32_BOUND } from "../ledger/transactionFields.ts";
import { bytesEqual } from "../ledger/validateHeader.ts";
import { proveInclusion, verifyProof } from "../trie/proof.ts";
import { orderedListEntries } from "../trie/trieRoot.ts";

/*
 * Receipt proofs (§12.4): that one outgoing receipt is committed by a source block's header, for one destination.
 */

/**
 * A receipt proof for a destination shard: every destination's root of the source block, the receipt's
 * position among the receipts bound for the destination, its encoding, and the trie proof of that position.
 *
 * @spec CX-PROOF-FORMAT.1
 */
export interface CxReceiptProof {
  readonly roots: readonly CxShardRoot[];
  readonly index: number;
  readonly receipt: Uint8Array;
  readonly nodes: readonly Uint8Array[];
}

/**
 * The proof of the `index`-th receipt bound for `destination` among a block's outgoing receipts.
 *
 * @spec CX-PROOF-FORMAT.1
 */
export function proveCxReceipt(
  outgoing: readonly CxReceipt[],
  destination: number,
  index: number,
): CxReceiptProof {
  const bound = cxReceiptsTo(outgoing, destination).map(encodeCxReceipt);
  if (!Number.isInteger(index) || index < 0 || index >= bound.length) {
    throw new RangeError(`no receipt ${index} among the ${bound.length} bound for shard ${destination}`);
  }
  return {
    roots: cxShardRoots(outgoing),
    index,
    receipt: bound[index]!,
    nodes: unwrap(proveInclusion(orderedListEntries(bound), encodeScalar(BigInt(index)))),
  };
}

/** The RLP item of a receipt proof: [[[shard, root], …], index, receipt, [node, …]]. @spec CX-PROOF-FORMAT.1 */
export function cxReceiptProofItem(proof: CxReceiptProof): RlpItem {
  return [
    proof.roots.map((part) => [scalarToBytes(BigInt(part.shard)), part.root]),
    scalarToBytes(BigInt(proof.index)),
    proof.receipt,
    [...proof.nodes],
  ];
}

/** The wire form: the encoding of cxReceiptProofItem. @spec CX-PROOF-FORMAT.1 */
export function encodeCxReceiptProof(proof: CxReceiptProof): Uint8Array {
  return rlpEncode(cxReceiptProofItem(proof));
}

const read = rlpShapeReader((what) => new SpecError("CX_PROOF_MALFORMED", what));

/**
 * Reads a receipt proof: RLP-DECODE.1's and RLP-SCALAR.1's codes, RLP_EXPECTED_LIST or RLP_EXPECTED_BYTES for an
 * item of the wrong kind, CX_PROOF_MALFORMED for any other departure from the form.
 *
 * @spec CX-PROOF-FORMAT.1
 */
export function decodeCxReceiptProof(bytes: Uint8Array): Result<CxReceiptProof> {
  return attempt(() => cxReceiptProofOfItem(rlpDecodeOrThrow(bytes)));
}

/**
 * Reads a receipt proof from its RLP item, as an incoming entry carries it (CX-ENTRY-FORMAT.2); throws the codes of
 * decodeCxReceiptProof but RLP-DECODE.1's.
 *
 * @spec CX-PROOF-FORMAT.1
 */
export function cxReceiptProofOfItem(item: RlpItem): CxReceiptProof {
  const [roots, index, receipt, nodes] = read.list(item, "receipt proof", 4) as RlpItem[];
  return {
    roots: expectRlpList(roots!, "roots").map((part, i) => {
      const [shard, root] = read.list(part, `roots[${i}]`, 2) as RlpItem[];
      return {
        shard: Number(read.scalarBelow(shard!, `roots[${i}] shard`, UINT32_BOUND)),
        root: read.bytes(root!, `roots[${i}] root`, 32),
      };
    }),
    index: Number(read.scalarBelow(index!, "index", UINT32_BOUND)),
    receipt: expectRlpBytes(receipt!, "receipt"),
    nodes: expectRlpList(nodes!, "nodes").map((node, i) => expectRlpBytes(node, `nodes[${i}]`)),
  };
}

/**
 * CX-INCLUSION(P, H, d) (L1–L8): the receipt the proof shows bound for `destination` in the block whose header
 * is `header`.
 *
 * @spec CX-INCLUSION.1
 */
export function verifyCxInclusion(
  proof: CxReceiptProof,
  header: BlockHeader,
  destination: number,
): Result<CxReceipt> {
  return attempt(() => {
    for (let i = 1; i < proof.roots.length; i++) {
      if (proof.roots[i]!.shard <= proof.roots[i - 1]!.shard) {
        throw new SpecError("CX_ROOTS_UNSORTED", `roots[${i}] is not after roots[${i - 1}]`); // L1
      }
    }
    if (!bytesEqual(cxRootOfShardRoots(proof.roots), header.outgoingReceiptRoot)) {
      throw new SpecError("CX_ROOT_MISMATCH", "the roots do not give the header's outgoing receipt root"); // L2
    }
    const part = proof.roots.find((p) => p.shard === destination);
    if (part === undefined) {
      throw new SpecError("CX_NOT_FOR_SHARD", `the source block has no receipt for shard ${destination}`); // L3
    }
    const value = unwrap(verifyProof(part.root, encodeScalar(BigInt(proof.index)), proof.nodes)); // CX-INCLUSION L4
    if (value === null || !bytesEqual(value, proof.receipt)) {
      throw new SpecError("CX_RECEIPT_NOT_PROVEN", `position ${proof.index} does not hold the receipt`); // L5
    }
    const receipt = unwrap(decodeCxReceipt(proof.receipt)); // CX-INCLUSION L6
    if (receipt.fromShard !== header.shardId || receipt.toShard !== destination) {
      throw new SpecError(
        "CX_RECEIPT_WRONG_SHARDS",
        `a receipt from ${receipt.fromShard} to ${receipt.toShard} in a block of ${header.shardId} for ${destination}`,
      ); // L7
    }
    return receipt; // CX-INCLUSION L8
  });
}
