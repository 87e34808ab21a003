/**
 * `tandem/embedded/download` (docs/protocol.md, "Built-in model"): downloads a
 * catalogue model into the folder the client names, with
 * `tandem/embedded/downloadProgress` notifications; LSP cancellation stops it
 * and leaves a part that the next request resumes. In the service rather than
 * the VS Code extension so that every editor gets the same verified download.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver/node';
import { catalogue, findCatalogueModel, modelForMemory, type CatalogueModel } from '../../../shared/embeddedCatalogue';
import {
  EmbeddedDownloadProgressNotification,
  EmbeddedDownloadRequest,
  type EmbeddedDownloadParams,
  type EmbeddedDownloadResult,
} from '../../../shared/embeddedProtocol';
import { errorMessage, isRecord } from '../../../shared/guards';
import { abortOnCancel } from '../../util/abort';
import { DownloadError, downloadVerified, type DownloadOptions } from './download';

export interface ModelDownloadDeps {
  log: { info(message: string): void; warn(message: string): void };
  env?: NodeJS.ProcessEnv;
  /** Tests: the downloader's knobs (disk space, retry delays). */
  options?: Omit<DownloadOptions, 'signal' | 'onProgress'>;
  totalMemory?: () => number;
}

const MAX_ID_CHARS = 200;
const MAX_DIRECTORY_CHARS = 4_096;

export function registerModelDownload(connection: Connection, deps: ModelDownloadDeps): void {
  // One download per destination: a second request would write the same part.
  const running = new Set<string>();
  connection.onRequest(EmbeddedDownloadRequest.type, async (raw: unknown, token): Promise<EmbeddedDownloadResult | ResponseError> => {
    const params = parseParams(raw);
    if (typeof params === 'string') return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${EmbeddedDownloadRequest.method} params: ${params}`);
    let models: readonly CatalogueModel[];
    try {
      models = catalogue(deps.env ?? process.env);
    } catch (error) {
      return new ResponseError(ErrorCodes.InternalError, errorMessage(error));
    }
    const model = params.modelId ? findCatalogueModel(params.modelId, models) : modelForMemory((deps.totalMemory ?? os.totalmem)(), models);
    if (!model) return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${EmbeddedDownloadRequest.method} params: no built-in model ${params.modelId ?? ''}`);
    const destination = path.join(params.directory, model.fileName);
    if (running.has(destination)) {
      return { modelId: model.id, path: '', alreadyPresent: false, error: { reason: 'busy', message: `${model.label} is already being downloaded.` } };
    }
    running.add(destination);
    const { controller, dispose } = abortOnCancel(token);
    const started = Date.now();
    try {
      const outcome = await downloadVerified(
        { url: model.url, sizeBytes: model.sizeBytes, sha256: model.sha256, destination },
        {
          ...deps.options,
          signal: controller.signal,
          onProgress: (progress) => void connection.sendNotification(EmbeddedDownloadProgressNotification.type, { downloadId: params.downloadId, ...progress }).catch(() => undefined),
        },
      );
      deps.log.info(`${EmbeddedDownloadRequest.method}: ${model.id} ${outcome.alreadyPresent ? 'already present' : `verified in ${Date.now() - started} ms`} at ${outcome.path}`);
      return { modelId: model.id, path: outcome.path, alreadyPresent: outcome.alreadyPresent };
    } catch (error) {
      const failure = error instanceof DownloadError ? error : new DownloadError('network', errorMessage(error));
      deps.log.warn(`${EmbeddedDownloadRequest.method}: ${model.id} not installed (${failure.reason}): ${failure.message}`);
      return { modelId: model.id, path: '', alreadyPresent: false, error: { reason: failure.reason, message: failure.message } };
    } finally {
      running.delete(destination);
      dispose();
    }
  });
}

export function parseParams(raw: unknown): EmbeddedDownloadParams | string {
  if (!isRecord(raw)) return 'expected an object';
  const { downloadId, directory, modelId } = raw;
  if (typeof downloadId !== 'string' || downloadId.length === 0 || downloadId.length > MAX_ID_CHARS) return 'downloadId must be a non-empty string';
  if (typeof directory !== 'string' || directory.length > MAX_DIRECTORY_CHARS || directory.includes('\0') || !path.isAbsolute(directory)) {
    return 'directory must be an absolute path';
  }
  if (modelId !== undefined && (typeof modelId !== 'string' || modelId.length === 0 || modelId.length > MAX_ID_CHARS)) return 'modelId must be a catalogue id';
  return { downloadId, directory: path.normalize(directory), ...(typeof modelId === 'string' ? { modelId } : {}) };
}
