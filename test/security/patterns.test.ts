/**
 * Patterns from the model and from repositories never freeze the service:
 * search_text's regular expressions run on RE2 (linear time) with JavaScript's
 * meaning, what RE2 cannot run is refused with what to write instead, a search
 * has a budget; globs (find_files, search_text, ignore files) match in linear
 * time. Hostile cases run in a worker with a deadline (isolated.ts), so a
 * regression fails the test instead of hanging the run.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { MAX_IGNORE_DEPTH } from '../../src/shared/boundary/ignore';
import { AgentWorkspace, type ToolOutcome } from '../../src/server/agent/workspace';
import { compileGlob } from '../../src/shared/boundary/glob';
import { fileGlob } from '../../src/shared/boundary/ignore';
import { compilePattern, DEFAULT_SEARCH_LIMITS, LineSearch, lineSearch, PatternError, type SafeRegex, type SearchLimits } from '../../src/server/util/safeRegex';
import { pick, seededRandom } from '../support/random';
import { copyFixture, removeDir } from '../unit/agent/harness';
import { caseFile, HOSTILE_REGEXES, makeWorkspace, refusedRegexes, removeWorkspace } from './hostilePatterns';
import { runIsolated } from './isolated';

const CASES = path.join(__dirname, 'hostilePatterns.ts');
/** Generous: every isolated batch here takes well under a second when it passes. */
const DEADLINE_MS = 20_000;

// ---- Generated ordinary patterns and lines, for differential checks against JavaScript ----

const ATOMS = ['a', 'b', 'x', '0', ' ', '-', '_', '\\.', '.', '\\d', '\\D', '\\w', '\\W', '\\s', '\\S', '[ab]', '[^a]', '[a-c]', '[\\d_]', '[\\s\\S]', '[\\S]', '[^\\s]', '[\\w-]', '[]', '[^]', '\\t', '\\r', '\\u00e9', '\\x41', '\\/', '\\-', '\\{', '{', '}', ']', '\\cJ', '\\0', '[\\b]', 'é', '\\u2028', '\\v', '\\f', '\\n', '[.]', '[\\-a]', '\\\\', '(?:ab)', '\\e', '\\A', '\\z', '[*+?]', '\\$', '\\^', 'a{,2}', '\\b', '\\B', '^', '$'];
const QUANTIFIERS = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,}', '*?', '+?', '??', '{1,2}?'];
const CHARS = ['a', 'b', 'x', '0', '9', ' ', '\t', '\r', '\u00a0', '\u2028', '\ufeff', '_', '-', '.', '(', ')', '[', ']', '{', '}', '\\', '/', '*', 'é', 'Σ', '\v', '\f', '\x00', '\x08', 'A', '\x01', '\n', '$', '^', 'e', 'z', ','];

/** `flat`: no groups and at most three atoms, so JavaScript's backtracking stays small on lines of any length. */
function generator(seed: number, flat = false): { pattern: () => string; line: () => string } {
  const random = seededRandom(seed);
  const pattern = (depth = 0): string => {
    let out = '';
    for (let n = 1 + Math.floor(random() * (flat ? 3 : 4)); n > 0; n--) {
      const r = flat ? 1 : random();
      const atom = r < 0.15 && depth < 2 ? `(${pattern(depth + 1)})` : r < 0.22 && depth < 2 ? `(?:${pattern(depth + 1)}|${pattern(depth + 1)})` : pick(random, ATOMS);
      const assertion = ['^', '$', '\\b', '\\B', '{', '}', 'a{,2}'].includes(atom);
      out += atom + (assertion ? '' : pick(random, QUANTIFIERS));
    }
    return !flat && random() < 0.1 ? `${out}|${pattern(depth + 1)}` : out;
  };
  const line = (): string => Array.from({ length: Math.floor(random() * 14) }, () => pick(random, CHARS)).join('');
  return { pattern: () => pattern(), line };
}

/** search_text as it was before patterns ran on RE2: JavaScript's RegExp, no budget. */
async function javascriptSearch(ws: AgentWorkspace, pattern: string): Promise<string> {
  const regex = new RegExp(pattern);
  const matches: string[] = [];
  let total = 0;
  for await (const file of ws.walk()) {
    const text = ws.readText(file);
    if (text === undefined || text.includes('\0')) continue;
    text.split('\n').forEach((line, i) => {
      if (!regex.test(line)) return;
      total += 1;
      if (matches.length < 100) matches.push(`${file}:${i + 1}: ${(line.length > 200 ? `${line.slice(0, 200)}…` : line).trim()}`);
    });
  }
  if (total > matches.length) matches.push(`[${total - matches.length} more matches not shown; narrow the pattern or glob]`);
  return matches.join('\n') || 'No matches.';
}

