/**
 * What provenance says in words: the hover on a Tandem-written line, and
 * the commit message trailer. Pure, so the wording is tested without an
 * editor.
 */
import type { AuditAppliedChange } from '../../shared/auditProtocol';

/** The key of the commit trailer; a message that has one gets it replaced, never a second. */
export const TRAILER_KEY = 'AI-assisted';

const ORIGINS: Record<string, string> = {
  refactor: 'Refactor',
  fix: 'Fix',
  tests: 'Generate Tests',
  docs: 'Add Docs',
  inline: 'Inline Edit',
  chatApply: 'chat Apply',
  agent: 'agent task',
  api: 'another extension (Tandem API)',
};

/** What asked for the change: "Refactor", "chat Apply", "agent task 7f3a…, step s2". */
export function askedFor(change: Pick<AuditAppliedChange, 'origin' | 'task' | 'step' | 'title'>): string {
  const origin = ORIGINS[change.origin] ?? change.origin;
  if (change.origin === 'agent' && change.task) return `${origin} ${change.task}${change.step ? `, step ${change.step}` : ''}`;
  // Titles often repeat the origin ("refactor src/a.ts"): then the title alone says it.
  if (!change.title) return origin;
  return change.title.toLowerCase().startsWith(origin.toLowerCase()) ? `${origin}${change.title.slice(origin.length)}` : `${origin}: ${change.title}`;
}

/** Who approved it, as a person reads it. */
export function approvedBy(actor: string): string {
  if (actor === 'person') return 'you (reviewed)';
  if (actor.startsWith('policy:')) return `policy ${actor.slice('policy:'.length)} (applied without a review)`;
  return actor;
}

/** The hover of lines one change wrote (Markdown; every value from the trail is in code spans or escaped). */
export function hoverText(change: AuditAppliedChange, lines: number): string {
  return [
    `**Written by Tandem** — ${lines} line${lines === 1 ? '' : 's'} here`,
    '',
    `* Asked for by: ${escapeMarkdown(askedFor(change))}`,
    `* When: ${escapeMarkdown(change.appliedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC'))}`,
    `* Model: ${change.model ? code(change.model) : 'not recorded'}`,
    `* Approved by: ${escapeMarkdown(approvedBy(change.approvedBy))}`,
    `* Audit: proposal ${code(change.proposal)}${change.request ? `, request ${code(change.request)}` : ''}`,
  ].join('\n');
}

export interface TrailerFacts {
  models: readonly string[];
  /** Distinct changes (proposals) with lines in the staged files. */
  changes: number;
  /** SHA-256 of the audit chain's last line, when known. */
  anchor?: string;
}

/** `AI-assisted: Tandem (gpt-4.1; 3 changes; audit 9f2c…)`. */
export function commitTrailer(facts: TrailerFacts): string {
  const models = [...new Set(facts.models.filter(Boolean))].sort();
  const parts = [models.length > 0 ? models.join(', ') : 'model not recorded', `${facts.changes} change${facts.changes === 1 ? '' : 's'}`];
  if (facts.anchor) parts.push(`audit ${facts.anchor.slice(0, 4)}…`);
  return `${TRAILER_KEY}: Tandem (${parts.join('; ')})`;
}

/**
 * The commit message with the trailer: replacing an earlier Tandem trailer,
 * joining a trailer block the message already ends with, or after a blank
 * line (git reads trailers only from the last paragraph).
 */
export function withTrailer(message: string, trailer: string): string {
  const lines = message.replace(/\s+$/, '').split('\n');
  const existing = lines.findIndex((line) => line.startsWith(`${TRAILER_KEY}: Tandem`));
  if (existing !== -1) {
    lines[existing] = trailer;
    return `${lines.join('\n')}\n`;
  }
  if (lines.length === 1 && lines[0] === '') return `\n\n${trailer}\n`;
  const lastBlank = lines.lastIndexOf('');
  const lastParagraph = lines.slice(lastBlank + 1);
  const endsWithTrailers = lastBlank > 0 && lastParagraph.length > 0 && lastParagraph.every((line) => /^[A-Za-z0-9-]+: \S/.test(line));
  return `${lines.join('\n')}${endsWithTrailers ? '\n' : '\n\n'}${trailer}\n`;
}

function code(text: string): string {
  return `\`${text.replace(/`/g, "'")}\``;
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, (char) => `\\${char}`);
}
