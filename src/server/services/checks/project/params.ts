/**
 * Checks tandem/checks/project params (untrusted JSON) and returns a clean
 * copy: settings clamped, the change set's paths checked as text (the copy
 * decides them again on disk). Pure.
 */
import path from 'node:path';
import type { SandboxInfo } from '../../../../shared/agentProtocol';
import { PROJECT_CHECK_KINDS, type ProjectCheckKind } from '../../../../shared/checks';
import { DEFAULT_DENY_COMMANDS } from '../../../../shared/defaults';
import type { ChangeSet, FileChange } from '../../../../shared/edits';
import { isRecord, oneOf } from '../../../../shared/guards';
import { PROJECT_CHECK_ORIGINS, type ProjectCheckConfig, type ProjectChecksParams, type ProjectChecksSettings } from '../../../../shared/projectChecksProtocol';
import { APPROVAL_POLICIES, isApprovalPolicy, isSandboxKind } from '../../../../shared/vocabulary';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** Most checks one run takes; more is a mistake in the settings. */
export const MAX_CHECKS = 16;
export const MIN_TIMEOUT_SECONDS = 5;
export const MAX_TIMEOUT_SECONDS = 3_600;
const MAX_ID = 200;
const MAX_PATH = 4_096;
const MAX_NAME = 80;
const MAX_COMMAND = 16_384;
/** A proposal larger than this is not copied and checked (the review shows it; its checks are skipped). */
export const MAX_CHANGE_SET_FILES = 2_000;

const isKind = oneOf(PROJECT_CHECK_KINDS);
const isOrigin = oneOf(PROJECT_CHECK_ORIGINS);

export function parseProjectChecksParams(input: unknown): Parsed<ProjectChecksParams> {
  if (!isRecord(input)) return fail('params must be an object');
  const { folder, reviewId, proposalId, runId } = input;
  if (typeof folder !== 'string' || !path.isAbsolute(folder) || folder.length > MAX_PATH) return fail('folder must be an absolute path');
  if (!id(reviewId)) return fail('reviewId must be a non-empty string');
  if (!id(runId)) return fail('runId must be a non-empty string');
  if (proposalId !== undefined && !id(proposalId)) return fail('proposalId must be a non-empty string');
  const changeSet = parseChangeSet(input.changeSet);
  if (typeof changeSet === 'string') return fail(changeSet);
  const settings = parseSettings(input.settings);
  if (typeof settings === 'string') return fail(settings);
  return {
    ok: true,
    value: { folder: path.resolve(folder), changeSet, reviewId: reviewId as string, runId: runId as string, settings, ...(typeof proposalId === 'string' ? { proposalId } : {}) },
  };
}

function parseChangeSet(input: unknown): ChangeSet | string {
  if (!isRecord(input) || !Array.isArray(input.changes)) return 'changeSet must be an object with changes';
  if (input.changes.length > MAX_CHANGE_SET_FILES) return `changeSet has more than ${MAX_CHANGE_SET_FILES} files`;
  const changes: FileChange[] = [];
  for (const change of input.changes as unknown[]) {
    if (!isRecord(change) || !text(change.path, MAX_PATH)) return 'every change needs a path';
    if (change.kind === 'update' && typeof change.oldText === 'string' && typeof change.newText === 'string') {
      if (change.moveTo !== undefined && !text(change.moveTo, MAX_PATH)) return 'moveTo must be a path';
      changes.push({ kind: 'update', path: change.path, oldText: change.oldText, newText: change.newText, ...(typeof change.moveTo === 'string' ? { moveTo: change.moveTo } : {}) });
    } else if (change.kind === 'add' && typeof change.newText === 'string') {
      changes.push({ kind: 'add', path: change.path, newText: change.newText });
    } else if (change.kind === 'delete' && typeof change.oldText === 'string') {
      changes.push({ kind: 'delete', path: change.path, oldText: change.oldText });
    } else {
      return `the change of ${change.path} is not an update, add or delete with its texts`;
    }
  }
  const format = ['applyPatch', 'searchReplace', 'unifiedDiff', 'codeBlock'].includes(input.format as string) ? (input.format as ChangeSet['format']) : 'codeBlock';
  return { format, changes, ...(id(input.proposalId) ? { proposalId: input.proposalId as string } : {}) };
}

