// Types for scripts/check-cycles.mjs, which the unit tests import.

/** Each file (relative to the root, `/`-separated) and the files it imports. */
export type ImportGraph = Map<string, Set<string>>;

export interface ImportCycle {
  /** The shortest loop from the group's first file back to it: `[a, b, ..., a]`. */
  loop: string[];
  /** Every file of the group (files that all reach each other through imports), sorted. */
  files: string[];
}

export function importGraph(root: string, dir?: string): ImportGraph;
export function findCycles(graph: ImportGraph): ImportCycle[];
