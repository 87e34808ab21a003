/**
 * Syntax highlighting with highlight.js core and a deliberate set of common
 * languages (the full bundle would add ~900 KB to the webview), plus the
 * mapping from a fence's info string to a VS Code language id for "Insert".
 *
 * The grammars are registered on first use, not when the script loads:
 * registering runs each grammar's definition (about 5-30 ms for all of them),
 * which would lengthen the task that opens the view.
 */
import bash from 'highlight.js/lib/languages/bash';
import c from 'highlight.js/lib/languages/c';
import cpp from 'highlight.js/lib/languages/cpp';
import csharp from 'highlight.js/lib/languages/csharp';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import markdown from 'highlight.js/lib/languages/markdown';
import plaintext from 'highlight.js/lib/languages/plaintext';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import shell from 'highlight.js/lib/languages/shell';
import sql from 'highlight.js/lib/languages/sql';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';
import type { HLJSApi, Language, LanguageFn } from 'highlight.js';

/** highlight.js's core loads on first use too (esbuild runs a require()d module when the call runs). */
declare const require: (id: 'highlight.js/lib/core') => unknown;

/**
 * A begin pattern part longer than this is replaced (see `leanJava`). Java's
 * declaration patterns spell out generic type arguments nested two deep
 * (about 6,000 characters each), and compiling them made Java's first
 * highlight cost 40-50 ms in Chromium, a whole frame (other grammars'
 * long parts are word lists, which compile fast: CSS's first highlight
 * costs about 6 ms).
 */
export const MAX_PATTERN_PART_CHARS = 1_000;
/**
 * Generic type arguments and array brackets, then the space before the name
 * (what the long part matched): one starred class, so it cannot backtrack
 * badly, and no capturing group, so the parts after it keep their numbers.
 */
const TYPE_ARGUMENTS = /(?:\s*<[\w$\s,.?&<>[\]\u00C0-\u02B8]*>)?(?:\s*\[\s*\])*\s+/;

/** Java's grammar with each over-long begin part replaced by TYPE_ARGUMENTS (it highlights the same declarations). */
export function leanJava(api: HLJSApi): Language {
  const language = java(api);
  for (const mode of language.contains ?? []) {
    if (typeof mode === 'object' && Array.isArray(mode.begin)) {
      mode.begin = mode.begin.map((part) => (patternSource(part).length > MAX_PATTERN_PART_CHARS ? TYPE_ARGUMENTS : part));
    }
  }
  return language;
}

function patternSource(part: string | RegExp): string {
  return typeof part === 'string' ? part : part.source;
}

/** The grammars registered, by highlight.js name. */
export const GRAMMARS: Readonly<Record<string, LanguageFn>> = {
  bash, c, cpp, csharp, css, diff, go, java: leanJava, javascript, json, markdown, plaintext, python, rust, shell, sql, typescript, xml, yaml,
};

let hljs: HLJSApi | undefined;

/** highlight.js with the grammars registered (on the first call). */
function grammars(): HLJSApi {
  if (!hljs) {
    hljs = require('highlight.js/lib/core') as HLJSApi;
    for (const [name, grammar] of Object.entries(GRAMMARS)) {
      hljs.registerLanguage(name, grammar);
    }
    // Common spellings the grammars do not alias themselves.
    hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });
    hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });
  }
  return hljs;
}

/** highlight.js names whose VS Code language id differs. */
const vscodeIds: Record<string, string> = {
  bash: 'shellscript',
  shell: 'shellscript',
  xml: 'xml',
  markdown: 'markdown',
};

/** Fence info aliases VS Code knows under a different id than highlight.js would give. */
const infoToVscodeId: Record<string, string> = {
  html: 'html', xhtml: 'html', svg: 'xml', tsx: 'typescriptreact', jsx: 'javascriptreact', jsonc: 'jsonc', console: 'shellscript',
  sh: 'shellscript', zsh: 'shellscript', shellsession: 'shellscript', ps1: 'powershell', powershell: 'powershell', dockerfile: 'dockerfile',
};

/** The first word of a fence info string, lower-cased: "ts {1,3}" → "ts". */
export function fenceLanguage(info: string): string {
  return info.trim().split(/\s+/, 1)[0]?.toLowerCase() ?? '';
}

