/**
 * Wording of refusals. Every message names the file and the block, quotes the
 * lines involved and says what would make the edit work, so it can be shown to
 * a person or sent back to the model as is.
 */
import type { EditFailure } from '../../shared/edits';

/** At most this many lines are quoted in a message. */
const MAX_QUOTED = 16;

/** Lines indented by two spaces for quoting; long blocks are shortened in the middle. */
export function quoteLines(lines: readonly string[], firstLineNumber?: number): string {
  const numbered = (line: string, i: number): string =>
    firstLineNumber === undefined ? `  ${line}` : `  ${String(firstLineNumber + i).padStart(4)} | ${line}`;
  if (lines.length === 0) {
    return '  (no lines)';
  }
  if (lines.length <= MAX_QUOTED) {
    return lines.map(numbered).join('\n');
  }
  const head = Math.ceil(MAX_QUOTED / 2);
  const tail = MAX_QUOTED - head;
  return [
    ...lines.slice(0, head).map(numbered),
    `  [${lines.length - MAX_QUOTED} more lines]`,
    ...lines.slice(lines.length - tail).map((line, i) => numbered(line, lines.length - tail + i)),
  ].join('\n');
}

/** "src/a.ts, hunk 2" / "src/a.ts, SEARCH/REPLACE block 3". */
export function where(path: string | undefined, label?: string, index?: number): string {
  const parts: string[] = [];
  if (path !== undefined) parts.push(path);
  if (label !== undefined && index !== undefined) parts.push(`${label} ${index}`);
  return parts.length > 0 ? parts.join(', ') : 'the edit';
}

/** "line 12", "lines 12, 40 and 77". */
export function lineList(lines: readonly number[]): string {
  if (lines.length === 1) {
    return `line ${lines[0]}`;
  }
  const shown = lines.slice(0, 10).map(String);
  const more = lines.length > 10 ? ` (and ${lines.length - 10} more)` : '';
  return `lines ${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}${more}`;
}

/** A failure for text that is not in any supported format, or a malformed part of it. */
export function unparseable(message: string, extra: Partial<EditFailure> = {}): EditFailure {
  return { kind: 'unparseable', message, ...extra };
}

/** One message for all failures, as the CLI prints them. */
export function describeFailures(failures: readonly EditFailure[]): string {
  const head = failures.length === 1 ? 'The edit was not applied:' : `The edit was not applied (${failures.length} problems):`;
  return [head, ...failures.map((failure) => failure.message)].join('\n\n');
}
