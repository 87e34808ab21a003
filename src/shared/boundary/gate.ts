/**
 * The workspace boundary for what an editor hands the service on its own:
 * chat context items and documents for inline completions. Any LSP client
 * may send them, so the service checks them itself: a secret (by name or
 * through a link), an ignored file, or a file a link leads out to is neither
 * sent to a model nor used as context. Knows the workspace folders from
 * `initialize` (and workspace folder changes).
 */
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { resolveReal, WorkspaceBoundary } from './boundary';
import { isSecretPath } from './rules';
import type { ContextItem } from '../protocol';

/** Ignore files may change: a folder's boundary (and its cached rules) is rebuilt after this long. */
const BOUNDARY_TTL_MS = 5_000;

export class WorkspaceGate {
  private roots: string[] = [];
  private readonly boundaries = new Map<string, { boundary: WorkspaceBoundary; at: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Workspace folders as URIs or paths. */
  setRoots(folders: readonly string[]): void {
    this.roots = folders.flatMap((folder) => toPath(folder) ?? []);
    this.boundaries.clear();
  }

  /**
   * Why `location` (a URI, an absolute path, or a path relative to a
   * workspace folder) must not be sent, or undefined when it may.
   */
  excluded(location: string): string | undefined {
    const file = toPath(location);
    if (file === undefined) {
      // untitled:, vscode-userdata: … — only the name can tell.
      const name = decodeURIComponent(location.replace(/^[a-z][a-z0-9+.-]*:/i, ''));
      return isSecretPath(name) ? `${name} is a secrets file (such as .env, a key or credentials); it is neither read nor sent.` : undefined;
    }
    const candidates = path.isAbsolute(file) ? [file] : this.roots.map((root) => path.join(root, file));
    for (const absolute of candidates) {
      const root = this.roots.find((folder) => isInside(folder, absolute));
      if (root !== undefined) {
        const decision = this.boundary(root).decide(absolute, 'read');
        if (decision.action === 'refuse') return decision.reason;
        continue;
      }
      // Outside every folder: a secret by its name or by where a link leads.
      const resolved = resolveReal(absolute);
      const real = resolved.ok ? resolved.path : absolute;
      if (isSecretPath(absolute) || isSecretPath(real)) return `${file} is a secrets file (such as .env, a key or credentials); it is neither read nor sent.`;
    }
    if (!path.isAbsolute(file) && isSecretPath(file)) return `${file} is a secrets file (such as .env, a key or credentials); it is neither read nor sent.`;
    return undefined;
  }

  /** Context items with refused files replaced by a note saying they were left out (and why). */
  filterContext(items: readonly ContextItem[]): { items: ContextItem[]; withheld: string[] } {
    const withheld: string[] = [];
    const kept = items.map((item) => {
      const reason = this.excluded(item.path);
      if (reason === undefined) return item;
      withheld.push(item.path);
      return { ...item, text: `[not sent by Tandem: ${reason}]` };
    });
    return { items: kept, withheld };
  }

  private boundary(root: string): WorkspaceBoundary {
    const cached = this.boundaries.get(root);
    if (cached && this.now() - cached.at < BOUNDARY_TTL_MS) return cached.boundary;
    const boundary = new WorkspaceBoundary(root, { ignoreFiles: true });
    this.boundaries.set(root, { boundary, at: this.now() });
    return boundary;
  }
}

function toPath(location: string): string | undefined {
  if (location.startsWith('file:')) {
    try {
      return fileURLToPath(location);
    } catch {
      return undefined;
    }
  }
  return /^[a-z][a-z0-9+.-]+:/i.test(location) && !/^[a-z]:[\\/]/i.test(location) ? undefined : location;
}

function isInside(root: string, absolute: string): boolean {
  const relative = path.relative(root, absolute);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
