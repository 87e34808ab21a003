import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import hljs from 'highlight.js/lib/core';
import java from 'highlight.js/lib/languages/java';
import type { Mode } from 'highlight.js';
import { compileGrammar, grammarReady, grammarsToCompile, GRAMMARS, leanJava, MAX_PATTERN_PART_CHARS } from '../../../media/chat/languages';

/** A small seeded generator, so a failure names a case that can be run again. */
function generator(seed: number): { int(n: number): number; pick<T>(items: readonly T[]): T } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state * 1_664_525 + 1_013_904_223) >>> 0;
    return state / 2 ** 32;
  };
  return { int: (n) => Math.floor(next() * n), pick: (items) => items[Math.floor(next() * items.length)] as (typeof items)[number] };
}

const NAMES = ['List', 'Map', 'String', 'K', 'V', 'Optional', 'Entry', 'ÄÖType', 'x$y', 'Foo_1', 'int', 'var'];
const SPACES = ['', ' ', '  ', '\t'];

/** A Java type with generic arguments nested up to `depth` (wildcards, bounds, arrays). */
function javaType(g: ReturnType<typeof generator>, depth: number): string {
  const s = (): string => g.pick(SPACES);
  let type = g.pick(NAMES);
  if (depth > 0 && g.int(3) > 0) {
    const args = Array.from({ length: 1 + g.int(3) }, () => {
      const kind = g.int(6);
      if (kind === 0) return '?';
      if (kind === 1) return `?${s() || ' '}${g.pick(['extends', 'super'])} ${javaType(g, depth - 1)}`;
      return javaType(g, depth - 1);
    });
    type += `${s()}<${s()}${args.join(`${s()},${s()}`)}${s()}>`;
  }
  for (let i = g.int(3) === 0 ? 1 + g.int(2) : 0; i > 0; i--) type += `${s()}[${s()}]`;
  return type;
}

/** Declarations the long patterns were written for, and code around them that is not one. */
function javaSnippet(g: ReturnType<typeof generator>): string {
  const type = javaType(g, 2);
  const name = g.pick(['names', 'x', 'cache$', 'é']);
  return g.pick([
    `${type} ${name} = new ArrayList<>();`,
    `  private final ${type}${g.pick([' ', '  ', '\t'])}${name}${g.pick(['', ' '])}=${g.pick(['', ' '])}null;`,
    `public ${type} ${name}(int a, ${type} b) { return b; }`,
    `${type} ${name}() {}`,
    `if (a < b && c > d) e = 1;`,
    `x = a<b ? c : d; y == z;`,
    `for (${type} item : items) total += item.size();`,
    `${type} ${name} == other;`,
    `return ${name} < limit ? ${name} : limit;`,
    `Map<String, List<Integer>> m = Map.of(); // <${type}>`,
  ]);
}

function modesOf(root: Mode): Mode[] {
  const seen = new Set<Mode>();
  const walk = (mode: unknown): void => {
    if (typeof mode !== 'object' || mode === null || seen.has(mode as Mode)) return;
    const m = mode as Mode;
    seen.add(m);
    for (const child of [...(m.contains ?? []), ...(m.variants ?? []), m.starts]) walk(child);
  };
  walk(root);
  return [...seen];
}

function patternParts(mode: Mode): string[] {
  const parts: string[] = [];
  for (const value of [mode.begin, mode.end, mode.match, mode.illegal]) {
    for (const part of Array.isArray(value) ? value : value === undefined ? [] : [value]) {
      parts.push(typeof part === 'string' ? part : part instanceof RegExp ? part.source : String(part));
    }
  }
  return parts;
}

describe('webview syntax highlighting grammars', () => {
  it('highlights Java exactly as highlight.js does, over 3,000 generated declarations and non-declarations', () => {
    const full = hljs.newInstance();
    full.registerLanguage('java', java);
    const lean = hljs.newInstance();
    lean.registerLanguage('java', leanJava);
    for (let seed = 1; seed <= 3_000; seed++) {
      const g = generator(seed);
      const code = Array.from({ length: 1 + g.int(3) }, () => javaSnippet(g)).join('\n');
      const expected = full.highlight(code, { language: 'java', ignoreIllegals: true }).value;
      assert.equal(lean.highlight(code, { language: 'java', ignoreIllegals: true }).value, expected, `seed ${seed}: ${code}`);
    }
  });

  it('leaves Java no over-long pattern part, which highlight.js\'s own grammar has', () => {
    const longest = (language: Mode): number => Math.max(0, ...modesOf(language).flatMap(patternParts).map((part) => part.length));
    assert.ok(longest(java(hljs.newInstance()) as Mode) > MAX_PATTERN_PART_CHARS);
    assert.ok(longest(leanJava(hljs.newInstance()) as Mode) <= MAX_PATTERN_PART_CHARS);
  });

  it('registers no grammar while the script loads, and all of them on first use', () => {
    // A fresh process: other tests in this one have used the highlighter already.
    const script = `
      const hljs = require('highlight.js/lib/core');
      const languages = require(${JSON.stringify(path.resolve('media/chat/languages.ts'))});
      const before = hljs.listLanguages().length;
      const ts = languages.highlightLanguage('ts');
      console.log(JSON.stringify({ before, after: hljs.listLanguages().length, ts }));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { before: 0, after: Object.keys(GRAMMARS).length, ts: 'typescript' });
  });

  it('names the grammars a piece of markdown still needs compiled, by fence, alias and tilde, each once', () => {
    // A fresh process: other tests in this one have compiled grammars already.
    const script = `
      const languages = require(${JSON.stringify(path.resolve('media/chat/languages.ts'))});
      const markdown = [
        'Text', '\x60\x60\x60ts {1,3}', 'let a = 1;', '\x60\x60\x60', '   ~~~py', 'x = 1', '~~~',
        '\x60\x60\x60\x60TypeScript', 'x', '\x60\x60\x60\x60', '\x60\x60\x60text', 'plain', '\x60\x60\x60',
        '\x60\x60\x60kotlin', 'val x = 1', '\x60\x60\x60', '    \x60\x60\x60go', '(indented code, not a fence)',
        'inline \x60\x60\x60rust\x60\x60\x60 is not one either', '\x60\x60\x60json', '{}', '\x60\x60\x60',
      ].join('\\n');
      const before = languages.grammarsToCompile(markdown);
      const readyBefore = languages.grammarReady('py');
      languages.compileGrammar('python');
      languages.highlight('{"a": 1}', 'json');
      console.log(JSON.stringify({ before, readyBefore, after: languages.grammarsToCompile(markdown), readyAfter: languages.grammarReady('py'), kotlin: languages.grammarReady('kotlin') }));`;
    const result = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { before: ['typescript', 'python', 'json'], readyBefore: false, after: ['typescript'], readyAfter: true, kotlin: true });
  });

  it('compiling ahead never throws, for any fence language', () => {
    for (const lang of ['', 'ts', 'no-such-language', 'constructor', '__proto__', 'toString', 'x'.repeat(500), 'c++', 'java']) {
      compileGrammar(lang);
      assert.equal(grammarReady(lang), true, lang);
      assert.deepEqual(grammarsToCompile(`\`\`\`${lang}\nx\n\`\`\``), [], lang);
    }
  });
});
