import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { elideOldToolResults, estimateCostUsd, estimateRequestTokens, truncateMiddle, type WireMessage } from '../../../src/server/agent/context';
import { compileGlob } from '../../../src/shared/boundary/glob';
import { fileGlob, IgnoreRules, isSecretPath } from '../../../src/shared/boundary/ignore';
import { agentSystemPrompt, AGENT_TOOLS } from '../../../src/server/agent/prompt';
import { findTestCommand, loadAgentsRules, MAX_RULES_BYTES } from '../../../src/server/agent/rules';
import { AgentWorkspace } from '../../../src/server/agent/workspace';
import { copyFixture, removeDir } from './harness';

describe('agent ignore rules and globs', () => {
  it('globs: **, *, ?, classes, braces', () => {
    assert.ok(compileGlob('src/**/*.ts').test('src/a.ts'));
    assert.ok(compileGlob('src/**/*.ts').test('src/x/y/a.ts'));
    assert.ok(!compileGlob('src/*.ts').test('src/x/a.ts'));
    assert.ok(compileGlob('*.{js,ts}').test('a.ts'));
    assert.ok(compileGlob('file?.[ch]').test('file1.c'));
    assert.ok(fileGlob('*.test.js').test('test/math.test.js'), 'a glob without / matches names in any folder');
    assert.ok(!fileGlob('test/*.js').test('src/test/a.js'));
  });

  it('secrets by name', () => {
    for (const p of ['.env', '.env.local', 'config/.env.production', 'certs/server.pem', 'a.key', 'home/.ssh/id_rsa', 'id_ed25519.pub', '.npmrc']) {
      assert.ok(isSecretPath(p), p);
    }
    for (const p of ['src/env.ts', 'keys.ts', 'environment.md']) assert.ok(!isSecretPath(p), p);
  });

  it('.gitignore semantics: anchoring, dir-only, negation, nested files, .tandemignore', () => {
    const files: Record<string, string> = {
      '/r/.gitignore': 'dist/\n*.log\n!keep.log\n/build\ndocs/*.tmp\n',
      '/r/pkg/.gitignore': 'generated/\n',
      '/r/.tandemignore': 'secrets/\n',
    };
    const rules = new IgnoreRules('/r', (p) => files[p]);
    assert.ok(rules.isIgnored('dist/a.js'));
    assert.ok(rules.isIgnored('pkg/dist/a.js'), 'unanchored dir pattern matches at any depth');
    assert.ok(rules.isIgnored('x/y.log'));
    assert.ok(!rules.isIgnored('keep.log'));
    assert.ok(rules.isIgnored('build/out.js'));
    assert.ok(!rules.isIgnored('src/build/x.js'), 'anchored /build');
    assert.ok(rules.isIgnored('docs/a.tmp'));
    assert.ok(!rules.isIgnored('docs/sub/a.tmp'));
    assert.ok(rules.isIgnored('pkg/generated/x.ts'));
    assert.ok(!rules.isIgnored('generated/x.ts'), 'nested .gitignore applies only below its folder');
    assert.ok(rules.isIgnored('secrets/a.txt'));
    assert.ok(!rules.isIgnored('src/a.ts'));
    assert.ok(!rules.isIgnored('dist', false), 'dist/ matches folders only');
  });
});

