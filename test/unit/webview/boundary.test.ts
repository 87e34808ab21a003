/**
 * The data boundary as the person sees it under an answer: how many secrets
 * were redacted and of which kinds, which files were not sent and why; a
 * malformed report shows nothing; nothing when the boundary did nothing.
 */
import assert from 'node:assert/strict';
import { describeBoundary, describeRedactions, kindLabel, mergeReports } from '../../../src/shared/boundaryWording';
import type { DataBoundaryReport } from '../../../src/shared/protocol';
import { assistant, mountTestPage, user, viewState } from './env';

function answerWith(boundary: unknown, extra: Record<string, unknown> = {}): ReturnType<typeof mountTestPage> {
  const page = mountTestPage();
  page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), assistant('a1', 'The answer.', { boundary: boundary as DataBoundaryReport, ...extra })] }) });
  return page;
}

describe('webview: what the data boundary did, under the answer', () => {
  it('one secret: "1 secret redacted"', () => {
    const page = answerWith({ redactions: [{ kind: 'github-token', count: 1 }], refused: [] });
    assert.equal(page.$('[data-testid="boundary-redacted"]')?.textContent, '1 secret redacted');
    assert.equal(page.$('[data-testid="boundary"]')?.getAttribute('role'), 'note');
  });

  it('several: the total, then each kind by count, in words', () => {
    const page = answerWith({ redactions: [{ kind: 'private-key', count: 1 }, { kind: 'github-token', count: 2 }], refused: [] });
    assert.equal(page.$('[data-testid="boundary-redacted"]')?.textContent, '3 secrets redacted: 2 GitHub tokens, 1 private key');
  });

  it('a file not sent is named with its reason, clearly, not silently left out', () => {
    const page = answerWith({ redactions: [], refused: [{ item: '.env', reason: '.env is a secrets file (such as .env, a key or credentials); it is neither read nor sent.' }] });
    const refused = page.$$('[data-testid="boundary-refused"]');
    assert.equal(refused.length, 1);
    assert.match(refused[0]?.textContent ?? '', /^Not sent: \.env — \.env is a secrets file/);
    assert.equal(page.$('[data-testid="boundary-redacted"]'), null);
  });

  it('shows nothing when the boundary did nothing, or when the report is malformed (checked where it arrives)', () => {
    for (const bad of [undefined, null, 'x', { redactions: 'no', refused: [] }, { redactions: [{ kind: 1, count: 'x' }], refused: [{ item: 3 }] }, { redactions: [], refused: [] }]) {
      const page = answerWith(bad);
      assert.equal(page.$('[data-testid="boundary"]'), null, JSON.stringify(bad));
    }
  });

  it('renders kinds and paths as text, never as markup', () => {
    const page = answerWith({ redactions: [{ kind: '<img src=x onerror=alert(1)>', count: 1 }], refused: [{ item: '<b>x</b>', reason: '<script>y</script>' }] });
    assert.equal(page.$('[data-testid="boundary"] img'), null);
    assert.equal(page.$('[data-testid="boundary"] b'), null);
    assert.equal(page.$('[data-testid="boundary"] script'), null);
    assert.match(page.$('[data-testid="boundary-refused"]')?.textContent ?? '', /<b>x<\/b>/);
  });

  it('stays under a failed answer too (the request went out), and updates when the report arrives with the final message', () => {
    const page = mountTestPage();
    page.send({ type: 'state', state: viewState({ messages: [user('u1', 'q'), assistant('a1', '', { streaming: true })] }) });
    assert.equal(page.$('[data-testid="boundary"]'), null);
    page.send({
      type: 'messageUpdate',
      chatId: 'chat-1',
      message: assistant('a1', 'partial', { error: { kind: 'server', message: 'boom' }, boundary: { redactions: [{ kind: 'jwt', count: 1 }], refused: [] } }),
    });
    assert.equal(page.$('[data-testid="boundary-redacted"]')?.textContent, '1 secret redacted');
    assert.ok(page.$('[data-testid="error"]'));
  });

  it('lists at most five refused files, then counts the rest', () => {
    const refused = Array.from({ length: 8 }, (_, i) => ({ item: `secret-${i}.pem`, reason: 'a key' }));
    const page = answerWith({ redactions: [], refused });
    assert.equal(page.$$('[data-testid="boundary-refused"]').length, 5);
    assert.match(page.$('[data-testid="boundary"]')?.textContent ?? '', /and 3 more not sent/);
  });
});

describe('data boundary wording', () => {
  it('labels known kinds in words, singular and plural; unknown kinds from their name', () => {
    assert.equal(kindLabel('aws-secret-access-key', 1), 'AWS secret access key');
    assert.equal(kindLabel('jwt', 2), 'JWTs');
    assert.equal(kindLabel('figma-token', 2), 'figma tokens');
  });

  it('describes nothing as nothing, and both parts when both happened', () => {
    assert.equal(describeRedactions([]), '');
    assert.equal(describeBoundary(undefined), '');
    assert.equal(describeBoundary({ redactions: [{ kind: 'stripe-key', count: 1 }], refused: [{ item: '.env', reason: 'secret' }] }), '1 secret redacted. Not sent: .env — secret');
  });

  it('merges the editor’s kept-back chips with the service’s report, without repeating an item', () => {
    const merged = mergeReports({ redactions: [{ kind: 'jwt', count: 1 }], refused: [{ item: '.env', reason: 'a' }] }, { redactions: [{ kind: 'jwt', count: 1 }], refused: [{ item: '.env', reason: 'b' }, { item: 'id_rsa', reason: 'c' }] });
    assert.deepEqual(merged, { redactions: [{ kind: 'jwt', count: 2 }], refused: [{ item: '.env', reason: 'a' }, { item: 'id_rsa', reason: 'c' }] });
    assert.equal(mergeReports(undefined, undefined), undefined);
  });
});
