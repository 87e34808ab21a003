import assert from 'node:assert/strict';
import { compileGlob, type GlobMatcher } from '../../../src/shared/boundary/glob';
import { PROTECTED_PATTERNS, ruleGlob, SECRET_FILE_PATTERNS } from '../../../src/shared/boundary/rules';
import { pick, seededRandom } from '../../support/random';

/**
 * Globs of plain characters and at most one `*` are compared as strings,
 * other globs with at most one `*` take a fast path over their tokens (fixed
 * start and end), and the rest run on the automaton. Both must give the same answers as a plain
 * regular expression built from the glob (trusted here: short, generated).
 */
describe('glob fast path', () => {
  const reference = (glob: string, anchored: boolean, flags = ''): RegExp => {
    const body = glob
      .replace(/[.+^${}()|\\]/g, '\\$&')
      .replace(/\*\*/g, '\u0000')
      .replace(/\*/g, '[^/]*')
      .replace(/\?/g, '[^/]')
      .replace(/\u0000/g, '.*');
    return new RegExp(`${anchored ? '^' : '^(?:.*/)?'}${body}$`, flags);
  };

  it('agrees with a regular expression on 20,000 generated globs and paths, anchored or not, with or without case', () => {
    const random = seededRandom(7);
    const parts = ['a', 'b', 'B', '.', '/', '*', '?', '[ab]', 'x'];
    for (let i = 0; i < 20_000; i++) {
      const glob = Array.from({ length: 1 + Math.floor(random() * 6) }, () => pick(random, parts)).join('');
      if (glob.includes('**')) continue;
      const path = Array.from({ length: Math.floor(random() * 8) }, () => pick(random, ['a', 'b', 'A', 'B', '.', '/', 'x'])).join('');
      for (const anchored of [true, false]) {
        for (const caseInsensitive of [false, true]) {
          const expected = reference(glob, anchored, caseInsensitive ? 'i' : '').test(path);
          assert.equal(compileGlob(glob, { anchored, caseInsensitive }).test(path), expected, `${JSON.stringify(glob)} on ${JSON.stringify(path)} (anchored: ${anchored}, caseInsensitive: ${caseInsensitive})`);
        }
      }
    }
  });
});

/**
 * The secret and protected rules compile a glob only once a path has the
 * glob's fixed start and end (`ruleGlob`): those checks must never change an
 * answer, whatever the glob (`**​/` eating its '/', braces, classes, escapes).
 */
describe('rule globs behind their fixed start and end', () => {
  const eager = (glob: string): GlobMatcher => compileGlob(glob, { caseInsensitive: true, anchored: true });

  it('answers as the compiled glob on 20,000 generated globs and paths', () => {
    const random = seededRandom(1122);
    const parts = ['a', 'B', '.', '/', '*', '**/', '/**', '?', '[ab]', '{a,b.c}', '\\*', 'x', '.env', 'md'];
    for (let i = 0; i < 20_000; i++) {
      const glob = Array.from({ length: 1 + Math.floor(random() * 5) }, () => pick(random, parts)).join('');
      const path = Array.from({ length: Math.floor(random() * 7) }, () => pick(random, ['a', 'A', 'b', '.', '/', 'x', '*', '.env', 'md', 'b.c'])).join('');
      assert.equal(ruleGlob(glob).test(path), eager(glob).test(path), `${JSON.stringify(glob)} on ${JSON.stringify(path)}`);
    }
  });

  it('answers as the compiled glob for every secret and protected rule on 5,000 generated paths', () => {
    const random = seededRandom(2211);
    const names = ['.vscode', 'settings.json', '.git', 'config', 'hooks', 'AGENTS.md', 'agents.md', 'CLAUDE.md', '.github', 'workflows', 'ci.yml', 'credentials', 'credentials.json', 'Credentials.prod.yaml', '.env', '.env.local', '.ENV.example', 'id_rsa', 'ID_ED25519.pub', 'x.pem', 'service-account-1.json', 'src', 'a.ts', 'secret.json', 'Jenkinsfile', 'x.code-workspace', '.aider.conf.yml', '.cursor', 'rules'];
    const rules = [...SECRET_FILE_PATTERNS, ...PROTECTED_PATTERNS].map((glob) => ({ glob, lazy: ruleGlob(glob), compiled: eager(glob) }));
    let matched = 0;
    for (let i = 0; i < 5000; i++) {
      const path = Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, names)).join('/');
      for (const { glob, lazy, compiled } of rules) {
        const expected = compiled.test(path);
        if (expected) matched++;
        assert.equal(lazy.test(path), expected, `${glob} on ${path}`);
      }
    }
    assert.ok(matched > 1000, `the generated paths matched rules only ${matched} times`);
  });
});