/** Missing fields fail closed: the strictest policy, the default deny list, no sandbox. */
export function parseSettings(input: unknown): ProjectChecksSettings | string {
  if (!isRecord(input)) return 'settings must be an object';
  const out: ProjectChecksSettings = { checks: null, origin: 'default', policy: 'ask', allowCommands: [], denyCommands: [...DEFAULT_DENY_COMMANDS], sandbox: { kind: 'none', network: false, reason: 'The editor did not report a sandbox.' } };
  if (input.origin !== undefined) {
    if (!isOrigin(input.origin)) return `settings.origin must be one of ${PROJECT_CHECK_ORIGINS.join(', ')}`;
    out.origin = input.origin;
  }
  if (input.policy !== undefined) {
    if (!isApprovalPolicy(input.policy)) return `settings.policy must be one of ${APPROVAL_POLICIES.join(', ')}`;
    out.policy = input.policy;
  }
  for (const key of ['allowCommands', 'denyCommands'] as const) {
    const value = input[key];
    if (value === undefined) continue;
    if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) return `settings.${key} must be an array of strings`;
    out[key] = (value as string[]).map((item) => item.trim()).filter(Boolean);
  }
  if (input.sandbox !== undefined) {
    const sandbox = input.sandbox;
    if (!isRecord(sandbox) || !isSandboxKind(sandbox.kind)) return 'settings.sandbox must be a sandbox';
    out.sandbox = { kind: sandbox.kind, network: sandbox.network === true, ...(typeof sandbox.reason === 'string' ? { reason: sandbox.reason.slice(0, 500) } : {}) } satisfies SandboxInfo;
  }
  if (input.checks !== undefined && input.checks !== null) {
    const checks = parseCheckConfigs(input.checks);
    if (typeof checks === 'string') return checks;
    out.checks = checks;
  }
  return out;
}

/**
 * `tandem.checks` as the person (or a workspace) wrote it. Entries without
 * a name or a command are errors, not dropped: a check the person asked
 * for must not vanish silently.
 */
export function parseCheckConfigs(input: unknown): ProjectCheckConfig[] | string {
  if (!Array.isArray(input)) return 'tandem.checks must be an array (or null to find the checks)';
  if (input.length > MAX_CHECKS) return `tandem.checks has more than ${MAX_CHECKS} checks`;
  const checks: ProjectCheckConfig[] = [];
  for (const [index, entry] of input.entries()) {
    const where = `tandem.checks[${index}]`;
    if (!isRecord(entry)) return `${where} must be an object with a name and a command`;
    if (!text(entry.name, MAX_NAME)) return `${where}.name must be a non-empty string of at most ${MAX_NAME} characters`;
    if (!text(entry.command, MAX_COMMAND)) return `${where}.command must be a non-empty string`;
    if (entry.kind !== undefined && !isKind(entry.kind)) return `${where}.kind must be one of ${PROJECT_CHECK_KINDS.join(', ')}`;
    if (entry.timeoutSeconds !== undefined && (typeof entry.timeoutSeconds !== 'number' || !Number.isFinite(entry.timeoutSeconds))) return `${where}.timeoutSeconds must be a number`;
    checks.push({
      name: (entry.name as string).trim(),
      command: (entry.command as string).trim(),
      kind: (entry.kind as ProjectCheckKind | undefined) ?? 'custom',
      ...(typeof entry.timeoutSeconds === 'number' ? { timeoutSeconds: clampTimeout(entry.timeoutSeconds) } : {}),
    });
  }
  return checks;
}

export function clampTimeout(seconds: number): number {
  return Math.min(MAX_TIMEOUT_SECONDS, Math.max(MIN_TIMEOUT_SECONDS, Math.floor(seconds)));
}

function id(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID;
}

function text(value: unknown, max: number): value is string {
  return typeof value === 'string' && value.trim().length > 0 && value.length <= max && !/[\u0000-\u001f]/.test(value);
}

function fail<T>(error: string): Parsed<T> {
  return { ok: false, error };
}
