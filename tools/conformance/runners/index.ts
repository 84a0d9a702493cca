import type { RunnerDef } from "../types.ts";
import { runner as consensus } from "./consensus.ts";
import { runner as crossshard } from "./crossshard.ts";
import { runner as crypto } from "./crypto.ts";
import { runner as encoding } from "./encoding.ts";
import { runner as ledger } from "./ledger.ts";
import { runner as network } from "./network.ts";
import { runner as randomness } from "./randomness.ts";
import { runner as rewards } from "./rewards.ts";
import { runner as sharding } from "./sharding.ts";
import { runner as staking } from "./staking.ts";
import { runner as trie } from "./trie.ts";

/** Every runner the conformance vectors may name. A vector naming any other runner fails the run. */
export const RUNNERS: readonly RunnerDef[] = [
  encoding,
  trie,
  crypto,
  ledger,
  consensus,
  staking,
  randomness,
  sharding,
  rewards,
  crossshard,
  network,
];