/** The line numbers search_text reported for `file`. */
function reportedLines(outcome: ToolOutcome, file: string): Set<number> {
  const found = new Set<number>();
  for (const line of outcome.output.split('\n')) {
    if (line.startsWith(`${file}:`)) found.add(Number(line.slice(file.length + 1).split(':')[0]));
  }
  return found;
}

/** A stand-in regex whose every call advances a fake clock, so budgets are tested without timing anything. */
function clockedRegex(programSize: number, msPerChar: number, msPerCall = 0): { regex: SafeRegex; limits: SearchLimits } {
  let now = 0;
  const regex: SafeRegex = {
    source: 'stand-in',
    programSize,
    test: (text) => {
      now += text.length * msPerChar + msPerCall;
      return text.includes('hit');
    },
  };
  return { regex, limits: { ...DEFAULT_SEARCH_LIMITS, now: () => now } };
}

describe('model patterns: search_text', function () {
  this.timeout(60_000);

  describe('JavaScript meaning on a linear-time engine', () => {
    it('finds the same lines as JavaScript for 3,000 generated ordinary patterns', () => {
      const { pattern, line } = generator(20_260_101);
      let compared = 0;
      for (let i = 0; i < 3000; i++) {
        const source = pattern();
        const javascript = new RegExp(source);
        const safe = compilePattern(source);
        for (let j = 0; j < 25; j++) {
          const text = line();
          assert.equal(safe.test(text), javascript.test(text), `${JSON.stringify(source)} on ${JSON.stringify(text)}`);
          compared++;
        }
      }
      assert.equal(compared, 75_000);
    });

    it('reads JavaScript-only syntax as JavaScript does', () => {
      const table: Array<[string, string[]]> = [
        ['[]', ['', 'a', ']']],
        ['[^]', ['', 'a', '\n', '\r']],
        ['a]', ['a]', 'a', ']']],
        ['foo() {', ['foo() {', 'foo()', 'function foo() { return 1 }']],
        ['a{,2}', ['a{,2}', 'aa', 'a{2}']],
        ['x{2', ['x{2', 'xx']],
        ['\\A\\z\\e', ['Aze', '\\A\\z\\e', '']],
        ['[\\b]', ['\b', 'b', ' ']],
        ['\\cJ|\\c1', ['\n', '\\c1', 'c1']],
        ['[\\w-z]', ['-', 'z', 'y', '!']],
        ['x.y', ['x\ry', 'x\u2028y', 'x\u2029y', 'x y', 'x\u00e9y']],
        ['^\\s+$', ['\u00a0\ufeff\u2028\v\f\t ', '\u200b', ' x']],
        ['^\\S+$', ['\u00a0', '\u200b', 'abc']],
        ['[^\\s\\d]', ['1 ', '\u3000', 'a']],
        ['done$', ['done', 'done\r', 'done ']],
        ['^\\bword\\B', ['words', 'word', 'sword']],
        ['\\u00e9|\\x41|\\u{1F600}', ['é', 'A', '😀', 'u']],
        ['(?<year>\\d{4})-(?:\\d\\d)', ['2024-05', '24-05']],
      ];
      for (const [source, lines] of table) {
        const safe = compilePattern(source);
        // \u{…} is read as the code point (what a model means by it), not as JavaScript's "u" repeated.
        const javascript = new RegExp(source.replace('\\u{1F600}', '\\uD83D\\uDE00'));
        for (const text of lines) assert.equal(safe.test(text), javascript.test(text), `${JSON.stringify(source)} on ${JSON.stringify(text)}`);
      }
    });

    it('gives the same search_text output as the JavaScript search did, on the agent fixture project', async () => {
      const root = copyFixture();
      try {
        const ws = new AgentWorkspace(root);
        const patterns = ['function', 'add', '^export', 'return .*;$', '\\b[A-Z]\\w+', '\\d+', '(TODO|FIXME)', '\\s{2,}\\S', 'a.b', '[{}]$', '^$', 'x', '\\(\\w*\\)', '=>|function\\s*\\('];
        const { pattern } = generator(7, true);
        for (let i = 0; i < 200; i++) patterns.push(pattern());
        // The search's time budget is wall-clock: on a loaded machine an ordinary pattern can be
        // descheduled past it and stop with partial results. Such a run says so; ask again.
        const search = async (source: string): Promise<string> => {
          let output = '';
          for (let attempt = 0; attempt < 5; attempt++) {
            output = (await ws.searchText({ pattern: source })).output;
            if (!output.includes('[search stopped after')) break;
          }
          return output;
        };
        for (const source of patterns) assert.equal(await search(source), await javascriptSearch(ws, source), source);
      } finally {
        removeDir(root);
      }
    });
  });

  describe('refused, with what to write instead', () => {
    const refused = refusedRegexes();

    it(`refuses ${refused.length} generated patterns RE2 cannot run or would build too large, without building them`, async () => {
      const root = makeWorkspace({ 'a.txt': 'aaaa\n' });
      try {
        const outcomes = await runIsolated<ToolOutcome[]>(CASES, 'searchAll', [root, refused.map(({ pattern }) => ({ pattern }))], DEADLINE_MS);
        refused.forEach(({ pattern, reason }, i) => {
          const outcome = outcomes[i] as ToolOutcome;
          assert.equal(outcome.ok, false, pattern);
          assert.match(outcome.output, /^Not a valid regular expression or glob: /, pattern);
          assert.match(outcome.output, reason, pattern);
        });
      } finally {
        removeWorkspace(root);
      }
    });

    it('says what to write instead of a backreference or a lookaround', () => {
      const message = (pattern: string): string => {
        try {
          compilePattern(pattern);
        } catch (error) {
          assert.ok(error instanceof PatternError);
          return error.message;
        }
        assert.fail(`${pattern} was accepted`);
      };
      assert.match(message('(\\w+) \\1'), /Search for the text itself/);
      assert.match(message('foo(?=bar)'), /foo\(\?=bar\) → foobar/);
      assert.match(message('(?<!x)y'), /search for the wider text/);
    });

    it('reports invalid patterns as invalid, as before', async () => {
      const ws = new AgentWorkspace(makeWorkspace({ 'a.txt': 'a\n' }));
      try {
        for (const pattern of ['(', '[a', 'a**', '*a', 'x{2,1}', '\\', '(?<1>x)', '[z-a]', 'a)']) {
          const outcome = await ws.searchText({ pattern });
          assert.equal(outcome.ok, false, pattern);
          assert.match(outcome.output, /^Not a valid regular expression or glob: /, pattern);
        }
      } finally {
        removeWorkspace(ws.root);
      }
    });
  });

  describe('hostile patterns on pathological lines', () => {
    it(`${HOSTILE_REGEXES.length} catastrophic patterns give the right answer on every line within the line limit`, () => {
      for (const entry of HOSTILE_REGEXES) {
        const search = lineSearch(entry.pattern, { ...DEFAULT_SEARCH_LIMITS, slowPatternMs: Infinity, maxMatchMs: Infinity });
        const { lines } = caseFile(entry);
        let searched = 0;
        for (const line of lines) {
          const hit = search.test(line.text);
          if (line.text.length > search.maxLineChars) {
            assert.equal(hit, false, `${entry.name}: a line over the limit is not searched`);
            continue;
          }
          searched++;
          assert.equal(hit, line.match, `${entry.name} on a line of ${line.text.length} characters`);
        }
        assert.ok(searched >= 2, `${entry.name}: some lines are searched`);
        assert.equal(search.stopped, false);
      }
    });

    it('search_text returns on all of them, every reported line right, every skipped line said', async () => {
      const files = Object.fromEntries(HOSTILE_REGEXES.map((entry, i) => [`case${i}.txt`, caseFile(entry).text]));
      const root = makeWorkspace(files);
      try {
        const calls = HOSTILE_REGEXES.map((entry, i) => ({ pattern: entry.pattern, glob: `case${i}.txt` }));
        const outcomes = await runIsolated<ToolOutcome[]>(CASES, 'searchAll', [root, calls], DEADLINE_MS);
        HOSTILE_REGEXES.forEach((entry, i) => {
          const outcome = outcomes[i] as ToolOutcome;
          const { lines } = caseFile(entry);
          const limit = new LineSearch(compilePattern(entry.pattern)).maxLineChars;
          const reported = reportedLines(outcome, `case${i}.txt`);
          const partial = /\[search stopped after/.test(outcome.output);
          assert.equal(outcome.ok, true, entry.name);
          lines.forEach((line, n) => {
            if (reported.has(n + 1)) assert.ok(line.match, `${entry.name}: line ${n + 1} does not match`);
            else if (line.match && line.text.length <= limit && !partial) assert.fail(`${entry.name}: line ${n + 1} was missed`);
          });
          const skipped = lines.filter((line) => line.text.length > limit).length;
          if (skipped > 0 && !partial) assert.match(outcome.output, new RegExp(`\\[${skipped} lines? longer than ${limit} characters not searched`), entry.name);
        });
      } finally {
        removeWorkspace(root);
      }
    });

    it('the line limit shrinks as the pattern grows, so one line costs about the same at worst', async () => {
      const small = new LineSearch(compilePattern('foo'));
      const large = new LineSearch(compilePattern('(?:a?){160}a{160}$'));
      const size = large.regex.programSize;
      assert.equal(small.maxLineChars, DEFAULT_SEARCH_LIMITS.maxLineChars);
      assert.ok(large.maxLineChars < 2000 && large.maxLineChars * size * size <= DEFAULT_SEARCH_LIMITS.lineWork);
      const ws = new AgentWorkspace(makeWorkspace({ 'long.txt': `${'x'.repeat(150_000)}\nx\n` }));
      try {
        assert.equal((await ws.searchText({ pattern: 'x' })).output, 'long.txt:2: x\n[1 line longer than 100000 characters not searched]');
      } finally {
        removeWorkspace(ws.root);
      }
    });
  });

  describe('search budget (a fake clock: nothing here is timed)', () => {
    const lines = (n: number, length: number): string[] => Array.from({ length: n }, (_, i) => (i % 10 === 0 ? 'hit' : 'x').padEnd(length, '.'));

    it('stops a pattern that runs slower than ordinary ones once past the slow-pattern budget, and says so', () => {
      const { regex, limits } = clockedRegex(50, 1e-3); // 1 µs per character: a costly pattern
      const search = new LineSearch(regex, limits);
      const results = lines(1000, 1000).map((line) => search.test(line));
      assert.equal(search.stopped, true);
      const searched = Math.ceil(limits.slowPatternMs / 1) + 1; // 1 ms per 1,000-character line
      assert.equal(results.filter(Boolean).length, Math.ceil(searched / 10));
      assert.match(search.notes().join('\n'), /search stopped after \d+ ms: this pattern is slow to run/);
    });

    it('lets an ordinary pattern search everything, up to the overall limits', () => {
      const { regex, limits } = clockedRegex(12, 10e-6, 0.5e-3); // 10 ns per character, 0.5 µs per line
      const search = new LineSearch(regex, limits);
      const results = lines(20_000, 200).map((line) => search.test(line));
      assert.equal(search.stopped, false);
      assert.equal(results.filter(Boolean).length, 2000);
      assert.deepEqual(search.notes(), []);
    });

    it('stops any search at the overall time and size limits', () => {
      const slowButOrdinary = clockedRegex(12, 90e-6);
      const timed = new LineSearch(slowButOrdinary.regex, { ...slowButOrdinary.limits, maxMatchMs: 5 });
      lines(1000, 100).forEach((line) => timed.test(line));
      assert.match(timed.notes().join('\n'), /search stopped after \d+ ms, so the results are partial/);
      const sized = new LineSearch(slowButOrdinary.regex, { ...slowButOrdinary.limits, maxTotalChars: 2 * 1024 * 1024 });
      lines(30_000, 100).forEach((line) => sized.test(line));
      assert.match(sized.notes().join('\n'), /search stopped after 2 MB of text/);
    });
  });
});

describe('globs from the model and from repositories', function () {
  this.timeout(60_000);

  it('**/ repeated up to a thousand times matches any depth, and only the name asked for', () => {
    const deep = `${'d/'.repeat(1500)}x.ts`;
    for (const k of [1, 10, 100, 1000]) {
      const glob = compileGlob(`${'**/'.repeat(k)}x.ts`);
      assert.equal(glob.test('x.ts'), true, `k=${k}`);
      assert.equal(glob.test('a/x.ts'), true, `k=${k}`);
      assert.equal(glob.test(deep), true, `k=${k}`);
      assert.equal(glob.test(`${deep}x`), false, `k=${k}`);
      assert.equal(glob.test('a/y.ts'), false, `k=${k}`);
    }
  });

  it('*a*a*…*b matches exactly the names with that many a\'s before a final b (generated names)', () => {
    const random = seededRandom(99);
    for (const k of [3, 30, 300]) {
      const glob = fileGlob(`${'*a'.repeat(k)}*b`);
      for (let i = 0; i < 200; i++) {
        const length = Math.floor(random() * (2 * k + 20));
        const name = Array.from({ length }, () => (random() < 0.6 ? 'a' : 'b')).join('');
        const expected = name.endsWith('b') && name.slice(0, -1).split('a').length - 1 >= k;
        assert.equal(glob.test(`src/${name}`), expected, `k=${k} ${name}`);
      }
    }
  });

  it('brace expansions: up to 256 alternatives are choices, more are read literally', () => {
    const choices = fileGlob(`${'{a,b}'.repeat(8)}.ts`);
    assert.equal(choices.test('src/abababab.ts'), true);
    assert.equal(choices.test('src/abababa.ts'), false);
    const literal = fileGlob(`${'{a,b}'.repeat(9)}.ts`);
    assert.equal(literal.test('src/ababababa.ts'), false);
    assert.equal(literal.test(`src/${'{a,b}'.repeat(9)}.ts`), true);
    const nested = fileGlob(`${'{x,'.repeat(200)}y${'}'.repeat(200)}.md`);
    assert.equal(nested.test('docs/x.md'), true);
    assert.equal(nested.test('docs/y.md'), true);
    assert.equal(nested.test('docs/z.md'), false);
  });

  it('find_files, search_text and ignore files return with hostile globs on long paths', async () => {
    const deepDir = 'd/'.repeat(40);
    const root = makeWorkspace({
      [`${deepDir}x.ts`]: 'needle\n',
      'src/aaab.ts': 'needle\n',
      'src/ab.ts': 'needle\n',
      'build.log': 'needle\n',
      '.gitignore': `${'**/'.repeat(500)}*.log\n${'*a'.repeat(3)}*b.ts\n`,
    });
    try {
      const globs = [`${'**/'.repeat(1000)}x.ts`, `${'*a'.repeat(500)}*b`, `${'{a,b}'.repeat(8)}.ts`, '**/*.ts', `${'d/**/'.repeat(20)}x.ts`];
      const found = await runIsolated<ToolOutcome[]>(CASES, 'findAll', [root, globs], DEADLINE_MS);
      assert.deepEqual(
        found.map((outcome) => outcome.output),
        [`${deepDir}x.ts`, 'No files match.', 'No files match.', `src/ab.ts\n${deepDir}x.ts`, `${deepDir}x.ts`],
      );
      const searched = await runIsolated<ToolOutcome[]>(CASES, 'searchAll', [root, globs.map((glob) => ({ pattern: 'needle', glob }))], DEADLINE_MS);
      assert.equal(searched[0]?.output, `${deepDir}x.ts:1: needle`);
      const ignored = await runIsolated<string[]>(CASES, 'ignoredPaths', [root, ['build.log', 'a/b/c.log', 'src/aaab.ts', 'src/ab.ts', `${deepDir}x.ts`]], DEADLINE_MS);
      assert.deepEqual(ignored, ['build.log', 'a/b/c.log', 'src/aaab.ts']);
    } finally {
      removeWorkspace(root);
    }
  });

  // Each of these froze the service before the boundary bounded them (each fails by its deadline without the bound).

  // Every brace alternative is its own automaton, run for each path: the glob's expanded size is bounded
  // (MAX_TOTAL_TOKENS), so 256 alternatives of ~3,800 tokens are refused as too complex, at once.
  it('find_files with 256 brace alternatives of a 3,800-character glob returns (glob.ts: alternatives × length)', async () => {
    const files = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`src/components/forms/inputs/field-${i}-with-a-label.ts`, '']));
    const root = makeWorkspace(files);
    try {
      const glob = `${'{a,b}'.repeat(8)}${'*a'.repeat(1900)}`;
      const [outcome] = await runIsolated<ToolOutcome[]>(CASES, 'findAll', [root, [glob]], DEADLINE_MS);
      assert.equal(outcome?.ok, false);
      assert.match(outcome?.output ?? '', /^Not a valid glob: .*too complex/);
    } finally {
      removeWorkspace(root);
    }
  });

  // A repository's .gitignore: every rule runs on every path walked. 64 rules of `*a*a…` (4,000 characters
  // each) cost about 80 ms per path when every state of the automaton was visited for every character;
  // now only live states are, and the walk hands the event loop back between files.
  it('a .gitignore of long wildcard rules leaves the walk responsive (ignore.ts: no bound on rules × length)', async () => {
    const rules = Array.from({ length: 64 }, (_, i) => `${'*a'.repeat(2000)}*${i}`).join('\n');
    const files = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`src/deep/er/file${i}.ts`, '']));
    const root = makeWorkspace({ ...files, '.gitignore': rules });
    try {
      const ignored = await runIsolated<string[]>(CASES, 'ignoredPaths', [root, Object.keys(files)], DEADLINE_MS);
      assert.deepEqual(ignored, []);
    } finally {
      removeWorkspace(root);
    }
  });

  // IgnoreRules.isIgnored checked every prefix of a path against the .gitignore of every folder above it,
  // for every folder of the walk: a chain n deep cost about n³ (1,000 deep: half an hour). Folder answers are
  // now remembered, and paths deeper than MAX_IGNORE_DEPTH count as ignored (never read or sent).
  it('a folder chain 1,000 deep is walked without freezing (ignore.ts: prefixes × ancestor ignore files)', async () => {
    const deep = `${'d/'.repeat(1000)}x.ts`;
    const reachable = `${'e/'.repeat(MAX_IGNORE_DEPTH - 1)}y.ts`;
    const root = makeWorkspace({ [deep]: 'needle\n', [reachable]: 'needle\n' });
    try {
      const [outcome] = await runIsolated<ToolOutcome[]>(CASES, 'findAll', [root, ['**/*.ts']], DEADLINE_MS);
      assert.equal(outcome?.output, reachable, 'the file 1,000 folders deep is out of bounds; 63 deep is found');
    } finally {
      removeWorkspace(root);
    }
  });

  // parseIgnore trimmed a line with /(?<!\\)\s+$/, and a folder rule with /\/+$/: both backtrack quadratically on
  // a long run of spaces (or slashes) that does not end the line (a 1 MB line: minutes). Now lines are trimmed
  // by a loop, and lines longer than a glob may be are left out.
  it('a .gitignore line with a long inner run of spaces or slashes parses in linear time (ignore.ts: trailing-space regex)', async () => {
    const spaces = `a${' '.repeat(1_000_000)}b\n`;
    const slashes = `a${'/'.repeat(1_000_000)}b/\n`;
    assert.equal(await runIsolated<number>(CASES, 'ruleCount', [spaces], DEADLINE_MS), 0, 'too long for a rule');
    assert.equal(await runIsolated<number>(CASES, 'ruleCount', [slashes], DEADLINE_MS), 0, 'too long for a rule');
    assert.equal(await runIsolated<number>(CASES, 'ruleCount', [`a${' '.repeat(3_000)}b\n`], DEADLINE_MS), 1);
    assert.equal(await runIsolated<number>(CASES, 'ruleCount', [`a${'/'.repeat(3_000)}b/ \n`], DEADLINE_MS), 1);
  });
});

