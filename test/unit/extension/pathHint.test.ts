import assert from 'node:assert/strict';
import { pathHint } from '../../../src/extension/chat/pathHint';

describe('path hint for Apply on a chat code block', () => {
  const code = 'export const x = 1;\n';
  it('reads a path from the fence info string', () => {
    assert.equal(pathHint('Change it:\n```ts src/config.ts\nexport const x = 1;\n```', code), 'src/config.ts');
    assert.equal(pathHint('```ts title="src/config.ts"\nexport const x = 1;\n```', code), 'src/config.ts');
  });
  it('reads a path from the line before the fence', () => {
    assert.equal(pathHint('Update `src/config.ts`:\n\n```ts\nexport const x = 1;\n```', code), 'src/config.ts');
    assert.equal(pathHint('You could also do this in `a.ts` if you like:\n```ts\nexport const x = 1;\n```', code), undefined, 'a sentence is not a path line');
    assert.equal(pathHint('`src/config.ts`:\n```ts\nexport const x = 1;\n```', code), 'src/config.ts');
    assert.equal(pathHint('**./lib/util.js**\n\n```js\nexport const x = 1;\n```', code), 'lib/util.js');
    assert.equal(pathHint('File: main.py\n```python\nexport const x = 1;\n```', code), 'main.py');
  });
  it('gives nothing when the answer names no file for this block', () => {
    assert.equal(pathHint('Try this:\n```ts\nexport const x = 1;\n```', code), undefined);
    assert.equal(pathHint('`a.ts`:\n```ts\nsomething else\n```', code), undefined, 'another block');
  });
});
