/**
 * Provenance in words: the commit trailer (one per message, git's trailer
 * rules), the hover on a Tandem-written line, and the recorded diff read
 * back into before / after for the Audit Trail's diff editor.
 */
import assert from 'node:assert/strict';
import { createTwoFilesPatch } from 'diff';
import { approvedBy, askedFor, commitTrailer, hoverText, withTrailer } from '../../../src/extension/audit/provenanceText';
import { fileProvenance } from '../../../src/extension/audit/provenanceMatch';
import { GAP_MARKER, fileDiff, parseRecordedDiff, reconstructSides } from '../../../src/shared/auditDiff';
import type { AuditAppliedChange } from '../../../src/shared/auditProtocol';

function patch(file: string, before: string, after: string): string {
  return createTwoFilesPatch(file === '' ? '/dev/null' : `a/${file}`, `b/${file || 'new.ts'}`, before, after, undefined, undefined, { context: 3 }).replace(/^={67}\n/, '');
}

const change: AuditAppliedChange = { proposal: 'p-9-1', time: '2026-03-01T10:00:00.000Z', origin: 'refactor', request: 'r1', model: 'gpt-4.1', approvedBy: 'person', appliedAt: '2026-03-01T10:00:05.123Z', diff: '' };

describe('the commit trailer', () => {
  it('names the models, the number of changes and the audit anchor', () => {
    assert.equal(commitTrailer({ models: ['gpt-4.1', 'gpt-4.1'], changes: 3, anchor: '9f2c0123'.repeat(8) }), 'AI-assisted: Tandem (gpt-4.1; 3 changes; audit 9f2c…)');
    assert.equal(commitTrailer({ models: ['qwen', 'gpt-4.1', ''], changes: 1 }), 'AI-assisted: Tandem (gpt-4.1, qwen; 1 change)');
    assert.equal(commitTrailer({ models: [], changes: 2 }), 'AI-assisted: Tandem (model not recorded; 2 changes)');
  });

  it('goes after a blank line, joins a trailer block, and replaces an earlier one', () => {
    const trailer = 'AI-assisted: Tandem (m; 1 change)';
    assert.equal(withTrailer('Fix the parser', trailer), `Fix the parser\n\n${trailer}\n`);
    assert.equal(withTrailer('Fix the parser\n\nLonger body.\n', trailer), `Fix the parser\n\nLonger body.\n\n${trailer}\n`);
    assert.equal(withTrailer('Fix\n\nSigned-off-by: A <a@b>', trailer), `Fix\n\nSigned-off-by: A <a@b>\n${trailer}\n`);
    assert.equal(withTrailer('Fix\n\nAI-assisted: Tandem (old; 9 changes)\n', trailer), `Fix\n\n${trailer}\n`);
    assert.equal(withTrailer('', trailer), `\n\n${trailer}\n`);
    // A subject line that looks like a trailer is not a trailer block.
    assert.equal(withTrailer('Fix: the parser', trailer), `Fix: the parser\n\n${trailer}\n`);
    // Applied twice, still one trailer.
    const once = withTrailer('Fix the parser', trailer);
    assert.equal(withTrailer(once, trailer), once);
  });
});

describe('the provenance hover', () => {
  it('says what asked for it, when, which model and who approved it', () => {
    const text = hoverText(change, 3);
    assert.match(text, /Written by Tandem\*\* — 3 lines here/);
    assert.match(text, /Asked for by: Refactor/);
    assert.match(text, /When: 2026\\-03\\-01 10:00:05 UTC/);
    assert.match(text, /Model: `gpt-4.1`/);
    assert.match(text, /Approved by: you \\\(reviewed\\\)/);
    assert.equal(askedFor({ origin: 'agent', task: 'T7', step: 's2' }), 'agent task T7, step s2');
    assert.equal(askedFor({ origin: 'chatApply' }), 'chat Apply');
    assert.equal(askedFor({ origin: 'refactor', title: 'refactor src/a.ts' }), 'Refactor src/a.ts');
    assert.equal(askedFor({ origin: 'fix', title: 'Type error in a.ts' }), 'Fix: Type error in a.ts');
    assert.equal(approvedBy('policy:auto-edit'), 'policy auto-edit (applied without a review)');
  });

  it('keeps markup from the trail inert', () => {
    const text = hoverText({ ...change, model: 'm`](command:x)', title: '[click](command:tandem.stop)', origin: 'api' }, 1);
    // Outside code spans every bracket is escaped; inside one a backtick cannot close it early.
    assert.match(text, /\\\[click\\\]\\\(command:tandem\\\.stop\\\)/);
    assert.match(text, /Model: `m'\]\(command:x\)`$/m);
  });
});

describe('recorded diffs read back', () => {
  it('splits a multi-file diff by file, even when a removed line starts with --', () => {
    const diff = patch('a.sql', '-- old\nselect 1;\n', '++ new\nselect 1;\n') + patch('', '', 'x\n');
    const files = parseRecordedDiff(diff);
    assert.deepEqual(
      files.map((file) => [file.oldPath, file.newPath]),
      [
        ['a.sql', 'a.sql'],
        [undefined, 'new.ts'],
      ],
    );
    assert.deepEqual(fileDiff(diff, 'a.sql')?.hunks[0]?.lines, [
      { op: '-', text: '-- old' },
      { op: '+', text: '++ new' },
      { op: ' ', text: 'select 1;' },
    ]);
    assert.deepEqual(parseRecordedDiff('not a diff at all'), []);
  });

  it('rebuilds before and after with a marker where the trail left lines out', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = [...before];
    after[1] = 'changed 2';
    after[25] = 'changed 26';
    const [file] = parseRecordedDiff(patch('f.ts', `${before.join('\n')}\n`, `${after.join('\n')}\n`));
    assert.ok(file);
    const sides = reconstructSides(file);
    const left = sides.before.split('\n');
    const right = sides.after.split('\n');
    assert.equal(left.length, right.length, 'the sides pair up');
    assert.ok(left.includes('line 2') && right.includes('changed 2') && right.includes('changed 26'));
    const gap = left.find((line) => line.startsWith(GAP_MARKER));
    assert.equal(gap, `${GAP_MARKER} 17 unchanged lines not recorded ${GAP_MARKER}`);
    assert.equal(right.filter((line) => line.startsWith(GAP_MARKER)).length, 1);
  });

  it('fileProvenance gives runs of lines per change, in the current text', () => {
    const before = 'a\nb\nc\nd\ne\n';
    const after = 'a\nb\nnew one\nnew two\nc\nd\ne\n';
    const provenance = fileProvenance(`inserted above\n${after}`, { changes: [{ ...change, diff: patch('f.ts', before, after) }] });
    assert.deepEqual(
      provenance.runs.map((run) => [run.start, run.end, run.change.proposal]),
      [[3, 4, 'p-9-1']],
    );
  });
});
