/**
 * Small line icons drawn as SVG through the DOM: the webview cannot load the
 * codicon font (CSP, no remote resources) and these stay crisp at any zoom.
 * Colour comes from `currentColor`, so the theme's foreground applies.
 */
import type { Dom } from './dom';

export type IconName =
  | 'add' | 'history' | 'refresh' | 'send' | 'stop' | 'close' | 'file' | 'selection' | 'copy' | 'insert' | 'trash' | 'check' | 'error';

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
