/**
 * Renders a scenario's edits as the answer another assistant would give, in
 * the formats their own test suites use: Codex apply_patch, aider / Cline /
 * Roo SEARCH/REPLACE (Roo with `:start_line:`), `git diff` and plain unified
 * diffs, and fenced whole-file code blocks with path hints (Continue's info
 * string, a `### path` heading). Every line is annotated with its role, so
 * mutate.ts can change markers and headers but never content, and knows where
 * each block ends (for truncations).
 */
import { linesOf, type Edit, type Scenario } from './scenarios';

export type Role = 'prose' | 'blank' | 'path' | 'fenceOpen' | 'fenceClose' | 'marker' | 'body';

export interface AnswerLine {
  text: string;
  role: Role;
  /** This line completes block n (1-based): after it, the first n blocks are whole. */
  completes?: number;
  /** This line starts block n. */
  starts?: number;
}

export type FormatName = 'apply_patch' | 'aider' | 'cline' | 'roo' | 'git_diff' | 'unified_diff' | 'code_blocks';

export interface Answer {
  format: FormatName;
  lines: AnswerLine[];
  /** The edits each block makes, in answer order. */
  blocks: Edit[][];
  /** The format has an end marker without which an answer is cut off (apply_patch's End Patch). */
  terminated: boolean;
}

const LANGUAGES: Record<string, string> = { ts: 'ts', py: 'python', go: 'go', md: 'markdown' };

function language(path: string): string {
  return LANGUAGES[path.split('.').pop() ?? ''] ?? '';
}

class Builder {
  readonly lines: AnswerLine[] = [];
  private block = 0;
  add(role: Role, text: string): this {
    this.lines.push({ text, role });
    return this;
  }
  body(texts: readonly string[]): this {
    for (const text of texts) this.add('body', text);
    return this;
  }
  start(role: Role, text: string): this {
    this.block++;
    this.lines.push({ text, role, starts: this.block });
    return this;
  }
  complete(role: Role, text: string): this {
    this.lines.push({ text, role, completes: this.block });
    return this;
  }
}

/** Context lines around an edit: `n` before and after, more while the SEARCH text is not unique in the file. */
function context(fileLines: readonly string[], edit: Edit, n: number, unique: boolean): { before: string[]; after: string[] } {
  for (let size = n; ; size++) {
    const from = Math.max(0, edit.at - size);
    const to = Math.min(fileLines.length, edit.at + edit.remove + size);
    const before = fileLines.slice(from, edit.at);
    const after = fileLines.slice(edit.at + edit.remove, to);
    const search = [...before, ...fileLines.slice(edit.at, edit.at + edit.remove), ...after];
    const whole = from === 0 && to === fileLines.length;
    if (!unique || whole || occurrences(fileLines, search) === 1) return { before, after };
  }
}

function occurrences(lines: readonly string[], block: readonly string[]): number {
  let count = 0;
  for (let i = 0; i + block.length <= lines.length; i++) {
    if (block.every((line, j) => lines[i + j] === line)) count++;
  }
  return count;
}

/** SEARCH/REPLACE content lines that look like markers are escaped with a backslash (the convention Roo defined). */
function escape(line: string): string {
  return /^(?:<{3,}|>{3,}|={3,}|\+{3,}|-{5,}|:start_line:|:end_line:)/.test(line.trim()) ? `\\${line}` : line;
}

function fileLinesOf(scenario: Scenario, path: string): string[] {
  const content = scenario.files[path];
  return content === undefined ? [] : linesOf(content);
}

function isNew(scenario: Scenario, edit: Edit): boolean {
  return scenario.files[edit.path] === undefined;
}

function applyPatch(scenario: Scenario): Answer {
  const b = new Builder();
  b.add('marker', '*** Begin Patch');
  const blocks: Edit[][] = [];
  let path: string | undefined;
  for (const edit of scenario.edits) {
    if (isNew(scenario, edit)) {
      b.start('marker', `*** Add File: ${edit.path}`).body(edit.insert.map((line) => `+${line}`));
      path = undefined;
    } else {
      const lines = fileLinesOf(scenario, edit.path);
      const { before, after } = context(lines, edit, 3, true);
      if (edit.path !== path) b.add('marker', `*** Update File: ${edit.path}`);
      path = edit.path;
      b.start('marker', '@@').body([
        ...before.map((l) => ` ${l}`),
        ...lines.slice(edit.at, edit.at + edit.remove).map((l) => `-${l}`),
        ...edit.insert.map((l) => `+${l}`),
        ...after.map((l) => ` ${l}`),
      ]);
    }
    blocks.push([edit]);
  }
  // Without End Patch every part of the answer is cut off, so no block counts as complete before it.
  b.complete('marker', '*** End Patch');
  return { format: 'apply_patch', lines: b.lines, blocks, terminated: true };
}

type SearchReplaceStyle = 'aider' | 'cline' | 'roo';

