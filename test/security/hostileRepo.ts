/**
 * A hostile repository, built fresh by the tests: secrets under every kind
 * of name and case, secret folders, ignored files, and symbolic links of
 * every kind (to a folder and a file outside, absolute and relative, chains,
 * dangling ones a write would follow, links to secrets inside, AGENTS.md
 * pointing at /proc/self/environ and at a file outside). Every secret holds
 * a unique marker, so a test can search everything that left the machine
 * for all of them at once.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Put into this process's environment, so /proc/self/environ holds a marker too. */
export const ENV_MARKER_NAME = 'TANDEM_SECURITY_ENV_MARKER';

export interface HostileRepo {
  base: string;
  /** The workspace folder. */
  root: string;
  /** A folder next to it that must never be read or written. */
  outside: string;
  /** Every secret marker: none may ever reach a model. */
  markers: string[];
  /** Secret or off-limits files inside the workspace (relative), by the kind of trick. */
  secretPaths: string[];
  /** Links inside the workspace that lead out of it (relative). */
  linksOut: string[];
  /** Links inside the workspace that lead to secrets inside it (relative). */
  linksToSecrets: string[];
  /** The contents of `outside` (path → text), to check it was not changed. */
  snapshotOutside(): Map<string, string>;
  cleanup(): void;
}

export function makeHostileRepo(): HostileRepo {
  const base = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'tandem-hostile-')));
  const root = path.join(base, 'repo');
  const outside = path.join(base, 'outside');
  const markers: string[] = [];
  let counter = 0;
  const marker = (): string => {
    const value = `MARK-${process.pid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
    markers.push(value);
    return value;
  };
  const write = (relative: string, text: string, folder = root): void => {
    const target = path.join(folder, relative);
    mkdirSync(path.dirname(target), { recursive: true });
    writeFileSync(target, text);
  };
  const link = (relative: string, target: string): void => {
    mkdirSync(path.dirname(path.join(root, relative)), { recursive: true });
    symlinkSync(target, path.join(root, relative));
  };

  // Ordinary files the tools may use.
  write('src/app.ts', 'export const app = 1;\n');
  write('src/util.ts', 'export function util(): number {\n  return 2;\n}\n');
  write('sub/x.ts', 'export const x = 3;\n');
  write('package.json', '{"name":"hostile","scripts":{"test":"node -e 0"}}\n');
  write('.gitignore', 'ignored/\n*.log\n');

  // Secrets by name, in every case and folder.
  const secretPaths = [
    '.env',
    '.ENV.production',
    'ID_RSA',
    'Credentials.JSON',
    '.aws/credentials',
    'config/secrets.yaml',
    'sub/.env/inner.txt',
    '.npmrc',
    'keys/Server.PEM',
    'ignored/data.txt',
    'debug.log',
  ];
  for (const relative of secretPaths) write(relative, `value=${marker()}\n`);

  // Outside the workspace.
  write('notes.txt', `outside ${marker()}\n`, outside);
  write('dir/inner.txt', `outside dir ${marker()}\n`, outside);

  // Links out, of every kind.
  link('linkdir', '../outside');
  link('abs-link.txt', path.join(outside, 'notes.txt'));
  link('docs/readme-link.md', '../../outside/notes.txt');
  link('hop1', 'hop2');
  link('hop2', '../outside/dir');
  link('src/config.ts', '../../outside/notes.txt');
  link('dangling.txt', '../outside/created-by-tandem.txt');
  link('sub/AGENTS.md', '../../outside/notes.txt');
  link('AGENTS.md', '/proc/self/environ');
  const linksOut = ['linkdir/notes.txt', 'abs-link.txt', 'docs/readme-link.md', 'hop1/inner.txt', 'src/config.ts', 'dangling.txt', 'sub/AGENTS.md', 'AGENTS.md'];

  // Links to secrets inside, under innocent names.
  link('safe.txt', '.env');
  link('src/settings.json', '../config/secrets.yaml');
  link('keys/public.txt', '../ID_RSA');
  const linksToSecrets = ['safe.txt', 'src/settings.json', 'keys/public.txt'];

  process.env[ENV_MARKER_NAME] = marker();

  return {
    base,
    root,
    outside,
    markers,
    secretPaths,
    linksOut,
    linksToSecrets,
    snapshotOutside: () => snapshot(outside),
    cleanup: () => rmSync(base, { recursive: true, force: true }),
  };
}

function snapshot(folder: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(folder, full), readFileSync(full, 'utf8'));
    }
  };
  walk(folder);
  return out;
}

/** The markers found in `text` (each one a leak). */
export function leakedMarkers(text: string, markers: readonly string[]): string[] {
  return markers.filter((value) => text.includes(value));
}
