/**
 * Syntax highlighting with highlight.js core and a deliberate set of common
 * languages (the full bundle would add ~900 KB to the webview), plus the
 * mapping from a fence's info string to a VS Code language id for "Insert".
 */
import hljs from 'highlight.js/lib/core';
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

const grammars = {
  bash, c, cpp, csharp, css, diff, go, java, javascript, json, markdown, plaintext, python, rust, shell, sql, typescript, xml, yaml,
};
for (const [name, grammar] of Object.entries(grammars)) {
  hljs.registerLanguage(name, grammar);
}
// Common spellings the grammars do not alias themselves.
hljs.registerAliases(['text', 'txt'], { languageName: 'plaintext' });
hljs.registerAliases(['jsonc', 'json5'], { languageName: 'json' });

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
  const grammar = hljs.getLanguage(lang);
  if (!grammar) {
    return undefined;
  }
  // getLanguage resolves aliases; find the canonical registered name for it.
  return hljs.listLanguages().find((name) => hljs.getLanguage(name) === grammar);
}

/** Highlighted HTML (escaped by highlight.js), or undefined to let markdown-it escape it plainly. */
export function highlight(code: string, lang: string): string | undefined {
  const language = highlightLanguage(lang);
  if (!language || language === 'plaintext') {
    return undefined;
  }
  try {
    return hljs.highlight(code, { language, ignoreIllegals: true }).value;
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
  try {
    // `_top` is the mode the scan ended in; the language's own (outermost) mode has no parent.
    const result = hljs.highlight(code, { language, ignoreIllegals: true }) as { value: string; _top?: { parent?: unknown } };
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

/**
 * Compiles the grammars ahead of use, one per idle slot: the first highlight
 * in a language otherwise pays for compiling its regexes (tens of ms for
 * TypeScript), a visible hitch in the middle of the first streamed answer.
 */
export function warmUpHighlighter(requestIdle: (callback: () => void) => void): void {
  const pending = ['typescript', 'javascript', 'python', 'bash', 'json', 'shell', 'go', 'rust', 'java', 'cpp', 'c', 'csharp', 'css', 'xml', 'yaml', 'sql', 'diff', 'markdown'];
  const next = (): void => {
    const language = pending.shift();
    if (!language) {
      return;
    }
    try {
      hljs.highlight('x', { language, ignoreIllegals: true });
    } catch {
      // Warming up is best effort.
    }
    requestIdle(next);
  };
  requestIdle(next);
}
