import assert from 'node:assert/strict';
import { buildEditPrompt, fence } from '../../../src/server/propose/prompts';

const FILE = ['function add(a, b) {', '  return a + b;', '}', '', 'function sub(a, b) {', '  return a - b;', '}', ''].join('\n');

describe('edit prompts', () => {
  it('a refactor of a selection asks for the selected lines only, in one code block', () => {
    const prompt = buildEditPrompt({ task: 'refactor', instruction: 'use arrow functions', path: 'src/math.js', languageId: 'javascript', text: FILE, selection: { startLine: 0, endLine: 3 }, diagnostics: [], related: [] });
    assert.equal(prompt.shape, 'selection');
    const [system, user] = prompt.messages;
    assert.match(system?.content ?? '', /exactly one fenced code block/);
    assert.match(user?.content ?? '', /Instruction: use arrow functions/);
    assert.match(user?.content ?? '', /The selected lines \(1–3 of src\/math\.js\):\n```javascript\nfunction add\(a, b\) \{\n  return a \+ b;\n\}\n```/);
  });

  it('a fix without a selection asks for SEARCH/REPLACE blocks and lists the problems with 1-based lines', () => {
    const prompt = buildEditPrompt({
      task: 'fix',
      instruction: '',
      path: 'src/math.js',
      languageId: 'javascript',
      text: FILE,
      cursorLine: 5,
      diagnostics: [{ startLine: 5, endLine: 5, severity: 'error', message: "Cannot find name 'c'.", source: 'ts', code: '2304' }],
      related: [],
    });
    assert.equal(prompt.shape, 'blocks');
    assert.match(prompt.messages[0]?.content ?? '', /<<<<<<< SEARCH\n[\s\S]*=======\n[\s\S]*>>>>>>> REPLACE/);
    const user = prompt.messages[1]?.content ?? '';
    assert.match(user, /- line 6: error \(ts 2304\): Cannot find name 'c'\./);
    assert.match(user, /The cursor is on line 6/);
    assert.ok(!/Instruction:/.test(user), 'no empty instruction line');
  });

  it('tests always answer in blocks (a new file is possible) and show an existing test file', () => {
    const prompt = buildEditPrompt({ task: 'tests', instruction: '', path: 'src/math.js', languageId: 'javascript', text: FILE, selection: { startLine: 0, endLine: 3 }, diagnostics: [], related: [{ path: 'src/math.test.js', text: "test('x', () => {});\n" }] });
    assert.equal(prompt.shape, 'blocks');
    assert.match(prompt.messages[1]?.content ?? '', /Related file src\/math\.test\.js:\n```\ntest\('x', \(\) => \{\}\);\n```/);
  });

  it('every prompt forbids elision placeholders', () => {
    for (const task of ['refactor', 'fix', 'tests', 'docs', 'inline'] as const) {
      const prompt = buildEditPrompt({ task, instruction: 'x', path: 'a.js', languageId: 'javascript', text: FILE, diagnostics: [], related: [] });
      assert.match(prompt.messages[0]?.content ?? '', /Never elide code/);
    }
  });

  it('fences are longer than any backtick run in the text', () => {
    assert.equal(fence('a ``` b', 'md'), '````md\na ``` b\n````');
    assert.equal(fence('plain\n', ''), '```\nplain\n```');
  });
});
