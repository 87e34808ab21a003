import assert from 'node:assert/strict';
import { BlockSplitter } from '../../../media/chat/blocks';
import { Dom } from '../../../media/chat/dom';
import { createMarkdownRenderer } from '../../../media/chat/markdown';
import { MessageView } from '../../../media/chat/messageView';
import { ManualScheduler } from '../../../media/chat/scheduler';
import { seededRandom } from '../../support/random';
import { countingRenderer } from './countingRenderer';
import { renderOneShot } from './oneShot';
import { createDocument } from './env';
import { randomMarkdown } from './markdownDocs';

/** The longest markdown block of `text`: a slice that completes a block renders all of it. */
function longestBlock(text: string): number {
  const splitter = new BlockSplitter();
  return Math.max(splitter.tail.length, ...splitter.push(text).map((block) => block.length), splitter.tail.length);
}

describe('webview answers rendered in slices (a long chat, as they near the viewport)', function () {
  // Generated answers rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(120_000);
  const document = createDocument().window.document;
  const dom = new Dom(document);
  const inner = createMarkdownRenderer(dom);

  const oneShot = (text: string): string => renderOneShot(dom, inner, text);

  it('renders each character once, a frame at most a slice plus the block it completes, ending in the DOM of rendering at once', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed * 104_729);
      const text = randomMarkdown(seed, 24);
      const size = 100 + Math.floor(random() * 2900);
      const renderer = countingRenderer(inner);
      const scheduler = new ManualScheduler();
      const view = new MessageView({ dom, renderer, scheduler, post: () => undefined, onRendered: () => undefined }, { id: 'a', role: 'assistant', text }, true);
      const context = `seed ${seed}, slices of ${size} of ${text.length} chars`;
      assert.equal(renderer.chars, 0, `${context}: nothing rendered before the first slice`);
      const bound = size + longestBlock(text);
      let slices = 0;
      let done = false;
      while (!done) {
        assert.ok(slices++ < text.length, `${context}: ends`);
        const before = renderer.chars;
        done = view.renderSlice(size);
        // The frame's other tasks (what a slice scheduled) count as its work too.
        scheduler.flushAll();
        assert.ok(renderer.chars - before <= bound, `${context}: a slice rendered ${renderer.chars - before} chars (bound ${bound})`);
      }
      assert.ok(renderer.chars <= text.length, `${context}: ${renderer.chars} chars rendered for ${text.length}: a block rendered twice`);
      const markdown = view.element.querySelector('.markdown');
      assert.ok(markdown && !markdown.classList.contains('markdown-placeholder'), `${context}: no placeholder left`);
      assert.equal(markdown.innerHTML, oneShot(text), context);
    }
  });

  it('renders each character once again after the answer was released far from the viewport', () => {
    const text = randomMarkdown(7, 24);
    const renderer = countingRenderer(inner);
    const view = new MessageView({ dom, renderer, scheduler: new ManualScheduler(), post: () => undefined, onRendered: () => undefined }, { id: 'a', role: 'assistant', text }, true);
    while (!view.renderSlice(700));
    view.release(300);
    const first = renderer.chars;
    while (!view.renderSlice(900));
    assert.ok(renderer.chars - first <= text.length, `${renderer.chars - first} chars rendered for ${text.length}`);
    assert.equal(view.element.querySelector('.markdown')?.innerHTML, oneShot(text));
  });
});
