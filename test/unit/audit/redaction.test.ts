/**
 * Secrets in the audit trail: every content field of an event (a proposal's
 * diff; at contents `all` suggestions, prompts, messages, answers, tool call
 * arguments, command output) reaches the file and the OTLP collector with
 * each secret replaced by its typed placeholder and `redactions` counting
 * them; the hashes stay those of the real files. Events keep exactly the
 * order they were recorded in although scans are asynchronous; flush and
 * close wait for them; a scan that fails or is late drops the content
 * instead of writing it unscanned.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordModelRequest, recordProposal, unifiedDiff } from '../../../src/server/services/audit/events';
import { listChains } from '../../../src/server/services/audit/files';
import { sha256 } from '../../../src/server/services/audit/hash';
import type { SecretScanner } from '../../../src/server/services/audit/redact';
import { AuditTrail, type TrailOptions } from '../../../src/server/services/audit/trail';
import { verifyFolder } from '../../../src/server/services/audit/verify';
import type { Finding } from '../../../src/server/services/redaction/types';
import { OtlpExport } from '../../../src/server/services/telemetry/otlp';
import { resolveSettings } from '../../../src/server/settings';
import type { AuditEvent, AuditPolicy, AuditRecord } from '../../../src/shared/audit';
import type { ChangeSet } from '../../../src/shared/edits';
import type { AuditContents } from '../../../src/shared/vocabulary';
import { SecretFactory, type FakeSecret } from '../../support/fakeSecrets';
import { OtlpReceiver } from '../../support/otlpReceiver';
import { pick, seededRandom } from '../../support/random';

const POLICY: AuditPolicy = { approvalPolicy: 'ask', allowCommands: [], denyCommands: [], allowNetwork: false, maxSteps: 25, maxTokens: 1, commandTimeout: 1, maxToolCallsPerTurn: 8 };

function trailText(dir: string): string {
  return (listChains(dir).get(1) ?? []).map((segment) => readFileSync(segment.path, 'utf8')).join('');
}

/** The events of the folder `trail` writes to. */
async function trailEvents(trail: AuditTrail): Promise<AuditRecord[]> {
  const { directory } = await trail.status(false);
  return directory ? records(directory) : [];
}

function records(dir: string): AuditRecord[] {
  return trailText(dir)
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as AuditRecord);
}

/** Every line of a secret's value that could identify it (a key block line by line). */
function valuePieces(secret: FakeSecret): string[] {
  return secret.value.split('\n').filter((line) => line.length >= 8);
}

/**
 * A settings file with every fake secret of `seed`, each next to a line the
 * change edits (before it for some, after it for others), so the diff shows
 * each secret, or part of it (a key block's first or last lines), as context.
 */
function fileWithSecrets(seed: number): { changeSet: ChangeSet; secrets: FakeSecret[]; ordinary: string[] } {
  const secrets = new SecretFactory(seed).all();
  const before: string[] = [];
  const after: string[] = [];
  const ordinary: string[] = [];
  secrets.forEach((secret, index) => {
    const filler = [`// section ${index}: settings of service ${index}`, `export const timeout${index} = ${1_000 + index};`, '', '', ''];
    ordinary.push(...filler.filter(Boolean));
    before.push(...filler);
    after.push(...filler);
    const changed = [`export const retries${index} = ${index};`, `export const retries${index} = ${index + 1};`] as const;
    ordinary.push(changed[0], changed[1]);
    if (index % 2 === 0) {
      before.push(changed[0], secret.text);
      after.push(changed[1], secret.text);
    } else {
      before.push(secret.text, changed[0]);
      after.push(secret.text, changed[1]);
    }
  });
  const oldText = `${before.join('\n')}\n`;
  const newText = `${after.join('\n')}\n`;
  return { changeSet: { format: 'applyPatch', changes: [{ kind: 'update', path: 'config/settings.ts', oldText, newText }] }, secrets, ordinary };
}

interface Opened {
  trail: AuditTrail;
  problems: string[];
}

async function openTrail(dir: string, contents: AuditContents, options: Partial<TrailOptions> = {}): Promise<Opened> {
  const problems: string[] = [];
  const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 }, onProblem: (message) => problems.push(message), ...options });
  trail.setSession({ version: '9.9.9', folders: [] });
  await trail.apply(resolveSettings({ audit: { directory: dir, contents } }, {}));
  return { trail, problems };
}

