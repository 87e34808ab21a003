/** Writes audit events with given times into a folder through the real chain writer (so the lines verify). */
import type { AuditEvent } from '../../../src/shared/audit';
import { ChainWriter } from '../../../src/server/services/audit/writer';

/** An event and the time it happened. */
export type Timed = AuditEvent & { time: string };

export async function writeTrail(dir: string, events: readonly Timed[], session = '00000000-0000-4000-8000-000000000001'): Promise<void> {
  const writer = await ChainWriter.open(dir, session, { flushMs: 1, flushBytes: 1024 * 1024 });
  // The trail's own order of fields: time, session, then the event.
  for (const { time, ...event } of events) writer.append({ time, session, ...event });
  await writer.close();
}
