/**
 * The audit's own pass of the secret scanner over an event's content fields
 * (docs/audit.md, "Secrets in the trail"): the unified diff of a proposal
 * shows the real lines of the file (edits are applied with their values
 * restored), and at contents `all` suggestions, prompts, answers, command
 * output and MCP tool arguments and results are kept as they were. Before an event is written or heard by a
 * listener (the OTLP export), each secret in those fields becomes the typed
 * placeholder the data boundary uses, and the event's `redactions` gets the
 * kinds and counts. Digests (sha256, sha256Before/After) are left alone:
 * they are of the real files, which is what lets a reviewer match them.
 *
 * Fails closed: a scan that throws or takes longer than the time allowed
 * drops the content fields and says why (`contentOmitted`, and `diffOmitted`
 * for a proposal); nothing is ever written unredacted.
 */
import type { AuditEvent, AuditRedaction, ContentOmission } from '../../../shared/audit';
import { errorMessage } from '../../../shared/guards';
import { isPlaceholderOnly, PlaceholderTable } from '../redaction/placeholders';
import { findSecrets, mergeOverlaps, type Finding } from '../redaction/scan';

/** Finds the secrets of one text (the data boundary's scanner unless a test injects its own). */
export type SecretScanner = (text: string) => Promise<readonly Finding[]>;

export const defaultScanner: SecretScanner = (text) => findSecrets(text);

/** Longest a scan of one event may take before its content is dropped (a megabyte scans in tens of milliseconds). */
export const REDACTION_TIMEOUT_MS = 5_000;

/**
 * Whether `event` carries text the scanner must see first. Cheap: it is
 * asked of every event on the completion hot path (suggestions carry text
 * only at contents `all`).
 */
export function hasContent(event: AuditEvent): boolean {
  switch (event.type) {
    case 'completion.shown':
    case 'completion.accepted':
    case 'completion.partiallyAccepted':
      return !!event.text;
    case 'proposal':
      return !!event.diff;
    case 'model.request':
      return event.messages !== undefined || !!event.answer || event.toolCalls !== undefined;
    case 'agent.start':
      return !!event.prompt;
    case 'agent.command':
      return !!event.outputText;
    case 'mcp.call':
      return !!event.argumentsText || !!event.resultText;
    default:
      return false;
  }
}

/** The content texts of an event, each with how to put its redacted text back. */
interface Slot {
  field: string;
  text: string;
  set(event: AuditEvent, text: string): void;
}

function slots(event: AuditEvent): Slot[] {
  const out: Slot[] = [];
  const add = (field: string, text: string | undefined, set: (event: AuditEvent, text: string) => void): void => {
    if (text) out.push({ field, text, set });
  };
  switch (event.type) {
    case 'completion.shown':
    case 'completion.accepted':
    case 'completion.partiallyAccepted':
      add('text', event.text, (e, t) => void (e.type === event.type && (e.text = t)));
      break;
    case 'proposal':
      add('diff', event.diff, (e, t) => void (e.type === 'proposal' && (e.diff = t)));
      break;
    case 'model.request':
      event.messages?.forEach((message, index) => add('messages', message.content, (e, t) => void (e.type === 'model.request' && e.messages?.[index] && (e.messages[index].content = t))));
      add('answer', event.answer, (e, t) => void (e.type === 'model.request' && (e.answer = t)));
      event.toolCalls?.forEach((call, index) => add('toolCalls', call.arguments, (e, t) => void (e.type === 'model.request' && e.toolCalls?.[index] && (e.toolCalls[index].arguments = t))));
      break;
    case 'agent.start':
      add('prompt', event.prompt, (e, t) => void (e.type === 'agent.start' && (e.prompt = t)));
      break;
    case 'agent.command':
      add('outputText', event.outputText, (e, t) => void (e.type === 'agent.command' && (e.outputText = t)));
      break;
    case 'mcp.call':
      add('argumentsText', event.argumentsText, (e, t) => void (e.type === 'mcp.call' && (e.argumentsText = t)));
      add('resultText', event.resultText, (e, t) => void (e.type === 'mcp.call' && (e.resultText = t)));
      break;
    default:
      break;
  }
  return out;
}

/** A copy deep enough to change the content fields without touching the caller's event. */
function copyOf(event: AuditEvent): AuditEvent {
  const copy = { ...event };
  if (copy.type === 'model.request') {
    if (copy.messages) copy.messages = copy.messages.map((message) => ({ ...message }));
    if (copy.toolCalls) copy.toolCalls = copy.toolCalls.map((call) => ({ ...call }));
  }
  return copy;
}

/**
 * `event` with every secret of its content fields replaced (same value, same
 * placeholder, across all its fields) and `redactions` counting them; or,
 * when the scan fails or is late, without its content fields. Never rejects.
 */
export interface RedactOptions {
  scan: SecretScanner;
  timeoutMs: number;
  /** Texts the content was cut from (a proposal's files): their secrets are taken out of the content wherever they show, whole or a line of them. */
  sources?: readonly string[];
  onProblem?: (message: string) => void;
}

