/**
 * Randomised check of the promise: an edit either lands exactly where it was
 * made or is refused. Files are built from a small vocabulary so that
 * repeated lines (and so ambiguous context) are common.
 */
import assert from 'node:assert/strict';
import { applyEdits } from '../../../src/server/edits';
import { pick, seededRandom } from '../../support/random';

const random = seededRandom;

const VOCABULARY = ['{', '}', '  return x;', '  x++;', '', 'if (a) {', '  call();', '// note', 'end'];

describe('edits land where they were made, or are refused', () => {
  for (const format of ['applyPatch', 'searchReplace', 'unifiedDiff'] as const) {
    it(`${format}: 300 random single-hunk edits`, () => {
      const next = random(format.length * 7919);
      let applied = 0;
      for (let round = 0; round < 300; round++) {
        const lines = Array.from({ length: 5 + Math.floor(next() * 25) }, () => (next() < 0.3 ? `line ${Math.floor(next() * 1000)}` : pick(next, VOCABULARY)));
        const start = Math.floor(next() * lines.length);
        const removed = Math.min(lines.length - start, Math.floor(next() * 3));
        const before = Math.min(start, Math.floor(next() * 3));
        const after = Math.min(lines.length - start - removed, Math.floor(next() * 3));
        const added = Array.from({ length: 1 + Math.floor(next() * 2) }, (_, i) => `added ${round}.${i}`);
        const contextBefore = lines.slice(start - before, start);
        const old = lines.slice(start, start + removed);
        const contextAfter = lines.slice(start + removed, start + removed + after);
        if (contextBefore.length + old.length + contextAfter.length === 0) continue;
        const expected = [...lines.slice(0, start), ...added, ...lines.slice(start + removed)];
        const body = [...contextBefore.map((l) => ` ${l}`), ...old.map((l) => `-${l}`), ...added.map((l) => `+${l}`), ...contextAfter.map((l) => ` ${l}`)];
        const text =
          format === 'applyPatch'
            ? ['*** Begin Patch', '*** Update File: f.txt', '@@', ...body, '*** End Patch'].join('\n')
            : format === 'unifiedDiff'
              ? ['--- a/f.txt', '+++ b/f.txt', '@@ ... @@', ...body].join('\n')
              : ['f.txt', '<<<<<<< SEARCH', ...contextBefore, ...old, ...contextAfter, '=======', ...contextBefore, ...added, ...contextAfter, '>>>>>>> REPLACE'].join('\n');
        const outcome = applyEdits({ text, readFile: (path) => (path === 'f.txt' ? `${lines.join('\n')}\n` : undefined) });
        if (outcome.ok) {
          const change = outcome.changeSet.changes[0];
          assert.ok(change?.kind === 'update');
          assert.equal(change.newText, `${expected.join('\n')}\n`, `round ${round}:\n${text}`);
          applied++;
        } else {
          assert.deepEqual(
            outcome.failures.map((failure) => failure.kind),
            ['ambiguous'],
            `round ${round}: ${outcome.failures.map((failure) => failure.message).join('\n')}`,
          );
        }
      }
      assert.ok(applied > 100, `only ${applied} applied`);
    });
  }
});
