import { createHash } from 'node:crypto';
import type { AuditDigest } from '../../../shared/audit';

/** SHA-256 (hex) of a text's UTF-8 bytes, or of bytes. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** What the audit keeps of a text: its digest and size, never the text. */
export function digest(text: string): AuditDigest {
  return { sha256: sha256(text), bytes: Buffer.byteLength(text) };
}
