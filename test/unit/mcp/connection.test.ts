/**
 * MCP connections against real servers started by the test: the reference
 * servers from npm (everything, filesystem) and a deliberately broken one
 * (test/fixtures/mcp/broken-server.mjs). Every failure must end in a clear
 * error, within its timeout, and never hang.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpConnection } from '../../../src/extension/mcp/connection';
import type { StdioProcessTransport } from '../../../src/extension/mcp/stdioTransport';
import { BROKEN_SERVER, EVERYTHING, FILESYSTEM, nodeServer } from './servers';
import type { McpErrorClass } from '../../../src/shared/mcpProtocol';

describe('MCP connections (real servers started by the test)', function () {
  this.timeout(60_000);
  const open: McpConnection[] = [];
  const connect = async (name: string, transport: StdioProcessTransport, connectMs = 20_000): Promise<McpConnection> => {
    const connection = new McpConnection(name);
    open.push(connection);
    await connection.start(transport, { connectMs });
    return connection;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((connection) => connection.stop()));
  });

  it('server-everything: lists its tools, echoes, adds, reports a tool\'s error as an error, and can be cancelled mid-call', async () => {
    const everything = await connect('everything', nodeServer([EVERYTHING]));
    assert.equal(everything.state, 'ready', everything.error);
    const names = everything.tools.map((tool) => tool.tool);
    for (const expected of ['echo', 'get-sum', 'trigger-long-running-operation']) assert.ok(names.includes(expected), `${expected} in ${names.join(', ')}`);
    assert.deepEqual(await everything.call('echo', { message: 'hello from tandem' }, { timeoutMs: 10_000 }), { text: 'Echo: hello from tandem' });
    const sum = await everything.call('get-sum', { a: 2, b: 40 }, { timeoutMs: 10_000 });
    assert.match(sum.text ?? '', /42/);
    const invalid = await everything.call('get-sum', { a: 'two' }, { timeoutMs: 10_000 });
    assert.ok(invalid.error, 'invalid arguments give an error');
    assert.equal(invalid.errorClass, 'toolError');
    assert.equal(invalid.text, undefined);
    // Stop: the call ends at once, the server stays usable.
    const abort = new AbortController();
    const long = everything.call('trigger-long-running-operation', { duration: 30, steps: 3 }, { timeoutMs: 60_000, signal: abort.signal });
    setImmediate(() => abort.abort());
    assert.deepEqual(await long, { error: 'stopped', errorClass: 'stopped' });
    assert.equal(everything.state, 'ready');
    // A timeout shorter than the operation: a clear error, the server still there.
    const slow = await everything.call('trigger-long-running-operation', { duration: 5, steps: 5 }, { timeoutMs: 500 });
    assert.match(slow.error ?? '', /did not answer within 0\.5 s/);
    assert.equal(slow.errorClass, 'timeout');
    assert.deepEqual(await everything.call('echo', { message: 'still here' }, { timeoutMs: 10_000 }), { text: 'Echo: still here' });
    const missing = await everything.call('no-such-tool', {}, { timeoutMs: 1_000 });
    assert.match(missing.error ?? '', /no tool named no-such-tool/);
    assert.equal(missing.errorClass, 'noTool');
  });

  it('server-everything over streamable HTTP (a server of type http), with headers', async function () {
    const port = await freePort();
    const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { PATH: process.env.PATH ?? '', PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => chunk.includes('listening') && resolve());
        child.once('exit', (code) => reject(new Error(`server-everything exited (${code})`)));
      });
      const connection = new McpConnection('remote');
      open.push(connection);
      await connection.start(new StreamableHTTPClientTransport(new URL(`http://127.0.0.1:${port}/mcp`), { requestInit: { headers: { 'X-Test': 'yes' } } }));
      assert.equal(connection.state, 'ready', connection.error);
      assert.deepEqual(await connection.call('echo', { message: 'over http' }, { timeoutMs: 10_000 }), { text: 'Echo: over http' });
      await connection.stop();
    } finally {
      child.kill();
    }
  });

  it('server-filesystem rooted at a temp folder: reads inside it, refuses outside it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-fs-'));
    try {
      writeFileSync(path.join(dir, 'note.txt'), 'inside the root');
      const fs = await connect('fs', nodeServer([FILESYSTEM, dir]));
      assert.equal(fs.state, 'ready', fs.error);
      const inside = await fs.call('read_text_file', { path: path.join(dir, 'note.txt') }, { timeoutMs: 10_000 });
      assert.equal(inside.text, 'inside the root');
      const outside = await fs.call('read_text_file', { path: '/etc/hostname' }, { timeoutMs: 10_000 });
      assert.match(outside.error ?? '', /denied|outside|not allowed/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const BROKEN: Array<{ mode: string; at: 'start' | 'call'; error: RegExp; stderr?: RegExp; errorClass?: McpErrorClass }> = [
    { mode: 'crash-at-start', at: 'start', error: /exited with code 3/, stderr: /cannot open config file/ },
    { mode: 'never-answer', at: 'start', error: /did not finish starting within 1\.5 s/ },
    { mode: 'malformed', at: 'start', error: /not JSON on stdout/ },
    { mode: 'crash-mid-call', at: 'call', error: /exited with code 139/, stderr: /segfault/, errorClass: 'crashed' },
    { mode: 'hang-call', at: 'call', error: /did not answer within 1\.5 s/, errorClass: 'timeout' },
    { mode: 'bad-result', at: 'call', error: /not usable: content: .*expected array/, errorClass: 'malformed' },
  ];
  for (const { mode, at, error, stderr, errorClass } of BROKEN) {
    it(`a broken server (${mode}) fails ${at === 'start' ? 'to start' : 'the call'} with a clear error, within its timeout`, async () => {
      const connection = await connect(mode, nodeServer([BROKEN_SERVER, mode]), 1_500);
      if (at === 'start') {
        assert.equal(connection.state, 'failed');
        assert.match(connection.error ?? '', error);
      } else {
        assert.equal(connection.state, 'ready', connection.error);
        const outcome = await connection.call('shout', { text: 'x' }, { timeoutMs: 1_500 });
        assert.match(outcome.error ?? '', error);
        assert.equal(outcome.text, undefined);
        assert.equal(outcome.errorClass, errorClass, 'the audit trail\'s word for it');
      }
      if (stderr) assert.match(connection.stderr.join('\n'), stderr);
      // After a crash nothing hangs: a further call answers at once.
      if (connection.state === 'failed') {
        const after = await connection.call('shout', {}, { timeoutMs: 60_000 });
        assert.match(after.error ?? '', /not ready \(failed/);
        assert.equal(after.errorClass, 'notReady');
      }
    });
  }

  it('does not match a result against a server\'s own output schema (a hostile pattern would freeze the editor)', async () => {
    const connection = await connect('redos', nodeServer([BROKEN_SERVER, 'redos']));
    assert.deepEqual(await connection.call('shout', {}, { timeoutMs: 5_000 }), { text: 'structured' });
  });

  it('restarts a server that crashed: failed, then ready again', async () => {
    const connection = await connect('restart', nodeServer([BROKEN_SERVER, 'crash-mid-call']));
    await connection.call('shout', { text: 'x' }, { timeoutMs: 5_000 });
    assert.equal(connection.state, 'failed');
    await connection.start(nodeServer([BROKEN_SERVER, 'ok']));
    assert.equal(connection.state, 'ready');
    assert.deepEqual(await connection.call('shout', { text: 'again' }, { timeoutMs: 5_000 }), { text: 'AGAIN' });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
