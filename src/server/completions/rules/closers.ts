/**
 * Closers and quotes right of the cursor (usually auto-inserted by the
 * editor): how much of the rest of the line the suggestion replaces, so that
 * after Tab the line reads right — no `)` twice, none missing, no `;` lost.
 * Pure.
 */
import { openBrackets, openQuote, scanBrackets } from '../brackets';

const CLOSER_OF: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };
const CLOSING = /^[)\]}"'`]+/;

export interface Covered {
  /** The suggestion, cut before a closer that contradicts the rest of the line. */
  text: string;
  /** How many characters right of the cursor the suggestion replaces. */
  replace: number;
}

interface OuterClose {
  char: string;
  index: number;
}

/**
 * Where the suggestion closes what was open before the cursor: the string
 * the cursor is in (its quote), then brackets of the prefix, innermost first.
 * `mismatch` is the index of a closer that matches nothing open.
 */
export function outerCloses(text: string, open: readonly string[], quote: string, hashComments = false): { closes: OuterClose[]; mismatch: number } {
  const closes: OuterClose[] = [];
  let from = 0;
  if (quote) {
    const end = findQuoteEnd(text, quote);
    if (end < 0) {
      return { closes, mismatch: -1 };
    }
    closes.push({ char: quote, index: end });
    from = end + 1;
  }
  const outer = [...open];
  const own: string[] = [];
  let mismatch = -1;
  scanBrackets(
    text.slice(from),
    (char, at) => {
      if (CLOSER_OF[char]) {
        own.push(char);
        return false;
      }
      if (own.length > 0) {
        own.pop();
        return false;
      }
      const top = outer[outer.length - 1];
      if (top !== undefined && CLOSER_OF[top] === char) {
        outer.pop();
        closes.push({ char, index: from + at });
        return false;
      }
      mismatch = from + at;
      return true;
    },
    hashComments,
  );
  return { closes, mismatch };
}

function findQuoteEnd(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\') {
      i++;
    } else if (char === quote) {
      return i;
    } else if (char === '\n' && quote !== '`') {
      return -1;
    }
  }
  return -1;
}

/**
 * Rule: what of the text right of the cursor (`right`) the suggestion
 * replaces. When the suggestion closes brackets or the string opened before
 * the cursor, the closers right of the cursor that it repeats are replaced
 * (`a, b);` over `)`), and so is what it repeats after them (`;`). A
 * suggestion that does not close them leaves them in place; one that ends
 * with the rest of the line replaces it. Where the suggestion's closers
 * contradict the line (it closes something else, or goes on where the line
 * still has closers), it is cut before its first closer: showing less beats
 * showing a wrong line. Before code right of the cursor (`singleLine`), an
 * answer that ends with that code is inserted without it.
 */
