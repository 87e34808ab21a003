/**
 * The audit service: what every feature records through (`AuditSink`), and
 * the trail's lifecycle as the settings say. It opens the chain when the
 * audit is on (`session.start`), writes `settings.changed` when Tandem's own
 * policy settings change, ends the session in the old folder before it moves
 * or stops (`session.end`: switching the audit off is itself recorded before
 * writing stops), and flushes at shutdown.
 *
 * `record()` is on the completion hot path: it builds one line and hands it
 * to the writer's buffer; nothing waits for the disk.
 *
 * Content fields (a proposal's diff; at contents `all` suggestions, prompts,
 * answers, command output) pass the secret scanner first (redact.ts), which
 * is asynchronous. Events still reach the chain and the listener exactly in
 * the order `record()` was called: an event with content waits for its scan,
 * and every event recorded after it waits behind it. An event without
 * content, with nothing waiting, is chained at once as before.
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditPolicy } from '../../../shared/audit';
import type { AuditStatusResult } from '../../../shared/auditProtocol';
import { errorMessage } from '../../../shared/guards';
import type { AuditContents } from '../../../shared/vocabulary';
import { effectiveBaseUrl, type AuditSettings, type ResolvedSettings } from '../../settings';
import { defaultAuditDirectory, expandDirectory } from './location';
import { defaultScanner, hasContent, REDACTION_TIMEOUT_MS, redactEvent, type SecretScanner } from './redact';
import { ChainWriter, type WriterOptions } from './writer';

/** What features need: whether to bother, how much content to keep, and the one call. */
export interface AuditSink {
  /** False when nothing is written: callers may skip building costly fields (hashes, diffs). */
  readonly active: boolean;
  readonly contents: AuditContents;
  /**
   * `sources`: the texts the event's content was cut from (a proposal's
   * files, before and after). Never written: scanned too, so a secret the
   * content shows only in part (the middle of a key block in a diff hunk)
   * is still recognised and taken out.
   */
  record(event: AuditEvent, sources?: readonly string[]): void;
}

/** Hears an event as it is recorded, before the writer stamps it; must not throw or wait. */
export type AuditListener = (event: AuditEvent, time: Date) => void;

/** Records nothing: the default of every feature that is given no trail (tests, benchmarks). */
export const NO_AUDIT: AuditSink = { active: false, contents: 'none', record: () => undefined };

/** The service and its client, as `session.start` names them. */
export interface SessionInfo {
  version: string;
  client?: { name: string; version?: string };
  folders: string[];
  /** The folder the client chose for the trail (VS Code: the workspace's storage). */
  clientDirectory?: string;
}

export interface TrailOptions {
  env: NodeJS.ProcessEnv;
  /** Said once per distinct problem (the service log). */
  onProblem?: (message: string) => void;
  /** The trail is written to `directory` from now on (the service log says where). */
  onOpen?: (directory: string, chain: number) => void;
  writer?: Omit<WriterOptions, 'onProblem'>;
  session?: string;
  pid?: number;
  /** The secret scan of content fields: the data boundary's scanner, and how long one event's scan may take. */
  redaction?: { scan?: SecretScanner; timeoutMs?: number };
}

/** An event waiting for its scan, or behind one that is. */
interface Queued {
  /** The event as it will be written (set once its scan is done; at once for an event without content). */
  event?: AuditEvent;
  /** Built when its turn comes (session.end counts the events written before it). */
  build?: () => AuditEvent;
  time: Date;
  scanned?: Promise<void>;
  /** Called right after the event was written (session.end lets the writer go here). */
  after?: () => void;
}

/** Events recorded while the chain is being opened wait here (bounded: a trail that never opens drops the rest). */
const MAX_EARLY = 10_000;

type PolicySnapshot = Record<string, unknown>;

export class AuditTrail implements AuditSink {
  readonly session: string;
  private writer: ChainWriter | undefined;
  private opening: Promise<void> | undefined;
  private early: Array<{ event: AuditEvent; time: Date }> = [];
  private audit: AuditSettings | undefined;
  private snapshot: PolicySnapshot | undefined;
  private info: SessionInfo = { version: '', folders: [] };
  private events = 0;
  private problem: string | undefined;
  private listener: AuditListener | undefined;
  /** Events in record order, the first waiting for its scan; empty when nothing waits. */
  private queue: Queued[] = [];
  /** The loop writing the queue, while it runs (set and cleared synchronously, so no entry is left behind). */
  private pumping: Promise<void> | undefined;
  private pumpRunning = false;
  private readonly scan: SecretScanner;
  private readonly scanTimeoutMs: number;
  /** Settings are applied one after the other, never interleaved (opening a chain is asynchronous). */
  private applying: Promise<void> = Promise.resolve();
  /** Resolves once the settings were applied the first time: before that, the trail's state is not known yet. */
  private readonly firstApplied: Promise<void>;
  private markApplied: () => void = () => undefined;

  constructor(private readonly options: TrailOptions) {
    this.session = options.session ?? randomUUID();
    this.firstApplied = new Promise((resolve) => (this.markApplied = resolve));
    this.scan = options.redaction?.scan ?? defaultScanner;
    this.scanTimeoutMs = options.redaction?.timeoutMs ?? REDACTION_TIMEOUT_MS;
  }

