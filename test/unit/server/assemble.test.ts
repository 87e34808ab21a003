import assert from 'node:assert/strict';
import type { ChatMessage, ContextItem } from '../../../src/shared/protocol';
import { assemblePrompt, estimateTokens, fence, SYSTEM_PROMPT } from '../../../src/server/prompt/assemble';

const question: ChatMessage = { role: 'user', content: 'How do I reverse a list in Python?' };

describe('prompt assembly', () => {
  it('a one-line question: system prompt + question, well under 1,500 tokens', () => {
    const prompt = assemblePrompt([question], []);
    assert.deepEqual(prompt.messages, [
      { role: 'system', content: SYSTEM_PROMPT },
      { role: 'user', content: question.content },
    ]);
    assert.ok(prompt.estimatedTokens < 1500, `${prompt.estimatedTokens} tokens`);
    assert.ok(prompt.estimatedTokens < 200, 'the system prompt is short');
    assert.match(SYSTEM_PROMPT, /Tandem/);
    assert.match(SYSTEM_PROMPT, /fenced code blocks with a language tag/);
  });

  it('puts context as fenced blocks with path and line range in the last user message, before the question; history before it', () => {
    const context: ContextItem[] = [
      { kind: 'file', path: 'src/app.ts', languageId: 'typescript', text: 'export const a = 1;\n' },
      { kind: 'selection', path: 'lib/util.py', languageId: 'python', startLine: 3, endLine: 5, text: 'def f():\n    return 1' },
    ];
    const history: ChatMessage[] = [
      { role: 'user', content: 'first question' },
      { role: 'assistant', content: 'first answer' },
    ];
    const prompt = assemblePrompt([...history, { role: 'user', content: 'What does f do?' }], context);
    assert.equal(prompt.messages.length, 4);
    assert.deepEqual(prompt.messages.slice(1, 3), history);
    const last = prompt.messages[3];
    assert.equal(last?.role, 'user');
    assert.equal(
      last?.content,
      [
        'File `src/app.ts`:',
        '```typescript',
        'export const a = 1;',
        '```',
        '',
        'Selection from `lib/util.py` (lines 3-5):',
        '```python',
        'def f():',
        '    return 1',
        '```',
        '',
        'What does f do?',
      ].join('\n'),
    );
    assert.equal(prompt.droppedMessages, 0);
    assert.equal(prompt.truncatedContext, false);
  });

  it('uses a longer fence when the text contains backticks, and no tag for odd language ids', () => {
    assert.equal(fence('a ``` b', 'markdown'), '````markdown\na ``` b\n````');
    assert.equal(fence('x', 'has space'), '```\nx\n```');
    assert.equal(fence('x', undefined), '```\nx\n```');
  });

  it('over budget: drops the oldest turns first (in pairs) and keeps the newest', () => {
    const big = 'x'.repeat(4000); // ~1000 tokens
    const messages: ChatMessage[] = [];
    for (let turn = 0; turn < 10; turn++) {
      messages.push({ role: 'user', content: `q${turn} ${big}` }, { role: 'assistant', content: `a${turn} ${big}` });
    }
    messages.push(question);
    const prompt = assemblePrompt(messages, [], 5000);
    assert.ok(prompt.estimatedTokens <= 5000, `${prompt.estimatedTokens}`);
    assert.equal(prompt.droppedMessages % 2, 0);
    assert.ok(prompt.droppedMessages > 0);
    const kept = prompt.messages.slice(1, -1);
    assert.match(kept[0]?.content ?? '', /^q\d/, 'starts with a user turn');
    assert.match(kept[kept.length - 1]?.content ?? '', /^a9 /, 'the newest turn is kept');
    assert.equal(prompt.messages[prompt.messages.length - 1]?.content, question.content);
    assert.equal(prompt.truncatedContext, false);
  });

  it('then truncates context at a line boundary with a visible note, and leaves out later items', () => {
    const lines = Array.from({ length: 4000 }, (_, i) => `line ${i}`).join('\n');
    const context: ContextItem[] = [
      { kind: 'file', path: 'big.txt', text: lines },
      { kind: 'file', path: 'later.txt', text: 'never fits' },
    ];
    const history: ChatMessage[] = [{ role: 'user', content: 'old' }, { role: 'assistant', content: 'older answer' }];
    const prompt = assemblePrompt([...history, question], context, 2000);
    assert.ok(prompt.estimatedTokens <= 2000, `${prompt.estimatedTokens}`);
    assert.equal(prompt.droppedMessages, 2, 'history goes before context');
    assert.equal(prompt.truncatedContext, true);
    const last = prompt.messages[prompt.messages.length - 1]?.content ?? '';
    assert.match(last, /\[truncated: \d+ more lines not shown to stay within the context budget\]/);
    assert.match(last, /File `later\.txt`: \[left out to stay within the context budget\]/);
    assert.match(last, /line 0\n/);
    assert.doesNotMatch(last, /line 3999/);
    assert.ok(last.endsWith(question.content));
  });

  it('estimates tokens as characters / 4', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 1);
    assert.equal(estimateTokens('abcde'), 2);
  });
});
