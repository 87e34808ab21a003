/**
 * Splits a file into chunks at declaration boundaries, so that a search hit
 * is one function, class, method or section rather than a random window.
 * No parser: each language family has a few line patterns for the lines
 * that open a declaration, and indentation says how they nest.
 *
 * 1. Declaration lines are found (family patterns, on lines up to
 *    MAX_DECL_LINE chars: repository text, so every pattern is linear).
 *    Comments, decorators and attributes right above one belong to it.
 * 2. The file is cut before each declaration at the shallowest indentation
 *    that has any; what comes before the first one (imports) is a chunk.
 * 3. A chunk over MAX_LINES lines or MAX_CHARS chars is cut again at its own
 *    next deeper declarations (the methods of a class); what still does not
 *    fit becomes windows of WINDOW lines (and MAX_CHARS) overlapping by
 *    OVERLAP.
 * 4. Runs of tiny neighbours (one-line declarations) merge up to MERGE_LINES.
 *
 * Markdown is cut at headings; families without patterns (plain text, JSON,
 * unknown extensions) go straight to windows. Lines are 1-based, inclusive.
 * Pure; bump CHUNKER_VERSION when the output changes (persisted indexes are
 * rebuilt).
 */

export const CHUNKER_VERSION = 1;

export const MAX_LINES = 80;
export const MAX_CHARS = 4_000;
export const WINDOW = 50;
export const OVERLAP = 10;
const MERGE_LINES = 24;
const TINY_LINES = 3;
const MAX_DECL_LINE = 400;

export type LanguageFamily = 'brace' | 'python' | 'ruby' | 'markdown' | 'plain';

export interface Chunk {
  startLine: number;
  endLine: number;
  /** The declaration's name, `Class.method` inside a class (absent for a preamble or a window). */
  symbol?: string;
  text: string;
}

const BRACE_EXTENSIONS = 'js mjs cjs jsx ts mts cts tsx java kt kts scala groovy c h cc cpp cxx hpp hh cs go rs swift dart php vue svelte m mm'.split(' ');
const FAMILIES: ReadonlyMap<string, LanguageFamily> = new Map<string, LanguageFamily>([
  ...BRACE_EXTENSIONS.map((ext) => [ext, 'brace'] as [string, LanguageFamily]),
  ['py', 'python'],
  ['pyi', 'python'],
  ['rb', 'ruby'],
  ['rake', 'ruby'],
  ['md', 'markdown'],
  ['markdown', 'markdown'],
  ['mdx', 'markdown'],
]);

export function familyOf(path: string): LanguageFamily {
  const name = path.slice(path.lastIndexOf('/') + 1).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? 'plain' : (FAMILIES.get(name.slice(dot + 1)) ?? 'plain');
}

const ID = '[A-Za-z_$][\\w$]*';
/** Each returns the declared name in group 1 (patterns see the line without its indentation). */
const BRACE_PATTERNS: readonly RegExp[] = [
  new RegExp(`^(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*(${ID})`),
  new RegExp(`^(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?class\\s+(${ID})`),
  new RegExp(`^(?:export\\s+)?(?:declare\\s+)?(?:const\\s+)?(?:interface|enum|namespace|module|type|struct|trait|union)\\s+(${ID})`),
  new RegExp(`^(?:export\\s+)?(?:const|let|var)\\s+(${ID})\\s*(?::[^=]{0,120})?=\\s*(?:async\\s+)?(?:function\\b|\\(|${ID}\\s*=>|class\\b)`),
  // CommonJS and prototypes: exports.parse = function, Runner.prototype.run = function, Foo.bar = (a) =>
  new RegExp(`^((?:${ID}\\.){1,3}${ID})\\s*=\\s*(?:async\\s+)?(?:function\\b|\\([^)]{0,200}\\)\\s*=>|${ID}\\s*=>|class\\b)`),
  /^module\.exports\s*=\s*(?:function\s*([A-Za-z_$][\w$]*)?|class\b)/,
  // Go, Rust, Swift, Kotlin.
  new RegExp(`^func\\s+(?:\\([^)]{0,120}\\)\\s*)?(${ID})`),
  new RegExp(`^(?:pub(?:\\([^)]{0,40}\\))?\\s+)?(?:async\\s+)?(?:unsafe\\s+)?(?:fn|impl(?:<[^>]{0,80}>)?|mod)\\s+(${ID})`),
  new RegExp(`^(?:(?:public|private|protected|internal|open|override|static|final|abstract|sealed|data|suspend|inline|virtual|extern|unsafe|synchronized)\\s+){0,6}(?:fun|func|def|class|object|record|interface|enum|struct)\\s+(${ID})`),
  // Methods and C-family functions: [modifiers] [type] name(params) { — the line opens a body.
  new RegExp(
    `^(?:(?:public|private|protected|internal|static|readonly|async|override|abstract|final|virtual|inline|get|set|unsafe|extern|const)\\s+|\\*\\s*){0,6}(?:[\\w$.<>\\[\\],:*&]{1,80}\\s+){0,3}\\*?(${ID})\\s*(?:<[^>(]{0,80}>)?\\s*\\([^;]{0,240}\\)?\\s*(?::\\s*[^={;]{1,120})?\\s*(?:\\{|=>|->[^;]{0,80}\\{)?\\s*$`,
  ),
];
const PYTHON_PATTERNS: readonly RegExp[] = [/^(?:async\s+)?def\s+([A-Za-z_]\w*)/, /^class\s+([A-Za-z_]\w*)/];
const RUBY_PATTERNS: readonly RegExp[] = [/^def\s+((?:self\.)?[A-Za-z_][\w.]*[?!=]?)/, /^(?:class|module)\s+([A-Z][\w:]*)/];
/** Words that open a block but are no declaration (the method pattern would take `if (…) {` for one). */
const NOT_NAMES: ReadonlySet<string> = new Set(['if', 'for', 'while', 'switch', 'catch', 'return', 'function', 'with', 'else', 'do', 'try', 'new', 'typeof', 'await', 'yield', 'throw', 'super', 'this', 'elif', 'except', 'foreach', 'using', 'lock', 'sizeof', 'delete', 'case', 'import', 'require', 'describe', 'it', 'test']);

