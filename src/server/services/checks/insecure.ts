/** The insecure-code rules (rules.ts) on a proposal's added lines. */
import type { CheckFinding } from '../../../shared/checks';
import type { ProposedFile } from './addedLines';
import { codeOf, languageOf, type CheckLanguage } from './languages';
import { INSECURE_RULES, MAX_LINE, type InsecureRule, type RulePattern } from './rules';

interface Compiled {
  rule: InsecureRule;
  patterns: RulePattern[];
}

const BY_LANGUAGE = new Map<CheckLanguage, Compiled[]>();

function rulesFor(language: CheckLanguage): Compiled[] {
  let compiled = BY_LANGUAGE.get(language);
  if (!compiled) {
    compiled = INSECURE_RULES.map((rule) => ({
      rule,
      patterns: rule.patterns.filter((p) => p.languages === 'all' || p.languages.includes(language)),
    })).filter((c) => c.patterns.length > 0);
    BY_LANGUAGE.set(language, compiled);
  }
  return compiled;
}

/** At most one finding per rule and line; files in a language no rule knows get none. */
export function insecureFindings(file: ProposedFile): CheckFinding[] {
  const language = languageOf(file.path);
  if (!language || file.added.length === 0) return [];
  const rules = rulesFor(language);
  const codeCache = new Map<number, string>();
  const code = (index: number): string => {
    let text = codeCache.get(index);
    if (text === undefined) {
      text = codeOf((file.lines[index] ?? '').slice(0, MAX_LINE), language);
      codeCache.set(index, text);
    }
    return text;
  };
  const findings: CheckFinding[] = [];
  for (const index of file.added) {
    const line = code(index);
    if (line.trim().length === 0) continue;
    for (const { rule, patterns } of rules) {
      if (patterns.some((pattern) => fires(pattern, line, index, rule.window, code, file.lines.length))) {
        findings.push({ rule: rule.id, severity: rule.severity, path: file.path, line: index + 1, why: rule.why, fix: rule.fix });
      }
    }
  }
  return findings;
}

function fires(pattern: RulePattern, line: string, index: number, window: number, code: (i: number) => string, count: number): boolean {
  if (!pattern.match.test(line)) return false;
  if (pattern.also && !pattern.also.test(line)) return false;
  if (pattern.unless?.test(line)) return false;
  const near = pattern.near;
  if (!near) return true;
  for (let i = Math.max(0, index - window); i <= Math.min(count - 1, index + window); i++) {
    if (near.test(code(i))) return true;
  }
  return false;
}
