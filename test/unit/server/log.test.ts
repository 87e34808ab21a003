import assert from 'node:assert/strict';
import { formatRequestLine, ServiceLog } from '../../../src/server/log';
import { displayUrl, redact } from '../../../src/server/redact';

describe('log and redaction', () => {
  it('formats one line per request with model, host, status, timings and tokens', () => {
    assert.equal(
      formatRequestLine({
        method: 'tandem/chat',
        model: 'gpt-4.1',
        endpoint: 'https://api.openai.com/v1',
        status: 200,
        ttftMs: 312.4,
        totalMs: 2140,
        usage: { promptTokens: 120, completionTokens: 340, totalTokens: 460 },
        attempts: 2,
      }),
      'tandem/chat model=gpt-4.1 host=api.openai.com status=200 ttft=312ms total=2140ms tokens=120+340=460 attempts=2',
    );
    assert.equal(formatRequestLine({ method: 'tandem/chat', status: 'cancelled', totalMs: 5 }), 'tandem/chat status=cancelled total=5ms');
  });

  it('scrubs the current key and key-shaped strings from every line', () => {
    const lines: string[] = [];
    const sink = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    const log = new ServiceLog(sink, () => ['my-local-key-1234']);
    log.info('key my-local-key-1234 here');
    log.warn('Authorization: Bearer abcdefghijklmnop');
    log.error('{"api_key": "zzzzzzzzzz"} and sk-proj-aaaaaaaaaaaaaaa');
    assert.deepEqual(lines, [
      'key [redacted] here',
      'Authorization: Bearer [redacted]',
      '{"api_key": "[redacted]"} and [redacted]',
    ]);
  });

  it('leaves ordinary text alone and ignores tiny "secrets"', () => {
    assert.equal(redact('the answer is 42', ['x', '']), 'the answer is 42');
  });

  it('removes user:password from URLs shown to people', () => {
    assert.equal(displayUrl('https://user:pw@host.example/v1'), 'https://host.example/v1');
    assert.equal(displayUrl('http://127.0.0.1:11434/v1'), 'http://127.0.0.1:11434/v1');
    assert.equal(displayUrl('nonsense'), 'nonsense');
  });
});
