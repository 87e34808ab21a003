import assert from 'node:assert/strict';
import { CASE_CLASSES, CURSOR, type TemplateKind } from './format';
import { CORPUS } from './index';
import { PENDING } from './pending';
import { CorpusRunner, describeRun, splitCursor, templatesOf, type CaseRun } from './run';

/** Languages as the issue counts them: TypeScript/JavaScript, C/C++ and JSON/YAML are one each. */
export const LANGUAGE_GROUPS: Readonly<Record<string, string>> = {
  typescript: 'TypeScript/JavaScript',
  javascript: 'TypeScript/JavaScript',
  python: 'Python',
  go: 'Go',
  rust: 'Rust',
  java: 'Java',
  c: 'C/C++',
  cpp: 'C/C++',
  csharp: 'C#',
  kotlin: 'Kotlin',
  ruby: 'Ruby',
  php: 'PHP',
  json: 'JSON/YAML',
  yaml: 'JSON/YAML',
};

describe('completion corpus: the cases themselves', () => {
  it('has unique ids, known languages and classes, one cursor in doc and after', () => {
    const ids = new Set<string>();
    for (const c of CORPUS) {
      assert.ok(!ids.has(c.id), `duplicate id ${c.id}`);
      ids.add(c.id);
      assert.ok(LANGUAGE_GROUPS[c.language], `${c.id}: unknown language ${c.language}`);
      assert.ok(CASE_CLASSES.includes(c.class), `${c.id}: unknown class ${c.class}`);
      assert.equal(c.doc.split(CURSOR).length, 2, `${c.id}: doc needs exactly one cursor`);
      if (c.after !== null) {
        assert.equal(c.after.split(CURSOR).length, 2, `${c.id}: after needs exactly one cursor`);
      }
      assert.ok(!c.doc.includes('\r') && !(c.after ?? '').includes('\r'), `${c.id}: '\\n' line breaks only`);
    }
  });

  it('has at least 300 cases, and covers every class in at least 8 languages', () => {
    assert.ok(CORPUS.length >= 300, `${CORPUS.length} cases`);
    for (const name of CASE_CLASSES) {
      const groups = new Set(CORPUS.filter((c) => c.class === name).map((c) => LANGUAGE_GROUPS[c.language]));
      assert.ok(groups.size >= 8, `${name}: ${groups.size} languages (${[...groups].join(', ')})`);
    }
  });

  it('changes only the cursor line and what is inserted: the text before the edit and the lines after the cursor line stay', () => {
    for (const c of CORPUS) {
      if (c.after === null) {
        continue;
      }
      const { text, offset } = splitCursor(c.doc);
      const replaced = c.selected?.replace ?? '';
      assert.ok(text.slice(0, offset).endsWith(replaced), `${c.id}: selected.replace must be the text before the cursor`);
      const before = text.slice(0, offset - replaced.length);
      const lineEnd = text.indexOf('\n', offset);
      const below = lineEnd < 0 ? '' : text.slice(lineEnd);
      const after = c.after.replace(CURSOR, '');
      const cursor = c.after.indexOf(CURSOR);
      assert.ok(after.startsWith(before), `${c.id}: after must keep the text before the edit`);
      assert.ok(after.endsWith(below), `${c.id}: after must keep the lines below the cursor line`);
      assert.ok(cursor >= before.length && cursor <= after.length - below.length, `${c.id}: the cursor must end inside the edited region`);
      if (c.selected) {
        assert.ok(after.slice(before.length).startsWith(c.selected.text), `${c.id}: the insertion must start with the selected item`);
      }
    }
  });
});

describe('completion corpus: inline suggestions at the service level', function () {
  this.timeout(120_000);
  let runner: CorpusRunner;
  // Every run is made up front, overlapping (see run.ts); each test below reads its own.
  const runs = new Map<string, CaseRun>();
  const keyOf = (id: string, template: TemplateKind): string => `${id}/${template}`;

  before(async () => {
    runner = await CorpusRunner.start();
    for (const run of await runner.runAll(CORPUS)) {
      runs.set(keyOf(run.case.id, run.template), run);
    }
  });

  after(async () => {
    await runner?.close();
  });

  const known = new Set<string>();
  for (const c of CORPUS) {
    for (const template of templatesOf(c)) {
      const key = keyOf(c.id, template);
      known.add(key);
      it(`${key} (${c.class}, ${c.language})`, function () {
        const run = runs.get(key);
        assert.ok(run, `${key} was not run`);
        if (PENDING.has(key)) {
          assert.ok(!run.passed, `${key} passes now: delete it from corpus/pending.ts`);
          this.skip();
        }
        if (!run.passed) {
          assert.fail(`\n${describeRun(run)}`);
        }
      });
    }
  }

  it('gives the same suggestions in CRLF documents (every run that passes)', async () => {
    // A document without a line break has no line-break style to follow.
    const cases = CORPUS.filter((c) => c.doc.includes('\n'));
    const crlf = await runner.runAll(cases, '\r\n');
    const wrong = crlf
      .filter((run) => !run.passed && runs.get(keyOf(run.case.id, run.template))?.passed === true)
      .map((run) => describeRun(run).replace(/\r/g, '␍'));
    if (wrong.length > 0) {
      assert.fail(`${wrong.length} of ${crlf.length} differ with CRLF line breaks:\n${wrong.slice(0, 5).join('\n\n')}${wrong.length > 5 ? `\n… and ${wrong.length - 5} more` : ''}`);
    }
  });

  it('lists only existing runs as pending', () => {
    const stale = [...PENDING].filter((key) => !known.has(key));
    assert.deepEqual(stale, [], 'pending.ts names runs that do not exist');
  });
});
