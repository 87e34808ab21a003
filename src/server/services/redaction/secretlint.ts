/**
 * secretlint's recommended rules as a scanner of outgoing text. Two rules of
 * the preset are left out: `filter-comments`, which honours
 * `secretlint-disable` comments (repository content must not switch
 * redaction off), and `gcp`, which reads `.json` / `.p12` files only (a
 * private key inside a service-account JSON is still found as a private
 * key). AWS access key IDs are scanned too (off by default in the preset).
 *
 * Speed: secretlint costs about 23 ms per MB (every rule over the whole
 * text). A cheap pass first finds the places where any rule could match
 * (anchors.ts: each rule's fixed prefix, or `://` for passwords in URLs);
 * only the lines around them go to secretlint, joined into one text. On typical source that
 * is a few kilobytes per megabyte. test/unit/server/redaction.test.ts checks
 * that the pre-filter finds exactly what the full scan finds.
 */
import { lintSource } from '@secretlint/core';
import { rules as presetRules } from '@secretlint/secretlint-rule-preset-recommend';
import type { SecretLintCoreConfig, SecretLintCoreResultMessage } from '@secretlint/types';
import { TimeSlice } from '../../util/timeSlice';
import { findAnchors, PemEnds, type Anchor } from './anchors';
import type { Finding } from './types';

const LEFT_OUT = new Set(['@secretlint/secretlint-rule-filter-comments', '@secretlint/secretlint-rule-gcp']);

const CONFIG: SecretLintCoreConfig = {
  rules: presetRules
    .filter((creator) => !LEFT_OUT.has(creator.meta.id))
    .map((creator) => ({ id: creator.meta.id, rule: creator, ...(creator.meta.id === '@secretlint/secretlint-rule-aws' ? { options: { enableIDScanRule: true } } : {}) })),
};

/** Around an anchor on a very long (minified) line, only this much either side goes to secretlint. */
const WINDOW_CHARS = 2048;
/**
 * Windows that touch are merged up to this size. Some preset patterns run to
 * the end of the line from every start (`_authToken=.*`, Slack's
 * `(?:[a-z0-9]{1,40}-)+`): on one long line dense with anchors that would be
 * quadratic. Past this size a new window starts, overlapping the last by
 * more than any token's length.
 */
const MAX_MERGED_CHARS = 4096;
const WINDOW_OVERLAP_CHARS = 512;
/** A private-key block is followed to its END line up to this far. */
const PEM_WINDOW_CHARS = 16_384;

interface Window {
  /** Offset in the original text. */
  start: number;
  end: number;
  /** Offset in the joined text. */
  joinedStart: number;
}

/**
 * What secretlint finds in `text`; `prefilter: false` runs it over the whole
 * text (tests compare the two). `anchors`: found already (scan.ts shares them).
 */
export async function secretlintFindings(text: string, options: { prefilter?: boolean; anchors?: readonly Anchor[]; slice?: TimeSlice } = {}): Promise<Finding[]> {
  if (options.prefilter === false) return toFindings(await lint(text), text, [{ start: 0, end: text.length, joinedStart: 0 }]);
  const windows = candidateWindows(text, options.anchors);
  const found: Finding[] = [];
  const slice = options.slice ?? new TimeSlice();
  let batch: Window[] = [];
  let joined = '';
  const flush = async (): Promise<void> => {
    if (batch.length > 0) found.push(...toFindings(await lint(joined), text, batch));
    batch = [];
    joined = '';
    if (slice.due()) await slice.handBack();
  };
  for (const window of windows) {
    window.joinedStart = joined.length;
    joined += `${text.slice(window.start, window.end)}\n`;
    batch.push(window);
    if (joined.length >= BATCH_CHARS) await flush();
  }
  await flush();
  return found;
}

/**
 * Windows go to secretlint joined, up to this much per call: one call for
 * ordinary text; for text dense with secrets several (secretlint's time grows
 * with the square of the findings in one call), with the event loop served
 * in between.
 */
const BATCH_CHARS = 8192;

async function lint(content: string): Promise<SecretLintCoreResultMessage[]> {
  const result = await lintSource({ source: { filePath: 'outgoing.txt', content, contentType: 'text' }, options: { config: CONFIG, noPhysicFilePath: true, maskSecrets: false } });
  return result.messages;
}

/** The lines around every place a secretlint rule could start, merged where they touch. */
export function candidateWindows(text: string, anchors: readonly Anchor[] = findAnchors(text)): Window[] {
  const windows: Window[] = [];
  const pemEnds = new PemEnds(text);
  for (const anchor of anchors) {
    if (!anchor.secretlint) continue;
    const { at } = anchor;
    const last = windows.at(-1);
    // Covered already, with room for the longest token after it.
    if (last && at + WINDOW_OVERLAP_CHARS < last.end) continue;
    const start = lineStart(text, at, WINDOW_CHARS);
    let end = lineEnd(text, at, WINDOW_CHARS);
    if (anchor.match === '-----BEGIN') {
      const close = pemEnds.next(at, PEM_WINDOW_CHARS);
      if (close >= 0) end = Math.max(end, lineEnd(text, close, WINDOW_CHARS));
    }
    if (last && start <= last.end + 1 && Math.max(last.end, end) - last.start <= MAX_MERGED_CHARS) {
      last.end = Math.max(last.end, end);
    } else if (last && start <= last.end + 1) {
      // Dense anchors on one long line (hostile, or minified): a new window, overlapping the last one,
      // so that no secretlint pattern runs over more than a few kilobytes from any start.
      windows.push({ start: Math.max(start, last.end - WINDOW_OVERLAP_CHARS), end, joinedStart: 0 });
    } else {
      windows.push({ start, end, joinedStart: 0 });
    }
  }
  return windows;
}

