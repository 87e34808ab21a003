/**
 * What the client asks about the model service itself: the models it offers
 * (tandem/listModels), the local servers running here (tandem/probeLocal) and
 * which service answers, in which state (tandem/serviceInfo).
 */
import type { Connection } from 'vscode-languageserver/node';
import { ListModelsRequest, ProbeLocalRequest, ServiceInfoRequest, type ListModelsResult, type ServiceInfoResult } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import { listModels } from '../providers/models';
import { probeLocal } from '../providers/probe';
import { refuseEndpoint } from '../services/dataBoundary';
import { effectiveBaseUrl, type ResolvedSettings } from '../settings';
import { buildStatus } from '../status';
import { abortOnCancel } from '../util/abort';
import { VERSION } from '../version';

export interface ModelsFeatureDeps {
  log: ServiceLog;
  settings(): Promise<ResolvedSettings>;
}

export function registerModels(connection: Connection, deps: ModelsFeatureDeps): void {
  const { log } = deps;
  connection.onRequest(ListModelsRequest.type, async (_params, token) => {
    const { controller, dispose } = abortOnCancel(token);
    try {
      const started = Date.now();
      const resolved = await deps.settings();
      // The model list carries the API key: under localOnly it does not go off this machine either.
      const baseUrl = effectiveBaseUrl(resolved.settings);
      const refused = baseUrl ? refuseEndpoint(baseUrl, resolved.settings) : undefined;
      const result: ListModelsResult = refused ? { baseUrl: baseUrl ?? '', models: [], error: refused } : await listModels(resolved, controller.signal);
      log.request({
        method: 'tandem/listModels',
        endpoint: result.baseUrl,
        status: result.error ? (result.error.status ?? result.error.kind) : 200,
        totalMs: Date.now() - started,
      });
      return result;
    } finally {
      dispose();
    }
  });

  connection.onRequest(ProbeLocalRequest.type, async (_params, token) => {
    const { controller, dispose } = abortOnCancel(token);
    try {
      const result = await probeLocal({ signal: controller.signal });
      log.info(`tandem/probeLocal found ${result.servers.map((server) => server.name).join(', ') || 'nothing'}`);
      return result;
    } finally {
      dispose();
    }
  });

  connection.onRequest(ServiceInfoRequest.type, async (): Promise<ServiceInfoResult> => {
    const resolved = await deps.settings();
    return { name: 'tandem', version: VERSION, pid: process.pid, status: buildStatus(resolved) };
  });
}
