/**
 * The audit trail's listener hook the OTLP export hangs on: every recorded
 * event is heard exactly once (also before the chain is open, and while the
 * audit file is off), features build their events when only
 * the listener wants them, and a listener that throws never stops the work.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listChains } from '../../../src/server/services/audit/files';
import { AuditTrail } from '../../../src/server/services/audit/trail';
import { resolveSettings } from '../../../src/server/settings';
import type { AuditEvent } from '../../../src/shared/audit';

const shown = (id: string): AuditEvent => ({ type: 'completion.shown', actor: 'model', request: id });

describe('the audit trail listener', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-trail-listener-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('with the audit off and no listener the trail is inactive; a listener makes it active and hears every event once', () => {
    const trail = new AuditTrail({ env: {} });
    assert.equal(trail.active, false);
    const heard: string[] = [];
    trail.setListener((event) => heard.push(event.request ?? ''));
    assert.equal(trail.active, true);
    for (let index = 0; index < 5; index += 1) trail.record(shown(`tc${index}`));
    trail.setListener(undefined);
    trail.record(shown('after'));
    assert.deepEqual(heard, ['tc0', 'tc1', 'tc2', 'tc3', 'tc4']);
    assert.equal(trail.active, false);
  });

  it('events recorded while the chain opens are heard once, in order, and never written twice', async () => {
    const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 } });
    const heard: string[] = [];
    trail.setListener((event) => heard.push(`${event.type}:${event.request ?? ''}`));
    const applied = trail.apply(resolveSettings({ audit: { directory: dir } }, {}));
    trail.record(shown('early'));
    await applied;
    trail.record(shown('late'));
    await trail.close('shutdown');
    assert.deepEqual(heard, ['completion.shown:early', 'session.start:', 'completion.shown:late', 'session.end:']);
    // The file keeps what the trail kept (an event before the chain began to open is not); none twice.
    const written = (listChains(dir).get(1) ?? [])
      .flatMap((segment) => readFileSync(segment.path, 'utf8').split('\n').filter(Boolean))
      .map((line) => JSON.parse(line) as AuditEvent)
      .map((event) => `${event.type}:${event.request ?? ''}`);
    assert.equal(new Set(written).size, written.length, written.join(', '));
    assert.ok(written.every((entry) => heard.includes(entry)), written.join(', '));
    assert.ok(written.includes('completion.shown:late'));
  });

  it('a listener that throws is said once; the file is still written', async () => {
    const problems: string[] = [];
    const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 }, onProblem: (message) => problems.push(message) });
    await trail.apply(resolveSettings({ audit: { directory: dir } }, {}));
    trail.setListener(() => {
      throw new Error('collector exploded');
    });
    trail.record(shown('a'));
    trail.record(shown('b'));
    await trail.close('shutdown');
    assert.equal(problems.length, 1, problems.join('\n'));
    const written = (listChains(dir).get(1) ?? []).flatMap((segment) => readFileSync(segment.path, 'utf8').split('\n').filter(Boolean));
    assert.equal(written.filter((line) => line.includes('"completion.shown"')).length, 2);
  });
});
