/**
 * create_file through the agent: content that holds edit-format marker lines
 * (a SEARCH/REPLACE block or a patch the model meant as an edit) is refused
 * and the file is left alone; content that only resembles markers is written.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ScriptedModelServer } from '../../support/modelServer';
import { answer, FakeClient, readText, requestMessages, runScenario, toolCall, toolResults, useFixtureProject } from '../agent/harness';

describe('create_file never writes an edit as a file', function () {
  this.timeout(20_000);
  let server!: ScriptedModelServer;
  let root!: string;
  useFixtureProject(
    (started) => (server = started),
    (copied) => (root = copied),
  );

  it('refuses content with SEARCH/REPLACE or patch markers, telling the model why; writes look-alikes', async () => {
    const before = readText(root, 'README.md');
    const searchReplace = ['<<<<<<< SEARCH', 'old', '=======', 'new', '>>>>>>> REPLACE'].join('\n');
    const patch = ['*** Begin Patch', '*** Update File: README.md', '@@', '-old', '+new', '*** End Patch'].join('\n');
    const lookAlike = ['Notes', '=====', '', '---', '', '| a | b |', '|---|---|'].join('\n');
    server.enqueue(
      toolCall('create_file', { path: 'README.md', content: searchReplace }),
      toolCall('create_file', { path: 'src/new.js', content: patch }),
      toolCall('create_file', { path: 'docs/notes.md', content: lookAlike }),
      answer('Done.'),
    );
    await runScenario(server, { root, task: 'Write files.', client: new FakeClient(root), settings: { policy: 'auto-edit' } });
    const results = toolResults(requestMessages(server).at(-1) ?? []);
    assert.match(results[0] ?? '', /README\.md: applying this would write edit-format marker lines/);
    assert.match(results[0] ?? '', /<<<<<<< SEARCH/);
    assert.equal(readText(root, 'README.md'), before);
    assert.match(results[1] ?? '', /\*\*\* Begin Patch/);
    assert.equal(existsSync(path.join(root, 'src/new.js')), false);
    assert.match(results[2] ?? '', /^Applied: docs\/notes\.md\./);
    assert.equal(readText(root, 'docs/notes.md'), `${lookAlike}\n`);
  });
});
