import assert from 'node:assert/strict';
import { parseParseEditParams, parseProposeEditParams } from '../../../src/server/propose/validateEdit';

const valid = { streamId: 's1', task: 'fix', instruction: '', root: '/w', path: 'a.ts', languageId: 'typescript', files: [{ path: 'a.ts', text: 'x' }] };

describe('edit request validation', () => {
  it('accepts a well-formed proposeEdit and drops unknown fields', () => {
    const parsed = parseProposeEditParams({ ...valid, selection: { startLine: 1, endLine: 3 }, cursorLine: 2, extra: true, diagnostics: [{ startLine: 2, endLine: 2, severity: 'warning', message: 'm', code: 7 }, { bad: 1 }] });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.selection, { startLine: 1, endLine: 3 });
    assert.deepEqual(parsed.value.diagnostics, [{ startLine: 2, endLine: 2, severity: 'warning', message: 'm', code: '7' }]);
    assert.ok(!('extra' in parsed.value));
  });

  it('refuses what the service cannot act on, saying why', () => {
    const cases: Array<[unknown, RegExp]> = [
      [null, /object/],
      [{ ...valid, task: 'delete-everything' }, /task must be one of/],
      [{ ...valid, task: 'refactor', instruction: '  ' }, /needs an instruction/],
      [{ ...valid, files: [{ path: 'a.ts' }] }, /files must be/],
      [{ ...valid, selection: { startLine: 4, endLine: 2 } }, /selection/],
      [{ ...valid, streamId: '' }, /streamId/],
    ];
    for (const [input, message] of cases) {
      const parsed = parseProposeEditParams(input);
      assert.ok(!parsed.ok);
      assert.match(parsed.error, message);
    }
  });

  it('parseEdit needs text and root; files default to none', () => {
    const parsed = parseParseEditParams({ text: 't', root: '/w', defaultPath: 'a.ts' });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.files, []);
    assert.ok(!parseParseEditParams({ root: '/w' }).ok);
  });
});