/** The registered highlight.js language for a fence language, if any. */
export function highlightLanguage(lang: string): string | undefined {
  if (!lang) {
    return undefined;
  }
  const api = grammars();
  const grammar = api.getLanguage(lang);
  if (!grammar) {
    return undefined;
  }
  // getLanguage resolves aliases; find the canonical registered name for it.
  return api.listLanguages().find((name) => api.getLanguage(name) === grammar);
}

/** Highlighted HTML (escaped by highlight.js), or undefined to let markdown-it escape it plainly. */
export function highlight(code: string, lang: string): string | undefined {
  const language = highlightLanguage(lang);
  if (!language || language === 'plaintext') {
    return undefined;
  }
  compiled.add(language);
  try {
    return grammars().highlight(code, { language, ignoreIllegals: true }).value;
  } catch {
    return undefined;
  }
}

/**
 * Highlights one piece of a code block that is still arriving. `topLevel`:
 * the grammar ended outside any construct (string, comment, ...), so the
 * next piece can be highlighted on its own and the two pieces together look
 * the same as the whole would. Undefined when the language has no grammar.
 */
export function highlightPiece(code: string, lang: string): { html: string; topLevel: boolean } | undefined {
  const language = highlightLanguage(lang);
  if (!language || language === 'plaintext') {
    return undefined;
  }
  compiled.add(language);
  try {
    // `_top` is the mode the scan ended in; the language's own (outermost) mode has no parent.
    const result = grammars().highlight(code, { language, ignoreIllegals: true }) as { value: string; _top?: { parent?: unknown } };
    return { html: result.value, topLevel: result._top !== undefined && result._top.parent === undefined };
  } catch {
    return undefined;
  }
}

/** A VS Code language id for inserting the code into a new editor, when one can be told. */
export function vscodeLanguageId(lang: string): string | undefined {
  if (!lang) {
    return undefined;
  }
  const direct = infoToVscodeId[lang];
  if (direct) {
    return direct;
  }
  const language = highlightLanguage(lang);
  if (language) {
    return vscodeIds[language] ?? language;
  }
  // Unknown to the highlighter but shaped like a language id (e.g. "kotlin"): VS Code may know it.
  return /^[a-z][a-z0-9#+._-]{0,30}$/.test(lang) ? lang : undefined;
}

/** Grammars compiled (highlighted with once), by highlight.js name. */
const compiled = new Set<string>();

/** Whether the grammar for a fence language is compiled already (or there is none to compile). */
export function grammarReady(lang: string): boolean {
  const language = highlightLanguage(lang);
  return !language || language === 'plaintext' || compiled.has(language);
}

/**
 * Compiles the grammar for a fence language now, if it is not yet: a
 * highlight.js grammar compiles its regexes on first use, 1-16 ms in
 * Chromium for each of ours (leanJava), so a caller can give it a frame
 * of its own rather than add it to one that renders.
 */
export function compileGrammar(lang: string): void {
  const language = highlightLanguage(lang);
  if (!language || compiled.has(language)) {
    return;
  }
  compiled.add(language);
  try {
    grammars().highlight('x', { language, ignoreIllegals: true });
  } catch {
    // Compiling ahead is best effort: highlighting the block itself reports nothing either.
  }
}

/** The fence languages of the code blocks in `markdown` that have a grammar not compiled yet, each once, in order. */
export function grammarsToCompile(markdown: string): string[] {
  const found: string[] = [];
  for (const match of markdown.matchAll(/^ {0,3}(?:`{3,}|~{3,})[ \t]*([^\s`]+)/gm)) {
    const language = highlightLanguage(fenceLanguage(match[1] ?? ''));
    if (language && language !== 'plaintext' && !compiled.has(language) && !found.includes(language)) {
      found.push(language);
    }
  }
  return found;
}

/** The order grammars compile ahead of use in: the commonest first. */
const WARM_UP_ORDER = ['typescript', 'javascript', 'python', 'bash', 'json', 'shell', 'go', 'rust', 'java', 'cpp', 'c', 'csharp', 'css', 'xml', 'yaml', 'sql', 'diff', 'markdown'];

/**
 * Compiles the grammars ahead of use, one per idle slot: the first highlight
 * in a language otherwise pays for compiling its regexes (up to 16 ms) in
 * the middle of a frame that renders, such as one of a streamed answer.
 */
export function warmUpHighlighter(requestIdle: (callback: () => void) => void): void {
  const pending = [...WARM_UP_ORDER];
  const next = (): void => {
    const language = pending.shift();
    if (!language) {
      return;
    }
    compileGrammar(language);
    requestIdle(next);
  };
  requestIdle(next);
}
