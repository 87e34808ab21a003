/**
 * The bounded percentiles (exact up to the capacity, a seeded reservoir past
 * it) and the heuristic that tells a test run among the agent's commands.
 */
import assert from 'node:assert/strict';
import { languageOf } from '../../../src/server/services/metrics/language';
import { QuantileSketch, nearestRank } from '../../../src/server/services/metrics/quantiles';
import { looksLikeTest } from '../../../src/server/services/metrics/tests';

describe('metrics: bounded percentiles', () => {
  it('are exact (nearest rank) up to the capacity, for any order of the samples', () => {
    for (const size of [1, 2, 3, 19, 20, 21, 100, 2048]) {
      const values = Array.from({ length: size }, (_, i) => (i * 7919) % 10_007);
      const sketch = new QuantileSketch();
      values.forEach((value) => sketch.add(value));
      const sorted = [...values].sort((a, b) => a - b);
      const result = sketch.result();
      assert.equal(result.exact, true, String(size));
      assert.equal(result.count, size);
      assert.equal(result.p50, sorted[Math.ceil(0.5 * size) - 1], String(size));
      assert.equal(result.p95, sorted[Math.ceil(0.95 * size) - 1], String(size));
    }
    assert.equal(nearestRank([5, 1].sort((a, b) => a - b), 0.95), 5);
  });

  it('past the capacity keep a fixed sample and stay close, in order given or reversed or shuffled', () => {
    const n = 200_000;
    const orders: Array<[string, (i: number) => number]> = [
      ['ascending', (i) => i],
      ['descending', (i) => n - 1 - i],
      ['shuffled', (i) => (i * 104_729) % n],
    ];
    for (const [name, value] of orders) {
      const sketch = new QuantileSketch(2048);
      for (let i = 0; i < n; i++) sketch.add(value(i));
      const result = sketch.result();
      assert.equal(result.exact, false);
      assert.equal(result.count, n);
      // ±2 percentile points: four standard errors of a 2,048 sample at p50.
      assert.ok(Math.abs((result.p50 ?? 0) - 0.5 * n) < 0.02 * n, `${name} p50 ${result.p50}`);
      assert.ok(Math.abs((result.p95 ?? 0) - 0.95 * n) < 0.02 * n, `${name} p95 ${result.p95}`);
    }
  });

  it('give the same figures for the same samples, and ignore what is not a number', () => {
    const run = (): unknown => {
      const sketch = new QuantileSketch(64);
      for (let i = 0; i < 10_000; i++) sketch.add((i * 31) % 997);
      sketch.add(Number.NaN);
      sketch.add(Infinity);
      return sketch.result();
    };
    assert.deepEqual(run(), run());
    assert.equal((run() as { count: number }).count, 10_000);
  });
});

describe('metrics: which agent commands are test runs', () => {
  it('recognises the usual test runners and test scripts', () => {
    for (const command of ['npm test', 'npm t', 'npm run test', 'npm run test:unit', 'pnpm test -- --watch=false', 'yarn test', 'npx jest', 'npx vitest run', 'mocha test/x.ts', 'pytest', 'pytest -q tests/', 'python -m pytest', 'python3 -m unittest', 'go test ./...', 'cargo test', 'mvn test', './gradlew test', 'dotnet test', 'make test', 'bundle exec rspec', 'vendor/bin/phpunit', 'cd app && npm test', 'node --test']) {
      assert.equal(looksLikeTest(command), true, command);
    }
  });

  it('does not take other commands for test runs', () => {
    for (const command of ['npm install', 'npm run build', 'ls -la', 'git status', 'npx tsc --noEmit', 'go build ./...', 'cargo build', 'echo testing', 'mkdir tests', 'python main.py', 'make', 'latest-tool']) {
      assert.equal(looksLikeTest(command), false, command);
    }
  });
});

describe('metrics: the language of a completion', () => {
  it('comes from the path’s extension (or name), else other; no path is unknown', () => {
    const cases: Array<[string | undefined, string]> = [
      ['src/a.ts', 'typescript'], ['A.TSX', 'typescriptreact'], ['lib\\b.py', 'python'], ['x/main.go', 'go'], ['Dockerfile', 'dockerfile'],
      ['.env', 'other'], ['README', 'other'], ['a.weird', 'other'], ['', 'unknown'], [undefined, 'unknown'],
    ];
    for (const [file, language] of cases) assert.equal(languageOf(file), language, String(file));
  });
});
