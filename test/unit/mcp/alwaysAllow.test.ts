/**
 * `tandem.mcp.alwaysAllow` is the person's alone: values a repository (or a
 * folder, a `*.code-workspace`, a language block) sets are never read, and
 * "Always allow" writes to the person's user settings only. Generated over
 * every level VS Code merges.
 */
import assert from 'node:assert/strict';
import { addAlwaysAllow, alwaysAllowEntry, alwaysAllowList, isAlwaysAllowed } from '../../../src/extension/mcp/alwaysAllow';
import type { Inspectable } from '../../../src/extension/userSettings';

/** The levels of `WorkspaceConfiguration.inspect` other than the person's own. */
const FOREIGN_LEVELS = ['workspaceValue', 'workspaceFolderValue', 'workspaceLanguageValue', 'workspaceFolderLanguageValue', 'globalLanguageValue'] as const;
type Level = (typeof FOREIGN_LEVELS)[number] | 'globalValue' | 'defaultValue';

interface Update {
  key: string;
  value: unknown;
  target: unknown;
}

/** A `tandem` configuration answering from fixed levels; `update` records what is written where. */
function fakeConfig(levels: Partial<Record<Level, unknown>>): Inspectable & { update(key: string, value: unknown, target?: unknown): Promise<void>; updates: Update[] } {
  const updates: Update[] = [];
  // What VS Code's `get` would merge: the most specific level wins.
  const merged = [...FOREIGN_LEVELS, 'globalValue', 'defaultValue'].map((level) => levels[level as Level]).find((value) => value !== undefined);
  return {
    updates,
    inspect: <T>(key: string) => (key === 'mcp.alwaysAllow' ? ({ key: `tandem.${key}`, defaultValue: [], ...levels } as unknown as { key: string } & Record<string, T>) : undefined),
    // `get` is deliberately unusable: reading the merged value would let the workspace in.
    get: () => {
      throw new Error(`read the merged value ${JSON.stringify(merged)}`);
    },
    update: async (key: string, value: unknown, target?: unknown) => {
      updates.push({ key, value, target });
    },
  } as unknown as Inspectable & { update(key: string, value: unknown, target?: unknown): Promise<void>; updates: Update[] };
}

const SERVERS = ['everything', 'fs', 'a/b', 'srv'] as const;
const TOOLS = ['echo', 'read_file', '*', 'x'] as const;

describe('MCP tools allowed permanently (tandem.mcp.alwaysAllow)', () => {
  it('ignores what any level but the user\'s says, whatever it lists', () => {
    for (const level of FOREIGN_LEVELS) {
      for (const server of SERVERS) {
        for (const tool of TOOLS) {
          const foreign = [`${server}/${tool}`, `${server}/*`];
          const config = fakeConfig({ [level]: foreign });
          assert.deepEqual(alwaysAllowList(config), [], `${level} was read`);
          for (const source of ['user', 'workspace'] as const) {
            assert.equal(isAlwaysAllowed(alwaysAllowList(config), source, server, tool), false, `${level} allowed ${server}/${tool}`);
          }
          // The user's own entry still counts when the workspace says something else.
          const both = fakeConfig({ [level]: [], globalValue: [`${server}/${tool}`] });
          assert.equal(isAlwaysAllowed(alwaysAllowList(both), 'user', server, tool), true);
        }
      }
    }
  });

  it('applies to the person\'s own servers only: a repository\'s server of the same name is still asked for', () => {
    const list = alwaysAllowList(fakeConfig({ globalValue: ['everything/echo', 'fs/*'] }));
    assert.equal(isAlwaysAllowed(list, 'user', 'everything', 'echo'), true);
    assert.equal(isAlwaysAllowed(list, 'user', 'fs', 'anything'), true);
    assert.equal(isAlwaysAllowed(list, 'user', 'everything', 'add'), false);
    assert.equal(isAlwaysAllowed(list, 'workspace', 'everything', 'echo'), false);
    assert.equal(isAlwaysAllowed(list, 'workspace', 'fs', 'anything'), false);
    assert.equal(alwaysAllowEntry('user', 'everything', 'echo'), 'everything/echo');
    assert.equal(alwaysAllowEntry('workspace', 'everything', 'echo'), undefined, 'the card offers no Always allow for it');
    for (const [server, tool] of [['a/b', 'echo'], ['srv', 'x/y'], ['srv', '*']]) {
      assert.equal(alwaysAllowEntry('user', server!, tool!), undefined, `${server}/${tool} would be ambiguous or allow more than the tool`);
    }
  });

  it('reads strings only from a malformed user value', () => {
    for (const value of [null, 'everything/echo', 5, { a: 1 }, [1, null, 'everything/echo', ['x']]]) {
      const list = alwaysAllowList(fakeConfig({ globalValue: value }));
      assert.ok(list.every((item) => typeof item === 'string'));
    }
  });

  it('"Always allow" writes the user settings (target global), from the user\'s value alone, once', async () => {
    for (const level of FOREIGN_LEVELS) {
      const config = fakeConfig({ globalValue: ['fs/*'], [level]: ['evil/run'] });
      await addAlwaysAllow(config, 'everything/echo');
      assert.deepEqual(config.updates, [{ key: 'mcp.alwaysAllow', value: ['fs/*', 'everything/echo'], target: true }], `${level} leaked into the written value`);
    }
    const already = fakeConfig({ globalValue: ['everything/echo'] });
    await addAlwaysAllow(already, 'everything/echo');
    assert.deepEqual(already.updates, [], 'an entry already there is not written again');
    const empty = fakeConfig({});
    await addAlwaysAllow(empty, 'a/b');
    assert.deepEqual(empty.updates.map((update) => [update.value, update.target]), [[['a/b'], true]]);
  });
});
