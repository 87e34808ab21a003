/**
 * The audit service on its own: what each contents level keeps, moving the
 * folder, a trail without a folder, and where the folder is by default.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordModelRequest, recordProposal, unifiedDiff } from '../../../src/server/services/audit/events';
import { listChains } from '../../../src/server/services/audit/files';
import { defaultAuditDirectory, userStateDirectory } from '../../../src/server/services/audit/location';
import { AuditTrail } from '../../../src/server/services/audit/trail';
import { verifyFolder } from '../../../src/server/services/audit/verify';
import { resolveSettings } from '../../../src/server/settings';
import type { AuditRecord } from '../../../src/shared/audit';
import type { ChangeSet } from '../../../src/shared/edits';

function events(dir: string): AuditRecord[] {
  return (listChains(dir).get(1) ?? []).flatMap((segment) =>
    readFileSync(segment.path, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditRecord),
  );
}

const changeSet = (): ChangeSet => ({
  format: 'applyPatch',
  changes: [
    { kind: 'update', path: 'a.ts', oldText: 'one\ntwo\n', newText: 'one\nTWO\n' },
    { kind: 'add', path: 'b.ts', newText: 'new\n' },
    { kind: 'delete', path: 'c.ts', oldText: 'gone\n' },
  ],
});

function request(trail: AuditTrail): void {
  recordModelRequest(trail, {
    actor: 'person',
    request: 'r1',
    purpose: 'chat',
    model: 'm',
    baseUrl: 'https://user:pw@api.example.com:8443/v1',
    context: [],
    totalMs: 12.345,
    attempts: 1,
    outcome: { outcome: 'ok', finishReason: 'stop' },
    messages: [{ role: 'user', content: 'prompt-marker' }],
    answer: 'answer-marker',
  });
}

describe('the audit service', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-trail-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const open = async (contents: string, directory = dir): Promise<AuditTrail> => {
    const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 } });
    trail.setSession({ version: '9.9.9', folders: [] });
    await trail.apply(resolveSettings({ audit: { directory, contents } }, {}));
    return trail;
  };

  it('contents none: hashes only, no diff, no prompt or answer', async () => {
    const trail = await open('none');
    request(trail);
    recordProposal(trail, changeSet(), { actor: 'model', origin: 'refactor' });
    await trail.close('shutdown');
    const text = (listChains(dir).get(1) ?? []).map((segment) => readFileSync(segment.path, 'utf8')).join('');
    assert.ok(!text.includes('prompt-marker') && !text.includes('answer-marker') && !text.includes('TWO'));
    const proposal = events(dir).find((event) => event.type === 'proposal');
    assert.ok(proposal?.type === 'proposal');
    assert.equal(proposal.diff, undefined);
    assert.deepEqual(
      proposal.files.map((file) => [file.path, file.kind, file.added, file.removed, Boolean(file.sha256Before), Boolean(file.sha256After)]),
      [
        ['a.ts', 'update', 1, 1, true, true],
        ['b.ts', 'add', 1, 0, false, true],
        ['c.ts', 'delete', 0, 1, true, false],
      ],
    );
  });

  it('contents diffs: the diff, but no prompt or answer; the endpoint by host only', async () => {
    const trail = await open('diffs');
    request(trail);
    const set = changeSet();
    recordProposal(trail, set, { actor: 'model', origin: 'refactor' });
    await trail.close('shutdown');
    const all = events(dir);
    const proposal = all.find((event) => event.type === 'proposal');
    assert.ok(proposal?.type === 'proposal');
    assert.equal(proposal.diff, unifiedDiff(set));
    assert.match(proposal.diff ?? '', /--- \/dev\/null\n\+\+\+ b\/b\.ts/);
    assert.match(proposal.diff ?? '', /--- a\/c\.ts\n\+\+\+ \/dev\/null/);
    const model = all.find((event) => event.type === 'model.request');
    assert.ok(model?.type === 'model.request');
    assert.equal(model.endpointHost, 'api.example.com:8443');
    assert.equal(model.messages, undefined);
    assert.equal(model.answer, undefined);
    assert.equal(model.totalMs, 12.3);
  });

  it('contents all: adds the prompt and the answer', async () => {
    const trail = await open('all');
    request(trail);
    await trail.close('shutdown');
    const model = events(dir).find((event) => event.type === 'model.request');
    assert.ok(model?.type === 'model.request');
    assert.deepEqual(model.messages, [{ role: 'user', content: 'prompt-marker' }]);
    assert.equal(model.answer, 'answer-marker');
  });

  it('moving the folder ends the session in the old one and starts it in the new one, both intact', async () => {
    const other = mkdtempSync(path.join(os.tmpdir(), 'tandem-trail-other-'));
    try {
      const trail = await open('diffs');
      await trail.apply(resolveSettings({ audit: { directory: other } }, {}));
      request(trail);
      await trail.close('shutdown');
      const old = events(dir);
      assert.deepEqual(
        old.map((event) => event.type),
        ['session.start', 'settings.changed', 'session.end'],
      );
      const moved = events(other);
      assert.deepEqual(
        moved.map((event) => event.type),
        ['session.start', 'settings.changed', 'model.request', 'session.end'],
      );
      assert.ok(moved[0]?.type === 'session.start' && moved[0].reason === 'directoryChanged');
      for (const folder of [dir, other]) assert.equal(verifyFolder(folder).chains[0]?.broken, undefined);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('on but without a folder: says so once, writes nothing, and features skip their work', async () => {
    const problems: string[] = [];
    const trail = new AuditTrail({ env: {}, onProblem: (message) => problems.push(message) });
    await trail.apply(resolveSettings({}, {}));
    await trail.apply(resolveSettings({}, {}));
    assert.equal(trail.active, false);
    assert.equal(problems.length, 1);
    assert.match(problems[0] ?? '', /no folder/);
    const status = await trail.status(true);
    assert.equal(status.enabled, true);
    assert.match(status.problem ?? '', /no folder/);
  });

  it('asked for its state before the settings came (right after start), it answers once they did', async () => {
    const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 } });
    const early = trail.status(true);
    await trail.apply(resolveSettings({ audit: { directory: dir } }, {}));
    const status = await early;
    assert.deepEqual([status.enabled, status.directory, status.chain], [true, dir, 1]);
    await trail.close('shutdown');
  });

  it('off from the start: no file at all', async () => {
    const trail = new AuditTrail({ env: {} });
    await trail.apply(resolveSettings({ audit: { enabled: false, directory: dir } }, {}));
    request(trail);
    await trail.close('shutdown');
    assert.equal(listChains(dir).size, 0);
  });

  it('the default folder: the client’s, else TANDEM_AUDIT_DIR, else the user’s state folder', () => {
    assert.equal(defaultAuditDirectory('/ws/storage/audit', { TANDEM_AUDIT_DIR: '/x' }), '/ws/storage/audit');
    assert.equal(defaultAuditDirectory(undefined, { TANDEM_AUDIT_DIR: '/x', HOME: '/home/a' }), '/x');
    assert.equal(userStateDirectory({ HOME: '/home/a' }, 'linux'), '/home/a/.local/state/tandem/audit');
    assert.equal(userStateDirectory({ HOME: '/home/a', XDG_STATE_HOME: '/s' }, 'linux'), '/s/tandem/audit');
    assert.equal(userStateDirectory({ HOME: '/Users/a' }, 'darwin'), '/Users/a/Library/Application Support/Tandem/audit');
    assert.equal(userStateDirectory({ LOCALAPPDATA: 'C:\\Users\\a\\AppData\\Local' }, 'win32'), 'C:\\Users\\a\\AppData\\Local\\Tandem\\audit');
    assert.equal(defaultAuditDirectory(undefined, {}, 'linux'), undefined);
  });
});
