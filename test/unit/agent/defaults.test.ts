import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_ALLOW_COMMANDS, DEFAULT_DENY_COMMANDS } from '../../../src/server/agent/policy';

describe('agent command lists', () => {
  it('the settings defaults in package.json are the service defaults (one list, two places)', () => {
    const pkg = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { default?: unknown }> } };
    };
    const properties = pkg.contributes.configuration.properties;
    assert.deepEqual(properties['tandem.agent.denyCommands']?.default, DEFAULT_DENY_COMMANDS);
    assert.deepEqual(properties['tandem.agent.allowCommands']?.default, DEFAULT_ALLOW_COMMANDS);
  });
});
