/**
 * Elision placeholders: lines a model writes instead of code it did not want
 * to repeat ("// ... existing code ...", "# rest of file unchanged", "...").
 * Taken literally they would delete that code.
 */
import type { HunkLine } from '../../shared/diff';

/** Comment openers (and closers) a placeholder line may be wrapped in. */
const COMMENT_OPEN = String.raw`(?:\/\/+|#+|\/\*+|\*|<!--|--|;+|%+|rem\b|\{\/\*)?`;
const COMMENT_CLOSE = String.raw`(?:\*+\/|-->|\*\/\})?`;
const DOTS = String.raw`(?:\.{3,}|\u2026)`;

/** `...`, `// ...`, `/* ... *\/`, `# …` and the like: dots alone. */
const DOTS_ONLY = new RegExp(String.raw`^${COMMENT_OPEN}\s*[\[({]?\s*${DOTS}\s*[\])}]?\s*${COMMENT_CLOSE}$`, 'i');

/** Words that, next to dots in a comment, mean "code left out here". */
const ELISION_WORDS =
  /\b(existing|rest|unchanged|remain(s|ing|der)?|same|omitted|previous|prior|other|more|etc|code|here|implementation|methods?|functions?|lines?|file|logic|body|content|stays?|as before|before|above|below|similar|truncated|skipped|elided)\b/i;

/** Phrases that mean "code left out" even without dots. */
const ELISION_PHRASES = [
  /\brest of (the )?(code|file|function|class|method|module|implementation|body|component|script|logic|test|tests|file contents)\b/i,
  /\b(existing|unchanged|remaining|previous|original|other) (code|lines|content|implementation|methods|functions|logic|imports|tests|properties|cases)\b/i,
  /\b(remains?|stays?|is|are|left|kept) (the )?(same|unchanged|as (is|before))\b/i,
  /\b(code|content|implementation|file) (omitted|truncated|elided|skipped)\b/i,
  /\bno changes? (here|below|above|needed)\b/i,
  /\bkeep(ing)? (the )?(existing|rest|original)\b/i,
];

const COMMENT_START = /^(\/\/|#|\/\*|\*|<!--|--|;|%|rem\b|\{\/\*)/i;

/** Whether a line (as written by the model) is an elision placeholder. */
export function isPlaceholder(line: string): boolean {
  const text = line.trim();
  if (text === '') {
    return false;
  }
  if (DOTS_ONLY.test(text)) {
    return true;
  }
  if (!COMMENT_START.test(text)) {
    return false;
  }
  const hasDots = /\.{3,}|\u2026/.test(text);
  if (hasDots && ELISION_WORDS.test(text)) {
    return true;
  }
  return ELISION_PHRASES.some((phrase) => phrase.test(text));
}

/**
 * A placeholder added in place of removed code: the first added placeholder
 * line (not itself among the removed lines) and the 0-based old-side indices
 * of the non-blank lines the change would remove. Undefined when there is none
 * or nothing is removed.
 */
export function findElision(ops: readonly HunkLine[]): { placeholder: string; removed: number[] } | undefined {
  const removedKeys = new Set(ops.filter((line) => line.op === '-').map((line) => line.text.trim()));
  const placeholder = ops.find((line) => line.op === '+' && isPlaceholder(line.text) && !removedKeys.has(line.text.trim()));
  if (!placeholder) {
    return undefined;
  }
  const removed: number[] = [];
  let oldIndex = 0;
  for (const line of ops) {
    if (line.op === '-' && line.text.trim() !== '') {
      removed.push(oldIndex);
    }
    if (line.op !== '+') oldIndex++;
  }
  return removed.length > 0 ? { placeholder: placeholder.text.trim(), removed } : undefined;
}
