/**
 * The OTLP export on its own: content cut to the level whatever a feature
 * built, failures said once per run of failures (and a recovery once),
 * nothing connected or listened to when off, and a collector that never
 * answers does not hold up the service's shutdown.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eventAttributes, keepsField } from '../../../src/server/services/telemetry/attributes';
import { OtlpExport, type OtlpExportOptions } from '../../../src/server/services/telemetry/otlp';
import type { AuditListener } from '../../../src/server/services/audit/trail';
import type { AuditEvent } from '../../../src/shared/audit';
import { AUDIT_CONTENTS, type AuditContents } from '../../../src/shared/vocabulary';
import { OtlpReceiver } from '../../support/otlpReceiver';
import { closedPort } from '../../support/ports';

const POLICY = { approvalPolicy: 'ask', allowCommands: [], denyCommands: ['rm -r'], allowNetwork: false, maxSteps: 25, maxTokens: 1, commandTimeout: 1, maxToolCallsPerTurn: 8 } as const;

/** One event of each kind that can carry content, every content field set to a marker naming it. */
function contentEvents(): Array<{ event: AuditEvent; fields: string[] }> {
  return [
    {
      event: {
        type: 'model.request', actor: 'person', purpose: 'chat', model: 'm', endpointHost: 'h', context: [], totalMs: 1, attempts: 1, outcome: 'ok',
        messages: [{ role: 'user', content: 'marker-messages' }], answer: 'marker-answer', toolCalls: [{ name: 'read', arguments: 'marker-toolCalls' }],
      },
      fields: ['messages', 'answer', 'toolCalls'],
    },
    { event: { type: 'completion.shown', actor: 'model', request: 'tc1', text: 'marker-text' }, fields: ['text'] },
    { event: { type: 'proposal', actor: 'model', origin: 'refactor', format: 'codeBlock', files: [], diff: 'marker-diff' }, fields: ['diff'] },
    {
      event: { type: 'agent.start', actor: 'person', model: 'm', endpointHost: 'h', policy: { ...POLICY, allowCommands: [], denyCommands: [] }, sandbox: { kind: 'none', network: false }, prompt: 'marker-prompt' },
      fields: ['prompt'],
    },
    { event: { type: 'agent.command', actor: 'person', command: 'npm test', decision: 'ask', approved: true, exitCode: 0, outputText: 'marker-outputText' }, fields: ['outputText'] },
    {
      event: {
        type: 'mcp.call', actor: 'person', server: 's', tool: 't', source: 'user', approval: 'asked', answer: 'approve', approved: true,
        arguments: { sha256: '0'.repeat(64), bytes: 2 }, argumentsText: 'marker-argumentsText', resultText: 'marker-resultText',
      },
      fields: ['argumentsText', 'resultText'],
    },
  ];
}

interface Harness {
  export: OtlpExport;
  listener(): AuditListener | undefined;
  problems: string[];
  infos: string[];
  listenerChanges: number;
}

function harness(overrides: Partial<OtlpExportOptions> = {}): Harness {
  let listener: AuditListener | undefined;
  const result: Harness = {
    export: undefined as unknown as OtlpExport,
    listener: () => listener,
    problems: [],
    infos: [],
    listenerChanges: 0,
  };
  result.export = new OtlpExport({
    source: {
      session: 'session-1',
      setListener: (next) => {
        listener = next;
        result.listenerChanges += 1;
      },
    },
    version: '9.9.9',
    onProblem: (message) => result.problems.push(message),
    onInfo: (message) => result.infos.push(message),
    logDelayMs: 5,
    exportTimeoutMs: 300,
    closeTimeoutMs: 1_000,
    ...overrides,
  });
  return result;
}

const shown = (id: string): AuditEvent => ({ type: 'completion.shown', actor: 'model', request: id });