/** A scanner for generated tests: `SECRET-<n>-<12 letters>` as kind `test-token`, each scan after a random delay. */
function markerScanner(random: () => number, maxDelayMs: number): SecretScanner & { calls: number } {
  const scanner = Object.assign(
    async (text: string): Promise<Finding[]> => {
      scanner.calls += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * maxDelayMs)));
      return [...text.matchAll(/SECRET-\d+-[a-z]{12}/g)].map((match) => ({ start: match.index, end: match.index + match[0].length, kind: 'test-token' }));
    },
    { calls: 0 },
  );
  return scanner;
}

function marker(random: () => number, n: number): string {
  return `SECRET-${n}-${Array.from({ length: 12 }, () => pick(random, [...'abcdefghijklmnopqrstuvwxyz'])).join('')}`;
}

/** One event of each type that carries content, each content field holding `value`. */
function contentEvents(value: string): Array<{ event: AuditEvent; fields: string[] }> {
  return [
    {
      event: {
        type: 'model.request', actor: 'person', request: 'r1', purpose: 'agent', model: 'm', endpointHost: 'h', context: [], totalMs: 1, attempts: 1, outcome: 'ok',
        messages: [{ role: 'user', content: `use ${value} please` }, { role: 'tool', content: '' }], answer: `done with ${value}`, toolCalls: [{ name: 'read_file', arguments: JSON.stringify({ key: value }) }],
      },
      fields: ['messages', 'answer', 'toolCalls'],
    },
    { event: { type: 'completion.shown', actor: 'model', request: 'tc1', text: `token = '${value}'` }, fields: ['text'] },
    { event: { type: 'completion.accepted', actor: 'person', request: 'tc2', text: `token = '${value}'`, chars: 9, acceptedChars: 9 }, fields: ['text'] },
    { event: { type: 'proposal', actor: 'model', origin: 'refactor', format: 'codeBlock', files: [], diff: `+const token = '${value}';\n` }, fields: ['diff'] },
    { event: { type: 'agent.start', actor: 'person', model: 'm', endpointHost: 'h', policy: POLICY, sandbox: { kind: 'none', network: false }, prompt: `rotate ${value}` }, fields: ['prompt'] },
    { event: { type: 'agent.command', actor: 'person', command: 'env', decision: 'ask', approved: true, exitCode: 0, outputText: `GH_TOKEN=${value}\n` }, fields: ['outputText'] },
    {
      event: {
        type: 'mcp.call', actor: 'person', server: 's', tool: 't', source: 'user', approval: 'asked', answer: 'approve', approved: true,
        arguments: { sha256: '0'.repeat(64), bytes: 1 }, argumentsText: JSON.stringify({ token: value }), resultText: `echo: ${value}`,
      },
      fields: ['argumentsText', 'resultText'],
    },
  ];
}

