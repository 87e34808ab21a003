import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { commentLines, cursorContext, displayPath, prefixWindow, suffixWindow } from '../../../src/server/completions/context';
import { identifiers, jaccard, queryWords, SnippetIndex } from '../../../src/server/completions/snippets';

describe('completion context', () => {
  it('identifier sets leave out keywords; Jaccard is intersection over union', () => {
    assert.deepEqual([...identifiers('const total = items.reduce((sum, item) => sum + item.price, 0);')], ['total', 'items', 'reduce', 'sum', 'item', 'price']);
    assert.equal(jaccard(new Set(['a', 'b', 'c']), new Set(['b', 'c', 'd'])), 0.5);
    assert.equal(jaccard(new Set(), new Set(['a'])), 0);
  });

  it('finds the most similar windows of other documents, within the budget', () => {
    const cart = TextDocument.create('file:///w/cart.ts', 'typescript', 1, [
      'export interface CartItem {',
      '  price: number;',
      '  quantity: number;',
      '}',
      ...Array.from({ length: 30 }, (_, i) => `export const unrelated${i} = ${i};`),
      'export function cartTotal(items: CartItem[]): number {',
      '  return items.reduce((sum, item) => sum + item.price * item.quantity, 0);',
      '}',
    ].join('\n'));
    const other = TextDocument.create('file:///w/log.ts', 'typescript', 1, 'export function log(message: string) {\n  console.log(message);\n}\n');
    const query = queryWords('import type { CartItem } from "./cart";\n\nfunction invoice(items: CartItem[]) {\n  const total = items.reduce((sum, item) => sum + item.');
    const index = new SnippetIndex();
    const found = index.best(query, [other, cart], 2000);
    assert.ok(found.length >= 1);
    assert.equal(found[0]?.uri, 'file:///w/cart.ts');
    assert.match(found[0]?.text ?? '', /item\.price \* item\.quantity/);
    assert.ok(found.every((snippet) => snippet.uri !== 'file:///w/log.ts'));
    assert.deepEqual(index.best(query, [cart], 10), [], 'nothing fits a tiny budget');
  });

  it('windows end at line boundaries and keep the cursor line whole', () => {
    const text = 'aaaa\nbbbb\ncccc|dddd\neeee\nffff'.replace('|', '');
    const offset = 14;
    assert.equal(prefixWindow(text, offset, 6), 'cccc');
    assert.equal(prefixWindow(text, offset, 100), 'aaaa\nbbbb\ncccc');
    assert.equal(suffixWindow(text, offset, 7), 'dddd\n');
    assert.equal(suffixWindow(text, offset, 100), 'dddd\neeee\nffff');
  });

  it('knows the cursor line and when the suggestion must be a single line', () => {
    const at = (marked: string) => cursorContext({ uri: 'u', languageId: 'typescript', text: marked.replace('|', ''), offset: marked.indexOf('|'), triggerKind: 2 });
    assert.deepEqual([at('  foo(|);\n').rightText, at('  foo(|);\n').singleLine, at('  foo(|);\n').lineIndent], [');', false, '  ']);
    assert.equal(at('x = |a + b\n').singleLine, true);
    assert.equal(at('x = |\r\ny').rightText, '');
    assert.equal(at('x = |\r\ny').eol, '\r\n');
  });

  it('shows other files as comments of the language, by workspace-relative path', () => {
    assert.equal(commentLines(['Path: a.py', 'x = 1'], 'python'), '# Path: a.py\n# x = 1\n');
    assert.equal(commentLines(['Path: a.ts', ''], 'typescript'), '// Path: a.ts\n//\n');
    assert.equal(commentLines(['a'], 'html'), '<!--\na\n-->\n');
    assert.equal(displayPath('file:///w/app/src/a%20b.ts', ['file:///w/app']), 'src/a b.ts');
    assert.equal(displayPath('untitled:Untitled-1', []), 'untitled:Untitled-1');
  });
});
