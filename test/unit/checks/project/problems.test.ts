import assert from 'node:assert/strict';
import path from 'node:path';
import { parseProblems, sortOutProblems, stripControl, toWorkspacePath, type RawProblem } from '../../../../src/server/services/checks/project/problems';

interface Expected {
  file: string;
  line: number;
  column: number;
  severity: 'error' | 'warning';
  /** A piece of the message that must survive. */
  text: string;
}

const FILES = ['src/app.ts', 'lib/deep/nested/file name.tsx', '/tmp/tandem-checks-x/worktree/src/a.js', 'packages/core/index.mts'];
const MESSAGES = ["Type 'number' is not assignable to type 'string'.", "Cannot find name 'foo'. Did you mean 'for'?", 'Property (x) does not exist: on type {}'];

/** Every format, written for one problem. */
function formats(p: Expected): Array<{ name: string; text: string }> {
  const sev = p.severity;
  const Sev = sev === 'error' ? 'Error' : 'Warning';
  return [
    { name: 'tsc', text: `${p.file}(${p.line},${p.column}): ${sev} TS2322: ${p.text}` },
    { name: 'tsc pretty', text: `${p.file}:${p.line}:${p.column} - ${sev} TS2322: ${p.text}` },
    { name: 'eslint stylish', text: `\n${p.file}\n  ${p.line}:${p.column}  ${sev}  ${p.text}  no-unused-vars\n\n✖ 1 problem (1 ${sev}, 0 warnings)\n` },
    { name: 'eslint unix', text: `${p.file}:${p.line}:${p.column}: ${p.text} [${Sev}/no-unused-vars]` },
    { name: 'eslint compact', text: `${p.file}: line ${p.line}, col ${p.column}, ${Sev} - ${p.text} (no-unused-vars)` },
    { name: 'generic', text: `${p.file}:${p.line}:${p.column}: ${sev}: ${p.text}` },
  ];
}

/** What a terminal adds around the same text: colours, CRLF, trailing spaces, noise lines. */
const MUTATIONS: Array<{ name: string; apply(text: string): string }> = [
  { name: 'as printed', apply: (text) => text },
  { name: 'CRLF', apply: (text) => text.replace(/\n/g, '\r\n') },
  { name: 'colours', apply: (text) => text.replace(/(error|warning|Error|Warning)/g, '\u001b[31m$1\u001b[39m').replace(/^(\S+)/gm, '\u001b[4m$1\u001b[24m') },
  { name: 'trailing spaces', apply: (text) => text.replace(/\n/g, '   \n') + '  ' },
  { name: 'noise around', apply: (text) => `> project@1.0.0 lint\n> eslint .\n\n${text}\nFound 1 error.\nnpm ERR! code 1\n` },
];

describe('project checks: problems in a check\'s output', () => {
  for (const file of FILES) {
    for (const [index, message] of MESSAGES.entries()) {
      const expected: Expected = { file, line: 3 + index * 40, column: 1 + index * 7, severity: index === 1 ? 'warning' : 'error', text: message };
      for (const format of formats(expected)) {
        for (const mutation of MUTATIONS) {
          it(`${format.name}, ${mutation.name}: ${file}:${expected.line} (${expected.severity})`, () => {
            const problems = parseProblems(mutation.apply(format.text));
            assert.equal(problems.length, 1, JSON.stringify(problems));
            const [problem] = problems as [RawProblem];
            assert.equal(problem.file, file);
            assert.equal(problem.line, expected.line);
            assert.equal(problem.column, expected.column);
            assert.equal(problem.severity, expected.severity);
            assert.ok(problem.message.includes(message), problem.message);
          });
        }
      }
    }
  }

  it('reads a whole stylish report with several files and rows', () => {
    const report = ['', '/w/src/a.ts', '   1:10  error    \'x\' is defined but never used  @typescript-eslint/no-unused-vars', '  12:3   warning  Unexpected console statement     no-console', '', '/w/src/b.ts', '  7:1  error  Parsing error: Unexpected token', '', '✖ 3 problems (2 errors, 1 warning)', ''].join('\n');
    const problems = parseProblems(report);
    assert.deepEqual(
      problems.map((p) => [p.file, p.line, p.column, p.severity]),
      [
        ['/w/src/a.ts', 1, 10, 'error'],
        ['/w/src/a.ts', 12, 3, 'warning'],
        ['/w/src/b.ts', 7, 1, 'error'],
      ],
    );
    assert.match(problems[0]?.message ?? '', /never used \(@typescript-eslint\/no-unused-vars\)/);
  });

  it('finds nothing in output without problems (summaries, URLs, times, stack lines)', () => {
    const quiet = ['Found 0 errors.', 'See https://example.com:443/docs for help', 'Done in 12:30:45', '    at Object.<anonymous> (node:internal/main:12:3)', '✔ 12 passing (2s)', 'npm ERR! code 1', ''].join('\n');
    assert.deepEqual(parseProblems(quiet), []);
  });

  it('stops at a bound however long the output is', () => {
    const flood = Array.from({ length: 5_000 }, (_, i) => `src/a.ts(${i + 1},1): error TS1005: ';' expected.`).join('\n');
    assert.equal(parseProblems(flood).length, 500);
  });

  it('strips terminal control sequences and keeps the text', () => {
    assert.equal(stripControl('\u001b[1m\u001b[31merror\u001b[0m here\r\n\u001b]8;;http://x\u0007link\u001b]8;;\u0007\u0007'), 'error here\nlink');
  });
});

describe('project checks: paths from the temporary copy back to the workspace', () => {
  const copy = path.join(path.sep, 'tmp', 'tandem-checks-abc', 'worktree', 'app');
  const person = path.join(path.sep, 'home', 'me', 'repo', 'app');
  const map = { cwd: copy, aliases: [person] };
  const cases: Array<[given: string, expected: string | undefined]> = [
    ['src/a.ts', 'src/a.ts'],
    ['./src/a.ts', 'src/a.ts'],
    [path.join(copy, 'src', 'a.ts'), 'src/a.ts'],
    [path.join(person, 'src', 'a.ts'), 'src/a.ts'],
    ['src\\win\\b.ts', 'src/win/b.ts'],
    ['../outside.ts', undefined],
    [path.join(copy, '..', 'sibling', 'x.ts'), undefined],
    ['/usr/lib/node_modules/typescript/lib/lib.d.ts', undefined],
    [path.join(person, '..', 'other', 'x.ts'), undefined],
  ];
  for (const [given, expected] of cases) {
    it(`${given} → ${expected ?? 'outside'}`, () => {
      assert.equal(toWorkspacePath(given, map), expected);
    });
  }

  it('keeps the problems in the proposal\'s files and counts the others', () => {
    const raw: RawProblem[] = [
      { file: 'src/changed.ts', line: 2, column: 5, severity: 'error', message: 'a' },
      { file: path.join(copy, 'src', 'changed.ts'), line: 9, severity: 'warning', message: 'b' },
      { file: 'src/untouched.ts', line: 1, severity: 'error', message: 'c' },
      { file: '/elsewhere/lib.d.ts', line: 1, severity: 'error', message: 'd' },
    ];
    const sorted = sortOutProblems(raw, map, new Set(['src/changed.ts']));
    assert.deepEqual(sorted.problems, [
      { path: 'src/changed.ts', line: 2, column: 5, severity: 'error', message: 'a' },
      { path: 'src/changed.ts', line: 9, severity: 'warning', message: 'b' },
    ]);
    assert.equal(sorted.otherProblems, 2);
  });
});
