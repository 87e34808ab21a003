/**
 * Where a multi-line suggestion ends: where the block it opened (or the
 * statement it completes) ends, going on through continuations (`} else {`,
 * `} catch`, `elif`, `except:`) and through blank lines inside a block it
 * opened, and never on a line that leaves a block half-open. Pure.
 */
import { openBrackets, scanBrackets } from '../brackets';
import { indentWidth } from '../indentation';
import { INDENTED_LANGUAGES, isClosingLine, KEYWORD_BLOCK_LANGUAGES, opensBlock } from './blocks';

/** A line that continues the statement of the block before it. */
export const CONTINUATION = /^[)\]}]*\s*(else\b|elseif\b|elif\b|elsif\b|except\b|catch\b|finally\b|rescue\b|ensure\b|while\b)/;

/** A line ending by opening a heredoc (`<<~SQL`, `<<-EOF`, PHP's `<<<EOT`); group 2 is its terminator. */
const HEREDOC = /<<[~-]?<?\s*(['"]?)([A-Za-z_]\w*)\1\s*$/;
/** Where `<<` starts a heredoc rather than a shift. */
const HEREDOC_LANGUAGES: ReadonlySet<string> = new Set(['ruby', 'shellscript', 'php', 'perl', 'crystal', 'dockerfile', 'makefile']);

/** The multi-line string open after `line` (`"""`, `'''` or a backtick), given the one open before it. */
function stringAfter(line: string, open: string): string {
  let state = open;
  for (let i = 0; i < line.length; i++) {
    const triple = line.slice(i, i + 3);
    if (state === '' && (triple === '"""' || triple === "'''")) {
      state = triple;
      i += 2;
    } else if (state !== '' && line.startsWith(state, i)) {
      i += state.length - 1;
      state = '';
    } else if (state === '' && line[i] === '`') {
      state = '`';
    } else if (line[i] === '\\') {
      i++;
    } else if (state === '' && (line[i] === '"' || line[i] === "'")) {
      // An ordinary string: skip to its end on this line.
      const end = line.indexOf(line[i] ?? '', i + 1);
      i = end < 0 ? line.length : end;
    } else if (state === '' && (line.startsWith('//', i) || line[i] === '#')) {
      break;
    }
  }
  return state;
}

function leadingWidth(line: string, tabSize: number): number {
  return indentWidth(/^[ \t]*/.exec(line)?.[0] ?? '', tabSize);
}

/** Net bracket depth change of each line (strings and comments ignored). */
function lineDepths(lines: readonly string[], hashComments: boolean): number[] {
  return lines.map((line) => {
    let depth = 0;
    scanBrackets(line, (char) => void (depth += '([{'.includes(char) ? 1 : -1), hashComments);
    return depth;
  });
}

export interface StopOptions {
  linePrefix: string;
  lineIndent: string;
  tabSize: number;
  languageId: string;
  hashComments: boolean;
}

/**
 * Rule: the suggestion's lines after the first go on while they stay inside
 * the cursor's block. A line indented less than the cursor line ends it —
 * unless it continues the statement (`} else {`, `except:`, or `}` with
 * `catch (e)` on the next line; lines below may then go as deep as it), or is
 * a closing line, which is kept as the last line. A closing line at the
 * cursor's level that closes the block the cursor line or the suggestion
 * opened ends it after that line (and in indentation-based languages, coming
 * back to the cursor's level after a deeper block). A blank line ends it
 * unless a bracket is still open or the next line is deeper than the cursor's.
 */
export function stopAtBlockEnd(text: string, options: StopOptions): string {
  const lines = text.split('\n');
  const first = lines[0] ?? '';
  const heredoc = HEREDOC_LANGUAGES.has(options.languageId) ? HEREDOC.exec(options.linePrefix + first)?.[2] : undefined;
  if (heredoc !== undefined) {
    // The cursor line opens a heredoc: the suggestion is its body, up to its terminator (none: the first line only).
    const end = lines.findIndex((line, index) => index > 0 && new RegExp(`^\\s*${heredoc}[;,)]*\\s*$`).test(line));
    return lines.slice(0, end < 0 ? 1 : end + 1).join('\n');
  }
  const blankCursorLine = options.linePrefix.trim() === '';
  let base = indentWidth(options.lineIndent, options.tabSize) + (blankCursorLine ? leadingWidth(first, options.tabSize) : 0);
  const depths = lineDepths(lines, options.hashComments);
  // Brackets the cursor line opened count as the suggestion's own: it may close them.
  let depth = Math.max(0, openBrackets(options.linePrefix, options.hashComments).length + (depths[0] ?? 0));
  const kept = [first];
  const indented = INDENTED_LANGUAGES.has(options.languageId);
  let deeper = false;
  let inString = stringAfter(options.linePrefix + first, '');
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (inString !== '') {
      // Inside a multi-line string (a docstring, a template literal): blank lines and indentation say nothing.
      inString = stringAfter(line, inString);
      kept.push(line);
      continue;
    }
    inString = stringAfter(line, '');
    if (!line.trim()) {
      const next = lines.slice(i + 1).find((later) => later.trim() !== '');
      if (next === undefined || (depth <= 0 && leadingWidth(next, options.tabSize) <= base)) {
        break;
      }
      kept.push(line);
      continue;
    }
    const width = leadingWidth(line, options.tabSize);
    const trimmed = line.trim();
    if (width < base && depth <= 0) {
      if (CONTINUATION.test(trimmed)) {
        base = width;
        deeper = false;
        kept.push(line);
        depth = Math.max(0, depth + (depths[i] ?? 0));
        continue;
      }
      const next = lines.slice(i + 1).find((later) => later.trim() !== '');
      if (isClosingLine(line) && next !== undefined && CONTINUATION.test(next.trim()) && leadingWidth(next, options.tabSize) === width) {
        // `}` with `catch (e)` / `else` on the next line (Allman style): the statement goes on.
        base = width;
        deeper = false;
        kept.push(line);
        depth = Math.max(0, depth + (depths[i] ?? 0));
        continue;
      }
      if (isClosingLine(line) && !indented) {
        kept.push(line);
      }
      break;
    }
    if (indented && deeper && width <= base && depth <= 0 && !CONTINUATION.test(trimmed)) {
      // Back at the cursor's level: the block the suggestion opened has ended.
      break;
    }
    deeper = CONTINUATION.test(trimmed) ? false : deeper || width > base;
    kept.push(line);
    depth = Math.max(0, depth + (depths[i] ?? 0));
    const closes = /^[)\]}]/.test(trimmed) ? (depths[i] ?? 0) < 0 && depth === 0 : /^end\b/.test(trimmed) && KEYWORD_BLOCK_LANGUAGES.has(options.languageId);
    if (closes && width === base && !CONTINUATION.test(lines[i + 1]?.trim() ?? '')) {
      // A closing line at the cursor's level ends the block the cursor line (or the suggestion) opened.
      break;
    }
  }
  return kept.join('\n');
}

