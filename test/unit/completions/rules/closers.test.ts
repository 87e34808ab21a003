import assert from 'node:assert/strict';
import { coverRightText, isInInterpolation, outerCloses } from '../../../../src/server/completions/rules/closers';

/** The cursor line after applying a covered suggestion. */
function lineAfter(prefix: string, right: string, reply: string, singleLine = false): string {
  const { text, replace } = coverRightText(reply, prefix, right, false, singleLine);
  return prefix + text + right.slice(replace);
}

describe('completion rules: closers right of the cursor', () => {
  // [line before the cursor, auto-inserted closers, the finished line]
  const LINES: Array<[string, string, string]> = [
    ['foo(', ')', 'foo(a, b)'],
    ['foo(', ');', 'foo(a, b);'],
    ['const x = [', ']', 'const x = [1, 2]'],
    ['print("', '")', 'print("hello")'],
    ["say('", "')", "say('hi')"],
    ['if (', ')', 'if (ready)'],
    ['outer(inner(', '))', 'outer(inner(a))'],
    ['const o = { a: f(', ') }', 'const o = { a: f(1) }'],
    ['x = "', '"', 'x = "text"'],
  ];

  it('the line reads right whatever part of the closers the model repeats', () => {
    for (const [prefix, right, finished] of LINES) {
      const middle = finished.slice(prefix.length, finished.length - right.length);
      // The model may stop before the closers, or write any number of them, or all of them and what follows.
      for (let written = 0; written <= right.length; written++) {
        const reply = middle + right.slice(0, written);
        assert.equal(lineAfter(prefix, right, reply), finished, JSON.stringify([prefix, right, reply]));
      }
    }
  });

  it('keeps what the model adds after the closers: `;`, a block opener, a chained call', () => {
    assert.equal(lineAfter('foo(', ')', 'a, b);'), 'foo(a, b);');
    assert.equal(lineAfter('Math.max(', ')', 'a, min);'), 'Math.max(a, min);');
    assert.equal(lineAfter('if (', ')', 'user.isAdmin) {'), 'if (user.isAdmin) {');
    assert.equal(lineAfter('function f(', ')', 'a, b) {\n  return a + b;\n}'), 'function f(a, b) {\n  return a + b;\n}');
    assert.equal(lineAfter('fetch(', ')', 'url).then(parse);'), 'fetch(url).then(parse);');
    assert.equal(lineAfter('print("', '")', 'hello", end="")'), 'print("hello", end="")');
  });

  it('a multi-line suggestion ends before the closers it does not write', () => {
    assert.equal(lineAfter('foo(', ')', 'function () {\n  return 1;\n}'), 'foo(function () {\n  return 1;\n})');
    assert.equal(lineAfter('foo(', ');', 'function () {\n  return 1;\n});'), 'foo(function () {\n  return 1;\n});');
  });

  it('inside a template literal\'s ${…}, the } closes the interpolation', () => {
    assert.equal(isInInterpolation('const s = `Hello, ${'), true);
    assert.equal(isInInterpolation('const s = `Hello, ${a} and '), false);
    assert.equal(isInInterpolation('const s = "${'), false);
    assert.equal(lineAfter('const greeting = `Hello, ${', '}`', 'user.name}!`;'), 'const greeting = `Hello, ${user.name}!`;');
    assert.equal(lineAfter('const greeting = `Hello, ${', '}`', 'user.name'), 'const greeting = `Hello, ${user.name}`');
  });

  it('cuts before closers that contradict the line (showing less)', () => {
    // The model closes one bracket and ends the statement, the line still has another.
    assert.equal(lineAfter('outer(inner(', '))', 'a);'), 'outer(inner(a))');
    // A closer that matches nothing open.
    assert.equal(lineAfter('foo(', ')', 'a]'), 'foo(a)');
  });

  it('before code right of the cursor, an answer ending with it is inserted without it', () => {
    assert.deepEqual(coverRightText('url, timeout=10)', 'session.get(', ', timeout=10)', true, true), { text: 'url', replace: 0 });
    assert.deepEqual(coverRightText('ctx); err != nil {', 'if err := start(', '); err != nil {', false, true), { text: 'ctx', replace: 0 });
    assert.deepEqual(coverRightText('value + 1', 'x = ', ' + 1', false, true), { text: 'value', replace: 0 });
    assert.deepEqual(coverRightText('1, 2)', 'const total = sum(', ', 2);', false, true), { text: '1', replace: 0 }, 'without the trailing ;');
  });

  it('a suggestion ending with closers of its own leaves the line\'s closers in place', () => {
    assert.deepEqual(coverRightText('items.map((item) => item.id)', 'console.log(', ')'), { text: 'items.map((item) => item.id)', replace: 0 });
    assert.deepEqual(coverRightText('in(root, name)', 'print(path.jo', ')'), { text: 'in(root, name)', replace: 0 });
    assert.deepEqual(coverRightText('5;', 'x = ', ';'), { text: '5;', replace: 1 }, 'a plain rest of the line is replaced');
  });

  it('finds where a suggestion closes what was open before the cursor', () => {
    assert.deepEqual(outerCloses('a, b)', ['('], '').closes, [{ char: ')', index: 4 }]);
    assert.deepEqual(outerCloses('f(x)', ['('], '').closes, [], 'its own brackets');
    assert.deepEqual(outerCloses('hi")', ['('], '"').closes, [{ char: '"', index: 2 }, { char: ')', index: 3 }]);
    assert.deepEqual(outerCloses('a ) " b', [], '"').closes, [{ char: '"', index: 4 }], 'brackets inside the string do not count');
    assert.equal(outerCloses('a]', ['('], '').mismatch, 1);
  });
});
