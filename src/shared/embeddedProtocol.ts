/**
 * Downloading a built-in model (src/shared/embeddedCatalogue.ts) through the
 * model service, so every editor that runs `tandem lsp` gets the same
 * resumable, verified download. Declared once here, imported by both sides,
 * documented in docs/protocol.md ("Built-in model").
 */
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';

export interface EmbeddedDownloadParams {
  /** Chosen by the client; the progress notifications carry it. */
  downloadId: string;
  /** An absolute folder for the models (VS Code: the extension's global storage + `/models`). Created when missing. */
  directory: string;
  /** A catalogue id; absent: the model the service picks for this machine's memory. */
  modelId?: string;
}

/** Why a download did not end with a verified file. */
export type EmbeddedDownloadFailure =
  | 'cancelled'
  | 'diskSpace'
  | 'checksum'
  | 'size'
  | 'notFound'
  | 'http'
  | 'redirects'
  | 'insecure'
  | 'network'
  | 'unverified'
  | 'busy'
  | 'invalid';

export interface EmbeddedDownloadResult {
  modelId: string;
  /** The verified model file; '' when there is none. */
  path: string;
  /** The file was already there and verified: nothing was downloaded. */
  alreadyPresent: boolean;
  /** Set when there is no verified file: why, in a sentence for a person. A `.part` file may stay behind for the next try. */
  error?: { reason: EmbeddedDownloadFailure; message: string };
}

export namespace EmbeddedDownloadRequest {
  export const method = 'tandem/embedded/download';
  export const type = new RequestType<EmbeddedDownloadParams, EmbeddedDownloadResult, void>(method);
}

export type EmbeddedDownloadPhase = 'checking' | 'downloading' | 'verifying';

export interface EmbeddedDownloadProgressParams {
  downloadId: string;
  phase: EmbeddedDownloadPhase;
  /** Bytes of the file on disk so far (a resumed download starts above 0). */
  receivedBytes: number;
  totalBytes: number;
  /** Recent speed; 0 until it can be measured. */
  bytesPerSecond: number;
  /** Estimated from the recent speed; absent while unknown. */
  secondsLeft?: number;
}

export namespace EmbeddedDownloadProgressNotification {
  export const method = 'tandem/embedded/downloadProgress';
  export const type = new NotificationType<EmbeddedDownloadProgressParams>(method);
}
