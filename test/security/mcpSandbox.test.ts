/**
 * A repository's MCP server runs in the agent's OS sandbox (docs/mcp.md):
 * executed for real with bubblewrap, a harmless marker file as the target.
 * Inside the workspace it may write; outside it may not; the person's
 * secrets in the environment do not reach it; a repository cannot name a
 * folder outside the workspace; arguments are never read by a shell.
 */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SandboxDetector } from '../../src/extension/agent/sandbox/detect';
import type { AvailableSandbox } from '../../src/extension/agent/sandbox/launch';
import type { McpServerConfig } from '../../src/extension/mcp/config';
import { McpConnection } from '../../src/extension/mcp/connection';
import { LaunchError, serverLaunch } from '../../src/extension/mcp/launch';
import { StdioProcessTransport } from '../../src/extension/mcp/stdioTransport';

const FIXTURE = path.resolve(__dirname, '../fixtures/mcp/broken-server.mjs');

describe('a repository\'s MCP server in the OS sandbox (bubblewrap, for real)', function () {
  this.timeout(60_000);
  let sandbox: AvailableSandbox;
  let workspace: string;
  let outside: string;
  /** The server's script, copied into the workspace as a repository's own would be (the sandbox hides the rest of /tmp, where a clone may live). */
  let script: string;

  before(async function () {
    if (process.platform !== 'linux') this.skip();
    const status = await new SandboxDetector().detect();
    assert.notEqual(status.kind, 'none', `bubblewrap must work here: ${JSON.stringify(status)}`);
    sandbox = status as AvailableSandbox;
  });
  beforeEach(() => {
    workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-ws-')));
    outside = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-mcp-outside-')));
    script = path.join(workspace, 'mcp-server.mjs');
    copyFileSync(FIXTURE, script);
  });
  afterEach(() => {
    rmSync(workspace, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  const server = (env: Record<string, string>, extra: Partial<Extract<McpServerConfig, { type: 'stdio' }>> = {}): Extract<McpServerConfig, { type: 'stdio' }> => ({
    name: 'repo',
    source: 'workspace',
    type: 'stdio',
    command: process.execPath,
    args: [script, 'ok'],
    env,
    ...extra,
  });

  async function call(config: Extract<McpServerConfig, { type: 'stdio' }>, baseEnv: NodeJS.ProcessEnv = process.env): Promise<{ text: string; sandboxed: boolean }> {
    const launch = await serverLaunch(config, { workspace, sandbox, network: false, inputs: new Map(), baseEnv });
    const connection = new McpConnection('repo');
    try {
      await connection.start(new StdioProcessTransport(launch.spec), { connectMs: 20_000 });
      assert.equal(connection.state, 'ready', `${connection.error ?? ''}\n${connection.stderr.join('\n')}`);
      const outcome = await connection.call('shout', { text: 'hi' }, { timeoutMs: 10_000 });
      assert.equal(outcome.error, undefined);
      return { text: outcome.text ?? '', sandboxed: launch.sandboxed };
    } finally {
      await connection.stop();
      await launch.dispose();
    }
  }

  it('writes inside the workspace (below its top, like sandboxed commands), not outside it', async () => {
    mkdirSync(path.join(workspace, 'src'));
    const inside = await call(server({ TOUCH: path.join(workspace, 'src', 'marker.txt') }));
    assert.equal(inside.sandboxed, true);
    assert.match(inside.text, /HI wrote/);
    assert.ok(existsSync(path.join(workspace, 'src', 'marker.txt')));
    const target = path.join(outside, 'pwned.txt');
    const escaped = await call(server({ TOUCH: target }));
    assert.match(escaped.text, /write failed: (EROFS|EACCES|ENOENT)/);
    assert.equal(existsSync(target), false, 'the server wrote outside the workspace');
  });

  it('gets its own variables, not the person\'s secrets from the editor\'s environment', async () => {
    const result = await call(server({ MARKER: 'from-config' }), { ...process.env, GITHUB_TOKEN: 'ghp_notreal0000000000000000000000000000', MARKER: 'host' });
    assert.match(result.text, /HI from-config/);
    const leak = await call(server({}, { args: [script, 'ok'] }), { PATH: process.env.PATH ?? '', MARKER: 'ghp_notreal0000000000000000000000000000' });
    assert.doesNotMatch(leak.text, /ghp_/);
  });

  it('quotes every argument: shell syntax in an argument stays text', async () => {
    const marker = path.join(outside, 'shell-ran');
    for (const arg of [`ok; touch ${marker}`, `$(touch ${marker})`, `\`touch ${marker}\``, `ok' ; touch '${marker}`, `ok\ntouch ${marker}`]) {
      const launch = await serverLaunch(server({}, { args: [script, arg] }), { workspace, sandbox, network: false, inputs: new Map() });
      const connection = new McpConnection('repo');
      await connection.start(new StdioProcessTransport(launch.spec), { connectMs: 10_000 });
      await connection.stop();
      await launch.dispose();
    }
    assert.equal(existsSync(marker), false, 'an argument was run by a shell');
  });

  it('refuses a repository server\'s folder outside the workspace', async () => {
    for (const cwd of ['..', '/etc', '../../', `${workspace}/../x`]) {
      await assert.rejects(serverLaunch(server({}, { cwd }), { workspace, sandbox, network: false, inputs: new Map() }), LaunchError, cwd);
    }
  });
});
