/**
 * Line numbers a model copied from a file listing it was shown: `12 | code`,
 * `12: code`, `    12\tcode` (cat -n) or `12→code`. They are stripped only
 * when every line of a block carries them in the same style.
 */

interface NumberStyle {
  name: string;
  /** Groups: 1 the number, 2 the separator with the text (absent for a bare number on an empty line). */
  pattern: RegExp;
  /** Whether a bare number (an empty line whose trailing separator space was trimmed) counts. */
  bareNumber: boolean;
}

const STYLES: readonly NumberStyle[] = [
  { name: 'pipe', pattern: /^\s*(\d+) ?(\|.*)?$/, bareNumber: false },
  { name: 'colon', pattern: /^\s*(\d+)(:.*)?$/, bareNumber: false },
  { name: 'tab', pattern: /^\s*(\d+)(\t.*)?$/, bareNumber: true },
  { name: 'arrow', pattern: /^\s*(\d+)(\u2192.*)?$/, bareNumber: true },
];

export interface Stripped {
  lines: string[];
  /** The number on the first line. */
  first: number;
  style: string;
}

function textAfter(separatorAndText: string): string {
  const rest = separatorAndText.slice(1);
  // `12 | code` and `12: code` put one space between separator and text.
  return separatorAndText[0] === '|' || separatorAndText[0] === ':' ? rest.replace(/^ /, '') : rest;
}

function stripWith(style: NumberStyle, lines: readonly string[], consecutive: boolean): Stripped | undefined {
  const out: string[] = [];
  let first = -1;
  let withSeparator = 0;
  for (let i = 0; i < lines.length; i++) {
    const match = style.pattern.exec(lines[i] ?? '');
    if (!match) {
      return undefined;
    }
    const number = Number(match[1]);
    if (i === 0) {
      first = number;
    } else if (consecutive && number !== first + i) {
      return undefined;
    }
    const rest = match[2];
    if (rest === undefined) {
      if (!style.bareNumber) {
        return undefined;
      }
      out.push('');
    } else {
      withSeparator++;
      out.push(textAfter(rest));
    }
  }
  return withSeparator > 0 ? { lines: out, first, style: style.name } : undefined;
}

/**
 * Strips copied line numbers when all lines have them in one style. With
 * `consecutive` (lines copied from a file: context, SEARCH) the numbers must
 * also count up by one. `style` restricts to the style found on the other side.
 */
export function stripLineNumbers(lines: readonly string[], consecutive: boolean, style?: string): Stripped | undefined {
  if (lines.length === 0) {
    return undefined;
  }
  for (const candidate of STYLES) {
    if (style !== undefined && candidate.name !== style) {
      continue;
    }
    const stripped = stripWith(candidate, lines, consecutive);
    if (stripped) {
      return stripped;
    }
  }
  return undefined;
}
