/**
 * A MiniSearch index as plain data and back, in time slices, for the stored
 * index (snapshot.ts). MiniSearch's own `toJSON()` walks the whole term
 * index in one synchronous pass (about 25 µs a chunk: over a second for a
 * large workspace, during which no completion is answered); this produces
 * the same data term by term, handing the event loop back as it goes. It
 * reads MiniSearch 7's internal fields, so it first checks they have the
 * expected shape (undefined when not: the caller then falls back to
 * `toJSON()` for small indexes only); a unit test compares its output with
 * `toJSON()` on generated indexes, so an upgrade that changes them fails
 * there first. Loading uses MiniSearch's own `loadJSAsync` (it yields).
 *
 * The index must not change while it is read: the caller runs this as a job
 * of the index's queue (no file is added or discarded meanwhile) after a
 * vacuum (a search lazily drops postings of discarded chunks, which would
 * change the term tree under the iteration).
 */
import MiniSearch, { type AsPlainObject, type Options } from 'minisearch';
import type { TimeSlice } from '../../util/timeSlice';

/** Field id → chunk short id → term frequency, as `toJSON()` writes them. */
export type TermData = Record<string, Record<string, number>>;
export type TermRow = [term: string, data: TermData];
/** A chunk: MiniSearch's short id, the chunk id, its field lengths, its stored fields. */
export type DocRow = [shortId: number, id: number, fieldLength: number[], stored: Record<string, unknown>];

export interface PlainMeta {
  documentCount: number;
  nextId: number;
  fieldIds: Record<string, number>;
  averageFieldLength: number[];
  dirtCount: number;
  serializationVersion: number;
}

export interface PlainIndex {
  meta: PlainMeta;
  docs: DocRow[];
  terms: TermRow[];
}

interface Internals {
  index: Iterable<[string, Map<number, Map<number, number>>]>;
  documentCount: number;
  nextId: number;
  documentIds: Map<number, unknown>;
  fieldIds: Record<string, number>;
  fieldLength: Map<number, number[]>;
  averageFieldLength: number[];
  storedFields: Map<number, Record<string, unknown>>;
  dirtCount: number;
}

/** MiniSearch 7's fields, or undefined when they are not what this module expects. */
function internalsOf<T>(search: MiniSearch<T>): Internals | undefined {
  const raw = search as unknown as Record<string, unknown>;
  const index = raw._index;
  const ok =
    typeof index === 'object' &&
    index !== null &&
    typeof (index as { [Symbol.iterator]?: unknown })[Symbol.iterator] === 'function' &&
    typeof raw._documentCount === 'number' &&
    typeof raw._nextId === 'number' &&
    raw._documentIds instanceof Map &&
    typeof raw._fieldIds === 'object' &&
    raw._fieldIds !== null &&
    raw._fieldLength instanceof Map &&
    Array.isArray(raw._avgFieldLength) &&
    raw._storedFields instanceof Map &&
    typeof raw._dirtCount === 'number';
  if (!ok) return undefined;
  return {
    index: index as Internals['index'],
    documentCount: raw._documentCount as number,
    nextId: raw._nextId as number,
    documentIds: raw._documentIds as Map<number, unknown>,
    fieldIds: raw._fieldIds as Record<string, number>,
    fieldLength: raw._fieldLength as Map<number, number[]>,
    averageFieldLength: raw._avgFieldLength as number[],
    storedFields: raw._storedFields as Map<number, Record<string, unknown>>,
    dirtCount: raw._dirtCount as number,
  };
}

/** The index as `toJSON()` would give it, split into chunks and terms, built in slices; undefined when MiniSearch's internals are not as expected. */
export async function toPlainInSlices<T>(search: MiniSearch<T>, slice: TimeSlice): Promise<PlainIndex | undefined> {
  const internals = internalsOf(search);
  if (!internals) return undefined;
  const docs: DocRow[] = [];
  for (const [shortId, id] of internals.documentIds) {
    if (typeof id !== 'number') return undefined;
    docs.push([shortId, id, internals.fieldLength.get(shortId) ?? [], internals.storedFields.get(shortId) ?? {}]);
    if ((docs.length & 255) === 0 && slice.due()) await slice.handBack();
  }
  const terms: TermRow[] = [];
  const iterator = internals.index[Symbol.iterator]();
  for (let next = iterator.next(); !next.done; next = iterator.next()) {
    const [term, fields] = next.value;
    const data: TermData = {};
    for (const [fieldId, frequencies] of fields) data[fieldId] = Object.fromEntries(frequencies);
    terms.push([term, data]);
    if ((terms.length & 127) === 0 && slice.due()) await slice.handBack();
  }
  const meta: PlainMeta = {
    documentCount: internals.documentCount,
    nextId: internals.nextId,
    fieldIds: internals.fieldIds,
    averageFieldLength: internals.averageFieldLength,
    dirtCount: internals.dirtCount,
    serializationVersion: 2,
  };
  return { meta, docs, terms };
}

/** The same data as `toJSON()` gives (for the fallback and for comparing). */
export function assemble(plain: PlainIndex): AsPlainObject {
  const documentIds: Record<string, number> = {};
  const fieldLength: Record<string, number[]> = {};
  const storedFields: Record<string, Record<string, unknown>> = {};
  for (const [shortId, id, lengths, stored] of plain.docs) {
    documentIds[shortId] = id;
    fieldLength[shortId] = lengths;
    storedFields[shortId] = stored;
  }
  const { documentCount, nextId, fieldIds, averageFieldLength, dirtCount, serializationVersion } = plain.meta;
  return { documentCount, nextId, documentIds, fieldIds, fieldLength, averageFieldLength, storedFields, dirtCount, index: plain.terms, serializationVersion } as AsPlainObject;
}

/** A MiniSearch index from plain data (MiniSearch's loadJSAsync yields every 1,000 terms). */
export function fromPlain<T>(plain: PlainIndex, options: Options<T>): Promise<MiniSearch<T>> {
  return MiniSearch.loadJSAsync<T>(assemble(plain), options);
}

/** The plain index of a small index in one pass (MiniSearch's own `toJSON()`), for when its internals are not as expected. */
export function toPlainAtOnce<T>(search: MiniSearch<T>): PlainIndex {
  const js = search.toJSON();
  const docs: DocRow[] = Object.entries(js.documentIds).map(([shortId, id]) => [Number(shortId), Number(id), js.fieldLength[shortId] ?? [], (js.storedFields[shortId] ?? {}) as Record<string, unknown>]);
  const { documentCount, nextId, fieldIds, averageFieldLength, dirtCount } = js;
  return { meta: { documentCount, nextId, fieldIds, averageFieldLength, dirtCount: dirtCount ?? 0, serializationVersion: js.serializationVersion }, docs, terms: js.index as TermRow[] };
}