interface Declaration {
  /** 0-based line index where the chunk starts (its leading comments included). */
  start: number;
  /** 0-based line of the declaration itself. */
  line: number;
  indent: number;
  name: string;
}

/** The chunks of `text` (a file at `path`, '/'-separated). Empty text: no chunks. */
export function chunkFile(path: string, text: string): Chunk[] {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (lines.length === 0 || lines.every((line) => line.trim() === '')) return [];
  const family = familyOf(path);
  const declarations = findDeclarations(lines, family);
  const ranges = declarations.length === 0 ? windows(lines, 0, lines.length - 1, undefined) : split(lines, declarations, 0, lines.length - 1, undefined, 0);
  return merge(lines, ranges).map((range) => ({ startLine: range.start + 1, endLine: range.end + 1, ...(range.symbol ? { symbol: range.symbol } : {}), text: lines.slice(range.start, range.end + 1).join('\n') }));
}

interface Range {
  start: number;
  end: number;
  symbol?: string;
}

export function findDeclarations(lines: readonly string[], family: LanguageFamily): Declaration[] {
  const found: Declaration[] = [];
  const patterns = family === 'brace' ? BRACE_PATTERNS : family === 'python' ? PYTHON_PATTERNS : family === 'ruby' ? RUBY_PATTERNS : [];
  let fence = false;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.length > MAX_DECL_LINE) continue;
    const body = raw.trimStart();
    const indent = indentOf(raw);
    if (family === 'markdown') {
      if (body.startsWith('```') || body.startsWith('~~~')) fence = !fence;
      const heading = fence ? null : /^(#{1,6})\s+(.{1,200})$/.exec(raw);
      // Deeper headings nest like deeper indentation.
      if (heading) found.push({ start: i, line: i, indent: (heading[1] ?? '#').length - 1, name: (heading[2] ?? '').trim() });
      continue;
    }
    for (const pattern of patterns) {
      const match = pattern.exec(body);
      const name = match?.[1];
      if (name === undefined || NOT_NAMES.has(name)) continue;
      found.push({ start: leadingComments(lines, i, family), line: i, indent, name });
      break;
    }
  }
  return found;
}

/** The first line of the comments, decorators and attributes directly above line `i`. */
function leadingComments(lines: readonly string[], i: number, family: LanguageFamily): number {
  let start = i;
  while (start > 0) {
    const above = (lines[start - 1] ?? '').trim();
    const isComment =
      family === 'python' || family === 'ruby'
        ? above.startsWith('#') || above.startsWith('@')
        : above.startsWith('//') || above.startsWith('/*') || above.startsWith('*') || above.startsWith('@') || above.startsWith('#[') || above.startsWith('[');
    if (!isComment || above === '') break;
    start--;
  }
  return start;
}

function indentOf(line: string): number {
  let width = 0;
  for (const char of line) {
    if (char === ' ') width += 1;
    else if (char === '\t') width += 4;
    else break;
  }
  return width;
}

/**
 * Lines `first..last` cut at the shallowest declarations inside them (those
 * deeper than `minIndent`), each piece cut again when too large.
 */
