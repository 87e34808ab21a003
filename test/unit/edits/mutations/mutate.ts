/**
 * Mutations of a rendered answer: its markers (length, spacing, trailing
 * junk, case, missing, doubled, reordered, escaped lines), its headers (paths,
 * fences), its block order and its ending (cut after every line or within a
 * line, missing end markers, CRLF, no final newline). Content lines are never
 * changed, so a mutated answer means the intended edit or nothing: the engine
 * must apply it exactly as intended or refuse it.
 *
 * Each mutation says what is acceptable: `accept` lists the trees an
 * application may produce ('full', or 'prefix:k' when an answer cut after its
 * k-th complete block is itself a complete, smaller answer); `expect` is
 * 'apply' when the mutation leaves the answer well-formed (the engine must
 * apply it), 'refuse' when nothing may apply, 'either' otherwise.
 */
import { pick } from '../../../support/random';
import type { Answer, AnswerLine } from './render';

export type Expect = 'apply' | 'refuse' | 'either';

export interface Mutant {
  /** What was changed, for the case name. */
  mutation: string;
  lines: AnswerLine[];
  expect: Expect;
  accept: string[];
  /** The answer text ends without a line break (cut within a line, or stripped). */
  noFinalNewline?: boolean;
  /** The answer's line breaks are CRLF. */
  crlf?: boolean;
}

export type Random = () => number;

const STRUCTURAL: ReadonlySet<string> = new Set(['marker', 'path', 'fenceOpen', 'fenceClose']);

/** Up to `count` distinct indices of lines satisfying `wanted`, chosen at random. */
function targets(random: Random, lines: readonly AnswerLine[], count: number, wanted: (line: AnswerLine) => boolean = (line) => STRUCTURAL.has(line.role)): number[] {
  const all = lines.map((line, i) => (wanted(line) ? i : -1)).filter((i) => i >= 0);
  const chosen: number[] = [];
  while (chosen.length < count && chosen.length < all.length) {
    const candidate = pick(random, all);
    if (!chosen.includes(candidate)) chosen.push(candidate);
  }
  return chosen.sort((a, b) => a - b);
}

function replaced(lines: readonly AnswerLine[], i: number, text: string): AnswerLine[] {
  return lines.map((line, j) => (j === i ? { ...line, text } : line));
}

function quote(text: string): string {
  return `“${text}”`;
}

const FULL = ['full'];

/**
 * The trees acceptable when only `kept` of `answer` remains, followed by the
 * start of line `partial` when the cut is within a line (see the header comment).
 */
export function acceptAfterCut(answer: Answer, kept: readonly AnswerLine[], partial?: AnswerLine): string[] {
  const structure = answer.lines.filter((line) => line.role !== 'prose' && line.role !== 'blank').length;
  if (kept.filter((line) => line.role !== 'prose' && line.role !== 'blank').length === structure) return FULL;
  if (answer.terminated) return [];
  const open = kept.filter((line) => line.role === 'fenceOpen').length - kept.filter((line) => line.role === 'fenceClose').length;
  if (open > 0 || (partial !== undefined && partial.role === 'fenceOpen')) return [];
  const started = Math.max(0, partial?.starts ?? 0, ...kept.map((line) => line.starts ?? 0));
  const complete = Math.max(0, ...kept.map((line) => line.completes ?? 0));
  if (started > complete || complete === 0) return [];
  return complete === answer.blocks.length ? FULL : [`prefix:${complete}`];
}

// ---- markers -------------------------------------------------------------------