  get active(): boolean {
    return this.writer !== undefined || this.opening !== undefined || this.listener !== undefined;
  }

  get contents(): AuditContents {
    return this.audit?.contents ?? 'none';
  }

  /** The folder the trail is written to, or would be (read by the Audit Trail view even while writing is off). */
  get directory(): string | undefined {
    if (this.writer) return this.writer.dir;
    return this.audit ? this.resolveDirectory(this.audit) : undefined;
  }

  /** The client and folders, from `initialize`: before the first `apply`. */
  setSession(info: SessionInfo): void {
    this.info = info;
  }

  /**
   * Who else hears every event as it is recorded (the OTLP export), also
   * while the file is off; undefined = no one, and `record` costs nothing more.
   */
  setListener(listener: AuditListener | undefined): void {
    this.listener = listener;
  }

  record(event: AuditEvent, sources?: readonly string[]): void {
    if (!this.active) return;
    const time = new Date();
    const content = hasContent(event);
    if (!content && this.queue.length === 0) {
      this.emit(event, time);
      return;
    }
    const entry: Queued = { time };
    if (content) {
      const options = { scan: this.scan, timeoutMs: this.scanTimeoutMs, onProblem: (message: string) => this.report(message), ...(sources ? { sources } : {}) };
      entry.scanned = redactEvent(event, options).then((redacted) => {
        entry.event = redacted;
      });
    } else {
      entry.event = event;
    }
    this.enqueue(entry);
  }

  /** Resolves once every event recorded so far was written or heard (each scan is bounded by its timeout). */
  async settled(): Promise<void> {
    while (this.pumpRunning && this.pumping) await this.pumping;
  }

  private enqueue(entry: Queued): void {
    this.queue.push(entry);
    if (this.pumpRunning) return;
    this.pumpRunning = true;
    this.pumping = this.pump();
  }

  /** Writes the queue's events in order, each once its scan is done. */
  private async pump(): Promise<void> {
    try {
      for (let entry = this.queue[0]; entry; entry = this.queue[0]) {
        if (entry.scanned) await entry.scanned;
        this.queue.shift();
        const event = entry.event ?? entry.build?.();
        if (event) this.emit(event, entry.time);
        entry.after?.();
      }
    } finally {
      this.pumpRunning = false;
    }
  }

  private emit(event: AuditEvent, time: Date): void {
    const listener = this.listener;
    if (listener) {
      try {
        listener(event, time);
      } catch (error) {
        this.report(`Could not pass on audit events: ${errorMessage(error)}`);
      }
    }
    this.write(event, time);
  }

  private write(event: AuditEvent, time: Date): void {
    const writer = this.writer;
    if (writer) {
      try {
        writer.append({ time: time.toISOString(), session: this.session, ...event });
        this.events += 1;
      } catch (error) {
        // The audit never stops the work it records.
        this.report(`Could not record a ${event.type} event: ${errorMessage(error)}`);
      }
    } else if (this.opening && this.early.length < MAX_EARLY) {
      this.early.push({ event, time });
    }
  }

  /** The settings as now resolved: opens, moves or stops the trail, and records what changed. */
  apply(resolved: ResolvedSettings): Promise<void> {
    const run = this.applying.then(() => this.applyNow(resolved)).finally(() => this.markApplied());
    this.applying = run.catch(() => undefined);
    return run;
  }