function searchReplace(scenario: Scenario, style: SearchReplaceStyle): Answer | undefined {
  if (style !== 'aider' && scenario.edits.some((edit) => isNew(scenario, edit))) return undefined; // Cline and Roo create files with another tool.
  const b = new Builder();
  const blocks: Edit[][] = [];
  if (style === 'aider') b.add('prose', 'Here are the changes:').add('blank', '');
  let path: string | undefined;
  for (const edit of scenario.edits) {
    const lines = fileLinesOf(scenario, edit.path);
    const { before, after } = isNew(scenario, edit) ? { before: [], after: [] } : context(lines, edit, 2, true);
    const search = [...before, ...lines.slice(edit.at, edit.at + edit.remove), ...after].map(escape);
    const replace = [...before, ...edit.insert, ...after].map(escape);
    if (style === 'aider') {
      b.add('path', edit.path).start('fenceOpen', `\`\`\`${language(edit.path)}`).add('marker', '<<<<<<< SEARCH');
    } else {
      if (edit.path !== path) b.add('path', edit.path);
      b.start('marker', style === 'cline' ? '------- SEARCH' : '<<<<<<< SEARCH');
      if (style === 'roo') b.add('marker', `:start_line:${edit.at - before.length + 1}`).add('marker', '-------');
    }
    path = edit.path;
    b.body(search).add('marker', '=======').body(replace);
    if (style === 'aider') {
      b.add('marker', '>>>>>>> REPLACE').complete('fenceClose', '```').add('blank', '');
    } else {
      b.complete('marker', style === 'cline' ? '+++++++ REPLACE' : '>>>>>>> REPLACE');
    }
    blocks.push([edit]);
  }
  return { format: style, lines: b.lines, blocks, terminated: false };
}

/** Unified-diff hunk header numbers: old start and count, new start and count (`-0,0` for a new file). */
function hunkHeader(oldStart: number, oldCount: number, newStart: number, newCount: number): string {
  return `@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`;
}

function unifiedDiff(scenario: Scenario, git: boolean): Answer {
  const b = new Builder();
  const blocks: Edit[][] = [];
  if (git) b.add('prose', 'Here is the diff:').add('blank', '').add('fenceOpen', '```diff');
  const paths = [...new Set(scenario.edits.map((edit) => edit.path))];
  for (const path of paths) {
    const edits = scenario.edits.filter((edit) => edit.path === path).sort((x, y) => x.at - y.at);
    const created = scenario.files[path] === undefined;
    if (git) {
      b.add('marker', `diff --git a/${path} b/${path}`);
      if (created) b.add('marker', 'new file mode 100644');
      b.add('marker', created ? 'index 0000000..4b825dc' : 'index 3b18e51..a9c4f2d 100644');
    }
    b.add('marker', created ? '--- /dev/null' : `--- a/${path}`).add('marker', `+++ b/${path}`);
    const lines = fileLinesOf(scenario, path);
    let delta = 0;
    for (const edit of edits) {
      const { before, after } = created ? { before: [], after: [] } : context(lines, edit, 3, false);
      const oldStart = edit.at - before.length + 1;
      const oldCount = before.length + edit.remove + after.length;
      const newCount = before.length + edit.insert.length + after.length;
      b.start('marker', hunkHeader(oldStart, oldCount, oldStart + delta, newCount));
      const hunk = [...before.map((l) => ` ${l}`), ...lines.slice(edit.at, edit.at + edit.remove).map((l) => `-${l}`), ...edit.insert.map((l) => `+${l}`), ...after.map((l) => ` ${l}`)];
      b.body(hunk.slice(0, -1)).complete('body', hunk[hunk.length - 1] ?? '');
      delta += edit.insert.length - edit.remove;
      blocks.push([edit]);
    }
  }
  if (git) b.add('fenceClose', '```').add('blank', '').add('prose', 'This keeps the behaviour the tests expect.');
  return { format: git ? 'git_diff' : 'unified_diff', lines: b.lines, blocks, terminated: false };
}

function codeBlocks(scenario: Scenario): Answer {
  const b = new Builder();
  const blocks: Edit[][] = [];
  b.add('prose', 'Here are the updated files:').add('blank', '');
  const paths = [...new Set(scenario.edits.map((edit) => edit.path))];
  for (const [i, path] of paths.entries()) {
    const edits = scenario.edits.filter((edit) => edit.path === path);
    const lines = fileLinesOf(scenario, path);
    for (const edit of [...edits].sort((x, y) => y.at - x.at)) lines.splice(edit.at, edit.remove, ...edit.insert);
    // Two conventions: Continue's path in the fence info string, and a markdown heading above the fence.
    if (i % 2 === 0) b.start('fenceOpen', `\`\`\`${language(path)} ${path}`);
    else b.add('path', `### ${path}`).start('fenceOpen', `\`\`\`${language(path)}`);
    b.body(lines).complete('fenceClose', '```').add('blank', '');
    blocks.push(edits);
  }
  return { format: 'code_blocks', lines: b.lines, blocks, terminated: false };
}

/** The scenario as an answer in `format`, or undefined when that format does not express it. */
export function render(scenario: Scenario, format: FormatName): Answer | undefined {
  switch (format) {
    case 'apply_patch':
      return applyPatch(scenario);
    case 'aider':
    case 'cline':
    case 'roo':
      return searchReplace(scenario, format);
    case 'git_diff':
      return unifiedDiff(scenario, true);
    case 'unified_diff':
      return unifiedDiff(scenario, false);
    case 'code_blocks':
      return codeBlocks(scenario);
  }
}

export const FORMATS: readonly FormatName[] = ['apply_patch', 'aider', 'cline', 'roo', 'git_diff', 'unified_diff', 'code_blocks'];

export function answerText(lines: readonly AnswerLine[]): string {
  return lines.map((line) => `${line.text}\n`).join('');
}
