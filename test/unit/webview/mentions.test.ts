import assert from 'node:assert/strict';
import { CHAT_BUDGET_TOKENS, estimateTokens, findTrigger, formatTokens, fuzzyScore, MAX_TRIGGER_CHARS, mentionsIn, rankByQuery, slashCommandOf } from '../../../src/shared/mentions';
import { DEFAULT_BUDGET_TOKENS } from '../../../src/server/prompt/assemble';
import { MENTION_KINDS, SLASH_COMMANDS } from '../../../src/shared/vocabulary';
import { kindChoices, slashChoices } from '../../../media/chat/pickerChoices';
import { pick, seededRandom } from '../../support/random';

/** Text a person might type around a mention: code, e-mail addresses, decorators, unicode, paths. */
const NOISE = ['const x = a.b', 'mail a@b.com', 'user@example.org', '@Override', '@types/node', 'npm i @scope/pkg', 'λx → y', '日本語のテキスト', '👩‍💻 emoji', 'foo@', '@@', 'x@file', 'see (@)'];

describe('mentions: where one is being typed', () => {
  it('opens on @ at the start, after a space, a newline or an opening bracket; never inside a word (e-mails)', () => {
    for (const prefix of ['', 'look at ', 'line one\n', '(', '["', 'tab\t']) {
      const text = `${prefix}@fi`;
      assert.deepEqual(findTrigger(text, text.length), { type: 'kind', start: prefix.length, query: 'fi' }, JSON.stringify(prefix));
    }
    for (const text of ['a@b.com', 'mail me at a@b', 'user.name@host', 'x@file:', '日本@fi']) {
      assert.equal(findTrigger(text, text.length), undefined, text);
    }
  });

  it('reads @kind:query as the second stage, only for known kinds, case-insensitive kind', () => {
    assert.deepEqual(findTrigger('see @file:src/ap', 16), { type: 'argument', start: 4, kind: 'file', query: 'src/ap' });
    assert.deepEqual(findTrigger('@FOLDER:', 8), { type: 'argument', start: 0, kind: 'folder', query: '' });
    assert.equal(findTrigger('@nope:x', 7), undefined);
    // Unicode file names are queries like any other.
    assert.deepEqual(findTrigger('@file:ドキュメント', 12), { type: 'argument', start: 0, kind: 'file', query: 'ドキュメント' });
  });

  it('follows the caret: a mention before it counts, text after it does not; whitespace ends it', () => {
    const text = '@file:app.ts and more';
    assert.deepEqual(findTrigger(text, 4), { type: 'kind', start: 0, query: 'fil' });
    assert.equal(findTrigger(text, 13), undefined, 'after the space');
    assert.equal(findTrigger(text, -5), undefined);
    assert.deepEqual(findTrigger(text, 10_000), undefined);
  });

  it('offers / commands only at the very start of the input', () => {
    assert.deepEqual(findTrigger('/ex', 3), { type: 'slash', start: 0, query: 'ex' });
    assert.equal(findTrigger('say /ex', 7), undefined);
    assert.equal(findTrigger('/usr/bin', 8), undefined, 'a path is not a command');
  });

  it('gives up on very long tokens instead of scanning them', () => {
    const long = `@file:${'a'.repeat(MAX_TRIGGER_CHARS)}`;
    assert.equal(findTrigger(long, long.length), undefined);
    const huge = `${'word '.repeat(40_000)}@pro`;
    assert.deepEqual(findTrigger(huge, huge.length), { type: 'kind', start: huge.length - 4, query: 'pro' });
  });

  it('generated inputs: a trigger always starts at an @ (or /) at a boundary, and its query is the text up to the caret', () => {
    const random = seededRandom(14);
    for (let round = 0; round < 2000; round++) {
      const parts = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, [...NOISE, '@', '@fi', '@file:x', '/e', ' ', '\n']));
      const text = parts.join(pick(random, ['', ' ', '\n']));
      const caret = Math.floor(random() * (text.length + 1));
      const trigger = findTrigger(text, caret);
      if (!trigger) continue;
      const mark = trigger.type === 'slash' ? '/' : '@';
      assert.equal(text[trigger.start], mark, `${JSON.stringify(text)} at ${caret}`);
      const before = text[trigger.start - 1];
      assert.ok(trigger.start === 0 || /[\s([{"'`,;]/.test(before ?? ''), `${JSON.stringify(text)}: @ after ${JSON.stringify(before)}`);
      assert.ok(!/\s/.test(text.slice(trigger.start, caret)), 'no whitespace inside the token');
      assert.ok(text.slice(trigger.start, caret).endsWith(trigger.query), 'the query is what was typed');
    }
  });
});

describe('mentions: written out in a question', () => {
  it('finds @kind and @kind:argument, dropping closing punctuation; ignores e-mails, decorators, other words', () => {
    const text = 'Why does @file:src/app.ts fail? See @problems, and (@changes). Not a@b.com, @Override, @files, @problemsolving or @types/node.';
    assert.deepEqual(
      mentionsIn(text).map(({ kind, argument }) => [kind, argument]),
      [['file', 'src/app.ts'], ['problems', ''], ['changes', '']],
    );
    const first = mentionsIn(text)[0];
    assert.equal(first && text.slice(first.start, first.end), '@file:src/app.ts');
  });

  it('generated: every mention found is a known kind at a boundary, and its span is in the text', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 1000; round++) {
      const text = Array.from({ length: 6 }, () => pick(random, [...NOISE, ...MENTION_KINDS.map((kind) => `@${kind}`), '@file:a/b.ts', '@folder:src.', 'x'])).join(pick(random, [' ', '', ', ']));
      for (const mention of mentionsIn(text)) {
        assert.ok((MENTION_KINDS as readonly string[]).includes(mention.kind));
        assert.ok(mention.start === 0 || /[\s([{"'`,;]/.test(text[mention.start - 1] ?? ''), JSON.stringify(text));
        assert.equal(text.slice(mention.start, mention.end), `@${mention.kind}${mention.argument ? `:${mention.argument}` : ''}`);
      }
    }
  });

  it('a slash command is the whole question or nothing', () => {
    for (const command of SLASH_COMMANDS) assert.equal(slashCommandOf(` /${command} `), command);
    for (const text of ['/explain this code', 'please /fix', '/unknown', '/', '/Explain']) assert.equal(slashCommandOf(text), undefined, text);
  });
});

describe('mentions: fuzzy ranking', () => {
  const files = ['src/app.ts', 'src/application/model.ts', 'test/app.test.ts', 'docs/appendix.md', 'src/extension/chat/chatController.ts', 'README.md', 'a/p/p.ts'];

  it('matches characters in order, case-insensitive; a non-match is left out', () => {
    assert.equal(fuzzyScore('xyz', 'src/app.ts'), undefined);
    assert.equal(fuzzyScore('tsa', 'src/app.ts'), undefined, 'order matters');
    assert.ok(fuzzyScore('APP', 'src/app.ts') !== undefined);
    assert.equal(fuzzyScore('', 'anything'), 0);
  });

  it('prefers a file name over folders, word starts over the middle, the shorter on ties', () => {
    assert.equal(rankByQuery('app', files, (path) => path)[0], 'src/app.ts');
    assert.equal(rankByQuery('chatc', files, (path) => path)[0], 'src/extension/chat/chatController.ts');
    assert.equal(rankByQuery('cc', files, (path) => path)[0], 'src/extension/chat/chatController.ts', 'camelCase humps count');
    assert.deepEqual(rankByQuery('', files, (path) => path), files, 'no query keeps the order');
    assert.equal(rankByQuery('app', files, (path) => path, 2).length, 2);
  });

  it('generated: every ranked candidate contains the query as a subsequence, and nothing that does is dropped', () => {
    const random = seededRandom(3);
    const alphabet = 'abcdeé/._-Xy';
    const word = (length: number): string => Array.from({ length }, () => pick(random, [...alphabet])).join('');
    for (let round = 0; round < 300; round++) {
      const candidates = Array.from({ length: 20 }, () => word(1 + Math.floor(random() * 12)));
      const query = word(Math.floor(random() * 4));
      const ranked = rankByQuery(query, candidates, (candidate) => candidate);
      const isSubsequence = (candidate: string): boolean => {
        let from = 0;
        for (const char of query.toLowerCase()) {
          from = candidate.toLowerCase().indexOf(char, from) + 1;
          if (from === 0) return false;
        }
        return true;
      };
      assert.deepEqual(new Set(ranked), new Set(candidates.filter(isSubsequence)), `query ${JSON.stringify(query)}`);
    }
  });

  it('the kind picker filters and orders the kinds, marks unavailable ones, and / lists the four tasks', () => {
    assert.deepEqual(kindChoices('').map((choice) => choice.label), MENTION_KINDS.map((kind) => `@${kind}`));
    assert.equal(kindChoices('pro')[0]?.label, '@problems');
    assert.equal(kindChoices('f')[0]?.label, '@file');
    assert.deepEqual(kindChoices('zzz'), []);
    const codebase = kindChoices('codebase', ['codebase'])[0];
    assert.equal(codebase?.disabled, true);
    assert.match(codebase?.detail ?? '', /coming/);
    assert.deepEqual(kindChoices('c').map((choice) => choice.action), [{ type: 'attach', kind: 'changes', value: '' }, { type: 'attach', kind: 'codebase', value: '' }, { type: 'chooseKind', kind: 'mcp' }]);
    assert.deepEqual(slashChoices('').map((choice) => choice.label), ['/explain', '/fix', '/tests', '/docs']);
    assert.equal(slashChoices('t')[0]?.label, '/tests');
  });
});

describe('mentions: token estimate and budget', () => {
  it('estimates characters / 4 rounded up, and formats sizes for chips', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abc'), 1);
    assert.equal(estimateTokens('abcde'), 2);
    assert.equal(estimateTokens('x'.repeat(4000)), 1000);
    assert.deepEqual([0, 999, 1000, 1234, 9960, 24_000, 123_456].map(formatTokens), ['0', '999', '1k', '1.2k', '10k', '24k', '123k']);
  });

  it('the chat shows the budget the service enforces', () => {
    assert.equal(DEFAULT_BUDGET_TOKENS, CHAT_BUDGET_TOKENS);
  });
});