describe('OTLP export of audit events', function () {
  this.timeout(15_000);

  describe('content levels', () => {
    for (const contents of AUDIT_CONTENTS) {
      it(`at ${contents}, sends exactly the content fields the audit keeps at that level, whatever the event carried`, async () => {
        const receiver = await OtlpReceiver.start();
        try {
          const h = harness();
          h.export.apply({ otlpEndpoint: receiver.endpoint }, contents);
          const cases = contentEvents();
          for (const { event } of cases) h.listener()?.(event, new Date());
          await h.export.close();
          const bytes = receiver.text();
          assert.equal(receiver.logs.length, cases.length);
          for (const { fields } of cases) {
            for (const field of fields) {
              assert.equal(bytes.includes(`marker-${field}`), keepsField(field, contents), `${field} at ${contents}`);
            }
          }
        } finally {
          await receiver.close();
        }
      });
    }

    it('keeps every field of every level in the order none ⊂ diffs ⊂ all', () => {
      const levels: AuditContents[] = ['none', 'diffs', 'all'];
      for (const { fields } of contentEvents()) {
        for (const field of fields) {
          const kept = levels.map((level) => keepsField(field, level));
          assert.deepEqual(kept, [...kept].sort(), field);
          assert.equal(kept[0], false, `${field} leaves at none`);
          assert.equal(kept[2], true, `${field} is missing at all`);
        }
      }
      assert.equal(keepsField('diff', 'diffs'), true);
      assert.equal(keepsField('messages', 'diffs'), false);
    });
  });

  describe('attributes', () => {
    it('flattens nested objects by dotted name under tandem., keeps plain lists, and writes lists of objects as JSON', () => {
      const attributes = eventAttributes(
        {
          type: 'agent.end',
          actor: 'service',
          task: 't1',
          finishReason: 'stop',
          steps: 3,
          tokens: { prompt: 10, completion: 5, total: 15 },
        },
        'none',
        's1',
      );
      assert.deepEqual(attributes, {
        'tandem.session': 's1',
        'tandem.type': 'agent.end',
        'tandem.actor': 'service',
        'tandem.task': 't1',
        'tandem.finishReason': 'stop',
        'tandem.steps': 3,
        'tandem.tokens.prompt': 10,
        'tandem.tokens.completion': 5,
        'tandem.tokens.total': 15,
      });
      const request = eventAttributes(
        { type: 'model.request', actor: 'person', purpose: 'chat', model: 'm', endpointHost: 'h', context: [{ path: 'a.ts', kind: 'file', sha256: 'f'.repeat(64), bytes: 3 }], withheld: ['.env'], totalMs: 2, attempts: 1, outcome: 'ok' },
        'none',
        's1',
      );
      assert.deepEqual(request['tandem.withheld'], ['.env']);
      assert.deepEqual(JSON.parse(String(request['tandem.context'])), [{ path: 'a.ts', kind: 'file', sha256: 'f'.repeat(64), bytes: 3 }]);
    });
  });

  describe('failures', () => {
    it('a refused connection is said once over many failed batches, naming the host and never the credentials', async () => {
      const port = await closedPort();
      const h = harness();
      h.export.apply({ otlpEndpoint: `http://collector-user:s3cret-pass@127.0.0.1:${port}` }, 'diffs');
      for (let batch = 0; batch < 4; batch += 1) {
        h.listener()?.(shown(`tc${batch}`), new Date());
        await h.export.flush();
      }
      await h.export.close();
      assert.equal(h.problems.length, 1, h.problems.join('\n'));
      assert.match(h.problems[0] ?? '', new RegExp(`127\\.0\\.0\\.1:${port}`));
      assert.ok(![...h.problems, ...h.infos].some((line) => line.includes('s3cret-pass')));
    });

    it('says a recovery once, and a new failure after it once more', async () => {
      const receiver = await OtlpReceiver.start();
      try {
        const h = harness();
        h.export.apply({ otlpEndpoint: receiver.endpoint }, 'none');
        const batch = async (id: string): Promise<void> => {
          h.listener()?.(shown(id), new Date());
          await h.export.flush();
        };
        receiver.status = 500;
        await batch('a');
        await batch('b');
        receiver.status = 200;
        await batch('c');
        await batch('d');
        receiver.status = 400;
        await batch('e');
        // Still failing when it closes: the last metrics fail in the same run, and are not said again.
        await h.export.close();
        assert.equal(h.problems.length, 2, h.problems.join('\n'));
        assert.equal(h.infos.filter((line) => /again/.test(line)).length, 1, h.infos.join('\n'));
        assert.deepEqual(
          receiver.logs.map((log) => log.attributes['tandem.request']),
          ['c', 'd'],
        );
      } finally {
        await receiver.close();
      }
    });

    for (const endpoint of ['localhost:4318', 'ftp://127.0.0.1:4318', 'not a url', 'file:///tmp/x']) {
      it(`an endpoint that is not an http(s) URL (${endpoint}) is said once and nothing listens`, () => {
        const h = harness();
        h.export.apply({ otlpEndpoint: endpoint }, 'all');
        h.export.apply({ otlpEndpoint: endpoint }, 'all');
        assert.equal(h.problems.length, 1);
        assert.equal(h.listener(), undefined);
      });
    }

    it('with tandem.dataBoundary.localOnly, a collector off this machine is refused (said once); a loopback one is used', async () => {
      const receiver = await OtlpReceiver.start();
      try {
        const h = harness();
        for (const endpoint of ['https://otel.example.com:4318', 'http://127.0.0.1.nip.io:4318', `http://127.0.0.1@collector.example:4318`]) {
          h.export.apply({ otlpEndpoint: endpoint }, 'diffs', true);
          h.export.apply({ otlpEndpoint: endpoint }, 'diffs', true);
          assert.equal(h.listener(), undefined, endpoint);
        }
        assert.equal(h.problems.length, 3);
        assert.ok(h.problems.every((problem) => problem.includes('localOnly')));
        h.export.apply({ otlpEndpoint: receiver.endpoint }, 'diffs', true);
        assert.equal(typeof h.listener(), 'function', 'a loopback collector is fine under localOnly');
        await h.export.close();
      } finally {
        await receiver.close();
      }
    });

    it('a collector that never answers does not hold up closing for longer than the close timeout', async () => {
      const sockets = new Set<import('node:net').Socket>();
      const silent = http.createServer(() => undefined);
      silent.on('connection', (socket) => sockets.add(socket));
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
      try {
        const h = harness({ exportTimeoutMs: 60_000, closeTimeoutMs: 300 });
        h.export.apply({ otlpEndpoint: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` }, 'none');
        h.listener()?.(shown('x'), new Date());
        const started = process.hrtime.bigint();
        await h.export.close();
        const tookMs = Number(process.hrtime.bigint() - started) / 1e6;
        // A generous bound: the point is "returns", not a timing goal.
        assert.ok(tookMs < 5_000, `close took ${tookMs} ms`);
      } finally {
        for (const socket of sockets) socket.destroy();
        await new Promise<void>((resolve) => silent.close(() => resolve()));
      }
    });
  });

  describe('off', () => {
    it('with no endpoint the trail gets no listener; switching off takes it away', async () => {
      const receiver = await OtlpReceiver.start();
      try {
        const h = harness();
        h.export.apply({ otlpEndpoint: '' }, 'all');
        assert.equal(h.listenerChanges, 0);
        h.export.apply({ otlpEndpoint: receiver.endpoint }, 'all');
        assert.equal(typeof h.listener(), 'function');
        h.export.apply({ otlpEndpoint: receiver.endpoint }, 'none');
        assert.equal(h.listenerChanges, 1, 'a change of contents alone restarts nothing');
        h.export.apply({ otlpEndpoint: '' }, 'none');
        assert.equal(h.listener(), undefined);
        await h.export.close();
      } finally {
        await receiver.close();
      }
    });
  });
});
