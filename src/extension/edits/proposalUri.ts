import * as vscode from 'vscode';

/** The read-only documents that show proposals: the right side of the review diffs. */
export const PROPOSAL_SCHEME = 'tandem-proposal';

/** Which side a proposal URI shows: the proposal, or the empty "before" of a new file. */
export type ProposalSide = 'proposal' | 'base';

export interface ProposalRef {
  reviewId: string;
  fileId: number;
  side: ProposalSide;
}

/**
 * `tandem-proposal:/<review>/<file>/<path>`: the path ends with the file's
 * own path so that VS Code picks the language (and the tab shows the name).
 */
export function proposalUri(reviewId: string, fileId: number, path: string, side: ProposalSide = 'proposal'): vscode.Uri {
  const relative = path.replace(/\\/g, '/').replace(/^([a-zA-Z]:)?\/+/, '');
  return vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${reviewId}/${fileId}/${relative}`, query: side === 'base' ? 'base' : '' });
}

export function parseProposalUri(uri: vscode.Uri): ProposalRef | undefined {
  if (uri.scheme !== PROPOSAL_SCHEME) {
    return undefined;
  }
  const [, reviewId, fileId] = /^\/([^/]+)\/(\d+)\//.exec(uri.path) ?? [];
  if (reviewId === undefined || fileId === undefined) {
    return undefined;
  }
  return { reviewId, fileId: Number(fileId), side: uri.query === 'base' ? 'base' : 'proposal' };
}
