import assert from 'node:assert/strict';
import { compileGlob } from '../../../src/shared/boundary/glob';
import { pick, seededRandom } from '../../support/random';

/**
 * Globs of plain characters and at most one `*` are compared as strings,
 * other globs with at most one `*` take a fast path over their tokens (fixed
 * start and end), and the rest run on the automaton. Both must give the same answers as a plain
 * regular expression built from the glob (trusted here: short, generated).
 */
describe('glob fast path', () => {
  const reference = (glob: string, anchored: boolean, flags = ''): RegExp => {
    const body = glob
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*\*/g, '\u0000')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/\u0000/g, '.*');
    return new RegExp(`${anchored ? '^' : '^(?:.*/)?'}${body}$`, flags);
  };

  it('agrees with a regular expression on 20,000 generated globs and paths, anchored or not, with or without case', () => {
    const random = seededRandom(7);
    const parts = ['a', 'b', 'B', '.', '/', '*', '?', '[ab]', 'x'];
    for (let i = 0; i < 20_000; i++) {
      const glob = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(random, parts)).join('');
      if (glob.includes('**')) continue;
      const path = Array.from({ length: Math.floor(random() * 8) }, () => pick(random, ['a', 'b', 'A', 'B', '.', '/', 'x'])).join('');
      for (const anchored of [true, false]) {
        for (const caseInsensitive of [false, true]) {
          const expected = reference(glob, anchored, caseInsensitive ? 'i' : '').test(path);
          assert.equal(compileGlob(glob, { anchored, caseInsensitive }).test(path), expected, `${JSON.stringify(glob)} on ${JSON.stringify(path)} (anchored: ${anchored}, caseInsensitive: ${caseInsensitive})`);
        }
      }
    }
  });
});
