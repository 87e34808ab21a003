/**
 * The requests that stream (chat, edit proposals, agent runs) share one
 * shape: params checked where they enter, the LSP cancellation turned into
 * an abort signal, the settings read, and every one still running ended (as
 * cancelled, with what it has) on shutdown.
 */
import { ErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { ChatDeltaNotification, ChatNoticeNotification, type TandemSettings } from '../../shared/protocol';
import type { ServiceLog } from '../log';
import { abortOnCancel } from '../util/abort';
import type { Parsed } from '../validate';
import type { AnswerSink } from './modelAnswer';

/** The deltas and notices of streaming requests, as notifications on `connection`. */
export function answerSink(connection: Connection, log: ServiceLog): AnswerSink {
  return {
    sendDelta: (delta) => void connection.sendNotification(ChatDeltaNotification.type, delta),
    sendNotice: (notice) => void connection.sendNotification(ChatNoticeNotification.type, notice),
    log,
  };
}

export type StreamingRun<P, R> = (params: P, settings: TandemSettings, signal: AbortSignal) => Promise<R>;

export class StreamingRequests {
  private readonly running = new Set<AbortController>();
  /** The handlers still running, so shutdown can wait for them to record how they ended. */
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly settings: () => Promise<TandemSettings>) {}

  /** The handler for `method`: `run` once `parse` accepted the params (else InvalidParams). */
  handler<P, R>(method: string, parse: (raw: unknown) => Parsed<P>, run: StreamingRun<P, R>): (raw: unknown, token: CancellationToken) => Promise<R | ResponseError> {
    return async (raw, token) => {
      const parsed = parse(raw);
      if (!parsed.ok) {
        return new ResponseError(ErrorCodes.InvalidParams, `Invalid ${method} params: ${parsed.error}`);
      }
      const { controller, dispose } = abortOnCancel(token);
      this.running.add(controller);
      const work = (async () => run(parsed.value, await this.settings(), controller.signal))();
      this.inFlight.add(work);
      try {
        return await work;
      } finally {
        this.inFlight.delete(work);
        this.running.delete(controller);
        dispose();
      }
    };
  }

  /** Resolves once every handler running now has ended, or after `timeoutMs`. */
  async settled(timeoutMs: number): Promise<void> {
    if (this.inFlight.size === 0) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
    await Promise.race([Promise.allSettled([...this.inFlight]), timeout]);
    clearTimeout(timer);
  }

  /** Shutdown: the answers in flight end now. */
  abortAll(): void {
    for (const controller of this.running) {
      controller.abort();
    }
  }
}
