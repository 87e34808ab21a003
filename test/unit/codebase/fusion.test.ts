import assert from 'node:assert/strict';
import { cosine, nearest, reciprocalRankFusion, RRF_K } from '../../../src/server/services/codebase/fusion';
import { seededRandom } from '../../support/random';

describe('codebase hybrid ranking (reciprocal rank fusion)', () => {
  it('ranks a chunk both rankings agree on above chunks only one of them likes', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['d', 'b', 'e'],
    ]);
    assert.equal(fused[0]?.key, 'b');
    assert.ok(Math.abs((fused[0]?.score ?? 0) - 2 / (RRF_K + 2)) < 1e-12);
    // a and d are each first of one list: equal scores, lexical first on ties.
    assert.deepEqual(fused.slice(1, 3).map((entry) => entry.key), ['a', 'd']);
  });

  it('with one ranking keeps its order; with identical rankings too', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 50; round++) {
      const list = Array.from({ length: 1 + Math.floor(random() * 30) }, (_, i) => `k${i}`).sort(() => random() - 0.5);
      assert.deepEqual(reciprocalRankFusion([list]).map((entry) => entry.key), list);
      assert.deepEqual(reciprocalRankFusion([list, list]).map((entry) => entry.key), list);
    }
  });

  it('a key missing from one list never beats a key ranked at least as well in both (generated)', () => {
    const random = seededRandom(11);
    for (let round = 0; round < 100; round++) {
      const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
      const lexical = [...keys].sort(() => random() - 0.5).slice(0, 10);
      const vector = [...keys].sort(() => random() - 0.5).slice(0, 10);
      const fused = reciprocalRankFusion([lexical, vector]);
      const position = new Map(fused.map((entry, i) => [entry.key, i]));
      for (const x of keys) {
        for (const y of keys) {
          const lx = lexical.indexOf(x);
          const ly = lexical.indexOf(y);
          const vx = vector.indexOf(x);
          const vy = vector.indexOf(y);
          const dominates = lx >= 0 && vx >= 0 && (ly < 0 || lx <= ly) && (vy < 0 || vx <= vy) && (lx < ly || vx < vy || ly < 0 || vy < 0);
          if (dominates && position.has(y)) assert.ok((position.get(x) ?? 0) < (position.get(y) ?? 0), `${x} over ${y}`);
        }
      }
    }
  });

  it('cosine: 1 for the same direction, 0 for orthogonal, zero or mismatched vectors', () => {
    assert.ok(Math.abs(cosine(Float32Array.of(1, 2, 3), Float32Array.of(2, 4, 6)) - 1) < 1e-6);
    assert.equal(cosine(Float32Array.of(1, 0), Float32Array.of(0, 1)), 0);
    assert.equal(cosine(Float32Array.of(0, 0), Float32Array.of(0, 1)), 0);
    assert.equal(cosine(Float32Array.of(1, 0, 0), Float32Array.of(1, 0)), 0);
    const top = nearest(Float32Array.of(1, 0), [['x', Float32Array.of(0, 1)], ['y', Float32Array.of(1, 0.1)], ['z', Float32Array.of(-1, 0)]], 2);
    assert.deepEqual(top.map((entry) => entry.key), ['y', 'x']);
  });
});

describe('codebase hybrid hits', () => {
  it('fuses by file and line: a chunk in both lists rises, objects and fields are kept', async () => {
    const { fuseHits } = await import('../../../src/server/services/codebase/hybrid');
    const lexical = [
      { file: 'a.ts', start: 1, score: 9, symbol: 'a' },
      { file: 'b.ts', start: 10, score: 5, symbol: 'b' },
    ];
    const vector = [
      { file: 'c.ts', start: 3, score: 0.9, symbol: 'c' },
      { file: 'b.ts', start: 10, score: 0.8, symbol: 'b' },
      { file: 'b.ts', start: 20, score: 0.7, symbol: 'b2' },
    ];
    const fused = fuseHits(lexical, vector, 3);
    assert.deepEqual(fused.map((hit) => `${hit.file}:${hit.start}`), ['b.ts:10', 'a.ts:1', 'c.ts:3']);
    assert.equal(fused[0]?.symbol, 'b');
    assert.deepEqual(fuseHits(lexical, [], 5).map((hit) => hit.symbol), ['a', 'b']);
  });
});
