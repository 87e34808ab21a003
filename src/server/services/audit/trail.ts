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
 */
import { randomUUID } from 'node:crypto';
import type { AuditEvent, AuditPolicy } from '../../../shared/audit';
import type { AuditStatusResult } from '../../../shared/auditProtocol';
import { errorMessage } from '../../../shared/guards';
import type { AuditContents } from '../../../shared/vocabulary';
import { effectiveBaseUrl, type AuditSettings, type ResolvedSettings } from '../../settings';
import { defaultAuditDirectory, expandDirectory } from './location';
import { ChainWriter, type WriterOptions } from './writer';

/** What features need: whether to bother, how much content to keep, and the one call. */
export interface AuditSink {
  /** False when nothing is written: callers may skip building costly fields (hashes, diffs). */
  readonly active: boolean;
  readonly contents: AuditContents;
  record(event: AuditEvent): void;
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
}

/** Events recorded while the chain is being opened wait here (bounded: a trail that never opens drops the rest). */
const MAX_EARLY = 10_000;

type PolicySnapshot = Record<string, unknown>;

export class AuditTrail implements AuditSink {
  readonly session: string;
  private writer: ChainWriter | undefined;
  private opening: Promise<void> | undefined;
  private early: AuditEvent[] = [];
  private audit: AuditSettings | undefined;
  private snapshot: PolicySnapshot | undefined;
  private info: SessionInfo = { version: '', folders: [] };
  private events = 0;
  private problem: string | undefined;
  private listener: AuditListener | undefined;
  /** Settings are applied one after the other, never interleaved (opening a chain is asynchronous). */
  private applying: Promise<void> = Promise.resolve();
  /** Resolves once the settings were applied the first time: before that, the trail's state is not known yet. */
  private readonly firstApplied: Promise<void>;
  private markApplied: () => void = () => undefined;

  constructor(private readonly options: TrailOptions) {
    this.session = options.session ?? randomUUID();
    this.firstApplied = new Promise((resolve) => (this.markApplied = resolve));
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

  record(event: AuditEvent): void {
    const listener = this.listener;
    if (listener) {
      try {
        listener(event, new Date());
      } catch (error) {
        this.report(`Could not pass on audit events: ${errorMessage(error)}`);
      }
    }
    this.write(event);
  }

  private write(event: AuditEvent): void {
    const writer = this.writer;
    if (writer) {
      try {
        writer.append({ time: new Date().toISOString(), session: this.session, ...event });
        this.events += 1;
      } catch (error) {
        // The audit never stops the work it records.
        this.report(`Could not record a ${event.type} event: ${errorMessage(error)}`);
      }
    } else if (this.opening && this.early.length < MAX_EARLY) {
      this.early.push(event);
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
    if (flush) await this.writer?.flush();
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
    this.record({
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
    });
    const early = this.early;
    this.early = [];
    // Already passed to the listener when they were recorded.
    for (const event of early) this.write(event);
  }

  private async stop(reason: 'shutdown' | 'exit' | 'auditDisabled' | 'directoryChanged'): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    this.record({ type: 'session.end', actor: 'service', reason, events: this.events + 1 });
    this.writer = undefined;
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
