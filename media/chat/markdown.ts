/**
 * Markdown → sanitised DOM for assistant messages. markdown-it with raw HTML
 * off; its output still goes through DOMPurify before touching the page
 * (defence in depth: the text comes from a model and may quote hostile
 * input), links are limited to http(s)/mailto, and images become links
 * (the CSP blocks remote images anyway).
 */
import createDOMPurify, { type DOMPurify } from 'dompurify';
import MarkdownIt from 'markdown-it';
import { decorateCodeBlocks } from './codeBlock';
import type { Dom } from './dom';
import { fenceLanguage, highlight, highlightPiece } from './languages';

export interface MarkdownRenderer {
  /** Renders markdown to a detached fragment. */
  render(markdown: string): DocumentFragment;
  /**
   * Renders separate blocks in one sanitising pass (a whole stored answer has
   * hundreds): the fragment holds one `div.md-block` per block, in order.
   */
  renderBlocks(blocks: readonly string[]): DocumentFragment;
  /**
   * The inside of a code block (highlighted spans, sanitised) for a piece of
   * code that is still arriving; `topLevel` as in `highlightPiece`.
   */
  codePiece(code: string, lang: string): { fragment: DocumentFragment; topLevel: boolean };
}

const SAFE_LINK = /^(?:https?:|mailto:)/i;

// The return type is inferred: the typings export the instance type under the same name as the constructor.
function createMarkdownIt() {
  const md = new MarkdownIt({
    html: false,
    linkify: true,
    breaks: false,
    highlight: (code, info) => highlight(code, fenceLanguage(info)) ?? '',
  });
  md.renderer.rules.image = (tokens, index, options, env, self) => {
    const token = tokens[index];
    if (!token) {
      return '';
    }
    const src = String(token.attrGet('src') ?? '');
    const alt = self.renderInlineAsText(token.children ?? [], options, env) || src;
    return `<a href="${md.utils.escapeHtml(src)}">${md.utils.escapeHtml(alt)}</a>`;
  };
  return md;
}

function createPurifier(win: Window & typeof globalThis): DOMPurify {
  const purify = createDOMPurify(win);
  purify.addHook('afterSanitizeAttributes', (node) => {
    if (node.nodeName !== 'A') {
      return;
    }
    const href = node.getAttribute('href') ?? '';
    if (!SAFE_LINK.test(href)) {
      node.removeAttribute('href');
      return;
    }
    if (!node.getAttribute('title')) {
      node.setAttribute('title', href);
    }
  });
  return purify;
}

const FORBID_TAGS = ['img', 'svg', 'math', 'style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed'];

export function createMarkdownRenderer(dom: Dom): MarkdownRenderer {
  const md = createMarkdownIt();
  const purify = createPurifier(dom.win);
  // Set once: passing the options on every call makes DOMPurify parse (and clone) them again each time.
  purify.setConfig({ RETURN_DOM_FRAGMENT: true, FORBID_TAGS, ALLOW_DATA_ATTR: false });
  // DOMPurify parses in an inert document; adopt the result so it belongs to the page.
  const sanitize = (html: string): DocumentFragment => dom.doc.adoptNode(purify.sanitize(html) as unknown as DocumentFragment);
  const toDom = (html: string): DocumentFragment => {
    const fragment = sanitize(html);
    decorateCodeBlocks(dom, fragment);
    return fragment;
  };
  return {
    render: (markdown) => toDom(md.render(markdown)),
    // markdown-it's output (raw HTML off) is balanced, so wrapping each block in a div is safe.
    renderBlocks: (blocks) => toDom(blocks.map((block) => `<div class="md-block">${md.render(block)}</div>`).join('')),
    codePiece: (code, lang) => {
      const piece = highlightPiece(code, lang);
      if (!piece) {
        const fragment = dom.doc.createDocumentFragment();
        fragment.append(code);
        return { fragment, topLevel: true };
      }
      return { fragment: sanitize(piece.html), topLevel: piece.topLevel };
    },
  };
}
