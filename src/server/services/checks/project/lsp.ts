/**
 * The project checks over LSP (docs/protocol.md, "Project checks"):
 * tandem/checks/project from the client (cancellable), progress as
 * tandem/checks/projectProgress, and each check's command run by the client
 * through tandem/checks/runCommand (cancelled with the run).
 */
import { CancellationTokenSource, ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import type { ProjectCheckResult } from '../../../../shared/checks';
import { ProjectChecksProgressNotification, ProjectChecksRequest, RunCheckCommandRequest } from '../../../../shared/projectChecksProtocol';
import type { AuditSink } from '../../audit/trail';
import { parseProjectChecksParams } from './params';
import { ProjectChecks } from './runner';
import { sweepStaleCopies } from './stale';

export interface ProjectChecksLspDeps {
  log: { warn(message: string): void };
  audit?: AuditSink;
}

export function registerProjectChecks(connection: Connection, deps: ProjectChecksLspDeps): ProjectChecks {
  const checks = new ProjectChecks({
    ...deps,
    client: {
      runCommand: async (params, signal) => {
        const source = new CancellationTokenSource();
        const onAbort = (): void => source.cancel();
        signal.addEventListener('abort', onAbort, { once: true });
        try {
          return await connection.sendRequest(RunCheckCommandRequest.type, params, source.token);
        } finally {
          signal.removeEventListener('abort', onAbort);
          source.dispose();
        }
      },
    },
  });
  // What a crashed service left in the temporary folder goes first (in the background).
  void sweepStaleCopies().catch(() => undefined);
  connection.onRequest(ProjectChecksRequest.type, async (raw: unknown, token): Promise<ProjectCheckResult[] | ResponseError> => {
    const parsed = parseProjectChecksParams(raw);
    if (!parsed.ok) return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${ProjectChecksRequest.method} params: ${parsed.error}`);
    const controller = new AbortController();
    const listener = token.onCancellationRequested(() => controller.abort('cancelled'));
    try {
      return await checks.run(parsed.value, controller.signal, (results) => {
        void connection.sendNotification(ProjectChecksProgressNotification.type, { runId: parsed.value.runId, results }).catch(() => undefined);
      });
    } finally {
      listener.dispose();
    }
  });
  return checks;
}
