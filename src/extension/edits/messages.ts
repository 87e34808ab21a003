/** What the review tells the person, in plain words. No VS Code here: unit-tested. */

export interface Refusal {
  path: string;
  hunk: number;
  reason: string;
}

function changes(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}

/**
 * "2 changes in src/a.ts no longer match the file (the file was edited there
 * after the proposal); they were not applied." One sentence per file.
 */
export function refusalMessage(refused: readonly Refusal[]): string {
  const byFile = new Map<string, Refusal[]>();
  for (const refusal of refused) {
    byFile.set(refusal.path, [...(byFile.get(refusal.path) ?? []), refusal]);
  }
  return [...byFile.entries()]
    .map(([path, list]) => {
      const reasons = [...new Set(list.map((r) => r.reason))].join('; ');
      const one = list.length === 1;
      return `${changes(list.length)} in ${path} no longer ${one ? 'matches' : 'match'} the file (${reasons}); ${one ? 'it was' : 'they were'} not applied.`;
    })
    .join(' ');
}

/** Accept All refused as a whole because some files no longer fit. */
export function acceptAllRefusedMessage(stalePaths: readonly string[]): string {
  const files = stalePaths.length === 1 ? `${stalePaths[0]} no longer matches` : `${stalePaths.length} files no longer match`;
  const list = stalePaths.length === 1 ? '' : `: ${stalePaths.join(', ')}`;
  return `Tandem applied nothing: ${files} the proposal (edited after it)${list}. Accept the other files one by one, or reject the changes that no longer fit.`;
}

/** The status bar line when a review ends. */
export function summaryMessage(applied: number, total: number): string {
  if (total === 0) return 'Tandem: the proposal changed nothing';
  if (applied === 0) return `Tandem: no changes applied (${changes(total)} rejected or no longer matching)`;
  if (applied === total) return total === 1 ? 'Tandem: applied the change' : `Tandem: applied all ${total} changes`;
  return `Tandem: applied ${applied} of ${total} changes`;
}
