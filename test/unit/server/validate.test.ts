import assert from 'node:assert/strict';
import { parseChatParams } from '../../../src/server/validate';

describe('tandem/chat params validation', () => {
  it('accepts good params and returns a clean copy', () => {
    const parsed = parseChatParams({
      streamId: 's',
      messages: [{ role: 'user', content: 'q', extra: 1 }],
      context: [{ kind: 'selection', path: 'a.ts', text: 't', languageId: 'typescript', startLine: 2, endLine: 4, junk: true }],
      model: ' m ',
      unknown: 'dropped',
    });
    assert.deepEqual(parsed, {
      ok: true,
      value: {
        streamId: 's',
        messages: [{ role: 'user', content: 'q' }],
        context: [{ kind: 'selection', path: 'a.ts', text: 't', languageId: 'typescript', startLine: 2, endLine: 4 }],
        model: 'm',
      },
    });
    const noContext = parseChatParams({ streamId: 's', messages: [{ role: 'user', content: 'q' }] });
    assert.ok(noContext.ok);
    assert.deepEqual(noContext.value.context, []);
  });

  it('keeps the paths the client withheld, once each, and leaves them out when there are none', () => {
    const question = { streamId: 's', messages: [{ role: 'user', content: 'q' }] };
    const parsed = parseChatParams({ ...question, withheld: ['.env', 'secrets/id_rsa', '.env'] });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.withheld, ['.env', 'secrets/id_rsa']);
    for (const none of [[], null, undefined]) {
      const empty = parseChatParams({ ...question, withheld: none });
      assert.ok(empty.ok);
      assert.equal('withheld' in empty.value, false);
    }
    const most = parseChatParams({ ...question, withheld: Array.from({ length: 100 }, (_, i) => `${'d/'.repeat(400)}f${i}`) });
    assert.ok(most.ok, 'the limits themselves are allowed');
  });

  it('drops malformed optional line numbers but keeps the item', () => {
    const parsed = parseChatParams({
      streamId: 's',
      messages: [{ role: 'user', content: 'q' }],
      context: [{ kind: 'file', path: 'a', text: 't', startLine: -1, endLine: 'x', languageId: 3 }],
    });
    assert.ok(parsed.ok);
    assert.deepEqual(parsed.value.context, [{ kind: 'file', path: 'a', text: 't' }]);
  });

  const bad: Array<[string, unknown]> = [
    ['not an object', 'hello'],
    ['no streamId', { messages: [{ role: 'user', content: 'q' }] }],
    ['empty messages', { streamId: 's', messages: [] }],
    ['bad role', { streamId: 's', messages: [{ role: 'system', content: 'q' }] }],
    ['content not a string', { streamId: 's', messages: [{ role: 'user', content: 5 }] }],
    ['last message not the user', { streamId: 's', messages: [{ role: 'user', content: 'q' }, { role: 'assistant', content: 'a' }] }],
    ['context not an array', { streamId: 's', messages: [{ role: 'user', content: 'q' }], context: {} }],
    ['context item without text', { streamId: 's', messages: [{ role: 'user', content: 'q' }], context: [{ kind: 'file', path: 'a' }] }],
    ['model not a string', { streamId: 's', messages: [{ role: 'user', content: 'q' }], model: 3 }],
    ['withheld not an array', { streamId: 's', messages: [{ role: 'user', content: 'q' }], withheld: '.env' }],
    ['withheld with an empty path', { streamId: 's', messages: [{ role: 'user', content: 'q' }], withheld: ['.env', ''] }],
    ['withheld with a non-string', { streamId: 's', messages: [{ role: 'user', content: 'q' }], withheld: [{ path: '.env' }] }],
    ['withheld with an overlong path', { streamId: 's', messages: [{ role: 'user', content: 'q' }], withheld: ['a'.repeat(1025)] }],
    ['withheld with too many paths', { streamId: 's', messages: [{ role: 'user', content: 'q' }], withheld: Array.from({ length: 101 }, (_, i) => `f${i}`) }],
  ];
  for (const [name, input] of bad) {
    it(`rejects: ${name}`, () => {
      const parsed = parseChatParams(input);
      assert.equal(parsed.ok, false);
    });
  }
});
