/**
 * What the agent may do without asking. Pure: every decision is a function of
 * the request, the settings and what the person allowed earlier in the task.
 *
 * - Commands: `denyCommands` are refused without asking, whatever the policy;
 *   under `full-auto` a command runs when every simple command of it matches
 *   `allowCommands`; otherwise it waits for approval. "Allow for this task"
 *   adds a program (first word) to the task's allowed set.
 * Paths are decided by the workspace boundary (src/shared/boundary).
 */
import type { ApprovalPolicy } from '../../shared/agentProtocol';
import { parseCommandLine, programName, type SimpleCommand } from './commandParse';

/** Refused without asking unless the person's settings say otherwise. */
export const DEFAULT_DENY_COMMANDS: readonly string[] = [
  'rm -rf',
  'sudo',
  'su',
  'doas',
  'git push',
  'git reset --hard',
  'git clean -f',
  'mkfs',
  'dd',
  'shutdown',
  'reboot',
  'chmod -R',
  'chown -R',
  'npm publish',
  'curl | sh',
  'curl | bash',
  'wget | sh',
  'wget | bash',
];

/** Run without asking under `full-auto` by default: tests, builds, read-only git. */
export const DEFAULT_ALLOW_COMMANDS: readonly string[] = [
  'npm test',
  'npm run test',
  'npm run build',
  'npm run lint',
  'npx tsc',
  'pytest',
  'go test',
  'go build',
  'cargo test',
  'cargo build',
  'git status',
  'git diff',
  'git log',
  'ls',
  'cat',
  'pwd',
];

export type CommandDecision = { action: 'run' } | { action: 'ask'; reason: string } | { action: 'deny'; reason: string };

export interface CommandPolicyInput {
  policy: ApprovalPolicy;
  allowCommands: readonly string[];
  denyCommands: readonly string[];
  /** Programs the person allowed "for this task". */
  allowedPrograms?: ReadonlySet<string>;
}

export function decideCommand(command: string, input: CommandPolicyInput): CommandDecision {
  const parsed = parseCommandLine(command);
  const commands = parsed.pipelines.flat();
  if (commands.length === 0) {
    return parsed.ok ? { action: 'deny', reason: 'The command is empty.' } : { action: 'ask', reason: 'The command could not be read (unbalanced quotes or brackets).' };
  }
  for (const pattern of input.denyCommands) {
    const hit = pattern.includes('|') ? parsed.pipelines.find((pipeline) => matchesPipeline(pipeline, pattern)) : commands.find((words) => matchesCommand(words, pattern));
    if (hit) {
      return { action: 'deny', reason: `\`${hit.flat().join(' ')}\` matches the deny-list entry \`${pattern}\`.` };
    }
  }
  if (!parsed.ok) {
    return { action: 'ask', reason: 'The command could not be fully read (unbalanced quotes or brackets).' };
  }
  const allowedForTask = (words: SimpleCommand): boolean => input.allowedPrograms?.has(programName(words)) === true;
  if (commands.every(allowedForTask)) {
    return { action: 'run' };
  }
  if (input.policy === 'full-auto') {
    const notAllowed = commands.find((words) => !allowedForTask(words) && !input.allowCommands.some((pattern) => matchesCommand(words, pattern)));
    return notAllowed ? { action: 'ask', reason: `\`${notAllowed.join(' ')}\` is not on the allow-list.` } : { action: 'run' };
  }
  return { action: 'ask', reason: input.policy === 'ask' ? 'Every command needs approval.' : 'Commands need approval under auto-edit.' };
}

/**
 * `pattern` words are a prefix of the command's words; the program compares
 * by name (`/usr/bin/sudo` is `sudo`), `*` matches any one word, and a flag
 * word like `-rf` matches when the command has all those letters as flags
 * (`rm -r -f`, `rm -fr`, `rm --recursive --force` … the short ones).
 */
export function matchesCommand(words: SimpleCommand, pattern: string): boolean {
  const wanted = pattern.trim().split(/\s+/).filter(Boolean);
  if (wanted.length === 0 || programName(words) !== programName(wanted)) return false;
  const rest = words.slice(1);
  let position = 0;
  for (const want of wanted.slice(1)) {
    if (/^-[A-Za-z]+$/.test(want)) {
      if (!hasFlags(rest, want.slice(1))) return false;
      continue;
    }
    // Non-flag words must appear in order, skipping the command's options.
    let found = false;
    while (position < rest.length) {
      const word = rest[position++] ?? '';
      if (want === '*' || word === want) {
        found = true;
        break;
      }
      if (!word.startsWith('-')) return false;
    }
    if (!found) return false;
  }
  return true;
}

const LONG_FLAGS: Readonly<Record<string, string>> = { recursive: 'r', force: 'f' };

function hasFlags(words: readonly string[], letters: string): boolean {
  const present = new Set<string>();
  for (const word of words) {
    if (/^-[A-Za-z]+$/.test(word)) for (const letter of word.slice(1)) present.add(letter.toLowerCase());
    const long = /^--([a-z-]+)$/.exec(word)?.[1];
    if (long && LONG_FLAGS[long]) present.add(LONG_FLAGS[long]);
  }
  return [...letters.toLowerCase()].every((letter) => present.has(letter));
}

/** `curl | sh`: a command matching the left side piped (later) into one matching the right. */
function matchesPipeline(pipeline: readonly SimpleCommand[], pattern: string): boolean {
  const parts = pattern.split('|').map((part) => part.trim());
  let index = 0;
  for (const words of pipeline) {
    const part = parts[index];
    if (part !== undefined && matchesCommand(words, part)) index += 1;
  }
  return index === parts.length;
}
