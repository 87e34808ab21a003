import assert from 'node:assert/strict';
import { cursorContext, usesHashComments } from '../../../../src/server/completions/context';
import { detectIndentation, styleFromFormatting } from '../../../../src/server/completions/indentation';
import { postProcess, type PostProcessOptions, type Suggestion } from '../../../../src/server/completions/postprocess';
import { CURSOR } from '../corpus/format';
import { CORPUS } from '../corpus/index';

/** The options the engine builds for a corpus case's document (fill-in-the-middle template). */
function optionsFor(doc: string, languageId: string, formatting: { tabSize: number; insertSpaces: boolean } | undefined): PostProcessOptions {
  const offset = doc.indexOf(CURSOR);
  const text = doc.replace(CURSOR, '');
  const ctx = cursorContext({ uri: `file:///w/case.${languageId}`, languageId, text, offset, triggerKind: 2 });
  return {
    template: 'qwen',
    finishReason: 'stop',
    languageId,
    prefix: ctx.prefixWindow,
    suffix: ctx.suffixWindow,
    linePrefix: ctx.linePrefix,
    rightText: ctx.rightText,
    lineIndent: ctx.lineIndent,
    singleLine: ctx.singleLine,
    indent: styleFromFormatting(formatting) ?? detectIndentation(text),
    maxLines: 12,
    hashComments: usesHashComments(languageId),
    path: `case.${languageId}`,
  };
}

/** Junk a model adds around an answer; none of it may change the suggestion. */
const MUTATIONS: ReadonlyArray<[string, (reply: string) => string]> = [
  ['an end token after it', (reply) => `${reply}<|endoftext|>`],
  ['an end token and more text after it', (reply) => `${reply}<|endoftext|>\n// unrelated\nfoo();`],
  ['a file separator and another file after it', (reply) => `${reply}<|file_sep|>src/other.ts\nexport {};`],
  ['a cut-off template token at the end', (reply) => `${reply}<|fim_`],
  ['a template token in front', (reply) => `<|fim_middle|>${reply}`],
  ['Windows line breaks', (reply) => reply.replace(/\n/g, '\r\n')],
  ['a zero-width space in front', (reply) => `\u200B${reply}`],
];

describe('completion rules: mutated corpus replies (generated)', () => {
  const cases = CORPUS.filter((c) => c.templates === undefined || c.templates.includes('fim'));

  it('junk around a reply does not change the suggestion', () => {
    let checked = 0;
    for (const c of cases) {
      const options = optionsFor(c.doc, c.language, c.formatting);
      const expected: Suggestion = postProcess(c.reply, { ...options, finishReason: c.finishReason ?? 'stop' });
      for (const [name, mutate] of MUTATIONS) {
        if (c.reply.includes('<|') || c.reply.includes('\u200B') || c.reply.includes('\r') || (name.includes('zero-width') && c.reply.trim() === '')) {
          continue;
        }
        const got = postProcess(mutate(c.reply), { ...options, finishReason: c.finishReason ?? 'stop' });
        assert.deepEqual(got, expected, `${c.id}: ${name}`);
        checked++;
      }
    }
    assert.ok(checked > 1000, `only ${checked} mutated replies`);
  });

  it('a fenced reply gives the same suggestion as the bare one, for every template', () => {
    for (const c of cases) {
      if (c.reply.includes('```') || c.reply.includes('~~~') || c.reply.trim() === '' || c.reply.startsWith('\n') || c.language === 'markdown') {
        continue;
      }
      const options = optionsFor(c.doc, c.language, c.formatting);
      const finishReason = c.finishReason ?? 'stop';
      const bare = postProcess(c.reply, { ...options, finishReason });
      assert.deepEqual(postProcess(`\`\`\`${c.language}\n${c.reply}\n\`\`\``, { ...options, finishReason }), bare, `${c.id} (fim)`);
    }
  });

  it('post-processing is idempotent: a suggestion run through again is kept as it is', () => {
    for (const c of cases) {
      const options = optionsFor(c.doc, c.language, c.formatting);
      const once = postProcess(c.reply, { ...options, finishReason: c.finishReason ?? 'stop' });
      if (once.text === '' || c.selected) {
        continue;
      }
      assert.equal(postProcess(once.text, options).text, once.text, c.id);
    }
  });
});