/** The end of `at`'s line, but no further than `limit` characters (never a search to the end of a huge line). */
function lineEnd(text: string, at: number, limit: number): number {
  const to = Math.min(text.length, at + limit);
  for (let i = at; i < to; i++) if (text.charCodeAt(i) === 10) return i;
  return to;
}

/** The start of `at`'s line, but no further back than `limit` characters. */
function lineStart(text: string, at: number, limit: number): number {
  const from = Math.max(0, at - limit);
  for (let i = at - 1; i >= from; i--) if (text.charCodeAt(i) === 10) return i + 1;
  return from;
}

function toFindings(messages: readonly SecretLintCoreResultMessage[], text: string, windows: readonly Window[]): Finding[] {
  const found: Finding[] = [];
  for (const message of messages) {
    const kind = kindOf(message);
    if (kind === undefined) continue;
    const window = windowAt(windows, message.range[0]);
    if (!window) continue;
    const offset = window.start - window.joinedStart;
    let start = message.range[0] + offset;
    let end = Math.min(message.range[1] + offset, window.end);
    // Some rules report the start of the whole match with the length of the value (AWS secret keys):
    // the value itself, from the message's data, is where it really is.
    const value = valueOf(message);
    if (value !== undefined) {
      const at = text.indexOf(value, start);
      if (at >= 0 && at <= end) {
        start = at;
        end = at + value.length;
      }
    }
    const narrowed = passwordOnly(text, start, end, kind);
    found.push(narrowed ?? { start, end, kind });
  }
  return found;
}

function windowAt(windows: readonly Window[], joinedOffset: number): Window | undefined {
  let low = 0;
  let high = windows.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const window = windows[mid] as Window;
    if (joinedOffset < window.joinedStart) high = mid - 1;
    else if (joinedOffset > window.joinedStart + (window.end - window.start)) low = mid + 1;
    else return window;
  }
  return undefined;
}

/** The longest string value in the message's data that is long enough to be the secret. */
function valueOf(message: SecretLintCoreResultMessage): string | undefined {
  const values = Object.values(message.data ?? {}).filter((value): value is string => typeof value === 'string' && value.length >= 8);
  return values.sort((a, b) => b.length - a.length)[0];
}

/** In `scheme://user:password@host…` only the password is secret; the model keeps the rest. */
function passwordOnly(text: string, start: number, end: number, kind: string): Finding | undefined {
  if (kind !== 'connection-string-password') return undefined;
  const match = /^[a-z][a-z0-9+.:-]*:\/\/[^\s:@/]*:([^\s@/]+)@/i.exec(text.slice(start, end));
  if (!match) return undefined;
  const password = match[1] ?? '';
  const at = start + match[0].length - 1 - password.length;
  return { start: at, end: at + password.length, kind };
}

const KIND_BY_RULE: Readonly<Record<string, string>> = {
  privatekey: 'private-key',
  npm: 'npm-token',
  basicauth: 'connection-string-password',
  'database-connection-string': 'connection-string-password',
  github: 'github-token',
  gitlab: 'gitlab-token',
  stripe: 'stripe-key',
  openai: 'openai-api-key',
  anthropic: 'anthropic-api-key',
  sendgrid: 'sendgrid-api-key',
  shopify: 'shopify-token',
  grafana: 'grafana-token',
  groq: 'groq-api-key',
  huggingface: 'huggingface-token',
  linear: 'linear-api-key',
  notion: 'notion-token',
  '1password': '1password-token',
  'hashicorp-vault': 'vault-token',
  vercel: 'vercel-token',
  databricks: 'databricks-token',
  docker: 'docker-token',
  figma: 'figma-token',
  cloudflare: 'cloudflare-token',
  tailscale: 'tailscale-key',
};

/** The redaction kind of a secretlint message; undefined for what is not a secret (an AWS account id). */
export function kindOf(message: Pick<SecretLintCoreResultMessage, 'ruleId' | 'messageId'>): string | undefined {
  const rule = message.ruleId.replace('@secretlint/secretlint-rule-', '');
  if (rule === 'aws') {
    if (message.messageId === 'AWSAccessKeyID') return 'aws-access-key-id';
    if (message.messageId === 'AWSSecretAccessKey') return 'aws-secret-access-key';
    return undefined;
  }
  if (rule === 'slack') return /webhook/i.test(message.messageId) ? 'slack-webhook' : 'slack-token';
  return KIND_BY_RULE[rule] ?? `${rule}-secret`;
}
