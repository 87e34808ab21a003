/**
 * Junk a model puts around or into its answer: template tokens and stop
 * phrases, Markdown fences, an echo of the `// Path:` comment Tandem's own
 * prompt adds, a lone comment marker, and stray characters in front of the
 * code (zero-width spaces, diff markers, emoji, a doubled `.`). Pure.
 */
import { SPECIAL_TOKENS } from '../templates';

/** Stop phrases some models write around the text to insert. */
const STOP_PHRASES: readonly string[] = ['</COMPLETION>', '<COMPLETION>', '</CURSOR>', '<END>', '<｜'];
/** A template token, whole or cut off at the end of the answer: `<|fim_middle|>`, `<|endof`, `<fim_`. */
const TOKEN_LIKE = /<\|[a-z_]*(\|>?)?$|<\|[a-z_]+(\|>?)?(?=\n)|<\|[a-z_]+\|>|<(fim|file)_[a-z]*>?(?=\n|$)/;

/** Tokens that mark where the answer starts: echoed in front of it, they are not its end. */
const MIDDLE_TOKENS: readonly string[] = ['<|fim_middle|>', '<fim_middle>', '<MID>', '[MIDDLE]', '<｜fim▁end｜>', '<|fim_suffix|>', '<fim_suffix>'];

/** The length of a middle marker at the very start of `text` (0 when none). */
function leadingToken(text: string): number {
  return MIDDLE_TOKENS.find((token) => text.startsWith(token))?.length ?? 0;
}

/**
 * Rule: the answer ends at the first template token or stop phrase (a known
 * token, a `<|…|>` token or a cut-off fragment of one at the very end); a
 * `<COMPLETION>` opening tag and echoed middle markers (`<|fim_middle|>`) at
 * the start are dropped first; an end token at the start means no answer.
 */
export function cutAtStopTokens(text: string): string {
  // Tokens in front of the answer are echoes of the prompt: the answer is what follows them.
  let opened = text.replace(/^\s*<COMPLETION>\n?/, '');
  // After an opening fence, too: the fence goes later.
  const start = /^[ \t]*(`{3,}|~{3,})[^\n]*\n/.exec(opened)?.[0].length ?? 0;
  for (let lead = leadingToken(opened.slice(start)); lead > 0; lead = leadingToken(opened.slice(start))) {
    opened = opened.slice(0, start) + opened.slice(start + lead);
  }
  let end = opened.length;
  for (const token of [...SPECIAL_TOKENS, ...STOP_PHRASES]) {
    const at = opened.indexOf(token);
    if (at >= 0 && at < end) {
      end = at;
    }
  }
  const fragment = TOKEN_LIKE.exec(opened);
  if (fragment && fragment.index < end) {
    end = fragment.index;
  }
  return opened.slice(0, end);
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})[\w+#.-]*[ \t]*$/;

/**
 * Rule: the code of a Markdown fence. A chat answer may talk around its first
 * fenced block; any answer that starts with a fence loses it and its closing
 * fence; a closing fence alone on a later line ends the answer. Single
 * backticks around a whole one-line answer go too.
 */
export function stripFences(text: string, chat: boolean): string {
  const lines = text.split('\n');
  const firstCode = lines.findIndex((line) => line.trim() !== '');
  let start = -1;
  if (firstCode >= 0 && FENCE_OPEN.test(lines[firstCode] ?? '')) {
    start = firstCode;
  } else if (chat) {
    start = lines.findIndex((line) => FENCE_OPEN.test(line));
  }
  const fence = start >= 0 ? (FENCE_OPEN.exec(lines[start] ?? '')?.[1] ?? '') : '';
  const body = start >= 0 ? lines.slice(start + 1) : lines;
  const close = body.findIndex((line, index) => /^[ \t]*(`{3,}|~{3,})[ \t]*$/.test(line) && (fence === '' || line.trim().startsWith(fence) || index > 0));
  const code = close >= 0 ? body.slice(0, close) : body;
  const result = start >= 0 || close >= 0 ? code.join('\n') : text;
  const inline = /^\s*`([^`\n]+)`\s*$/.exec(result);
  return inline && chat ? (inline[1] ?? '') : result;
}

/** Comment markers a path comment may start with. */
const COMMENT_START = /^[ \t]*(\/\/+|#+|--|;+|%+|\/\*+|<!--)[ \t]*/;

/**
 * Rule: leading lines that only echo the file's name or path as a comment
 * (`// Path: src/a.ts`, `# a.py`, `// File: a.ts`) go: Tandem's prompt shows
 * the path that way, and models repeat it. So does a file header the
 * document already has (`<?php`, `#!/usr/bin/env node`).
 */