/** Whether a line ends by opening a block or bracket that it does not close. */
function opensAtEnd(line: string, languageId: string): boolean {
  return languageId !== 'yaml' && opensBlock(line, languageId);
}

/**
 * Rule: a multi-line suggestion does not end half-open. Every bracket it
 * opens is closed by its end, or it is cut back to the last line where they
 * all were; and its last line does not open a block (`} else if (x) {`,
 * `def f():`). Brackets it closes that were open before the cursor do not
 * count. The first line may end open: it completes the cursor line
 * (`if (ok) {`, `def f(self) -> int:`), and the code after it is the
 * person's to write.
 */
export function dropOpenEnd(text: string, languageId: string, hashComments: boolean): string {
  const lines = text.split('\n');
  const depths = lineDepths(lines, hashComments);
  // Not clamped at 0: after `}` a `{` on a later line (`}` / `catch (e)` / `{`) reopens what the code below closes.
  let depth = Math.max(0, depths[0] ?? 0);
  let lastClosed = 0;
  const bracesOnly = !INDENTED_LANGUAGES.has(languageId) && !KEYWORD_BLOCK_LANGUAGES.has(languageId);
  for (let i = 1; i < lines.length; i++) {
    depth += depths[i] ?? 0;
    // A branch header (`else if (x)`, `catch (e)`) waiting for its body on the next line is open too; `} while (x);` is not.
    const trimmed = (lines[i] ?? '').trim();
    const header = bracesOnly && CONTINUATION.test(trimmed) && !/[;}]$/.test(trimmed);
    if (depth <= 0 && !opensAtEnd(lines[i] ?? '', languageId) && !header) {
      lastClosed = i;
    }
  }
  return lines.slice(0, lastClosed + 1).join('\n');
}
