import assert from 'node:assert/strict';
import { BlockSplitter, LIST_MERGE_LIMIT, splitBlocks } from '../../../media/chat/blocks';
import { chunks } from './env';

/** Finished blocks plus the final tail: what the view ends up rendering. */
function allBlocks(text: string): string[] {
  const { blocks, tail } = splitBlocks(text);
  return tail ? [...blocks, tail] : blocks;
}

function streamBlocks(parts: string[]): string[] {
  const splitter = new BlockSplitter();
  const out: string[] = [];
  for (const part of parts) {
    out.push(...splitter.push(part));
  }
  return splitter.tail ? [...out, splitter.tail] : out;
}

const samples = {
  prose: 'First paragraph\nstill first.\n\nSecond paragraph.\n\n# Heading\n\nThird.',
  fenceWithBlankLines: 'Intro:\n\n```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\nAfter.',
  tildeFence: '~~~python\ndef f():\n\n    return 1\n~~~\n\nDone.',
  longerFence: '````md\n```\n\nnot closed by three\n```\n\nstill inside\n````\n\nOut.',
  nestedList: '- one\n\n  continued one\n\n  - nested\n\n    deeper\n\n- two\n\nParagraph.',
  orderedLoose: '1. **First**\n\n   Explanation.\n\n2. **Second**\n\n   ```js\n   x();\n\n   y();\n   ```\n\n3. Third\n\nEnd.',
  crlf: 'a\r\nb\r\n\r\nc\r\n\r\n```\r\nx\r\n\r\ny\r\n```\r\n\r\nd',
  unclosedFence: 'Text.\n\n```js\nlet a = 1;\n\nlet b = 2;\n',
  listInFence: '> quote\n> ```\n>\n> ```\n\nafter',
  indentedCode: 'Code:\n\n    line 1\n\n    line 2\n\nText.',
  mixed: 'Para\n\n- a\n- b\n\n* c\n\n1) d\n\n2. e\n\n---\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\nLast',
} satisfies Record<string, string>;

describe('webview block splitter', () => {
  it('cuts at blank lines between top-level blocks', () => {
    assert.deepEqual(allBlocks('First paragraph\nstill first.\n\nSecond.\n\n# Heading\n\nThird.'), [
      'First paragraph\nstill first.\n\n',
      'Second.\n\n',
      '# Heading\n\n',
      'Third.',
    ]);
  });

  it('keeps a fenced code block with blank lines in one block', () => {
    assert.deepEqual(allBlocks(samples.fenceWithBlankLines), ['Intro:\n\n', '```ts\nconst a = 1;\n\n\nconst b = 2;\n```\n\n', 'After.']);
  });

  it('handles tilde fences and fences closed only by a long enough run', () => {
    assert.deepEqual(allBlocks(samples.tildeFence), ['~~~python\ndef f():\n\n    return 1\n~~~\n\n', 'Done.']);
    assert.deepEqual(allBlocks(samples.longerFence), ['````md\n```\n\nnot closed by three\n```\n\nstill inside\n````\n\n', 'Out.']);
    // A tilde line does not close a backtick fence.
    assert.deepEqual(allBlocks('```\na\n~~~\n\nb\n```\n\nc'), ['```\na\n~~~\n\nb\n```\n\n', 'c']);
  });

  it('does not treat ``` with backticks in the info string as a fence', () => {
    assert.deepEqual(allBlocks('```inline``` code\n\nnext'), ['```inline``` code\n\n', 'next']);
  });

  it('keeps list continuations, nested lists and items of a loose list together', () => {
    assert.deepEqual(allBlocks(samples.nestedList), [
      '- one\n\n  continued one\n\n  - nested\n\n    deeper\n\n- two\n\n',
      'Paragraph.',
    ]);
    assert.deepEqual(allBlocks(samples.orderedLoose), [
      '1. **First**\n\n   Explanation.\n\n2. **Second**\n\n   ```js\n   x();\n\n   y();\n   ```\n\n3. Third\n\n',
      'End.',
    ]);
  });

  it('splits lists of a different kind and cuts a huge loose list between items', () => {
    assert.deepEqual(allBlocks('- a\n\n* b\n\n1. c\n\n2) d'), ['- a\n\n', '* b\n\n', '1. c\n\n', '2) d']);
    const item = `- ${'x'.repeat(200)}\n\n`;
    const blocks = allBlocks(item.repeat(40));
    assert.ok(blocks.length > 1, 'a huge list must not stay one block');
    assert.ok(blocks.every((block) => block.length <= LIST_MERGE_LIMIT + item.length));
    assert.equal(blocks.join(''), item.repeat(40));
  });

  it('treats CRLF like LF', () => {
    assert.deepEqual(allBlocks(samples.crlf), ['a\r\nb\r\n\r\n', 'c\r\n\r\n', '```\r\nx\r\n\r\ny\r\n```\r\n\r\n', 'd']);
  });

  it('keeps an unclosed fence in the tail', () => {
    const { blocks, tail } = splitBlocks(samples.unclosedFence);
    assert.deepEqual(blocks, ['Text.\n\n']);
    assert.equal(tail, '```js\nlet a = 1;\n\nlet b = 2;\n');
  });

  it('keeps fences inside blockquotes and indented code together', () => {
    assert.deepEqual(allBlocks(samples.listInFence), ['> quote\n> ```\n>\n> ```\n\n', 'after']);
    // Indented lines after a blank line stay with the block before (merging is always safe).
    assert.deepEqual(allBlocks(samples.indentedCode), ['Code:\n\n    line 1\n\n    line 2\n\n', 'Text.']);
  });

  it('cuts as soon as the next line starts, not when it ends', () => {
    const splitter = new BlockSplitter();
    assert.deepEqual(splitter.push('First.\n\n'), []);
    assert.deepEqual(splitter.push('Sec'), ['First.\n\n']);
    assert.equal(splitter.tail, 'Sec');
    // In a list, "-" alone could still be the next item: wait.
    const list = new BlockSplitter();
    list.push('- a\n\n-');
    assert.equal(list.tail, '- a\n\n-');
    assert.deepEqual(list.push(' b\n\nNext'), ['- a\n\n- b\n\n']);
  });

  it('gives the same blocks however the text is chunked, and never takes a cut back', () => {
    for (const [name, text] of Object.entries(samples)) {
      const whole = allBlocks(text);
      assert.equal(whole.join(''), text, `${name}: blocks must cover the text exactly`);
      assert.deepEqual(streamBlocks(text.split('')), whole, `${name}: char by char`);
      for (const seed of [1, 2, 3, 4, 5]) {
        assert.deepEqual(streamBlocks(chunks(text, seed)), whole, `${name}: chunking ${seed}`);
      }
      // Prefix stability: blocks finished for any prefix are the first blocks of the whole.
      const finalBlocks = splitBlocks(text).blocks;
      for (let end = 0; end <= text.length; end++) {
        const prefixBlocks = splitBlocks(text.slice(0, end)).blocks;
        assert.deepEqual(prefixBlocks, finalBlocks.slice(0, prefixBlocks.length), `${name}: prefix ${end}`);
      }
    }
  });
});
