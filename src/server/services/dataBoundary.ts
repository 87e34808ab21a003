/**
 * The data boundary: the one place that decides what may leave the machine.
 * Every model request (chat, edit proposals, inline completions, agent
 * turns) opens an `OutgoingRequest` here before anything is sent, and its
 * text goes through it:
 *
 * - the endpoint: with `tandem.dataBoundary.localOnly` only loopback
 *   endpoints are allowed (src/shared/boundary/endpoint.ts);
 * - paths: secrets files, ignored files and links out of the workspace are
 *   never sent (src/shared/boundary: the same rules as the agent's tools),
 *   and each refusal is reported, never silently dropped;
 * - contents: every secret found (redaction/scan.ts) is replaced by a typed
 *   placeholder, `[REDACTED:github-token]`; the same value gets the same
 *   placeholder for the whole request (an agent task is one request), a
 *   second distinct value of the kind `[REDACTED:github-token-2]`, so the
 *   model can still tell them apart and refer to them.
 *
 * What it did comes back as a `DataBoundaryReport` (kinds and counts of
 * distinct values, refused items with reasons), for the person (the chat
 * shows it) and the audit (`onSent`). Secret values stay in this object:
 * never in the report, the log, or a notification. `restore` puts them back
 * into a model answer before it is applied locally, so an edit never
 * replaces a real key with its placeholder.
 */
import type { WorkspaceBoundary } from '../../shared/boundary/boundary';
import { decideEndpoint } from '../../shared/boundary/endpoint';
import type { WorkspaceGate } from '../../shared/boundary/gate';
import { isSecretPath } from '../../shared/boundary/rules';
import type { ChatError, ContextItem, DataBoundaryReport, DataBoundarySettings, RefusedItem } from '../../shared/protocol';
import { displayUrl } from '../redact';
import { isEmbeddedEndpoint } from '../settings';
import { PlaceholderTable, PLACEHOLDER } from './redaction/placeholders';
import { findSecrets } from './redaction/scan';

export type RequestPurpose = 'chat' | 'edit' | 'completion' | 'agent' | 'embeddings';

/** What one request sent, as the audit records it (never values). */
export interface SentEvent {
  purpose: RequestPurpose;
  endpoint: string;
  report: DataBoundaryReport;
}

export interface DataBoundaryOptions {
  /** Why a path (URI, absolute, or workspace-relative) may not be sent; default: secrets by name only. */
  excluded?: (location: string) => string | undefined;
  /** Each request's report once it was sent (the audit trail listens here). */
  onSent?: (event: SentEvent) => void;
}

export class DataBoundary {
  constructor(private readonly options: DataBoundaryOptions = {}) {}

  /** A boundary that knows the workspace folders (server.ts wires the service's gate in). */
  static forGate(gate: WorkspaceGate, onSent?: (event: SentEvent) => void): DataBoundary {
    return new DataBoundary({ excluded: (location) => gate.excluded(location), ...(onSent ? { onSent } : {}) });
  }

  /** Why `location` may never be sent (a document to complete in, a snippet's source), without recording it. */
  excluded(location: string): string | undefined {
    return this.options.excluded ? this.options.excluded(location) : isSecretPath(location) ? 'a secrets file' : undefined;
  }

  /** Opens one request to `endpoint`, or says why nothing may be sent there. */
  open(purpose: RequestPurpose, endpoint: string, settings: { dataBoundary?: DataBoundarySettings }): OutgoingRequest | { refused: ChatError } {
    const refused = refuseEndpoint(endpoint, settings);
    return refused ? { refused } : new OutgoingRequest(purpose, endpoint, this.options);
  }
}

/**
 * Why nothing may go to `endpoint` at all (`tandem.dataBoundary.localOnly` and
 * it is not this machine), or undefined. Also for requests that carry no
 * contents but do carry the API key (the model list).
 */
export function refuseEndpoint(endpoint: string, settings: { dataBoundary?: DataBoundarySettings }): ChatError | undefined {
  // The built-in model runs inside this process: nothing leaves the machine.
  if (!settings.dataBoundary?.localOnly || isEmbeddedEndpoint(endpoint)) return undefined;
  const decision = decideEndpoint(endpoint);
  if (decision.local) return undefined;
  return {
    kind: 'notLocal',
    message: `Nothing was sent: Tandem is set to keep your code on this machine (tandem.dataBoundary.localOnly), and the endpoint ${displayUrl(endpoint)} is not on it (${decision.reason}). Use a local model server (127.0.0.1, ::1 or localhost), or turn the setting off.`,
    action: 'openSettings',
  };
}

/** The boundary used when a caller (a test, a benchmark) wires none: secrets by name, every content scanned. */
export const DEFAULT_BOUNDARY = new DataBoundary();

export class OutgoingRequest {
  /** Secret values and their placeholders (redaction/placeholders.ts: the naming the audit uses too). */
  private readonly table = new PlaceholderTable();
  private readonly refusals: RefusedItem[] = [];
  /** Texts already cleared (an agent re-sends its conversation every turn), with the number of values known then. */
  private readonly cleared = new Map<string, { text: string; known: number }>();

