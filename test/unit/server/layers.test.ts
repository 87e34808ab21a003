/**
 * The service's tiers (src/server/README.md): every import of every module
 * goes to its own folder, a lower tier or src/shared; no feature imports
 * another; nothing imports vscode; the edit engine needs only src/shared.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const SERVER = path.resolve(__dirname, '../../../src/server');
const SHARED = path.resolve(__dirname, '../../../src/shared');

const TIERS: ReadonlyArray<readonly string[]> = [
  ['main.ts', 'cli.ts', 'server.ts', 'transport.ts', 'settingsStore.ts'],
  ['completions/', 'chat/', 'propose/', 'agent/', 'models/'],
  ['services/'],
  ['edits/', 'providers/', 'prompt/'],
  ['util/', 'log.ts', 'settings.ts', 'status.ts', 'redact.ts', 'validate.ts', 'version.ts'],
];
const FEATURES = new Set(TIERS[1]);

interface Import {
  from: string;
  to: string;
  specifier: string;
}

/** The folder (`agent/`) or root file (`log.ts`) a path under src/server belongs to; undefined outside. */
function unitOf(absolute: string): string | undefined {
  const relative = path.relative(SERVER, absolute);
  if (relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  const [first = '', ...rest] = relative.split(path.sep);
  if (rest.length > 0) return `${first}/`;
  // A specifier names a root module without its extension, or a folder (its index.ts).
  if (first.endsWith('.ts')) return first;
  return isFolder(path.join(SERVER, first)) ? `${first}/` : `${first}.ts`;
}

function tierOf(unit: string): number {
  const tier = TIERS.findIndex((units) => units.includes(unit));
  assert.ok(tier >= 0, `${unit} is in no tier: add it to src/server/README.md and to this test`);
  return tier;
}

function isFolder(absolute: string): boolean {
  try {
    return statSync(absolute).isDirectory();
  } catch {
    return false;
  }
}

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** Every module specifier in `text`: static imports and re-exports, and dynamic `import()`. */
function specifiers(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/(?:^|[\s;])(?:import|export)\b[^'";]*?\bfrom\s*['"]([^'"]+)['"]/g)) found.push(match[1] ?? '');
  for (const match of text.matchAll(/(?:^|[\s;])import\s*['"]([^'"]+)['"]/g)) found.push(match[1] ?? '');
  for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) found.push(match[1] ?? '');
  return found;
}

function imports(): Import[] {
  return sources(SERVER).flatMap((file) =>
    specifiers(readFileSync(file, 'utf8')).map((specifier) => ({
      from: file,
      specifier,
      to: specifier.startsWith('.') ? path.resolve(path.dirname(file), specifier) : specifier,
    })),
  );
}

describe('service tiers: features side by side over shared services', () => {
  const all = imports();
  const shown = (entry: Import): string => `${path.relative(SERVER, entry.from)} imports ${entry.specifier}`;

  it('reads the imports (the check is not vacuous)', () => {
    assert.ok(all.length > 300, String(all.length));
    assert.ok(all.some((entry) => entry.specifier === '../services/retry'));
    assert.deepEqual(specifiers(`import type { A } from './a';\nexport { b } from "../b";\nimport './side';\nconst c = await import('./c');`), ['./a', '../b', './side', './c']);
  });

  it('no feature imports another feature', () => {
    const crossing = all.filter((entry) => {
      const from = unitOf(entry.from);
      const to = unitOf(entry.to);
      return from !== undefined && to !== undefined && from !== to && FEATURES.has(from) && FEATURES.has(to);
    });
    assert.deepEqual(crossing.map(shown), []);
  });

  it('every import goes to its own tier, a lower one or src/shared', () => {
    const upward = all.filter((entry) => {
      const from = unitOf(entry.from);
      const to = unitOf(entry.to);
      if (from === undefined || !entry.specifier.startsWith('.')) return false;
      if (to === undefined) return !entry.to.startsWith(SHARED) && !entry.to.endsWith('package.json');
      // Within a tier is fine, except between features (the test above says which).
      return from !== to && tierOf(to) < tierOf(from);
    });
    assert.deepEqual(upward.map(shown), []);
  });

  it('the edit engine imports only src/shared (it also runs on its own, as the apply-patch command)', () => {
    const outside = all.filter((entry) => unitOf(entry.from) === 'edits/' && entry.specifier.startsWith('.') && unitOf(entry.to) !== 'edits/' && !entry.to.startsWith(SHARED));
    assert.deepEqual(outside.map(shown), []);
  });

  it('nothing in the service imports vscode', () => {
    assert.deepEqual(all.filter((entry) => entry.specifier === 'vscode' || entry.specifier.startsWith('vscode/')).map(shown), []);
  });
});
