import { describe, expect, it } from "vitest";
import { apply, createNet, type Net, run, sentOfType, tryStep } from "../../tools/testing/consensusNet.ts";
import { addressOf, freshAddress, transfer } from "../../tools/testing/ledgerChains.ts";
import { ACCEPTED, resultCode } from "../../tools/testing/specErrors.ts";
import { blstBls } from "../crypto/bls/blst.ts";
import { bytesToHex } from "../encoding/json.ts";
import { unwrap } from "../errors.ts";
import { decodeBlock } from "../ledger/block.ts";
import { getAccount } from "../ledger/state.ts";
import { MINIMAL } from "../params/presets.ts";
import { step } from "./step.ts";

const hex = bytesToHex;
const EQUAL_4 = [1n, 1n, 1n, 1n];

/** A network whose proposal requests are not answered, so that a test proposes by hand. */
function idle(): Net {
  const net = createNet({ preset: MINIMAL, powers: EQUAL_4, bls: blstBls, maxHeight: 0n });
  run(net);
  return net;
}

function propose(viewId: bigint, time: bigint, transactions: ReturnType<typeof transfer>[] = []) {
  return { kind: "propose" as const, viewId, transactions, crossLinks: [], incoming: [], time };
}

describe("ON-PROPOSE", () => {
  // @covers FBFT-PROPOSE.4
  it("lets only the leader of the current view propose, in normal mode, once", () => {
    const net = idle();
    expect(resultCode(tryStep(net, 1, propose(1n, 5n)))).toBe("FBFT_NOT_PROPOSER");
    expect(resultCode(tryStep(net, 0, propose(2n, 5n)))).toBe("FBFT_NOT_PROPOSER");
    const follower = { ...net.configs[0]!, me: null, secretKey: null };
    expect(resultCode(step(follower, net.states[0]!, propose(1n, 5n)))).toBe("FBFT_NOT_PROPOSER");
    expect(apply(net, 0, propose(1n, 5n), "propose")).toBeNull();
    expect(resultCode(tryStep(net, 0, propose(1n, 6n)))).toBe("FBFT_ALREADY_PROPOSED");
    const changing = idle();
    expect(apply(changing, 0, { kind: "timeout", viewId: 1n }, "timeout")).toBeNull();
    expect(resultCode(tryStep(changing, 0, propose(1n, 5n)))).toBe("FBFT_NOT_PROPOSER");
  });

  // @covers FBFT-PROPOSE.4
  it("builds on the head with the view, a later time, no certificate at block 1, and counts its own vote", () => {
    const net = idle();
    // The genesis time of the minimal preset is 0: a clock reading of 0 becomes 1.
    expect(apply(net, 0, propose(1n, 0n), "propose")).toBeNull();
    const announce = sentOfType(net, 0, "announce")[0]!;
    const block = unwrap(decodeBlock(announce.block, MINIMAL));
    expect([block.header.number, block.header.viewId, block.header.time]).toEqual([1n, 1n, 1n]);
    expect(hex(block.header.lastCommitSignature)).toBe(hex(new Uint8Array(96)));
    expect(block.header.lastCommitBitmap.length).toBe(0);
    expect(hex(block.header.coinbase)).toBe(hex(new Uint8Array(20)));
    expect(net.states[0]!.prepares.power.get(hex(announce.blockHash))).toBe(1n);
    expect(hex(net.states[0]!.votedPrepare.get(1n)!)).toBe(hex(announce.blockHash));

    const later = idle();
    expect(apply(later, 0, propose(1n, 50n), "propose")).toBeNull();
    expect(unwrap(decodeBlock(sentOfType(later, 0, "announce")[0]!.block, MINIMAL)).header.time).toBe(50n);
  });

  // @covers FBFT-PROPOSE.4 FBFT-FINALIZE.2
  it("carries the driver's transactions into the decided block and the head certificate into the next", () => {
    const sender = { shard: 1, index: 0 };
    const net = createNet({
      preset: MINIMAL,
      powers: EQUAL_4,
      bls: blstBls,
      maxHeight: 2n,
      transactionsAt: (height) => [transfer(MINIMAL, sender, height - 1n, freshAddress(1), 5n)],
    });
    run(net);
    const [first, second] = net.finalized[2]!;
    expect(first!.block.transactions.length).toBe(1);
    expect(second!.block.transactions.length).toBe(1);
    expect(hex(second!.block.header.lastCommitSignature)).toBe(hex(first!.committed.certificate.signature));
    expect(hex(second!.block.header.lastCommitBitmap)).toBe(hex(first!.committed.certificate.bitmap));
    const accounts = net.states[2]!.ledger.accounts;
    expect(getAccount(accounts, freshAddress(1)).balance).toBe(10n);
    expect(getAccount(accounts, addressOf(sender)).nonce).toBe(2n);
  });

  // @covers FBFT-PROPOSE.4
  it("refuses transactions the block could not apply, and proposes nothing", () => {
    const net = idle();
    const wrongNonce = transfer(MINIMAL, { shard: 1, index: 0 }, 3n, freshAddress(1), 5n);
    expect(resultCode(tryStep(net, 0, propose(1n, 5n, [wrongNonce])))).toBe("ACCOUNT_NONCE_MISMATCH");
    expect(resultCode(tryStep(net, 0, propose(1n, 5n)))).toBe(ACCEPTED);
  });
});
