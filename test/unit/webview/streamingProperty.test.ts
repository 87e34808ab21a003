import assert from 'node:assert/strict';
import { Dom } from '../../../media/chat/dom';
import { createMarkdownRenderer } from '../../../media/chat/markdown';
import { ManualScheduler } from '../../../media/chat/scheduler';
import { StreamingMarkdown } from '../../../media/chat/streamingMarkdown';
import { seededRandom } from '../../support/random';
import { countingRenderer } from './countingRenderer';
import { renderOneShot } from './oneShot';
import { createDocument } from './env';
import { randomChunks, randomMarkdown } from './markdownDocs';

const FORBIDDEN = 'script, iframe, img, svg, math, style, object, embed, form, input, button:not(.code-action), textarea, select';
const SAFE_HREF = /^(?:https?:|mailto:)/i;

describe('webview streaming markdown, properties', function () {
  // Hundreds of generated documents rendered under jsdom: a generous safety limit, not a timing goal.
  this.timeout(180_000);
  const document = createDocument().window.document;
  const dom = new Dom(document);
  const renderer = createMarkdownRenderer(dom);

  const oneShot = (text: string): string => renderOneShot(dom, renderer, text);

  function assertSafe(root: Element, context: string): void {
    // The code toolbar's own icons are the only SVG allowed.
    const bad = Array.from(root.querySelectorAll(FORBIDDEN)).find((element) => !element.closest('.code-toolbar')) ?? null;
    assert.equal(bad, null, `${context}: forbidden element ${bad?.outerHTML ?? ''}`);
    for (const element of Array.from(root.querySelectorAll('*'))) {
      for (const name of element.getAttributeNames()) {
        const value = element.getAttribute(name) ?? '';
        assert.ok(!name.toLowerCase().startsWith('on'), `${context}: event handler attribute ${name} on ${element.tagName}`);
        assert.ok(!/^\s*(?:javascript|vbscript|data):/i.test(value), `${context}: ${name}="${value}" on ${element.tagName}`);
      }
      if (element.tagName === 'A' && element.hasAttribute('href')) {
        assert.match(element.getAttribute('href') ?? '', SAFE_HREF, `${context}: unsafe link target`);
      }
    }
  }

  it('streaming a document in any chunks, with frames at any points, ends in the DOM of rendering it at once', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const text = randomMarkdown(seed);
      const expected = oneShot(text);
      const scheduler = new ManualScheduler();
      const view = new StreamingMarkdown(dom, renderer, scheduler, () => undefined);
      const random = seededRandom(seed * 7919);
      for (const chunk of randomChunks(text, seed)) {
        view.append(chunk);
        if (random() < 0.5) {
          scheduler.flush();
        }
      }
      if (random() < 0.5) {
        scheduler.flush();
      }
      view.settle();
      assert.equal(view.element.innerHTML, expected, `seed ${seed}: ${JSON.stringify(text)}`);
    }
  });

  it('never shows a script, an event handler or an unsafe link, in any frame of any stream', () => {
    for (let seed = 1001; seed <= 1025; seed++) {
      const text = randomMarkdown(seed, 16);
      const scheduler = new ManualScheduler();
      const view = new StreamingMarkdown(dom, renderer, scheduler, () => undefined);
      randomChunks(text, seed, 12).forEach((chunk, index) => {
        view.append(chunk);
        scheduler.flush();
        if (index % 8 === 0) {
          assertSafe(view.element, `seed ${seed}, frame ${index}`);
        }
      });
      view.settle();
      assertSafe(view.element, `seed ${seed}, settled`);
    }
  });

  it('does work per frame in proportion to the new text, not to the block or answer it extends', () => {
    // Long code blocks (with comments and strings over lines) and long tables: the cases where
    // re-rendering the unfinished block on every frame costs the square of its size.
    const answer = (lines: number): string => {
      const code = Array.from({ length: lines }, (_, i) => (i % 50 === 7 ? '  /* a comment\n     over two lines */' : `  const value${i} = compute(${i}, "text"); // step ${i}`)).join('\n');
      const table = ['| option | meaning |', '|---|---|', ...Array.from({ length: lines / 2 }, (_, i) => `| opt${i} | what option ${i} does, in a few words |`)].join('\n');
      return ['Intro paragraph.', '```ts', `function f() {\n${code}\n}`, '```', '', table, '', '```python', code.replace(/\/\*|\*\//g, '"""'), '```', '', 'End.'].join('\n');
    };
    const workPerChar = (text: string): number => {
      const counting = countingRenderer(renderer);
      const scheduler = new ManualScheduler();
      const view = new StreamingMarkdown(dom, counting, scheduler, () => undefined);
      // About what a frame brings at 500 tokens/s.
      for (const chunk of randomChunks(text, 3, 24)) {
        view.append(chunk);
        scheduler.flush();
      }
      view.settle();
      assert.equal(view.element.innerHTML, oneShot(text));
      return counting.chars / text.length;
    };
    const short = workPerChar(answer(60));
    const long = workPerChar(answer(240));
    assert.ok(long < 12, `rendered ${long.toFixed(1)} characters per character of a long answer`);
    assert.ok(long < short * 1.5, `work per character grew with the blocks: ${short.toFixed(1)} → ${long.toFixed(1)}`);
  });
});
