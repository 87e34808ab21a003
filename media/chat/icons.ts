/**
 * Small line icons drawn as SVG through the DOM: the webview cannot load the
 * codicon font (CSP, no remote resources) and these stay crisp at any zoom.
 * Colour comes from `currentColor`, so the theme's foreground applies.
 */
import type { Dom } from './dom';

export type IconName =
  | 'add' | 'history' | 'refresh' | 'send' | 'stop' | 'close' | 'file' | 'selection' | 'copy' | 'insert' | 'trash' | 'check' | 'error'
  // Agent steps: tools and statuses.
  | 'folder' | 'search' | 'edit' | 'fileAdd' | 'terminal' | 'question' | 'warning' | 'flag' | 'tool'
  | 'spinner' | 'clock' | 'block' | 'restore' | 'diff'
  // The data boundary under an answer.
  | 'shield'
  // Mentions.
  | 'symbol';

interface Shape {
  paths: string[];
  filled?: boolean;
}

const shapes: Record<IconName, Shape> = {
  add: { paths: ['M8 3v10M3 8h10'] },
  history: { paths: ['M2.6 8a5.4 5.4 0 1 0 1.6-3.8', 'M2.5 2.5v2.2h2.2', 'M8 5.2V8l2 1.4'] },
  refresh: { paths: ['M13.3 8a5.3 5.3 0 1 1-1.6-3.8', 'M13.4 2.4v2.4H11'] },
  send: { paths: ['M2.2 2.6 14 8 2.2 13.4 4.1 8z'], filled: true },
  stop: { paths: ['M4 4h8v8H4z'], filled: true },
  close: { paths: ['M4.5 4.5l7 7M11.5 4.5l-7 7'] },
  file: { paths: ['M4 1.8h5.2L12.5 5v9.2H4z', 'M9 1.8V5h3.5'] },
  selection: { paths: ['M3 4h10M3 7h7M3 10h9M3 13h5'] },
  copy: { paths: ['M5.5 5.5h7.5v8H5.5z', 'M10.5 5.5V2.5H3v8h2.5'] },
  insert: { paths: ['M8 2v7.5M5 6.5 8 9.5l3-3', 'M3 13h10'] },
  trash: { paths: ['M3 4.5h10M6.2 4.5V2.8h3.6v1.7', 'M4.5 4.5l.6 9h5.8l.6-9'] },
  check: { paths: ['M3 8.5l3 3 7-7'] },
  error: { paths: ['M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z', 'M8 4.8v4M8 10.7v.6'] },
  folder: { paths: ['M1.8 4.2V13h12.4V5.6H7.6L6.2 3.8H2.2z'] },
  search: { paths: ['M7 2.5a4.5 4.5 0 1 0 0 9 4.5 4.5 0 0 0 0-9z', 'M10.3 10.3l3.4 3.4'] },
  edit: { paths: ['M10.8 2.6l2.6 2.6-7.6 7.6-3.3.7.7-3.3z', 'M9.4 4l2.6 2.6'] },
  fileAdd: { paths: ['M9.5 14.2H4V1.8h5.2L12.5 5v3.5', 'M9 1.8V5h3.5', 'M12 10.5v4M10 12.5h4'] },
  terminal: { paths: ['M1.8 3h12.4v10H1.8z', 'M4.2 6.2 6.4 8l-2.2 1.8M7.6 10.2h3.6'] },
  question: { paths: ['M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z', 'M6.2 6.3a1.9 1.9 0 1 1 2.6 1.7c-.5.3-.8.7-.8 1.3v.4M8 11.3v.5'] },
  warning: { paths: ['M8 2 14.5 13.5h-13z', 'M8 6.2v3.6M8 11.5v.4'] },
  flag: { paths: ['M3.5 14.5V2', 'M3.5 2.5h8.5l-2 3 2 3H3.5'] },
  tool: { paths: ['M9.6 2.2a3.3 3.3 0 0 0 3.9 4.6L7 13.3a1.4 1.4 0 0 1-2-2l6.5-6.5a3.3 3.3 0 0 0-1.9-2.6z'] },
  spinner: { paths: ['M8 2a6 6 0 1 1-6 6'] },
  clock: { paths: ['M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z', 'M8 4.5V8l2.3 1.5'] },
  block: { paths: ['M8 1.8a6.2 6.2 0 1 0 0 12.4A6.2 6.2 0 0 0 8 1.8z', 'M3.6 3.6l8.8 8.8'] },
  restore: { paths: ['M3 8a5 5 0 1 0 1.5-3.6', 'M4.5 1.8v2.6h2.6'] },
  diff: { paths: ['M4.5 2v7M1.5 5.5h6', 'M9 12.5h5.5', 'M11.5 2v6'] },
  shield: { paths: ['M8 1.8 13.2 3.7v4c0 3.1-2.2 5.4-5.2 6.5-3-1.1-5.2-3.4-5.2-6.5v-4z'] },
  symbol: { paths: ['M5.5 2.5c-1.5 0-1.5 1-1.5 2.2v1.6c0 .9-.6 1.7-1.5 1.7.9 0 1.5.8 1.5 1.7v1.6c0 1.2 0 2.2 1.5 2.2', 'M10.5 2.5c1.5 0 1.5 1 1.5 2.2v1.6c0 .9.6 1.7 1.5 1.7-.9 0-1.5.8-1.5 1.7v1.6c0 1.2 0 2.2-1.5 2.2'] },
};

const SVG_NS = 'http://www.w3.org/2000/svg';

export function icon(dom: Dom, name: IconName): SVGSVGElement {
  const svg = dom.doc.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 16 16');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('class', `icon icon-${name}`);
  const shape = shapes[name];
  for (const d of shape.paths) {
    const path = dom.doc.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    if (shape.filled) {
      path.setAttribute('fill', 'currentColor');
    } else {
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '1.2');
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
    }
    svg.appendChild(path);
  }
  return svg;
}