export async function redactEvent(event: AuditEvent, options: RedactOptions): Promise<AuditEvent> {
  const texts = slots(event);
  if (texts.length === 0) return event;
  const { timeoutMs, onProblem } = options;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
    timer.unref?.();
  });
  try {
    const decoded = jsonStrings(event);
    const outcome = await Promise.race([scanAll(texts, decoded.length > 0 ? { ...options, sources: [...(options.sources ?? []), ...decoded] } : options), late]);
    if (outcome === 'timeout') {
      onProblem?.(`The secret scan of a ${event.type} event took longer than ${timeoutMs} ms: its content was left out of the audit trail.`);
      return omitContent(event, texts, 'redactionTimeout');
    }
    const copy = copyOf(event);
    for (const [index, slot] of texts.entries()) slot.set(copy, outcome.texts[index] ?? '');
    const found = outcome.table.redactions();
    if (found.length > 0) withRedactions(copy, found);
    return copy;
  } catch (error) {
    onProblem?.(`The secret scan of a ${event.type} event failed (${errorMessage(error)}): its content was left out of the audit trail.`);
    return omitContent(event, texts, 'redactionFailed');
  } finally {
    clearTimeout(timer);
  }
}

/** Bounds on the string values read out of a JSON field for the scan. */
const MAX_JSON_STRINGS = 1_000;
const MAX_JSON_CHARS = 1_000_000;

/**
 * The string values of the event's JSON content (tool call arguments). A rule
 * that needs the quotes around a value (`aws_secret_access_key = "…"`) cannot
 * see it through JSON's `\"`, so each value is scanned unescaped too, as a
 * source: what it finds is taken out of the JSON wherever it shows.
 */
function jsonStrings(event: AuditEvent): string[] {
  const texts = event.type === 'model.request' ? (event.toolCalls ?? []).map((call) => call.arguments) : event.type === 'mcp.call' && event.argumentsText ? [event.argumentsText] : [];
  const out: string[] = [];
  let chars = 0;
  const visit = (value: unknown, depth: number): void => {
    if (out.length >= MAX_JSON_STRINGS || chars >= MAX_JSON_CHARS || depth > 32) return;
    if (typeof value === 'string') {
      out.push(value);
      chars += value.length;
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        visit(key, depth + 1);
        visit(item, depth + 1);
      }
    }
  };
  for (const text of texts) {
    try {
      visit(JSON.parse(text), 0);
    } catch {
      // Not JSON (cut in the middle, or a model's malformed arguments): scanned as it is, like any text.
    }
  }
  return out;
}

/** Lines of a multi-line value shorter than this are not chased on their own (a short base64 tail). */
const MIN_LINE_CHARS = 16;

/** A line of a multi-line value worth chasing alone: long enough, and not a key block's armour (`-----END RSA PRIVATE KEY-----`). */
function isSecretLine(line: string): boolean {
  return line.length >= MIN_LINE_CHARS && !line.startsWith('-----');
}

async function scanAll(texts: readonly Slot[], options: RedactOptions): Promise<{ table: PlaceholderTable; texts: string[] }> {
  const { scan } = options;
  const table = new PlaceholderTable();
  let out: string[] = [];
  for (const slot of texts) {
    const findings = await scan(slot.text);
    // Merged again: a scanner's overlapping findings must never let part of a value through between two placeholders.
    out.push(table.replace(slot.text, mergeOverlaps([...findings])));
  }
  // Values of the source files: where the content shows one (or a line of one), it goes too.
  const known = new Map<string, string>();
  for (const source of options.sources ?? []) {
    for (const finding of await scan(source)) {
      const value = source.slice(finding.start, finding.end);
      if (!known.has(value) && !isPlaceholderOnly(value)) known.set(value, finding.kind);
    }
  }
  for (const [value, kind] of [...known].sort(([a], [b]) => b.length - a.length)) {
    const escaped = JSON.stringify(value).slice(1, -1);
    const pieces = [value, ...(escaped !== value ? [escaped] : []), ...(value.includes('\n') ? value.split('\n').map((line) => line.trim()).filter(isSecretLine) : [])];
    if (!out.some((text) => pieces.some((piece) => text.includes(piece)))) continue;
    const placeholder = table.placeholderFor(value, kind);
    out = out.map((text) => pieces.reduce((into, piece) => (into.includes(piece) ? into.split(piece).join(placeholder) : into), text));
  }
  // A value found in one field is taken out of the others too (a key in the diff, echoed in an answer where no rule sees it).
  return { table, texts: out.map((text) => table.replaceKnown(text)) };
}

/**
 * Adds kinds and counts to `redactions`. A model request's own field says what
 * the data boundary replaced before sending; a value it counted that comes
 * back in a (restored) answer is the same value, so per kind the larger count stands.
 */
function withRedactions(event: AuditEvent, found: readonly AuditRedaction[]): void {
  const holder = event as { redactions?: AuditRedaction[] };
  const counts = new Map((holder.redactions ?? []).map((entry) => [entry.kind, entry.count]));
  for (const entry of found) counts.set(entry.kind, Math.max(counts.get(entry.kind) ?? 0, entry.count));
  holder.redactions = [...counts].map(([kind, count]) => ({ kind, count }));
}

function omitContent(event: AuditEvent, texts: readonly Slot[], reason: ContentOmission['reason']): AuditEvent {
  const copy = copyOf(event) as AuditEvent & Record<string, unknown>;
  const fields = [...new Set(texts.map((slot) => slot.field))];
  for (const field of fields) delete copy[field];
  const omission: ContentOmission = { fields, reason };
  (copy as { contentOmitted?: ContentOmission }).contentOmitted = omission;
  if (copy.type === 'proposal') copy.diffOmitted = reason;
  return copy;
}
