/**
 * What the editor reports enters the trail only whole and well-formed: each
 * valid report becomes its event, and every field made wrong (missing, of
 * another type, out of its vocabulary, a hash that is not one) drops it.
 */
import assert from 'node:assert/strict';
import { apiProposal, decisionEvent, restoreEvent, writeEvent } from '../../../src/server/services/audit/clientEvents';

const HASH = 'a'.repeat(64);

const VALID = {
  decision: { proposalId: 'p1', reviewId: 'r1', actor: 'person', scope: 'change', decision: 'accepted', path: 'src/a.ts', hunks: [0, 2], task: 't', step: 's1' },
  write: { proposalId: 'p1', reviewId: 'r1', actor: 'policy:auto-edit', path: 'src/a.ts', operation: 'edit', sha256Before: HASH, sha256After: HASH, bytes: 10 },
  restore: { task: 't', step: 's1', actor: 'person', files: [{ path: 'src/a.ts', action: 'restored', sha256After: HASH }] },
  proposal: { proposalId: 'api-1', origin: 'api', title: 'T', changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path: 'a.ts', oldText: 'a', newText: 'b' }] } },
} as const;

const PARSERS: Record<keyof typeof VALID, (raw: unknown) => unknown> = { decision: decisionEvent, write: writeEvent, restore: restoreEvent, proposal: apiProposal };

const REQUIRED: Record<keyof typeof VALID, readonly string[]> = {
  decision: ['reviewId', 'actor', 'scope', 'decision', 'path', 'hunks'],
  write: ['actor', 'path', 'operation'],
  restore: ['task', 'step', 'actor', 'files'],
  proposal: ['proposalId', 'origin', 'changeSet'],
};

/** Wrong values for a field: what a buggy or hostile client would send. */
const WRONG: unknown[] = [null, 42, true, '', 'x'.repeat(5_000), ['a'], { a: 1 }, 'robot', -1, 1.5, 'A'.repeat(64)];

describe('the client’s audit reports (clientEvents.ts)', () => {
  it('turns each valid report into its event, keeping the links', () => {
    const decision = decisionEvent(VALID.decision);
    assert.deepEqual(decision, { type: 'decision', actor: 'person', task: 't', step: 's1', proposal: 'p1', review: 'r1', scope: 'change', decision: 'accepted', path: 'src/a.ts', hunks: [0, 2] });
    assert.equal(writeEvent(VALID.write)?.actor, 'policy:auto-edit');
    assert.deepEqual(restoreEvent(VALID.restore)?.files, [{ path: 'src/a.ts', action: 'restored', sha256After: HASH }]);
    assert.equal(apiProposal(VALID.proposal)?.changeSet.proposalId, 'api-1');
  });

  it('drops a report when any one of its fields is wrong', () => {
    let cases = 0;
    for (const [name, valid] of Object.entries(VALID) as Array<[keyof typeof VALID, Record<string, unknown>]>) {
      const parse = PARSERS[name];
      for (const field of Object.keys(valid)) {
        for (const wrong of WRONG) {
          const report = { ...valid, [field]: wrong };
          const parsed = parse(report);
          // A few wrong values are right for some fields (a title is free text; a count is a number): skip those.
          const acceptable =
            (field === 'title' && typeof wrong === 'string') ||
            (field === 'bytes' && wrong === 42) ||
            ((field === 'reviewId' || field === 'proposalId' || field === 'task' || field === 'step') && wrong === 'robot') ||
            (field === 'path' && (wrong === 'robot' || wrong === 'A'.repeat(64)));
          if (acceptable) continue;
          if (['reviewId', 'proposalId', 'task', 'step'].includes(field) && wrong === 'A'.repeat(64)) continue;
          assert.equal(parsed, undefined, `${name}.${field} = ${JSON.stringify(wrong)?.slice(0, 40)} was accepted`);
          cases++;
        }
      }
      for (const field of REQUIRED[name]) {
        const without = Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));
        assert.equal(parse(without), undefined, `${name} without ${field} was accepted`);
      }
    }
    assert.ok(cases > 200, `${cases} cases`);
    assert.equal(decisionEvent(undefined), undefined);
    assert.equal(writeEvent('write'), undefined);
  });
});
