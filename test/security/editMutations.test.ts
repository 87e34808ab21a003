/**
 * The edit mutation corpus (test/fixtures/edits/mutations.json): answers in
 * every format other assistants' test suites use, with mutated markers,
 * headers, block order and endings. Each must apply exactly as intended (or,
 * cut after a complete block, as that shorter answer) or be refused with a
 * reason: never a marker line in a file, never a partial application.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { generateMutationCorpus, loadMutationCorpus, MUTATIONS_FILE, runMutationCase, serializeCorpus, type MutationCase } from '../unit/edits/mutations/corpus';
import { FORMATS } from '../unit/edits/mutations/render';

describe('edit mutation corpus', () => {
  const corpus = loadMutationCorpus();

  it('is what the generator makes (regenerate: npx tsx test/fixtures/edits/generate-mutations.ts)', () => {
    assert.ok(readFileSync(MUTATIONS_FILE, 'utf8') === serializeCorpus(generateMutationCorpus()), 'mutations.json is out of date: regenerate it');
  });

  it('has hundreds of cases, in every format, of every kind of mutation', () => {
    assert.ok(corpus.cases.length >= 1000, `${corpus.cases.length} cases`);
    for (const format of FORMATS) {
      assert.ok(corpus.cases.filter((mutationCase) => mutationCase.base.split('+')[0]?.endsWith(`/${format}`)).length >= 100, format);
    }
    for (const kind of ['length', 'spacing', 'trailing junk', 'case', 'missing', 'doubled', 'reordered', 'escaped', 'path', 'fence', 'cut after line', 'cut within line', 'CRLF', 'blocks in reverse order|hunks at lines']) {
      assert.ok(
        corpus.cases.some((mutationCase) => new RegExp(`: (?:${kind})`).test(mutationCase.name)),
        kind,
      );
    }
  });

  // One test per answer, its CRLF-file variants included.
  const byAnswer = new Map<string, MutationCase[]>();
  for (const mutationCase of corpus.cases) {
    const answer = mutationCase.base.split('+')[0] ?? mutationCase.base;
    byAnswer.set(answer, [...(byAnswer.get(answer) ?? []), mutationCase]);
  }

  for (const [base, cases] of byAnswer) {
    it(`${base}: ${cases.length} cases apply exactly as intended or are refused`, () => {
      const problems: string[] = [];
      for (const mutationCase of cases) {
        const result = runMutationCase(corpus, mutationCase);
        if (result.verdict.kind === 'appliedWrongly') problems.push(`${mutationCase.name}: ${result.verdict.detail}`);
        if (result.markerLines.length > 0) problems.push(`${mutationCase.name}: wrote marker lines ${JSON.stringify(result.markerLines)}`);
        if (result.unexpected) problems.push(`${mutationCase.name}: ${result.unexpected}`);
        if (result.verdict.kind === 'refused' && result.verdict.failures.some((failure) => failure.message.trim() === '')) problems.push(`${mutationCase.name}: refused without a reason`);
      }
      assert.deepEqual(problems, []);
    });
  }
});
