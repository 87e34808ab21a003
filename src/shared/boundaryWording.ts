/**
 * What the data boundary did, in words for a person: "1 secret redacted",
 * "3 secrets redacted: 2 GitHub tokens, 1 private key", "Not sent: .env (a
 * secrets file …)". Shared by the chat webview and the extension's
 * notifications. Pure, no Node or DOM.
 */
import type { DataBoundaryReport, Redaction, RefusedItem } from './protocol';

/** Singular and plural labels of the kinds people meet most; others are spelled from the kind. */
const LABELS: Readonly<Record<string, readonly [string, string]>> = {
  'aws-access-key-id': ['AWS access key ID', 'AWS access key IDs'],
  'aws-secret-access-key': ['AWS secret access key', 'AWS secret access keys'],
  'github-token': ['GitHub token', 'GitHub tokens'],
  'gitlab-token': ['GitLab token', 'GitLab tokens'],
  'slack-token': ['Slack token', 'Slack tokens'],
  'slack-webhook': ['Slack webhook URL', 'Slack webhook URLs'],
  'stripe-key': ['Stripe key', 'Stripe keys'],
  'openai-api-key': ['OpenAI API key', 'OpenAI API keys'],
  'anthropic-api-key': ['Anthropic API key', 'Anthropic API keys'],
  'google-api-key': ['Google API key', 'Google API keys'],
  'azure-storage-key': ['Azure storage key', 'Azure storage keys'],
  'azure-sas-token': ['Azure SAS signature', 'Azure SAS signatures'],
  'azure-client-secret': ['Azure client secret', 'Azure client secrets'],
  'private-key': ['private key', 'private keys'],
  jwt: ['JWT', 'JWTs'],
  'connection-string-password': ['password in a connection string', 'passwords in connection strings'],
  'secret-value': ['secret value', 'secret values'],
  'npm-token': ['npm token', 'npm tokens'],
};

export function kindLabel(kind: string, count: number): string {
  const known = LABELS[kind];
  if (known) return count === 1 ? known[0] : known[1];
  const words = kind.replaceAll('-', ' ');
  return count === 1 ? words : `${words}s`;
}

/** "1 secret redacted", "3 secrets redacted: 2 GitHub tokens, 1 private key"; '' when none. */
export function describeRedactions(redactions: readonly Redaction[]): string {
  const total = redactions.reduce((sum, r) => sum + r.count, 0);
  if (total === 0) return '';
  const head = `${total} secret${total === 1 ? '' : 's'} redacted`;
  if (redactions.length === 1 && total === 1) return head;
  const parts = [...redactions].sort((a, b) => b.count - a.count).map((r) => `${r.count} ${kindLabel(r.kind, r.count)}`);
  return `${head}: ${parts.join(', ')}`;
}

/** "Not sent: .env (…reason…)", one line per item; [] when nothing was refused. */
export function describeRefusals(refused: readonly RefusedItem[]): string[] {
  return refused.map((r) => `Not sent: ${r.item} — ${r.reason}`);
}

/** Both, for a notification or a log line; '' when the boundary did nothing. */
export function describeBoundary(report: DataBoundaryReport | undefined): string {
  if (!report) return '';
  return [describeRedactions(report.redactions), ...describeRefusals(report.refused)].filter(Boolean).join('. ');
}

/** Two reports as one (an answer's own and the chips the editor kept back). */
export function mergeReports(a: DataBoundaryReport | undefined, b: DataBoundaryReport | undefined): DataBoundaryReport | undefined {
  if (!a) return b;
  if (!b) return a;
  const refused = [...a.refused];
  for (const item of b.refused) if (!refused.some((r) => r.item === item.item)) refused.push(item);
  const counts = new Map(a.redactions.map((r) => [r.kind, r.count]));
  for (const r of b.redactions) counts.set(r.kind, (counts.get(r.kind) ?? 0) + r.count);
  return { redactions: [...counts].map(([kind, count]) => ({ kind, count })), refused };
}
