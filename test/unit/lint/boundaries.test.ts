/**
 * The import rules of eslint.config.mjs, on generated imports: between every
 * two parts of the service (tiers read from src/server/README.md, not from
 * the config) at several folder depths, and across the extension / service /
 * shared / webview lines. Each import must be refused exactly when the
 * README (or the line it crosses) forbids it, so a rule that is missing,
 * misspelt or too broad fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.resolve(__dirname, '../../..');
const BOUNDARY_RULES = new Set(['no-restricted-imports', 'no-restricted-syntax']);

/** The units of each tier row of src/server/README.md, highest tier first: the backticked folders and files of the Modules column. */
function readmeTiers(): string[][] {
  const readme = readFileSync(path.join(root, 'src/server/README.md'), 'utf8');
  const rows = readme.split('\n').filter((line) => /^\|\s*[a-z]+\s*\|/.test(line));
  return rows.map((row) => [...(row.split('|')[2] ?? '').matchAll(/`([\w.]+(?:\/|\.ts))`/g)].map((match) => match[1] ?? ''));
}

const TIERS = readmeTiers();
const UNITS = TIERS.flat();
const FEATURES = new Set(['completions/', 'chat/', 'propose/', 'agent/', 'models/']);
const tierOf = (unit: string): number => TIERS.findIndex((units) => units.includes(unit));

/** What src/server/README.md says: own unit, a lower tier, the same tier unless both are features; the edit engine only itself. */
function allowed(from: string, to: string): boolean {
  if (from === to) return true;
  if (from === 'edits/') return false;
  if (tierOf(to) === tierOf(from)) return !(FEATURES.has(from) && FEATURES.has(to));
  return tierOf(to) > tierOf(from);
}

/** A module in `unit`, `depth` folders down (root files only at depth 0). */
const fileIn = (unit: string, depth: number): string => (unit.endsWith('/') ? `src/server/${unit}${'sub/'.repeat(depth - 1)}probe.ts` : `src/server/${unit}`);
/** How a module `depth` folders below src/server names `unit`. */
function specifierFor(unit: string, depth: number): string {
  const up = depth === 0 ? './' : '../'.repeat(depth);
  return unit.endsWith('/') ? `${up}${unit}thing` : `${up}${unit.replace(/\.ts$/, '')}`;
}

/** The import forms a module can use; each must be caught alike. */
const named = (specifier: string): string => `import { thing } from '${specifier}';\nexport const use = thing;\n`;
const typeOnly = (specifier: string): string => `import type { Thing } from '${specifier}';\nexport type Use = Thing;\n`;
const reexport = (specifier: string): string => `export { thing } from '${specifier}';\n`;
const FORMS = [named, typeOnly, reexport];