describe('secrets in the audit trail', function () {
  this.timeout(30_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-audit-redact-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const seed of [1, 2, 3]) {
    it(`a proposal's diff over a file full of secrets: no value in the file or at the collector, every other line kept, redactions counted, chain intact (seed ${seed})`, async () => {
      const receiver = await OtlpReceiver.start();
      try {
        const { trail, problems } = await openTrail(dir, 'diffs');
        const telemetry = new OtlpExport({ source: trail, version: '9.9.9', onProblem: (message) => problems.push(message), logDelayMs: 5 });
        telemetry.apply({ otlpEndpoint: receiver.endpoint }, 'diffs');
        const { changeSet, secrets, ordinary } = fileWithSecrets(seed);
        const plainDiff = unifiedDiff(changeSet);
        // The premise: the diff as built holds every secret (whole, or a key block in part).
        for (const secret of secrets) assert.ok(valuePieces(secret).some((piece) => plainDiff.includes(piece)), `${secret.kind} is not in the diff`);
        recordProposal(trail, changeSet, { actor: 'model', origin: 'refactor' });
        await trail.close('shutdown');
        await telemetry.close();

        const written = trailText(dir);
        const received = receiver.text();
        assert.ok(received.includes('proposal'), 'the collector got the proposal');
        for (const secret of secrets) {
          for (const piece of valuePieces(secret)) {
            assert.ok(!written.includes(piece), `${secret.kind} value in the trail file`);
            assert.ok(!received.includes(piece), `${secret.kind} value at the collector`);
          }
        }
        const proposal = records(dir).find((event) => event.type === 'proposal');
        assert.ok(proposal?.type === 'proposal' && proposal.diff !== undefined, 'the diff was kept');
        // Every line of the diff without a secret is there as it was, in order; the edits (+/-) all of them.
        const clean = plainDiff.split('\n').filter((line) => !secrets.some((secret) => valuePieces(secret).some((piece) => line.includes(piece))));
        const kept = proposal.diff.split('\n');
        let at = 0;
        for (const line of clean) {
          at = kept.indexOf(line, at);
          assert.ok(at >= 0, `line lost or changed: ${JSON.stringify(line)}`);
          at += 1;
        }
        for (const line of ordinary) if (plainDiff.includes(line)) assert.ok(proposal.diff.includes(line), line);
        // Placeholders are typed; counts are distinct values per kind.
        const expected = new Map<string, number>();
        for (const secret of secrets) expected.set(secret.kind, (expected.get(secret.kind) ?? 0) + 1);
        assert.deepEqual(new Map((proposal.redactions ?? []).map((entry) => [entry.kind, entry.count])), expected);
        for (const kind of expected.keys()) assert.ok(proposal.diff.includes(`[REDACTED:${kind}]`), `no [REDACTED:${kind}]`);
        // The hashes are of the real file: a reviewer can still match them.
        const change = changeSet.changes[0];
        assert.ok(change?.kind === 'update');
        assert.equal(proposal.files[0]?.sha256Before, sha256(change.oldText));
        assert.equal(proposal.files[0]?.sha256After, sha256(change.newText));
        assert.equal(verifyFolder(dir).chains[0]?.broken, undefined);
        assert.deepEqual(problems, []);
      } finally {
        await receiver.close();
      }
    });
  }

  it('every content field of every event type at contents all: values replaced (one placeholder per value across fields), counted once', async () => {
    const secret = new SecretFactory(11).all().find((fake) => fake.kind === 'github-token');
    assert.ok(secret);
    const { trail } = await openTrail(dir, 'all');
    const cases = contentEvents(secret.value);
    for (const { event } of cases) trail.record(event);
    // A model request whose data boundary already counted the value: it is the same value, so still one.
    recordModelRequest(trail, {
      actor: 'person', request: 'r2', purpose: 'chat', model: 'm', baseUrl: 'http://127.0.0.1:1/v1', context: [], redactions: [{ kind: 'github-token', count: 1 }],
      totalMs: 1, attempts: 1, outcome: { outcome: 'ok', finishReason: 'stop' }, messages: [{ role: 'user', content: 'fix [REDACTED:github-token]' }], answer: `restored: ${secret.value}`,
    });
    await trail.close('shutdown');
    assert.ok(!trailText(dir).includes(secret.value));
    const written = records(dir).filter((event) => event.type !== 'session.start' && event.type !== 'session.end');
    assert.equal(written.length, cases.length + 1);
    for (const [index, { fields }] of cases.entries()) {
      const event = written[index] as unknown as Record<string, unknown>;
      assert.deepEqual(event.redactions, [{ kind: 'github-token', count: 1 }], `${String(event.type)}`);
      for (const field of fields) assert.match(JSON.stringify(event[field]), /\[REDACTED:github-token\]/, `${String(event.type)}.${field}`);
    }
    const last = written.at(-1);
    assert.ok(last?.type === 'model.request');
    assert.deepEqual(last.redactions, [{ kind: 'github-token', count: 1 }]);
    assert.equal(last.answer, 'restored: [REDACTED:github-token]');
    assert.equal(last.messages?.[0]?.content, 'fix [REDACTED:github-token]');
  });

  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`events keep their record order under random scan delays, interleaved with events without content (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const scanner = markerScanner(seededRandom(seed * 31), 6);
      const { trail } = await openTrail(dir, 'all', { redaction: { scan: scanner } });
      const heard: string[] = [];
      trail.setListener((event) => void heard.push(String(event.request ?? event.type)));
      const ids: string[] = [];
      const values: string[] = [];
      for (let i = 0; i < 150; i++) {
        const id = `e${i}`;
        const value = marker(random, i);
        const kind = Math.floor(random() * 5);
        if (kind === 0) trail.record({ type: 'completion.shown', actor: 'model', request: id, text: `x = "${value}"` });
        else if (kind === 1) trail.record({ type: 'proposal', actor: 'model', request: id, origin: 'chatApply', format: 'codeBlock', files: [], diff: `-a\n+${value}\n` });
        else if (kind === 2) trail.record({ type: 'completion.shown', actor: 'model', request: id, chars: 3 });
        else if (kind === 3) trail.record({ type: 'decision', actor: 'person', request: id, review: 'rv', scope: 'file', decision: 'accepted', path: 'a.ts', hunks: [0] });
        else trail.record({ type: 'agent.command', actor: 'person', request: id, command: 'ls', decision: 'ask', approved: true, outputText: value });
        ids.push(id);
        if (kind <= 1 || kind === 4) values.push(value);
        const pause = random();
        if (pause < 0.1) await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 8)));
        else if (pause < 0.25) await new Promise((resolve) => setImmediate(resolve));
        else if (pause < 0.28) await trail.status(true);
      }
      await trail.close('shutdown');
      const written = records(dir);
      assert.deepEqual(written.map((event) => event.request).filter(Boolean), ids, 'file order');
      assert.deepEqual(heard.filter((id) => id.startsWith('e')), ids, 'listener order');
      assert.equal(written.at(-1)?.type, 'session.end');
      assert.deepEqual(written.map((event) => event.seq), written.map((_, index) => index + 1));
      const times = written.map((event) => Date.parse(event.time));
      assert.deepEqual(times, [...times].sort((a, b) => a - b), 'times in order');
      const text = trailText(dir);
      for (const value of values) assert.ok(!text.includes(value), value);
      assert.ok(scanner.calls >= values.length);
      assert.equal(verifyFolder(dir).chains[0]?.broken, undefined);
    });
  }

  for (const seed of [1, 2, 3]) {
    it(`events recorded while the chain opens, some still being scanned: session.start first, then all of them in order (seed ${seed})`, async () => {
      const random = seededRandom(seed);
      const trail = new AuditTrail({ env: {}, writer: { flushMs: 5 }, redaction: { scan: markerScanner(seededRandom(seed + 100), 10) } });
      trail.setSession({ version: '9.9.9', folders: [] });
      const applied = trail.apply(resolveSettings({ audit: { directory: dir, contents: 'all' } }, {}));
      // The settings are applied a microtask later; from then on the trail takes events (before, it drops them).
      while (!trail.active) await Promise.resolve();
      const ids: string[] = [];
      for (let i = 0; i < 40; i++) {
        const id = `e${i}`;
        if (random() < 0.5) trail.record({ type: 'completion.shown', actor: 'model', request: id, text: marker(random, i) });
        else trail.record({ type: 'completion.shown', actor: 'model', request: id });
        ids.push(id);
        if (random() < 0.2) await new Promise((resolve) => setImmediate(resolve));
      }
      await applied;
      await trail.close('shutdown');
      const written = records(dir);
      assert.equal(written[0]?.type, 'session.start');
      assert.deepEqual(written.map((event) => event.request).filter(Boolean), ids);
      assert.equal(verifyFolder(dir).chains[0]?.broken, undefined);
    });
  }

  it('flush (tandem/auditStatus {flush:true}) and close wait for scans still running, and what was recorded after them', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const scan: SecretScanner = async (text) => {
      await held;
      const at = text.indexOf('SECRET-1-abcdefghijkl');
      return at < 0 ? [] : [{ start: at, end: at + 21, kind: 'test-token' }];
    };
    const { trail } = await openTrail(dir, 'diffs', { redaction: { scan } });
    trail.record({ type: 'proposal', actor: 'model', request: 'p', origin: 'chatApply', format: 'codeBlock', files: [], diff: '+SECRET-1-abcdefghijkl\n' });
    for (const id of ['a', 'b', 'c']) trail.record({ type: 'completion.shown', actor: 'model', request: id });
    let flushed = false;
    const status = trail.status(true).then((result) => ((flushed = true), result));
    // Let every queued timer and I/O callback run: the flush is still waiting for the scan.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(flushed, false, 'flush returned before the scan was done');
    release();
    const result = await status;
    assert.deepEqual(records(dir).map((event) => event.request ?? event.type), ['session.start', 'p', 'a', 'b', 'c']);
    assert.equal(result.lastSeq, 5);
    trail.record({ type: 'proposal', actor: 'model', request: 'q', origin: 'chatApply', format: 'codeBlock', files: [], diff: '+SECRET-1-abcdefghijkl again\n' });
    trail.record({ type: 'completion.shown', actor: 'model', request: 'd' });
    await trail.close('shutdown');
    const all = records(dir);
    assert.deepEqual(all.map((event) => event.request ?? event.type), ['session.start', 'p', 'a', 'b', 'c', 'q', 'd', 'session.end']);
    const end = all.at(-1);
    assert.ok(end?.type === 'session.end');
    assert.equal(end.events, 8);
    assert.ok(!trailText(dir).includes('SECRET-1-abcdefghijkl'));
  });

  it('contents none: nothing is scanned, events are written as they are', async () => {
    const scanner = markerScanner(seededRandom(1), 1);
    const { trail } = await openTrail(dir, 'none', { redaction: { scan: scanner } });
    const { changeSet } = fileWithSecrets(1);
    recordProposal(trail, changeSet, { actor: 'model', origin: 'refactor' });
    recordModelRequest(trail, {
      actor: 'person', request: 'r', purpose: 'chat', model: 'm', baseUrl: '', context: [], totalMs: 1, attempts: 1, outcome: { outcome: 'ok', finishReason: 'stop' },
      messages: [{ role: 'user', content: 'SECRET-1-abcdefghijkl' }], answer: 'SECRET-1-abcdefghijkl',
    });
    trail.record({ type: 'completion.shown', actor: 'model', request: 'tc', chars: 4 });
    await trail.close('shutdown');
    assert.equal(scanner.calls, 0);
    const written = records(dir);
    assert.deepEqual(written.map((event) => event.type), ['session.start', 'proposal', 'model.request', 'completion.shown', 'session.end']);
    for (const event of written) assert.equal((event as { redactions?: unknown }).redactions, undefined);
  });

  it('findings that overlap or come unsorted (any scanner) never let part of a value through', async () => {
    const random = seededRandom(5);
    for (let round = 0; round < 50; round++) {
      const value = marker(random, round);
      const text = `before ${value} after`;
      const at = text.indexOf(value);
      // Random spans inside and around the value, in random order: together they cover it.
      const spans: Finding[] = [{ start: at, end: at + 10, kind: 'test-token' }, { start: at + 5, end: at + value.length, kind: 'test-token' }];
      for (let i = 0; i < 3; i++) {
        const start = at + Math.floor(random() * value.length);
        spans.push({ start, end: Math.min(at + value.length, start + 1 + Math.floor(random() * 8)), kind: 'test-token' });
      }
      spans.sort(() => random() - 0.5);
      const { trail } = await openTrail(mkdtempSync(path.join(dir, 'r')), 'all', { redaction: { scan: () => Promise.resolve(spans) } });
      trail.record({ type: 'completion.shown', actor: 'model', request: 'tc', text });
      await trail.status(true);
      const shown = (await trailEvents(trail)).find((event) => event.type === 'completion.shown');
      await trail.close('shutdown');
      assert.ok(shown?.type === 'completion.shown');
      assert.equal(shown.text, 'before [REDACTED:test-token] after', JSON.stringify(spans));
    }
  });

  for (const failure of ['throws', 'never answers'] as const) {
    it(`a scan that ${failure} fails closed: each content field dropped with the reason, never written unscanned; later events still follow in order`, async () => {
      const value = marker(seededRandom(7), 7);
      const scan: SecretScanner = failure === 'throws' ? () => Promise.reject(new Error('scanner broke')) : () => new Promise<Finding[]>(() => undefined);
      const receiver = await OtlpReceiver.start();
      try {
        const { trail, problems } = await openTrail(dir, 'all', { redaction: { scan, timeoutMs: 30 } });
        const telemetry = new OtlpExport({ source: trail, version: '9.9.9', onProblem: () => undefined, logDelayMs: 5 });
        telemetry.apply({ otlpEndpoint: receiver.endpoint }, 'all');
        const cases = contentEvents(value);
        for (const [index, { event }] of cases.entries()) {
          trail.record(event);
          trail.record({ type: 'decision', actor: 'person', request: `after${index}`, review: 'rv', scope: 'file', decision: 'accepted', path: 'a.ts', hunks: [0] });
        }
        await trail.close('shutdown');
        await telemetry.close();
        assert.ok(!trailText(dir).includes(value), 'value in the trail');
        assert.ok(!receiver.text().includes(value), 'value at the collector');
        const reason = failure === 'throws' ? 'redactionFailed' : 'redactionTimeout';
        const written = records(dir).filter((event) => event.type !== 'session.start' && event.type !== 'session.end');
        assert.equal(written.length, cases.length * 2);
        for (const [index, { event, fields }] of cases.entries()) {
          const got = written[index * 2] as unknown as Record<string, unknown>;
          assert.equal(got.type, event.type);
          for (const field of fields) assert.equal(got[field], undefined, `${event.type}.${field} kept`);
          assert.deepEqual(got.contentOmitted, { fields, reason });
          if (event.type === 'proposal') assert.equal(got.diffOmitted, reason);
          assert.equal(written[index * 2 + 1]?.request, `after${index}`);
        }
        assert.ok(problems.some((message) => message.includes('left out of the audit trail')), problems.join('\n'));
        assert.ok(!problems.join('\n').includes(value));
        assert.equal(verifyFolder(dir).chains[0]?.broken, undefined);
      } finally {
        await receiver.close();
      }
    });
  }
});
