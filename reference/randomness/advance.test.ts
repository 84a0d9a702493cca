import { describe, expect, it } from "vitest";
import {
  aggregateProofOf,
  beaconCommittee,
  commitFieldOf,
  pRndFromAggregate,
} from "../../tools/testing/drgFixtures.ts";
import { resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { vdfEvaluate } from "../crypto/vdf/evaluate.ts";
import { unwrap } from "../errors.ts";
import { MINIMAL, type Preset } from "../params/presets.ts";
import { type DrgHeader, type DrgState, drgAdvance, drgEpochStart } from "./advance.ts";
import { drgSeed } from "./seed.ts";

const FAST: Preset = { ...MINIMAL, vdfIterations: 16n };
const SIM = beaconCommittee([1n, 1n, 1n, 1n]);
const EMPTY = new Uint8Array(0);

/** A header of epoch 1 of the minimal preset (heights 8 … 15; commit at 9, reveal at 12). */
function header(number: bigint, changes: Partial<DrgHeader> = {}): DrgHeader {
  return {
    shardId: 0,
    number,
    viewId: number + 5n,
    parentHash: new Uint8Array(32).fill(Number(number)),
    vrf: EMPTY,
    vdf: EMPTY,
    ...changes,
  };
}

const COMMIT_SEED = drgSeed({ blockNum: 9n, viewId: 14n, parentHash: new Uint8Array(32).fill(9) }, FAST);
const VRF = commitFieldOf(SIM, [0, 1], COMMIT_SEED);
const PRND = pRndFromAggregate(aggregateProofOf(SIM, [0, 1], COMMIT_SEED));
const EVALUATION = unwrap(vdfEvaluate(PRND, 16n));
const VDF = new Uint8Array([...EVALUATION.y, ...EVALUATION.proof]);

const advance = (state: DrgState, h: DrgHeader) => drgAdvance(state, h, SIM.committee, FAST, blstBls);

describe("DRG-ADVANCE", () => {
  // @covers DRG-ADVANCE.1
  it("walks an epoch: pRnd at the commit block, Rnd at the reveal block, a fresh state at the next epoch", () => {
    let state = drgEpochStart(0n);
    const seen: string[] = [];
    for (let n = 8n; n <= 16n; n++) {
      const h = n === 9n ? header(n, { vrf: VRF }) : n === 12n ? header(n, { vdf: VDF }) : header(n);
      state = unwrap(advance(state, h));
      seen.push(`${n}:${state.epoch}:${state.pRnd !== null}:${state.rnd !== null}`);
    }
    expect(seen).toEqual([
      "8:1:false:false",
      "9:1:true:false",
      "10:1:true:false",
      "11:1:true:false",
      "12:1:true:true",
      "13:1:true:true",
      "14:1:true:true",
      "15:1:true:true",
      "16:2:false:false",
    ]);
    const afterReveal = unwrap(
      advance(unwrap(advance(drgEpochStart(1n), header(9n, { vrf: VRF }))), header(12n, { vdf: VDF })),
    );
    expect(afterReveal).toEqual({ epoch: 1n, pRnd: PRND, rnd: EVALUATION.output });
  });

  // @covers DRG-ADVANCE.1
  it("rejects fields a block's role does not allow, and missing ones", () => {
    const start = drgEpochStart(1n);
    const committed = unwrap(advance(start, header(9n, { vrf: VRF })));
    expect(resultCode(advance(start, header(10n, { vrf: VRF })))).toBe("DRG_FIELD_UNEXPECTED");
    expect(resultCode(advance(start, header(10n, { vdf: VDF })))).toBe("DRG_FIELD_UNEXPECTED");
    expect(resultCode(advance(start, header(9n, { vrf: VRF, vdf: VDF })))).toBe("DRG_FIELD_UNEXPECTED");
    expect(resultCode(advance(start, header(9n)))).toBe("DRG_COMMIT_MISSING");
    expect(resultCode(advance(committed, header(12n, { vrf: VRF, vdf: VDF })))).toBe("DRG_FIELD_UNEXPECTED");
    expect(resultCode(advance(committed, header(12n)))).toBe("DRG_REVEAL_MISSING");
    expect(resultCode(advance(start, header(12n, { vdf: VDF })))).toBe("DRG_NO_COMMITMENT");
    // A state of epoch 0 with a pRnd does not carry over into epoch 1.
    expect(resultCode(advance({ ...committed, epoch: 0n }, header(12n, { vdf: VDF })))).toBe(
      "DRG_NO_COMMITMENT",
    );
  });

  // @covers DRG-ADVANCE.1
  it("checks the commitment against the block's own view and parent, and the reveal against the epoch's pRnd", () => {
    const start = drgEpochStart(1n);
    expect(resultCode(advance(start, header(9n, { vrf: VRF, viewId: 15n })))).toBe("DRG_BAD_AGGREGATE");
    expect(resultCode(advance(start, header(9n, { vrf: VRF, parentHash: new Uint8Array(32) })))).toBe(
      "DRG_BAD_AGGREGATE",
    );
    const other = unwrap(advance(start, header(9n, { vrf: commitFieldOf(SIM, [2, 3], COMMIT_SEED) })));
    expect(resultCode(advance(other, header(12n, { vdf: VDF })))).toBe("VDF_PROOF_INVALID");
  });

  // @covers DRG-ADVANCE.1
  it("other shards carry nothing, and a rejected header leaves the state as it was", () => {
    const committed = unwrap(advance(drgEpochStart(1n), header(9n, { vrf: VRF })));
    expect(unwrap(advance(committed, header(9n, { shardId: 1 })))).toEqual(committed);
    expect(resultCode(advance(committed, header(9n, { shardId: 1, vrf: VRF })))).toBe("DRG_FIELD_UNEXPECTED");
    const copy = { ...committed, pRnd: Uint8Array.from(committed.pRnd!) };
    expect(resultCode(advance(committed, header(12n, { vdf: new Uint8Array(512) })))).not.toBe("(accepted)");
    expect(committed).toEqual(copy);
  });
});