  /** The trail's state; asked before the settings arrived (right after start), it waits for them a while. */
  async status(flush: boolean, waitMs = 10_000): Promise<AuditStatusResult> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([this.firstApplied, new Promise((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    await this.applying;
    if (flush) {
      await this.settled();
      await this.writer?.flush();
    }
    const result: AuditStatusResult = { enabled: this.audit?.enabled ?? false, contents: this.contents, events: this.events };
    if (this.writer) {
      result.directory = this.writer.dir;
      result.chain = this.writer.chain;
      const written = this.writer.lastWritten;
      if (written) result.lastSeq = written.seq;
    }
    const problem = this.writer?.problem ?? this.problem;
    if (problem) result.problem = problem;
    return result;
  }

  /** Shutdown (or exit): `session.end`, everything written, the chain given up. */
  async close(reason: 'shutdown' | 'exit'): Promise<void> {
    await this.applying;
    await this.stop(reason);
  }

  private async applyNow(resolved: ResolvedSettings): Promise<void> {
    const next = resolved.audit;
    const snapshot = policySnapshot(resolved);
    const changes = this.snapshot ? diffSnapshots(this.snapshot, snapshot) : [];
    const directory = next.enabled ? this.resolveDirectory(next) : undefined;
    const wasOpen = this.writer !== undefined;
    const first = this.snapshot === undefined;
    this.audit = next;
    this.snapshot = snapshot;

    if (wasOpen && (!next.enabled || directory !== this.writer?.dir)) {
      // Written to the old chain before it stops: switching the audit off (or away) is on the record.
      if (changes.length > 0) this.record({ type: 'settings.changed', actor: 'person', changes });
      await this.stop(next.enabled ? 'directoryChanged' : 'auditDisabled');
      if (!next.enabled) return;
    } else if (wasOpen) {
      if (changes.length > 0) this.record({ type: 'settings.changed', actor: 'person', changes });
      return;
    }
    if (!next.enabled) return;
    if (!directory) {
      this.report('The audit trail is on but has no folder: set tandem.audit.directory or TANDEM_AUDIT_DIR.');
      return;
    }
    await this.open(directory, resolved, wasOpen ? 'directoryChanged' : first ? 'start' : 'auditEnabled');
    // Turned on (or moved) by a change: the change itself follows the new chain's session.start.
    if (changes.length > 0) this.record({ type: 'settings.changed', actor: 'person', changes });
  }

  private resolveDirectory(audit: AuditSettings): string | undefined {
    if (audit.directory) return expandDirectory(audit.directory, this.options.env);
    return defaultAuditDirectory(this.info.clientDirectory, this.options.env);
  }

  private async open(directory: string, resolved: ResolvedSettings, reason: 'start' | 'auditEnabled' | 'directoryChanged'): Promise<void> {
    const opening = ChainWriter.open(directory, this.session, { ...this.options.writer, onProblem: (message) => this.report(message) });
    this.opening = opening.then(
      () => undefined,
      () => undefined,
    );
    try {
      this.writer = await opening;
      this.problem = undefined;
      this.options.onOpen?.(directory, this.writer.chain);
    } catch (error) {
      this.report(`Could not open the audit trail in ${directory}: ${errorMessage(error)}`);
      this.early = [];
      return;
    } finally {
      this.opening = undefined;
    }
    this.events = 0;
    const { settings } = resolved;
    // First in the new chain, ahead of events still waiting for a scan (those recorded while it opened follow it).
    this.emit({
      type: 'session.start',
      actor: 'service',
      version: this.info.version,
      pid: this.options.pid ?? process.pid,
      ...(this.info.client ? { client: this.info.client } : {}),
      folders: this.info.folders,
      endpointHost: hostOf(effectiveBaseUrl(settings)),
      model: settings.model,
      completionEndpointHost: hostOf(settings.completions.baseUrl || effectiveBaseUrl(settings)),
      completionModel: settings.completionModel,
      policy: resolved.policy,
      logContents: settings.logContents,
      audit: { contents: resolved.audit.contents, directory, chain: this.writer.chain },
      reason,
    }, new Date());
    const early = this.early;
    this.early = [];
    // Already passed to the listener when they were recorded.
    for (const { event, time } of early) this.write(event, time);
  }

  private async stop(reason: 'shutdown' | 'exit' | 'auditDisabled' | 'directoryChanged'): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    // After every event recorded before it (their scans included); the writer is let go once it is written.
    let ended = (): void => undefined;
    const written = new Promise<void>((resolve) => (ended = resolve));
    this.enqueue({
      time: new Date(),
      build: () => ({ type: 'session.end', actor: 'service', reason, events: this.events + 1 }),
      after: () => {
        if (this.writer === writer) this.writer = undefined;
        ended();
      },
    });
    await written;
    await writer.close();
  }

  private report(message: string): void {
    if (this.problem === message) return;
    this.problem = message;
    this.options.onProblem?.(message);
  }
}

/** Host and port of an endpoint ('' when none): where requests went, without paths, users or keys. */
export function hostOf(url: string | undefined): string {
  if (!url) return '';
  try {
    return new URL(url).host;
  } catch {
    return '';
  }
}

/** Tandem's own policy settings, by full name, as the audit shows them (endpoints by host). */
export function policySnapshot(resolved: ResolvedSettings): PolicySnapshot {
  const { settings, policy, audit } = resolved;
  const snapshot: PolicySnapshot = {
    'tandem.baseUrl': hostOf(effectiveBaseUrl(settings)),
    'tandem.completions.baseUrl': hostOf(settings.completions.baseUrl),
    'tandem.model': settings.model,
    'tandem.completionModel': settings.completionModel,
    'tandem.logContents': settings.logContents,
    'tandem.audit.enabled': audit.enabled,
    'tandem.audit.directory': audit.directory,
    'tandem.audit.contents': audit.contents,
    // By host: an endpoint's path or credentials stay out of the trail.
    'tandem.telemetry.otlpEndpoint': hostOf(resolved.telemetry.otlpEndpoint),
  };
  for (const [key, value] of Object.entries(policy) as Array<[keyof AuditPolicy, unknown]>) {
    snapshot[key === 'allowNetwork' ? 'tandem.agent.sandbox.allowNetwork' : `tandem.agent.${key}`] = value;
  }
  return snapshot;
}

export function diffSnapshots(before: PolicySnapshot, after: PolicySnapshot): Array<{ setting: string; from: unknown; to: unknown }> {
  const changes: Array<{ setting: string; from: unknown; to: unknown }> = [];
  for (const setting of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const from = before[setting];
    const to = after[setting];
    if (JSON.stringify(from) !== JSON.stringify(to)) changes.push({ setting, from: from ?? null, to: to ?? null });
  }
  return changes;
}
