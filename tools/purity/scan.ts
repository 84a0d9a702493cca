/**
 * The reference must be pure (DESIGN.md, "Rules of the reference code"): no host modules, no clock, no
 * timers, no ambient randomness, no module-level mutable state. This finds violations in source text.
 */
const FORBIDDEN: readonly { readonly pattern: RegExp; readonly why: string }[] = [
  { pattern: /\bfrom\s+["']node:/, why: "imports a node: module" },
  { pattern: /\bimport\(\s*["']node:/, why: "imports a node: module" },
  {
    pattern: /\bfrom\s+["'](?:fs|path|os|crypto|child_process|net|http|https|worker_threads|timers)["']/,
    why: "imports a Node built-in",
  },
  { pattern: /\brequire\(/, why: "uses require" },
  { pattern: /\bDate\b/, why: "reads the clock (Date)" },
  { pattern: /\bperformance\s*\./, why: "reads the clock (performance)" },
  { pattern: /\b(?:setTimeout|setInterval|setImmediate|queueMicrotask)\s*\(/, why: "uses a timer" },
  { pattern: /\bMath\.random\b/, why: "uses Math.random" },
  { pattern: /\bgetRandomValues\b|\brandomBytes\b/, why: "draws ambient randomness" },
  { pattern: /\bprocess\s*\./, why: "reads the process environment" },
  { pattern: /^(?:export\s+)?(?:let|var)\s/, why: "declares module-level mutable state" },
];

export interface PurityViolation {
  readonly file: string;
  readonly line: number;
  readonly why: string;
  readonly text: string;
}

export function findPurityViolations(file: string, source: string): PurityViolation[] {
  const out: PurityViolation[] = [];
  const lines = source.split("\n");
  let inBlockComment = false;
  for (let i = 0; i < lines.length; i++) {
    let line = lines[i]!;
    if (inBlockComment) {
      const end = line.indexOf("*/");
      if (end < 0) continue;
      line = line.slice(end + 2);
      inBlockComment = false;
    }
    line = line.replace(/\/\*.*?\*\//g, "");
    const start = line.indexOf("/*");
    if (start >= 0) {
      line = line.slice(0, start);
      inBlockComment = true;
    }
    const code = line.replace(/\/\/.*$/, "");
    for (const rule of FORBIDDEN) {
      if (rule.pattern.test(code)) out.push({ file, line: i + 1, why: rule.why, text: lines[i]!.trim() });
    }
  }
  return out;
}
