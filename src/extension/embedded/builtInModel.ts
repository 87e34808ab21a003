/**
 * Where the extension keeps the built-in model and how it tells the service:
 * `<globalStorage>/models/<fileName>`, announced as `embedded.builtInModelPath`
 * in the answer to workspace/configuration (docs/protocol.md, "Built-in
 * model"). No runtime `vscode` import: the unit tests run it as it is.
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { catalogue, formatBytes, modelForMemory, type CatalogueModel } from '../../shared/embeddedCatalogue';
import type { EmbeddedDownloadProgressParams } from '../../shared/embeddedProtocol';
import { isRecord } from '../../shared/guards';

export function modelsDirectory(globalStorage: string): string {
  return path.join(globalStorage, 'models');
}

/** The catalogue's models in the order this machine prefers them: the one its memory calls for first. */
export function builtInCandidates(env: NodeJS.ProcessEnv = process.env, totalMemory: number = os.totalmem()): CatalogueModel[] {
  const models = catalogue(env);
  const preferred = modelForMemory(totalMemory, models);
  return [preferred, ...models.filter((model) => model !== preferred)];
}

/**
 * The downloaded model's path, or '' when there is none. The downloader only
 * ever puts a verified file under the final name, so a regular file of the
 * catalogue's exact size is taken as installed; hashing a gigabyte on every
 * settings read would not do.
 */
export async function installedBuiltInModel(directory: string, env: NodeJS.ProcessEnv = process.env, totalMemory: number = os.totalmem()): Promise<string> {
  let candidates: CatalogueModel[];
  try {
    candidates = builtInCandidates(env, totalMemory);
  } catch {
    return '';
  }
  for (const model of candidates) {
    const file = path.join(directory, model.fileName);
    try {
      const stats = await fs.lstat(file);
      if (stats.isFile() && stats.size === model.sizeBytes) return file;
    } catch {
      // Not there: the next candidate.
    }
  }
  return '';
}

/** The `tandem` section with `embedded.builtInModelPath` set, keeping the person's `embedded.*` settings. */
export function withBuiltInModelPath(section: Record<string, unknown>, builtInModelPath: string): Record<string, unknown> {
  const embedded = isRecord(section.embedded) ? section.embedded : {};
  return { ...section, embedded: { ...embedded, builtInModelPath } };
}

/** "312 MB of 1.0 GB · 8.1 MB/s · about 2 min left", for the download's notification. */
export function describeProgress(progress: EmbeddedDownloadProgressParams): string {
  if (progress.phase === 'checking') return progress.receivedBytes > 0 ? `Resuming at ${formatBytes(progress.receivedBytes)}…` : 'Starting…';
  if (progress.phase === 'verifying') return 'Checking the SHA-256…';
  const parts = [`${formatBytes(progress.receivedBytes)} of ${formatBytes(progress.totalBytes)}`];
  if (progress.bytesPerSecond > 0) parts.push(`${formatBytes(progress.bytesPerSecond)}/s`);
  if (progress.secondsLeft !== undefined) parts.push(`${timeLeft(progress.secondsLeft)} left`);
  return parts.join(' · ');
}

function timeLeft(seconds: number): string {
  if (seconds < 60) return `${Math.max(1, Math.round(seconds))} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  return `about ${(seconds / 3600).toFixed(1)} h`;
}
