import assert from 'node:assert/strict';
import { OutputCollector, cleanTerminalOutput, truncateOutput } from '../../../src/extension/agent/output';

describe('agent command output', () => {
  it('keeps short output whole', () => {
    assert.equal(truncateOutput('hello', 4, 8), 'hello');
    assert.equal(truncateOutput('x'.repeat(12), 4, 8), 'x'.repeat(12));
  });

  it('keeps the head and the tail of long output, saying how much was dropped', () => {
    const text = `${'H'.repeat(10)}${'m'.repeat(100)}${'T'.repeat(10)}`;
    const result = truncateOutput(text, 10, 10);
    assert.equal(result, `${'H'.repeat(10)}\n… [100 characters of output omitted] …\n${'T'.repeat(10)}`);
    const real = truncateOutput('a'.repeat(100_000));
    assert.ok(real.length < 4 * 1024 + 8 * 1024 + 100);
  });

  it('the streaming collector gives the same result as truncating the whole, in bounded memory', () => {
    const chunks = Array.from({ length: 500 }, (_, index) => `line ${index}\n`);
    const collector = new OutputCollector(64, 128);
    for (const chunk of chunks) collector.append(chunk);
    const whole = chunks.join('');
    assert.equal(collector.text(), truncateOutput(whole, 64, 128));
    assert.equal(collector.length, whole.length);
    const small = new OutputCollector(64, 128);
    small.append('abc');
    small.append('def');
    assert.equal(small.text(), 'abcdef');
  });

  it('removes terminal control sequences and carriage-return rewrites', () => {
    const raw = '\u001b]633;C\u0007\u001b[32mok\u001b[0m\r\nprogress 10%\rprogress 100%\r\ndone\r\n';
    assert.equal(cleanTerminalOutput(raw), 'ok\nprogress 100%\ndone\n');
  });
});
