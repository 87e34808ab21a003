/**
 * One folder's chunk vectors and where each chunk is: kept in step with the
 * folder's lexical index after a build or a batch of changes (chunks gone
 * are dropped, new ones embedded), stored next to its snapshot.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { TimeSlice } from '../../util/timeSlice';
import { chunkFile } from './chunker';
import type { ChunkToEmbed, IndexEmbedder } from './embedder';
import type { FolderHit, FolderIndex, PathFilter } from './folderIndex';
import { nearest } from './fusion';
import { chunkKey, loadVectors, saveVectors, VectorStore } from './vectors';

export class FolderVectors {
  private where = new Map<string, Omit<FolderHit, 'score'>>();

  constructor(private readonly store: VectorStore) {}

  /** The stored vectors for `model` when valid, else none (they are embedded again). */
  static async open(folder: FolderIndex, model: string, storage: string | undefined, onLog?: (message: string) => void): Promise<FolderVectors> {
    if (storage) {
      const loaded = await loadVectors(storage, folder.boundary.realRoot, model);
      if ('store' in loaded) return new FolderVectors(loaded.store);
      if ('rejected' in loaded) onLog?.(`Codebase index: the stored vectors of ${folder.root} are not used (${loaded.rejected}).`);
    }
    return new FolderVectors(new VectorStore(model));
  }

  get model(): string {
    return this.store.model;
  }

  /** True when every chunk of the folder has a vector. */
  complete = false;

  /** Re-reads the folder's chunks and embeds those without a vector; false when it stopped (failure or cancelled). */
  async refresh(folder: FolderIndex, embedder: IndexEmbedder, signal: AbortSignal, storage: string | undefined): Promise<boolean> {
    const slice = new TimeSlice();
    const chunks: ChunkToEmbed[] = [];
    const where = new Map<string, Omit<FolderHit, 'score'>>();
    for (const file of folder.indexedFiles().keys()) {
      if (signal.aborted) return false;
      if (slice.due()) await slice.handBack();
      let text: string;
      try {
        text = await readFile(path.join(folder.root, file), 'utf8');
      } catch {
        continue;
      }
      for (const chunk of chunkFile(file, text)) {
        chunks.push({ file, text: chunk.text });
        const key = chunkKey(chunk.text);
        if (!where.has(key)) where.set(key, { file, start: chunk.startLine, end: chunk.endLine, ...(chunk.symbol ? { symbol: chunk.symbol } : {}) });
      }
    }
    this.store.retain(new Set(where.keys()));
    this.where = where;
    const done = await embedder.embedMissing(chunks, this.store, signal);
    this.complete = done;
    if (storage && this.store.size > 0) await saveVectors(storage, folder.boundary.realRoot, this.store);
    return done;
  }

  /** The chunks nearest `query`, best first, as hits (score: cosine). */
  hits(query: Float32Array, limit: number, only?: PathFilter): FolderHit[] {
    const out: FolderHit[] = [];
    for (const { key, score } of nearest(query, this.store.entries(), limit * 4)) {
      const at = this.where.get(key);
      if (!at || (only && !only(at.file))) continue;
      out.push({ ...at, score });
      if (out.length >= limit) break;
    }
    return out;
  }
}
