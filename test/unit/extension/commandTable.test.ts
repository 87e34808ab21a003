import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pick, seededRandom } from '../../support/random';

const root = path.resolve(__dirname, '../../..');
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: Array<{ command: string }> } };
const declared = pkg.contributes.commands.map((entry) => entry.command);

/**
 * scripts/check-contributions.mjs on a copy of package.json and src/extension,
 * changed by `mutate` first: what a contributor's slip would look like.
 */
function check(mutate: (copy: string) => void = () => undefined): { ok: boolean; output: string } {
  const copy = mkdtempSync(path.join(os.tmpdir(), 'tandem-commands-'));
  try {
    cpSync(path.join(root, 'scripts/check-contributions.mjs'), path.join(copy, 'scripts/check-contributions.mjs'));
    cpSync(path.join(root, 'package.json'), path.join(copy, 'package.json'));
    cpSync(path.join(root, 'src/extension'), path.join(copy, 'src/extension'), { recursive: true });
    mutate(copy);
    const run = spawnSync(process.execPath, [path.join(copy, 'scripts/check-contributions.mjs')], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}

function edit(file: string, change: (text: string) => string): void {
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  assert.notEqual(after, before, `the mutation changed ${file}`);
  writeFileSync(file, after);
}

describe('the command table (one table, one place that registers)', () => {
  it('registers every command package.json declares, and only those', () => {
    const result = check();
    assert.ok(result.ok, result.output);
    assert.match(result.output, new RegExp(`${declared.length} commands`));
  });

  it('fails for a command renamed on either side, naming it', () => {
    const random = seededRandom(10);
    const picked = new Set(Array.from({ length: 6 }, () => pick(random, declared)));
    for (const id of picked) {
      const inTable = check((copy) => edit(path.join(copy, 'src/extension/commands.ts'), (text) => text.replace(`'${id}':`, `'${id}Renamed':`)));
      assert.ok(!inTable.ok, `${id} renamed in the table`);
      assert.match(inTable.output, new RegExp(`declares ${id.replace(/\./g, '\\.')}, but the command table`));
      assert.match(inTable.output, new RegExp(`registers ${id.replace(/\./g, '\\.')}Renamed, but package\\.json`));
      const inPackage = check((copy) => edit(path.join(copy, 'package.json'), (text) => text.replace(`"command": "${id}",`, `"command": "${id}Gone",`)));
      assert.ok(!inPackage.ok, `${id} renamed in package.json`);
      assert.match(inPackage.output, new RegExp(`registers ${id.replace(/\./g, '\\.')}, but package\\.json does not declare it`));
    }
  });

  it('fails when any other file registers a command itself', () => {
    const files = readdirSync(path.join(root, 'src/extension'), { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.ts') && file !== 'commands.ts');
    const random = seededRandom(11);
    for (const file of new Set(Array.from({ length: 4 }, () => pick(random, files)))) {
      const result = check((copy) =>
        edit(path.join(copy, 'src/extension', file), (text) => `${text}\nexport const sneaky = () => vscode.commands.registerCommand('tandem.focusChat', () => undefined);\n`),
      );
      assert.ok(!result.ok, file);
      assert.match(result.output, new RegExp(`src/extension/${file.replace(/[.\\/]/g, '\\$&')} registers a command`));
    }
  });

  it('fails when the table is not where the check reads it', () => {
    const result = check((copy) => edit(path.join(copy, 'src/extension/commands.ts'), (text) => text.replace('export const COMMANDS = {', 'export const TABLE = {')));
    assert.ok(!result.ok);
    assert.match(result.output, /has no command table/);
  });
});
