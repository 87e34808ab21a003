/**
 * A Seatbelt profile (macOS `sandbox-exec -p`) for a SandboxPlan. Pure.
 *
 * Same rules as bubblewrap.ts, in Seatbelt's terms: everything is denied
 * unless allowed, the last matching rule wins. Reading is allowed except
 * secrets and credential stores; writing only inside the workspace and a
 * private temporary folder, never to protected paths. Seatbelt matches
 * paths with regular expressions, so protected names are refused at any
 * depth whether they exist or not, and the workspace's top folder stays
 * writable (unlike on Linux). macOS file systems ignore case by default:
 * the expressions do too. No network (Unix sockets included) unless
 * allowed; with network, Unix sockets stay refused.
 */
import { PROTECTED_PATTERNS } from '../../../shared/boundary/rules';
import type { SandboxPlan } from './plan';

export interface SeatbeltOptions {
  /** The command's private temporary folder (TMPDIR), real path. */
  tmpDir: string;
  /** Protected paths relative to the workspace (the shared rules by default). */
  protectedPatterns?: readonly string[];
}

const REGEX_SPECIAL = /[\\^$.|?*+()[\]{}]/;

/** A path as a case-insensitive, anchored expression piece (no anchors). */
function literalPattern(text: string): string {
  let out = '';
  for (const char of text) {
    const lower = char.toLowerCase();
    const upper = char.toUpperCase();
    if (lower !== upper) out += `[${lower}${upper}]`;
    else if (REGEX_SPECIAL.test(char)) out += `\\${char}`;
    else out += char;
  }
  return out;
}

/** A protected glob (relative, '/'-separated, `**​/` and `*`) as an expression piece. */
function globPattern(glob: string): string {
  let rest = glob;
  let out = '';
  while (rest.length > 0) {
    if (rest.startsWith('**/')) {
      out += '(.*/)?';
      rest = rest.slice(3);
    } else if (rest === '**') {
      out += '.*';
      rest = '';
    } else if (rest.startsWith('*')) {
      out += '[^/]*';
      rest = rest.slice(1);
    } else if (rest.startsWith('?')) {
      out += '[^/]';
      rest = rest.slice(1);
    } else {
      out += literalPattern(rest[0]!);
      rest = rest.slice(1);
    }
  }
  return out;
}

/** An SBPL regex literal. */
function regex(body: string): string {
  return `(regex #"${body.replaceAll('"', '\\"')}")`;
}

/** A path and everything under it. */
function subtree(path: string): string {
  return regex(`^${literalPattern(path)}(/.*)?$`);
}

function exact(path: string): string {
  return regex(`^${literalPattern(path)}$`);
}

/** Expressions for the protected paths under `root`: the path itself and what is under it. */
export function protectedExpressions(root: string, patterns: readonly string[] = PROTECTED_PATTERNS): string[] {
  const base = literalPattern(root);
  // `x` and `x/**` become one expression each; duplicates are dropped.
  const bodies = new Set(patterns.map((pattern) => globPattern(pattern.replace(/\/\*\*$/, ''))));
  return [...bodies].map((body) => regex(`^${base}/${body}(/.*)?$`));
}

function rule(action: 'allow' | 'deny', operations: string, filters: readonly string[]): string[] {
  return filters.length ? [`(${action} ${operations}`, ...filters.map((filter) => `  ${filter}`), ')'] : [];
}

export function seatbeltProfile(plan: SandboxPlan, options: SeatbeltOptions): string {
  const lines: string[] = [
    '(version 1)',
    '(deny default)',
    '(allow process-exec process-fork)',
    '(allow signal (target same-sandbox))',
    '(allow process-info* (target same-sandbox))',
    '(allow sysctl-read)',
    '(allow user-preference-read)',
    '(allow ipc-posix-shm ipc-posix-sem)',
    '(allow pseudo-tty)',
    '(allow mach-lookup (global-name "com.apple.system.opendirectoryd.libinfo") (global-name "com.apple.system.notification_center") (global-name "com.apple.system.logger") (global-name "com.apple.logd"))',
    '(allow file-read*)',
    ...rule('allow', 'file-write* file-ioctl', [
      exact('/dev/null'),
      exact('/dev/zero'),
      exact('/dev/tty'),
      exact('/dev/ptmx'),
      exact('/dev/dtracehelper'),
      regex('^/dev/ttys[0-9]+$'),
      regex('^/dev/fd/[0-9]+$'),
    ]),
    ...rule('allow', 'file-write*', [subtree(plan.root), subtree(options.tmpDir)]),
    ';; Protected paths (existing or not), git directories elsewhere.',
    ...rule('deny', 'file-write*', [...protectedExpressions(plan.root, options.protectedPatterns), ...plan.readOnly.map(subtree)]),
    ';; Secrets and credential stores.',
    ...rule('deny', 'file-read* file-write*', [...plan.maskFiles.map(exact), ...plan.maskDirs.map(subtree)]),
  ];
  if (plan.network) {
    lines.push(
      '(allow network-outbound network-inbound network-bind system-socket)',
      '(allow mach-lookup (global-name "com.apple.dnssd.service") (global-name "com.apple.trustd") (global-name "com.apple.trustd.agent") (global-name "com.apple.SystemConfiguration.configd"))',
      ';; Unix sockets reach daemons outside the sandbox.',
      '(deny network-outbound (remote unix-socket))',
      '(deny network-bind (local unix-socket))',
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Arguments after `sandbox-exec`. */
export function seatbeltArgs(profile: string, command: readonly string[]): string[] {
  return ['-p', profile, ...command];
}