export function stripEchoedPathComment(text: string, path: string, prefix = ''): string {
  const lines = text.split('\n');
  const first = lines[0]?.trim() ?? '';
  if (lines.length > 1 && /^(<\?php|<\?|#!.*)$/.test(first) && prefix.split('\n').some((line) => line.trim() === first)) {
    // A file header the document already has: the model started a new file.
    return stripEchoedPathComment(lines.slice(1).join('\n'), path);
  }
  const name = path.split('/').pop() ?? path;
  let drop = 0;
  while (drop < lines.length) {
    const line = lines[drop] ?? '';
    const marker = COMMENT_START.exec(line);
    if (!marker) {
      break;
    }
    const rest = line
      .slice(marker[0].length)
      .replace(/(\*\/|-->)\s*$/, '')
      .trim();
    // `Path: x`, the file's own name, or nothing but a file name (`src/main.rs`) on the first line.
    const fileName = drop === 0 && /^[\w.-]*[\w-]\/?[\w./-]*\.[A-Za-z]{1,5}$/.test(rest) && lines.length > 1;
    const echoed = /^(path|file(name)?)\s*:/i.test(rest) || (name !== '' && (rest === name || rest === path || rest.endsWith(`/${name}`))) || fileName;
    if (!echoed) {
      break;
    }
    drop++;
  }
  return drop === 0 ? text : lines.slice(drop).join('\n');
}

/** Rule: a comment marker with nothing after it (`//`, `#`) is no suggestion, nor is a trailing line of one. */
export function dropLoneCommentMarker(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 0 && /^[ \t]*(\/\/+|#+|--|\/\*+|\*)[ \t]*$/.test(lines[lines.length - 1] ?? '')) {
    lines.pop();
  }
  return lines.join('\n');
}

const ZERO_WIDTH = /^[\u200B-\u200D\u2060\uFEFF]+/;
const EMOJI = /^(\p{Extended_Pictographic}|\p{Emoji_Presentation})(\uFE0F|\u200D|\p{Extended_Pictographic})*[ \t]*/u;
/** Languages where a line may start with `-`/`+` on its own (lists, diffs). */
const MARKER_LANGUAGES = new Set(['yaml', 'markdown', 'plaintext', 'diff', 'restructuredtext', 'org', 'css', 'scss', 'less', 'sass']);

/**
 * Rule: stray characters in front of the code: zero-width characters
 * anywhere at the start, an emoji, `+`/`-` diff markers on an empty line (on
 * every line of the answer when it has several), and a `.` doubled after the
 * one typed (`items.` + `.map` → `map`).
 */
export function stripStrayLeading(text: string, linePrefix: string, languageId: string): string {
  let result = text.replace(ZERO_WIDTH, '').replace(/\n([ \t]*)[\u200B-\u200D\u2060\uFEFF]+/g, '\n$1');
  result = result.replace(EMOJI, '');
  const lineEmpty = linePrefix.trim() === '';
  if (lineEmpty && !MARKER_LANGUAGES.has(languageId)) {
    const codeLines = result.split('\n').filter((line) => line.trim() !== '');
    if (codeLines.every((line) => /^[+-]/.test(line)) && codeLines.some((line) => line.startsWith('+')) && codeLines.some((line) => line.startsWith('-'))) {
      // A diff: the removed lines are not code to insert, the added ones are.
      return codeLines.filter((line) => line.startsWith('+')).map((line) => line.slice(1)).join('\n');
    }
    const marker = /^[ \t]*([+-])(?=[ \t]*[A-Za-z_$@}#/"'])/.exec(result)?.[1];
    if (marker) {
      const lines = result.split('\n');
      const marked = lines.filter((line) => line.trim() !== '').every((line) => line.trimStart().startsWith(marker));
      result = marked ? lines.map((line) => line.replace(new RegExp(`^([ \\t]*)\\${marker} ?`), '$1')).join('\n') : result.replace(/^([ \t]*)[+-] ?/, '$1');
    }
  }
  if (/[\p{L}\p{N}_)\]]\.$/u.test(linePrefix) && !/\d\.$/.test(linePrefix) && /^\.[\p{L}_$]/u.test(result)) {
    result = result.slice(1);
  }
  return result.trim() === '.' ? '' : result;
}
