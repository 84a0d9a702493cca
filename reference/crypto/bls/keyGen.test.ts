import * as blst from "@chainsafe/blst";
import { describe, expect, it } from "vitest";
import { bytesFromHex, bytesToHex } from "../../encoding/json.ts";
import { unwrap } from "../../errors.ts";
import { keyGen } from "./keyGen.ts";

// EIP-2333 test cases 0–3: derive_master_SK(seed) is HKDF_mod_r(seed), which is KeyGen(IKM = seed, key_info = "")
// of draft-irtf-cfrg-bls-signature-05 §2.3. Seeds and master keys as published in EIP-2333.
const EIP2333 = [
  {
    seed: "0xc55257c360c07c72029aebc1b53c05ed0362ada38ead3e3e9efa3708e53495531f09a6987599d18264c1e1c92f2cf141630c7a3c4ab7c81b2f001698e7463b04",
    master: 6083874454709270928345386274498605044986640685124978867557563392430687146096n,
  },
  {
    seed: "0x3141592653589793238462643383279502884197169399375105820974944592",
    master: 29757020647961307431480504535336562678282505419141012933316116377660817309383n,
  },
  {
    seed: "0x0099ff991111002299dd7744ee3355bbdd8844115566cc55663355668888cc00",
    master: 27580842291869792442942448775674722299803720648445448686099262467207037398656n,
  },
  {
    seed: "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3",
    master: 19022158461524446591288038168518313374041767046816487870552872741050760015818n,
  },
];

describe("KeyGen", () => {
  // @covers BLS-KEYGEN.1
  it("matches the EIP-2333 master keys", () => {
    for (const vector of EIP2333) {
      const sk = unwrap(keyGen(bytesFromHex(vector.seed)));
      expect(BigInt(bytesToHex(sk))).toBe(vector.master);
    }
  });

  // @covers BLS-KEYGEN.1
  it("matches blst's KeyGen with and without key_info", () => {
    const ikm = new Uint8Array(40);
    for (let i = 0; i < ikm.length; i++) ikm[i] = (i * 37 + 11) & 0xff;
    const info = new TextEncoder().encode("harmony");
    expect(bytesToHex(unwrap(keyGen(ikm)))).toBe(bytesToHex(blst.SecretKey.fromKeygen(ikm).toBytes()));
    expect(bytesToHex(unwrap(keyGen(ikm, info)))).toBe(
      bytesToHex(blst.SecretKey.fromKeygen(ikm, info).toBytes()),
    );
  });

  // @covers BLS-KEYGEN.1
  it("rejects IKM shorter than 32 bytes", () => {
    const result = keyGen(new Uint8Array(31));
    expect(result.ok ? "" : result.error.code).toBe("BLS_KEYGEN_IKM_SHORT");
  });
});
