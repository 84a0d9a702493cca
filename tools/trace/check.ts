import type { Citation, Repository } from "./scan.ts";

export interface ChapterCoverage {
  readonly chapter: string;
  readonly rules: number;
  readonly implemented: number;
  readonly tested: number;
  readonly inVectors: number;
  readonly covered: number;
  readonly errorCodes: number;
}

export interface TraceReport {
  readonly problems: readonly string[];
  readonly chapters: readonly ChapterCoverage[];
}

const where = (c: { file: string; line: number }): string => `${c.file}:${c.line}`;

function tagSet(citations: readonly Citation[]): Set<string> {
  return new Set(citations.map((c) => c.tag));
}

/** Applies the traceability rules of spec/00-overview.md §0.4 and §0.5. */
export function checkTraceability(repo: Repository): TraceReport {
  const problems: string[] = [];
  const defined = new Map<string, { file: string; line: number; chapter: string }>();
  for (const rule of repo.spec.rules) {
    const earlier = defined.get(rule.tag);
    if (earlier) problems.push(`duplicate tag ${rule.tag}: ${where(earlier)} and ${where(rule)}`);
    else defined.set(rule.tag, rule);
  }
  const citedUnknown = (kind: string, list: readonly Citation[]): void => {
    for (const c of list)
      if (!defined.has(c.tag)) problems.push(`${kind} cites undefined tag ${c.tag} at ${where(c)}`);
  };
  citedUnknown("code", repo.implementations);
  citedUnknown("test", repo.tests);
  citedUnknown("vector", repo.vectors);

  const implemented = tagSet(repo.implementations);
  const tested = tagSet(repo.tests);
  const inVectors = tagSet(repo.vectors);
  for (const [tag, rule] of defined) {
    if (!implemented.has(tag)) problems.push(`rule ${tag} (${where(rule)}) has no code citing it with @spec`);
    if (!tested.has(tag) && !inVectors.has(tag)) {
      problems.push(`rule ${tag} (${where(rule)}) is covered by no test (@covers) and no vector`);
    }
  }

  const listed = new Map<string, { file: string; line: number }>();
  for (const entry of repo.spec.errorCodes) {
    const earlier = listed.get(entry.code);
    if (earlier)
      problems.push(`error code ${entry.code} listed twice: ${where(earlier)} and ${where(entry)}`);
    else listed.set(entry.code, entry);
  }
  const raised = new Set<string>();
  for (const c of repo.raisedCodes) {
    raised.add(c.tag);
    if (!listed.has(c.tag))
      problems.push(`error code ${c.tag} raised at ${where(c)} is in no chapter's error table`);
  }
  for (const [code, entry] of listed) {
    if (!raised.has(code))
      problems.push(`error code ${code} listed at ${where(entry)} is raised by no reference code`);
  }

  const chapters = new Map<string, ChapterCoverage>();
  for (const [tag, rule] of defined) {
    const row = chapters.get(rule.chapter) ?? {
      chapter: rule.chapter,
      rules: 0,
      implemented: 0,
      tested: 0,
      inVectors: 0,
      covered: 0,
      errorCodes: 0,
    };
    chapters.set(rule.chapter, {
      ...row,
      rules: row.rules + 1,
      implemented: row.implemented + (implemented.has(tag) ? 1 : 0),
      tested: row.tested + (tested.has(tag) ? 1 : 0),
      inVectors: row.inVectors + (inVectors.has(tag) ? 1 : 0),
      covered: row.covered + (tested.has(tag) || inVectors.has(tag) ? 1 : 0),
    });
  }
  for (const entry of repo.spec.errorCodes) {
    const chapter = entry.file.replace(/^.*\//, "").replace(/\.md$/, "");
    const row = chapters.get(chapter);
    if (row) chapters.set(chapter, { ...row, errorCodes: row.errorCodes + 1 });
  }
  const sorted = [...chapters.values()].sort((a, b) => a.chapter.localeCompare(b.chapter));
  return { problems, chapters: sorted };
}

export function formatCoverageTable(chapters: readonly ChapterCoverage[]): string {
  const header = ["chapter", "rules", "implemented", "tested", "in vectors", "covered", "error codes"];
  const rows = chapters.map((c) => [
    c.chapter,
    String(c.rules),
    String(c.implemented),
    String(c.tested),
    String(c.inVectors),
    String(c.covered),
    String(c.errorCodes),
  ]);
  const total = chapters.reduce(
    (sum, c) => ({
      rules: sum.rules + c.rules,
      implemented: sum.implemented + c.implemented,
      tested: sum.tested + c.tested,
      inVectors: sum.inVectors + c.inVectors,
      covered: sum.covered + c.covered,
      errorCodes: sum.errorCodes + c.errorCodes,
    }),
    { rules: 0, implemented: 0, tested: 0, inVectors: 0, covered: 0, errorCodes: 0 },
  );
  rows.push([
    "total",
    String(total.rules),
    String(total.implemented),
    String(total.tested),
    String(total.inVectors),
    String(total.covered),
    String(total.errorCodes),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}