describe('lint: import boundaries (eslint.config.mjs)', function () {
  this.timeout(60_000);
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: root });
  });

  /** The boundary messages ESLint reports for `code` as the file `file`. */
  async function refusals(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    assert.ok(result, file);
    return result.messages.filter((message) => message.ruleId !== null && BOUNDARY_RULES.has(message.ruleId)).map((message) => message.message);
  }

  it('reads the tiers from src/server/README.md (the check is not vacuous)', () => {
    assert.equal(TIERS.length, 5, JSON.stringify(TIERS));
    for (const feature of FEATURES) assert.equal(tierOf(feature), 1, feature);
    assert.ok(UNITS.includes('services/') && UNITS.includes('edits/') && UNITS.includes('log.ts'), JSON.stringify(UNITS));
  });

  it('refuses an import between two parts of the service exactly when the README forbids it, at every depth and in every form', async () => {
    const wrong: string[] = [];
    let refused = 0;
    let checked = 0;
    for (const from of UNITS) {
      for (const depth of from.endsWith('/') ? [1, 2, 3] : [0]) {
        for (const to of UNITS) {
          const form = FORMS[checked % FORMS.length] ?? named;
          const file = fileIn(from, depth);
          const messages = await refusals(file, form(specifierFor(to, depth)));
          checked += 1;
          refused += messages.length > 0 ? 1 : 0;
          if (allowed(from, to) === messages.length > 0) wrong.push(`${file} → ${to}: ${messages.length > 0 ? `refused (${messages.join('; ')})` : 'allowed'}`);
        }
      }
    }
    assert.deepEqual(wrong, []);
    assert.ok(refused > 100 && checked - refused > 100, `${refused} of ${checked} refused`);
  });

  it('refuses vscode in the service, src/shared and the webview; allows it in the extension', async () => {
    const files = [...UNITS.map((unit) => fileIn(unit, 1)), ...UNITS.filter((u) => u.endsWith('/')).map((unit) => fileIn(unit, 3)), 'src/shared/probe.ts', 'src/shared/diff/probe.ts', 'src/shared/boundary/probe.ts', 'media/chat/probe.ts', 'media/probe.ts'];
    for (const file of files) {
      for (const form of FORMS) {
        assert.notDeepEqual(await refusals(file, form('vscode')), [], `${file} may not import vscode`);
      }
    }
    assert.deepEqual(await refusals('src/extension/probe.ts', named('vscode')), []);
    assert.deepEqual(await refusals('src/extension/agent/sandbox/probe.ts', typeOnly('vscode')), []);
  });

  it('keeps the webview to src/shared outside boundary/, and to browser code', async () => {
    const cases: Array<[file: string, specifier: string, refused: boolean]> = [];
    for (const [file, up] of [
      ['media/chat/probe.ts', '../../'],
      ['media/probe.ts', '../'],
      ['media/chat/parts/probe.ts', '../../../'],
    ] as const) {
      cases.push(
        [file, `${up}src/extension/commands`, true],
        [file, `${up}src/extension/agent/checkpoints`, true],
        [file, `${up}src/server/server`, true],
        [file, `${up}src/server/edits/apply`, true],
        [file, `${up}src/shared/boundary`, true],
        [file, `${up}src/shared/boundary/glob`, true],
        [file, 'node:fs', true],
        [file, `${up}src/shared/webviewProtocol`, false],
        [file, `${up}src/shared/diff/lines`, false],
        [file, 'markdown-it', false],
      );
    }
    cases.push(['media/chat/probe.ts', './dom', false]);
    await expectCases(cases);
  });

  it('keeps src/shared free of both sides, and Node out of what the webview bundles', async () => {
    await expectCases([
      ['src/shared/probe.ts', '../extension/tandem', true],
      ['src/shared/probe.ts', '../server/server', true],
      ['src/shared/probe.ts', '../../media/chat/main', true],
      ['src/shared/diff/probe.ts', '../../server/edits/apply', true],
      ['src/shared/diff/probe.ts', '../../extension/commands', true],
      ['src/shared/boundary/probe.ts', '../../extension/commands', true],
      ['src/shared/boundary/probe.ts', '../../server/log', true],
      ['src/shared/probe.ts', 'node:fs', true],
      ['src/shared/diff/probe.ts', 'node:path', true],
      ['src/shared/probe.ts', './boundary', true],
      ['src/shared/diff/probe.ts', '../boundary/glob', true],
      ['src/shared/boundary/probe.ts', 'node:fs', false],
      ['src/shared/boundary/probe.ts', './glob', false],
      ['src/shared/boundary/probe.ts', '../protocol', false],
      ['src/shared/probe.ts', './protocol', false],
      ['src/shared/diff/probe.ts', './lines', false],
      ['src/shared/diff/probe.ts', 'diff', false],
    ]);
  });

  it('keeps the extension and the service apart, and src/server in tiers', async () => {
    await expectCases([
      ['src/extension/probe.ts', '../server/server', true],
      ['src/extension/agent/probe.ts', '../../server/agent/validate', true],
      ['src/extension/agent/sandbox/probe.ts', '../../../server/log', true],
      ['src/extension/chat/probe.ts', '../../../media/chat/main', true],
      ['src/extension/agent/probe.ts', '../../shared/agentProtocol', false],
      ['src/extension/agent/probe.ts', './checkpoints', false],
      ['src/server/agent/probe.ts', '../../extension/commands', true],
      ['src/server/agent/commands/probe.ts', '../../../extension/commands', true],
      ['src/server/probe-wiring.ts', './agent/lsp', true], // in no tier
      ['src/server/newfeature/probe.ts', '../services/retry', true], // in no tier
      ['src/server/agent/commands/probe.ts', '../prompt', false], // agent's own prompt.ts, not the prompt/ engine
      ['src/server/agent/probe.ts', '../../shared/protocol', false],
    ]);
  });

  async function expectCases(cases: ReadonlyArray<readonly [file: string, specifier: string, refused: boolean]>): Promise<void> {
    const wrong: string[] = [];
    for (const [file, specifier, refused] of cases) {
      for (const form of FORMS) {
        const messages = await refusals(file, form(specifier));
        if ((messages.length > 0) !== refused) wrong.push(`${file} → ${specifier}: ${messages.length > 0 ? `refused (${messages.join('; ')})` : 'allowed'}`);
      }
    }
    assert.deepEqual(wrong, []);
  }
});
