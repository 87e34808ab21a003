/**
 * `mcp.call` in the audit trail (docs/audit.md): every MCP tool call of an
 * agent task, run or not, with how it was let through and by whom, the
 * arguments and result by digest (their text only at contents `all`,
 * scanned for secrets), the call's duration and its error class; the chain
 * stays verifiable. Generated over every approval path and error class, and
 * over huge and binary-looking arguments.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AUDIT_ARGUMENTS_CHARS } from '../../../src/server/agent/mcpTool';
import { listChains } from '../../../src/server/services/audit/files';
import { sha256 } from '../../../src/server/services/audit/hash';
import { summarize } from '../../../src/server/services/audit/reader';
import { defaultScanner, redactEvent } from '../../../src/server/services/audit/redact';
import { AuditTrail, type AuditSink } from '../../../src/server/services/audit/trail';
import { verifyFolder } from '../../../src/server/services/audit/verify';
import { resolveSettings } from '../../../src/server/settings';
import { AUDIT_EVENT_TYPES, type AuditEvent, type AuditRecord, type McpCallEvent } from '../../../src/shared/audit';
import { AUDIT_VIEW_GROUPS } from '../../../src/shared/auditViewProtocol';
import { MCP_ERROR_CLASSES, type McpCall, type McpCallResult, type McpToolInfo } from '../../../src/shared/mcpProtocol';
import type { AuditContents } from '../../../src/shared/vocabulary';
import type { ScriptedModelServer } from '../../support/modelServer';
import { SecretFactory } from '../../support/fakeSecrets';
import { answer, FakeClient, runScenario, toolCall, useFixtureProject } from '../agent/harness';

const TOOL = 'mcp__srv__echo';

function info(extra: Partial<McpToolInfo> = {}): McpToolInfo {
  return { server: 'srv', tool: 'echo', description: 'Echoes', inputSchema: { type: 'object', properties: {} }, source: 'user', ...extra };
}

function recorder(contents: AuditContents): { sink: AuditSink; events: AuditEvent[] } {
  const events: AuditEvent[] = [];
  return { events, sink: { active: true, contents, record: (event) => void events.push(event) } };
}

type Reply = (call: McpCall) => McpCallResult | Promise<McpCallResult>;

interface Case {
  name: string;
  tool?: Partial<McpToolInfo>;
  /** Answers for the calls of the task, in order (the task makes one call per entry). */
  replies: Reply[];
  /** What the last call's event must say. */
  expect: Partial<McpCallEvent>;
  /** The fields that must be absent from it. */
  absent?: Array<keyof McpCallEvent>;
}

const ran = (text: string, extra: Partial<McpCallResult> = {}): Reply => () => ({ kind: 'mcpCall', approved: true, text, durationMs: 7, ...extra });

/** Every way a call is let through or stopped, and every error class. */
function cases(): Case[] {
  const out: Case[] = [
    { name: 'asked, approved', replies: [ran('hi', { answer: 'approve' })], expect: { actor: 'person', approval: 'asked', answer: 'approve', approved: true, durationMs: 7 }, absent: ['error'] },
    { name: 'asked, allowed for the task; the next call runs unasked', replies: [ran('one', { answer: 'allowForTask', allowForTask: true }), ran('two')], expect: { actor: 'person', approval: 'allowedForTask', approved: true }, absent: ['answer', 'error'] },
    { name: 'asked, always allowed', replies: [ran('hi', { answer: 'alwaysAllow', allowForTask: true })], expect: { actor: 'person', approval: 'asked', answer: 'alwaysAllow', approved: true } },
    { name: 'asked, declined', replies: [() => ({ kind: 'mcpCall', approved: false, answer: 'reject', reason: 'The person declined this call.' })], expect: { actor: 'person', approval: 'asked', answer: 'reject', approved: false }, absent: ['result', 'durationMs', 'error'] },
    { name: 'asked, declined by an older client (no answer field)', replies: [() => ({ kind: 'mcpCall', approved: false, reason: 'declined' })], expect: { approval: 'asked', answer: 'reject', approved: false } },
    { name: 'asked, approved by an older client (allowForTask only)', replies: [() => ({ kind: 'mcpCall', approved: true, allowForTask: true, text: 'x' })], expect: { approval: 'asked', answer: 'allowForTask', approved: true } },
    { name: 'always allowed by the setting: not asked', tool: { alwaysAllow: true }, replies: [ran('hi')], expect: { actor: 'person', approval: 'alwaysAllowed', approved: true }, absent: ['answer'] },
    { name: 'no usable answer from the editor', replies: [() => ({ kind: 'askUser', answer: 'what?' }) as unknown as McpCallResult], expect: { actor: 'service', approval: 'refused', approved: false, error: 'noAnswer' } },
    { name: 'a repository\'s server', tool: { source: 'workspace' }, replies: [ran('hi', { answer: 'approve' })], expect: { source: 'workspace' } },
    { name: 'a client that does not say where the server came from', tool: { source: undefined }, replies: [ran('hi', { answer: 'approve' })], expect: { source: 'unknown' } },
    { name: 'a failure without a class (older client)', replies: [() => ({ kind: 'mcpCall', approved: true, answer: 'approve', error: 'boom' })], expect: { approved: true, error: 'toolError' } },
    { name: 'a class the client made up', replies: [() => ({ kind: 'mcpCall', approved: false, errorClass: 'gremlins' as never, reason: 'x' })], expect: { approval: 'asked', answer: 'reject', approved: false }, absent: ['error'] },
  ];
  for (const errorClass of ['notReady', 'noTool', 'unavailable'] as const) {
    out.push({ name: `not run: ${errorClass}`, replies: [() => ({ kind: 'mcpCall', approved: false, errorClass, reason: 'no' })], expect: { actor: 'service', approval: 'refused', approved: false, error: errorClass }, absent: ['answer', 'result'] });
  }
  for (const errorClass of MCP_ERROR_CLASSES.filter((kind) => !['notReady', 'noTool', 'unavailable', 'noAnswer'].includes(kind))) {
    out.push({ name: `ran and failed: ${errorClass}`, replies: [() => ({ kind: 'mcpCall', approved: true, answer: 'approve', error: `it failed (${errorClass})`, errorClass, durationMs: 3 })], expect: { approval: 'asked', approved: true, error: errorClass, durationMs: 3, result: { sha256: sha256(`it failed (${errorClass})`), bytes: Buffer.byteLength(`it failed (${errorClass})`) } } });
  }
  return out;
}