// Expressions of the service's own that backtracked quadratically on hostile model text (now read line by line).
// Each fails by its deadline with the old expressions.
describe("the service's own expressions on hostile model text", function () {
  this.timeout(60_000);

  // edits/parseApplyPatch.ts looksLikeApplyPatch: /^\s*\*\*\* (Begin Patch|…)/m tries every line start and lets
  // \s* run over all the blank lines after it: 32,000 newlines take half a second, a million take minutes.
  // A model stuck emitting newlines (a known failure mode) hands exactly that to detectFormat.
  it('detecting the edit format of an answer with a million blank lines returns (parseApplyPatch.ts)', async () => {
    assert.equal(await runIsolated<string>(CASES, 'formatAfterBlankLines', [1_000_000], DEADLINE_MS), 'codeBlock');
  });

  // propose/proposeEdit.ts extractCode: .replace(/\s+$/, '') backtracks over every inner run of spaces;
  // hasFence's /^\s*(`{3,}|~{3,})/m is the same shape as looksLikeApplyPatch's.
  it('extracting the code of an answer with a million inner spaces returns (proposeEdit.ts)', async () => {
    assert.equal(await runIsolated<number>(CASES, 'codeWithInnerSpaces', [1_000_000], DEADLINE_MS), 1_000_002);
  });
});
