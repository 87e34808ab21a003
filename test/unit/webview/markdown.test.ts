import assert from 'node:assert/strict';
import { Dom } from '../../../media/chat/dom';
import { vscodeLanguageId } from '../../../media/chat/languages';
import { createMarkdownRenderer, type MarkdownRenderer } from '../../../media/chat/markdown';
import { createDocument } from './env';

describe('webview markdown rendering', () => {
  let document: Document;
  let renderer: MarkdownRenderer;

  beforeEach(() => {
    document = createDocument().window.document;
    renderer = createMarkdownRenderer(new Dom(document));
  });

  function render(markdown: string): HTMLElement {
    const container = document.createElement('div');
    container.append(renderer.render(markdown));
    return container;
  }

  it('renders markdown', () => {
    const html = render('Here is **bold**, `code` and a [link](https://example.com).\n\n- a\n- b').innerHTML;
    assert.match(html, /<strong>bold<\/strong>/);
    assert.match(html, /<code>code<\/code>/);
    assert.match(html, /<a href="https:\/\/example.com" title="https:\/\/example.com">link<\/a>/);
    assert.match(html, /<ul>\s*<li>a<\/li>/);
  });

  it('escapes raw HTML instead of rendering it', () => {
    const container = render('<img src=x onerror="alert(1)"> and <script>alert(2)</script> <b>bold?</b>');
    assert.equal(container.querySelector('img, script, b'), null);
    assert.ok(container.textContent?.includes('<img src=x onerror="alert(1)">'));
    const handlers = Array.from(container.querySelectorAll('*')).flatMap((element) => element.getAttributeNames().filter((name) => name.startsWith('on')));
    assert.deepEqual(handlers, [], 'no live event handler attribute');
  });

  it('drops javascript: and other unsafe link targets', () => {
    const container = render('[x](javascript:alert(1)) [y](JAVASCRIPT:alert(1)) [z](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox) <javascript:alert(1)>');
    for (const anchor of Array.from(container.querySelectorAll('a'))) {
      assert.equal(anchor.hasAttribute('href'), false, `unsafe link kept: ${anchor.outerHTML}`);
    }
    assert.equal(container.innerHTML.toLowerCase().includes('href="javascript'), false);
  });

  it('keeps http(s) and mailto links, linkifies bare URLs', () => {
    const anchors = Array.from(render('See https://example.org/a?b=1 or [mail](mailto:a@b.c)').querySelectorAll('a'));
    assert.deepEqual(anchors.map((a) => a.getAttribute('href')), ['https://example.org/a?b=1', 'mailto:a@b.c']);
  });

  it('turns images into links (remote images are blocked by the CSP anyway)', () => {
    const container = render('![diagram](https://example.com/d.png) ![bad](javascript:alert(1))');
    assert.equal(container.querySelector('img'), null);
    const anchor = container.querySelector('a');
    assert.equal(anchor?.getAttribute('href'), 'https://example.com/d.png');
    assert.equal(anchor?.textContent, 'diagram');
  });

  it('highlights fenced code and adds a toolbar with Copy and Insert', () => {
    const container = render('```ts\nexport function add(a: number, b: number): number {\n  return a + b;\n}\n```');
    const block = container.querySelector<HTMLElement>('[data-testid="code-block"]');
    assert.ok(block);
    assert.equal(block.dataset.lang, 'ts');
    assert.equal(block.querySelector('.code-lang')?.textContent, 'ts');
    assert.ok(block.querySelector('[data-testid="copy-code"]'));
    assert.ok(block.querySelector('[data-testid="insert-code"]'));
    assert.ok(block.querySelectorAll('.hljs-keyword').length > 0, 'keywords are highlighted');
    assert.equal(block.querySelector('pre code')?.textContent, 'export function add(a: number, b: number): number {\n  return a + b;\n}\n');
  });

  it('escapes code in unknown languages and in HTML fences', () => {
    const container = render('```html\n<script>alert(1)</script>\n```\n\n```nosuchlang\n<b>x</b>\n```');
    assert.equal(container.querySelector('script, b'), null);
    const codes = Array.from(container.querySelectorAll('pre code')).map((code) => code.textContent);
    assert.deepEqual(codes, ['<script>alert(1)</script>\n', '<b>x</b>\n']);
  });

  it('renders an unclosed fence (still streaming) as code', () => {
    const container = render('```py\ndef f():\n    return 1\n');
    assert.equal(container.querySelector('pre code')?.textContent, 'def f():\n    return 1\n');
  });

  it('maps fence languages to VS Code language ids', () => {
    assert.equal(vscodeLanguageId('ts'), 'typescript');
    assert.equal(vscodeLanguageId('typescript'), 'typescript');
    assert.equal(vscodeLanguageId('py'), 'python');
    assert.equal(vscodeLanguageId('sh'), 'shellscript');
    assert.equal(vscodeLanguageId('bash'), 'shellscript');
    assert.equal(vscodeLanguageId('html'), 'html');
    assert.equal(vscodeLanguageId('c#'), 'csharp');
    assert.equal(vscodeLanguageId('kotlin'), 'kotlin');
    assert.equal(vscodeLanguageId(''), undefined);
    assert.equal(vscodeLanguageId('<script>'), undefined);
  });
});
