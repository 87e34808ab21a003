/**
 * What the agent may run without asking. Fails closed: a command runs
 * unasked only when it is plain, allowed, known-safe option by option and
 * path by path (commands/runCheck.ts), and an OS sandbox is there to run it
 * in. It is refused without asking when anything it would run — behind
 * wrappers, in substitutions, in options and variables that run programs —
 * matches the deny list, or when a command is hidden where the text cannot
 * show it (the deny list could not be checked). Everything else asks, with
 * the reason. "Allow for this task" adds a program to what is allowed; it
 * never passes the deny list or the other checks.
 */
import type { ApprovalPolicy, SandboxInfo } from '../../../shared/agentProtocol';
import { compileDenyList, describeDenyHit, matchDenyList } from './denyList';
import { collectInvocations } from './invocations';
import { parseScript } from './parse';
import type { CommandWorkspace } from './programs';
import { plainPrograms, whyAsk } from './runCheck';
import { describeControl, findControl } from './word';

export type { CommandWorkspace } from './programs';

/** Longer command lines are not checked (nor run). */
export const MAX_COMMAND_CHARS = 16_384;

export type CommandDecision = { action: 'run' } | { action: 'ask'; reason: string } | { action: 'deny'; reason: string };

export interface CommandPolicyInput {
  policy: ApprovalPolicy;
  allowCommands: readonly string[];
  denyCommands: readonly string[];
  /** Programs the person allowed "for this task". */
  allowedPrograms?: ReadonlySet<string>;
  /** The sandbox the client runs unasked commands in; with `none` every command asks. */
  sandbox: SandboxInfo;
  /** Paths in the command are decided by the workspace boundary. */
  workspace: CommandWorkspace;
}

export function decideCommand(command: string, input: CommandPolicyInput): CommandDecision {
  if (command.trim() === '') return { action: 'deny', reason: 'The command is empty.' };
  if (command.length > MAX_COMMAND_CHARS) {
    return { action: 'deny', reason: `The command is ${command.length} characters long; Tandem checks and runs commands of at most ${MAX_COMMAND_CHARS}.` };
  }
  const control = findControl(command);
  if (control >= 0) {
    const what = describeControl(command.charCodeAt(control));
    return { action: 'deny', reason: `The command contains the control character ${what} at character ${control + 1}; it never runs (a control character can make a terminal run or show something else).` };
  }
  const parsed = parseScript(command);
  const facts = collectInvocations(parsed.script);
  const refused = facts.refused[0];
  if (refused) return { action: 'deny', reason: `Refused: ${refused}.` };
  const denyList = compileDenyList(input.denyCommands);
  for (const pipeline of facts.pipelines) {
    const hit = matchDenyList(pipeline, denyList);
    if (hit) return { action: 'deny', reason: describeDenyHit(hit) };
  }
  if (denyList.length > 0) {
    const unreadable = parsed.issues.find((issue) => issue.kind === 'too-deep' || issue.kind === 'unreliable');
    if (unreadable) return { action: 'deny', reason: `Tandem cannot read all of the command (${unreadable.message}), so a deny-listed command could hide in it.` };
    const hidden = facts.hidden[0];
    if (hidden) return { action: 'deny', reason: `${capitalise(hidden)}; a deny-listed command could hide there, so it is refused.` };
  }
  const nested = facts.issues[0];
  if (nested) return { action: 'ask', reason: `A script inside the command could not be fully read: ${nested.message}.` };
  const why = whyAsk(parsed, { policy: input.policy, allowCommands: input.allowCommands, allowedPrograms: input.allowedPrograms ?? new Set(), workspace: input.workspace });
  if (why) return { action: 'ask', reason: why };
  if (input.sandbox.kind === 'none') {
    return { action: 'ask', reason: `No OS sandbox is available${input.sandbox.reason ? ` (${input.sandbox.reason.replace(/\.$/, '')})` : ''}, so commands run only after you approve them.` };
  }
  return { action: 'run' };
}

/** The programs "Allow for this task" adds after the person approved `command`: its plain top-level programs, never a wrapper. */
export function programsToAllow(command: string): string[] {
  if (command.length > MAX_COMMAND_CHARS || findControl(command) >= 0) return [];
  return plainPrograms(parseScript(command));
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
