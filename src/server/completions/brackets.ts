/**
 * Bracket balance for the "first unmatched closing bracket" rule. A small
 * language-agnostic scanner: brackets inside string literals and comments
 * (`//`, `/* *\/`, and `#` where the language uses it) do not count. Pure.
 */

const OPENERS = '([{';
/** A line that continues the statement a closer ended (`else`, `catch (e)`…). */
const CONTINUES = /^\s*(else|elseif|elif|elsif|catch|finally|except|rescue|ensure)\b/;

function lineEnd(text: string, from: number): number {
  const at = text.indexOf('\n', from);
  return at < 0 ? text.length : at;
}
const CLOSERS = ')]}';

function opener(closer: string): string {
  return OPENERS[CLOSERS.indexOf(closer)] ?? '';
}

type Visit = (char: string, index: number) => boolean | void;

/**
 * Calls `visit` for every bracket outside strings and comments; stops when it
 * returns true. Returns the quote of a string still open at the end ('' when
 * none, or when stopped early).
 */
export function scanBrackets(text: string, visit: Visit, hashComments = false): string {
  let quote = '';
  let blockComment = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (blockComment) {
      if (char === '*' && text[i + 1] === '/') {
        blockComment = false;
        i++;
      }
      continue;
    }
    if (quote) {
      if (char === '\\') {
        i++;
      } else if (char === quote || (char === '\n' && quote !== '`')) {
        quote = '';
      }
      continue;
    }
    if (char === '"' || char === "'" || char === '`') {
      quote = char;
    } else if ((char === '/' && text[i + 1] === '/') || (char === '#' && hashComments)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end - 1;
    } else if (char === '/' && text[i + 1] === '*') {
      blockComment = true;
      i++;
    } else if ((OPENERS.includes(char) || CLOSERS.includes(char)) && visit(char, i) === true) {
      return '';
    }
  }
  return blockComment ? '' : quote;
}

/** The quote of a string literal left open at the end of `line` ('' when none). */
export function openQuote(line: string, hashComments = false): string {
  return scanBrackets(line, () => false, hashComments);
}

/** The brackets left open at the end of `text`, innermost last. */
export function openBrackets(text: string, hashComments = false): string[] {
  const stack: string[] = [];
  scanBrackets(
    text,
    (char) => {
      if (OPENERS.includes(char)) {
        stack.push(char);
      } else if (stack[stack.length - 1] === opener(char)) {
        stack.pop();
      }
    },
    hashComments,
  );
  return stack;
}

/**
 * The brackets open before the cursor that the text after it does not close
 * (innermost last): those a suggestion may close itself. While a line is being
 * typed its brackets are not closed yet, so a closer on a later line of the
 * suffix is taken to close a bracket opened before the cursor line; brackets
 * opened on the cursor line are closed only by the rest of that line.
 */
export function closableBrackets(prefix: string, suffix: string, hashComments = false): string[] {
  const lineStart = prefix.lastIndexOf('\n') + 1;
  const open: Array<{ char: string; onLine: boolean }> = [];
  scanBrackets(
    prefix,
    (char, index) => {
      if (OPENERS.includes(char)) {
        open.push({ char, onLine: index >= lineStart });
      } else if (open[open.length - 1]?.char === opener(char)) {
        open.pop();
      }
    },
    hashComments,
  );
  const lineEnd = suffix.indexOf('\n');
  const inner: string[] = [];
  scanBrackets(
    suffix,
    (char, index) => {
      if (OPENERS.includes(char)) {
        inner.push(char);
        return false;
      }
      if (inner.length > 0) {
        if (inner[inner.length - 1] === opener(char)) {
          inner.pop();
        }
        return false;
      }
      const onCursorLine = lineEnd < 0 || index < lineEnd;
      let target = open.length - 1;
      while (!onCursorLine && target >= 0 && open[target]?.onLine) {
        target--;
      }
      if (target < 0 || open[target]?.char !== opener(char)) {
        return true;
      }
      open.splice(target, 1);
      return open.length === 0;
    },
    hashComments,
  );
  return open.map((bracket) => bracket.char);
}

/**
 * Rule: the suggestion ends before its first closing bracket that closes
 * nothing in the suggestion itself — unless it closes one of `closable`
 * (brackets open before the cursor that nothing after the cursor closes), or
 * it is a continuation like `} else {` / `} catch (e) {`: a closer that the
 * same line opens again. The reopened bracket is then the one the code after
 * the cursor closes, so the suggestion ends before its own closer for it.
 */
export function cutAtUnmatchedClosing(text: string, closable: readonly string[] = [], hashComments = false): string {
  const stack: Array<{ char: string; borrowed: boolean }> = [];
  const outer = [...closable];
  let borrow = '';
  let borrowLineEnd = -1;
  let cut = -1;
  scanBrackets(
    text,
    (char, index) => {
      if (OPENERS.includes(char)) {
        const borrowed = borrow === char && index < borrowLineEnd;
        if (borrowed) {
          borrow = '';
        }
        stack.push({ char, borrowed });
        return false;
      }
      let end = lineEnd(text, index);
      // `}` then `else` / `catch (e)` on the next line and `{` on that line or the one after (Allman style).
      if (text.slice(index + 1, end).trim() === '' && CONTINUES.test(text.slice(end + 1, lineEnd(text, end + 1)))) {
        const after = lineEnd(text, end + 1);
        end = text.slice(after + 1, lineEnd(text, after + 1)).trim().startsWith(opener(char)) ? lineEnd(text, after + 1) : after;
      }
      const reopens = (): boolean => openBrackets(text.slice(index + 1, end), hashComments).includes(opener(char));
      if (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top?.char === opener(char) && (!top.borrowed || reopens())) {
          stack.pop();
          if (top.borrowed) {
            // `} else {` again: the next opener on the line is the borrowed one now.
            borrow = top.char;
            borrowLineEnd = end;
          }
          return false;
        }
        cut = index;
        return true;
      }
      if (outer[outer.length - 1] === opener(char)) {
        outer.pop();
        return false;
      }
      if (borrow === '' && reopens()) {
        borrow = opener(char);
        borrowLineEnd = end;
        return false;
      }
      cut = index;
      return true;
    },
    hashComments,
  );
  return cut < 0 ? text : text.slice(0, cut);
}

/** Whether a suggestion has a closing bracket that its own text does not open (cheap pre-check). */
export function hasUnmatchedClosing(text: string, hashComments = false): boolean {
  return cutAtUnmatchedClosing(text, [], hashComments) !== text;
}
