import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { WorkspaceGate } from '../../../src/shared/boundary/gate';

describe('workspace gate (chat context and completion documents)', () => {
  let base: string;
  let root: string;
  let gate: WorkspaceGate;
  before(() => {
    base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-gate-')));
    root = path.join(base, 'ws');
    mkdirSync(path.join(root, 'src'), { recursive: true });
    writeFileSync(path.join(root, 'src/a.ts'), 'a\n');
    writeFileSync(path.join(root, '.env'), 'X=1\n');
    writeFileSync(path.join(base, 'outside.txt'), 'o\n');
    writeFileSync(path.join(base, '.env.outside'), 'o\n');
    symlinkSync('../outside.txt', path.join(root, 'out.txt'));
    symlinkSync(path.join(base, '.env.outside'), path.join(base, 'innocent-outside.txt'));
    gate = new WorkspaceGate();
    gate.setRoots([pathToFileURL(root).href]);
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('accepts ordinary files by URI, absolute or relative path', () => {
    assert.equal(gate.excluded(pathToFileURL(path.join(root, 'src/a.ts')).href), undefined);
    assert.equal(gate.excluded(path.join(root, 'src/a.ts')), undefined);
    assert.equal(gate.excluded('src/a.ts'), undefined);
    assert.equal(gate.excluded('untitled:Untitled-1'), undefined);
  });

  it('refuses secrets, links out, and secrets behind links outside the workspace', () => {
    for (const location of [
      pathToFileURL(path.join(root, '.env')).href,
      '.env',
      '.ENV',
      'out.txt',
      pathToFileURL(path.join(root, 'out.txt')).href,
      pathToFileURL(path.join(base, '.env.outside')).href,
      pathToFileURL(path.join(base, 'innocent-outside.txt')).href,
      'untitled:.env',
    ]) {
      assert.notEqual(gate.excluded(location), undefined, location);
    }
  });

  it('filterContext keeps the item, replacing its text with the reason', () => {
    const { items, withheld } = gate.filterContext([
      { kind: 'file', path: 'src/a.ts', text: 'a' },
      { kind: 'file', path: '.env', text: 'X=1' },
    ]);
    assert.deepEqual(withheld, ['.env']);
    assert.equal(items[0]?.text, 'a');
    assert.match(items[1]?.text ?? '', /^\[not sent by Tandem: .*secrets file/);
  });
});