function split(lines: readonly string[], all: readonly Declaration[], first: number, last: number, parent: string | undefined, depth: number): Range[] {
  const inside = all.filter((d) => d.line >= first && d.line <= last && d.start >= first);
  if (inside.length === 0 || depth > 4) return windows(lines, first, last, parent);
  const level = Math.min(...inside.map((d) => d.indent));
  const cuts = inside.filter((d) => d.indent === level);
  const out: Range[] = [];
  const firstCut = cuts[0] as Declaration;
  if (firstCut.start > first) out.push(...fit(lines, all, { start: first, end: firstCut.start - 1, ...(parent ? { symbol: parent } : {}) }, depth, undefined));
  for (let c = 0; c < cuts.length; c++) {
    const cut = cuts[c] as Declaration;
    const next = cuts[c + 1];
    const end = next ? next.start - 1 : last;
    const symbol = parent ? `${parent}.${cut.name}` : cut.name;
    out.push(...fit(lines, all, { start: cut.start, end, symbol }, depth, cut.line));
  }
  return out;
}

/** `range` as it is when it fits, else cut at its inner declarations, else windows. */
function fit(lines: readonly string[], all: readonly Declaration[], range: Range, depth: number, declLine: number | undefined): Range[] {
  const trimmed = trimBlank(lines, range);
  if (!trimmed) return [];
  if (fits(lines, trimmed)) return [trimmed];
  if (declLine !== undefined && declLine < trimmed.end) {
    const inner = split(lines, all, declLine + 1, trimmed.end, trimmed.symbol, depth + 1);
    if (inner.length > 1 || (inner[0] && inner[0].symbol !== trimmed.symbol)) {
      // The head (signature, fields before the first member) stays with the declaration's name.
      const rest = inner[0]?.symbol === trimmed.symbol ? inner.slice(1) : inner;
      const headEnd = rest[0] ? rest[0].start - 1 : trimmed.end;
      const head = trimBlank(lines, { start: trimmed.start, end: headEnd, ...(trimmed.symbol ? { symbol: trimmed.symbol } : {}) });
      const heads = !head ? [] : fits(lines, head) ? [head] : windows(lines, head.start, head.end, head.symbol);
      return [...heads, ...rest];
    }
  }
  return windows(lines, trimmed.start, trimmed.end, trimmed.symbol);
}

function fits(lines: readonly string[], range: Range): boolean {
  if (range.end - range.start + 1 > MAX_LINES) return false;
  let chars = 0;
  for (let i = range.start; i <= range.end; i++) chars += (lines[i] ?? '').length + 1;
  return chars <= MAX_CHARS;
}

/**
 * Windows of up to WINDOW lines and MAX_CHARS chars, each starting OVERLAP
 * lines before the previous one ended (fewer when that one was short). A
 * single line longer than MAX_CHARS is a window of its own.
 */
function windows(lines: readonly string[], first: number, last: number, symbol: string | undefined): Range[] {
  const out: Range[] = [];
  let start = first;
  while (start <= last) {
    let end = start;
    let chars = (lines[start] ?? '').length + 1;
    while (end < last && end - start + 1 < WINDOW && chars + (lines[end + 1] ?? '').length + 1 <= MAX_CHARS) {
      end++;
      chars += (lines[end] ?? '').length + 1;
    }
    out.push({ start, end, ...(symbol ? { symbol } : {}) });
    if (end >= last) break;
    const size = end - start + 1;
    start = end + 1 - Math.min(OVERLAP, Math.floor(size / 4));
  }
  return out;
}

function trimBlank(lines: readonly string[], range: Range): Range | undefined {
  let { start, end } = range;
  while (start <= end && (lines[start] ?? '').trim() === '') start++;
  while (end >= start && (lines[end] ?? '').trim() === '') end--;
  return start > end ? undefined : { ...range, start, end };
}

/**
 * Runs of tiny neighbours (one-line declarations, constants) merge; the first
 * one's name stays. A class's head is never merged away from its methods.
 */
function merge(lines: readonly string[], ranges: readonly Range[]): Range[] {
  const out: Array<Range & { tiny: boolean }> = [];
  const size = (r: Range): number => r.end - r.start + 1;
  ranges.forEach((range, index) => {
    const previous = out.at(-1);
    const next = ranges[index + 1];
    const isHead = range.symbol !== undefined && next?.symbol?.startsWith(`${range.symbol}.`) === true;
    const tiny = size(range) <= TINY_LINES && !isHead;
    // A preamble (imports) stays apart from a named declaration.
    if (previous && previous.tiny && tiny && (previous.symbol === undefined) === (range.symbol === undefined) && range.end - previous.start + 1 <= MERGE_LINES && fits(lines, { start: previous.start, end: range.end })) {
      previous.end = range.end;
      if (!previous.symbol && range.symbol) previous.symbol = range.symbol;
      return;
    }
    out.push({ ...range, tiny });
  });
  return out.map(({ tiny: _tiny, ...range }) => range);
}
