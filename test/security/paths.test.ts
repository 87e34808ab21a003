/**
 * Invariants 2 and 3 of the threat model against a hostile repository: no
 * read or write outside the workspace, decided on real paths, and no secret
 * byte reaches a model from any entry point of the service.
 */
import assert from 'node:assert/strict';
import { secretFigures, type SecretFigures } from './figures/secrets';

describe('security: paths and secrets, every entry point', function () {
  this.timeout(120_000);
  let figures: SecretFigures;
  before(async () => {
    figures = await secretFigures();
  });

  it('no secret marker reaches the model from any entry point', () => {
    assert.ok(figures.modelRequests > 0, 'the entry points did call the model');
    assert.deepEqual(figures.leaked, []);
  });

  it('nothing outside the workspace is created or changed', () => {
    assert.deepEqual(figures.writesOutside, []);
  });

  it('the agent hears a refusal with the reason for every link out and every secret', () => {
    const results = figures.agentToolResults;
    assert.ok(results.length > 40, String(results.length));
    const reads = results.filter((r) => r.startsWith('Refused:'));
    assert.ok(reads.some((r) => /outside the workspace through a symbolic link/.test(r)));
    assert.ok(reads.some((r) => /a link to .* secrets file/.test(r)));
    assert.ok(reads.some((r) => /excluded by ignore rules/.test(r)));
    for (const edit of results.filter((r) => /NOT applied|^Applied/.test(r))) assert.doesNotMatch(edit, /^Applied/, edit);
  });

  it('edit proposals on off-limits files are refused before anything is sent', () => {
    for (const { path, result } of figures.proposals) {
      assert.equal(result.outcome?.ok, false, path);
      assert.match(result.outcome && !result.outcome.ok ? (result.outcome.failures[0]?.message ?? '') : '', /Not sent to the model/, path);
    }
  });

  it('chat Apply (parseEdit) never targets a link out or a secret', () => {
    for (const { path, outcome } of figures.parsed) assert.equal(outcome.ok, false, path);
  });

  it('chat context from off-limits files is withheld, and the question still goes out', () => {
    assert.equal(figures.chat?.finishReason, 'stop');
  });

  it('no completion request is made inside an off-limits document', () => {
    assert.equal(figures.completionRequestsForSecrets, 0);
  });
});
