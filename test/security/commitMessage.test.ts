/**
 * tandem/commitMessage through the data boundary: a staged `.env` is refused
 * and named, secrets in the other diffs are replaced (also assignments the
 * diff's `+` marks would hide), the message streams, and the audit records
 * the diffs sent by path and digest.
 */
import assert from 'node:assert/strict';
import { ChatDeltaNotification, CommitMessageRequest, type ChatResult } from '../../src/shared/protocol';
import { leakedValues, makeSecretWorkspace, startService, type Service, type Workspace } from './figures/boundary';

describe('security: commit messages through the data boundary', function () {
  this.timeout(60_000);
  let ws: Workspace;
  let service: Service;

  before(async () => {
    ws = makeSecretWorkspace(21);
    service = await startService(ws.root);
  });
  after(async () => {
    await service.close();
    ws.cleanup();
  });

  const asDiff = (text: string): string => `@@ -0,0 +1,${text.split('\n').length} @@\n${text.split('\n').map((line) => `+${line}`).join('\n')}`;

  it('refuses the .env diff, redacts the others, streams the message, follows the repository’s style', async () => {
    service.model.enqueue({ kind: 'stream', text: 'feat(config): read keys from the environment\n\nMove the keys out of config.ts.' });
    const deltas: string[] = [];
    const listener = service.client.onNotification(ChatDeltaNotification.type, (params) => {
      if (params.streamId === 'commit-1') deltas.push(params.text);
    });
    const result: ChatResult = await service.client.sendRequest(CommitMessageRequest.type, {
      streamId: 'commit-1',
      files: [
        { path: 'src/config.ts', diff: asDiff(ws.config) },
        { path: '.env', diff: asDiff('ANTHROPIC_API_KEY=whatever-is-in-it') },
      ],
      recentSubjects: ['feat: a', 'fix(x): b', 'docs: c', 'Merge branch d'],
    });
    listener.dispose();
    assert.equal(result.error, undefined, result.error?.message);
    assert.equal(result.text, 'feat(config): read keys from the environment\n\nMove the keys out of config.ts.');
    assert.equal(deltas.join(''), result.text, 'the message streamed');
    assert.deepEqual(result.boundary?.refused.map((item) => item.item), ['.env']);
    assert.deepEqual(leakedValues(service.model.requests, ws.values), []);
    const body = JSON.stringify(service.model.requests.at(-1)?.body);
    assert.match(body, /\[REDACTED:[a-z0-9-]+\]/);
    assert.ok(!body.includes('whatever-is-in-it'), 'the .env diff did not go out');
    assert.match(body, /Conventional Commits/);
    assert.match(body, /diff of src\/config\.ts/);
  });

  it('rejects malformed params with InvalidParams, sending nothing', async () => {
    const before = service.model.requests.length;
    await assert.rejects(service.client.sendRequest(CommitMessageRequest.type, { streamId: 'x', files: 'all of them' } as never), /files must be an array/);
    assert.equal(service.model.requests.length, before);
  });
});
