import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

/** The tag grammar of spec/00-overview.md §0.4. */
export const TAG_PATTERN = "[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\\.[1-9][0-9]*";
const DEFINITION = new RegExp(`\\*\\*\\[(${TAG_PATTERN})\\]\\*\\*`, "g");
const CODE_CITATION = new RegExp(`@spec\\s+((?:${TAG_PATTERN}[\\s,]*)+)`, "g");
const TEST_CITATION = new RegExp(`@covers\\s+((?:${TAG_PATTERN}[\\s,]*)+)`, "g");
const ANY_TAG = new RegExp(TAG_PATTERN, "g");
const ERROR_ROW = /^\|\s*`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)`\s*\|/;
const RAISED_CODE = /(?:new SpecError|\berr)\(\s*"([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)"/g;

export interface Location {
  readonly file: string;
  readonly line: number;
}

export interface RuleDefinition extends Location {
  readonly tag: string;
  readonly chapter: string;
}

export interface Citation extends Location {
  readonly tag: string;
}

export interface SpecIndex {
  readonly rules: readonly RuleDefinition[];
  /** Error codes listed in each chapter's error-code table. */
  readonly errorCodes: readonly (Location & { readonly code: string })[];
}

export function listFiles(root: string, accept: (path: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      if (name === "node_modules" || name.startsWith(".")) continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (accept(path)) out.push(path);
    }
  };
  walk(root);
  return out;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function scanSpecText(file: string, text: string): SpecIndex {
  const chapter = file.replace(/^.*\//, "").replace(/\.md$/, "");
  const rules: RuleDefinition[] = [];
  for (const match of text.matchAll(DEFINITION)) {
    rules.push({ tag: match[1]!, chapter, file, line: lineOf(text, match.index) });
  }
  const errorCodes: (Location & { code: string })[] = [];
  const lines = text.split("\n");
  let inErrorSection = false;
  for (let i = 0; i < lines.length; i++) {
    const heading = /^#+\s+(.*)$/.exec(lines[i]!);
    if (heading) inErrorSection = /^(?:[\d.]+\s+)?Error codes\b/i.test(heading[1]!);
    const row = inErrorSection ? ERROR_ROW.exec(lines[i]!) : null;
    if (row) errorCodes.push({ code: row[1]!, file, line: i + 1 });
  }
  return { rules, errorCodes };
}

function citations(pattern: RegExp, file: string, text: string): Citation[] {
  const out: Citation[] = [];
  for (const match of text.matchAll(pattern)) {
    const line = lineOf(text, match.index);
    for (const tag of match[1]!.matchAll(ANY_TAG)) out.push({ tag: tag[0], file, line });
  }
  return out;
}

export function scanCodeText(file: string, text: string): { citations: Citation[]; raised: Citation[] } {
  const raised: Citation[] = [];
  for (const match of text.matchAll(RAISED_CODE)) {
    raised.push({ tag: match[1]!, file, line: lineOf(text, match.index) });
  }
  return { citations: citations(CODE_CITATION, file, text), raised };
}

export function scanTestText(file: string, text: string): Citation[] {
  return citations(TEST_CITATION, file, text);
}

export function scanVectorText(file: string, text: string): Citation[] {
  const parsed = JSON.parse(text) as { meta?: { tags?: unknown } };
  const tags = parsed.meta?.tags;
  if (!Array.isArray(tags)) return [];
  return tags.filter((tag): tag is string => typeof tag === "string").map((tag) => ({ tag, file, line: 1 }));
}

export interface Repository {
  readonly spec: SpecIndex;
  readonly implementations: readonly Citation[];
  readonly raisedCodes: readonly Citation[];
  readonly tests: readonly Citation[];
  readonly vectors: readonly Citation[];
}

const isTest = (path: string): boolean => path.endsWith(".test.ts");

export function scanRepository(root: string): Repository {
  const rel = (path: string): string => relative(root, path);
  const rules: RuleDefinition[] = [];
  const errorCodes: (Location & { code: string })[] = [];
  for (const path of listFiles(join(root, "spec"), (p) => p.endsWith(".md"))) {
    const index = scanSpecText(rel(path), readFileSync(path, "utf8"));
    rules.push(...index.rules);
    errorCodes.push(...index.errorCodes);
  }
  const implementations: Citation[] = [];
  const raisedCodes: Citation[] = [];
  // The reference implements the protocol's rules; the node shell the rules of its interfaces (chapter 14).
  for (const dir of ["reference", "node"]) {
    for (const path of listFiles(join(root, dir), (p) => p.endsWith(".ts") && !isTest(p))) {
      const scanned = scanCodeText(rel(path), readFileSync(path, "utf8"));
      implementations.push(...scanned.citations);
      raisedCodes.push(...scanned.raised);
    }
  }
  const tests: Citation[] = [];
  // The traceability check's own tests cite made-up tags on purpose, as fixtures.
  const isCoverageTest = (path: string): boolean => isTest(path) && !path.includes("/tools/trace/");
  for (const dir of ["reference", "properties", "sim", "tools", "node", "spec"]) {
    for (const path of listFiles(join(root, dir), isCoverageTest)) {
      tests.push(...scanTestText(rel(path), readFileSync(path, "utf8")));
    }
  }
  const vectors: Citation[] = [];
  const vectorRoot = join(root, "conformance-vectors");
  for (const path of listFiles(vectorRoot, (p) => p.endsWith(".json") && !p.includes("/schema/"))) {
    if (path.endsWith("manifest.json")) continue;
    vectors.push(...scanVectorText(rel(path), readFileSync(path, "utf8")));
  }
  return { spec: { rules, errorCodes }, implementations, raisedCodes, tests, vectors };
}
