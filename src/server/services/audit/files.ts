/**
 * The audit folder's layout. A folder holds one or more chains (one per
 * service writing at the same time); chain K is the files
 * `audit-K-000001.jsonl`, `audit-K-000002.jsonl`, … in order (a new file when
 * the current one reaches its size limit), `audit-K.head.json` (the last line
 * written: its sequence number and SHA-256, so a changed or deleted last line
 * is noticed too) and, while a service writes it, `audit-K.lock`.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';

const SEGMENT = /^audit-(\d+)-(\d+)\.jsonl$/;

export function segmentName(chain: number, index: number): string {
  return `audit-${chain}-${String(index).padStart(6, '0')}.jsonl`;
}

export function headName(chain: number): string {
  return `audit-${chain}.head.json`;
}

export function lockName(chain: number): string {
  return `audit-${chain}.lock`;
}

/** The head file: where the chain's last written line is. */
export interface Head {
  chain: number;
  seq: number;
  sha256: string;
  file: string;
  line: number;
  time: string;
}

export interface Segment {
  chain: number;
  index: number;
  name: string;
  path: string;
}

/** The chains of `dir`, each its segments in order. Empty when the folder does not exist. */
export function listChains(dir: string): Map<number, Segment[]> {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return new Map();
  }
  const chains = new Map<number, Segment[]>();
  for (const name of names) {
    const match = SEGMENT.exec(name);
    if (!match) continue;
    const chain = Number(match[1]);
    const segment = { chain, index: Number(match[2]), name, path: path.join(dir, name) };
    const list = chains.get(chain) ?? [];
    list.push(segment);
    chains.set(chain, list);
  }
  for (const list of chains.values()) list.sort((a, b) => a.index - b.index);
  return new Map([...chains.entries()].sort(([a], [b]) => a - b));
}