function trailRecords(dir: string): AuditRecord[] {
  return (listChains(dir).get(1) ?? [])
    .flatMap((segment) => readFileSync(segment.path, 'utf8').split('\n'))
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

describe('audit: mcp.call', function () {
  this.timeout(60_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  async function run(tool: McpToolInfo, args: Array<Record<string, unknown>>, replies: Reply[], audit: AuditSink): Promise<void> {
    server.enqueue(...args.map((arg) => toolCall(TOOL, arg)), answer('Done.'));
    const queue = [...replies];
    const client = new FakeClient(root, { mcp: (call) => (queue.shift() ?? ran('extra'))(call) });
    await runScenario(server, { root, task: 'Call the tool.', client, mcpTools: [tool], audit, settings: { maxSteps: 100 } });
  }

  for (const [index, testCase] of cases().entries()) {
    const contents: AuditContents = (['none', 'diffs', 'all'] as const)[index % 3]!;
    it(`${testCase.name} (contents ${contents})`, async () => {
      const args = testCase.replies.map((_, call) => ({ message: `call ${call}` }));
      const audit = recorder(contents);
      await run(info(testCase.tool), args, testCase.replies, audit.sink);
      const calls = audit.events.filter((event): event is McpCallEvent => event.type === 'mcp.call');
      assert.equal(calls.length, testCase.replies.length, 'one event per call');
      const event = calls.at(-1)!;
      assert.equal(event.server, 'srv');
      assert.equal(event.tool, 'echo');
      assert.ok(event.task && event.step, 'linked to the task and its step');
      const lastArgs = JSON.stringify(args.at(-1));
      assert.deepEqual(event.arguments, { sha256: sha256(lastArgs), bytes: Buffer.byteLength(lastArgs) });
      for (const [key, value] of Object.entries(testCase.expect)) assert.deepEqual(event[key as keyof McpCallEvent], value, `${key}`);
      for (const key of testCase.absent ?? []) assert.equal(event[key], undefined, `${key} is absent`);
      if (contents === 'all') assert.equal(event.argumentsText, lastArgs);
      else assert.ok(event.argumentsText === undefined && event.resultText === undefined, 'no text below contents all');
      // The step event still follows, and the summary names the call without its contents.
      assert.ok(audit.events.some((other) => other.type === 'agent.step' && other.step === event.step));
      const line = summarize({ ...event, v: 1, seq: 1, time: '', session: '', prev: '' });
      assert.match(line, /^MCP srv\/echo /);
      assert.ok(!line.includes('call 0'), line);
    });
  }

  it('huge and binary-looking arguments: digests of the exact JSON sent, text capped at contents all', async () => {
    const shapes: Array<Record<string, unknown>> = [
      { blob: 'x'.repeat(100_000) },
      { text: '\u0000\u0001\u001b[31m\ud800 lone surrogate \udfff \u202e' },
      { bytes: Array.from({ length: 5_000 }, (_, i) => i % 256) },
      { nested: { a: [1, { b: '€𝄞' }], c: null, d: true } },
      {},
    ];
    const audit = recorder('all');
    await run(info({ alwaysAllow: true }), shapes, shapes.map(() => ran('ok')), audit.sink);
    const calls = audit.events.filter((event): event is McpCallEvent => event.type === 'mcp.call');
    assert.equal(calls.length, shapes.length);
    for (const [index, shape] of shapes.entries()) {
      const json = JSON.stringify(shape);
      const event = calls[index]!;
      assert.deepEqual(event.arguments, { sha256: sha256(json), bytes: Buffer.byteLength(json) }, `shape ${index}`);
      assert.ok((event.argumentsText ?? '').length <= AUDIT_ARGUMENTS_CHARS + 200, `shape ${index}: ${event.argumentsText?.length}`);
      assert.ok(!/[\ud800-\udfff]/.test((event.argumentsText ?? '').replace(/[\ud800-\udbff][\udc00-\udfff]/g, '')), 'no lone surrogate reaches the file');
    }
  });

  it('secrets in arguments and results never reach the file; the chain verifies', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-mcp-'));
    try {
      for (const contents of ['none', 'all'] as const) {
        const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 } });
        trail.setSession({ version: '9.9.9', folders: [] });
        await trail.apply(resolveSettings({ audit: { directory: dir, contents } }, {}));
        // Every kind, multi-line keys too; half the results echo the secret, half do not (the arguments alone must be caught).
        const secrets = new SecretFactory(contents === 'all' ? 5 : 6).all();
        const args = secrets.map((secret, index) => (index % 2 ? { config: secret.text } : { nested: [{ file: '.env', text: secret.text }] }));
        await run(info(), args, secrets.map((secret, index) => ran(index % 2 ? 'ok' : secret.text, { answer: 'approve' })), trail);
        await trail.close('shutdown');
        const text = (listChains(dir).get(1) ?? []).map((segment) => readFileSync(segment.path, 'utf8')).join('');
        for (const secret of secrets) assert.ok(!text.includes(secret.value), `${secret.kind} written at contents ${contents}: ${JSON.stringify(secret.text)} in ${text.split('\n').filter((line) => line.includes(secret.value)).map((line) => line.slice(line.indexOf(secret.value) - 300, line.indexOf(secret.value) + 50)).join(', ')}`);
        const calls = trailRecords(dir).filter((record): record is AuditRecord & McpCallEvent => record.type === 'mcp.call').slice(-secrets.length);
        assert.equal(calls.length, secrets.length);
        for (const [index, call] of calls.entries()) {
          const json = JSON.stringify(args[index]);
          assert.equal(call.arguments.sha256, sha256(json), 'the digest is of the real arguments');
          if (contents === 'all') {
            assert.match(call.argumentsText ?? '', /\[REDACTED:[a-z0-9-]+\]/, `${secrets[index]?.kind}: ${call.argumentsText}`);
            assert.ok((call.redactions ?? []).length > 0);
          } else {
            assert.equal(call.argumentsText, undefined);
          }
        }
      }
      const report = verifyFolder(dir);
      assert.ok(report.chains.length > 0);
      for (const chain of report.chains) assert.equal(chain.broken, undefined, JSON.stringify(chain.broken));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a secret inside JSON arguments is found although JSON escapes its quotes (every kind, in mcp.call and model.request)', async () => {
    for (const seed of [1, 2, 3]) {
      for (const secret of new SecretFactory(seed).all()) {
        const json = JSON.stringify({ path: '.env', content: secret.text, list: [secret.text] });
        const events: AuditEvent[] = [
          { type: 'mcp.call', actor: 'person', server: 's', tool: 't', source: 'user', approval: 'asked', answer: 'approve', approved: true, arguments: { sha256: sha256(json), bytes: json.length }, argumentsText: json },
          { type: 'model.request', actor: 'model', purpose: 'agent', model: 'm', endpointHost: 'h', context: [], totalMs: 1, attempts: 1, outcome: 'ok', toolCalls: [{ name: 'mcp__s__t', arguments: json }] },
        ];
        for (const event of events) {
          const redacted = JSON.stringify(await redactEvent(event, { scan: defaultScanner, timeoutMs: 10_000 }));
          assert.ok(!redacted.includes(secret.value) && !redacted.includes(JSON.stringify(secret.value).slice(1, -1)), `seed ${seed} ${secret.kind} in ${event.type}`);
        }
      }
    }
  });

  it('is a known event type, in the Audit Trail view\'s "MCP tool calls" filter', () => {
    assert.ok(AUDIT_EVENT_TYPES.includes('mcp.call'));
    const groups = AUDIT_VIEW_GROUPS.filter((group) => group.types.includes('mcp.call'));
    assert.deepEqual(groups.map((group) => group.id), ['mcp']);
  });
});
