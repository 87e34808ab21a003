/**
 * The intended edits the mutation corpus starts from: small files in a few
 * languages (tabs, a numpydoc docstring, markdown with a setext heading, a
 * rule and a table) and, per scenario, the edits an answer is meant to make.
 * The expected file texts are computed here from the edits, independently of
 * the engine, and rendered into answers by render.ts.
 */

export type Tree = Record<string, string>;

/** Replace `remove` lines from 0-based line `at` of `path` with `insert`; a path not in the files is created. */
export interface Edit {
  path: string;
  at: number;
  remove: number;
  insert: string[];
}

export interface Scenario {
  name: string;
  files: Tree;
  edits: Edit[];
  /** The file a caller (chat Apply, an edit task) would name, for blocks that name none. */
  defaultPath?: string;
  /** Every edit replaces as many lines as it removes (a mixed-line-ending file then has a definite result). */
  oneForOne: boolean;
}

const GREET = [
  "import { format } from './format';",
  '',
  'export interface Greeting {',
  '  name: string;',
  '  polite: boolean;',
  '}',
  '',
  'export function greet(greeting: Greeting): string {',
  "  const prefix = greeting.polite ? 'Good day' : 'Hi';",
  '  return format(`${prefix}, ${greeting.name}!`);',
  '}',
  '',
  'export function farewell(name: string): string {',
  '  return format(`Goodbye, ${name}.`);',
  '}',
  '',
  "export const DEFAULT_NAME = 'world';",
];

const STATS = [
  '"""Small statistics helpers."""',
  '',
  'from typing import Sequence',
  '',
  '',
  'def mean(values: Sequence[float]) -> float:',
  '    """Return the arithmetic mean.',
  '',
  '    Returns',
  '    -------',
  '    float',
  '    """',
  '    if not values:',
  '        return 0.0',
  '    return sum(values) / len(values)',
  '',
  '',
  'def spread(values: Sequence[float]) -> float:',
  '    return max(values) - min(values)',
];

const MAIN_GO = ['package main', '', 'import "fmt"', '', 'func add(a, b int) int {', '\treturn a + b', '}', '', 'func main() {', '\tfmt.Println(add(2, 3))', '}'];

const GUIDE = [
  'Guide',
  '=====',
  '',
  'Install the tool, then run it.',
  '',
  '---',
  '',
  '| option | meaning |',
  '|--------|---------|',
  '| -v     | verbose |',
  '',
  'Usage',
  '-----',
  '',
  'Run `tool --help`.',
];

const text = (lines: readonly string[]): string => `${lines.join('\n')}\n`;

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'one-line',
    files: { 'src/greet.ts': text(GREET) },
    edits: [{ path: 'src/greet.ts', at: 8, remove: 1, insert: ["  const prefix = greeting.polite ? 'Good day' : 'Hello';"] }],
    defaultPath: 'src/greet.ts',
    oneForOne: true,
  },
  {
    name: 'two-places',
    files: { 'src/greet.ts': text(GREET) },
    edits: [
      { path: 'src/greet.ts', at: 4, remove: 1, insert: ['  polite?: boolean;'] },
      { path: 'src/greet.ts', at: 13, remove: 1, insert: ['  return format(`Goodbye, ${name}!`);'] },
    ],
    oneForOne: true,
  },
  {
    name: 'two-files',
    files: { 'app/stats.py': text(STATS), 'cmd/main.go': text(MAIN_GO) },
    edits: [
      { path: 'app/stats.py', at: 12, remove: 2, insert: ['    if len(values) == 0:', "        return float('nan')"] },
      { path: 'cmd/main.go', at: 5, remove: 1, insert: ['\tsum := a + b', '\treturn sum'] },
    ],
    oneForOne: false,
  },
  {
    name: 'markdown',
    files: { 'docs/guide.md': text(GUIDE) },
    edits: [{ path: 'docs/guide.md', at: 14, remove: 1, insert: ['Run `tool --help`.', '', 'Options', '=======', '', 'See the table above.', '', '---'] }],
    defaultPath: 'docs/guide.md',
    oneForOne: false,
  },
  {
    name: 'insert-delete',
    files: { 'src/greet.ts': text(GREET) },
    edits: [
      { path: 'src/greet.ts', at: 5, remove: 0, insert: ['  title?: string;'] },
      { path: 'src/greet.ts', at: 15, remove: 2, insert: [] },
    ],
    oneForOne: false,
  },
  {
    name: 'new-file',
    files: { 'src/greet.ts': text(GREET) },
    edits: [
      { path: 'src/format.ts', at: 0, remove: 0, insert: ['export function format(text: string): string {', '  return text.trim();', '}'] },
      { path: 'src/greet.ts', at: 16, remove: 1, insert: ["export const DEFAULT_NAME = 'everyone';"] },
    ],
    oneForOne: false,
  },
];

/** The tree after `edits` (the spec the engine is held to: lines replaced in place, LF files stay LF). */
export function applyIntended(files: Tree, edits: readonly Edit[]): Tree {
  const result: Tree = { ...files };
  const byPath = new Map<string, Edit[]>();
  for (const edit of edits) byPath.set(edit.path, [...(byPath.get(edit.path) ?? []), edit]);
  for (const [path, fileEdits] of byPath) {
    const lines = result[path] === undefined ? [] : (result[path] ?? '').split('\n').slice(0, -1);
    for (const edit of [...fileEdits].sort((a, b) => b.at - a.at)) lines.splice(edit.at, edit.remove, ...edit.insert);
    result[path] = text(lines);
  }
  return result;
}

/** Lines of an LF text (without the empty string after the final newline). */
export function linesOf(content: string): string[] {
  return content.split('\n').slice(0, content.endsWith('\n') ? -1 : undefined);
}
