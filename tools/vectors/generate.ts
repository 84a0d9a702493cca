import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { RUNNERS } from "../conformance/runners/index.ts";
import { listFiles } from "../trace/scan.ts";
import { buildVectors } from "./build.ts";

const root = fileURLToPath(new URL("../..", import.meta.url));
const outDir = join(root, "conformance-vectors");
const specVersion = (JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version: string })
  .version;
const generated = buildVectors(RUNNERS, specVersion);
// Everything in the folder but its hand-written README is generated.
const onDisk = new Set(
  listFiles(outDir, (p) => !p.endsWith("/conformance-vectors/README.md")).map((p) => relative(outDir, p)),
);

if (process.argv.includes("--check")) {
  const problems: string[] = [];
  for (const [path, content] of generated) {
    if (!onDisk.has(path)) problems.push(`missing: ${path}`);
    else if (readFileSync(join(outDir, path), "utf8") !== content) problems.push(`differs: ${path}`);
  }
  for (const path of onDisk) if (!generated.has(path)) problems.push(`stale: ${path}`);
  if (problems.length > 0) {
    console.error(`conformance-vectors/ is out of date with the reference (${problems.length} file(s)):`);
    for (const p of problems.slice(0, 20)) console.error(`  ${p}`);
    console.error("run `npm run vectors` and commit the result");
    process.exit(1);
  }
  console.log(`vectors: ${generated.size} files match the reference`);
} else {
  for (const path of onDisk) if (!generated.has(path)) rmSync(join(outDir, path));
  for (const [path, content] of generated) {
    mkdirSync(dirname(join(outDir, path)), { recursive: true });
    writeFileSync(join(outDir, path), content);
  }
  console.log(`vectors: wrote ${generated.size} files to conformance-vectors/`);
}
