import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { referenceTarget } from "./referenceTarget.ts";
import { rpcTarget } from "./rpcTarget.ts";
import { formatRunReport, runVectors } from "./run.ts";
import { RUNNERS } from "./runners/index.ts";
import type { Target } from "./types.ts";

const USAGE = `usage: harmony-conformance [--vectors DIR] [--target reference|rpc:URL] [--preset NAME] [--runner NAME]

Runs the conformance vectors against a target and reports pass / fail / skipped per runner: the in-process
reference, or a node over JSON-RPC that implements the conformance_* namespace (spec §14.3), such as
rpc:http://127.0.0.1:8545/.
Exit status: 0 when nothing failed, 1 when a vector failed or the vector set is damaged, 2 on bad usage.`;

function main(): number {
  let values: { vectors?: string; target?: string; preset?: string; runner?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      options: {
        vectors: { type: "string" },
        target: { type: "string" },
        preset: { type: "string" },
        runner: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    }));
  } catch (caught) {
    console.error(`harmony-conformance: ${(caught as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const targets: Record<string, Target> = { reference: referenceTarget(RUNNERS) };
  const named = values.target ?? "reference";
  const target = named.startsWith("rpc:") ? rpcTarget(named.slice(4)) : targets[named];
  if (!target) {
    console.error(
      `harmony-conformance: unknown target ${values.target} (known: ${Object.keys(targets).join(", ")}, rpc:URL)`,
    );
    return 2;
  }
  const dir = values.vectors ?? join(fileURLToPath(new URL("../..", import.meta.url)), "conformance-vectors");
  const knownRunners = RUNNERS.map((r) => r.name);
  if (values.runner !== undefined && !knownRunners.includes(values.runner)) {
    console.error(`harmony-conformance: unknown runner ${values.runner} (known: ${knownRunners.join(", ")})`);
    return 2;
  }
  void runVectors(dir, target, { knownRunners, preset: values.preset, runner: values.runner }).then(
    (report) => {
      console.log(formatRunReport(report));
      const failed = report.problems.length + report.runners.reduce((n, r) => n + r.fail, 0);
      process.exitCode = failed > 0 ? 1 : 0;
    },
  );
  return 0;
}

process.exitCode = main();
