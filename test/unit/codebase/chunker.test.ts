import assert from 'node:assert/strict';
import { chunkFile, familyOf, MAX_CHARS, MAX_LINES, type Chunk } from '../../../src/server/services/codebase/chunker';
import { pick, seededRandom } from '../../support/random';

interface Generated {
  path: string;
  text: string;
  /** Declarations a chunk must start at: 1-based first line (its comment), and the name the chunk shows. */
  expected: Array<{ line: number; symbol: string }>;
}

type Family = 'ts' | 'js' | 'python' | 'go' | 'rust' | 'java' | 'ruby' | 'markdown';

const WORDS = ['parse', 'render', 'token', 'link', 'cache', 'retry', 'queue', 'socket', 'config', 'stream', 'index', 'chunk'];

function identifier(random: () => number, index: number): string {
  return `${pick(random, WORDS)}${pick(random, WORDS).replace(/^./, (c) => c.toUpperCase())}${index}`;
}

/** A body of `size` lines at `indent`, with statements the patterns must not take for declarations. */
function body(random: () => number, size: number, indent: string): string[] {
  const statements = ['if (value) {', '}', 'for (const item of items) {', 'return total;', 'foo(bar);', 'while (x < 3) x++;', 'const y = compute(x);', 'switch (kind) {', 'catch (error) {'];
  return Array.from({ length: size }, () => indent + pick(random, statements));
}

/** A file of the family with `count` declarations, some with comments above, one sometimes too large to be one chunk. */
function generate(family: Family, seed: number, count = 8): Generated {
  const random = seededRandom(seed);
  const lines: string[] = [];
  const expected: Generated['expected'] = [];
  const add = (...more: string[]): void => void lines.push(...more);
  const commented = (prefix: string): number => {
    const start = lines.length + 1;
    if (random() < 0.5) add(`${prefix} Does the thing number ${start}.`);
    return start;
  };
  if (family === 'ts' || family === 'js') add("import { x } from './x';", '');
  if (family === 'python') add('import os', '');
  if (family === 'go') add('package main', '');
  for (let i = 0; i < count; i++) {
    const name = identifier(random, i);
    const size = 8 + Math.floor(random() * 20);
    switch (family) {
      case 'ts': {
        if (random() < 0.3) {
          // A class too large for one chunk: cut at its methods.
          const line = commented('//');
          add(`export class ${name} {`, '  private count = 0;');
          expected.push({ line, symbol: name });
          for (let m = 0; m < 4; m++) {
            const method = identifier(random, m);
            add('');
            expected.push({ line: lines.length + 1, symbol: `${name}.${method}` });
            add(`  ${method}(value: string): number {`, ...body(random, 24, '    '), '  }');
          }
          add('}', '');
        } else {
          const line = commented('//');
          expected.push({ line, symbol: name });
          add(`export function ${name}(a: number, b: string): number {`, ...body(random, size, '  '), '}', '');
        }
        break;
      }
      case 'js': {
        const line = commented('//');
        expected.push({ line, symbol: `Runner.prototype.${name}` });
        add(`Runner.prototype.${name} = function (fn) {`, ...body(random, size, '  '), '};', '');
        break;
      }
      case 'python': {
        const line = commented('#');
        expected.push({ line, symbol: name });
        add(`def ${name}(a, b=None):`, ...body(random, size, '    ').map((l) => l.replace(/[{};]/g, '')), '');
        break;
      }
      case 'go': {
        const line = commented('//');
        expected.push({ line, symbol: name });
        add(`func (r *Runner) ${name}(x int) error {`, ...body(random, size, '\t'), '}', '');
        break;
      }
      case 'rust': {
        const line = commented('///');
        expected.push({ line, symbol: name });
        add(`pub fn ${name}(x: u32) -> u32 {`, ...body(random, size, '    '), '}', '');
        break;
      }
      case 'java': {
        if (i === 0) add('public class Service {');
        const line = commented('    //');
        // The class is too large for one chunk: its methods carry its name.
        expected.push({ line, symbol: `Service.${name}` });
        add(`    public static int ${name}(int a) {`, ...body(random, size, '        '), '    }', '');
        if (i === count - 1) add('}');
        break;
      }
      case 'ruby': {
        const line = commented('#');
        expected.push({ line, symbol: name });
        add(`def ${name}(a)`, ...body(random, size, '  ').map((l) => l.replace(/[{};]/g, '')), 'end', '');
        break;
      }
      case 'markdown': {
        expected.push({ line: lines.length + 1, symbol: `Section ${name}` });
        add(`## Section ${name}`, '', ...Array.from({ length: size }, (_, k) => `Some prose about ${name}, line ${k}.`), '');
        break;
      }
    }
  }
  const ext = { ts: 'ts', js: 'js', python: 'py', go: 'go', rust: 'rs', java: 'java', ruby: 'rb', markdown: 'md' }[family];
  return { path: `src/gen.${ext}`, text: lines.join('\n'), expected };
}

