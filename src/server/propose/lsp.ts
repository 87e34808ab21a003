/**
 * Edit proposals over LSP: tandem/proposeEdit (ask the model, turn its answer
 * into a change set) and tandem/parseEdit (the same for an answer the client
 * already has, e.g. a chat reply). Nothing is written here.
 */
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { WorkspaceBoundary } from '../../shared/boundary/boundary';
import { ParseEditRequest, ProposeEditRequest } from '../../shared/protocol';
import { applyEdits } from '../edits';
import type { ServiceLog } from '../log';
import type { StreamChat } from '../providers/openaiChat';
import { recordProposal } from '../services/audit/events';
import { NO_AUDIT, type AuditSink } from '../services/audit/trail';
import type { DataBoundary } from '../services/dataBoundary';
import { answerSink, type StreamingRequests } from '../services/requests';
import { guardOutcome, workspaceReader } from '../services/workspaceFiles';
import { runProposeEdit } from './proposeEdit';
import { parseParseEditParams, parseProposeEditParams } from './validateEdit';

export interface ProposeFeatureDeps {
  log: ServiceLog;
  requests: StreamingRequests;
  audit?: AuditSink;
  boundary: DataBoundary;
  /** How answers are streamed (the wiring routes the built-in model's); default: the OpenAI-compatible HTTP provider. */
  stream?: StreamChat;
}

export function registerPropose(connection: Connection, deps: ProposeFeatureDeps): void {
  const { log } = deps;
  const audit = deps.audit ?? NO_AUDIT;
  const sink = { ...answerSink(connection, log), audit, ...(deps.stream ? { stream: deps.stream } : {}) };
  connection.onRequest(
    ProposeEditRequest.type,
    deps.requests.handler(ProposeEditRequest.method, parseProposeEditParams, async (params, settings, signal) => {
      const result = await runProposeEdit(params, settings, signal, { ...sink, boundary: deps.boundary });
      if (result.outcome && !result.outcome.ok) {
        log.warn(`tandem/proposeEdit: not applicable: ${result.outcome.failures.map((failure) => failure.kind).join(', ')}`);
      }
      return result;
    }),
  );

  connection.onRequest(ParseEditRequest.type, (raw: unknown) => {
    const parsed = parseParseEditParams(raw);
    if (!parsed.ok) {
      return new ResponseError(ErrorCodes.InvalidParams, `Invalid tandem/parseEdit params: ${parsed.error}`);
    }
    const { text, root, files, defaultPath, selection } = parsed.value;
    const boundary = new WorkspaceBoundary(root);
    const outcome = applyEdits({
      text,
      readFile: workspaceReader(root, files, boundary),
      ...(defaultPath ? { defaultPath } : {}),
      ...(selection ? { selection } : {}),
    });
    const guarded = guardOutcome(outcome, boundary);
    // Apply on a chat answer: the model's text, turned into a proposal at the person's request.
    if (guarded.ok) recordProposal(audit, guarded.changeSet, { actor: 'model', origin: 'chatApply' });
    return guarded;
  });
}
