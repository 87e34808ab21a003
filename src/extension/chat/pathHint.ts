// Pure: no vscode import, unit-tested in Node.

/**
 * A workspace-relative path the answer gives for this block: in the fence's
 * info string (```ts src/a.ts, ```ts title="src/a.ts") or on the line
 * just before the fence (`src/a.ts`, **src/a.ts**, File: src/a.ts).
 */
export function pathHint(answer: string, code: string): string | undefined {
  const lines = answer.split('\n');
  const firstCodeLine = code.split('\n')[0] ?? '';
  for (let i = 0; i < lines.length; i++) {
    const fence = /^\s*(`{3,}|~{3,})\s*(\S*)\s*(.*)$/.exec(lines[i] ?? '');
    if (!fence || (lines[i + 1] ?? '') !== firstCodeLine) {
      continue;
    }
    const inInfo = /(?:title|file|path)=["']?([^"'\s]+)|^([\w./-]+\.\w+)$/.exec((fence[3] ?? '').trim());
    const candidate = inInfo?.[1] ?? inInfo?.[2] ?? pathOnLine(previousNonEmpty(lines, i));
    if (candidate) {
      return candidate.replace(/^\.\//, '');
    }
  }
  return undefined;
}

function previousNonEmpty(lines: readonly string[], index: number): string {
  for (let i = index - 1; i >= 0 && i >= index - 2; i--) {
    if ((lines[i] ?? '').trim() !== '') {
      return lines[i] ?? '';
    }
  }
  return '';
}

function pathOnLine(line: string): string | undefined {
  const match = /^(?:#+\s*)?(?:[*_]{1,2})?(?:(?:File|In|Update|Change)\s*:?\s*)?[`*_]*([\w@./-]+\/[\w@.-]+\.\w+|[\w@.-]+\.\w{1,5})[`*_]*\s*:?\s*$/i.exec(line.trim());
  return match?.[1];
}
