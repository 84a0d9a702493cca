import { describe, expect, it } from "vitest";
import { freshAddress, genesis, nextBlock, transfer } from "../../tools/testing/ledgerChains.ts";
import { thrownCode } from "../../tools/testing/specErrors.ts";
import { parseWith } from "../encoding/json.ts";
import { MINIMAL } from "../params/presets.ts";
import {
  AccountJsonOutput,
  CxReceiptJsonOutput,
  cxReceiptToJson,
  HeaderJson,
  HeaderJsonOutput,
  headerToJson,
  ReceiptJsonOutput,
  receiptToJson,
  StateJson,
  stateToJson,
} from "./ledgerJson.ts";
import { stateFromList } from "./state.ts";

describe("JSON forms of chapter 5", () => {
  const built = nextBlock(
    genesis(MINIMAL, 0),
    [transfer(MINIMAL, { shard: 0, index: 0 }, 0n, freshAddress(1), 3n, { toShard: 1 })],
    MINIMAL,
  );

  // @covers HEADER-FIELDS.2 STATE-MAP.1 RECEIPT-FORMAT.1 RECEIPT-CX-FORMAT.1
  it("writes what the output schemas accept and reads it back", () => {
    const header = headerToJson(built.block.header);
    HeaderJsonOutput.parse(header);
    expect(parseWith(HeaderJson, header)).toEqual(built.block.header);
    const state = stateToJson(built.state.accounts);
    for (const a of state) AccountJsonOutput.parse(a);
    const reread = stateFromList(parseWith(StateJson, state));
    expect(reread.ok && reread.value).toEqual(built.state.accounts);
    // Sorted by address.
    expect([...state.map((a) => a.address)].sort()).toEqual(state.map((a) => a.address));
    ReceiptJsonOutput.parse(receiptToJson(built.receipts[0]!));
    CxReceiptJsonOutput.parse(cxReceiptToJson(built.outgoingReceipts[0]!));
  });

  // @covers HEADER-FIELDS.2
  it("reads byte fields of any length (the rule checks them) and rejects bad forms with JSON codes", () => {
    const header = headerToJson(built.block.header);
    expect(thrownCode(() => parseWith(HeaderJson, { ...header, parentHash: "0x00" }))).toBe("(accepted)");
    expect(thrownCode(() => parseWith(HeaderJson, { ...header, number: "01" }))).toBe(
      "JSON_DECIMAL_MALFORMED",
    );
    expect(thrownCode(() => parseWith(HeaderJson, { ...header, vrf: "0xABCD" }))).toBe("JSON_HEX_MALFORMED");
    expect(thrownCode(() => parseWith(HeaderJson, { ...header, shardId: "0" }))).toBe("JSON_SCHEMA");
    const { slashes: _, ...missing } = header;
    expect(thrownCode(() => parseWith(HeaderJson, missing))).toBe("JSON_SCHEMA");
    expect(thrownCode(() => parseWith(HeaderJson, { ...header, bloom: "0x" }))).toBe("JSON_SCHEMA");
  });
});
