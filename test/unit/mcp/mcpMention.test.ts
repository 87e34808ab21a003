/**
 * The `@mcp` picker over real servers started by the test: what a person
 * sees for a working server, one that hangs while listing, and one that
 * failed to start; what a pick attaches or why it attaches nothing.
 */
import assert from 'node:assert/strict';
import { McpMention } from '../../../src/extension/chat/mentions/mcpMention';
import { McpConnection } from '../../../src/extension/mcp/connection';
import { McpServersContext } from '../../../src/extension/mcp/contextSource';
import { BROKEN_SERVER, EVERYTHING, nodeServer } from './servers';

describe('@mcp mention (real servers started by the test)', function () {
  this.timeout(60_000);
  const open: McpConnection[] = [];
  let mention: McpMention;
  before(async () => {
    const start = async (name: string, args: string[]): Promise<McpConnection> => {
      const connection = new McpConnection(name);
      open.push(connection);
      await connection.start(nodeServer(args), { connectMs: 5_000 });
      return connection;
    };
    const connections = await Promise.all([start('everything', [EVERYTHING]), start('hanging', [BROKEN_SERVER, 'hang-context']), start('crashed', [BROKEN_SERVER, 'crash-at-start'])]);
    const servers = {
      contextConnections: async () => ({
        ready: connections.filter((connection) => connection.state === 'ready'),
        notReady: connections.filter((connection) => connection.state !== 'ready').map((connection) => ({ name: connection.name, why: `${connection.state}: ${connection.error ?? ''}` })),
      }),
    };
    mention = new McpMention(() => new McpServersContext(servers, 500));
  });
  after(async () => {
    await Promise.all(open.splice(0).map((connection) => connection.stop()));
  });

  it('lists the working server\'s resources and prompt, and a line for the hanging and the crashed server, within the listing timeout (the mocha timeout would fail a hang)', async () => {
    const { options, note } = await mention.options('');
    assert.equal(note, undefined);
    const labels = options.map((option) => option.label);
    assert.ok(labels.includes('everything: architecture.md'), labels.join(', '));
    assert.ok(labels.includes('everything: Simple Prompt'), labels.join(', '));
    const hanging = options.find((option) => option.label === 'hanging: not all listed');
    assert.match(hanging?.detail ?? '', /resources: the server did not answer within 0.5 s; prompts: the server did not answer within 0.5 s/);
    const crashed = options.find((option) => option.label === 'crashed: not all listed');
    assert.match(crashed?.detail ?? '', /not ready \(failed: the server exited with code 3/);
    assert.equal((await mention.options('architecture')).options[0]?.label, 'everything: architecture.md');
  });

  it('a pick attaches the text with an mcp:// path; a problem line, a binary resource and a forged value attach nothing and say why', async () => {
    const { options } = await mention.options('architecture');
    const resource = await mention.resolve(options[0]?.value ?? '');
    assert.equal(resource.chip.excluded, undefined);
    assert.equal(resource.items.length, 1);
    assert.equal(resource.items[0]?.kind, 'mcp');
    assert.equal(resource.items[0]?.path, 'mcp://everything/demo://resource/static/document/architecture.md');
    assert.equal(resource.items[0]?.languageId, 'markdown');
    assert.match(resource.items[0]?.text ?? '', /Architecture/);

    const prompt = await mention.resolve(JSON.stringify(['everything', 'prompt', 'simple-prompt']));
    assert.deepEqual(prompt.items, [{ kind: 'mcp', path: 'mcp://everything/prompt/simple-prompt', text: 'User: This is a simple prompt without arguments.' }]);

    const cases: Array<[string, RegExp]> = [
      [JSON.stringify(['hanging', 'problem', 'resources: the server did not answer within 5 s']), /did not answer/],
      [JSON.stringify(['everything', 'resource', 'demo://resource/dynamic/blob/1']), /binary/],
      [JSON.stringify(['crashed', 'resource', 'x://y']), /crashed is not ready/],
      [JSON.stringify(['nobody', 'prompt', 'p']), /nobody is not ready/],
      ['not json', /not a resource or prompt/],
      [JSON.stringify(['everything', 'tool', 'echo']), /not a resource or prompt/],
      [JSON.stringify(['everything', 'resource']), /not a resource or prompt/],
      [JSON.stringify({ server: 'everything' }), /not a resource or prompt/],
    ];
    for (const [value, reason] of cases) {
      const resolved = await mention.resolve(value);
      assert.deepEqual(resolved.items, [], value);
      assert.match(resolved.chip.excluded ?? '', reason, value);
    }
  });
});
