import type { BenchSuite } from "../harness.ts";
import { suite as bls } from "./bls.ts";
import { suite as consensus } from "./consensus.ts";
import { suite as ledger } from "./ledger.ts";
import { suite as trie } from "./trie.ts";
import { suite as vdf } from "./vdf.ts";

export const SUITES: readonly BenchSuite[] = [bls, vdf, trie, ledger, consensus];
