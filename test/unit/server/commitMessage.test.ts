import assert from 'node:assert/strict';
import { commitInstructions, commitPrompt, parseCommitMessageParams, usesConventionalCommits } from '../../../src/server/chat/commitMessage';
import { withoutDiffMarks } from '../../../src/server/chat/chatRunner';
import { pick, seededRandom } from '../../support/random';

describe('commit messages', () => {
  it('follows Conventional Commits only when most recent subjects (3 or more) use it', () => {
    const conventional = ['feat(chat): @ mentions', 'fix: budget line', 'docs: protocol', 'refactor!: drop v1', 'test(e2e): picker'];
    const plain = ['Add the picker', 'Fix the budget line', 'Merge branch x', 'feature: not a type', 'fix:no space'];
    assert.equal(usesConventionalCommits(conventional), true);
    assert.equal(usesConventionalCommits(plain), false);
    assert.equal(usesConventionalCommits(conventional.slice(0, 2)), false, 'two commits say little');
    assert.equal(usesConventionalCommits([]), false);
    const random = seededRandom(9);
    for (let round = 0; round < 500; round++) {
      const subjects = Array.from({ length: 3 + Math.floor(random() * 15) }, () => (random() < 0.5 ? pick(random, conventional) : pick(random, plain)));
      const share = subjects.slice(0, 20).filter((subject) => conventional.includes(subject)).length / Math.min(20, subjects.length);
      assert.equal(usesConventionalCommits(subjects), share > 0.5, JSON.stringify(subjects));
    }
    assert.match(commitInstructions(true), /Conventional Commits/);
    assert.doesNotMatch(commitInstructions(false), /Conventional Commits/);
  });

  it('the prompt has the diffs while they fit; the rest are named, refused files only counted', () => {
    const small = { path: 'src/a.ts', diff: '@@ -1 +1 @@\n-old\n+new\n' };
    const huge = { path: 'src/big.ts', diff: `+${'x'.repeat(200_000)}\n` };
    const [system, user] = commitPrompt([small, huge], ['feat: one', 'fix: two', 'chore: three'], ['.env']);
    assert.match(system?.content ?? '', /Conventional Commits/);
    assert.match(user?.content ?? '', /diff of src\/a\.ts:\n@@ -1 \+1 @@/);
    assert.match(user?.content ?? '', /Also changed \(diff left out for length\): src\/big\.ts/);
    assert.match(user?.content ?? '', /not shown: secret or ignored files\): 1 file/);
    assert.doesNotMatch(user?.content ?? '', /\.env/, 'a refused file is not even named to the model');
    assert.ok((user?.content.length ?? 0) < 100_000);
  });

  it('a diff without its marks: + - and space columns go, headers stay', () => {
    assert.equal(withoutDiffMarks('--- a/x\n+++ b/x\n@@ -1 +1 @@\n-export A=1\n+export SECRET=2\n keep'), '--- a/x\n+++ b/x\n@@ -1 +1 @@\nexport A=1\nexport SECRET=2\nkeep');
  });

  it('refuses malformed params (any LSP client may send them)', () => {
    const bad: unknown[] = [
      null,
      {},
      { streamId: '', files: [] },
      { streamId: 's', files: 'x' },
      { streamId: 's', files: [{ path: 1, diff: '' }] },
      { streamId: 's', files: [{ path: '', diff: '' }] },
      { streamId: 's', files: [], recentSubjects: [1] },
      { streamId: 's', files: [], model: 3 },
      { streamId: 's', files: Array.from({ length: 501 }, () => ({ path: 'a', diff: '' })) },
    ];
    for (const params of bad) assert.equal(parseCommitMessageParams(params).ok, false, JSON.stringify(params)?.slice(0, 80));
    const parsed = parseCommitMessageParams({ streamId: 's', files: [{ path: 'a.ts', diff: '+x' }], recentSubjects: ['y'.repeat(500)] });
    assert.ok(parsed.ok);
    assert.equal(parsed.ok && parsed.value.recentSubjects[0]?.length, 200);
  });
});
