/** The languages the insecure-code rules know, told from a file's extension (docs/checks.md). */

export const CHECK_LANGUAGES = ['js', 'python', 'go', 'java', 'csharp', 'ruby', 'php', 'shell'] as const;
export type CheckLanguage = (typeof CHECK_LANGUAGES)[number];

const BY_EXTENSION: Readonly<Record<string, CheckLanguage>> = {
  js: 'js', jsx: 'js', mjs: 'js', cjs: 'js', ts: 'js', tsx: 'js', mts: 'js', cts: 'js', vue: 'js', svelte: 'js',
  py: 'python', pyw: 'python',
  go: 'go',
  java: 'java', kt: 'java', kts: 'java', scala: 'java', groovy: 'java',
  cs: 'csharp', cshtml: 'csharp', razor: 'csharp',
  rb: 'ruby', rake: 'ruby', erb: 'ruby',
  php: 'php', phtml: 'php',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell',
};

const BY_NAME: Readonly<Record<string, CheckLanguage>> = { Rakefile: 'ruby', Gemfile: 'ruby', Dockerfile: 'shell', Makefile: 'shell' };

export function languageOf(path: string): CheckLanguage | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const byName = BY_NAME[name];
  if (byName) return byName;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return undefined;
  return BY_EXTENSION[name.slice(dot + 1).toLowerCase()];
}

/** Whole-line comments: `//`/`/*`/`*` in C-like languages, `#` in the others (PHP has both). */
const LINE_COMMENT: Readonly<Record<CheckLanguage, RegExp>> = {
  js: /^\s*(?:\/\/|\/\*|\*)/,
  go: /^\s*(?:\/\/|\/\*|\*)/,
  java: /^\s*(?:\/\/|\/\*|\*)/,
  csharp: /^\s*(?:\/\/|\/\*|\*)/,
  php: /^\s*(?:\/\/|\/\*|\*|#(?!\[))/,
  python: /^\s*#/,
  ruby: /^\s*#/,
  shell: /^\s*#/,
};

/** A trailing comment's start: `//` or `#` after a space (so no URL or `#{` interpolation); checked for quotes by `codeOf`. */
const TRAILING: Readonly<Record<CheckLanguage, RegExp>> = {
  js: /\s\/\/\s/,
  go: /\s\/\/\s/,
  java: /\s\/\/\s/,
  csharp: /\s\/\/\s/,
  php: /\s(?:\/\/|#)\s/,
  python: /\s#\s/,
  ruby: /\s#\s/,
  shell: /\s#\s/,
};

/**
 * The code of a line with comments removed: '' for a comment line, the line
 * up to a trailing comment when the quotes before it are balanced (so a
 * `#` inside a string stays). Cheap, not a parser: a rule may still see a
 * comment inside a block comment's middle lines that don't start with `*`.
 */
export function codeOf(line: string, language: CheckLanguage): string {
  if (LINE_COMMENT[language].test(line)) return '';
  const trailing = TRAILING[language].exec(line);
  if (trailing && balancedQuotes(line.slice(0, trailing.index))) return line.slice(0, trailing.index);
  return line;
}

function balancedQuotes(text: string): boolean {
  let single = 0;
  let double = 0;
  let back = 0;
  for (const ch of text) {
    if (ch === "'") single++;
    else if (ch === '"') double++;
    else if (ch === '`') back++;
  }
  return single % 2 === 0 && double % 2 === 0 && back % 2 === 0;
}
