/**
 * tandem/checks/security: the editor asks for the security verdict of a change
 * set as it opens its review (chat Apply, code actions, the API). The
 * request is checked where it enters; a malformed one is refused, never
 * checked half-understood. Documented in docs/protocol.md.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import type { AuditLinks } from '../../../shared/audit';
import { SecurityCheckRequest, type SecurityCheckParams, type SecurityCheckResult } from '../../../shared/checksProtocol';
import type { ChangeSet, EditFormat, FileChange } from '../../../shared/edits';
import { isRecord } from '../../../shared/guards';
import type { ServiceLog } from '../../log';
import { NO_AUDIT, type AuditSink } from '../audit/trail';
import { runSecurityChecks } from './record';

const MAX_ID = 200;
const MAX_PATH = 4096;
const MAX_FILES = 2_000;
/** Text of every file together: the checks are linear, but a client must not make the service read without bound. */
const MAX_TEXT = 32 * 1024 * 1024;
const FORMATS: readonly EditFormat[] = ['applyPatch', 'searchReplace', 'unifiedDiff', 'codeBlock'];

export interface ChecksFeatureDeps {
  log: ServiceLog;
  audit?: AuditSink;
}

export function registerChecks(connection: Connection, deps: ChecksFeatureDeps): void {
  const audit = deps.audit ?? NO_AUDIT;
  connection.onRequest(SecurityCheckRequest.type, async (raw: unknown): Promise<SecurityCheckResult | ResponseError<void>> => {
    const parsed = parseSecurityCheckParams(raw);
    if (typeof parsed === 'string') {
      deps.log.warn(`Refused a malformed ${SecurityCheckRequest.method}: ${parsed}`);
      return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${SecurityCheckRequest.method} params: ${parsed}`);
    }
    const { changeSet, proposalId, reviewId, task, step } = parsed;
    const links: AuditLinks & { review?: string } = {
      ...(proposalId ? { proposal: proposalId } : {}),
      ...(reviewId ? { review: reviewId } : {}),
      ...(task ? { task } : {}),
      ...(step ? { step } : {}),
    };
    return runSecurityChecks(changeSet, audit, links);
  });
}

function id(value: unknown): value is string | undefined {
  return value === undefined || (typeof value === 'string' && value.length > 0 && value.length <= MAX_ID);
}

function pathText(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_PATH;
}

/** The params as far as they are well-formed, or why not. Pure. */
export function parseSecurityCheckParams(raw: unknown): SecurityCheckParams | string {
  if (!isRecord(raw)) return 'not an object';
  const { proposalId, reviewId, task, step } = raw;
  if (!id(proposalId) || !id(reviewId) || !id(task) || !id(step)) return 'an id is not a short string';
  const changeSet = raw.changeSet;
  if (!isRecord(changeSet) || !Array.isArray(changeSet.changes)) return 'no changeSet.changes';
  if (changeSet.changes.length > MAX_FILES) return `more than ${MAX_FILES} files`;
  const changes: FileChange[] = [];
  let size = 0;
  for (const change of changeSet.changes as unknown[]) {
    if (!isRecord(change) || !pathText(change.path)) return 'a change without a path';
    const { kind, path, oldText, newText, moveTo } = change;
    if (kind === 'update' && typeof oldText === 'string' && typeof newText === 'string' && (moveTo === undefined || pathText(moveTo))) {
      changes.push({ kind, path, oldText, newText, ...(moveTo ? { moveTo } : {}) });
      size += oldText.length + newText.length;
    } else if (kind === 'add' && typeof newText === 'string') {
      changes.push({ kind, path, newText });
      size += newText.length;
    } else if (kind === 'delete' && typeof oldText === 'string') {
      changes.push({ kind, path, oldText });
      size += oldText.length;
    } else {
      return `a malformed change of ${path}`;
    }
    if (size > MAX_TEXT) return 'the change set is too large to check';
  }
  const format = FORMATS.find((known) => known === changeSet.format) ?? 'codeBlock';
  const checked: ChangeSet = { format, changes, ...(typeof changeSet.proposalId === 'string' && id(changeSet.proposalId) ? { proposalId: changeSet.proposalId } : {}) };
  return {
    changeSet: checked,
    ...(proposalId ? { proposalId } : {}),
    ...(reviewId ? { reviewId } : {}),
    ...(task ? { task } : {}),
    ...(step ? { step } : {}),
  };
}
