/**
 * Random markdown documents for the webview's property tests: the shapes a
 * model writes (prose, lists, tables, quotes, code in many languages with
 * strings and comments spanning lines, unclosed fences) mixed with hostile
 * pieces (raw HTML, event handlers, javascript: links), and random ways to
 * cut a text into stream chunks. Deterministic per seed.
 */
import { pick, seededRandom } from '../../support/random';

const HOSTILE = [
  '<script>alert(1)</script>',
  '<img src=x onerror="alert(1)">',
  '[click](javascript:alert(1))',
  '[x](JaVaScRiPt:alert(1))',
  '<a href="javascript:alert(1)">a</a>',
  '![i](javascript:alert(1))',
  '<svg onload=alert(1)>',
  '<iframe src="https://evil.example"></iframe>',
  '[d](data:text/html;base64,PHNjcmlwdD4=)',
  '<div onclick="alert(1)">x</div>',
  '`<b onmouseover=alert(1)>`',
  '<javascript:alert(1)>',
  '[v](vbscript:msgbox)',
];

const WORDS = ['cache', 'retry', 'the', 'server', 'returns', '**bold**', '*soft*', '`code()`', 'https://example.com/a?b=1', '[docs](https://example.org/x)', 'and', 'a_b_c', '~~old~~', '\\*', '&amp;', '<tag>'];

const CODE: Array<(r: () => number) => string> = [
  () => '```ts\nexport function add(a: number, b: number): number {\n  /* a comment\n     over lines */\n  return a + b;\n}\n```',
  () => '```js\nconst s = `template\n\nwith a blank line`;\nlet x = "str"; // done\n```',
  () => '```python\ndef f():\n    """doc\n    string\n    """\n\n    return 1\n```',
  () => '```\nplain\n\nblock\n```',
  () => '~~~bash\necho "$HOME" \\\n  && ls\n~~~',
  () => '````md\n```\ninside\n```\n````',
  () => '```go\nfunc main() {\n\tfmt.Println("hi")\n}\n```',
  () => '```nosuchlang\n<b>x</b>\n```',
  () => '```html\n<script>alert(1)</script>\n<!-- comment\nover lines -->\n```',
  () => '```css\n/* a */\n.a { color: red; }\n```',
  () => '```json\n{\n  "a": [1, 2],\n  "b": "c"\n}\n```',
  () => '```rust\nfn main() {\n    let r = r#"raw\nstring"#;\n}\n```',
  (r) => `\`\`\`ts\n${Array.from({ length: 5 + Math.floor(r() * 30) }, (_, i) => `const v${i} = ${i}; // line ${i}`).join('\n')}\n\`\`\``,
];

function sentence(r: () => number): string {
  const words = Array.from({ length: 3 + Math.floor(r() * 10) }, () => pick(r, WORDS));
  if (r() < 0.15) {
    words.splice(Math.floor(r() * words.length), 0, pick(r, HOSTILE));
  }
  return `${words.join(' ')}.`;
}

function paragraph(r: () => number): string {
  return Array.from({ length: 1 + Math.floor(r() * 4) }, () => sentence(r)).join(r() < 0.3 ? '\n' : ' ');
}

const BLOCKS: Array<(r: () => number) => string> = [
  paragraph,
  paragraph,
  (r) => `${'#'.repeat(1 + Math.floor(r() * 4))} ${sentence(r)}`,
  (r) => pick(r, CODE)(r),
  (r) => pick(r, CODE)(r),
  (r) => Array.from({ length: 2 + Math.floor(r() * 4) }, () => `- ${sentence(r)}`).join(r() < 0.3 ? '\n\n' : '\n'),
  (r) => Array.from({ length: 2 + Math.floor(r() * 4) }, (_, i) => `${i + 1}. ${sentence(r)}`).join('\n'),
  (r) => `- ${sentence(r)}\n\n  ${sentence(r)}\n\n  - nested ${sentence(r)}\n\n- ${sentence(r)}`,
  (r) => `1. step\n\n   \`\`\`sh\n   npm test\n\n   npm run build\n   \`\`\`\n\n2. ${sentence(r)}`,
  (r) => ['| a | b |', '|---|:---:|', ...Array.from({ length: 1 + Math.floor(r() * 5) }, () => `| ${pick(r, WORDS)} | ${sentence(r)} |`)].join('\n'),
  (r) => `> ${sentence(r)}\n> ${sentence(r)}`,
  () => `> \`\`\`\n> quoted code\n>\n> \`\`\``,
  () => '    indented code\n\n    more',
  () => '---',
  (r) => `${sentence(r)}\n===`,
  (r) => pick(r, HOSTILE),
];

/** A markdown document of about `blocks` blocks; sometimes with CRLF, sometimes ending inside an open fence. */
export function randomMarkdown(seed: number, blocks = 12): string {
  const r = seededRandom(seed);
  const parts = Array.from({ length: 1 + Math.floor(r() * blocks) }, () => pick(r, BLOCKS)(r));
  let text = parts.map((part, i) => (i === 0 ? part : `${r() < 0.85 ? '\n\n' : '\n'}${part}`)).join('');
  if (r() < 0.2) {
    // Cut off mid-answer (stopped), possibly inside a code block.
    text = text.slice(0, Math.floor(text.length * (0.3 + r() * 0.7)));
  }
  if (r() < 0.1) {
    text = text.replace(/\n/g, '\r\n');
  }
  return r() < 0.5 ? `${text}\n` : text;
}

/** Cuts a text into chunks of 1 to `maxSize` characters, like a token stream; deterministic per seed. */
export function randomChunks(text: string, seed: number, maxSize = 24): string[] {
  const r = seededRandom(seed);
  const out: string[] = [];
  for (let index = 0; index < text.length;) {
    const size = 1 + Math.floor(r() * (r() < 0.1 ? maxSize * 8 : maxSize));
    out.push(text.slice(index, index + size));
    index += size;
  }
  return out;
}
