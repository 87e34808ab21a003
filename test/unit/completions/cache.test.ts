import assert from 'node:assert/strict';
import { positionKey, SuggestionCache, type CachePosition } from '../../../src/server/completions/cache';
import { cursorContext } from '../../../src/server/completions/context';

const URI = 'file:///w/a.ts';

/** A position in `text` at the `|` marker, keyed as the engine keys it. */
function at(marked: string, uri = URI): CachePosition {
  const offset = marked.indexOf('|');
  const text = marked.replace('|', '');
  const ctx = cursorContext({ uri, languageId: 'typescript', text, offset, triggerKind: 2 });
  return { uri, text, offset, suffixWindow: ctx.suffixWindow };
}

describe('completion cache', () => {
  let cache: SuggestionCache;

  beforeEach(() => {
    cache = new SuggestionCache();
    cache.put({ ...positionKey(at('function f() {\n  const total = |\n}\n')), suggestion: 'items.length;\n  return total;' });
  });

  it('serves the same position again', () => {
    assert.equal(cache.lookup(at('function f() {\n  const total = |\n}\n'))?.rest, 'items.length;\n  return total;');
  });

  it('serves the rest while the person types along the suggestion', () => {
    assert.equal(cache.lookup(at('function f() {\n  const total = i|\n}\n'))?.rest, 'tems.length;\n  return total;');
    assert.equal(cache.lookup(at('function f() {\n  const total = items.len|\n}\n'))?.rest, 'gth;\n  return total;');
    const hit = cache.lookup(at('function f() {\n  const total = items.length;\n  |\n}\n'));
    assert.equal(hit?.rest, 'return total;');
    assert.equal(hit?.typed, 'items.length;\n  ');
  });

  it('serves again after backspacing within the typed-along part', () => {
    assert.ok(cache.lookup(at('function f() {\n  const total = items.le|\n}\n')));
    assert.equal(cache.lookup(at('function f() {\n  const total = items.l|\n}\n'))?.rest, 'ength;\n  return total;');
  });

  it('misses when the typed text leaves the suggestion, or the whole suggestion is typed', () => {
    assert.equal(cache.lookup(at('function f() {\n  const total = x|\n}\n')), undefined);
    assert.equal(cache.lookup(at('function f() {\n  const total = items.length;\n  return total;|\n}\n')), undefined);
    // Backspacing past the start of the suggestion.
    assert.equal(cache.lookup(at('function f() {\n  const total |\n}\n')), undefined);
  });

  it('misses when the text after the cursor changed', () => {
    assert.equal(cache.lookup(at('function f() {\n  const total = |;\n}\n')), undefined);
    assert.equal(cache.lookup(at('function f() {\n  const total = i|\n}\nexport { f };\n')), undefined);
  });

  it('misses when the text before the suggestion changed, or in another document', () => {
    assert.equal(cache.lookup(at('function g() {\n  const total = |\n}\n')), undefined);
    assert.equal(cache.lookup(at('function f() {\n  const total = |\n}\n', 'file:///w/b.ts')), undefined);
  });

  it('forgets a closed document and keeps a bounded number of entries', () => {
    cache.forget(URI);
    assert.equal(cache.lookup(at('function f() {\n  const total = |\n}\n')), undefined);
    const small = new SuggestionCache(2);
    for (const name of ['a', 'b', 'c']) {
      small.put({ ...positionKey(at(`${name} = |`)), suggestion: '1;' });
    }
    assert.equal(small.size, 2);
    assert.equal(small.lookup(at('a = |')), undefined);
    assert.equal(small.lookup(at('c = |'))?.rest, '1;');
  });
});
