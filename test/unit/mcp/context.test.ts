/**
 * MCP resources and prompts as `@mcp` context, against real servers started
 * by the test (server-everything, and the broken server's hostile and
 * hanging modes): what is listed, what is attached, what is refused and why,
 * and what the data boundary makes of an item's `mcp://` path.
 */
import assert from 'node:assert/strict';
import { McpConnection } from '../../../src/extension/mcp/connection';
import { cleanContext, contextPath, CONTEXT_MAX_CHARS, listContext, readContext, type McpContextType } from '../../../src/extension/mcp/mcpContext';
import { DataBoundary } from '../../../src/server/services/dataBoundary';
import { WorkspaceGate } from '../../../src/shared/boundary/gate';
import { BROKEN_SERVER, EVERYTHING, nodeServer } from './servers';

// Control characters but newline and tab, bidirectional overrides and zero-width marks.
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

describe('MCP resources and prompts as @ context (real servers started by the test)', function () {
  this.timeout(60_000);
  const open: McpConnection[] = [];
  const ready = async (name: string, args: string[]): Promise<McpConnection> => {
    const connection = new McpConnection(name);
    open.push(connection);
    await connection.start(nodeServer(args), { connectMs: 20_000 });
    assert.equal(connection.state, 'ready', connection.error);
    return connection;
  };
  afterEach(async () => {
    await Promise.all(open.splice(0).map((connection) => connection.stop()));
  });

  it('server-everything: lists its text resources and its prompt without arguments, attaches them, refuses a binary resource', async () => {
    const everything = await ready('everything', [EVERYTHING]);
    const client = everything.readyClient;
    assert.ok(client);
    const listing = await listContext('everything', client);
    const resources = listing.entries.filter((entry) => entry.type === 'resource');
    const prompts = listing.entries.filter((entry) => entry.type === 'prompt');
    assert.ok(resources.length >= 3, JSON.stringify(listing));
    assert.ok(resources.every((entry) => entry.server === 'everything' && entry.id.startsWith('demo://')));
    assert.deepEqual(prompts.map((entry) => entry.id), ['simple-prompt'], 'prompts that require arguments are not offered');
    assert.match(listing.problem ?? '', /prompts? that needs? arguments not offered/);
    for (const entry of resources.slice(0, 3)) {
      const content = await readContext(client, 'resource', entry.id);
      assert.ok('text' in content && content.text.length > 0, JSON.stringify(content).slice(0, 200));
    }
    const prompt = await readContext(client, 'prompt', 'simple-prompt');
    assert.deepEqual(prompt, { text: 'User: This is a simple prompt without arguments.' });
    const blob = await readContext(client, 'resource', 'demo://resource/dynamic/blob/1');
    assert.ok('refused' in blob && /binary/.test(blob.refused), JSON.stringify(blob));
    const missing = await readContext(client, 'prompt', 'no-such-prompt');
    assert.ok('refused' in missing, JSON.stringify(missing));
  });

  it('a server that never answers its lists gives a line within the timeout, and its tools still work', async () => {
    const hanging = await ready('hanging', [BROKEN_SERVER, 'hang-context']);
    const client = hanging.readyClient;
    assert.ok(client);
    const listing = await listContext('hanging', client, 300);
    assert.deepEqual(listing.entries, []);
    assert.equal(listing.problem, 'resources: the server did not answer within 0.3 s; prompts: the server did not answer within 0.3 s');
    assert.deepEqual(await hanging.call('shout', { text: 'still here' }, { timeoutMs: 5_000 }), { text: 'STILL HERE' });
  });

  it('a hostile server: titles and texts cleaned and capped, binary refused, a malformed prompt refused, its .env refused by the boundary', async () => {
    const hostile = await ready('hostile', [BROKEN_SERVER, 'hostile-context']);
    const client = hostile.readyClient;
    assert.ok(client);
    const listing = await listContext('hostile', client);
    assert.equal(listing.entries.length, 6, JSON.stringify(listing));
    for (const entry of listing.entries) {
      assert.doesNotMatch(entry.title, UNSAFE, entry.title);
      assert.doesNotMatch(entry.detail, UNSAFE, entry.detail);
    }
    const controls = await readContext(client, 'resource', 'hostile://controls');
    assert.ok('text' in controls);
    assert.doesNotMatch(controls.text, UNSAFE);
    assert.match(controls.text, /^line one\nline two reversed ghp_a+$/);
    const huge = await readContext(client, 'resource', 'hostile://huge');
    assert.ok('text' in huge && huge.text.length < CONTEXT_MAX_CHARS + 100 && huge.text.endsWith('[... cut by Tandem: 200000 more characters]'));
    const blob = await readContext(client, 'resource', 'hostile://blob');
    assert.deepEqual(blob, { refused: 'it is binary (image/png): only text resources can be attached' });
    const malformed = await readContext(client, 'prompt', 'malformed');
    assert.ok('refused' in malformed && /not usable/.test(malformed.refused), JSON.stringify(malformed));

    // Through the data boundary like any context item: the .env by its name, the token in the text redacted.
    const gate = new WorkspaceGate();
    gate.setRoots(['/project']);
    const outgoing = new DataBoundary({ excluded: (location) => gate.excluded(location) }).open('chat', 'http://127.0.0.1:1/v1', {});
    assert.ok(!('refused' in outgoing));
    const env = await readContext(client, 'resource', 'file:///project/.env');
    assert.ok('text' in env);
    const sent = await outgoing.contextItems([
      { kind: 'mcp', path: contextPath('hostile', 'resource', 'hostile://controls'), text: controls.text },
      { kind: 'mcp', path: contextPath('hostile', 'resource', 'file:///project/.env'), text: env.text },
    ]);
    assert.match(sent[0]?.text ?? '', /line two reversed \[REDACTED:github-token\]/);
    assert.match(sent[1]?.text ?? '', /^\[not sent by Tandem: .*secrets file/);
    assert.doesNotMatch(sent[1]?.text ?? '', /sk-b/);
    assert.deepEqual(outgoing.report().refused.map((item) => item.item), ['mcp://hostile/file:///project/.env']);
  });
});

describe('MCP context: cleaning and paths (generated cases)', () => {
  const random = (seed: number) => () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const next = random(14);
  const pool = ['a', 'Z', ' ', '\n', '\t', '\r', '%', '%zz', '%41', '/', '.env', 'é', '\u0000', '\u0007', '\u001b[2J', '\u007f', '\u0085', '\u200b', '\u202e', '\u2066', '\ufeff', 'ghp_', '`'];
  const generated = (length: number): string => Array.from({ length }, () => pool[Math.floor(next() * pool.length)] ?? '').join('');

  it('cleanContext: never an unsafe character, never more than the cap (plus its note), text otherwise kept', () => {
    for (let index = 0; index < 300; index += 1) {
      const text = generated(Math.floor(next() * 200));
      const max = 1 + Math.floor(next() * 150);
      const cleaned = cleanContext(text, max);
      assert.doesNotMatch(cleaned, UNSAFE, JSON.stringify(text));
      assert.doesNotMatch(cleaned, /\r/);
      const body = cleaned.replace(/\n\[\.\.\. cut by Tandem: \d+ more characters\]$/, '');
      assert.ok(body.length <= max, `${body.length} > ${max}`);
      if (body === cleaned) assert.equal(cleaned, text.replace(/\r\n?/g, '\n').replace(new RegExp(UNSAFE.source, 'g'), ''));
    }
  });

  it('contextPath: one line, readable by the boundary without throwing; a secret-looking name refused, anything else not', () => {
    const gate = new WorkspaceGate();
    gate.setRoots(['/project']);
    for (let index = 0; index < 300; index += 1) {
      const type: McpContextType = next() < 0.5 ? 'resource' : 'prompt';
      const id = generated(1 + Math.floor(next() * 30));
      const path = contextPath('server', type, id);
      assert.ok(path.startsWith(`mcp://server/${type === 'prompt' ? 'prompt/' : ''}`));
      assert.doesNotMatch(path, UNSAFE);
      assert.doesNotMatch(path, /\n/);
      assert.doesNotThrow(() => gate.excluded(path), path);
    }
    for (const secret of ['file:///project/.env', 'keys/id_rsa', 'config/.env.local', 'server.pem']) {
      assert.ok(gate.excluded(contextPath('s', 'resource', secret)), secret);
    }
    for (const plain of ['demo://resource/static/document/architecture.md', 'file:///project/src/index.ts', 'simple-prompt', 'notes%20on%20env']) {
      assert.equal(gate.excluded(contextPath('s', 'resource', plain)), undefined, plain);
    }
  });
});
