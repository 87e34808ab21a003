import { opensBlock } from './rules/blocks';

/**
 * The file's indentation style, and the rule that re-indents a suggestion to
 * it (tabs vs spaces, indent width). Pure.
 */

export interface IndentStyle {
  useTabs: boolean;
  /** Columns per level (for spaces; also how wide a tab is taken to be). */
  size: number;
}

export const DEFAULT_INDENT: IndentStyle = { useTabs: false, size: 4 };
/** A model's own indent step is believed only up to this width (a line 16 columns deep is not one step). */
const MAX_STEP = 8;

/** The editor's options for the document (LSP FormattingOptions), when the client sends them. */
export function styleFromFormatting(options: { tabSize: number; insertSpaces: boolean } | undefined): IndentStyle | undefined {
  if (!options || !Number.isInteger(options.tabSize) || options.tabSize < 1 || options.tabSize > 16) {
    return undefined;
  }
  return { useTabs: !options.insertSpaces, size: options.tabSize };
}
const SAMPLE_LINES = 400;

/**
 * Detects the style from (up to) the first SAMPLE_LINES lines: tab- vs
 * space-indented lines, and the most common indent step. Undefined when no
 * line is indented: there is nothing to go by then.
 */
export function detectIndentation(text: string): IndentStyle | undefined {
  let tabLines = 0;
  let spaceLines = 0;
  const steps = new Map<number, number>();
  let previous = 0;
  let start = 0;
  for (let line = 0; line < SAMPLE_LINES && start <= text.length; line++) {
    let end = text.indexOf('\n', start);
    if (end < 0) {
      end = text.length;
    }
    const content = text.slice(start, end);
    start = end + 1;
    if (!content.trim()) {
      continue;
    }
    const indent = /^[ \t]*/.exec(content)?.[0] ?? '';
    if (indent.startsWith('\t')) {
      tabLines++;
    } else if (indent.length > 0) {
      spaceLines++;
    }
    if (!indent.includes('\t')) {
      const step = indent.length - previous;
      if (step > 1 && step <= 8) {
        steps.set(step, (steps.get(step) ?? 0) + 1);
      }
      previous = indent.length;
    }
  }
  let size = DEFAULT_INDENT.size;
  let best = 0;
  for (const [step, count] of steps) {
    if (count > best || (count === best && step < size)) {
      best = count;
      size = step;
    }
  }
  if (tabLines === 0 && spaceLines === 0) {
    return undefined;
  }
  return { useTabs: tabLines > spaceLines, size };
}

/** Width in columns of leading whitespace, a tab counting `tabSize`. */
export function indentWidth(indent: string, tabSize: number): number {
  let width = 0;
  for (const char of indent) {
    width += char === '\t' ? tabSize : 1;
  }
  return width;
}

function render(width: number, style: IndentStyle): string {
  if (!style.useTabs) {
    return ' '.repeat(Math.max(0, width));
  }
  return '\t'.repeat(Math.floor(width / style.size)) + ' '.repeat(width % style.size);
}

/**
 * Rule: re-indents the lines after the first (the first continues the cursor
 * line) to the file's style, changing only what is provably inconsistent
 * with it. Without a known style (no editor options, no indented line in the
 * file) nothing changes. A tab in a spaces file is one level. With spaces,
 * the suggestion's own step is its smallest indentation difference (also
 * against the cursor line) of at most MAX_STEP columns; when it differs from
 * the file's (and is at least 2: odd widths are alignment, e.g. ` * ` doc
 * lines) and is inconsistent with it (not a multiple of it, or a block
 * steps by it), depths relative to the cursor line are scaled to the file's step —
 * or, when the cursor line is tab-indented (the model saw no widths), depths
 * from column 0.
 */
export function convertIndentation(text: string, style: IndentStyle | undefined, cursorIndent: string, linePrefix = cursorIndent, languageId = ''): string {
  const lines = text.split('\n');
  if ((lines.length < 2 && linePrefix !== '') || !style) {
    return text;
  }
  const base = indentWidth(cursorIndent, style.size);
  const indents = lines.map((line) => /^[ \t]*/.exec(line)?.[0] ?? '');
  const spaced = lines.slice(1).flatMap((line, index) => (line.trim() && !indents[index + 1]?.includes('\t') ? [indents[index + 1]?.length ?? 0] : []));
  // A model shown tabs at the cursor writes spaces in its own step from column 0; else relative to the cursor line.
  const absolute = cursorIndent.includes('\t');
  const step = ownStep(absolute ? [0, ...spaced] : [base, ...spaced]);
  const unit = step !== undefined && step <= MAX_STEP ? step : style.size;
  const from = absolute ? 0 : base;
  // A step that divides into the file's could be alignment or a continuation (`.append(…)` 8 deeper); it is
  // rescaled only when a block opener is followed by a line exactly that step deeper.
  const widths = indents.map((indent, index) => (index === 0 ? base : indentWidth(indent, style.size)));
  const blockStep = (size: number): boolean =>
    lines.some((line, index) => {
      const next = lines.findIndex((later, at) => at > index && later.trim() !== '');
      return next > 0 && opensBlock(index === 0 ? linePrefix + line : line, languageId) && (widths[next] ?? 0) - (widths[index] ?? 0) === size;
    });
  const rescale = unit >= 2 && unit !== style.size && (unit % style.size !== 0 || blockStep(unit));
  const converted = lines.map((line, index) => {
    const indent = indents[index] ?? '';
    // The first line continues the cursor line, unless the cursor is at column 0: then it is a whole line too.
    if ((index === 0 && linePrefix !== '') || !line.trim()) {
      return index === 0 ? line : '';
    }
    const width = indentWidth(indent, style.size);
    let target = width;
    const offset = Math.abs(width - from);
    if (!indent.includes('\t') && rescale && offset % unit === 0) {
      target = Math.max(0, from + Math.sign(width - from) * (offset / unit) * style.size);
    }
    if (!style.useTabs && !indent.includes('\t') && target === width) {
      return line;
    }
    return render(target, style) + line.slice(indent.length);
  });
  return converted.join('\n');
}

/** The smallest positive difference between the widths (undefined when they are all equal). */
function ownStep(widths: readonly number[]): number | undefined {
  const distinct = [...new Set(widths)].sort((a, b) => a - b);
  let step: number | undefined;
  for (let i = 1; i < distinct.length; i++) {
    const difference = (distinct[i] ?? 0) - (distinct[i - 1] ?? 0);
    if (step === undefined || difference < step) {
      step = difference;
    }
  }
  return step;
}
