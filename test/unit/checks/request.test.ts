/**
 * tandem/checks/security in the service: a well-formed request is checked and
 * recorded as one `checks` event linked to its proposal and review (where
 * each finding is, never a secret's value); a malformed one, whatever is
 * wrong with it, is refused before anything is checked or recorded.
 */
import assert from 'node:assert/strict';
import type { Connection } from 'vscode-languageserver/node';
import { ResponseError } from 'vscode-languageserver/node';
import { ServiceLog } from '../../../src/server/log';
import { parseSecurityCheckParams, registerChecks } from '../../../src/server/services/checks/lsp';
import type { AuditEvent } from '../../../src/shared/audit';
import { SecurityCheckRequest, type SecurityCheckResult } from '../../../src/shared/checksProtocol';
import { SecretFactory } from '../../support/fakeSecrets';

type Handler = (raw: unknown) => Promise<SecurityCheckResult | ResponseError<void>>;

function serve(): { call: Handler; events: AuditEvent[]; logs: string[] } {
  const handlers = new Map<string, Handler>();
  const connection = { onRequest: (type: { method: string }, handler: Handler) => void handlers.set(type.method, handler) } as unknown as Connection;
  const events: AuditEvent[] = [];
  const logs: string[] = [];
  registerChecks(connection, {
    log: new ServiceLog({ info: (m) => logs.push(m), warn: (m) => logs.push(m), error: (m) => logs.push(m) }),
    audit: { active: true, contents: 'all', record: (event) => void events.push(event) },
  });
  const handler = handlers.get(SecurityCheckRequest.method);
  assert.ok(handler, 'the request is registered');
  return { call: handler, events, logs };
}

const [SECRET] = new SecretFactory(1313).all().filter((s) => s.kind === 'aws-access-key-id');

function valid(): Record<string, unknown> {
  const secret = SECRET;
  assert.ok(secret);
  return {
    proposalId: 'p-1',
    reviewId: 'r7',
    changeSet: {
      format: 'codeBlock',
      changes: [
        { kind: 'add', path: 'src/config.ts', newText: `export const key = "${secret.value}";\n` },
        { kind: 'update', path: 'src/db.ts', oldText: 'export {};\n', newText: 'export function q(db, id) {\n  return db.query("SELECT * FROM t WHERE id = " + id);\n}\n' },
      ],
    },
  };
}

describe('checks: tandem/checks/security', () => {
  it('answers the findings and records them once, linked to the proposal and the review, without the secret', async () => {
    const { call, events } = serve();
    const params = valid();
    const result = await call(params);
    assert.ok(!(result instanceof ResponseError));
    assert.deepEqual(result.findings.map((f) => [f.rule, f.path, f.line]), [
      ['secret-introduced', 'src/config.ts', 1],
      ['sql-injection', 'src/db.ts', 2],
    ]);
    assert.ok(result.durationMs >= 0);
    assert.equal(events.length, 1);
    const [event] = events;
    assert.ok(event?.type === 'checks');
    assert.deepEqual({ ...event, durationMs: 0 }, {
      type: 'checks',
      actor: 'service',
      proposal: 'p-1',
      review: 'r7',
      stage: 'security',
      findings: [
        { rule: 'secret-introduced', severity: 'high', path: 'src/config.ts', line: 1 },
        { rule: 'sql-injection', severity: 'high', path: 'src/db.ts', line: 2 },
      ],
      durationMs: 0,
    });
    assert.ok(SECRET && !JSON.stringify(event).includes(SECRET.value.slice(4)), 'the event never carries the secret');
  });

  it('links to the change set’s own proposal id when the request names none, and records a clean proposal too', async () => {
    const { call, events } = serve();
    const result = await call({ changeSet: { format: 'applyPatch', proposalId: 'p-9', changes: [{ kind: 'add', path: 'a.ts', newText: 'export const a = 1;\n' }] } });
    assert.ok(!(result instanceof ResponseError));
    assert.deepEqual(result.findings, []);
    assert.deepEqual(events.map((event) => event.type === 'checks' && [event.proposal, event.findings]), [['p-9', []]]);
  });

  it('refuses every malformed request before checking or recording anything (mutations of a valid one)', async () => {
    const mutations: Array<[string, (raw: Record<string, unknown>) => unknown]> = [
      ['not an object', () => 'changeSet'],
      ['null', () => null],
      ['no changeSet', ({ changeSet: _, ...rest }) => rest],
      ['changes not a list', (raw) => ({ ...raw, changeSet: { format: 'codeBlock', changes: {} } })],
      ['an id that is a number', (raw) => ({ ...raw, proposalId: 7 })],
      ['an empty id', (raw) => ({ ...raw, reviewId: '' })],
      ['an id too long', (raw) => ({ ...raw, task: 'x'.repeat(201) })],
      ['a change without a path', (raw) => ({ ...raw, changeSet: { changes: [{ kind: 'add', newText: 'x' }] } })],
      ['an unknown kind', (raw) => ({ ...raw, changeSet: { changes: [{ kind: 'rename', path: 'a', newText: 'x' }] } })],
      ['an update without its old text', (raw) => ({ ...raw, changeSet: { changes: [{ kind: 'update', path: 'a', newText: 'x' }] } })],
      ['text that is not a string', (raw) => ({ ...raw, changeSet: { changes: [{ kind: 'add', path: 'a', newText: ['x'] }] } })],
      ['a malformed moveTo', (raw) => ({ ...raw, changeSet: { changes: [{ kind: 'update', path: 'a', oldText: '', newText: 'x', moveTo: 5 }] } })],
      ['too many files', () => ({ changeSet: { changes: Array.from({ length: 2001 }, (_, i) => ({ kind: 'add', path: `f${i}`, newText: '' })) } })],
      ['too much text', () => ({ changeSet: { changes: Array.from({ length: 5 }, (_, i) => ({ kind: 'add', path: `f${i}`, newText: 'x'.repeat(8 * 1024 * 1024) })) } })],
    ];
    for (const [name, mutate] of mutations) {
      const { call, events, logs } = serve();
      const raw = mutate(valid());
      assert.equal(typeof parseSecurityCheckParams(raw), 'string', name);
      const result = await call(raw);
      assert.ok(result instanceof ResponseError, `${name}: refused`);
      assert.deepEqual(events, [], `${name}: nothing recorded`);
      assert.match(logs.join('\n'), /malformed tandem\/checks\/security/, name);
    }
  });

  it('an unknown format is read as a code block, and unknown fields are dropped', () => {
    const parsed = parseSecurityCheckParams({ extra: 1, changeSet: { format: 'weird', changes: [{ kind: 'delete', path: 'a', oldText: 'x', extra: 2 }] } });
    assert.deepEqual(parsed, { changeSet: { format: 'codeBlock', changes: [{ kind: 'delete', path: 'a', oldText: 'x' }] } });
  });
});
