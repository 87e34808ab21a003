import assert from 'node:assert/strict';
import { cursorContext, usesHashComments } from '../../../../src/server/completions/context';
import { detectIndentation } from '../../../../src/server/completions/indentation';
import { MAX_REPLY_LINES, postProcess, type PostProcessOptions } from '../../../../src/server/completions/postprocess';
import { SPECIAL_TOKENS } from '../../../../src/server/completions/templates';

function options(text: string, offset: number, languageId: string, template: PostProcessOptions['template'] = 'qwen'): PostProcessOptions {
  const ctx = cursorContext({ uri: `file:///w/a.${languageId}`, languageId, text, offset, triggerKind: 2 });
  return {
    template,
    finishReason: 'stop',
    languageId,
    prefix: ctx.prefixWindow,
    suffix: ctx.suffixWindow,
    linePrefix: ctx.linePrefix,
    rightText: ctx.rightText,
    lineIndent: ctx.lineIndent,
    singleLine: ctx.singleLine,
    indent: detectIndentation(text),
    maxLines: 12,
    hashComments: usesHashComments(languageId),
  };
}

/** A small deterministic generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = ['{', '}', '(', ')', '[', ']', ';', ',', '"', "'", '`', '\n', '\n  ', '\t', ' ', 'foo', 'return', 'if', 'else', 'end', 'def', ':', '```', '```ts\n', '//', '#', '<|fim_middle|>', '<|endoftext|>', '<|', '${', '\\', '\u200B', '+', '-', '.', 'x = 1', '"""', '<<~SQL', 'SQL'];

describe('completion rules: hostile and random replies', function () {
  this.timeout(60_000);

  it('huge replies and huge lines end quickly and within the line cap', () => {
    const doc = 'function f() {\n  \n}\n';
    const base = options(doc, doc.indexOf('  \n') + 2, 'typescript');
    const replies = ['('.repeat(1_000_000), '\n'.repeat(1_000_000), ' '.repeat(1_000_000), '<|'.repeat(100_000), 'a;'.repeat(200_000), `${'x();\n'.repeat(200_000)}`, '{\n'.repeat(100_000), '"'.repeat(300_000)];
    for (const reply of replies) {
      const { text } = postProcess(reply, base);
      assert.ok(text.split('\n').length <= 12, `${reply.slice(0, 8)}…: ${text.split('\n').length} lines`);
    }
    // A minified line: the cursor in the middle of 200,000 characters.
    const minified = `${'a(b);'.repeat(20_000)}foo(${')'.repeat(1)}${'c[d];'.repeat(20_000)}\n`;
    const at = minified.indexOf('foo(') + 4;
    for (const reply of ['x, y);', 'x', 'x); z(); w();', 'c[d];'.repeat(5_000)]) {
      postProcess(reply, options(minified, at, 'javascript'));
    }
    assert.ok(MAX_REPLY_LINES >= 12);
  });

  it('random replies in random places: no exception, within the caps, no template token left', () => {
    const next = random(11);
    const docs: Array<[string, string]> = [
      ['typescript', 'function f(a) {\n  if (a) {\n    call(x, )\n  }\n}\n'],
      ['python', 'def f(a):\n    if a:\n        return g(a, )\n    pass\n'],
      ['ruby', 'def f(a)\n  a.each do |x|\n    puts "#{x}"\n  end\nend\n'],
      ['yaml', 'steps:\n  - name: build\n    run: make\n'],
      ['go', 'func f() {\n\tif ok {\n\t\tx := y()\n\t}\n}\n'],
    ];
    for (let round = 0; round < 3000; round++) {
      const [languageId, doc] = docs[Math.floor(next() * docs.length)] ?? docs[0]!;
      const offset = Math.floor(next() * (doc.length + 1));
      const length = Math.floor(next() * 40);
      let reply = '';
      for (let i = 0; i < length; i++) {
        reply += PIECES[Math.floor(next() * PIECES.length)] ?? '';
      }
      for (const template of ['qwen', 'chat'] as const) {
        const context = options(doc, offset, languageId, template);
        const { text, replace } = postProcess(reply, context);
        const where = JSON.stringify({ languageId, offset, template, reply });
        assert.ok(text.split('\n').length <= context.maxLines, where);
        assert.ok(replace >= 0 && replace <= context.rightText.length, where);
        assert.ok(!SPECIAL_TOKENS.some((token) => text.includes(token)), where);
      }
    }
  });
});
