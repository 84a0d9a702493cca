#!/usr/bin/env node
// npm leaves out of package-lock.json the optional platform packages (native binaries for other operating
// systems and CPUs) that the registry it installed from could not serve; `npm ci` then rejects the lock as
// out of sync. This adds an entry for each missing one, marked optional and restricted to its platform, so
// that `npm ci` accepts the lock and installs the same tree on every platform.
// Run after any `npm install` that changes dependencies: `node tools/lockfile/complete-optional.mjs`.
import { readFileSync, writeFileSync } from "node:fs";

const OS = /(android|darwin|freebsd|linux|win32|openbsd|netbsd|sunos|aix|openharmony)/;
const CPU = /(arm64|x64|ia32|arm|loong64|ppc64|riscv64|s390x|mips64el|wasm32)/;

const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
const packages = lock.packages;
let added = 0;
for (const [path, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    const nested = `${path ? `${path}/` : ""}node_modules/${name}`;
    const top = `node_modules/${name}`;
    if (packages[nested] || packages[top]) continue;
    const leaf = name.split("/").pop();
    const os = OS.exec(leaf)?.[1];
    const cpu = CPU.exec(leaf)?.[1];
    const placeholder = { version, optional: true };
    if (entry.dev) placeholder.dev = true;
    if (os) placeholder.os = [os];
    if (cpu) placeholder.cpu = [cpu];
    if (leaf.includes("musl")) placeholder.libc = ["musl"];
    else if (os === "linux" && leaf.includes("gnu")) placeholder.libc = ["glibc"];
    packages[top] = placeholder;
    added++;
  }
}
const sorted = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === "" ? -1 : b === "" ? 1 : a < b ? -1 : a > b ? 1 : 0)),
);
writeFileSync("package-lock.json", `${JSON.stringify({ ...lock, packages: sorted }, null, 2)}\n`);
console.log(`package-lock.json: added ${added} optional platform package entries`);
