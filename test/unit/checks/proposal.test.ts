/**
 * checkProposal over whole change sets: only what the proposal adds can be
 * a finding (a line the file had before never is, wherever it moves), a
 * secret finding names its kind and line but never the value, and files the
 * rules have no language for still get the secret check.
 */
import assert from 'node:assert/strict';
import { checkProposal } from '../../../src/server/services/checks';
import type { ChangeSet, FileChange } from '../../../src/shared/edits';
import { SecretFactory } from '../../support/fakeSecrets';
import { FIXTURES } from './fixtures';

const set = (...changes: FileChange[]): ChangeSet => ({ format: 'codeBlock', changes });

describe('checks: a proposal', () => {
  it('never reports a line the file already had, for every positive fixture', async () => {
    for (const fixture of FIXTURES) {
      for (const positive of fixture.positive) {
        const oldText = `${positive}\nconst a = 1;\n`;
        // The proposal edits another line, moves the risky line down, and re-adds nothing new that is risky.
        const newText = `const a = 2;\n\n${positive}\n`;
        const findings = await checkProposal(set({ kind: 'update', path: `x.${fixture.ext}`, oldText, newText }));
        assert.deepEqual(findings, [], `${fixture.rule} .${fixture.ext}: ${positive}`);
      }
    }
  });

  it('reports a risky line the proposal adds next to an old copy of it, at its own line', async () => {
    const line = 'const r = eval(userInput);';
    const findings = await checkProposal(set({ kind: 'update', path: 'a.ts', oldText: `${line}\n`, newText: `${line}\nconst b = 1;\n${line}\n` }));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [['dynamic-code', 3]],
    );
  });

  it('checks every added line of a new file, uses the new path of a rename, and nothing of a deletion', async () => {
    const findings = await checkProposal(
      set(
        { kind: 'add', path: 'new.py', newText: 'import os\nos.system(cmd)\n' },
        { kind: 'update', path: 'old.go', moveTo: 'moved.go', oldText: 'package x\n', newText: 'package x\nvar c = &tls.Config{InsecureSkipVerify: true}\n' },
        { kind: 'delete', path: 'gone.ts', oldText: 'eval(x);\n' },
      ),
    );
    assert.deepEqual(
      findings.map((f) => [f.rule, f.path, f.line]),
      [
        ['tls-verification-off', 'moved.go', 2],
        ['shell-injection', 'new.py', 2],
      ],
    );
  });

  it('ignores files in a language no rule knows, but still finds secrets in them', async () => {
    const [secret] = new SecretFactory(7).all();
    assert.ok(secret);
    const findings = await checkProposal(set({ kind: 'add', path: 'notes.txt', newText: `eval(x)\nos.system(cmd)\n${secret.text}\n` }));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [['secret-introduced', 3]],
    );
  });

  it('counts lines the way the diff does, whatever the line endings', async () => {
    const findings = await checkProposal(set({ kind: 'update', path: 'a.js', oldText: 'a();\r\nb();\r\n', newText: 'a();\r\nb();\r\nel.innerHTML = html;\r\n' }));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [['html-injection', 3]],
    );
  });

  it('a rewrite too large to align still reports only the lines the file never had', async () => {
    const old = Array.from({ length: 600 }, (_, i) => `const v${i} = ${i};`);
    old[10] = 'const r = eval(userInput);';
    const next = Array.from({ length: 600 }, (_, i) => `let w${i} = ${i * 2};`);
    next[500] = 'const r = eval(userInput);';
    next[501] = 'el.innerHTML = html;';
    const findings = await checkProposal(set({ kind: 'update', path: 'a.ts', oldText: old.join('\n'), newText: next.join('\n') }));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [['html-injection', 502]],
    );
  });

  it('stays correct on long hostile lines (runs of quotes, operators, keywords)', async function () {
    this.timeout(30_000);
    const units = ['"+"+', '${${', "'%'%", 'SELECT FROM ', 'password=', 'chmod 7', 'eval eval ', '`#{`#{', '(((('];
    for (const ext of ['ts', 'py', 'go', 'java', 'cs', 'rb', 'php', 'sh']) {
      const newText = units.map((unit) => unit.repeat(5_000)).join('\n');
      const findings = await checkProposal(set({ kind: 'add', path: `h.${ext}`, newText }));
      for (const finding of findings) assert.ok(finding.line >= 1 && finding.line <= units.length);
    }
  });

  it('orders findings: high before medium, then by file and line', async () => {
    const findings = await checkProposal(
      set(
        { kind: 'add', path: 'b.ts', newText: 'el.innerHTML = html;\neval(x);\n' },
        { kind: 'add', path: 'a.ts', newText: 'x();\neval(y);\n' },
      ),
    );
    assert.deepEqual(
      findings.map((f) => `${f.severity} ${f.path}:${f.line}`),
      ['high a.ts:2', 'high b.ts:2', 'medium b.ts:1'],
    );
  });
});

describe('checks: secrets introduced', () => {
  const secrets = new SecretFactory(13).all();

  it('finds every kind of fake secret the data boundary knows, as a high finding that never contains the value', async () => {
    for (const secret of secrets) {
      const newText = `// config\n${secret.text}\nexport {};\n`;
      const findings = await checkProposal(set({ kind: 'update', path: 'src/config.ts', oldText: '// config\nexport {};\n', newText }));
      const hit = findings.find((f) => f.rule === 'secret-introduced');
      assert.ok(hit, `${secret.kind} not found`);
      assert.equal(hit.severity, 'high');
      // On the secret's own line (a key block spans several: any of them).
      const span = secret.text.split('\n').length;
      assert.ok(hit.line >= 2 && hit.line < 2 + span, `${secret.kind}: line ${hit.line}`);
      const serialised = JSON.stringify(findings);
      for (const part of secret.value.split('\n').filter((p) => p.length >= 8)) {
        assert.ok(!serialised.includes(part), `${secret.kind}: the finding carries the value`);
      }
    }
  });

  it('does not report a secret the file already had, even when the line around it changes or moves', async () => {
    for (const secret of secrets) {
      const oldText = `${secret.text}\nexport {};\n`;
      const newText = `export {};\n\n  ${secret.text.replace(/\n/g, '\n  ')}\n`;
      const findings = await checkProposal(set({ kind: 'update', path: 'src/config.ts', oldText, newText }));
      assert.deepEqual(
        findings.filter((f) => f.rule === 'secret-introduced'),
        [],
        secret.kind,
      );
    }
  });

  it('reports a secret at the added line holding its value, not at the unchanged lines around it', async () => {
    const [secret] = new SecretFactory(21).all().filter((s) => s.kind === 'aws-access-key-id');
    assert.ok(secret);
    const oldText = 'const config = {\n  other: 1,\n};\n';
    const newText = `const config = {\n  other: 1,\n  aws:\n    "${secret.value}",\n};\n`;
    const findings = await checkProposal(set({ kind: 'update', path: 'c.ts', oldText, newText }));
    assert.deepEqual(
      findings.filter((f) => f.rule === 'secret-introduced').map((f) => f.line),
      [4],
    );
  });

  it('leaves look-alikes (UUIDs, hashes, placeholders) alone', async () => {
    const lookAlikes = new SecretFactory(5).lookAlikes();
    const newText = lookAlikes.map((l) => l.text).join('\n');
    const findings = await checkProposal(set({ kind: 'add', path: 'notes.md', newText }));
    assert.deepEqual(findings, []);
  });
});