const RUN = /^(\s*)([<>=\-+*@`~#])\2*/;

function changeRunLength(text: string, random: Random): string | undefined {
  const match = RUN.exec(text);
  if (!match) return undefined;
  const run = match[0].slice((match[1] ?? '').length);
  const lengths = [1, 2, 3, 4, 5, 6, 8, 10, 11, 13].filter((n) => n !== run.length);
  return (match[1] ?? '') + (match[2] ?? '').repeat(pick(random, lengths)) + text.slice(match[0].length);
}

const SPACINGS: ReadonlyArray<readonly [string, (text: string) => string]> = [
  ['no space', (text) => text.replace(' ', '')],
  ['double space', (text) => text.replace(' ', '  ')],
  ['indented', (text) => `  ${text}`],
  ['tab-indented', (text) => `\t${text}`],
  ['trailing spaces', (text) => `${text}   `],
];

const JUNK = ['>', ' x', ':', ' -->', '*', '.', ' SEARCH', ' REPLACE', ' (1)'];

const CASES: ReadonlyArray<readonly [string, (text: string) => string]> = [
  ['lower case', (text) => text.toLowerCase()],
  ['upper case', (text) => text.toUpperCase()],
  ['title case', (text) => text.toLowerCase().replace(/\b[a-z]/g, (c) => c.toUpperCase())],
];

/** The neighbouring structural line to swap with, if any. */
function structuralNeighbour(lines: readonly AnswerLine[], i: number, random: Random): number | undefined {
  const options = [i - 1, i + 1].filter((j) => j >= 0 && j < lines.length && STRUCTURAL.has(lines[j]?.role ?? ''));
  return options.length === 0 ? undefined : pick(random, options);
}

function withoutPaths(text: string, paths: readonly string[]): string {
  return paths.reduce((rest, path) => rest.split(path).join(''), text);
}

/** `change` applied to the parts of `text` that are not one of `paths`. */
function mapOutsidePaths(text: string, paths: readonly string[], change: (part: string) => string): string {
  const path = paths.find((candidate) => text.includes(candidate));
  if (path === undefined) return change(text);
  return text
    .split(path)
    .map((part) => mapOutsidePaths(part, paths, change))
    .join(path);
}

/** Marker mutations of one answer: each operator on a few of its structural lines (`paths`: the files it names). */
export function markerMutants(answer: Answer, paths: readonly string[], random: Random, perOperator: number): Mutant[] {
  const out: Mutant[] = [];
  const lines = answer.lines;
  const either = (mutation: string, mutated: AnswerLine[]): Mutant => ({ mutation, lines: mutated, expect: 'either', accept: FULL });
  for (const i of targets(random, lines, perOperator)) {
    const text = lines[i]?.text ?? '';
    const longer = changeRunLength(text, random);
    if (longer !== undefined) out.push(either(`length: line ${i + 1} ${quote(text)} → ${quote(longer)}`, replaced(lines, i, longer)));
  }
  for (const i of targets(random, lines, perOperator)) {
    const text = lines[i]?.text ?? '';
    const [name, change] = pick(random, SPACINGS);
    const spaced = change(text);
    if (spaced !== text) out.push(either(`spacing (${name}): line ${i + 1} ${quote(text)}`, replaced(lines, i, spaced)));
  }
  for (const i of targets(random, lines, perOperator)) {
    const text = lines[i]?.text ?? '';
    const junk = pick(random, JUNK);
    out.push(either(`trailing junk: line ${i + 1} ${quote(text)} + ${quote(junk)}`, replaced(lines, i, text + junk)));
  }
  for (const i of targets(random, lines, perOperator, (line) => STRUCTURAL.has(line.role) && /[A-Za-z]/.test(withoutPaths(line.text, paths)))) {
    const text = lines[i]?.text ?? '';
    const [name, change] = pick(random, CASES);
    // Only the marker's words: a path in another case names another file (on a case-sensitive file system), a different edit.
    const changed = mapOutsidePaths(text, paths, change);
    if (changed !== text) out.push(either(`case (${name}): line ${i + 1} ${quote(text)} → ${quote(changed)}`, replaced(lines, i, changed)));
  }
  for (const i of targets(random, lines, perOperator)) {
    out.push(either(`missing: line ${i + 1} ${quote(lines[i]?.text ?? '')}`, lines.filter((_, j) => j !== i)));
  }
  for (const i of targets(random, lines, perOperator)) {
    const line = lines[i] as AnswerLine;
    out.push(either(`doubled: line ${i + 1} ${quote(line.text)}`, [...lines.slice(0, i + 1), { text: line.text, role: line.role }, ...lines.slice(i + 1)]));
  }
  for (const i of targets(random, lines, perOperator)) {
    const j = structuralNeighbour(lines, i, random);
    if (j === undefined) continue;
    const swapped = [...lines];
    swapped[i] = lines[j] as AnswerLine;
    swapped[j] = lines[i] as AnswerLine;
    out.push(either(`reordered: lines ${Math.min(i, j) + 1} and ${Math.max(i, j) + 1} swapped`, swapped));
  }
  for (const i of targets(random, lines, perOperator, (line) => line.role === 'marker')) {
    const text = lines[i]?.text ?? '';
    out.push(either(`escaped: line ${i + 1} ${quote(text)}`, replaced(lines, i, `\\${text}`)));
  }
  // The end marker (End Patch, last REPLACE, last closing fence) missing: a cut-off answer's shape.
  const last = lines.reduce((found, line, i) => (STRUCTURAL.has(line.role) ? i : found), -1);
  if (last >= 0) out.push({ mutation: `end marker missing: ${quote(lines[last]?.text ?? '')}`, lines: lines.filter((_, j) => j !== last), expect: 'either', accept: acceptAfterCut(answer, lines.slice(0, last)) });
  return out;
}

// ---- headers -------------------------------------------------------------------

const PATH_VARIANTS: ReadonlyArray<readonly [string, (path: string) => string, Expect]> = [
  ['./ prefix', (path) => `./${path}`, 'apply'],
  ['double quotes', (path) => `"${path}"`, 'apply'],
  ['backticks', (path) => `\`${path}\``, 'apply'],
  ['bold', (path) => `**${path}**`, 'either'],
  ['trailing colon', (path) => `${path}:`, 'either'],
  ['backslashes', (path) => path.replace(/\//g, '\\'), 'either'],
  ['remark', (path) => `${path} (updated)`, 'either'],
  ['parent folder', (path) => `../${path}`, 'refuse'],
  ['absolute', (path) => `/workspace/${path}`, 'refuse'],
];

/** Header mutations: the path in path lines and file headers, and the fences. */
export function headerMutants(answer: Answer, paths: readonly string[], random: Random, perOperator: number): Mutant[] {
  const out: Mutant[] = [];
  const lines = answer.lines;
  const named = (line: AnswerLine): boolean => STRUCTURAL.has(line.role) && paths.some((path) => line.text.includes(path));
  for (const i of targets(random, lines, perOperator, named)) {
    const text = lines[i]?.text ?? '';
    const path = paths.find((candidate) => text.includes(candidate)) ?? '';
    for (const [name, change, expect] of [pick(random, PATH_VARIANTS), pick(random, PATH_VARIANTS)]) {
      const mutated = text.replace(path, change(path));
      // A decorated path is still the path only on a line of its own; in a marker line it may break the marker.
      // An escaping path must be refused where it is the only name of the file (a diff's headers name it twice).
      const sole = lines[i]?.role === 'path' || lines[i]?.role === 'fenceOpen' || text.startsWith('***');
      const expected: Expect = expect === 'apply' && lines[i]?.role !== 'path' ? 'either' : expect === 'refuse' && !sole ? 'either' : expect;
      out.push({ mutation: `path (${name}): line ${i + 1} ${quote(text)} → ${quote(mutated)}`, lines: replaced(lines, i, mutated), expect: expected, accept: expected === 'refuse' ? [] : FULL });
    }
  }
  const opens = lines.map((line, i) => (line.role === 'fenceOpen' ? i : -1)).filter((i) => i >= 0);
  if (opens.length > 0) {
    const open = pick(random, opens);
    const close = lines.findIndex((line, i) => i > open && line.role === 'fenceClose');
    const openText = lines[open]?.text ?? '';
    const info = openText.replace(/^`+/, '');
    const pair = (name: string, openAs: string, closeAs: string | undefined, expect: Expect): void => {
      const mutated = replaced(lines, open, openAs);
      if (close >= 0 && closeAs !== undefined) mutated[close] = { ...(mutated[close] as AnswerLine), text: closeAs };
      out.push({ mutation: `fence (${name}): line ${open + 1} ${quote(openText)}`, lines: mutated, expect, accept: FULL });
    };
    pair('tildes', `~~~${info}`, '~~~', close >= 0 ? 'apply' : 'either');
    pair('four backticks', `\`\`\`\`${info}`, '````', close >= 0 ? 'apply' : 'either');
    pair('four backticks to open only', `\`\`\`\`${info}`, undefined, 'either');
    const path = paths.find((candidate) => info.includes(candidate));
    if (path !== undefined) {
      pair('info is the path alone', `\`\`\`${path}`, '```', 'apply');
      pair('title= in the info', `\`\`\`${info.split(' ')[0] ?? ''} title="${path}"`, '```', 'apply');
    } else {
      pair('no language', '```', '```', 'apply');
    }
  }
  return out;
}

// ---- order ---------------------------------------------------------------------

/** Line ranges [from, to] of each block: its path line (if right before it), to the line completing it. */
function blockRanges(lines: readonly AnswerLine[]): [number, number][] {
  const ranges: [number, number][] = [];
  let from = -1;
  for (const [i, line] of lines.entries()) {
    if (line.starts !== undefined && from < 0) from = lines[i - 1]?.role === 'path' ? i - 1 : i;
    if (line.completes !== undefined && from >= 0) {
      ranges.push([from, i]);
      from = -1;
    }
  }
  return ranges;
}

/** Line ranges of hunks (a start line and the body lines after it) that directly follow each other, so are in one file. */
function adjacentHunks(lines: readonly AnswerLine[]): [number, number, number] | undefined {
  const starts = lines.map((line, i) => (line.starts !== undefined && line.role === 'marker' && line.text.startsWith('@@') ? i : -1)).filter((i) => i >= 0);
  for (let k = 0; k + 1 < starts.length; k++) {
    const first = starts[k] ?? 0;
    const second = starts[k + 1] ?? 0;
    let end = first + 1;
    while (end < lines.length && lines[end]?.role === 'body') end++;
    if (end !== second) continue;
    let after = second + 1;
    while (after < lines.length && lines[after]?.role === 'body') after++;
    return [first, second, after];
  }
  return undefined;
}

/** Blocks in another order: every block of the answer reversed, or two hunks of one file swapped. */
export function orderMutants(answer: Answer): Mutant[] {
  if (answer.blocks.length < 2) return [];
  const lines = answer.lines;
  const plain = (piece: readonly AnswerLine[]): AnswerLine[] => piece.map((line) => ({ text: line.text, role: line.role }));
  if (answer.format === 'apply_patch' || answer.format === 'git_diff' || answer.format === 'unified_diff') {
    const hunks = adjacentHunks(lines);
    if (!hunks) return [];
    const [first, second, after] = hunks;
    const swapped = [...lines.slice(0, first), ...plain(lines.slice(second, after)), ...plain(lines.slice(first, second)), ...lines.slice(after)];
    return [{ mutation: `hunks at lines ${first + 1} and ${second + 1} swapped`, lines: swapped, expect: 'apply', accept: FULL }];
  }
  const ranges = blockRanges(lines);
  if (ranges.length !== answer.blocks.length) return [];
  const head = lines.slice(0, ranges[0]?.[0] ?? 0);
  const tail = lines.slice((ranges[ranges.length - 1]?.[1] ?? 0) + 1);
  const pieces = ranges.map(([from, to]) => plain(lines.slice(from, to + 1)));
  const gap: AnswerLine[] = [{ text: '', role: 'blank' }];
  const reversed = [...head, ...[...pieces].reverse().flatMap((piece, i) => (i === 0 ? piece : [...gap, ...piece])), ...tail];
  // Cline and Roo name a file once for the blocks after it, so reordering may leave a block without its path.
  const expect: Expect = answer.format === 'cline' || answer.format === 'roo' ? 'either' : 'apply';
  return [{ mutation: 'blocks in reverse order', lines: reversed, expect, accept: FULL }];
}

// ---- endings -------------------------------------------------------------------

/** The answer cut after every line, and within a few lines. */
export function cutMutants(answer: Answer, random: Random, midLineCuts: number): Mutant[] {
  const out: Mutant[] = [];
  const lines = answer.lines;
  for (let keep = 1; keep < lines.length; keep++) {
    const kept = lines.slice(0, keep);
    const accept = acceptAfterCut(answer, kept);
    out.push({ mutation: `cut after line ${keep}`, lines: kept, expect: accept.length === 0 ? 'refuse' : 'either', accept });
  }
  const firstStructural = lines.findIndex((line) => STRUCTURAL.has(line.role));
  // An unfenced diff cut within its last added line reads as a complete diff adding part of that line: another edit, not a cut one.
  const lastBody = answer.format === 'unified_diff' ? lines.length - 1 : -1;
  // Cut within the leading prose there is no edit at all; callers refuse prose (see docs/edits.md).
  for (const i of targets(random, lines, midLineCuts, (line) => line.text.trim().length >= 4).filter((i) => i > firstStructural && !(i === lastBody && lines[i]?.text.startsWith('+')))) {
    const line = lines[i] as AnswerLine;
    const partial = line.text.slice(0, Math.ceil(line.text.length / 2));
    // The partial line completes nothing; it may start a block that is then incomplete.
    const accept = acceptAfterCut(answer, lines.slice(0, i), line);
    const kept = [...lines.slice(0, i), { text: partial, role: line.role }];
    out.push({ mutation: `cut within line ${i + 1} ${quote(line.text)} after ${quote(partial)}`, lines: kept, expect: accept.length === 0 ? 'refuse' : 'either', accept, noFinalNewline: true });
  }
  return out;
}

/** CRLF answers and answers without a final line break. */
export function endingMutants(answer: Answer): Mutant[] {
  const lastStructural = [...answer.lines].reverse().find((line) => line.role !== 'blank' && line.role !== 'prose');
  // An unfenced diff ending with an added line and no line break may have been cut within that line: refusing is right too.
  const risky = answer.format === 'unified_diff' && (lastStructural?.text.startsWith('+') ?? false);
  return [
    { mutation: 'CRLF line breaks', lines: answer.lines, expect: 'apply', accept: FULL, crlf: true },
    { mutation: 'no final line break', lines: answer.lines, expect: risky ? 'either' : 'apply', accept: FULL, noFinalNewline: true },
  ];
}

/** The answer wrapped as a shell heredoc or in a fence with prose (apply_patch), or with prose around it. */
export function wrapMutants(answer: Answer): Mutant[] {
  if (answer.format !== 'apply_patch') {
    return [
      {
        mutation: 'prose around the answer',
        lines: [{ text: 'Sure, here is the fix.', role: 'prose' }, { text: '', role: 'blank' }, ...answer.lines, { text: '', role: 'blank' }, { text: 'Let me know if you need more.', role: 'prose' }],
        expect: 'apply',
        accept: FULL,
      },
    ];
  }
  return [
    { mutation: 'in a heredoc', lines: [{ text: "apply_patch <<'EOF'", role: 'prose' }, ...answer.lines, { text: 'EOF', role: 'prose' }], expect: 'apply', accept: FULL },
    {
      mutation: 'in a fence with prose',
      lines: [{ text: 'Here is the patch:', role: 'prose' }, { text: '```', role: 'fenceOpen' }, ...answer.lines, { text: '```', role: 'fenceClose' }, { text: 'Done.', role: 'prose' }],
      expect: 'apply',
      accept: FULL,
    },
  ];
}
