/**
 * Which project checks run (`tandem.checks`): the person's list, none, or
 * what the project has — `tsc --noEmit` with a tsconfig.json and the
 * project's own TypeScript, the package's `lint` script, its `test` script
 * (not npm's placeholder). What a check's command resolves to (a script's
 * text) is read here too: "Always for This Workspace" remembers it, so a
 * changed script asks again.
 */
import { createHash } from 'node:crypto';
import { existsSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { readRegularFile } from '../../../../shared/boundary/boundary';
import type { ProjectCheckKind } from '../../../../shared/checks';
import { CHECKS_DEFAULTS } from '../../../../shared/defaults';
import { isRecord } from '../../../../shared/guards';
import type { ProjectChecksSettings } from '../../../../shared/projectChecksProtocol';

export interface PlannedCheck {
  name: string;
  kind: ProjectCheckKind;
  command: string;
  timeoutSeconds: number;
  /** Not run, and why (plain words). */
  skip?: string;
}

const MAX_PACKAGE_JSON_BYTES = 1024 * 1024;
/** What `npm init` writes when there are no tests: running it only fails. */
const NPM_PLACEHOLDER_TEST = /no test specified/i;

/** The checks of one run: detected when the setting is unset, else the person's own (none for `[]`). */
export function planChecks(root: string, settings: Pick<ProjectChecksSettings, 'checks'>): PlannedCheck[] {
  if (settings.checks === null) return detectChecks(root);
  return settings.checks.map((check) => ({
    name: check.name,
    kind: check.kind ?? 'custom',
    command: check.command,
    timeoutSeconds: check.timeoutSeconds ?? CHECKS_DEFAULTS.timeoutSeconds,
  }));
}

/** The checks a project has, in the order they run: typecheck, lint, test. */
export function detectChecks(root: string): PlannedCheck[] {
  const checks: PlannedCheck[] = [];
  const timeoutSeconds = CHECKS_DEFAULTS.timeoutSeconds;
  if (isFile(path.join(root, 'tsconfig.json'))) {
    const check: PlannedCheck = { name: 'typecheck', kind: 'typecheck', command: 'npx tsc --noEmit', timeoutSeconds };
    // npx would download a TypeScript it does not find: only the project's own runs.
    if (!existsSync(path.join(root, 'node_modules', '.bin', 'tsc'))) check.skip = 'TypeScript is not installed in the project (node_modules/.bin/tsc); run npm install to type-check proposals.';
    checks.push(check);
  }
  const scripts = packageScripts(root);
  if (typeof scripts?.lint === 'string' && scripts.lint.trim()) checks.push({ name: 'lint', kind: 'lint', command: 'npm run lint', timeoutSeconds });
  if (typeof scripts?.test === 'string' && scripts.test.trim() && !NPM_PLACEHOLDER_TEST.test(scripts.test)) checks.push({ name: 'test', kind: 'test', command: 'npm test', timeoutSeconds });
  return checks;
}

/** package.json's `scripts`, or undefined (no file, unreadable, not JSON). */
export function packageScripts(root: string): Record<string, unknown> | undefined {
  const text = readRegularFile(path.join(root, 'package.json'), MAX_PACKAGE_JSON_BYTES);
  if (text === undefined) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return isRecord(parsed) && isRecord(parsed.scripts) ? parsed.scripts : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What `command` runs in `root`, for the person to see and for "always" to
 * remember: the script's text for `npm|pnpm|yarn [run] <script>` and
 * `npm test`, the real path of the tool for `npx <tool>`, else the command.
 */
export function resolveCommand(command: string, root: string): string {
  const words = command.trim().split(/\s+/);
  const [program, first, second] = words;
  if (program === 'npm' || program === 'pnpm' || program === 'yarn') {
    const script = first === 'run' || first === 'run-script' ? second : first === 't' ? 'test' : first;
    if (script) {
      const text = packageScripts(root)?.[script];
      return typeof text === 'string' ? `${command} → ${text}` : command;
    }
  }
  if (program === 'npx' && first && !first.startsWith('-')) {
    try {
      return `${command} → ${realpathSync(path.join(root, 'node_modules', '.bin', first))}`;
    } catch {
      return command;
    }
  }
  return command;
}

/** The key "Always for This Workspace" is remembered under: the folder, the command and what it resolves to. */
export function approvalKey(folder: string, command: string, resolved: string): string {
  return createHash('sha256').update(`${folder}\0${command}\0${resolved}`).digest('hex');
}

function isFile(absolute: string): boolean {
  try {
    return statSync(absolute).isFile();
  } catch {
    return false;
  }
}
