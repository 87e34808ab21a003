/**
 * Issue 16: the DOM garbage a streamed answer leaves. Each render used to
 * parse its HTML into a new document (DOMPurify given a string does), two or
 * three per frame; the browser later swept thousands of dead documents in
 * one pause of tens of ms in the middle of the stream. These tests count the
 * documents created, not time.
 */
import assert from 'node:assert/strict';
import { Dom } from '../../../media/chat/dom';
import { createMarkdownRenderer } from '../../../media/chat/markdown';
import { ManualScheduler } from '../../../media/chat/scheduler';
import { StreamingMarkdown } from '../../../media/chat/streamingMarkdown';
import { longAnswer } from '../../bench/longAnswer';
import { createDocument } from './env';
import { randomChunks, randomMarkdown } from './markdownDocs';

/** A jsdom page whose every way of making a new document is counted. */
function countingPage(): { dom: Dom; documents: () => number } {
  const window = createDocument().window;
  let documents = 0;
  const count = <T extends object, K extends keyof T>(target: T, key: K): void => {
    const original = target[key] as unknown as (...args: unknown[]) => unknown;
    Object.defineProperty(target, key, {
      configurable: true,
      value(this: unknown, ...args: unknown[]) {
        documents++;
        return original.apply(this, args);
      },
    });
  };
  count(window.DOMParser.prototype, 'parseFromString');
  count(window.DOMImplementation.prototype, 'createHTMLDocument');
  count(window.DOMImplementation.prototype, 'createDocument');
  return { dom: new Dom(window.document), documents: () => documents };
}

describe('webview markdown rendering, documents created (issue 16)', function () {
  // Generated answers rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(180_000);

  const answers = (): Array<{ name: string; text: string; maxChunk: number }> => [
    ...Array.from({ length: 20 }, (_, i) => ({ name: `generated answer ${i + 1}`, text: randomMarkdown(i + 1, 16), maxChunk: 12 + (i % 4) * 8 })),
    // The benchmark's answer (code in a dozen languages, tables, lists), at about a frame's text per chunk.
    { name: 'the benchmark answer', text: longAnswer(4000).text, maxChunk: 24 },
  ];

  it('creates no document in any streaming frame, nor when the answer settles', () => {
    const page = countingPage();
    const renderer = createMarkdownRenderer(page.dom);
    // Whatever the renderer needs once is made up front, not per render.
    assert.ok(page.documents() <= 1, `${page.documents()} documents made by creating the renderer`);
    for (const { name, text, maxChunk } of answers()) {
      const scheduler = new ManualScheduler();
      const view = new StreamingMarkdown(page.dom, renderer, scheduler, () => undefined);
      const before = page.documents();
      let frames = 0;
      for (const chunk of randomChunks(text, text.length, maxChunk)) {
        view.append(chunk);
        scheduler.flush();
        frames++;
      }
      view.settle();
      assert.equal(page.documents() - before, 0, `${name}: ${page.documents() - before} documents over ${frames} frames`);
      assert.ok(view.element.textContent?.length, `${name}: nothing rendered`);
    }
  });

  it('renders each text the same whatever the reused document rendered before it', () => {
    const reused = countingPage();
    const renderer = createMarkdownRenderer(reused.dom);
    const texts = answers().map((answer) => answer.text);
    // Each text after another one (and after itself), against a renderer that never rendered anything.
    for (const [index, text] of texts.entries()) {
      const fresh = createMarkdownRenderer(countingPage().dom);
      const expected = html(fresh.render(text), reused.dom);
      renderer.render(texts[(index + 1) % texts.length] as string);
      assert.equal(html(renderer.render(text), reused.dom), expected, `text ${index} after text ${(index + 1) % texts.length}`);
      assert.equal(html(renderer.render(text), reused.dom), expected, `text ${index} twice`);
    }
  });
});

function html(fragment: DocumentFragment, dom: Dom): string {
  const holder = dom.el('div');
  holder.append(fragment);
  return holder.innerHTML;
}
