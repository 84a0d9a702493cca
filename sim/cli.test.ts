import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { MINIMAL } from "../reference/params/presets.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const run = promisify(execFile);

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run simulate -- ...args` as a user would, without npm's own output. */
async function simulate(...args: string[]): Promise<Outcome> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "sim/cli.ts", ...args], {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (caught) {
    const failed = caught as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof failed.code !== "number") throw caught;
    return { code: failed.code, stdout: failed.stdout ?? "", stderr: failed.stderr ?? "" };
  }
}

/** The per-block lines of the table: height, view, leader, hash prefix, finality, messages, bytes. */
const BLOCK_LINE = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(0x[0-9a-f]{8})\s+(\d+) ms\s+(\d+)\s+(\d+)$/;

describe("npm run simulate", () => {
  it("runs the default committee: 4 honest validators decide 10 blocks and every checker holds", async () => {
    const { code, stdout, stderr } = await simulate();
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const blocks = stdout
      .split("\n")
      .map((line) => BLOCK_LINE.exec(line))
      .filter((match) => match !== null);
    expect(blocks.map((match) => Number(match[1]))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // §6.8 with n = 4 and no faults: the leader broadcasts announce, prepared and committed to the 3 others,
    // and each of the 3 others sends it one prepare and one commit: 5 · 3 messages per block.
    for (const match of blocks) expect(Number(match[6])).toBe(15);
    expect(stdout).toMatch(/^\s+messages\s+150 \(/m);
    // FBFT-LEADER.1 with the minimal preset's leaderTerm of 2: the leader of view v is (v div 2) mod 4.
    for (const match of blocks) expect(Number(match[3])).toBe(Math.floor(Number(match[2]) / 2) % 4);
    const verdicts = stdout.slice(stdout.indexOf("\ncheckers\n")).match(/ (holds|VIOLATED) /g);
    expect(verdicts).toHaveLength(8);
    expect(new Set(verdicts)).toEqual(new Set([" holds "]));
  });

  it.concurrent.each([
    [["--validators", "four"], "--validators"],
    [["--validators", "0"], "--validators"],
    [["--byzantine", "4"], "--byzantine"],
    [["--adversary", "gremlin"], "--adversary"],
    [["--drop", "1"], "--drop"],
    [["--drop", "-0.1"], "--drop"],
    [["--seed", "1.5"], "--seed"],
    [["--blocks", ""], "--blocks"],
    [["--weights", "3,0,1,1"], "--weights"],
    [["--validators", "5", "--weights", "1,1,1,1"], "--weights"],
    [["--speed", "9"], "--speed"],
    [["--shard", "2"], "--shard"],
    [["--shards", "3", "--adversary", "twins"], "--shards"],
    [["--cross-shard", "2"], "--cross-shard"],
    [["--atomic-every", "2"], "--atomic-every"],
    [["--shards", "0"], "--shards"],
    [["--shard", "0", "--weights", "1,1,1,2"], "--weights"],
  ])("refuses %j with exit status 2 and a message naming %s", async (args, flag) => {
    const { code, stdout, stderr } = await simulate(...args);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    const firstLine = stderr.split("\n")[0]!;
    expect(firstLine).toMatch(/^simulate: /);
    expect(firstLine).toContain(flag);
    expect(stderr).toContain("usage: npm run simulate");
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it("prints the same bytes for the same flags, and a different run for another seed", async () => {
    const flags = ["--byzantine", "1", "--adversary", "replayer", "--blocks", "3", "--drop", "0.1"];
    const first = await simulate(...flags, "--seed", "7");
    const second = await simulate(...flags, "--seed", "7");
    const other = await simulate(...flags, "--seed", "8");
    expect(first.code).toBe(0);
    expect(second).toEqual(first);
    expect(other.stdout).not.toBe(first.stdout);
    const json = await simulate(...flags, "--seed", "7", "--json");
    const report = JSON.parse(json.stdout) as {
      options: { seed: number; drop: number };
      blocks: { height: number; hash: string }[];
      summary: { blocksDecided: number };
    };
    expect(report.options).toMatchObject({ seed: 7, drop: 0.1 });
    expect(report.summary.blocksDecided).toBe(3);
    expect(report.blocks.map((block) => block.height)).toEqual([1, 2, 3]);
    for (const block of report.blocks) expect(first.stdout).toContain(block.hash.slice(0, 10));
  });

  it("runs the beacon chain with --shard 0: each epoch commits and reveals, and a grinding leader gets no vote", async () => {
    const args = ["--shard", "0", "--blocks", "13", "--byzantine", "1", "--adversary", "grinding-leader"];
    const { code, stdout } = await simulate(...args);
    expect(code).toBe(0);
    const epochs = stdout.match(
      /^ {2}epoch \d+: committed at height (\d+) in view (\d+) by members ([\d,]+), .*; (.*)$/gm,
    );
    expect(epochs).toHaveLength(2);
    // Member 0 leads view 1 and proposes too late for the members' windows: height 1 commits in a later view.
    expect(stdout).toMatch(/epoch 0: committed at height 1 in view [2-9] /);
    expect(stdout).toMatch(/epoch 1: committed at height 9 /);
    expect(stdout).toMatch(/DRG_WINDOW_CLOSED ×\d+/);
    expect(stdout).toMatch(/^\s+commitWindow\s+holds /m);
    const json = JSON.parse((await simulate(...args, "--json")).stdout) as {
      randomness: { epoch: string; rnd: string | null }[];
    };
    expect(json.randomness.map((e) => e.epoch)).toEqual(["0", "1"]);
    for (const epoch of json.randomness) expect(epoch.rnd).toMatch(/^0x[0-9a-f]{64}$/);
  });

  it("runs several shards with --shards: each decides, receipts are credited once, value is conserved", async () => {
    const { code, stdout } = await simulate("--shards", "3", "--blocks", "6", "--cross-shard", "1");
    expect(code).toBe(0);
    const rows = stdout
      .split("\n")
      .map((line) =>
        /^\s+(\d+)\s+(\d+)\s+(beacon|\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+agreement, validity hold$/.exec(
          line,
        ),
      )
      .filter((match) => match !== null);
    expect(rows.map((m) => Number(m[1]))).toEqual([0, 1, 2]);
    for (const m of rows) expect(Number(m[2])).toBeGreaterThanOrEqual(6);
    // A block's crosslink reaches the beacon chain after the block is final: at most a few heights behind.
    for (const m of rows.slice(1)) expect(Number(m[3])).toBeGreaterThanOrEqual(Number(m[2]) - 3);
    // One transfer per proposal leaves each shard, and every shard credits receipts.
    for (const m of rows) expect(Number(m[5])).toBeGreaterThanOrEqual(Number(m[2]) - 1);
    for (const m of rows) expect(Number(m[6])).toBeGreaterThan(0);
    // The genesis committees mint nothing: the shards hold their geneses' supply with what is in flight.
    const genesisSupply = BigInt(MINIMAL.genesisAccountsPerShard) * MINIMAL.genesisBalance;
    const inFlight = BigInt(/^in flight (\d+) atto/m.exec(stdout)![1]!);
    expect(rows.reduce((sum, m) => sum + BigInt(m[4]!), inFlight)).toBe(3n * genesisSupply);
    expect(stdout).toMatch(/^conservation\s+holds /m);
    expect(stdout).toMatch(/^exactlyOnce\s+holds /m);
    expect(stdout).toMatch(/^atomicity\s+holds +\d+ committed/m);
  });

  it("exits 1 and prints the violation when 2 of 4 Byzantine members fork the chain", async () => {
    // An equivocating leader and a colluding double voter hold half the power: more than the third FBFT
    // tolerates, so each half of the honest members can finalize a different block at height 1.
    const args = ["--validators", "4", "--byzantine", "2", "--adversary", "equivocating-leader"];
    const { code, stdout } = await simulate(...args, "--blocks", "1", "--seed", "2");
    expect(code).toBe(1);
    expect(stdout).toMatch(/^\s+agreement\s+VIOLATED /m);
    expect(stdout).toMatch(/^violated: .*agreement/m);
    expect(stdout).toContain("counterexample:");
    const json = await simulate(...args, "--blocks", "1", "--seed", "2", "--json");
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as { checkers: Record<string, { holds: boolean }> };
    expect(report.checkers.agreement!.holds).toBe(false);
  });
});
