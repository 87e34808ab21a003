/**
 * An audit event as OTLP log attributes: its fields flattened under
 * `tandem.` (nested objects by dotted name, lists of plain values as lists,
 * lists of objects as JSON text), with content cut to the audit's level
 * again so a feature that built too much cannot send it. Pure.
 */
import type { Attributes, AttributeValue } from '@opentelemetry/api';
import type { AuditEvent } from '../../../shared/audit';
import type { AuditContents } from '../../../shared/vocabulary';

/** Fields that carry code or text, and the lowest level that keeps each (docs/audit.md). */
const CONTENT_FIELDS: Readonly<Record<string, AuditContents>> = {
  diff: 'diffs',
  messages: 'all',
  answer: 'all',
  toolCalls: 'all',
  prompt: 'all',
  text: 'all',
  outputText: 'all',
  argumentsText: 'all',
  resultText: 'all',
};

const RANK: Readonly<Record<AuditContents, number>> = { none: 0, diffs: 1, all: 2 };

/** Whether `field` of an event may leave at `contents`. */
export function keepsField(field: string, contents: AuditContents): boolean {
  const needs = CONTENT_FIELDS[field];
  return needs === undefined || RANK[contents] >= RANK[needs];
}

export function eventAttributes(event: AuditEvent, contents: AuditContents, session: string): Attributes {
  const attributes: Attributes = { 'tandem.session': session };
  for (const [key, value] of Object.entries(event)) {
    if (!keepsField(key, contents)) continue;
    flatten(attributes, `tandem.${key}`, value);
  }
  return attributes;
}

function flatten(into: Attributes, name: string, value: unknown): void {
  if (value === undefined) return;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    into[name] = value;
  } else if (Array.isArray(value)) {
    into[name] = plainList(value) ?? JSON.stringify(value);
  } else if (value !== null && typeof value === 'object') {
    for (const [key, entry] of Object.entries(value)) flatten(into, `${name}.${key}`, entry);
  } else {
    into[name] = JSON.stringify(value);
  }
}

/** A list OTLP can carry as it is: all strings, all numbers or all booleans. */
function plainList(list: readonly unknown[]): AttributeValue | undefined {
  if (list.every((entry): entry is string => typeof entry === 'string')) return [...list];
  if (list.every((entry): entry is number => typeof entry === 'number')) return [...list];
  if (list.every((entry): entry is boolean => typeof entry === 'boolean')) return [...list];
  return undefined;
}