/** What holds for every file, whatever its content: ordered, in range, the text is the lines, every non-blank line is in a chunk, sizes capped. */
function assertInvariants(path: string, text: string, chunks: readonly Chunk[]): void {
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const covered = new Set<number>();
  let previousStart = 0;
  for (const chunk of chunks) {
    assert.ok(chunk.startLine >= 1 && chunk.endLine <= lines.length && chunk.startLine <= chunk.endLine, `${path}: range ${chunk.startLine}-${chunk.endLine} of ${lines.length}`);
    assert.ok(chunk.startLine >= previousStart, `${path}: chunks in order`);
    previousStart = chunk.startLine;
    assert.equal(chunk.text, lines.slice(chunk.startLine - 1, chunk.endLine).join('\n'));
    const count = chunk.endLine - chunk.startLine + 1;
    assert.ok(count <= MAX_LINES, `${path}: ${count} lines in ${chunk.startLine}-${chunk.endLine}`);
    assert.ok(chunk.text.length <= MAX_CHARS || count === 1, `${path}: ${chunk.text.length} chars in ${chunk.startLine}-${chunk.endLine}`);
    for (let line = chunk.startLine; line <= chunk.endLine; line++) covered.add(line);
  }
  lines.forEach((line, index) => {
    if (line.trim() !== '') assert.ok(covered.has(index + 1), `${path}: line ${index + 1} is in no chunk: ${line.slice(0, 60)}`);
  });
}

const FAMILIES: readonly Family[] = ['ts', 'js', 'python', 'go', 'rust', 'java', 'ruby', 'markdown'];

describe('codebase chunker', () => {
  for (const family of FAMILIES) {
    it(`${family}: a chunk starts at each declaration (its comment included) and carries its name (generated files)`, () => {
      for (let seed = 1; seed <= 25; seed++) {
        const file = generate(family, seed);
        const chunks = chunkFile(file.path, file.text);
        assertInvariants(file.path, file.text, chunks);
        for (const { line, symbol } of file.expected) {
          const chunk = chunks.find((c) => c.startLine === line);
          assert.ok(chunk, `seed ${seed}: no chunk starts at line ${line} (${symbol}); starts: ${chunks.map((c) => c.startLine).join(',')}`);
          assert.equal(chunk.symbol, symbol, `seed ${seed}, line ${line}`);
        }
      }
    });
  }

  it('mutated files (lines dropped, duplicated, re-indented with tabs, CRLF, stray braces, long lines) keep every invariant', () => {
    const random = seededRandom(99);
    for (let round = 0; round < 300; round++) {
      const file = generate(pick(random, FAMILIES), 1000 + round);
      let lines = file.text.split('\n');
      for (let m = 0; m < 1 + Math.floor(random() * 5); m++) {
        const at = Math.floor(random() * lines.length);
        switch (Math.floor(random() * 6)) {
          case 0:
            lines.splice(at, Math.floor(random() * 10));
            break;
          case 1:
            lines.splice(at, 0, ...lines.slice(at, at + Math.floor(random() * 30)));
            break;
          case 2:
            lines = lines.map((line) => line.replace(/^( {2})+/, (run) => '\t'.repeat(run.length / 2)));
            break;
          case 3:
            lines = lines.map((line) => `${line}\r`);
            break;
          case 4:
            lines.splice(at, 0, pick(random, ['}', '{', 'function', 'class {', 'def', '#', '```', '/*']));
            break;
          case 5:
            lines.splice(at, 0, `const data = "${'x'.repeat(Math.floor(random() * 9000))}";`);
            break;
        }
      }
      const text = lines.join('\n');
      assertInvariants(file.path, text, chunkFile(file.path, text));
    }
  });

  it('a file without declarations is cut into overlapping windows; an empty one into nothing', () => {
    const text = Array.from({ length: 230 }, (_, i) => `line ${i + 1}`).join('\n');
    const chunks = chunkFile('notes.txt', text);
    assertInvariants('notes.txt', text, chunks);
    assert.ok(chunks.length >= 5);
    for (let i = 1; i < chunks.length; i++) assert.ok((chunks[i] as Chunk).startLine <= (chunks[i - 1] as Chunk).endLine, 'windows overlap');
    assert.deepEqual(chunkFile('empty.ts', ''), []);
    assert.deepEqual(chunkFile('blank.ts', '\n\n   \n'), []);
  });

  it('markdown headings inside code fences are no sections', () => {
    const text = ['# Title', '', 'Intro text.', '', '```sh', '# not a heading', 'echo hi', '```', '', '## Usage', '', 'Run it.'].join('\n');
    const chunks = chunkFile('README.md', text);
    assert.ok(!chunks.some((chunk) => chunk.symbol === 'not a heading'));
  });

  it('knows the language family by extension', () => {
    assert.equal(familyOf('a/b.tsx'), 'brace');
    assert.equal(familyOf('x.PY'), 'python');
    assert.equal(familyOf('Rakefile.rake'), 'ruby');
    assert.equal(familyOf('docs/x.md'), 'markdown');
    assert.equal(familyOf('Makefile'), 'plain');
    assert.equal(familyOf('.gitignore'), 'plain');
  });
});