export function coverRightText(text: string, prefix: string, right: string, hashComments = false, singleLine = false): Covered {
  if (right.trim() === '' || text === '') {
    return { text, replace: 0 };
  }
  const repeated = singleLine ? repeatedRest(text, right) : '';
  if (repeated) {
    // The answer repeats the code right of the cursor: insert only what comes before it.
    const kept = text.trimEnd().slice(0, text.trimEnd().length - repeated.length);
    return { text: /^\s/.test(right) ? kept.trimEnd() : kept, replace: 0 };
  }
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const inInterpolation = isInInterpolation(prefix.slice(lineStart), hashComments);
  const quote = inInterpolation ? '' : openQuote(prefix.slice(lineStart), hashComments);
  const open = [...openBrackets(prefix, hashComments), ...(inInterpolation ? ['{'] : [])];
  const { closes, mismatch } = outerCloses(text, open, quote, hashComments);
  const first = closes[0];
  if (!first) {
    const cut = mismatch >= 0 ? text.slice(0, mismatch) : text;
    // A suggestion that closes nothing from before the cursor ends with its own closers, not with the line's.
    return { text: cut, replace: !/[)\]}"'`]/.test(right) && endsWithRest(cut, right) ? right.length : 0 };
  }
  const agreed = agreement(text.slice(first.index), right);
  if (agreed >= 0) {
    return { text, replace: agreed };
  }
  const closed = closes.map((close) => close.char).join('');
  const lead = CLOSING.exec(right)?.[0] ?? '';
  let replace = -1;
  if (right.startsWith(closed)) {
    replace = closed.length;
  } else if (lead !== '' && closed.startsWith(lead)) {
    replace = lead.length;
  }
  const last = closes[closes.length - 1] ?? first;
  const after = text.slice(last.index + 1);
  if (replace >= 0) {
    const rest = right.slice(replace);
    if (rest.startsWith(after)) {
      // What the suggestion writes after its closers is the start of what the line has after them (` ` of ` }`).
      return { text, replace: replace + after.length };
    }
    if (rest === '' || after.trim() === '') {
      return { text, replace };
    }
    if (endsWithRest(after, rest) || after.startsWith(rest) || (CLOSING.test(rest.trim()) && isSubsequence(rest.trim(), after))) {
      // The suggestion writes the rest of the line itself, with more in between (`}!\`;` over `}\``).
      return { text, replace: right.length };
    }
    if (!CLOSING.test(rest.trimStart()) && !rest.trim().startsWith(',')) {
      // The rest of the line (`;`, ` + 1`) goes after what the suggestion adds.
      return { text, replace };
    }
  }
  if (endsWithRest(text, right)) {
    return { text, replace: right.length };
  }
  return { text: text.slice(0, first.index), replace: 0 };
}

/**
 * How much of `right` the suggestion's tail from its first closer covers when
 * the two agree (whitespace aside) until one of them ends: all of `right`, or
 * as much of it as the tail wrote. -1 when they disagree first.
 */
function agreement(tail: string, right: string): number {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < tail.length && /\s/.test(tail[i] ?? '')) {
      i++;
    }
    const before = j;
    while (j < right.length && /\s/.test(right[j] ?? '')) {
      j++;
    }
    if (j >= right.length) {
      return right.length;
    }
    if (i >= tail.length) {
      // The tail ended: its trailing whitespace stands for the line's.
      return /\s$/.test(tail) ? j : before;
    }
    if (tail[i] !== right[j]) {
      return -1;
    }
    i++;
    j++;
  }
}

/**
 * The code right of the cursor that the answer ends with: all of it, or all
 * but trailing punctuation and closers the model left out (`, 2)` of `, 2);`);
 * '' when it does not.
 */
function repeatedRest(text: string, right: string): string {
  const end = text.trimEnd();
  // Only the trailing run of punctuation and closers may be left out; and the piece cannot be longer than the text.
  const optional = /[\s;,)\]}]*$/.exec(right)?.[0].length ?? 0;
  const lead = right.length - right.trimStart().length;
  for (let k = Math.min(right.length, end.length + lead); k >= Math.max(1, right.length - optional); k--) {
    const piece = right.slice(0, k).trim();
    if (piece.length >= 2 && end.endsWith(piece)) {
      return piece;
    }
  }
  return '';
}

function isSubsequence(wanted: string, text: string): boolean {
  let at = 0;
  for (const char of text) {
    if (char === wanted[at]) {
      at++;
    }
  }
  return at === wanted.length;
}

/**
 * Whether the line before the cursor ends inside a template literal's `${…}`:
 * code, whose `}` closes the interpolation (the scanner sees only a string).
 */
export function isInInterpolation(linePrefix: string, hashComments = false): boolean {
  if (openQuote(linePrefix, hashComments) !== '`') {
    return false;
  }
  const start = linePrefix.lastIndexOf('${');
  return start >= 0 && !linePrefix.slice(start).includes('}') && !linePrefix.slice(start).includes('`');
}

/** Whether the suggestion's last line ends with the (non-blank) rest of the cursor line. */
function endsWithRest(text: string, rest: string): boolean {
  const wanted = rest.trim();
  return wanted !== '' && text.trimEnd().endsWith(wanted);
}