describe('agent workspace tools', () => {
  let root: string;
  beforeEach(() => (root = copyFixture()));
  afterEach(() => removeDir(root));

  it('read_file: line numbers, ranges and a truncation note', () => {
    const ws = new AgentWorkspace(root);
    const range = ws.readFile({ path: 'src/math.js', start_line: 3, end_line: 5 });
    assert.equal(range.output, '3\tfunction add(a, b) {\n4\t  return a - b;\n5\t}\n[showing lines 3–5 of 11; ask for start_line/end_line to see more]');
    writeFileSync(path.join(root, 'big.txt'), Array.from({ length: 1000 }, (_, i) => `line ${i + 1}`).join('\n'));
    const big = ws.readFile({ path: 'big.txt' });
    assert.match(big.output, /\[showing lines 1–400 of 1000/);
    assert.ok(!big.output.includes('line 401'));
    assert.match(ws.readFile({ path: 'nope.js' }).output, /does not exist/);
    assert.match(ws.readFile({ path: 'src' }).output, /is a folder/);
  });

  it('list_dir, find_files and search_text skip ignored files and node_modules', async () => {
    mkdirSync(path.join(root, 'node_modules', 'x'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', 'x', 'index.js'), 'function add() {}');
    mkdirSync(path.join(root, 'dist'));
    writeFileSync(path.join(root, 'dist', 'math.js'), 'function add() {}');
    const ws = new AgentWorkspace(root);
    assert.equal((await ws.findFiles({ glob: '*.js' })).output, 'src/math.js\ntest/math.test.js');
    assert.equal((await ws.searchText({ pattern: 'function add' })).output, 'src/math.js:3: function add(a, b) {');
    assert.equal((await ws.searchText({ pattern: 'add', glob: 'test/*.js' })).summary, '2 matches');
    assert.match((await ws.searchText({ pattern: '(' })).output, /Not a valid regular expression/);
    const listing = (await ws.listDir({ path: '.' })).output;
    assert.match(listing, /^src\/\ntest\//);
    assert.ok(!listing.includes('node_modules') && !listing.includes('dist') && !listing.includes('.env\n'));
  });
});

describe('agent rules, test command and prompt', () => {
  it('AGENTS.md from the root down to the active file, deeper later, capped at 32 KiB', () => {
    const files: Record<string, string> = { '/r/AGENTS.md': 'root rule', '/r/a/AGENTS.md': 'a rule', '/r/a/b/AGENTS.md': 'b rule', '/r/c/AGENTS.md': 'not on the way' };
    const rules = loadAgentsRules('/r', 'a/b/file.ts', (p) => files[p]);
    assert.deepEqual(rules.files, ['AGENTS.md', 'a/AGENTS.md', 'a/b/AGENTS.md']);
    assert.equal(rules.text, '# AGENTS.md\nroot rule\n\n# a/AGENTS.md\na rule\n\n# a/b/AGENTS.md\nb rule');
    assert.deepEqual(loadAgentsRules('/r', undefined, (p) => files[p]).files, ['AGENTS.md']);
    const huge = loadAgentsRules('/r', 'a/x.ts', (p) => (p === '/r/AGENTS.md' ? 'x'.repeat(40_000) : p === '/r/a/AGENTS.md' ? 'deep rule' : undefined));
    assert.ok(huge.truncated);
    assert.ok(Buffer.byteLength(huge.text) <= MAX_RULES_BYTES);
    assert.ok(huge.text.endsWith('deep rule'), 'the deeper file is kept');
  });

  it('finds the test command from project files; the setting wins', () => {
    const has = (files: Record<string, string>) => [(p: string) => files[p], (p: string) => p in files] as const;
    assert.equal(findTestCommand('/r', 'make check', ...has({})), 'make check');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/package.json': '{"scripts":{"test":"mocha"}}' })), 'npm test');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' })), '');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/pytest.ini': '' })), 'pytest');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/pyproject.toml': '[tool.pytest.ini_options]' })), 'pytest');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/go.mod': 'module x' })), 'go test ./...');
    assert.equal(findTestCommand('/r', '', ...has({ '/r/Cargo.toml': '' })), 'cargo test');
  });

  it('a one-line question in agent mode stays under 4,000 tokens with the tool schemas', () => {
    const system = agentSystemPrompt({ root: '/r', policy: 'ask', testCommand: 'npm test', rules: '' });
    const tokens = estimateRequestTokens([{ role: 'system', content: system }, { role: 'user', content: 'Why does add fail?' }], AGENT_TOOLS);
    assert.ok(tokens < 4_000, String(tokens));
  });
});

describe('agent context management', () => {
  it('truncates the middle of long outputs with a note', () => {
    const text = Array.from({ length: 2000 }, (_, i) => `line ${i}`).join('\n');
    const cut = truncateMiddle(text, 1000);
    assert.ok(cut.length < 1100);
    assert.ok(cut.startsWith('line 0\n') && cut.endsWith('line 1999'));
    assert.match(cut, /\[… \d+ lines \(\d+ characters\) omitted …\]/);
    assert.equal(truncateMiddle('short', 1000), 'short');
  });

  it('elides the oldest tool outputs first when over the window, keeping the recent ones', () => {
    const messages: WireMessage[] = [{ role: 'system', content: 'sys' }];
    for (let i = 0; i < 8; i++) {
      messages.push({ role: 'assistant', content: null, tool_calls: [{ id: `c${i}`, type: 'function', function: { name: 'read_file', arguments: '{}' } }] });
      messages.push({ role: 'tool', tool_call_id: `c${i}`, content: `${i}\n`.repeat(2000) });
    }
    const elided = elideOldToolResults(messages, [], 5_000);
    assert.ok(elided > 0 && elided <= 4);
    assert.equal(messages[2]?.content, '[output elided: 2001 lines; call the tool again if needed]');
    assert.ok(messages.at(-1)?.content?.startsWith('7\n'));
    assert.ok(estimateRequestTokens(messages) <= 5_000);
    assert.equal(elideOldToolResults(messages, [], 1_000_000), 0);
  });

  it('prices known models only', () => {
    assert.equal(estimateCostUsd('gpt-4.1-mini', { promptTokens: 1_000_000, completionTokens: 1_000_000, totalTokens: 2_000_000 }), 2);
    assert.equal(estimateCostUsd('qwen2.5-coder:7b', { promptTokens: 1, completionTokens: 1, totalTokens: 2 }), undefined);
  });
});