  constructor(
    readonly purpose: RequestPurpose,
    readonly endpoint: string,
    private readonly options: DataBoundaryOptions,
  ) {}

  /**
   * Why `location` may not be sent (and the refusal recorded), or undefined.
   * `boundary`: a request's own workspace root (edit proposals); otherwise
   * the service's workspace folders.
   */
  refusePath(location: string, boundary?: WorkspaceBoundary): string | undefined {
    let reason: string | undefined;
    if (boundary) {
      const decision = boundary.decide(location, 'read');
      reason = decision.action === 'refuse' ? decision.reason : undefined;
    } else {
      reason = this.options.excluded ? this.options.excluded(location) : isSecretPath(location) ? `${location} is a secrets file (such as .env, a key or credentials); it is neither read nor sent.` : undefined;
    }
    if (reason !== undefined) this.refuse(location, reason);
    return reason;
  }

  /** Records something that was not sent (once per item). */
  refuse(item: string, reason: string): void {
    if (!this.refusals.some((entry) => entry.item === item)) this.refusals.push({ item, reason });
  }

  /** Context items: refused files replaced by a note saying why, every text redacted. */
  async contextItems(items: readonly ContextItem[]): Promise<ContextItem[]> {
    const out: ContextItem[] = [];
    for (const item of items) {
      const reason = this.refusePath(item.path);
      out.push(reason === undefined ? { ...item, text: await this.text(item.text) } : { ...item, text: `[not sent by Tandem: ${reason}]` });
    }
    return out;
  }

  /** `text` with every secret replaced by its placeholder. */
  async text(text: string): Promise<string> {
    const cached = this.cleared.get(text);
    if (cached !== undefined) {
      // A value found since (in a later tool result, say) is taken out of this earlier text too.
      if (cached.known < this.table.order.length) {
        cached.text = this.table.replaceKnown(cached.text, cached.known);
        cached.known = this.table.order.length;
      }
      return cached.text;
    }
    const knownBefore = this.table.order.length;
    // A placeholder sent before (the chat's context inside its prompt) is no secret: PlaceholderTable skips it.
    const out = this.table.replace(text, await findSecrets(text));
    // A placeholder of this request may appear in a later text only as sent; a known value anywhere is replaced too
    // (a secret found in one message is a secret in every other, whatever surrounds it there).
    // Values found in this text are replaced already; those of earlier texts may hide here where no rule sees them.
    const cleaned = this.table.replaceKnown(out, 0, knownBefore);
    this.cleared.set(text, { text: cleaned, known: this.table.order.length });
    return cleaned;
  }

  /**
   * Several texts of one request. A value found in a later text is also
   * taken out of the earlier ones (a second pass, over cached results, when
   * the first found new values): a `.env` value a rule sees in `cat` output
   * but not in a numbered `read_file` listing is gone from both.
   */
  async texts(texts: readonly string[]): Promise<string[]> {
    const known = this.table.order.length;
    const out: string[] = [];
    for (const text of texts) out.push(await this.text(text));
    if (this.table.order.length === known) return out;
    const again: string[] = [];
    for (const text of texts) again.push(await this.text(text));
    return again;
  }

  /** Messages with their `content` redacted (other fields as they are). */
  async messages<M extends { content: string | null }>(messages: readonly M[]): Promise<M[]> {
    const contents = await this.texts(messages.map((message) => message.content ?? ''));
    return messages.map((message, index) => (message.content ? { ...message, content: contents[index] ?? '' } : message));
  }

  /** A model answer with this request's placeholders put back (for local use only: applying an edit). */
  restore(text: string): string {
    if (this.table.order.length === 0 || !text.includes('[REDACTED:')) return text;
    return text.replace(PLACEHOLDER, (placeholder) => this.table.valueOf(placeholder) ?? placeholder);
  }

  /** `text` with every value this request knows replaced by its placeholder (for a log line of a restored answer). */
  mask(text: string): string {
    let out = text;
    for (const value of [...this.table.order].sort((a, b) => b.length - a.length)) {
      if (out.includes(value)) out = out.split(value).join(this.table.placeholderOf(value) ?? '[REDACTED]');
    }
    return out;
  }

  /** What was done so far. Kinds in order of first appearance; counts are distinct values. */
  report(): DataBoundaryReport {
    return { redactions: this.table.redactions(), refused: [...this.refusals] };
  }

  /** The report when there is something to say, for results (absent otherwise). */
  reportIfAny(): { boundary: DataBoundaryReport } | Record<string, never> {
    const report = this.report();
    return report.redactions.length > 0 || report.refused.length > 0 ? { boundary: report } : {};
  }

  /** A model request went out (an agent task makes one per turn): listeners (the audit) hear what it carried so far. */
  markSent(): void {
    this.options.onSent?.({ purpose: this.purpose, endpoint: this.endpoint, report: this.report() });
  }
}
